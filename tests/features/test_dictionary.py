"""The feature dictionary (src.features.dictionary): every feature documented, and the
values the combined table gives where a feature is undefined match what it documents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from src.features import FEATURES, build_features, feature_dictionary, features_in
from src.features.dictionary import FAMILIES, FROM_METRIC_TABLES, NOT_IN_METRICS
from tests.helpers import (
    accounts_frame,
    interactions_frame,
    nominees_frame,
    post_row,
    posts_frame,
)


def test_dictionary_documents_every_feature() -> None:
    assert len(FEATURES) >= 10
    for name, spec in FEATURES.items():
        assert spec.name == name
        assert spec.definition.strip(), name
        assert spec.unit.strip(), name
        assert spec.source.strip(), name
        assert spec.direction.strip(), name
        assert spec.when_undefined.strip(), name
        assert spec.family in FAMILIES, name
        assert spec.source_table.strip(), name
    dictionary = feature_dictionary()
    assert dictionary["name"].tolist() == list(FEATURES)
    # The volume axis: how much a nominee posts (originals per day is own_posts_per_day).
    assert set(features_in("volume")) == {
        "posts_per_day",
        "own_posts_per_day",
        "repost_share",
        "reply_share",
        "active_day_share",
        "blog_posts_per_month",
        "burstiness",
    }
    assert {FEATURES[name].family for name in FEATURES} == set(FAMILIES)
    assert features_in("volume", "engagement")[:7] == features_in("volume")


def test_dictionary_flags_explain_why() -> None:
    for name, spec in FEATURES.items():
        assert bool(spec.per_platform_why) == spec.per_platform, name


def _documented(spec_text: str, *cases: str) -> bool:
    return any(case in spec_text for case in cases)


def test_no_posts_single_post_and_no_engagement_take_their_documented_values() -> None:
    """Each feature's value for a nominee without posts (n), with a single unengaged post
    (s) and with posts nobody engaged with (q) is the 0 or the missing value its
    dictionary entry documents; never infinite."""
    rows = [
        post_row("x:s1", "x:s", "original", 0),
        post_row("x:q1", "x:q", "original", 0),
        post_row("x:q2", "x:q", "reply", 1),
        post_row("x:q3", "x:q", "repost", 2, reposts=9),
    ]
    rows += [
        post_row(f"x:e{i}", "x:e", "original", i, likes=3) for i in range(3)
    ]  # e: engaged, so the year has a graph
    interactions = interactions_frame(
        [
            ("anon:1", "x:e", "reply", "x:r1"),
            ("anon:2", "x:e", "mention", "x:m1"),
            ("anon:3", "x:e", "repost", "x:rp1"),
        ]
    )
    accounts = accounts_frame(
        [("x:n", "n", 10, 1), ("x:s", "s", 10, 1), ("x:q", "q", 10, 1), ("x:e", "e", 10, 1)]
    )
    tables = {
        "nominees": nominees_frame(["e", "n", "q", "s"]),
        "accounts": accounts,
        "posts": posts_frame(rows),
        "interactions": interactions,
    }
    table = build_features(tables).set_index("nominee_id")
    assert not np.isinf(table[list(FEATURES)].to_numpy(dtype=float)).any()
    zero_if_no_posts = ("0 when the nominee posted nothing", "0 when there are no own posts")
    zero_if_no_engagement = (
        "0 when nobody engaged",
        "0 when no other nominee engaged",
        "0 when the nominee's accounts are not in the graph",
    )
    missing_if_no_posts = (
        "missing when the nominee posted nothing",
        "missing when there are no own posts",
        "missing without own posts",
        "missing with fewer than 3 posts",
    )
    missing_if_no_engagement = (
        "missing when nobody engaged",
        "missing when the own posts earned no engagement",
        "missing when the nominee has no interactions",
    )
    checked = set()
    for name, spec in FEATURES.items():
        text = spec.when_undefined
        n = table.loc["n", name]
        if _documented(text, *zero_if_no_posts, *zero_if_no_engagement):
            assert n == 0, (name, n)
            checked.add(name)
        if _documented(text, *missing_if_no_posts, *missing_if_no_engagement) and not _documented(
            text, *zero_if_no_posts, *zero_if_no_engagement
        ):
            assert pd.isna(n), (name, n)
            checked.add(name)
        for who in ("s", "q"):  # posted, nobody engaged
            value = table.loc[who, name]
            if _documented(text, *zero_if_no_engagement):
                assert value == 0, (who, name, value)
            if _documented(text, *missing_if_no_engagement) and name != "influence_residual":
                assert pd.isna(value), (who, name, value)
    # Every feature but those undefined for other reasons (other tables, a fit, the graph)
    # is covered.
    assert set(FEATURES) - checked == {
        "blog_posts_per_month",
        "blog_comments_per_post",
        "log10_followers",
        "listed_per_1k_followers",
        "followers_per_following",
        "follower_growth",
        "new_engager_share",
    }
    s = table.loc["s"]
    assert (
        s["posts_per_day"] == pytest.approx(1 / 3)
        and pd.isna(s["burstiness"])
        and s["repost_share"] == 0
    )
    assert (
        s["amplification_rate"],
        s["applause_rate"],
        s["engaged_post_share"],
        s["repost_h_index"],
        s["like_h_index"],
    ) == (0, 0, 0, 0, 0)
    assert pd.isna(s["top_decile_engagement_share"]) and s["engagement_per_1k_followers"] == 0
    assert table.loc["q", "amplification_rate"] == 0  # the 9 reposts of its repost were not earned


def test_what_metric_tables_cannot_give_is_every_feature_of_posts_and_interactions() -> None:
    # Of a nominee known only from a metric table, every feature but these is missing:
    # what the table gives, the reach read from accounts, and the blog features.
    assert set(FEATURES) - set(NOT_IN_METRICS) == {
        *FROM_METRIC_TABLES,
        "log10_followers",
        "listed_per_1k_followers",
        "followers_per_following",
        "follower_growth",
        "blog_posts_per_month",
        "blog_comments_per_post",
    }
    for name in NOT_IN_METRICS:
        text = FEATURES[name].when_undefined
        assert "account_metrics" in text or text.startswith("missing"), name
