"""The Mastodon reader (src.ingest.mastodon) on hand-written statuses and accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from src.ingest.mastodon import read_mastodon_exports
from src.ingest.quarantine import Rejects
from tests.ingest.mastodon.helpers import (
    account_json,
    dated_copies,
    status_json,
    write_documents,
)

# --- hand-written responses --------------------------------------------------------------


def test_local_ids_resolve_only_within_their_file(tmp_path: Path) -> None:
    parent = status_json("7")
    reply = status_json("8", in_reply_to_id="7", in_reply_to_account_id="1")
    together = read_mastodon_exports([write_documents(tmp_path / "one.json", [parent, reply])])
    assert (
        together.posts.set_index("post_id").loc[
            "mastodon:https://a.example/users/amy/statuses/8", "referenced_post_id"
        ]
        == "mastodon:https://a.example/users/amy/statuses/7"
    )
    # The same ids in another file may be another server's: they are not used.
    write_documents(tmp_path / "a.json", [parent])
    write_documents(
        tmp_path / "b.json",
        [
            status_json(
                "8",
                account=account_json(local_id="99"),
                in_reply_to_id="7",
                in_reply_to_account_id="1",
            )
        ],
    )
    apart = read_mastodon_exports([tmp_path / "a.json", tmp_path / "b.json"])
    row = apart.posts.set_index("post_id").loc["mastodon:https://a.example/users/amy/statuses/8"]
    assert (
        row["kind"] == "reply"
        and row["referenced_post_id"] is None
        and row["reply_to_account_id"] is None
    )
    assert (
        apart.notes["reply_parents_not_in_export"] == 1
        and apart.notes["reply_accounts_unresolved"] == 1
    )
    assert apart.interactions.empty


def test_reply_account_falls_back_to_the_parent_author(tmp_path: Path) -> None:
    # No mention names the replied-to account (the author removed it); the parent is in the
    # file, on the page of its author's statuses (one account's statuses per page).
    parent = status_json("7", account=account_json("bob", "b.example", "5"))
    reply = status_json("8", in_reply_to_id="7", in_reply_to_account_id="5555")
    tables = read_mastodon_exports([write_documents(tmp_path / "t.jsonl", [reply], [parent])])
    row = tables.posts.set_index("post_id").loc["mastodon:https://a.example/users/amy/statuses/8"]
    assert row["reply_to_account_id"] == "mastodon:bob@b.example"
    assert tables.interactions[["target_account_id", "kind"]].values.tolist() == [
        ["mastodon:bob@b.example", "reply"]
    ]
    assert tables.notes["reply_accounts_unresolved"] == 0


def test_server_is_the_profile_url_host_even_when_acct_names_another_domain(tmp_path: Path) -> None:
    # A server whose web domain differs from its account domain (WEB_DOMAIN): the url host
    # is what every server reports the same way, so it is the one used.
    account = account_json("amy", "social.example.org", acct="amy@example.org")
    mention = {
        "id": "2",
        "username": "bob",
        "acct": "bob@example.net",
        "url": "https://mastodon.example.net/@bob",
    }
    tables = read_mastodon_exports(
        [
            write_documents(
                tmp_path / "x.json", [status_json("1", account=account, mentions=[mention])]
            )
        ]
    )
    assert tables.posts["account_id"].tolist() == ["mastodon:amy@social.example.org"]
    assert list(tables.posts.iloc[0]["mentions"]) == ["mastodon:bob@mastodon.example.net"]


@pytest.mark.parametrize("given", [["a.json", "b.json"], ["b.json", "a.json"]])
@pytest.mark.parametrize("newest, likes", [("b.json", 2), ("a.json", 9)])
def test_duplicate_across_files_follows_file_times_not_names(
    tmp_path: Path, given: list[str], newest: str, likes: int
) -> None:
    write_documents(tmp_path / "a.json", [status_json("1", likes=9)])
    write_documents(tmp_path / "b.json", [status_json("1", likes=2)])
    older = "a.json" if newest == "b.json" else "b.json"
    dated_copies(tmp_path / "dated", [tmp_path / older, tmp_path / newest])
    rejects = Rejects()
    tables = read_mastodon_exports([tmp_path / "dated" / g for g in given], rejects=rejects)
    assert tables.posts["likes"].tolist() == [likes]
    note = rejects.quality.notes[("mastodon", "latest_copy_by_file_time")]
    assert note.count == 1 and "most recently modified file" in note.message


@pytest.mark.parametrize(
    "quote, kind, referenced, note",
    [
        (
            {
                "state": "accepted",
                "status": status_json("50", account=account_json("gp", "c.example", "5")),
            },
            "quote",
            "mastodon:https://c.example/users/gp/statuses/50",
            0,
        ),
        ({"state": "accepted", "quoted_status_id": "404"}, "quote", None, 1),
        ({"state": "accepted", "quoted_status": None}, "quote", None, 1),
        ({"state": "rejected", "quoted_status": None}, "original", None, 0),
        (
            {
                "state": "revoked",
                "quoted_status": status_json("51", account=account_json("gp", "c.example", "5")),
            },
            "original",
            None,
            0,
        ),
        (None, "original", None, 0),
    ],
)
def test_quote_states(
    tmp_path: Path, quote: dict[str, Any] | None, kind: str, referenced: str | None, note: int
) -> None:
    tables = read_mastodon_exports(
        [write_documents(tmp_path / "q.json", [status_json("9", quote=quote)])]
    )
    row = tables.posts.iloc[0]
    assert (row["kind"], row["referenced_post_id"]) == (kind, referenced)
    assert tables.notes["quotes_unresolved"] == note
    assert tables.interactions["kind"].tolist() == (["quote"] if referenced else [])


def test_single_account_document_is_read_and_single_status_document_skipped(
    tmp_path: Path,
) -> None:
    # A .json file holding one Status is what fetching, posting, pinning or boosting one
    # returns, not an account's statuses: skipped with a warning that says so.
    write_documents(tmp_path / "status.json", status_json("3"))
    write_documents(tmp_path / "account.json", account_json("bob", "b.example", followers_count=77))
    rejects = Rejects()
    tables = read_mastodon_exports(
        [tmp_path / "status.json", tmp_path / "account.json"], rejects=rejects
    )
    assert tables.posts.empty
    assert tables.accounts.set_index("account_id").loc["mastodon:bob@b.example", "followers"] == 77
    note = rejects.quality.notes[("mastodon", "not_statuses_skipped")]
    assert note.count == 1 and note.severity == "warning"
    assert "a single status" in note.message and note.files == (str(tmp_path / "status.json"),)


def test_one_status_per_line_by_one_account_is_read(tmp_path: Path) -> None:
    path = write_documents(tmp_path / "amy.jsonl", status_json("3"), status_json("4"))
    tables = read_mastodon_exports([path])
    assert tables.posts["post_id"].tolist() == [
        "mastodon:https://a.example/users/amy/statuses/3",
        "mastodon:https://a.example/users/amy/statuses/4",
    ]


def test_server_from_acct_when_there_is_no_url(tmp_path: Path) -> None:
    account = account_json("Zed", acct="Zed@Far.Example", url=None)
    mention = {"id": "2", "username": "Yan", "acct": "Yan@Near.Example", "url": None}
    status = status_json("4", account=account_json(), mentions=[mention])
    tables = read_mastodon_exports([write_documents(tmp_path / "x.json", [account, status])])
    assert "mastodon:zed@far.example" in set(tables.accounts["account_id"])
    assert list(tables.posts.iloc[0]["mentions"]) == ["mastodon:yan@near.example"]


def test_error_body_is_counted_not_rejected(tmp_path: Path) -> None:
    tables = read_mastodon_exports(
        [write_documents(tmp_path / "p.jsonl", {"error": "Record not found"}, [status_json("1")])]
    )
    assert (tables.api_errors, tables.records, len(tables.posts)) == (1, 2, 1)


def test_quarantine_skips_a_bad_status_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write_documents(
        tmp_path / "p.jsonl", [status_json("1"), status_json("2", created_at="tuesday")], "[oops"
    )
    rejects = Rejects(strict=False)
    tables = read_mastodon_exports([path], rejects=rejects)
    assert tables.posts["post_id"].tolist() == ["mastodon:https://a.example/users/amy/statuses/1"]
    assert rejects.frame(relative_to=str(tmp_path))[
        ["file", "record", "field"]
    ].values.tolist() == [
        ["p.jsonl", "line 1", "[1].created_at"],
        ["p.jsonl", "line 2", ""],
    ]
