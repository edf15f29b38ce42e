"""The Bluesky reader (src.ingest.bluesky) on the hand-written AT Protocol fixtures.

Counts, sums and the set of accounts are computed here from the fixture files with
``json``, independently of the reader; kinds, references and interactions are checked
against values worked out by hand from the files (see tests/ingest/data/bluesky/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from src.ingest.bluesky import read_bluesky_exports
from src.ingest.quarantine import Rejects
from src.schemas import validate
from tests.ingest.bluesky.helpers import (
    CARER,
    DATA,
    FIXTURE_FILES,
    GHOST,
    GP,
    PHARM,
    REPOST,
    STUDENT,
    TRUST,
    WARD,
    aid,
    at,
    dated_copies,
    feed_item,
    feed_page,
    fixture_documents,
    pid,
    write_documents,
)

# --- independent reading of the fixtures ------------------------------------------------


def _items(paths: list[Path]) -> list[dict[str, Any]]:
    return [
        item
        for path in sorted(paths)
        for doc in fixture_documents(path)
        for item in doc.get("feed", [])
    ]


def _is_repost(item: dict[str, Any]) -> bool:
    return (item.get("reason") or {}).get("$type") == REPOST


def _unique_items(paths: list[Path]) -> dict[Any, dict[str, Any]]:
    """Feed items by what they are (a post, or someone's repost of a post); the last copy wins."""
    unique: dict[Any, dict[str, Any]] = {}
    for item in _items(paths):
        key = (
            ("repost", item["reason"]["by"]["did"], item["post"]["uri"])
            if _is_repost(item)
            else item["post"]["uri"]
        )
        unique[key] = item
    return unique


def _profiles(paths: list[Path]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(paths):
        for doc in fixture_documents(path):
            for profile in doc.get("profiles", [doc] if "did" in doc else []):
                found[profile["did"]] = profile
    return found


def _actor_dids(node: Any, inside_generator: bool = False) -> set[str]:
    """DIDs of every object with a did and a handle (actor views) but a feed generator's creator."""
    found: set[str] = set()
    if isinstance(node, dict):
        if "did" in node and "handle" in node and not inside_generator:
            found.add(node["did"])
        generator = node.get("$type") == "app.bsky.feed.defs#generatorView"
        for key, value in node.items():
            found |= _actor_dids(value, inside_generator or (generator and key == "creator"))
    elif isinstance(node, list):
        for value in node:
            found |= _actor_dids(value, inside_generator)
    return found


def _all_paths(folder: Path) -> list[Path]:
    """Copies of the fixture files, retrieved (modified) in the order of their names."""
    return dated_copies(folder, sorted(DATA / name for name in FIXTURE_FILES))


# --- the fixture files -------------------------------------------------------------------


def test_fixture_list_covers_every_file() -> None:
    assert sorted(p.name for p in DATA.glob("*.json*")) == sorted(FIXTURE_FILES)
    assert (DATA / "README.md").is_file()


@pytest.mark.parametrize(
    "names", [[name] for name in FIXTURE_FILES] + [list(FIXTURE_FILES)], ids=[*FIXTURE_FILES, "all"]
)
def test_counts_and_sums_follow_the_files(names: list[str], tmp_path: Path) -> None:
    paths = dated_copies(tmp_path, sorted(DATA / name for name in names))
    unique = _unique_items(paths)
    originals = [item["post"] for item in unique.values() if not _is_repost(item)]
    documents = [doc for path in sorted(paths) for doc in fixture_documents(path)]
    tables = read_bluesky_exports(list(reversed(paths)))  # the order given does not matter

    assert tables.platform == "bluesky"
    assert tables.files == tuple(str(p) for p in sorted(paths))
    assert tables.records == len(documents)
    assert tables.api_errors == sum(1 for doc in documents if "error" in doc)
    posts = tables.posts
    assert len(posts) == len(unique)
    assert posts["post_id"].is_unique
    assert int(posts["likes"].sum()) == sum(p.get("likeCount", 0) for p in originals)
    assert int(posts["reposts"].sum()) == sum(p.get("repostCount", 0) for p in originals)
    assert int(posts["replies"].sum()) == sum(p.get("replyCount", 0) for p in originals)
    assert int(posts["quotes"].sum()) == sum(p.get("quoteCount", 0) for p in originals)
    assert (posts["kind"] == "repost").sum() == sum(
        1 for item in unique.values() if _is_repost(item)
    )
    assert posts["impressions"].isna().all()
    assert sorted(posts.loc[posts["kind"] != "repost", "post_id"]) == sorted(
        "bluesky:" + p["uri"] for p in originals
    )

    by_id = posts.set_index("post_id")
    for post in originals:
        row = by_id.loc["bluesky:" + post["uri"]]
        assert row["account_id"] == aid(post["author"]["did"])
        assert row["text"] == post["record"]["text"]
        assert row["created_at"] == pd.Timestamp(post["record"]["createdAt"])
        assert row["likes"] == post["likeCount"]
    for item in (i for i in unique.values() if _is_repost(i)):
        reason = item["reason"]
        row = posts[
            (posts["kind"] == "repost")
            & (posts["referenced_post_id"] == "bluesky:" + item["post"]["uri"])
            & (posts["account_id"] == aid(reason["by"]["did"]))
        ]
        assert len(row) == 1
        assert row["created_at"].iloc[0] == pd.Timestamp(reason["indexedAt"])

    expected_accounts = set(_profiles(paths)) | _actor_dids(documents)
    assert sorted(tables.accounts["account_id"]) == sorted(aid(d) for d in expected_accounts)
    assert set(posts["account_id"]) <= set(tables.accounts["account_id"])

    validate(
        posts, "posts", "bluesky fixtures"
    )  # profile-only files give empty frames: they validate too
    validate(tables.interactions, "interactions", "bluesky fixtures")
    validate(
        tables.accounts.assign(is_nominee=False, nominee_id=None), "accounts", "bluesky fixtures"
    )


def test_profiles_give_account_fields_and_the_latest_copy_wins(tmp_path: Path) -> None:
    profiles = _profiles(_all_paths(tmp_path))
    accounts = read_bluesky_exports(_all_paths(tmp_path)).accounts.set_index("account_id")
    for did, profile in profiles.items():
        row = accounts.loc[aid(did)]
        assert row["followers"] == profile["followersCount"]
        assert row["following"] == profile["followsCount"]
        assert row["posts_total"] == profile["postsCount"]
        assert row["name"] == profile["displayName"]
        assert row["created_at"] == pd.Timestamp(profile["createdAt"])
    # profile_single.jsonl (older copy, 1100) sorts before profiles.json (1200).
    assert accounts.loc[aid(WARD), "followers"] == 1200
    assert (
        accounts.loc[aid(WARD), "description"] == "Ward sister, simulated for tests.\nViews my own."
    )
    assert accounts.loc[aid(WARD), "handle"] == "wardsister.example.org"
    # handle.invalid is the App View's marker for a handle that no longer verifies.
    assert pd.isna(accounts.loc[aid(GHOST), "handle"])
    assert pd.isna(accounts.loc[aid(GHOST), "description"])  # "" is no description
    assert accounts["listed"].isna().all()  # Bluesky profiles have no lists count
    # Accounts seen only as authors inside posts: handle and name, no counts.
    assert accounts.loc[aid(GP), "handle"] == "gp.example.net"
    assert pd.isna(accounts.loc[aid(GP), "followers"])
    # A mentioned DID with no profile and a feed generator's creator are not accounts.
    assert aid(STUDENT) not in accounts.index
    assert aid("did:plc:feeds2222222222222222222") not in accounts.index


def test_profile_is_not_replaced_by_a_later_author_view(tmp_path: Path) -> None:
    profile = {
        "did": WARD,
        "handle": "wardsister.example.org",
        "followersCount": 7,
        "followsCount": 1,
        "postsCount": 2,
    }
    first = write_documents(tmp_path / "a.json", profile)
    later = write_documents(tmp_path / "b.jsonl", feed_page(feed_item("3kone", WARD)))
    accounts = read_bluesky_exports([later, first]).accounts
    assert accounts["followers"].tolist() == [7]


def test_kinds_and_references_worked_out_by_hand(tmp_path: Path) -> None:
    posts = read_bluesky_exports(_all_paths(tmp_path)).posts.set_index("post_id")
    synthetic = f"bluesky:repost:{WARD}:{at(CARER, '3kcarer000002')}"
    expected = {
        pid(WARD, "3kward0000001"): ("original", None, None),
        pid(WARD, "3kward0000002"): ("reply", pid(CARER, "3kcarer000001"), aid(CARER)),
        pid(WARD, "3kwardrp00001", "app.bsky.feed.repost"): (
            "repost",
            pid(PHARM, "3kpharm000001"),
            None,
        ),
        pid(WARD, "3kward0000004"): ("quote", pid(GP, "3kgp000000001"), None),
        pid(WARD, "3kward0000005"): ("quote", pid(TRUST, "3ktrust000009"), None),
        pid(WARD, "3kward0000006"): ("original", None, None),
        pid(WARD, "3kward0000007"): ("reply", pid(WARD, "3kward0000001"), aid(WARD)),
        synthetic: ("repost", pid(CARER, "3kcarer000002"), None),
        pid(WARD, "3kward0000010"): (
            "original",
            None,
            None,
        ),  # embeds a feed generator: not a quote
        pid(WARD, "3kward0000011"): ("original", None, None),
        pid(TRUST, "3ktrust000001"): ("original", None, None),
        pid(TRUST, "3ktrust000002"): ("reply", pid(WARD, "3kward0000001"), aid(WARD)),
        pid(TRUST, "3ktrustrp0001", "app.bsky.feed.repost"): (
            "repost",
            pid(WARD, "3kward0000004"),
            None,
        ),
        pid(TRUST, "3ktrust000004"): (
            "reply",
            "bluesky:at://gone.example.com/app.bsky.feed.post/3kgone0000001",
            None,
        ),
    }
    assert sorted(posts.index) == sorted(expected)
    for post_id, (kind, referenced, reply_to) in expected.items():
        row = posts.loc[post_id]
        assert (row["kind"], row["referenced_post_id"], row["reply_to_account_id"]) == (
            kind,
            referenced,
            reply_to,
        ), post_id


def test_interactions_worked_out_by_hand(tmp_path: Path) -> None:
    tables = read_bluesky_exports(_all_paths(tmp_path))
    got = sorted(
        tables.interactions[
            ["source_account_id", "target_account_id", "kind", "post_id"]
        ].itertuples(index=False, name=None)
    )
    expected = sorted(
        [
            (aid(WARD), aid(CARER), "mention", pid(WARD, "3kward0000001")),
            # The reply's own @carer mention is the reply itself, not a second interaction.
            (aid(WARD), aid(CARER), "reply", pid(WARD, "3kward0000002")),
            (aid(WARD), aid(PHARM), "repost", pid(WARD, "3kwardrp00001", "app.bsky.feed.repost")),
            (aid(WARD), aid(GP), "quote", pid(WARD, "3kward0000004")),
            (aid(WARD), aid(TRUST), "quote", pid(WARD, "3kward0000005")),
            (
                aid(WARD),
                aid(CARER),
                "repost",
                f"bluesky:repost:{WARD}:{at(CARER, '3kcarer000002')}",
            ),
            (aid(WARD), aid(STUDENT), "mention", pid(WARD, "3kward0000011")),
            (aid(TRUST), aid(WARD), "mention", pid(TRUST, "3ktrust000001")),
            (aid(TRUST), aid(WARD), "reply", pid(TRUST, "3ktrust000002")),
            (aid(TRUST), aid(WARD), "repost", pid(TRUST, "3ktrustrp0001", "app.bsky.feed.repost")),
        ]
    )
    assert got == expected  # no self-interaction for the self-reply 3kward0000007
    posts = tables.posts.set_index("post_id")
    times = dict(
        zip(tables.interactions["post_id"], tables.interactions["created_at"], strict=True)
    )
    for post_id, created in times.items():
        assert created == posts.loc[post_id, "created_at"]


def test_entities_media_language_and_times(tmp_path: Path) -> None:
    posts = read_bluesky_exports(_all_paths(tmp_path)).posts.set_index("post_id")
    first = posts.loc[pid(WARD, "3kward0000001")]
    assert list(first["hashtags"]) == ["NHS"]
    assert list(first["mentions"]) == [aid(CARER)]
    assert list(first["urls"]) == ["https://ward.example.org/blog"]
    assert first["has_media"] and first["lang"] == "en"
    # Facet tag and record.tags, without repeats; a mention of a DID with no profile.
    eleventh = posts.loc[pid(WARD, "3kward0000011")]
    assert list(eleventh["hashtags"]) == ["NHS", "nursing"]
    assert list(eleventh["mentions"]) == [aid(STUDENT)]
    # 10:00:00.123456+01:00 is 09:00:00.123456 UTC.
    assert eleventh["created_at"] == pd.Timestamp("2024-03-06T09:00:00.123456Z")
    # A link card is a URL, not media; images alongside a quote are media.
    card = posts.loc[pid(WARD, "3kward0000006")]
    assert (
        list(card["urls"]) == ["https://news.example.net/safe-staffing"] and not card["has_media"]
    )
    assert card["lang"] == "en-GB"
    assert posts.loc[pid(WARD, "3kward0000005"), "has_media"]
    assert not posts.loc[pid(WARD, "3kward0000004"), "has_media"]
    # A repost is the act of sharing: no text, language or entities of its own.
    repost = posts.loc[pid(WARD, "3kwardrp00001", "app.bsky.feed.repost")]
    assert repost["text"] is None and repost["lang"] is None and not repost["has_media"]
    assert list(repost["mentions"]) == [] and list(repost["hashtags"]) == []


def test_repost_rows_do_not_take_the_reposted_post_counts() -> None:
    items = _items([DATA / "author_feed_wardsister.jsonl"])
    (repost,) = [i for i in items if _is_repost(i) and "uri" in i["reason"]]
    assert (
        repost["post"]["likeCount"] > 0 and repost["post"]["repostCount"] > 0
    )  # the fixture credits the original
    posts = read_bluesky_exports([DATA / "author_feed_wardsister.jsonl"]).posts
    row = posts[posts["post_id"] == "bluesky:" + repost["reason"]["uri"]].iloc[0]
    assert (row["likes"], row["reposts"], row["replies"], row["quotes"]) == (0, 0, 0, 0)
    # The reposted post itself is someone else's: it is not a row of this export.
    assert "bluesky:" + repost["post"]["uri"] not in set(posts["post_id"])


def test_duplicate_post_keeps_the_copy_read_last() -> None:
    items = [
        i
        for i in _items([DATA / "author_feed_wardsister.jsonl"])
        if i["post"]["uri"] == at(WARD, "3kward0000001")
    ]
    assert [i["post"]["likeCount"] for i in items] == [20, 25]
    posts = read_bluesky_exports([DATA / "author_feed_wardsister.jsonl"]).posts.set_index("post_id")
    assert posts.loc[pid(WARD, "3kward0000001"), "likes"] == 25


def test_json_and_jsonl_read_the_same(tmp_path: Path) -> None:
    document = json.loads((DATA / "author_feed_trust.json").read_text(encoding="utf-8"))
    as_lines = write_documents(tmp_path / "author_feed_trust.jsonl", document)
    a = read_bluesky_exports([DATA / "author_feed_trust.json"])
    b = read_bluesky_exports([as_lines])
    pd.testing.assert_frame_equal(a.posts, b.posts)
    pd.testing.assert_frame_equal(a.interactions, b.interactions)
    pd.testing.assert_frame_equal(a.accounts, b.accounts)


def test_unresolved_reply_target_is_counted() -> None:
    tables = read_bluesky_exports([DATA / "author_feed_trust.json"])
    assert tables.notes["reply_targets_unresolved"] == 1
    assert (
        read_bluesky_exports([DATA / "author_feed_wardsister.jsonl"]).notes[
            "reply_targets_unresolved"
        ]
        == 0
    )


def test_counts_the_response_lacks_are_missing_not_zero() -> None:
    (item,) = [
        i for i in _items([DATA / "author_feed_trust.json"]) if "quoteCount" not in i["post"]
    ]
    rejects = Rejects()
    posts = read_bluesky_exports([DATA / "author_feed_trust.json"], rejects=rejects).posts
    row = posts.set_index("post_id").loc["bluesky:" + item["post"]["uri"]]
    assert pd.isna(row["quotes"]) and row["likes"] == item["post"]["likeCount"]
    note = rejects.quality.notes[("bluesky", "counts_missing")]
    assert note.count == 1 and "1 lack quoteCount" in note.message


def test_quarantine_skips_a_bad_item_and_keeps_the_rest(tmp_path: Path) -> None:
    bad = feed_item("3kbad", WARD)
    bad["post"]["record"]["createdAt"] = "yesterday"
    path = write_documents(tmp_path / "p.jsonl", feed_page(feed_item("3kgood", WARD), bad), "{oops")
    rejects = Rejects(strict=False)
    tables = read_bluesky_exports([path], rejects=rejects)
    assert tables.posts["post_id"].tolist() == [pid(WARD, "3kgood")]
    rejected = rejects.frame(relative_to=str(tmp_path))
    assert rejected[["file", "record", "field"]].values.tolist() == [
        ["p.jsonl", "line 1", "feed[1].post.record.createdAt"],
        ["p.jsonl", "line 2", ""],
    ]
