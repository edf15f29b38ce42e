"""Helpers shared by the ingest tests: frame comparison, generated and hand-written X objects.

Tests import these from here, never from another test file.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Two ways of reading against each other: many cheap examples, as each kind of odd value
#: is one of many.
MANY = settings(SETTINGS, max_examples=1500)


def assert_same_frame(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal values, dtypes (the dtype objects, not only their names) and column order."""
    assert list(left.columns) == list(right.columns)
    assert [left[c].dtype for c in left.columns] == [right[c].dtype for c in right.columns]
    pd.testing.assert_frame_equal(left, right, check_exact=True)
    for column in left.columns:  # (assert_frame_equal lets None and NaN pass for each other)
        assert [type(v) for v in left[column]] == [type(v) for v in right[column]], column


#: Every twarc2 file in the real X API v2 fixtures (a guard test in tests/ingest/x checks
#: none is missed).
X_FIXTURE_FILES = (
    "cotweet.jsonl",
    "many_urls.jsonl",
    "media_tweet.jsonl",
    "mentions_tweet.jsonl",
    "two_tweets.jsonl",
    "users.jsonl",
)


# --- X tweet and user objects: well formed, then with odd or wrong values ------------------

DIGITS = st.text("0123456789", min_size=1, max_size=19)
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
    st.fixed_dictionaries({"id": DIGITS, "username": st.text(min_size=1, max_size=6)}),
    st.fixed_dictionaries({"id": DIGITS}),
)
_VALID_TWEET = st.fixed_dictionaries(
    {
        "id": DIGITS,
        "author_id": DIGITS,
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
                    "id": DIGITS,
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
        "in_reply_to_user_id": DIGITS,
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


def mutated(thing: dict[str, Any], mutations: list[tuple[tuple[str, ...], Any]]) -> dict[str, Any]:
    """A copy of ``thing`` with each (path to a field, value) set ("DELETE" removes it)."""
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


#: A tweet object, well formed or with up to two odd or wrong values.
TWEET = st.builds(mutated, _VALID_TWEET, st.lists(_TWEET_MUTATION, max_size=2))


_VALID_USER = st.fixed_dictionaries(
    {"id": DIGITS, "username": st.text(min_size=1, max_size=6)},
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
#: A user object, well formed or with up to two odd or wrong values.
USER = st.builds(mutated, _VALID_USER, st.lists(_USER_MUTATION, max_size=2))


# --- hand-written X pages ----------------------------------------------------------------


def x_tweet(
    tid: str,
    author: str,
    *,
    likes: int = 0,
    reposts: int = 0,
    created: str = "2014-05-01T10:00:00.000Z",
    **extra: Any,
) -> dict[str, Any]:
    """A well-formed tweet object of ``data`` (``extra`` adds or replaces fields)."""
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


def x_user(uid: str, username: str, followers: int = 10) -> dict[str, Any]:
    """A well-formed user object with public metrics."""
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


def x_page(
    data: list[dict[str, Any]], retrieved: str | None = "2014-06-02T00:00:00+00:00", **includes: Any
) -> dict[str, Any]:
    """A twarc2 response page of ``data``, with ``includes`` and ``__twarc.retrieved_at``."""
    page: dict[str, Any] = {"data": data, "includes": includes}
    if retrieved is not None:
        page["__twarc"] = {"retrieved_at": retrieved}
    return page


def write_lines(path: Path, *lines: dict[str, Any] | str | bytes) -> Path:
    """Write each line (an object as JSON, text or bytes as they are) to ``path``."""
    out = b""
    for line in lines:
        if isinstance(line, dict):
            line = json.dumps(line)
        out += (line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n"
    path.write_bytes(out)
    return path
