"""Bad Mastodon input: each message names the file, the line or item, and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.ingest.mastodon.helpers import (
    account_json,
    status_json,
    strict_error,
    write_documents,
)

# --- bad inputs: each message names the file, the line or item, and the field --------------


def test_malformed_json_line(tmp_path: Path) -> None:
    message = strict_error(
        write_documents(tmp_path / "bad.jsonl", [status_json("1")], "", "[{oops")
    )
    assert "line 3" in message and "not valid JSON" in message


def test_malformed_json_document(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"id": "1",\n   "uri": oops}\n]\n', encoding="utf-8")
    message = strict_error(path)
    assert "line 3" in message and "not valid JSON" in message


@pytest.mark.parametrize("name, content", [("empty.json", b""), ("blank.jsonl", b"\n\n")])
def test_empty_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert "is empty" in strict_error(path)


def test_non_utf8(tmp_path: Path) -> None:
    path = write_documents(
        tmp_path / "latin1.jsonl", [status_json("1")], b'[{"content": "caf\xe9"}]'
    )
    message = strict_error(path)
    assert "line 2" in message and "not UTF-8" in message
    document = tmp_path / "latin1.json"
    document.write_bytes(b'[\n{"content": "caf\xe9"}\n]')
    message = strict_error(document)
    assert "line 2" in message and "not UTF-8" in message


@pytest.mark.parametrize(
    "changes, field, problem",
    [
        ({"id": 112000000000000101}, "[1].id", "expected a string id"),
        ({"uri": None}, "[1].uri", "required field is missing"),
        ({"created_at": None}, "[1].created_at", "required field is missing"),
        ({"created_at": "2024-02-30T10:00:00Z"}, "[1].created_at", "unparseable time"),
        ({"created_at": "2024-03-01T10:00:00"}, "[1].created_at", "no time zone"),
        ({"favourites_count": None}, "[1].favourites_count", "required field is missing"),
        ({"reblogs_count": -1}, "[1].reblogs_count", "expected a count"),
        ({"replies_count": 2.5}, "[1].replies_count", "expected a count"),
        ({"quotes_count": "3"}, "[1].quotes_count", "expected a count"),
        ({"content": None}, "[1].content", "required field is missing"),
        ({"content": ["<p>x</p>"]}, "[1].content", "expected text"),
        ({"account": None}, "[1].account", "required field is missing"),
        ({"account": account_json(url=None)}, "[1].account.url", "cannot tell the server"),
        ({"account": account_json(local_id=5)}, "[1].account.id", "expected a string id"),
        (
            {"account": account_json(followers_count=-2)},
            "[1].account.followers_count",
            "expected a count",
        ),
        (
            {"account": account_json(created_at="last year")},
            "[1].account.created_at",
            "unparseable time",
        ),
        (
            {"account": {**account_json(), "username": None}},
            "[1].account.username",
            "required field is missing",
        ),
        (
            {"mentions": [{"id": "3", "username": "x", "acct": "x", "url": None}]},
            "[1].mentions[0].url",
            "cannot tell the server",
        ),
        ({"mentions": ["@x@y.example"]}, "[1].mentions", "expected a list of objects"),
        (
            {"tags": [{"url": "https://a.example/tags/x"}]},
            "[1].tags[0].name",
            "required field is missing",
        ),
        ({"in_reply_to_id": 7}, "[1].in_reply_to_id", "expected a string id"),
        (
            {"reblog": {"id": "9", "account": account_json()}},
            "[1].reblog.uri",
            "required field is missing",
        ),
        ({"reblog": "yes"}, "[1].reblog", "expected an object"),
        ({"quote": {"quoted_status_id": "5"}}, "[1].quote.state", "required field is missing"),
        ({"media_attachments": {"id": "1"}}, "[1].media_attachments", "expected a list of objects"),
    ],
)
def test_bad_status_is_named(
    tmp_path: Path, changes: dict[str, Any], field: str, problem: str
) -> None:
    bad = status_json("2")
    bad.update(changes)
    message = strict_error(write_documents(tmp_path / "bad.jsonl", [status_json("1"), bad]))
    assert f"bad.jsonl, line 1, field '{field}'" in message
    assert problem in message


def test_bad_status_in_a_json_document_is_named_by_item(tmp_path: Path) -> None:
    message = strict_error(
        write_documents(
            tmp_path / "bad.json", [status_json("1"), status_json("2", favourites_count=-5)]
        )
    )
    assert "bad.json, [1], field '[1].favourites_count': expected a count" in message


@pytest.mark.parametrize(
    "document, where, problem",
    [
        ([{"id": "1", "note": "neither"}], "line 1, field '[0]'", "neither a Mastodon Status"),
        ([17], "line 1, field '[0]'", "expected a Status or Account object"),
        ("just text", "line 1:", "expected a JSON array"),
        ({"statuses": []}, "line 1:", "neither a Mastodon Status"),
    ],
)
def test_bad_response_is_named(tmp_path: Path, document: Any, where: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(document) + "\n", encoding="utf-8")
    message = strict_error(path)
    assert f"bad.jsonl, {where}" in message and problem in message


def test_single_account_document_error_has_no_record_part(tmp_path: Path) -> None:
    message = strict_error(
        write_documents(tmp_path / "account.json", account_json(statuses_count="lots"))
    )
    assert message.startswith(
        f"{tmp_path / 'account.json'}, field 'statuses_count': expected a count"
    )
