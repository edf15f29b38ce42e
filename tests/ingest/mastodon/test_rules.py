"""Mastodon counting rules on hand-written responses: what is read, skipped and dropped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from src.ingest.mastodon import read_mastodon_exports
from src.ingest.quarantine import Rejects
from tests.ingest.mastodon.helpers import account_json, status_json, write_documents

AMY = "mastodon:https://a.example/users/amy/statuses/"


def _skipped(rejects: Rejects) -> str:
    return rejects.quality.notes[("mastodon", "not_statuses_skipped")].message


@pytest.mark.parametrize(
    "document, what",
    [
        ([{"id": "1", "type": "mention", "created_at": "2024-03-01T10:00:00Z",
           "account": account_json(), "status": status_json("5")}], "a notification"),
        ([{"id": "1", "unread": True, "accounts": [account_json()],
           "last_status": status_json("5", visibility="direct")}], "direct messages"),
        ({"ancestors": [status_json("5")], "descendants": []}, "a thread context"),
        ({"accounts": [], "statuses": [status_json("5")], "hashtags": []}, "search results"),
        ([{"name": "nhs", "url": "https://a.example/tags/nhs", "history": []}], "hashtag"),
        ({"id": "1", "text": "hello", "spoiler_text": ""}, "the source of a status"),
        ({"@context": "https://www.w3.org/ns/activitystreams", "orderedItems": []},
         "an ActivityPub collection"),
        ({}, "an empty object"),
    ],
)  # fmt: skip
def test_other_responses_are_named_and_skipped(tmp_path: Path, document: Any, what: str) -> None:
    path = write_documents(tmp_path / "other.json", document)
    rejects = Rejects()
    tables = read_mastodon_exports([path], rejects=rejects)
    assert tables.posts.empty and tables.accounts.empty
    assert what in _skipped(rejects)


def test_one_status_per_line_by_several_accounts_is_a_timeline(tmp_path: Path) -> None:
    bob = account_json("bob", "b.example", "2")
    path = write_documents(tmp_path / "home.jsonl", status_json("1"), status_json("2", account=bob))
    rejects = Rejects()
    tables = read_mastodon_exports([path], rejects=rejects)
    assert tables.posts.empty
    note = rejects.quality.notes[("mastodon", "not_statuses_skipped")]
    assert note.count == 2 and "one status per line by 2 accounts" in note.message


def test_a_boost_is_the_boosting_account_s_status(tmp_path: Path) -> None:
    # An account's page holds its boosts of others' statuses: still one account's page.
    bob_status = status_json("9", account=account_json("bob", "b.example", "2"))
    boost = status_json("3", content="", reblog=bob_status)
    tables = read_mastodon_exports(
        [write_documents(tmp_path / "amy.json", [status_json("1"), boost])]
    )
    assert sorted(tables.posts["kind"]) == ["original", "repost"]


@pytest.mark.parametrize(
    "visibility, kept", [("public", True), ("unlisted", True), ("private", False),
                         ("direct", False), ("limited", False), (None, False)]
)  # fmt: skip
def test_only_public_and_unlisted_statuses_count(
    tmp_path: Path, visibility: str | None, kept: bool
) -> None:
    status = status_json("2", visibility=visibility)
    if visibility is None:
        del status["visibility"]
    rejects = Rejects()
    tables = read_mastodon_exports(
        [write_documents(tmp_path / "p.json", [status_json("1"), status])], rejects=rejects
    )
    assert (AMY + "2" in set(tables.posts["post_id"])) is kept
    if not kept:
        note = rejects.quality.notes[("mastodon", "not_public_dropped")]
        assert note.count == 1 and f"{visibility or 'missing'} 1" in note.message
        # A status without visibility cannot be told public: a warning, not an info.
        assert note.severity == ("warning" if visibility is None else "info")


def test_a_dropped_status_creates_no_account(tmp_path: Path) -> None:
    carer = account_json("carer", "c.example", "7")
    tables = read_mastodon_exports(
        [
            write_documents(
                tmp_path / "p.json", [status_json("1", account=carer, visibility="direct")]
            )
        ]
    )
    assert tables.accounts.empty and tables.posts.empty


def test_a_private_quoted_status_is_not_read(tmp_path: Path) -> None:
    quoted = status_json("8", account=account_json("bob", "b.example", "2"), visibility="private")
    status = status_json("1", quote={"state": "accepted", "quoted_status": quoted})
    tables = read_mastodon_exports([write_documents(tmp_path / "p.json", [status])])
    assert "mastodon:bob@b.example" not in set(tables.accounts["account_id"])
    row = tables.posts.iloc[0]
    assert row["kind"] == "quote" and row["referenced_post_id"] is None


# --- the latest retrieval wins ------------------------------------------------------------


def _snapshot_notes(rejects: Rejects) -> set[str]:
    kinds = {"same_time_different_values", "latest_copy_by_file_time"}
    return {kind for _, kind in rejects.quality.notes} & kinds


def _retrieved(at: str, response: Any, *, http: bool = False) -> dict[str, Any]:
    if http:
        return {"headers": {"Date": at}, "body": response}
    return {"retrieved_at": at, "response": response}


@pytest.mark.parametrize("http", [False, True])
def test_kept_retrieval_times_decide_whatever_the_file_names_and_times(
    tmp_path: Path, http: bool
) -> None:
    early, late = (
        ("Fri, 01 Mar 2024 10:00:00 GMT", "Sat, 02 Mar 2024 10:00:00 GMT")
        if http
        else ("2024-03-01T10:00:00Z", "2024-03-02T10:00:00Z")
    )
    # z.json was written first but retrieved last; a.json the other way round.
    write_documents(tmp_path / "z.json", _retrieved(late, [status_json("1", likes=7)], http=http))
    write_documents(tmp_path / "a.json", _retrieved(early, [status_json("1", likes=3)], http=http))
    rejects = Rejects()
    tables = read_mastodon_exports([tmp_path / "a.json", tmp_path / "z.json"], rejects=rejects)
    assert tables.posts["likes"].tolist() == [7]
    assert not _snapshot_notes(rejects)  # decided by kept times: nothing to warn about


def test_same_retrieval_time_with_different_values_is_named(tmp_path: Path) -> None:
    at = "2024-03-01T10:00:00Z"
    first = write_documents(tmp_path / "a.json", _retrieved(at, [status_json("1", likes=3)]))
    second = write_documents(tmp_path / "b.json", _retrieved(at, [status_json("1", likes=7)]))
    rejects = Rejects()
    tables = read_mastodon_exports([second, first], rejects=rejects)
    assert tables.posts["likes"].tolist() == [7]  # read last: b.json
    note = rejects.quality.notes[("mastodon", "same_time_different_values")]
    assert note.severity == "warning" and note.count == 1
    assert note.files == (str(first), str(second)) and "1 status" in note.message


def test_a_later_line_of_one_file_is_a_later_retrieval(tmp_path: Path) -> None:
    path = write_documents(
        tmp_path / "p.jsonl", [status_json("1", likes=3)], [status_json("1", likes=5)]
    )
    rejects = Rejects()
    assert read_mastodon_exports([path], rejects=rejects).posts["likes"].tolist() == [5]
    assert not _snapshot_notes(rejects)


def test_an_unreadable_retrieval_time_is_named(tmp_path: Path) -> None:
    path = write_documents(tmp_path / "p.jsonl", _retrieved("yesterday", [status_json("1")]))
    with pytest.raises(Exception, match=r"p.jsonl, line 1, field 'retrieved_at': unparseable time"):
        read_mastodon_exports([path])
    bad_date = write_documents(tmp_path / "q.jsonl", _retrieved("someday", [], http=True))
    with pytest.raises(Exception, match=r"field 'headers.Date': expected an HTTP date"):
        read_mastodon_exports([bad_date])


def test_notes_never_name_an_account(tmp_path: Path) -> None:
    bob = account_json("bob", "b.example", "2")
    path = write_documents(
        tmp_path / "p.jsonl",
        [status_json("1", visibility="direct")],
        [status_json("2"), status_json("3", account=bob)],
        status_json("4", spoiler_text="spoiler", edited_at="2024-03-02T00:00:00Z"),
    )
    rejects = Rejects()
    read_mastodon_exports([path], rejects=rejects)
    text = json.dumps(rejects.quality.records())
    assert "amy" not in text and "bob" not in text
