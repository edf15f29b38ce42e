"""The fast paths of the X reader and the frame builders give what the plain code gives.

Issue 3 made the X ingest faster with shortcuts: a fast path per tweet and per user
object that skips the per-field checks, column builders that skip pandas' value-by-value
inference, Arrow sorting, joining canonical tables instead of rebuilding them, and
per-distinct-value pseudonymisation. Each shortcut is compared here, on generated
values, with the code it stands in for (kept below as ``_reference_*``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from src.errors import InputError
from src.ingest import tables
from src.ingest.pseudonymise import pseudonym
from src.ingest.tables import (
    INTERACTION_COLUMNS,
    POST_COLUMNS,
    concat_interactions,
    concat_posts,
    interactions_frame,
    posts_frame,
)
from src.ingest.x_api import (
    _checked_tweet_row,
    _checked_user_row,
    _fast_tweet_row,
    _fast_user_row,
    _Unusual,
    read_x_exports,
)
from src.schemas import UTC_TIME

PATH = Path("page.jsonl")
SOURCE = (("2024-06-01T00:00:00.000000", 1), PATH, 1)  # (retrieval order, file, line) of a page
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: The fast paths against the checked ones: many cheap examples, as each kind of odd value is one of many.
MANY = settings(SETTINGS, max_examples=1500)

# --- the code the shortcuts stand in for ---------------------------------------------------


def _reference_posts_frame(columns: dict[str, list[Any]]) -> pd.DataFrame:
    """posts_frame of a column mapping as it was before the column shortcuts."""
    frame = pd.DataFrame(columns, columns=POST_COLUMNS)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(UTC_TIME)
    for column in ("likes", "reposts", "replies", "quotes"):
        frame[column] = frame[column].fillna(0).astype("int64")
    frame["impressions"] = pd.to_numeric(frame["impressions"], errors="coerce").astype("Int64")
    frame["has_media"] = frame["has_media"].fillna(False).astype(bool)
    return (
        tables._text_columns(frame)
        .sort_values(["created_at", "post_id"], kind="stable")
        .reset_index(drop=True)
    )


def _reference_interactions_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=INTERACTION_COLUMNS)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(UTC_TIME)
    return frame.sort_values(
        ["created_at", "post_id", "kind", "target_account_id"], kind="stable"
    ).reset_index(drop=True)


def _assert_same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal values, dtypes (the dtype objects, not only their names) and column order."""
    assert list(left.columns) == list(right.columns)
    assert [left[c].dtype for c in left.columns] == [right[c].dtype for c in right.columns]
    pd.testing.assert_frame_equal(left, right, check_exact=True)
    for column in left.columns:  # (assert_frame_equal lets None and NaN pass for each other)
        assert [type(v) for v in left[column]] == [type(v) for v in right[column]], column


# --- per tweet: the fast path returns the checked path's row, or declines ---------------------

