"""Engagement features (src.features.engagement): the h-indices by hand and against their
definition, and counts a platform did not report (unknown, never 0)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from src.features import build_feature_tables, build_features, read_feature_inputs
from src.schemas import validate
from tests.features.helpers import write_year
from tests.helpers import (
    accounts_frame,
    event,
    interactions_frame,
    nominees_frame,
    post_row,
    posts_frame,
    random_world,
)

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_h_index_by_hand() -> None:
    # a: reposts 2, 2, 2 (h = 2: not 3 posts with 3), likes 1, 1, 0 (h = 1); b: one post
    # reposted 5 times (h = 1), never liked (h = 0).
    rows = [
        post_row(f"x:a{i}", "x:a", "original", i, likes=like, reposts=2)
        for i, like in enumerate((1, 1, 0))
    ]
    rows.append(post_row("x:b0", "x:b", "original", 0, reposts=5))
    tables = {
        "nominees": nominees_frame(["a", "b"]),
        "accounts": accounts_frame([("x:a", "a", 10, 0), ("x:b", "b", 10, 0)]),
        "posts": posts_frame(rows),
    }
    table = build_features(tables).set_index("nominee_id")
    assert table.loc["a", "repost_h_index"] == 2 and table.loc["a", "like_h_index"] == 1
    assert table.loc["b", "repost_h_index"] == 1 and table.loc["b", "like_h_index"] == 0


def _h_index(values: list[int]) -> int:
    """The definition: the largest h with at least h values of at least h."""
    return max([h for h in range(len(values) + 1) if sum(v >= h for v in values) >= h])


@pytest.mark.slow
@SETTINGS
@given(spec=st.lists(event, max_size=12))
def test_h_index_matches_its_definition(spec: list[tuple]) -> None:
    tables = random_world(spec)
    table = build_features(tables).set_index("nominee_id")
    posts = tables["posts"]
    for who in table.index:
        own = posts[(posts["account_id"] == f"x:{who}") & (posts["kind"] != "repost")]
        assert table.loc[who, "repost_h_index"] == _h_index(own["reposts"].tolist()), who
        assert table.loc[who, "like_h_index"] == _h_index(own["likes"].tolist()), who


# --- counts a platform did not report are unknown, never 0 --------------------------------


def _with_missing(rows: list[dict], missing: dict[str, list[str]]) -> pd.DataFrame:
    """``posts_frame(rows)`` with the counts named in ``missing`` (column -> post ids) unknown,
    as the ingest writes them (nullable Int64)."""
    posts = posts_frame(rows)
    for column, ids in missing.items():
        values = posts[column].astype("Int64")
        posts[column] = values.mask(posts["post_id"].isin(ids))
    return validate(posts, "posts", "test")


def _unknown_counts_tables() -> dict[str, pd.DataFrame]:
    # a: p1 (reposts 0, replies 4, likes 2, quotes 1) and p2 from an old server (replies and
    #    quotes unknown, likes 0). b: one post, replies unknown. c: every count known.
    #    d: two posts whose likes are unknown (reposts 3 and 1).
    rows = [
        post_row("x:a1", "x:a", "original", 0, replies=4, likes=2, quotes=1),
        post_row("x:a2", "x:a", "original", 1),
        post_row("x:b1", "x:b", "original", 0, likes=5),
        post_row("x:c1", "x:c", "original", 0, likes=3, replies=1),
        post_row("x:c2", "x:c", "original", 1, likes=1),
        post_row("x:d1", "x:d", "original", 0, reposts=3),
        post_row("x:d2", "x:d", "original", 1, reposts=1),
    ]
    missing = {
        "replies": ["x:a2", "x:b1"],
        "quotes": ["x:a2"],
        "likes": ["x:d1", "x:d2"],
    }
    ids = ["a", "b", "c", "d"]
    return {
        "nominees": nominees_frame(ids),
        "accounts": accounts_frame([(f"x:{i}", i, 1000, 0) for i in ids]),
        "posts": _with_missing(rows, missing),
        "interactions": interactions_frame([("x:b", "x:a", "mention", "x:b1")]),
    }


def test_an_unknown_count_is_left_out_not_counted_as_zero() -> None:
    table = build_features(_unknown_counts_tables()).set_index("nominee_id")
    a, b, c, d = (table.loc[who] for who in "abcd")
    assert a["conversation_rate"] == 4  # 4 replies over the 1 post whose replies are known
    assert a["applause_rate"] == 1  # likes known on both posts: 2 / 2
    assert a["engaged_post_share"] == 0.5  # a2's known counts are 0
    # Per post: reposts 0/2 + replies 4/1 + likes 2/2 + quotes 1/1 = 6, per 1,000 followers.
    assert a["engagement_per_1k_followers"] == pytest.approx(6.0)
    assert pd.isna(b["conversation_rate"]) and b["applause_rate"] == 5
    assert (c["conversation_rate"], c["applause_rate"]) == (0.5, 2)
    assert c["engagement_per_1k_followers"] == pytest.approx(2.5)
    assert pd.isna(d["like_h_index"]) and d["repost_h_index"] == 1
    assert pd.isna(d["applause_rate"]) and d["amplification_rate"] == 2


def test_unknown_counts_read_from_parquet_give_the_same_features(tmp_path: Path) -> None:
    tables = _unknown_counts_tables()
    write_year(tmp_path, tables)
    read = read_feature_inputs(tmp_path)
    assert read["posts"]["replies"].isna().sum() == 2
    pd.testing.assert_frame_equal(
        build_feature_tables(read).combined, build_feature_tables(tables).combined
    )
