"""The X API v2 reader (src.ingest.x) on hand-written pages: copies, kinds, ids, flattened files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.x import read_x_exports
from tests.ingest.helpers import write_lines, x_page, x_tweet, x_user


@pytest.mark.parametrize("later_first", [True, False])
def test_latest_retrieved_at_wins_for_duplicated_tweet(tmp_path: Path, later_first: bool) -> None:
    early = x_page(
        [x_tweet("111", "1", likes=5)],
        retrieved="2014-06-01T00:00:00+00:00",
        users=[x_user("1", "amy", followers=10)],
    )
    late = x_page(
        [x_tweet("111", "1", likes=9)],
        retrieved="2014-06-03T00:00:00+00:00",
        users=[x_user("1", "amy", followers=20)],
    )
    lines = (late, early) if later_first else (early, late)
    tables = read_x_exports([write_lines(tmp_path / "pages.jsonl", *lines)])
    assert tables.posts["likes"].tolist() == [9]
    assert tables.accounts["followers"].tolist() == [20]


def test_latest_retrieved_at_wins_across_files(tmp_path: Path) -> None:
    # a.jsonl is read first but was retrieved later: its copy must win.
    a = write_lines(
        tmp_path / "a.jsonl",
        x_page([x_tweet("111", "1", likes=7)], retrieved="2014-06-05T00:00:00+00:00"),
    )
    b = write_lines(
        tmp_path / "b.jsonl",
        x_page([x_tweet("111", "1", likes=2)], retrieved="2014-06-01T00:00:00+00:00"),
    )
    assert read_x_exports([b, a]).posts["likes"].tolist() == [7]


def test_duplicate_with_different_metrics_and_no_retrieval_time_is_an_error(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "p.jsonl",
        x_page([x_tweet("111", "1", likes=1)]),
        x_page([x_tweet("111", "1", likes=3)]),
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
    path = write_lines(
        tmp_path / "p.jsonl",
        x_page([x_tweet("111", "1", likes=2)]),
        x_page([x_tweet("111", "1", likes=2)]),
    )
    assert read_x_exports([path]).posts["likes"].tolist() == [2]


def test_quarantine_skips_bad_records_and_keeps_the_rest(tmp_path: Path) -> None:

    good = x_tweet("111", "1", likes=2)
    bad_time = x_tweet("112", "1", created="yesterday")
    path = write_lines(tmp_path / "p.jsonl", x_page([good, bad_time]))
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
    reply = x_tweet(
        "201",
        "1",
        referenced_tweets=[{"type": "replied_to", "id": "900"}],
        in_reply_to_user_id="2",
        entities={"mentions": [{"start": 0, "end": 4, "username": "bob"}]},
        text="@bob thanks",
    )
    quote = x_tweet(
        "202",
        "1",
        referenced_tweets=[{"type": "quoted", "id": "901"}],
        created="2014-05-01T11:00:00.000Z",
    )
    reply_and_quote = x_tweet(
        "203",
        "1",
        referenced_tweets=[{"type": "quoted", "id": "901"}, {"type": "replied_to", "id": "902"}],
        created="2014-05-01T12:00:00.000Z",
    )
    original = x_tweet("204", "1", created="2014-05-01T13:00:00.000Z")
    page = x_page(
        [reply, quote, reply_and_quote, original],
        users=[x_user("1", "amy"), x_user("2", "bob"), x_user("3", "cat")],
        tweets=[
            {"id": "900", "author_id": "2", "text": "parent"},
            {"id": "901", "author_id": "3", "text": "quoted"},
            {"id": "902", "author_id": "2", "text": "parent 2"},
        ],
    )
    tables = read_x_exports([write_lines(tmp_path / "p.jsonl", page)])
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
    # The reply's leading @bob is the reply itself, not an extra mention. The reply that
    # also quotes keeps both interactions: a reply to x:2 and a quote of x:3.
    assert got == [
        ("x:201", "reply", "x:2"),
        ("x:202", "quote", "x:3"),
        ("x:203", "quote", "x:3"),
        ("x:203", "reply", "x:2"),
    ]
    assert set(tables.interactions["source_account_id"]) == {"x:1"}


def test_unresolved_mention_keeps_username(tmp_path: Path) -> None:
    tweet = x_tweet(
        "301", "1", entities={"mentions": [{"start": 0, "end": 6, "username": "Ghost"}]}
    )
    tables = read_x_exports([write_lines(tmp_path / "p.jsonl", x_page([tweet]))])
    assert list(tables.posts.loc[0, "mentions"]) == ["x:@ghost"]
    assert tables.interactions["target_account_id"].tolist() == ["x:@ghost"]


def test_long_ids_stay_exact_strings(tmp_path: Path) -> None:
    long_id = "1577318900085186563"  # 19 digits: not representable as a float
    tables = read_x_exports(
        [write_lines(tmp_path / "p.jsonl", x_page([x_tweet(long_id, "1234567890123456789")]))]
    )
    assert tables.posts["post_id"].tolist() == [f"x:{long_id}"]
    assert tables.posts["account_id"].tolist() == ["x:1234567890123456789"]


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