_DIGITS = st.text("0123456789", min_size=1, max_size=19)
_BAD_ID = st.one_of(st.integers(0, 10**19), st.just(""), st.just("12a"), st.none())
_UTC = st.datetimes(datetime(2006, 1, 1), datetime(2030, 1, 1))
_TIME = st.one_of(
    _UTC.map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.000Z")),
    _UTC.map(lambda d: d.isoformat() + "+01:00"),
    _UTC.map(lambda d: d.isoformat() + "+00:00"),
)
_BAD_TIME = st.one_of(
    _UTC.map(lambda d: d.isoformat()),
    st.sampled_from(["yesterday", "", "2014-13-45T00:00:00Z"]),
    st.integers(),
)
_BAD_COUNT = st.one_of(st.integers(-3, -1), st.booleans(), st.floats(0, 5), st.just("7"), st.none())
_COUNT_KEYS = ("like_count", "retweet_count", "reply_count", "quote_count")
_MENTION = st.one_of(
    st.fixed_dictionaries({"username": st.text(min_size=1, max_size=6)}),
    st.fixed_dictionaries({"id": _DIGITS, "username": st.text(min_size=1, max_size=6)}),
    st.fixed_dictionaries({"id": _DIGITS}),
)
_VALID_TWEET = st.fixed_dictionaries(
    {
        "id": _DIGITS,
        "author_id": _DIGITS,
        "created_at": _TIME,
        "text": st.text(max_size=10),
        "public_metrics": st.fixed_dictionaries(
            {key: st.integers(0, 10**6) for key in _COUNT_KEYS},
            optional={"impression_count": st.integers(0, 10**6)},
        ),
    },
    optional={
        "referenced_tweets": st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(["retweeted", "quoted", "replied_to", "other"]),
                    "id": _DIGITS,
                }
            ),
            min_size=1,
            max_size=3,
        ),
        "entities": st.fixed_dictionaries(
            {},
            optional={
                "hashtags": st.lists(
                    st.fixed_dictionaries({}, optional={"tag": st.text(max_size=5)}), max_size=3
                ),
                "mentions": st.lists(_MENTION, max_size=3),
                "urls": st.lists(
                    st.fixed_dictionaries(
                        {},
                        optional={"url": st.text(max_size=5), "expanded_url": st.text(max_size=5)},
                    ),
                    max_size=2,
                ),
            },
        ),
        "in_reply_to_user_id": _DIGITS,
        "attachments": st.fixed_dictionaries(
            {}, optional={"media_keys": st.lists(st.text(max_size=3), max_size=2)}
        ),
        "lang": st.one_of(st.sampled_from(["en", "cy", "und"]), st.none()),
    },
)
#: One way a tweet can be odd or wrong: (path to a field, new value); "DELETE" removes it.
_TWEET_MUTATION = st.one_of(
    st.tuples(st.sampled_from([("id",), ("author_id",), ("in_reply_to_user_id",)]), _BAD_ID),
    st.tuples(st.just(("created_at",)), _BAD_TIME),
    st.tuples(st.just(("text",)), st.one_of(st.integers(), st.none())),
    *[
        st.tuples(st.just(("public_metrics", key)), st.one_of(_BAD_COUNT, st.just("DELETE")))
        for key in (*_COUNT_KEYS, "impression_count")
    ],
    st.tuples(st.just(("public_metrics",)), st.sampled_from([[1, 2], None, "DELETE"])),
    st.tuples(
        st.just(("referenced_tweets",)),
        st.sampled_from(
            [
                [{"type": "quoted"}],
                [{"type": "quoted", "id": None}],
                [{"type": "replied_to", "id": 5}],
                ["x"],
                {},
            ]
        ),
    ),
    st.tuples(
        st.just(("entities",)),
        st.sampled_from(
            [
                "not an object",
                {"mentions": ["@someone"]},
                {"mentions": [{"start": 0}]},
                {"hashtags": [{"tag": 5}]},
                {"mentions": [{"id": 12}]},
            ]
        ),
    ),
    st.tuples(st.just(("lang",)), st.sampled_from([5, ["en"]])),
)


def _mutated(thing: dict[str, Any], mutations: list[tuple[tuple[str, ...], Any]]) -> dict[str, Any]:
    thing = json.loads(json.dumps(thing))
    for path, value in mutations:
        target = thing
        for key in path[:-1]:
            if not isinstance(target.get(key), dict):
                break
            target = target[key]
        else:
            if value == "DELETE":
                target.pop(path[-1], None)
            else:
                target[path[-1]] = value
    return thing


_TWEET = st.builds(_mutated, _VALID_TWEET, st.lists(_TWEET_MUTATION, max_size=2))


def _checked_or_error(tweet: dict[str, Any]) -> Any:
    try:
        return _checked_tweet_row(tweet, SOURCE, "data[0]")
    except InputError as error:
        return error


@MANY
@given(tweet=_TWEET)
def test_fast_tweet_row_is_the_checked_row_or_declines(tweet: dict[str, Any]) -> None:
    checked = _checked_or_error(tweet)
    try:
        fast = _fast_tweet_row(tweet, SOURCE)
    except _Unusual:
        return
    assert not isinstance(checked, InputError), (
        f"fast path accepted a tweet the checked path rejects: {checked}"
    )
    assert tuple(fast) == tuple(checked)
    assert fast.created_at.utcoffset() == timedelta(0)


