"""Bad Bluesky input: each message names the file, the line or item, and the field."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.ingest.bluesky.helpers import (
    DATA,
    GP,
    REPOST,
    WARD,
    feed_item,
    feed_page,
    fixture_documents,
    strict_error,
    write_documents,
)

# --- bad inputs: each message names the file, the line or item, and the field --------------


def test_malformed_json_line(tmp_path: Path) -> None:
    message = strict_error(
        write_documents(
            tmp_path / "bad.jsonl", feed_page(feed_item("3k1", WARD)), "", '{"feed": [oops'
        )
    )
    assert "line 3" in message and "not valid JSON" in message


def test_malformed_json_document_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "feed": [\n    {"post": oops}\n  ]\n}\n', encoding="utf-8")
    message = strict_error(path)
    assert "line 3" in message and "not valid JSON" in message


def test_json_lines_in_a_json_file_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "pages.json"
    path.write_text(
        json.dumps(feed_page(feed_item("3k1", WARD)))
        + "\n"
        + json.dumps(feed_page(feed_item("3k2", WARD)))
        + "\n",
        encoding="utf-8",
    )
    message = strict_error(path)
    assert "line 2" in message and "name JSON lines files .jsonl" in message


@pytest.mark.parametrize(
    "name, content",
    [("empty.jsonl", b""), ("blank.jsonl", b"\n \n"), ("empty.json", b""), ("blank.json", b"  \n")],
)
def test_empty_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert "is empty" in strict_error(path)


def test_non_utf8_line(tmp_path: Path) -> None:
    path = write_documents(
        tmp_path / "latin1.jsonl",
        feed_page(feed_item("3k1", WARD)),
        b'{"feed": [], "note": "caf\xe9"}',
    )
    message = strict_error(path)
    assert "line 2" in message and "not UTF-8" in message


def test_non_utf8_document(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{\n  "feed": [],\n  "note": "caf\xe9"\n}\n')
    message = strict_error(path)
    assert "line 3" in message and "not UTF-8" in message


def _bad_item(**changes: Any) -> dict[str, Any]:
    """A valid item with ``changes`` applied: keys are dotted paths under the item, None deletes."""
    item = feed_item("3kbad", WARD)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = item
        for key in parents:
            node = node[key]
        if value is None:
            del node[last]
        else:
            node[last] = value
    return item


@pytest.mark.parametrize(
    "changes, field, problem",
    [
        (
            {"post__record__createdAt": None},
            "feed[1].post.record.createdAt",
            "required field is missing",
        ),
        (
            {"post__record__createdAt": "yesterday"},
            "feed[1].post.record.createdAt",
            "unparseable time 'yesterday'",
        ),
        (
            {"post__record__createdAt": "2024-03-01T10:00:00"},
            "feed[1].post.record.createdAt",
            "no time zone",
        ),
        ({"post__record__text": None}, "feed[1].post.record.text", "required field is missing"),
        ({"post__record__text": 5}, "feed[1].post.record.text", "expected text"),
        ({"post__uri": None}, "feed[1].post.uri", "required field is missing"),
        (
            {"post__uri": "https://bsky.app/profile/x/post/1"},
            "feed[1].post.uri",
            "expected an at-uri",
        ),
        ({"post__author__did": "plc:abc"}, "feed[1].post.author.did", "expected a DID"),
        ({"post__author__handle": None}, "feed[1].post.author.handle", "required field is missing"),
        ({"post__likeCount": -1}, "feed[1].post.likeCount", "expected a count"),
        ({"post__likeCount": "5"}, "feed[1].post.likeCount", "expected a count"),
        ({"post__repostCount": True}, "feed[1].post.repostCount", "expected a count"),
        (
            {"post__record__$type": "app.bsky.feed.like"},
            "feed[1].post.record.$type",
            "expected a app.bsky.feed.post record",
        ),
        (
            {
                "post__record__facets": [
                    {
                        "index": {"byteStart": 0, "byteEnd": 1},
                        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "alice"}],
                    }
                ]
            },
            "feed[1].post.record.facets[0].features[0].did",
            "expected a DID",
        ),
        (
            {"post__record__facets": {"not": "a list"}},
            "feed[1].post.record.facets",
            "expected a list of objects",
        ),
        (
            {
                "post__record__reply": {
                    "root": {"uri": "at://x"},
                    "parent": {"uri": "at://x", "cid": "c"},
                }
            },
            "feed[1].post.record.reply.parent.uri",
            "expected an at-uri of a record",
        ),
        (
            {"post__record__embed": {"$type": "app.bsky.embed.record"}},
            "feed[1].post.record.embed.record",
            "required field is missing",
        ),
        (
            {"reason": {"$type": "app.bsky.feed.defs#reasonTrend"}},
            "feed[1].reason.$type",
            "unknown feed reason",
        ),
        (
            {"reason": {"$type": REPOST, "by": {"did": WARD, "handle": "w.example.net"}}},
            "feed[1].reason.indexedAt",
            "required field is missing",
        ),
        ({"post": None}, "feed[1].post", "required field is missing"),
    ],
)
def test_bad_item_is_named(
    tmp_path: Path, changes: dict[str, Any], field: str, problem: str
) -> None:
    message = strict_error(
        write_documents(
            tmp_path / "bad.jsonl", feed_page(feed_item("3kok", WARD), _bad_item(**changes))
        )
    )
    assert f"bad.jsonl, line 1, field '{field}'" in message
    assert problem in message


def test_bad_item_in_a_json_document_is_named_by_item(tmp_path: Path) -> None:
    message = strict_error(
        write_documents(
            tmp_path / "bad.json",
            feed_page(feed_item("3kok", WARD), _bad_item(post__record__createdAt="soon")),
        )
    )
    assert (
        "bad.json, feed[1], field 'feed[1].post.record.createdAt': unparseable time 'soon'"
        in message
    )


@pytest.mark.parametrize(
    "document, where, problem",
    [
        ({"feed": {"post": {}}}, "line 1, field 'feed'", "expected a list"),
        (
            {"profiles": [{"did": GP, "handle": "gp.example.net", "followersCount": -3}]},
            "line 1, field 'profiles[0].followersCount'",
            "expected a count",
        ),
        (
            {"profiles": [{"handle": "gp.example.net"}]},
            "line 1, field 'profiles[0].did'",
            "required field is missing",
        ),
        (
            {"did": GP, "handle": "gp.example.net", "createdAt": "2023-13-45T00:00:00Z"},
            "line 1, field 'createdAt'",
            "unparseable time",
        ),
        ({"cursor": "x"}, "line 1:", "is not an app.bsky.feed.getAuthorFeed page"),
        ([1, 2], "line 1:", "expected a JSON object"),
    ],
)
def test_bad_response_is_named(tmp_path: Path, document: Any, where: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(document) + "\n", encoding="utf-8")
    message = strict_error(path)
    assert f"bad.jsonl, {where}" in message and problem in message


def test_single_profile_document_error_has_no_record_part(tmp_path: Path) -> None:
    message = strict_error(
        write_documents(
            tmp_path / "profile.json", {"did": GP, "handle": "gp.example.net", "postsCount": "many"}
        )
    )
    assert message.startswith(f"{tmp_path / 'profile.json'}, field 'postsCount': expected a count")


def test_fixture_mutation_is_caught(tmp_path: Path) -> None:
    """A real fixture with one field broken fails on that field: strict reading of real shapes."""
    pages = fixture_documents(DATA / "author_feed_wardsister.jsonl")
    broken = copy.deepcopy(pages)
    broken[1]["feed"][2]["reply"]["parent"]["uri"] = 42  # W7's hydrated parent view
    message = strict_error(write_documents(tmp_path / "feed.jsonl", *broken))
    assert "line 2, field 'feed[2].reply.parent.uri'" in message
