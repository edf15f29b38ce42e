"""The X API v2 reader (src.ingest.x) on every real twarc2 file of the shared fixtures.

Expected values are computed here by parsing the files with ``json`` independently of
the reader, so the tests follow the files, not the code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from src.ingest.x import read_x_exports
from tests.ingest.helpers import X_FIXTURE_FILES

# --- independent parsing of the fixtures ------------------------------------------------


def _pages(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _data_items(path: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in _pages(path):
        data = page.get("data") or []
        items.extend([data] if isinstance(data, dict) else data)
    return items


def _tweets(path: Path) -> dict[str, dict[str, Any]]:
    """Tweets in ``data``, by id (the last copy wins, as nothing here is re-retrieved)."""
    return {item["id"]: item for item in _data_items(path) if "text" in item}


def _data_users(path: Path) -> dict[str, dict[str, Any]]:
    return {
        item["id"]: item for item in _data_items(path) if "username" in item and "text" not in item
    }


def _include_users(path: Path) -> dict[str, dict[str, Any]]:
    return {
        user["id"]: user
        for page in _pages(path)
        for user in (page.get("includes") or {}).get("users") or []
    }


def _include_tweets(path: Path) -> dict[str, dict[str, Any]]:
    return {
        tweet["id"]: tweet
        for page in _pages(path)
        for tweet in (page.get("includes") or {}).get("tweets") or []
    }


# --- every real file --------------------------------------------------------------------


def test_fixture_list_covers_every_file(fixtures_dir: Path) -> None:
    assert sorted(p.name for p in fixtures_dir.glob("*.jsonl")) == sorted(X_FIXTURE_FILES)


@pytest.mark.parametrize("name", X_FIXTURE_FILES)
def test_real_file_counts_and_sums(fixtures_dir: Path, name: str) -> None:
    path = fixtures_dir / name
    tweets = _tweets(path)
    users = {**_include_users(path), **_data_users(path)}
    tables = read_x_exports([path])

    assert tables.pages == len(_pages(path))
    assert tables.api_errors == sum(len(page.get("errors") or []) for page in _pages(path))
    assert tables.files == (str(path),)

    posts = tables.posts
    assert len(posts) == len(tweets)
    assert int(posts["likes"].sum()) == sum(
        t["public_metrics"]["like_count"] for t in tweets.values()
    )
    assert int(posts["reposts"].sum()) == sum(
        t["public_metrics"]["retweet_count"] for t in tweets.values()
    )
    assert int(posts["replies"].sum()) == sum(
        t["public_metrics"]["reply_count"] for t in tweets.values()
    )
    assert int(posts["quotes"].sum()) == sum(
        t["public_metrics"]["quote_count"] for t in tweets.values()
    )

    # Ids stay the exact source strings (a float round trip would change 19-digit ids).
    assert sorted(posts["post_id"]) == sorted(f"x:{tid}" for tid in tweets)
    for post_id, author in zip(posts["post_id"], posts["account_id"], strict=True):
        assert isinstance(post_id, str) and isinstance(author, str)
        assert author == f"x:{tweets[post_id[2:]]['author_id']}"
    expected_accounts = set(users) | {t["author_id"] for t in tweets.values()}
    assert sorted(tables.accounts["account_id"]) == sorted(f"x:{uid}" for uid in expected_accounts)
    assert tables.accounts["account_id"].is_unique

    for row in tables.accounts.itertuples():
        source = users.get(row.account_id[2:])
        if source is None:
            continue
        assert row.handle == source["username"]
        metrics = source.get("public_metrics") or {}
        assert row.followers == metrics.get("followers_count")
        assert row.listed == metrics.get("listed_count")
        assert row.posts_total == metrics.get("tweet_count")
    for row in posts.itertuples():
        source = tweets[row.post_id[2:]]
        assert row.created_at == pd.Timestamp(source["created_at"])
        assert row.text == source["text"]
        assert row.has_media == bool((source.get("attachments") or {}).get("media_keys"))
        assert list(row.hashtags) == [
            tag["tag"] for tag in (source.get("entities") or {}).get("hashtags") or []
        ]


def test_all_real_files_together(fixtures_dir: Path) -> None:
    paths = [fixtures_dir / name for name in X_FIXTURE_FILES]
    tables = read_x_exports(paths)
    all_tweets: dict[str, Any] = {}
    all_users: set[str] = set()
    for path in paths:
        all_tweets.update(_tweets(path))
        all_users |= set(_include_users(path)) | set(_data_users(path))
    all_users |= {t["author_id"] for t in all_tweets.values()}
    assert tables.pages == sum(len(_pages(p)) for p in paths)
    assert len(tables.posts) == len(all_tweets)
    assert len(tables.accounts) == len(all_users)
    assert int(tables.posts["likes"].sum()) == sum(
        t["public_metrics"]["like_count"] for t in all_tweets.values()
    )
    assert tables.posts["post_id"].is_unique


def test_users_file_counts_users_and_api_errors(fixtures_dir: Path) -> None:
    path = fixtures_dir / "users.jsonl"
    page = _pages(path)[0]
    distinct = {user["id"] for user in page["data"]}
    tables = read_x_exports([path])
    assert len(tables.accounts) == len(distinct)
    assert len(distinct) < len(
        page["data"]
    )  # the file repeats some users: they collapse to one row
    assert tables.api_errors == len(page["errors"]) > 0
    assert tables.posts.empty and tables.interactions.empty
    # Pinned tweets in includes.tweets are expansions, not the user's posts.
    assert len(page["includes"]["tweets"]) > 0
    assert str(tables.accounts["followers"].dtype) == "Int64"


def test_retweet_resolves_to_repost_with_interaction(fixtures_dir: Path) -> None:
    path = fixtures_dir / "two_tweets.jsonl"
    (tweet,) = _tweets(path).values()
    (reference,) = tweet["referenced_tweets"]
    assert reference["type"] == "retweeted"
    original_author = _include_tweets(path)[reference["id"]]["author_id"]

    tables = read_x_exports([path])
    (post,) = tables.posts.to_dict("records")
    assert post["kind"] == "repost"
    assert post["referenced_post_id"] == f"x:{reference['id']}"
    assert pd.isna(post["reply_to_account_id"])
    reposts = tables.interactions[tables.interactions["kind"] == "repost"]
    assert reposts[["source_account_id", "target_account_id", "post_id"]].values.tolist() == [
        [f"x:{tweet['author_id']}", f"x:{original_author}", f"x:{tweet['id']}"]
    ]


def test_mentions_resolved_by_id_and_by_username(fixtures_dir: Path) -> None:
    # mentions_tweet.jsonl gives the mentioned id; two_tweets.jsonl gives only a username,
    # resolved through includes.users.
    for name in ("mentions_tweet.jsonl", "two_tweets.jsonl"):
        path = fixtures_dir / name
        (tweet,) = _tweets(path).values()
        by_handle = {u["username"].lower(): uid for uid, u in _include_users(path).items()}
        expected = [
            f"x:{m.get('id') or by_handle[m['username'].lower()]}"
            for m in tweet["entities"]["mentions"]
        ]
        tables = read_x_exports([path])
        (post,) = tables.posts.to_dict("records")
        assert list(post["mentions"]) == expected, name
        assert all(not m.startswith("x:@") for m in post["mentions"])
        mentions = tables.interactions[tables.interactions["kind"] == "mention"]
        assert sorted(mentions["target_account_id"]) == sorted(expected)
        assert set(mentions["source_account_id"]) == {f"x:{tweet['author_id']}"}


def test_media_detected(fixtures_dir: Path) -> None:
    media = read_x_exports([fixtures_dir / "media_tweet.jsonl"]).posts
    assert media["has_media"].tolist() == [True]
    plain = read_x_exports([fixtures_dir / "cotweet.jsonl"]).posts
    assert plain["has_media"].tolist() == [False]


def test_self_reply_is_reply_without_interaction(fixtures_dir: Path) -> None:
    path = fixtures_dir / "many_urls.jsonl"
    (tweet,) = _tweets(path).values()
    assert tweet["in_reply_to_user_id"] == tweet["author_id"]
    tables = read_x_exports([path])
    (post,) = tables.posts.to_dict("records")
    assert post["kind"] == "reply"
    assert post["reply_to_account_id"] == f"x:{tweet['author_id']}"
    assert len(post["urls"]) == len(tweet["entities"]["urls"])
    assert tables.interactions.empty  # nobody engages with themselves