_VALID_USER = st.fixed_dictionaries(
    {"id": _DIGITS, "username": st.text(min_size=1, max_size=6)},
    optional={
        "name": st.text(max_size=5),
        "created_at": _TIME,
        "public_metrics": st.fixed_dictionaries(
            {},
            optional={
                key: st.integers(0, 10**6)
                for key in ("followers_count", "following_count", "listed_count", "tweet_count")
            },
        ),
    },
)
_USER_MUTATION = st.one_of(
    st.tuples(st.just(("id",)), _BAD_ID),
    st.tuples(st.just(("username",)), st.sampled_from(["", 5, None])),
    st.tuples(st.just(("created_at",)), st.one_of(_BAD_TIME, st.sampled_from([None, 0, ""]))),
    *[
        st.tuples(st.just(("public_metrics", key)), _BAD_COUNT)
        for key in ("followers_count", "following_count", "listed_count", "tweet_count")
    ],
    st.tuples(st.just(("public_metrics",)), st.sampled_from([{}, None, "DELETE"])),
)
_USER = st.builds(_mutated, _VALID_USER, st.lists(_USER_MUTATION, max_size=2))


@MANY
@given(user=_USER)
def test_fast_user_row_is_the_checked_row_or_declines(user: dict[str, Any]) -> None:
    try:
        checked: Any = _checked_user_row(user, PATH, 1, "includes.users[0]")
    except InputError as error:
        checked = error
    try:
        fast = _fast_user_row(user)
    except _Unusual:
        return
    assert not isinstance(checked, InputError), (
        f"fast path accepted a user the checked path rejects: {checked}"
    )
    assert fast == checked


# --- frame builders ---------------------------------------------------------------------------

_WHEN = st.datetimes(datetime(2020, 1, 1), datetime(2020, 1, 3), timezones=st.just(UTC))
_POST = st.fixed_dictionaries(
    {
        "post_id": st.sampled_from(["x:1", "x:2", "x:10", "x:9", "x:é", "x:Z", "x:a"]),
        "account_id": st.sampled_from(["x:7", "x:8"]),
        "platform": st.just("x"),
        "created_at": st.one_of(_WHEN, st.sampled_from([datetime(2020, 1, 2, tzinfo=UTC)])),
        "kind": st.sampled_from(["original", "reply", "quote", "repost"]),
        "text": st.text(max_size=4),
        "lang": st.one_of(st.sampled_from(["en", "cy"]), st.none()),
        "referenced_post_id": st.one_of(st.just("x:3"), st.none()),
        "reply_to_account_id": st.one_of(st.just("x:8"), st.none()),
        "likes": st.integers(0, 2**40),
        "reposts": st.integers(0, 5),
        "replies": st.integers(0, 5),
        "quotes": st.integers(0, 5),
        "impressions": st.one_of(st.integers(0, 10**9), st.none()),
        "has_media": st.booleans(),
        "hashtags": st.lists(st.text(max_size=3), max_size=2),
        "mentions": st.lists(st.just("x:8"), max_size=2),
        "urls": st.just([]),
    }
)


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {name: [row[name] for row in rows] for name in POST_COLUMNS}


@SETTINGS
@given(rows=st.lists(_POST, max_size=12, unique_by=lambda r: r["post_id"]))
def test_posts_frame_from_columns_matches_the_plain_build(rows: list[dict[str, Any]]) -> None:
    _assert_same(posts_frame(_columns(rows)), _reference_posts_frame(_columns(rows)))


