"""Bluesky counting rules on hand-written responses and real profiles: labels, responses
that are not author feeds, and which copy of an account or post is the latest."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from src.ingest.bluesky import read_bluesky_exports
from src.ingest.quarantine import Rejects
from tests.ingest.bluesky.helpers import (
    REPOST,
    TRUST,
    WARD,
    aid,
    at,
    dated_copies,
    feed_item,
    feed_page,
    pid,
    write_documents,
)

HIDE = {"val": "!no-unauthenticated", "cts": "2024-01-01T00:00:00.000Z"}


def _real_profile(recordings: Path) -> dict[str, Any]:
    document = json.loads((recordings / "bskyr_vcr_profiles_1.json").read_text("utf-8"))
    profile: dict[str, Any] = document["profiles"][0]
    return profile


@pytest.mark.parametrize(
    "labels, hidden",
    [
        ([], False),
        ([{**HIDE, "src": "{did}", "uri": "at://{did}/app.bsky.actor.profile/self"}], True),
        ([{**HIDE, "src": "{did}", "neg": True}], False),  # a label taken back
        ([{"val": "porn", "src": "{did}"}], False),
    ],
)
def test_no_unauthenticated_label_flags_the_account(
    bluesky_recordings: Path, tmp_path: Path, labels: list[dict[str, Any]], hidden: bool
) -> None:
    profile = _real_profile(bluesky_recordings)
    did = profile["did"]
    profile["labels"] = json.loads(json.dumps(labels).replace("{did}", did))
    rejects = Rejects()
    tables = read_bluesky_exports(
        [write_documents(tmp_path / "p.json", {"profiles": [profile]})], rejects=rejects
    )
    assert (
        bool(tables.accounts.set_index("account_id").loc[aid(did), "hide_from_logged_out"])
        is hidden
    )
    assert (("bluesky", "hide_from_logged_out") in rejects.quality.notes) is hidden


def test_a_label_on_any_view_flags_the_account(tmp_path: Path) -> None:
    # The label is on a post's author view; the profile read later has none.
    item = feed_item("3kone", WARD)
    item["post"]["author"]["labels"] = [{**HIDE, "src": WARD}]
    profile = {"did": WARD, "handle": "w.example.org", "followersCount": 3, "labels": []}
    paths = [
        write_documents(tmp_path / "a.jsonl", feed_page(item)),
        write_documents(tmp_path / "b.json", profile),
    ]
    accounts = read_bluesky_exports(paths).accounts.set_index("account_id")
    assert accounts.loc[aid(WARD), "hide_from_logged_out"]
    assert accounts.loc[aid(WARD), "followers"] == 3  # the profile's row, the label kept


@pytest.mark.parametrize(
    "document, what",
    [
        ({"thread": {"post": {}}}, "a post thread"),
        ({"posts": []}, "posts without their feed context"),
        ({"records": [], "cursor": "x"}, "repository records"),
        ({"notifications": []}, "notifications"),
        ({"followers": [], "subject": {}}, "followers"),
    ],
)
def test_other_responses_are_named_and_skipped(
    tmp_path: Path, document: dict[str, Any], what: str
) -> None:
    rejects = Rejects()
    tables = read_bluesky_exports([write_documents(tmp_path / "x.json", document)], rejects=rejects)
    assert tables.posts.empty
    assert what in rejects.quality.notes[("bluesky", "not_author_feeds_skipped")].message


def test_an_author_feed_with_the_author_s_reposts_is_one_account(tmp_path: Path) -> None:
    repost = copy.deepcopy(feed_item("3kother", TRUST))
    repost["reason"] = {
        "$type": REPOST,
        "by": {"did": WARD, "handle": "w.example.org"},
        "indexedAt": "2024-03-02T10:00:00Z",
    }
    tables = read_bluesky_exports(
        [write_documents(tmp_path / "w.json", feed_page(feed_item("3kone", WARD), repost))]
    )
    assert sorted(tables.posts["kind"]) == ["original", "repost"]


def test_kept_retrieval_times_decide_for_profiles(tmp_path: Path) -> None:
    def profile(followers: int) -> dict[str, Any]:
        return {"did": WARD, "handle": "w.example.org", "followersCount": followers}

    # z.json holds the later retrieval although a.json was written after it.
    write_documents(tmp_path / "z.json", {"retrieved_at": "2024-06-02T00:00:00Z", **profile(20)})
    write_documents(
        tmp_path / "a.json",
        {"retrieved_at": "2024-06-01T00:00:00Z", "response": {"profiles": [profile(10)]}},
    )
    rejects = Rejects()
    accounts = read_bluesky_exports(
        [tmp_path / "a.json", tmp_path / "z.json"], rejects=rejects
    ).accounts
    assert accounts["followers"].tolist() == [20]
    assert ("bluesky", "latest_copy_by_file_time") not in rejects.quality.notes


def test_same_retrieval_time_with_different_values_is_named(tmp_path: Path) -> None:
    at = "2024-03-05T00:00:00Z"
    first = write_documents(
        tmp_path / "a.jsonl", {"retrieved_at": at, **feed_page(feed_item("3kone", WARD, likes=1))}
    )
    second = write_documents(
        tmp_path / "b.jsonl", {"retrieved_at": at, **feed_page(feed_item("3kone", WARD, likes=4))}
    )
    rejects = Rejects()
    posts = read_bluesky_exports([first, second], rejects=rejects).posts
    assert posts["likes"].tolist() == [4]
    note = rejects.quality.notes[("bluesky", "same_time_different_values")]
    assert note.severity == "warning" and note.files == (str(first), str(second))
    assert "1 post arrived" in note.message


@pytest.mark.parametrize("given", [["a.jsonl", "b.jsonl"], ["b.jsonl", "a.jsonl"]])
@pytest.mark.parametrize("newest, likes", [("b.jsonl", 2), ("a.jsonl", 9)])
def test_duplicate_across_files_follows_file_times_not_names(
    tmp_path: Path, given: list[str], newest: str, likes: int
) -> None:
    write_documents(tmp_path / "a.jsonl", feed_page(feed_item("3kone", WARD, likes=9)))
    write_documents(tmp_path / "b.jsonl", feed_page(feed_item("3kone", WARD, likes=2)))
    older = "a.jsonl" if newest == "b.jsonl" else "b.jsonl"
    dated_copies(tmp_path / "dated", [tmp_path / older, tmp_path / newest])
    rejects = Rejects()
    tables = read_bluesky_exports([tmp_path / "dated" / g for g in given], rejects=rejects)
    assert tables.posts["likes"].tolist() == [likes]
    note = rejects.quality.notes[("bluesky", "latest_copy_by_file_time")]
    assert note.count == 1 and "most recently modified file" in note.message


def test_repost_without_uri_keeps_the_id_an_earlier_copy_gave(tmp_path: Path) -> None:
    reason = {
        "$type": REPOST,
        "by": {"did": TRUST, "handle": "trust.example.net"},
        "indexedAt": "2024-03-07T10:00:00Z",
    }
    with_uri = {
        **feed_item("3kone", WARD),
        "reason": {**reason, "uri": at(TRUST, "3krp", "app.bsky.feed.repost")},
    }
    without = {**feed_item("3kone", WARD), "reason": reason}
    posts = read_bluesky_exports(
        [write_documents(tmp_path / "p.jsonl", feed_page(with_uri), feed_page(without))]
    ).posts
    assert posts["post_id"].tolist() == [pid(TRUST, "3krp", "app.bsky.feed.repost")]
    alone = read_bluesky_exports([write_documents(tmp_path / "q.jsonl", feed_page(without))]).posts
    assert alone["post_id"].tolist() == [f"bluesky:repost:{TRUST}:{at(WARD, '3kone')}"]
