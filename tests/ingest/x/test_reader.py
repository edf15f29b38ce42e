"""The X API v2 reader (src.ingest.x) on real twarc2 files and on hand-written pages.

Expected values for the real fixtures are computed here by parsing the files with
``json`` independently of the reader, so the tests follow the files, not the code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from src.errors import InputError
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
    for post_id, author in zip(posts["post_id"], posts["account_id"]):
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


# --- hand-written pages -----------------------------------------------------------------


def _tweet(
    tid: str,
    author: str,
    *,
    likes: int = 0,
    reposts: int = 0,
    created: str = "2014-05-01T10:00:00.000Z",
    **extra: Any,
) -> dict[str, Any]:
    tweet = {
        "id": tid,
        "author_id": author,
        "created_at": created,
        "text": f"tweet {tid}",
        "public_metrics": {
            "retweet_count": reposts,
            "reply_count": 0,
            "like_count": likes,
            "quote_count": 0,
        },
    }
    tweet.update(extra)
    return tweet


def _user(uid: str, username: str, followers: int = 10) -> dict[str, Any]:
    return {
        "id": uid,
        "username": username,
        "name": username.title(),
        "created_at": "2010-01-01T00:00:00.000Z",
        "public_metrics": {
            "followers_count": followers,
            "following_count": 1,
            "tweet_count": 5,
            "listed_count": 0,
        },
    }


def _page(
    data: list[dict[str, Any]], retrieved: str | None = "2014-06-02T00:00:00+00:00", **includes: Any
) -> dict[str, Any]:
    page: dict[str, Any] = {"data": data, "includes": includes}
    if retrieved is not None:
        page["__twarc"] = {"retrieved_at": retrieved}
    return page


def _write(path: Path, *lines: dict[str, Any] | str | bytes) -> Path:
    out = b""
    for line in lines:
        if isinstance(line, dict):
            line = json.dumps(line)
        out += (line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n"
    path.write_bytes(out)
    return path


@pytest.mark.parametrize("later_first", [True, False])
def test_latest_retrieved_at_wins_for_duplicated_tweet(tmp_path: Path, later_first: bool) -> None:
    early = _page(
        [_tweet("111", "1", likes=5)],
        retrieved="2014-06-01T00:00:00+00:00",
        users=[_user("1", "amy", followers=10)],
    )
    late = _page(
        [_tweet("111", "1", likes=9)],
        retrieved="2014-06-03T00:00:00+00:00",
        users=[_user("1", "amy", followers=20)],
    )
    lines = (late, early) if later_first else (early, late)
    tables = read_x_exports([_write(tmp_path / "pages.jsonl", *lines)])
    assert tables.posts["likes"].tolist() == [9]
    assert tables.accounts["followers"].tolist() == [20]


def test_latest_retrieved_at_wins_across_files(tmp_path: Path) -> None:
    # a.jsonl is read first but was retrieved later: its copy must win.
    a = _write(
        tmp_path / "a.jsonl",
        _page([_tweet("111", "1", likes=7)], retrieved="2014-06-05T00:00:00+00:00"),
    )
    b = _write(
        tmp_path / "b.jsonl",
        _page([_tweet("111", "1", likes=2)], retrieved="2014-06-01T00:00:00+00:00"),
    )
    assert read_x_exports([b, a]).posts["likes"].tolist() == [7]


def test_duplicate_with_different_metrics_and_no_retrieval_time_is_an_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "p.jsonl",
        _page([_tweet("111", "1", likes=1)]),
        _page([_tweet("111", "1", likes=3)]),
    )
    with pytest.raises(InputError) as error:
        read_x_exports([path])
    message = str(error.value)
    assert "p.jsonl, line 2, field 'data[0].public_metrics'" in message
    assert (
        "tweet 111 appears again with different public_metrics" in message
        and "p.jsonl line 1" in message
    )


def test_identical_duplicates_are_not_an_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "p.jsonl",
        _page([_tweet("111", "1", likes=2)]),
        _page([_tweet("111", "1", likes=2)]),
    )
    assert read_x_exports([path]).posts["likes"].tolist() == [2]


def test_quarantine_skips_bad_records_and_keeps_the_rest(tmp_path: Path) -> None:
    from src.ingest.quarantine import Rejects

    good = _tweet("111", "1", likes=2)
    bad_time = _tweet("112", "1", created="yesterday")
    path = _write(tmp_path / "p.jsonl", _page([good, bad_time]))
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    rejects = Rejects(strict=False)
    tables = read_x_exports([path], rejects=rejects)
    assert tables.posts["post_id"].tolist() == ["x:111"]
    rejected = rejects.frame(relative_to=str(tmp_path))
    assert rejected[["file", "record", "field"]].values.tolist() == [
        ["p.jsonl", "line 1", "data[1].created_at"],
        ["p.jsonl", "line 2", ""],
    ]
    assert rejected["reason"].str.contains("unparseable time|not valid JSON").all()


def test_reply_and_quote_kinds(tmp_path: Path) -> None:
    reply = _tweet(
        "201",
        "1",
        referenced_tweets=[{"type": "replied_to", "id": "900"}],
        in_reply_to_user_id="2",
        entities={"mentions": [{"start": 0, "end": 4, "username": "bob"}]},
        text="@bob thanks",
    )
    quote = _tweet(
        "202",
        "1",
        referenced_tweets=[{"type": "quoted", "id": "901"}],
        created="2014-05-01T11:00:00.000Z",
    )
    reply_and_quote = _tweet(
        "203",
        "1",
        referenced_tweets=[{"type": "quoted", "id": "901"}, {"type": "replied_to", "id": "902"}],
        created="2014-05-01T12:00:00.000Z",
    )
    original = _tweet("204", "1", created="2014-05-01T13:00:00.000Z")
    page = _page(
        [reply, quote, reply_and_quote, original],
        users=[_user("1", "amy"), _user("2", "bob"), _user("3", "cat")],
        tweets=[
            {"id": "900", "author_id": "2", "text": "parent"},
            {"id": "901", "author_id": "3", "text": "quoted"},
            {"id": "902", "author_id": "2", "text": "parent 2"},
        ],
    )
    tables = read_x_exports([_write(tmp_path / "p.jsonl", page)])
    posts = tables.posts.set_index("post_id")
    assert posts.loc["x:201", "kind"] == "reply"
    assert posts.loc["x:201", "referenced_post_id"] == "x:900"
    assert posts.loc["x:201", "reply_to_account_id"] == "x:2"
    assert posts.loc["x:202", "kind"] == "quote"
    assert posts.loc["x:202", "referenced_post_id"] == "x:901"
    assert pd.isna(posts.loc["x:202", "reply_to_account_id"])
    # A quote that also replies counts as a reply; without in_reply_to_user_id the
    # replied-to author comes from includes.tweets.
    assert posts.loc["x:203", "kind"] == "reply"
    assert posts.loc["x:203", "reply_to_account_id"] == "x:2"
    assert posts.loc["x:204", "kind"] == "original"
    got = sorted(
        tables.interactions[["post_id", "kind", "target_account_id"]].itertuples(
            index=False, name=None
        )
    )
    # The reply's leading @bob is the reply itself, not an extra mention.
    assert got == [("x:201", "reply", "x:2"), ("x:202", "quote", "x:3"), ("x:203", "reply", "x:2")]
    assert set(tables.interactions["source_account_id"]) == {"x:1"}


def test_unresolved_mention_keeps_username(tmp_path: Path) -> None:
    tweet = _tweet("301", "1", entities={"mentions": [{"start": 0, "end": 6, "username": "Ghost"}]})
    tables = read_x_exports([_write(tmp_path / "p.jsonl", _page([tweet]))])
    assert list(tables.posts.loc[0, "mentions"]) == ["x:@ghost"]
    assert tables.interactions["target_account_id"].tolist() == ["x:@ghost"]


def test_long_ids_stay_exact_strings(tmp_path: Path) -> None:
    long_id = "1577318900085186563"  # 19 digits: not representable as a float
    tables = read_x_exports(
        [_write(tmp_path / "p.jsonl", _page([_tweet(long_id, "1234567890123456789")]))]
    )
    assert tables.posts["post_id"].tolist() == [f"x:{long_id}"]
    assert tables.posts["account_id"].tolist() == ["x:1234567890123456789"]


# --- bad inputs: each message names the file, the line and the field -----------------


def _error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_x_exports([path])
    message = str(info.value)
    assert str(path) in message
    return message


def test_malformed_json_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.jsonl", _page([_tweet("1", "1")]), "", '{"data": [oops')
    message = _error(path)
    assert "line 3" in message  # blank lines count: it is the file's line number
    assert "not valid JSON" in message


def test_missing_required_field(tmp_path: Path) -> None:
    tweet = _tweet("1", "1")
    del tweet["created_at"]
    message = _error(_write(tmp_path / "bad.jsonl", _page([_tweet("2", "1"), tweet])))
    assert "line 1" in message
    assert "field 'data[1].created_at'" in message
    assert "missing" in message


def test_missing_public_metrics(tmp_path: Path) -> None:
    tweet = _tweet("1", "1")
    del tweet["public_metrics"]
    message = _error(_write(tmp_path / "bad.jsonl", _page([tweet])))
    assert "field 'data[0].public_metrics'" in message


def test_numeric_id_is_rejected(tmp_path: Path) -> None:
    tweet = _tweet("1", "1")
    tweet["id"] = 1577318900085186562
    message = _error(_write(tmp_path / "bad.jsonl", _page([tweet])))
    assert "line 1" in message
    assert "field 'data[0].id'" in message
    assert "string of digits" in message


def test_numeric_user_id_in_includes_is_rejected(tmp_path: Path) -> None:
    user = _user("5", "amy")
    user["id"] = 5
    message = _error(_write(tmp_path / "bad.jsonl", _page([_tweet("1", "5")], users=[user])))
    assert "field 'includes.users[0].id'" in message


def test_user_metrics_that_are_not_an_object_are_named(tmp_path: Path) -> None:
    user = _user("5", "amy")
    user["public_metrics"] = [1, 2]
    message = _error(_write(tmp_path / "bad.jsonl", _page([_tweet("1", "5")], users=[user])))
    assert (
        "field 'includes.users[0].public_metrics'" in message
        and "expected an object, got list" in message
    )


def test_impressions_that_are_not_a_count_are_named(tmp_path: Path) -> None:
    # (these reached the posts table and failed there with pandas' TypeError)
    for value in (1.5, "many", -2):
        tweet = _tweet("1", "1")
        tweet["public_metrics"]["impression_count"] = value
        message = _error(_write(tmp_path / "bad.jsonl", _page([tweet])))
        assert (
            "line 1, field 'data[0].public_metrics.impression_count'" in message
            and f"got {value!r}" in message
        )


def test_username_that_is_not_text_is_named(tmp_path: Path) -> None:
    # (this failed with an AttributeError)
    user = _user("5", "amy")
    user["username"] = 5
    message = _error(_write(tmp_path / "bad.jsonl", _page([_tweet("1", "5")], users=[user])))
    assert "field 'includes.users[0].username'" in message and "expected text, got 5" in message


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({"includes": [1]}, "includes", "expected an object, got list"),
        ({"includes": {"users": {"id": "5"}}}, "includes.users", "expected a list, got dict"),
        ({"includes": {"tweets": "x"}}, "includes.tweets", "expected a list, got str"),
        ({"includes": {"users": ["amy"]}}, "includes.users[0]", "expected an object, got str"),
        ({"includes": {"tweets": [7]}}, "includes.tweets[0]", "expected an object, got int"),
        ({"__twarc": "yesterday"}, "__twarc", "expected an object, got str"),
    ],
)
def test_expansions_and_twarc_of_the_wrong_shape_are_named(
    tmp_path: Path, change: dict, field: str, expected: str
) -> None:
    # (each of these failed with an AttributeError)
    page = {**_page([_tweet("1", "5")], users=[_user("5", "amy")]), **change}
    message = _error(_write(tmp_path / "bad.jsonl", page))
    assert f"line 1, field '{field}'" in message and expected in message


def test_negative_count_is_rejected(tmp_path: Path) -> None:
    message = _error(_write(tmp_path / "bad.jsonl", _page([_tweet("1", "1", likes=-1)])))
    assert "field 'data[0].public_metrics.like_count'" in message


def test_unparseable_date(tmp_path: Path) -> None:
    message = _error(
        _write(
            tmp_path / "bad.jsonl", _page([_tweet("1", "1"), _tweet("2", "1", created="yesterday")])
        )
    )
    assert "line 1" in message
    assert "field 'data[1].created_at'" in message
    assert "unparseable time 'yesterday'" in message


def test_date_without_time_zone(tmp_path: Path) -> None:
    message = _error(
        _write(tmp_path / "bad.jsonl", _page([_tweet("1", "1", created="2014-05-01T10:00:00")]))
    )
    assert "no time zone" in message


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    assert "is empty" in _error(path)


def test_non_utf8_bytes(tmp_path: Path) -> None:
    good = json.dumps(_page([_tweet("1", "1")])).encode()
    path = _write(tmp_path / "latin1.jsonl", good, b'{"data": [], "note": "caf' + b"\xe9" + b'"}')
    message = _error(path)
    assert "line 2" in message
    assert "not UTF-8" in message


def test_line_that_is_not_an_object(tmp_path: Path) -> None:
    message = _error(_write(tmp_path / "bad.jsonl", "[1, 2]"))
    assert "line 1" in message and "JSON object" in message


def test_page_without_data_or_errors(tmp_path: Path) -> None:
    message = _error(_write(tmp_path / "bad.jsonl", {"meta": {"result_count": 0}}))
    assert "field 'data'" in message


def test_page_of_errors_only_is_counted(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "p.jsonl",
        _page([_tweet("1", "1")]),
        {"errors": [{"title": "Not Found Error"}, {"title": "Authorization Error"}]},
    )
    tables = read_x_exports([path])
    assert tables.api_errors == 2
    assert tables.pages == 2
    assert len(tables.posts) == 1


def _write_page(tmp_path, tweet_overrides: dict, name: str = "page.jsonl"):
    import json as _json

    tweet = {
        "id": "100",
        "author_id": "7",
        "created_at": "2014-05-01T10:00:00.000Z",
        "text": "hello",
        "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0},
    }
    tweet.update(tweet_overrides)
    path = tmp_path / name
    path.write_text(_json.dumps({"data": [tweet]}) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"entities": {"mentions": [{"start": 0, "end": 3}]}}, "data[0].entities.mentions[0]"),
        ({"entities": {"mentions": ["@someone"]}}, "data[0].entities.mentions"),
        ({"in_reply_to_user_id": 12345}, "data[0].in_reply_to_user_id"),
        ({"attachments": ["3_1"]}, "data[0].attachments"),
    ],
)
def test_malformed_entities_and_reply_ids_are_named(tmp_path, overrides, field) -> None:
    path = _write_page(tmp_path, overrides)
    with pytest.raises(InputError) as error:
        read_x_exports([path])
    assert f"line 1, field '{field}'" in str(error.value)


def test_retrieval_times_in_different_notations_order_correctly(tmp_path) -> None:
    import json as _json

    def page(likes: int, retrieved: str) -> str:
        tweet = {
            "id": "100",
            "author_id": "7",
            "created_at": "2014-05-01T10:00:00.000Z",
            "text": "t",
            "public_metrics": {
                "retweet_count": 0,
                "reply_count": 0,
                "like_count": likes,
                "quote_count": 0,
            },
        }
        return _json.dumps({"data": [tweet], "__twarc": {"retrieved_at": retrieved}})

    path = tmp_path / "mixed.jsonl"
    # 11:00+01:00 is 10:00Z, earlier than 10:30Z, although it sorts later as text.
    path.write_text(
        page(9, "2014-06-01T10:30:00Z") + "\n" + page(1, "2014-06-01T11:00:00+01:00") + "\n",
        encoding="utf-8",
    )
    assert read_x_exports([path]).posts["likes"].tolist() == [9]


def _flatten_page(page: dict) -> list[dict]:
    """twarc2's ``flatten`` (twarc/expansions.py), reduced to the expansions the reader uses:
    every tweet with its author, in-reply-to user, mentioned users and referenced tweets inline."""
    includes = page.get("includes", {})
    users = {
        **{u["id"]: u for u in includes.get("users", [])},
        **{u["username"]: u for u in includes.get("users", [])},
    }
    tweets = {t["id"]: t for t in includes.get("tweets", [])}

    def expand(item):
        if isinstance(item, list):
            return [expand(i) for i in item]
        if not isinstance(item, dict):
            return item
        for key, value in list(item.items()):
            item[key] = expand(value)
        if "author_id" in item:
            item["author"] = users.get(item["author_id"], {})
        if "in_reply_to_user_id" in item:
            item["in_reply_to_user"] = users.get(item["in_reply_to_user_id"], {})
        if "mentions" in item:
            item["mentions"] = [{**m, **users.get(m["username"], {})} for m in item["mentions"]]
        if "referenced_tweets" in item:
            item["referenced_tweets"] = [
                {**r, **tweets.get(r["id"], {})} for r in item["referenced_tweets"]
            ]
        return item

    for key in list(tweets):
        tweets[key] = expand(tweets[key])
    return [
        dict(tweet, __twarc=page.get("__twarc"))
        for tweet in expand(json.loads(json.dumps(page["data"])))
    ]


@pytest.mark.parametrize(
    "name",
    [
        "two_tweets.jsonl",
        "mentions_tweet.jsonl",
        "media_tweet.jsonl",
        "cotweet.jsonl",
        "many_urls.jsonl",
    ],
)
def test_flattened_form_reads_the_same_as_response_pages(
    fixtures_dir: Path, tmp_path: Path, name: str
) -> None:
    pages = [
        json.loads(line)
        for line in (fixtures_dir / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    flat = tmp_path / name
    flat.write_text(
        "".join(json.dumps(t) + "\n" for page in pages for t in _flatten_page(page)),
        encoding="utf-8",
    )
    from_pages, from_flat = read_x_exports([fixtures_dir / name]), read_x_exports([flat])
    pd.testing.assert_frame_equal(from_pages.posts, from_flat.posts)
    pd.testing.assert_frame_equal(from_pages.interactions, from_flat.interactions)
    assert set(from_pages.accounts["account_id"]) == set(from_flat.accounts["account_id"])
