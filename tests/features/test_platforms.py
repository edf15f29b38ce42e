"""Per-platform features, the reader of the feature step's inputs, the previous year's
inputs, and the combined features' fixes for nominees on several platforms: hand-computed
cases and one property test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from src.errors import InputError
from src.features import (
    FEATURES,
    PreviousYear,
    build_feature_tables,
    build_features,
    previous_year_inputs,
    read_feature_inputs,
    read_features,
    read_features_by_platform,
    read_previous_year,
    write_features,
)
from src.features.by_platform import BY_PLATFORM_COLUMNS, PER_PLATFORM
from src.io import write_parquet_atomic
from src.schemas import validate
from tests.helpers import (
    accounts_frame,
    conversation_tables,
    event,
    interactions_frame,
    metrics_frame,
    nominees_frame,
    post_row,
    posts_frame,
    random_world,
)


def _on(platform: str, row: dict) -> dict:
    row["platform"] = platform
    return row


def two_platform_tables() -> dict[str, pd.DataFrame]:
    """a on X (x:a) and Bluesky (bluesky:a), b on X only, c on Mastodon without posts.

    Accounts (followers, following, listed): x:a 2000, 100, 10; bluesky:a 500, 50, none
    (Bluesky reports no lists); x:b 1000, 10, 5; mastodon:c 40, 4, none.
    a on X: original day 0 (likes 10, reposts 4, replies 2), original day 2 (nothing),
       repost day 4 (its 50 reposts are the source's).
    a on Bluesky: original day 1 (likes 6, reposts 2, replies 1), reply day 3 (nothing).
    b on X: original day 0 (likes 1). Window: day 0 to day 4, 5 days.
    Mentions: anon:1 of x:a; anon:2 of bluesky:a twice. anon:9 replies to b.
    """
    posts = posts_frame(
        [
            post_row("x:1", "x:a", "original", 0, likes=10, reposts=4, replies=2),
            post_row("x:2", "x:a", "original", 2),
            post_row("x:3", "x:a", "repost", 4, reposts=50),
            _on(
                "bluesky",
                post_row("bluesky:1", "bluesky:a", "original", 1, likes=6, reposts=2, replies=1),
            ),
            _on("bluesky", post_row("bluesky:2", "bluesky:a", "reply", 3)),
            post_row("x:4", "x:b", "original", 0, likes=1),
        ]
    )
    accounts = accounts_frame(
        [
            ("x:a", "a", 2000, 10),
            ("bluesky:a", "a", 500, None),
            ("x:b", "b", 1000, 5),
            ("mastodon:c", "c", 40, None),
            ("anon:1", None, 5, 0),
            ("anon:2", None, 5, 0),
        ]
    )
    accounts["platform"] = [
        a.split(":")[0] if not a.startswith("anon:") else "x" for a in accounts["account_id"]
    ]
    accounts["following"] = pd.array([100, 50, 10, 4, 1, 1], dtype="Int64")
    interactions = interactions_frame(
        [
            ("anon:1", "x:a", "mention", "x:m1"),
            ("anon:2", "bluesky:a", "mention", "bluesky:m1"),
            ("anon:2", "bluesky:a", "mention", "bluesky:m2"),
            ("anon:9", "x:b", "reply", "x:r9"),
        ]
    )
    tables = {
        "nominees": nominees_frame(["a", "b", "c"]),
        "accounts": accounts,
        "posts": posts,
        "interactions": interactions,
    }
    for name, frame in tables.items():
        validate(frame, name, source="hand-built")
    return tables


def _wide(by_platform: pd.DataFrame) -> pd.DataFrame:
    return by_platform.pivot(index=["nominee_id", "platform"], columns="feature", values="value")


@pytest.fixture(scope="module")
def two() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    result = build_feature_tables(two_platform_tables())
    return result.combined.set_index("nominee_id"), _wide(result.by_platform), result.by_platform


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


# --- the combined features' fixes for several platforms (each failed before) ----------------------


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
    assert pd.isna(_wide(result.by_platform).loc[("a", "bluesky"), "engagement_per_1k_followers"])


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
    row = _wide(result.by_platform).loc[("d", "x")]
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


@SETTINGS
@given(spec=st.lists(event, max_size=12))
def test_per_platform_values_equal_the_combined_ones_on_one_platform(spec: list[tuple]) -> None:
    result = build_feature_tables(random_world(spec))  # every nominee on X only
    combined = result.combined.set_index("nominee_id")[PER_PLATFORM]
    wide = _wide(result.by_platform).xs("x", level="platform")[PER_PLATFORM]
    pd.testing.assert_frame_equal(wide, combined, check_names=False, rtol=1e-12)


# --- writing and reading -----------------------------------------------------------------------


def test_write_and_read_both_tables(tmp_path) -> None:
    result = build_feature_tables(two_platform_tables())
    written = write_features(result, tmp_path / "2014")
    assert set(written) == {"features", "by_platform", "dictionary"}
    pd.testing.assert_frame_equal(read_features(tmp_path / "2014"), result.combined)
    pd.testing.assert_frame_equal(read_features_by_platform(tmp_path / "2014"), result.by_platform)
    dictionary = pd.read_csv(tmp_path / "2014" / "feature_dictionary.csv")
    assert dictionary.loc[dictionary["per_platform"], "name"].tolist() == PER_PLATFORM
    assert dictionary.loc[dictionary["per_platform"], "per_platform_why"].str.len().gt(20).all()
    # The combined table alone: a per-platform table of an earlier run does not linger.
    write_features(result.combined, tmp_path / "2014")
    with pytest.raises(InputError, match="features_by_platform.parquet: not found"):
        read_features_by_platform(tmp_path / "2014")
    assert not [
        p.name for p in (tmp_path / "2014").iterdir() if p.name.startswith(".")
    ]  # no temporary files left


def test_dictionary_flags_explain_why() -> None:
    for name, spec in FEATURES.items():
        assert bool(spec.per_platform_why) == spec.per_platform, name


def _write_year(folder, tables: dict[str, pd.DataFrame]) -> None:
    for name, frame in tables.items():
        write_parquet_atomic(frame, folder / f"{name}.parquet")


def test_read_feature_inputs_gives_the_same_features(tmp_path) -> None:
    tables = two_platform_tables()
    tables["posts"] = pd.concat(
        [tables["posts"], conversation_tables()["posts"]], ignore_index=True
    )  # replies, hashtags, media
    tables["account_metrics"] = metrics_frame(
        [("x:b", -30, 0, 900, 4, 2, 1), ("x:b", 0, 30, 1000, 4, 2, 1)]
    )
    _write_year(tmp_path, tables)
    read = read_feature_inputs(tmp_path)
    assert "has_hashtag" in read["posts"] and "hashtags" not in read["posts"]
    assert list(read["interactions"].columns) == [
        "source_account_id",
        "target_account_id",
        "kind",
        "post_id",
    ]
    expected, got = build_feature_tables(tables), build_feature_tables(read)
    pd.testing.assert_frame_equal(got.combined, expected.combined)
    pd.testing.assert_frame_equal(got.by_platform, expected.by_platform)


def test_read_feature_inputs_names_the_file_and_field(tmp_path) -> None:
    tables = two_platform_tables()
    posts = tables["posts"].copy()
    posts["kind"] = posts["kind"].where(posts["post_id"] != "x:2", "boost")
    _write_year(tmp_path, {**tables, "posts": posts})
    with pytest.raises(InputError, match=r"posts.parquet, field 'kind': .*\['boost'\]"):
        read_feature_inputs(tmp_path)
    _write_year(tmp_path, {**tables, "posts": tables["posts"].astype({"likes": str})})
    with pytest.raises(InputError, match=r"posts.parquet, field 'likes': .*type"):
        read_feature_inputs(tmp_path)
    _write_year(tmp_path, tables)
    (tmp_path / "interactions.parquet").unlink()
    with pytest.raises(InputError, match="interactions.parquet: not found"):
        read_feature_inputs(tmp_path)


# --- the previous year ----------------------------------------------------------------------


def test_previous_year_inputs_and_reading_them(tmp_path) -> None:
    year, before = tmp_path / "2015", tmp_path / "2014"
    assert previous_year_inputs(year) == [before / "interactions.parquet", before / "posts.parquet"]
    assert previous_year_inputs(tmp_path / "scratch") == []
    assert read_previous_year(year) is None  # the first year: nothing before it
    tables = two_platform_tables()
    _write_year(
        before,
        {
            "interactions": interactions_frame(
                [("anon:1", "x:a", "reply", "x:old"), ("anon:9", "x:b", "reply", "x:old2")]
            )
        },
    )
    assert (
        read_previous_year(year) is None
    )  # interactions without posts: who was collected is unknown
    _write_year(before, {"posts": tables["posts"][tables["posts"]["account_id"] == "x:a"]})
    previous = read_previous_year(year)
    assert isinstance(previous, PreviousYear) and list(previous.posting_accounts) == ["x:a"]
    table = build_features(tables, previous).set_index("nominee_id")
    # a's engagers this year: anon:1 (x:a) and anon:2 (bluesky:a); anon:1 engaged last year.
    assert table.loc["a", "new_engager_share"] == pytest.approx(1 / 2)
    assert pd.isna(
        table.loc["b", "new_engager_share"]
    )  # anon:9 engaged, but b's accounts did not post last year
    assert pd.isna(table.loc["c", "new_engager_share"])  # nobody engaged with c
