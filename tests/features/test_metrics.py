"""Features from account-level metric tables (src/features/metrics.py), hand-computed: a
lifetime total is never a period's posts, what the tables cannot give is missing, the
observation window is the periods' length."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from src.features import FEATURES, build_feature_tables, build_features
from src.features.dictionary import NOT_IN_METRICS, SOURCE_COLUMN
from src.features.metrics import metric_observation_days, metric_sums
from src.ingest.metrics import account_metrics_frame
from src.schemas import validate
from tests.helpers import accounts_frame, nominees_frame, post_row, posts_frame


def utc(year: int, month: int, day: int) -> pd.Timestamp:
    return pd.Timestamp(datetime(year, month, day, tzinfo=UTC))


def _row(account: str, start: pd.Timestamp, end: pd.Timestamp, **counts: float) -> dict:
    return {
        "account_id": account,
        "platform": account.split(":")[0],
        "handle": None,
        "period_start": start,
        "period_end": end,
        **counts,
    }


def _tables(*rows: dict, nominees: tuple[str, ...] = ("d",)) -> dict[str, pd.DataFrame]:
    metrics = validate(account_metrics_frame(rows), "account_metrics", source="test")
    return {
        "nominees": nominees_frame(list(nominees)),
        "accounts": accounts_frame([(f"x:{n}", n, 100, 1) for n in nominees]),
        "posts": posts_frame([]),
        "account_metrics": metrics,
    }


def test_a_single_snapshot_of_a_lifetime_total_gives_no_posts_per_day() -> None:
    # The real case: one profile snapshot, tweet_count 1505, on one day. Read as that
    # day's posts it was 1,505 posts a day; it is a lifetime total, so it is unknown.
    instant = utc(2024, 3, 1)
    tables = _tables(_row("x:d", instant, instant, followers=100, posts_total=1505))
    d = build_features(tables).set_index("nominee_id").loc["d"]
    assert d[SOURCE_COLUMN] == "account_metrics"
    assert np.isnan(d["posts_per_day"])
    # The tables say nothing of posts or of who engaged: missing, not 0.
    for name in NOT_IN_METRICS:
        assert np.isnan(d[name]), name
    assert d["log10_followers"] == pytest.approx(np.log10(101))  # from accounts


def test_posts_per_day_from_two_snapshots() -> None:
    tables = _tables(
        _row("x:d", utc(2024, 1, 1), utc(2024, 1, 1), followers=100, posts_total=1000),
        _row("x:d", utc(2024, 12, 31), utc(2024, 12, 31), followers=150, posts_total=1730),
    )
    d = build_features(tables).set_index("nominee_id").loc["d"]
    assert d["posts_per_day"] == pytest.approx(730 / 365)
    assert np.isnan(d["amplification_rate"])  # snapshots hold no reposts received
    assert np.isnan(d["influence_residual"])


def test_per_period_counts_and_rates() -> None:
    # Week 1: 7 posts, 3 reposts and 2 mentions received; week 2: 2.5 posts a day (an
    # average, 17.5 posts), 7 reposts, mentions not given.
    tables = _tables(
        _row(
            "x:d",
            utc(2024, 1, 1),
            utc(2024, 1, 8),
            posts=7,
            reposts_received=3,
            mentions_received=2,
        ),
        _row("x:d", utc(2024, 1, 8), utc(2024, 1, 15), posts=17.5, reposts_received=7),
    )
    table = build_features(tables).set_index("nominee_id")
    d = table.loc["d"]
    assert d["posts_per_day"] == pytest.approx(24.5 / 14)
    assert d["amplification_rate"] == pytest.approx(10 / 24.5)
    assert d["mentions_received_per_post"] == pytest.approx(2 / 7)  # week 1 alone
    assert d["platforms_used"] == 1
    # The observation window is the periods' length, not one day.
    assert table["observation_days"].iloc[0] == 14


def test_accounts_on_two_platforms_add_their_rates() -> None:
    sums = metric_sums(
        account_metrics_frame(
            [
                _row("x:d", utc(2024, 1, 1), utc(2024, 1, 11), posts=20),
                _row("mastodon:d", utc(2024, 1, 1), utc(2024, 1, 5), posts=2),
                _row("bluesky:d", utc(2024, 1, 1), utc(2024, 1, 1), posts_total=9),
            ]
        ),
        pd.Series({"x:d": "d", "mastodon:d": "d", "bluesky:d": "d"}),
    )
    assert sums.loc["d", "posts_per_day"] == pytest.approx(20 / 10 + 2 / 4)
    assert sums.loc["d", "platforms"] == 2  # Bluesky's posts are unknown


def test_observation_days_of_metrics_alone() -> None:
    owner = pd.Series({"x:d": "d"})
    metrics = account_metrics_frame([_row("x:d", utc(2024, 5, 4), utc(2024, 6, 1), posts=3)])
    assert metric_observation_days(metrics, owner) == 28
    assert metric_observation_days(None, owner) is None
    single = account_metrics_frame([_row("x:d", utc(2024, 5, 4), utc(2024, 5, 4), posts_total=3)])
    assert metric_observation_days(single, owner) is None


def test_per_platform_rows_of_a_metrics_only_nominee() -> None:
    instant = utc(2024, 3, 1)
    tables = _tables(_row("x:d", instant, instant, followers=100, posts_total=1505))
    wide = build_feature_tables(tables).by_platform.pivot(
        index=["nominee_id", "platform"], columns="feature", values="value"
    )
    row = wide.loc[("d", "x")]
    assert np.isnan(row["posts_per_day"]) and np.isnan(row["repost_h_index"])
    assert set(wide.columns) <= set(FEATURES)


def test_zero_posts_in_the_metric_table_agree_with_the_posts_table() -> None:
    # The year holds X posts (nominee a's); d posted nothing on X, and the metric table
    # says so too: d's zeros stand (nobody engaged), nothing is filled from the table.
    tables = _tables(
        _row("x:d", utc(2014, 5, 1), utc(2014, 5, 8), posts=0, mentions_received=0),
        nominees=("a", "d"),
    )
    tables["posts"] = posts_frame([post_row("x:p1", "x:a", "original", 0)])
    d = build_features(tables).set_index("nominee_id").loc["d"]
    assert d[SOURCE_COLUMN] == "none"
    assert (d["posts_per_day"], d["pagerank"], d["distinct_engagers"]) == (0, 0, 0)
    # With no X posts in the year at all, the same row is the nominee's only figure.
    tables["posts"] = posts_frame([])
    d = build_features(tables).set_index("nominee_id").loc["d"]
    assert d[SOURCE_COLUMN] == "account_metrics" and np.isnan(d["pagerank"])
