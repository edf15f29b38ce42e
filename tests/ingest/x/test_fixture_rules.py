"""The X counting rules on the real twarc2 recordings (``fixtures_dir``), as they are and as
real exports also arrive: an edited tweet's versions side by side, a referenced tweet
in ``data`` rather than ``includes.tweets``, pages saved as ``.json``, users without
``public_metrics``.

Expected values are counted here from the raw JSON with the standard library, never
with the reader's code.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from src.ingest.quarantine import Rejects
from src.ingest.x import read_x_exports
from tests.ingest.helpers import X_FIXTURE_FILES, assert_same_frame

TWEET_FILES = [name for name in X_FIXTURE_FILES if name != "users.jsonl"]


def _pages(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _write(path: Path, pages: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(page) + "\n" for page in pages), encoding="utf-8")
    return path


def _chain(tweet: dict[str, Any]) -> str:
    """A tweet's edit chain: the first id of its history (its own id without one)."""
    return (tweet.get("edit_history_tweet_ids") or [tweet["id"]])[0]


def _expected_engagement(pages: list[dict[str, Any]]) -> dict[str, int]:
    """Reposts and quotes of another account, counted from the raw pages: the referenced
    tweet's author from ``includes.tweets`` or from any tweet of ``data``."""
    data = [tweet for page in pages for tweet in page.get("data") or []]
    author_of = {t["id"]: t["author_id"] for t in data}
    for page in pages:
        for tweet in (page.get("includes") or {}).get("tweets") or []:
            author_of[tweet["id"]] = tweet["author_id"]
    counts = {"repost": 0, "quote": 0}
    for tweet in data:
        for reference in tweet.get("referenced_tweets") or []:
            kind = {"retweeted": "repost", "quoted": "quote"}.get(reference["type"])
            author = author_of.get(reference["id"])
            if kind and author is not None and author != tweet["author_id"]:
                counts[kind] += 1
    return counts


def _engagement(tables: Any) -> dict[str, int]:
    kinds = tables.interactions["kind"]
    return {kind: int((kinds == kind).sum()) for kind in ("repost", "quote")}


@pytest.mark.parametrize("name", TWEET_FILES)
def test_real_files_count_one_post_per_edit_chain(fixtures_dir: Path, name: str) -> None:
    pages = _pages(fixtures_dir / name)
    chains = {_chain(tweet) for page in pages for tweet in page["data"]}
    rejects = Rejects()
    tables = read_x_exports([fixtures_dir / name], rejects)
    assert sorted(tables.posts["post_id"]) == sorted(f"x:{chain}" for chain in chains)
    assert _engagement(tables) == _expected_engagement(pages)
    assert rejects.quality.records() == []  # nothing merged, skipped or missing


def test_the_edited_era_tweet_and_a_later_version_of_it_are_one_post(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    # cotweet.jsonl holds a tweet from the edit era (edit_history_tweet_ids, edit_controls).
    # Here it is edited once, as X would record it: a new id, the history naming both.
    (page,) = _pages(fixtures_dir / "cotweet.jsonl")
    (first,) = page["data"]
    second = copy.deepcopy(first)
    second["id"] = str(int(first["id"]) + 4096)
    second["text"] = first["text"] + " (edited)"
    second["created_at"] = "2022-10-04T15:35:05.000Z"
    second["public_metrics"] = {**first["public_metrics"], "like_count": 9}
    history = [first["id"], second["id"]]
    first["edit_history_tweet_ids"] = second["edit_history_tweet_ids"] = history
    edited = {**page, "data": [second, first]}
    rejects = Rejects()
    tables = read_x_exports([_write(tmp_path / "edited.jsonl", [edited])], rejects)
    (post,) = tables.posts.to_dict("records")
    assert post["post_id"] == f"x:{history[0]}"
    assert (post["text"], post["likes"]) == (second["text"], 9)
    assert post["created_at"].isoformat() == "2022-10-04T15:25:05+00:00"  # first published
    assert [(n["kind"], n["count"]) for n in rejects.quality.records()] == [
        ("edit_versions_merged", 1)
    ]


def test_a_retweet_whose_original_is_in_data_keeps_its_repost(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    # two_tweets.jsonl: a retweet, its original in includes.tweets. A search that matched
    # the original too returns it in data and leaves it out of includes.tweets.
    (page,) = _pages(fixtures_dir / "two_tweets.jsonl")
    moved = copy.deepcopy(page)
    originals = moved["includes"].pop("tweets")
    moved["data"] = [*moved["data"], *originals]
    path = _write(tmp_path / "search.jsonl", [moved])
    tables = read_x_exports([path])
    assert _engagement(tables) == _expected_engagement([moved]) == {"repost": 1, "quote": 0}
    assert len(tables.posts) == len(moved["data"])
    # And on another page (twarc2 splits results across pages and files).
    retweets = {**moved, "data": page["data"]}
    split = _write(tmp_path / "split.jsonl", [retweets, {**moved, "data": originals}])
    assert _engagement(read_x_exports([split])) == {"repost": 1, "quote": 0}


@pytest.mark.parametrize("name", X_FIXTURE_FILES)
def test_real_pages_saved_as_json_documents_read_the_same(
    fixtures_dir: Path, tmp_path: Path, name: str
) -> None:
    pages = _pages(fixtures_dir / name)
    saved = tmp_path / (Path(name).stem + ".json")
    saved.write_text(json.dumps(pages if len(pages) > 1 else pages[0], indent=2))
    from_lines, from_document = read_x_exports([fixtures_dir / name]), read_x_exports([saved])
    for table in ("accounts", "posts", "interactions"):
        assert_same_frame(getattr(from_lines, table), getattr(from_document, table))


def test_real_user_lookup_without_public_metrics(fixtures_dir: Path, tmp_path: Path) -> None:
    pages = _pages(fixtures_dir / "users.jsonl")
    for page in pages:
        for user in page["data"]:
            user.pop("public_metrics", None)
    users = {user["id"] for page in pages for user in page["data"]}
    rejects = Rejects()
    tables = read_x_exports([_write(tmp_path / "users.jsonl", pages)], rejects)
    assert len(tables.accounts) == len(users)
    assert tables.accounts["followers"].isna().all()
    (note,) = rejects.quality.records()
    assert (note["kind"], note["count"]) == ("users_without_public_metrics", len(users))
