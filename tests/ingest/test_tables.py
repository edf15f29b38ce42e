"""The frame builders of src/ingest/tables.py give what the plain pandas code gives.

The builders take shortcuts to build the tables of a million posts quickly: column
builders that skip pandas' value-by-value inference, Arrow sorting, and joining
canonical tables instead of rebuilding them. Each is compared here, on generated values,
with the code it stands in for (kept below as ``_reference_*``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from src.ingest import tables
from src.ingest.tables import (
    INTERACTION_COLUMNS,
    POST_COLUMNS,
    concat_interactions,
    concat_posts,
    interactions_frame,
    posts_frame,
)
from src.ingest.x import read_x_exports
from src.schemas import UTC_TIME
from tests.ingest.helpers import SETTINGS, assert_same_frame

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


# --- the builders against it -------------------------------------------------------------

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


@pytest.mark.slow
@SETTINGS
@given(rows=st.lists(_POST, max_size=12, unique_by=lambda r: r["post_id"]))
def test_posts_frame_from_columns_matches_the_plain_build(rows: list[dict[str, Any]]) -> None:
    assert_same_frame(posts_frame(_columns(rows)), _reference_posts_frame(_columns(rows)))


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
    for row, value in zip(rows, values, strict=True):
        row[column] = value
    try:
        expected = _reference_posts_frame(_columns(rows))
    except (TypeError, ValueError, OverflowError) as error:
        with pytest.raises(type(error)):
            posts_frame(_columns(rows))
        return
    assert_same_frame(posts_frame(_columns(rows)), expected)


_INTERACTION = st.tuples(
    st.sampled_from(["x:1", "x:2"]),
    st.sampled_from(["x:3", "x:@bob", "x:Ω"]),
    st.sampled_from(["mention", "reply", "quote", "repost"]),
    st.sampled_from(["x:10", "x:9", "x:100"]),
    st.sampled_from([datetime(2020, 1, d, tzinfo=UTC) for d in (1, 2)]),
)


@pytest.mark.slow
@SETTINGS
@given(rows=st.lists(_INTERACTION, max_size=15))
def test_interactions_frame_matches_the_plain_build(rows: list[tuple[Any, ...]]) -> None:
    assert_same_frame(interactions_frame(rows), _reference_interactions_frame(rows))


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
    assert_same_frame(
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
        assert_same_frame(concat_posts(posts), expected)
    for interactions in ([first.interactions, second.interactions], [empty.interactions], []):
        expected = (
            interactions_frame(pd.concat(interactions, ignore_index=True).to_dict("records"))
            if interactions
            else interactions_frame([])
        )
        assert_same_frame(concat_interactions(interactions), expected)
