"""The per-platform feature table (src.features.by_platform), and the combined features of
nominees on several platforms: hand-computed cases and one property test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from src.features import build_feature_tables, build_features
from src.features.by_platform import BY_PLATFORM_COLUMNS, PER_PLATFORM
from tests.features.helpers import two_platform_tables, wide_by_platform
from tests.helpers import (
    accounts_frame,
    conversation_tables,
    event,
    metrics_frame,
    nominees_frame,
    random_world,
)


@pytest.fixture(scope="module")
def two() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    result = build_feature_tables(two_platform_tables())
    return (
        result.combined.set_index("nominee_id"),
        wide_by_platform(result.by_platform),
        result.by_platform,
    )


def test_by_platform_table_shape(two) -> None:
    combined, wide, tidy = two
    assert list(tidy.columns) == BY_PLATFORM_COLUMNS
    assert list(wide.index) == [("a", "bluesky"), ("a", "x"), ("b", "x"), ("c", "mastodon")]
    assert list(tidy["feature"].unique()) == PER_PLATFORM
    assert set(PER_PLATFORM) >= {
        "log10_followers",
        "amplification_rate",
        "engagement_per_1k_followers",
        "repost_h_index",
        "posts_per_day",
    }
    assert (tidy["year"] == 2014).all()
    assert tidy.groupby(["nominee_id", "platform"])["activity_source"].first().to_dict() == {
        ("a", "bluesky"): "posts",
        ("a", "x"): "posts",
        ("b", "x"): "posts",
        ("c", "mastodon"): "none",
    }
    assert not np.isinf(tidy["value"]).any()


def test_a_nominee_on_two_platforms_by_hand(two) -> None:
    combined, wide, _ = two
    x, sky, a = wide.loc[("a", "x")], wide.loc[("a", "bluesky")], combined.loc["a"]
    # Volume over the same 5-day window.
    assert (x["posts_per_day"], sky["posts_per_day"], a["posts_per_day"]) == pytest.approx(
        (3 / 5, 2 / 5, 5 / 5)
    )
    assert (x["own_posts_per_day"], sky["own_posts_per_day"]) == pytest.approx((2 / 5, 2 / 5))
    assert (x["repost_share"], sky["repost_share"], a["repost_share"]) == pytest.approx(
        (1 / 3, 0.0, 1 / 5)
    )
    # Reach.
    assert (x["log10_followers"], sky["log10_followers"], a["log10_followers"]) == pytest.approx(
        (math.log10(2001), math.log10(501), math.log10(2501))
    )
    assert x["listed_per_1k_followers"] == pytest.approx(5.0) and pd.isna(
        sky["listed_per_1k_followers"]
    )
    assert (
        x["followers_per_following"],
        sky["followers_per_following"],
        a["followers_per_following"],
    ) == pytest.approx((20.0, 10.0, 2500 / 150))
    # Engagement: X own posts earned 16 (reposts 4, replies 2, likes 10), Bluesky 9 (2, 1, 6).
    assert (
        x["amplification_rate"],
        sky["amplification_rate"],
        a["amplification_rate"],
    ) == pytest.approx((2.0, 1.0, 6 / 4))
    assert (
        x["conversation_rate"],
        sky["conversation_rate"],
        a["conversation_rate"],
    ) == pytest.approx((1.0, 0.5, 3 / 4))
    assert (x["applause_rate"], sky["applause_rate"], a["applause_rate"]) == pytest.approx(
        (5.0, 3.0, 4.0)
    )
    assert (
        x["engagement_per_1k_followers"],
        sky["engagement_per_1k_followers"],
        a["engagement_per_1k_followers"],
    ) == pytest.approx((16 / 2 / 2000 * 1000, 9 / 2 / 500 * 1000, 25 / 4 / 2500 * 1000))
    assert (x["repost_h_index"], sky["repost_h_index"], a["repost_h_index"]) == (
        1,
        1,
        2,
    )  # reposts 4, 0 | 2, 0 | 4, 2, 0, 0
    assert (x["like_h_index"], sky["like_h_index"], a["like_h_index"]) == (1, 1, 2)
    assert (
        x["engaged_post_share"],
        sky["engaged_post_share"],
        a["engaged_post_share"],
    ) == pytest.approx((0.5, 0.5, 0.5))
    assert (
        x["top_decile_engagement_share"],
        sky["top_decile_engagement_share"],
        a["top_decile_engagement_share"],
    ) == pytest.approx((1.0, 1.0, 16 / 25))
    assert (
        x["mentions_received_per_post"],
        sky["mentions_received_per_post"],
        a["mentions_received_per_post"],
    ) == pytest.approx((1 / 2, 2 / 2, 3 / 4))
    # Fewer than 3 nominees with own posts on a platform: no fit.
    assert wide["influence_residual"].isna().all()


def test_a_platform_without_posts(two) -> None:
    _, wide, _ = two
    c = wide.loc[("c", "mastodon")]
    assert c["posts_per_day"] == 0 and c["repost_h_index"] == 0
    assert c["log10_followers"] == pytest.approx(math.log10(41)) and c[
        "followers_per_following"
    ] == pytest.approx(10.0)
    for name in (
        "repost_share",
        "amplification_rate",
        "engagement_per_1k_followers",
        "listed_per_1k_followers",
        "top_decile_engagement_share",
    ):
        assert pd.isna(c[name]), name


# --- the combined features of nominees on several platforms --------------------------------


def test_listed_per_1k_followers_counts_only_accounts_that_report_lists(two) -> None:
    combined, _, _ = two
    # x:a: 10 lists over 2000 followers; bluesky:a reports no lists, so its 500 followers
    # stay out (it was 10 / 2500 × 1000 = 4).
    assert combined.loc["a", "listed_per_1k_followers"] == pytest.approx(5.0)


def test_followers_per_following_over_accounts_that_report_both() -> None:
    tables = two_platform_tables()
    tables["accounts"]["following"] = tables["accounts"]["following"].mask(
        tables["accounts"]["account_id"] == "bluesky:a"
    )
    a = build_features(tables).set_index("nominee_id").loc["a"]
    assert a["followers_per_following"] == pytest.approx(2000 / 100)  # was 2500 / 100


def test_engagement_per_1k_followers_leaves_out_accounts_with_unknown_followers() -> None:
    tables = two_platform_tables()
    tables["accounts"]["followers"] = tables["accounts"]["followers"].mask(
        tables["accounts"]["account_id"] == "bluesky:a"
    )
    result = build_feature_tables(tables)
    a = result.combined.set_index("nominee_id").loc["a"]
    # X alone: 16 engagements over 2 own posts, per 1,000 of 2000 followers (was 25 / 4 over 2000).
    assert a["engagement_per_1k_followers"] == pytest.approx(16 / 2 / 2000 * 1000)
    assert a["applause_rate"] == pytest.approx(4.0)  # rates per post still use every own post
    assert pd.isna(
        wide_by_platform(result.by_platform).loc[("a", "bluesky"), "engagement_per_1k_followers"]
    )


def test_a_metrics_only_nominee_has_missing_post_counts_not_zeros() -> None:
    tables = conversation_tables()
    tables["nominees"] = nominees_frame(["a", "b", "d"])
    tables["accounts"] = pd.concat(
        [tables["accounts"], accounts_frame([("x:d", "d", 150, 3)])], ignore_index=True
    )
    tables["account_metrics"] = metrics_frame(
        [("x:d", -60, -30, 100, 10, 5, 2), ("x:d", -30, 0, 150, 20, 10, 4)]
    )
    result = build_feature_tables(tables)
    d = result.combined.set_index("nominee_id").loc["d"]
    assert d["activity_source"] == "account_metrics" and d["posts_per_day"] == pytest.approx(
        30 / 60
    )
    for name in (
        "own_posts_per_day",
        "active_day_share",
        "repost_h_index",
        "like_h_index",
        "threads_started",
        "chats_hosted",
    ):
        assert pd.isna(d[name]), name  # they posted 30 times: 0 would be false
    row = wide_by_platform(result.by_platform).loc[("d", "x")]
    assert row["posts_per_day"] == pytest.approx(30 / 60) and row[
        "amplification_rate"
    ] == pytest.approx(15 / 30)
    assert pd.isna(row["own_posts_per_day"]) and pd.isna(row["repost_h_index"])
    assert (
        result.by_platform.loc[result.by_platform["nominee_id"] == "d", "activity_source"]
        .eq("account_metrics")
        .all()
    )


# --- single-platform nominees: the per-platform values are the combined ones --------------------

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@SETTINGS
@given(spec=st.lists(event, max_size=12))
def test_per_platform_values_equal_the_combined_ones_on_one_platform(spec: list[tuple]) -> None:
    result = build_feature_tables(random_world(spec))  # every nominee on X only
    combined = result.combined.set_index("nominee_id")[PER_PLATFORM]
    wide = wide_by_platform(result.by_platform).xs("x", level="platform")[PER_PLATFORM]
    pd.testing.assert_frame_equal(wide, combined, check_names=False, rtol=1e-12)