@pytest.mark.parametrize(
    "column, values",
    [
        ("lang", [1, None]),  # numbers and missing values: pandas infers float64 first
        ("lang", ["en", 5]),
        ("text", ["a", float("nan")]),
        ("impressions", [2**63, None]),
        ("impressions", ["12", None]),
        ("likes", [True, 1]),
    ],
)
@pytest.mark.filterwarnings(
    "ignore:invalid value encountered in cast:RuntimeWarning"
)  # (pandas, casting 2**63)
def test_posts_frame_odd_values_are_inferred_as_before(column: str, values: list[Any]) -> None:
    rows = [
        {name: None for name in POST_COLUMNS}
        | {
            "post_id": f"x:{i}",
            "account_id": "x:1",
            "platform": "x",
            "kind": "original",
            "created_at": datetime(2020, 1, 1, tzinfo=UTC),
            "likes": 0,
            "reposts": 0,
            "replies": 0,
            "quotes": 0,
            "has_media": False,
            "hashtags": [],
            "mentions": [],
            "urls": [],
        }
        for i in range(len(values))
    ]
    for row, value in zip(rows, values):
        row[column] = value
    try:
        expected = _reference_posts_frame(_columns(rows))
    except (TypeError, ValueError, OverflowError) as error:
        with pytest.raises(type(error)):
            posts_frame(_columns(rows))
        return
    _assert_same(posts_frame(_columns(rows)), expected)


_INTERACTION = st.tuples(
    st.sampled_from(["x:1", "x:2"]),
    st.sampled_from(["x:3", "x:@bob", "x:Ω"]),
    st.sampled_from(["mention", "reply", "quote", "repost"]),
    st.sampled_from(["x:10", "x:9", "x:100"]),
    st.sampled_from([datetime(2020, 1, d, tzinfo=UTC) for d in (1, 2)]),
)


@SETTINGS
@given(rows=st.lists(_INTERACTION, max_size=15))
def test_interactions_frame_matches_the_plain_build(rows: list[tuple[Any, ...]]) -> None:
    _assert_same(interactions_frame(rows), _reference_interactions_frame(rows))


def test_arrow_sort_orders_missing_values_and_text_as_pandas() -> None:
    frame = pd.DataFrame(
        {
            "created_at": pd.Series(
                [pd.NaT, "2020-01-02", "2020-01-01", "2020-01-02", pd.NaT],
                dtype="datetime64[us, UTC]",
            ),
            "post_id": pd.Series(["b", "é", None, "Z", "a"], dtype="str"),
            "n": range(5),
        }
    )
    _assert_same(
        tables._sorted(frame, ["created_at", "post_id"]),
        frame.sort_values(["created_at", "post_id"], kind="stable").reset_index(drop=True),
    )


def test_joined_tables_match_the_rebuild(fixtures_dir: Path) -> None:
    # Canonical tables (two readers' worth) are joined; odd ones (here: an object column
    # where "str" is expected) take the old round trip through records.
    first = read_x_exports([fixtures_dir / "two_tweets.jsonl"])
    second = read_x_exports([fixtures_dir / "mentions_tweet.jsonl", fixtures_dir / "cotweet.jsonl"])
    empty = read_x_exports([fixtures_dir / "users.jsonl"])
    odd = second.posts.astype({"post_id": object})
    for posts in (
        [first.posts, second.posts],
        [first.posts, empty.posts, second.posts],
        [first.posts, odd],
        [empty.posts],
        [],
    ):
        expected = (
            posts_frame(pd.concat(posts, ignore_index=True).to_dict("records"))
            if posts
            else posts_frame([])
        )
        _assert_same(concat_posts(posts), expected)
    for interactions in ([first.interactions, second.interactions], [empty.interactions], []):
        expected = (
            interactions_frame(pd.concat(interactions, ignore_index=True).to_dict("records"))
            if interactions
            else interactions_frame([])
        )
        _assert_same(concat_interactions(interactions), expected)


def test_pseudonym_is_the_keyed_hash() -> None:
    key = b"k" * 32
    assert (
        pseudonym("x:123", key)
        == "anon:" + hmac.new(key, b"x:123", hashlib.sha256).hexdigest()[:16]
    )


# --- the reader as a whole ----------------------------------------------------------------------


def _page(data: list[dict[str, Any]], retrieved: str | None = None, **includes: Any) -> str:
    page: dict[str, Any] = {"data": data, "includes": includes}
    if retrieved:
        page["__twarc"] = {"retrieved_at": retrieved}
    return json.dumps(page)


