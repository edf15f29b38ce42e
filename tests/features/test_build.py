"""Features (src.features) on tiny hand-built canonical tables, plus property tests."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from src.features import FEATURES, build_features, observation_days
from src.features.engagement import engagement_sums
from src.schemas import validate
from tests.helpers import accounts_frame, nominees_frame, post_row, posts_frame


def _tiny_tables() -> dict[str, pd.DataFrame]:
    """Two nominees with posts (a, b), one without (c), and an outsider who posts later.

    a: followers 2000, listed 10. Posts: original (likes 10, reposts 4, replies 2, quotes 1),
       reply (2, 0, 1, 0), quote (3, 1, 0, 0), repost (reposts 50: the source's count).
    b: followers 0, listed 0. Posts: original (likes 1), repost (reposts 7).
    c: followers 100, listed 3, no posts.
    Nominee posts span 2014-05-01 10:00 to 2014-05-05 23:00: 5 calendar days.
    """
    posts = posts_frame(
        [
            post_row("x:1", "x:a", "original", 0, likes=10, reposts=4, replies=2, quotes=1),
            post_row("x:2", "x:a", "reply", 1, likes=2, replies=1),
            post_row("x:3", "x:a", "quote", 2, likes=3, reposts=1),
            post_row("x:4", "x:a", "repost", 3, reposts=50),
            post_row("x:5", "x:b", "original", 0.5, likes=1),
            post_row("x:6", "x:b", "repost", 4 + 13 / 24, reposts=7),
            # An outsider's post, weeks later: neither a nominee's post nor in the window.
            post_row("x:7", "anon:0000000000000001", "original", 30, likes=999),
        ]
    )
    accounts = accounts_frame(
        [
            ("x:a", "a", 2000, 10),
            ("x:b", "b", 0, 0),
            ("x:c", "c", 100, 3),
            ("anon:0000000000000001", None, 50, 1),
        ]
    )
    tables = {"nominees": nominees_frame(["a", "b", "c"]), "accounts": accounts, "posts": posts}
    for name, frame in tables.items():
        validate(frame, name, source="hand-built")
    return tables


@pytest.fixture
def tiny() -> pd.DataFrame:
    return build_features(_tiny_tables()).set_index("nominee_id")


def test_table_shape(tiny: pd.DataFrame) -> None:
    assert list(tiny.index) == ["a", "b", "c"]
    assert list(tiny.columns[-len(FEATURES) :]) == list(FEATURES)
    assert tiny["observation_days"].tolist() == [5, 5, 5]
    assert tiny["selected"].tolist() == [True, False, True]


def test_volume_features(tiny: pd.DataFrame) -> None:
    a, b = tiny.loc["a"], tiny.loc["b"]
    assert a["posts_per_day"] == pytest.approx(4 / 5)
    assert a["own_posts_per_day"] == pytest.approx(3 / 5)
    assert a["repost_share"] == pytest.approx(1 / 4)
    assert a["reply_share"] == pytest.approx(1 / 4)
    assert b["posts_per_day"] == pytest.approx(2 / 5)
    assert b["own_posts_per_day"] == pytest.approx(1 / 5)
    assert b["repost_share"] == pytest.approx(1 / 2)
    assert b["reply_share"] == 0


def test_reach_features(tiny: pd.DataFrame) -> None:
    assert tiny.loc["a", "log10_followers"] == pytest.approx(math.log10(2001))
    assert tiny.loc["a", "listed_per_1k_followers"] == pytest.approx(5.0)
    assert tiny.loc["c", "log10_followers"] == pytest.approx(math.log10(101))
    assert tiny.loc["c", "listed_per_1k_followers"] == pytest.approx(30.0)


def test_engagement_features(tiny: pd.DataFrame) -> None:
    a = tiny.loc["a"]
    # Own posts (no reposts): reposts 4+0+1=5, replies 2+1+0=3, likes 10+2+3=15, quotes 1.
    assert a["amplification_rate"] == pytest.approx(5 / 3)
    assert a["conversation_rate"] == pytest.approx(3 / 3)
    assert a["applause_rate"] == pytest.approx(15 / 3)
    assert a["engagement_per_1k_followers"] == pytest.approx((5 + 3 + 15 + 1) / 3 / 2000 * 1000)
    b = tiny.loc["b"]
    assert b["amplification_rate"] == 0  # the 7 reposts of its repost were not earned
    assert b["conversation_rate"] == 0
    assert b["applause_rate"] == pytest.approx(1.0)


def test_zero_followers(tiny: pd.DataFrame) -> None:
    b = tiny.loc["b"]
    assert b["log10_followers"] == 0
    assert pd.isna(b["listed_per_1k_followers"])
    assert pd.isna(b["engagement_per_1k_followers"])


def test_nominee_without_posts(tiny: pd.DataFrame) -> None:
    c = tiny.loc["c"]
    assert c["posts_per_day"] == 0 and c["own_posts_per_day"] == 0
    for name in (
        "repost_share",
        "reply_share",
        "amplification_rate",
        "conversation_rate",
        "applause_rate",
        "engagement_per_1k_followers",
    ):
        assert pd.isna(c[name]), name
    values = tiny[list(FEATURES)].to_numpy(dtype=float)
    assert not np.isinf(values).any()


def test_nominee_without_account_or_followers() -> None:
    tables = _tiny_tables()
    tables["nominees"] = nominees_frame(["a", "b", "c", "d"])  # d has no account at all
    accounts = tables["accounts"].copy()
    accounts["followers"] = accounts["followers"].where(
        accounts["account_id"] != "x:a", pd.NA
    )  # unknown followers
    tables["accounts"] = accounts
    table = build_features(tables).set_index("nominee_id")
    assert pd.isna(table.loc["a", "log10_followers"]) and pd.isna(
        table.loc["a", "engagement_per_1k_followers"]
    )
    assert table.loc["a", "applause_rate"] == pytest.approx(
        5.0
    )  # rates per post do not need followers
    assert table.loc["d", "posts_per_day"] == 0 and pd.isna(table.loc["d", "log10_followers"])
    assert not np.isinf(table[list(FEATURES)].to_numpy(dtype=float)).any()


def test_followers_summed_over_a_nominees_accounts() -> None:
    tables = _tiny_tables()
    extra = accounts_frame([("x:a2", "a", 1000, 20)])
    tables["accounts"] = pd.concat([tables["accounts"], extra], ignore_index=True)
    table = build_features(tables).set_index("nominee_id")
    assert table.loc["a", "log10_followers"] == pytest.approx(math.log10(3001))
    assert table.loc["a", "listed_per_1k_followers"] == pytest.approx(30 / 3000 * 1000)


def test_no_posts_at_all() -> None:
    tables = _tiny_tables()
    tables["posts"] = tables["posts"].iloc[0:0]
    table = build_features(tables)
    assert (table["observation_days"] == 1).all()
    assert (table["posts_per_day"] == 0).all()
    assert table["applause_rate"].isna().all()


def test_observation_days() -> None:
    assert observation_days(posts_frame([])) == 1
    assert observation_days(posts_frame([post_row("1", "a", "original", 0)])) == 1
    # T0 is 10:00 UTC: 10:00 and 23:54 are one calendar day; 23:54 and 00:06 the next
    # morning, twelve minutes apart, are two.
    same_day = posts_frame(
        [post_row("1", "a", "original", 0), post_row("2", "a", "original", 13.9 / 24)]
    )
    assert observation_days(same_day) == 1
    midnight = posts_frame(
        [post_row("1", "a", "original", 13.9 / 24), post_row("2", "a", "original", 14.1 / 24)]
    )
    assert observation_days(midnight) == 2
    assert (
        observation_days(
            posts_frame([post_row("1", "a", "original", 0), post_row("2", "a", "original", 9.5)])
        )
        == 10
    )


#: Features the tiny tables cannot define: no interactions, blog or metric tables, no
#: previous year, too few nominees to fit the influence line (test_families.py covers them).
NEEDS_MORE = {
    "blog_posts_per_month",
    "blog_comments_per_post",
    "follower_growth",
    "top_decile_engagement_share",
    "outside_engager_share",
    "participation_coefficient",
    "engager_community_entropy",
    "new_engager_share",
    "reciprocity",
    "influence_residual",
}


def test_every_feature_is_built(tiny: pd.DataFrame) -> None:
    for name in FEATURES:
        assert name in tiny.columns
        if name not in NEEDS_MORE:
            # Nominee a has every feature defined (a missing value is not equal to itself).
            assert tiny.loc["a", name] == tiny.loc["a", name], name


# --- property tests ---------------------------------------------------------------------

KINDS = ("original", "reply", "repost", "quote")

post_strategy = st.tuples(
    st.sampled_from(["a", "b", "c"]),
    st.sampled_from(KINDS),
    st.floats(min_value=0, max_value=20, allow_nan=False),
    st.integers(0, 50),
    st.integers(0, 20),
    st.integers(0, 10),
    st.integers(0, 5),
)
followers_strategy = st.lists(st.one_of(st.none(), st.integers(0, 10**6)), min_size=3, max_size=3)


def _random_tables(spec: list[tuple], followers: list[int | None]) -> dict[str, pd.DataFrame]:
    posts = posts_frame(
        [
            post_row(f"x:{i}", f"x:{who}", kind, day, likes, reposts, replies, quotes)
            for i, (who, kind, day, likes, reposts, replies, quotes) in enumerate(spec)
        ]
    )
    accounts = accounts_frame(
        [(f"x:{who}", who, f, 5) for who, f in zip("abc", followers, strict=True)]
    )
    return {"nominees": nominees_frame(["a", "b", "c"]), "accounts": accounts, "posts": posts}


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    spec=st.lists(post_strategy, max_size=25),
    followers=followers_strategy,
    seed=st.integers(0, 2**32 - 1),
)
@pytest.mark.slow
def test_post_order_does_not_matter(spec: list[tuple], followers: list, seed: int) -> None:
    tables = _random_tables(spec, followers)
    shuffled = dict(tables)
    shuffled["posts"] = (
        tables["posts"]
        .sample(frac=1.0, random_state=np.random.default_rng(seed))
        .reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(build_features(tables), build_features(shuffled))


@pytest.mark.slow
@SETTINGS
@given(spec=st.lists(post_strategy, max_size=25), followers=followers_strategy)
def test_shares_in_unit_interval_and_finite(spec: list[tuple], followers: list) -> None:
    table = build_features(_random_tables(spec, followers))
    for name in ("repost_share", "reply_share"):
        values = table[name].dropna()
        assert ((values >= 0) & (values <= 1)).all(), name
    values = table[list(FEATURES)].to_numpy(dtype=float)
    assert not np.isinf(values).any()
    assert (table["observation_days"] >= 1).all()
    for name in FEATURES:
        if name not in (
            "log10_followers",
            "burstiness",
            "influence_residual",
            "follower_growth",
        ):  # may be negative
            assert (table[name].dropna() >= 0).all(), name


@SETTINGS
@given(
    spec=st.lists(post_strategy, min_size=1, max_size=25),
    followers=followers_strategy,
    kind=st.sampled_from(["original", "reply", "quote"]),
    which=st.integers(0, 10**6),
)
@pytest.mark.slow
def test_unengaged_own_post_lowers_rates_not_totals(
    spec: list[tuple], followers: list, kind: str, which: int
) -> None:
    tables = _random_tables(spec, followers)
    # The extra post is at the time of an existing post, so the window does not change.
    who, _, day, *_ = spec[which % len(spec)]
    extra = dict(tables)
    extra["posts"] = pd.concat(
        [tables["posts"], posts_frame([post_row("x:extra", f"x:{who}", kind, day)])],
        ignore_index=True,
    )
    before = build_features(tables).set_index("nominee_id")
    after = build_features(extra).set_index("nominee_id")
    assert (after["observation_days"] == before["observation_days"]).all()

    def sums(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
        posts = t["posts"].assign(nominee_id=t["posts"]["account_id"].str[2:])
        return engagement_sums(posts)

    empty = pd.Series({"reposts": 0, "replies": 0, "likes": 0, "quotes": 0, "own_posts": 0})
    totals_before = sums(tables).reindex([who]).fillna(empty).iloc[0]
    totals_after = sums(extra).loc[who]
    for column in ("reposts", "replies", "likes", "quotes"):
        assert totals_after[column] == totals_before[column], column
    assert totals_after["own_posts"] == totals_before["own_posts"] + 1
    for name in (
        "amplification_rate",
        "conversation_rate",
        "applause_rate",
        "engagement_per_1k_followers",
    ):
        old, new = before.loc[who, name], after.loc[who, name]
        if pd.isna(old):
            assert pd.isna(new) or new == 0, name
        else:
            assert new <= old + 1e-12, name
            if old > 0:
                assert new < old, name
    assert after.loc[who, "posts_per_day"] > before.loc[who, "posts_per_day"]
    # Other nominees and reach are untouched (but for the residual, fitted across all nominees).
    others = [n for n in before.index if n != who]
    keep = [c for c in before.columns if c != "influence_residual"]
    pd.testing.assert_frame_equal(before.loc[others, keep], after.loc[others, keep])
    pd.testing.assert_series_equal(before["log10_followers"], after["log10_followers"])


@SETTINGS
@given(days=st.lists(st.floats(min_value=-400, max_value=400, allow_nan=False), max_size=20))
def test_observation_days_at_least_one(days: list[float]) -> None:
    posts = posts_frame([post_row(str(i), "a", "original", d) for i, d in enumerate(days)])
    n = observation_days(posts)
    assert n >= 1
    if days:
        stamps = posts["created_at"].dt.normalize()
        assert n == (stamps.max() - stamps.min()).days + 1