def _tweet(tid: str, author: str, likes: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "id": tid,
        "author_id": author,
        "created_at": "2024-05-01T10:00:00.000Z",
        "text": f"t{tid}",
        "public_metrics": {
            "retweet_count": 0,
            "reply_count": 0,
            "like_count": likes,
            "quote_count": 0,
        },
        **extra,
    }


def test_engagement_resolves_names_from_users_read_later(tmp_path: Path) -> None:
    # The mention of @Bob is read before any user object named bob; the users file comes
    # later (sorted order). A reply's mention of the account replied to is the reply itself.
    (tmp_path / "a.jsonl").write_text(
        _page(
            [
                _tweet(
                    "10",
                    "1",
                    entities={
                        "mentions": [
                            {"username": "Bob"},
                            {"username": "bob"},
                            {"username": "nobody"},
                        ]
                    },
                ),
                _tweet(
                    "11",
                    "1",
                    referenced_tweets=[{"type": "replied_to", "id": "10"}],
                    in_reply_to_user_id="2",
                    entities={"mentions": [{"username": "bob", "id": "2"}]},
                ),
            ]
        )
        + "\n"
    )
    (tmp_path / "b.jsonl").write_text(_page([{"id": "2", "username": "BOB", "name": "Bob"}]) + "\n")
    result = read_x_exports([tmp_path / "b.jsonl", tmp_path / "a.jsonl"])
    assert result.posts.set_index("post_id")["mentions"].to_dict() == {
        "x:10": ["x:2", "x:@nobody"],
        "x:11": ["x:2"],
    }
    assert result.interactions[["post_id", "target_account_id", "kind"]].values.tolist() == [
        ["x:10", "x:2", "mention"],
        ["x:10", "x:@nobody", "mention"],
        ["x:11", "x:2", "reply"],
    ]
    assert sorted(result.accounts["account_id"]) == [
        "x:1",
        "x:2",
    ]  # x:1 has no user object, still an account
    assert [
        str(result.posts[c].dtype)
        for c in ("post_id", "account_id", "reply_to_account_id", "likes")
    ] == ["str", "str", "object", "int64"]


def test_latest_copy_wins_across_three_files_and_notations(tmp_path: Path) -> None:
    times = {
        "a": "2024-06-01T10:00:00Z",
        "b": "2024-06-01T11:30:00+01:00",
        "c": "2024-06-01T10:20:00.000000+00:00",
    }
    for name, likes in (("a", 1), ("b", 2), ("c", 3)):  # b is 10:30Z: the latest
        (tmp_path / f"{name}.jsonl").write_text(
            _page([_tweet("5", "1", likes=likes)], retrieved=times[name]) + "\n"
        )
    assert read_x_exports(list(tmp_path.glob("*.jsonl"))).posts["likes"].tolist() == [2]


def test_posts_sort_by_time_then_id_as_text(tmp_path: Path) -> None:
    tweets = [_tweet(tid, "1") for tid in ("9", "10", "100", "2")]
    tweets[3]["created_at"] = "2024-05-01T09:00:00.000Z"
    (tmp_path / "p.jsonl").write_text(_page(tweets) + "\n")
    assert read_x_exports([tmp_path / "p.jsonl"]).posts["post_id"].tolist() == [
        "x:2",
        "x:10",
        "x:100",
        "x:9",
    ]


def test_ids_stay_exact_text_at_full_length(tmp_path: Path) -> None:
    big = "9" * 19
    (tmp_path / "p.jsonl").write_text(
        _page(
            [_tweet(big, big, referenced_tweets=[{"type": "quoted", "id": big}])],
            tweets=[{"id": big, "author_id": "7"}],
        )
        + "\n"
    )
    result = read_x_exports([tmp_path / "p.jsonl"])
    assert result.posts[["post_id", "account_id", "referenced_post_id"]].values.tolist() == [
        [f"x:{big}"] * 3
    ]
    assert result.interactions["target_account_id"].tolist() == ["x:7"]
    assert np.all([isinstance(v, str) for v in result.posts["post_id"]])
