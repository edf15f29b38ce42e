"""Lifetime totals are snapshots, never a period's posts; tables of snapshots; per-day
averages (src/ingest/metrics: headers, reader, activity)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from src.ingest.metrics import (
    COLUMN_SYNONYMS,
    account_activity,
    rate_field,
    read_account_metrics,
)
from src.metric_activity import NO_POSTS, SINGLE_SNAPSHOT, TOTAL_FELL
from tests.ingest.metrics.helpers import set_file_time, strict_error, utc, write_csv

# --- lifetime totals --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [*COLUMN_SYNONYMS["posts_total"], "public_metrics.tweet_count", "statuses_count", "postsCount"],
)
def test_lifetime_totals_are_never_the_periods_posts(tmp_path: Path, name: str) -> None:
    path = write_csv(tmp_path, "ada,2014-05,1505", header=f"handle,month,{name}")
    row = read_account_metrics(path).iloc[0]
    assert row["posts_total"] == 1505 and pd.isna(row["posts"]), name


def test_a_single_snapshot_gives_no_posts(tmp_path: Path) -> None:
    # The real case: a profile table of one day, tweet_count 1505. Read as the posts of
    # that day it made 1,505 posts a day; it is a lifetime total, so posts are unknown.
    path = write_csv(
        tmp_path, "ada,2024-03-01,2410,1505", header="username,date,followers_count,tweet_count"
    )
    frame = read_account_metrics(path)
    activity = account_activity(frame).loc["x:@ada"]
    assert pd.isna(activity["posts"]) and pd.isna(activity["days"])
    assert activity["problem"] == SINGLE_SNAPSHOT


def test_posts_from_two_snapshots(tmp_path: Path) -> None:
    # twarc-csv's flattened users, retrieved twice: 465 − 100 = 365 posts over the 365 days
    # between the retrievals (1 January to 31 December, 10:00 UTC).
    path = write_csv(
        tmp_path,
        "ada,2024-01-01T10:00:00Z,10,100,2010-01-01",
        "ada,2024-12-31T10:00:00Z,12,465,2010-01-01",
        "bea,2024-03-01T00:00:00Z,5,1505,2011-01-01",
        "cal,2024-01-01T00:00:00Z,5,300,2011-01-01",
        "cal,2024-06-01T00:00:00Z,5,280,2011-01-01",
        header=(
            "username,__twarc.retrieved_at,public_metrics.followers_count,"
            "public_metrics.tweet_count,created_at"
        ),
    )
    frame = read_account_metrics(path)
    # A table of snapshots: each row is an instant (an empty period).
    assert (frame["period_start"] == frame["period_end"]).all()
    assert frame["period_start"].tolist()[:2] == [utc(2024, 1, 1, 10), utc(2024, 12, 31, 10)]
    activity = account_activity(frame)
    ada = activity.loc["x:@ada"]
    assert (ada["posts"], ada["days"], ada["posts_from"]) == (365.0, 365.0, "snapshots")
    assert activity.loc["x:@bea", "problem"] == SINGLE_SNAPSHOT
    assert activity.loc["x:@cal", "problem"] == TOTAL_FELL and pd.isna(
        activity.loc["x:@cal", "posts"]
    )


def test_per_period_posts_win_over_snapshots(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "ada,2024-W01,7,1000,3,1",
        "ada,2024-W02,14,1014,,2",
        "bea,2024-W01,,,5,",
        header="handle,week,posts,statuses_count,retweets received,mentions",
    )
    activity = account_activity(read_account_metrics(path))
    ada = activity.loc["x:@ada"]
    assert (ada["posts"], ada["days"], ada["posts_from"]) == (21.0, 14.0, "periods")
    # Received counts over the rows that give them and the posts: reposts week 1 only.
    assert (ada["reposts_received"], ada["posts_with_reposts"]) == (3.0, 7.0)
    assert (ada["mentions_received"], ada["posts_with_mentions"]) == (3.0, 21.0)
    assert activity.loc["x:@bea", "problem"] == NO_POSTS


def test_a_table_of_figures_without_a_date_uses_the_file_time(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "ada,10,7", header="handle,followers,statuses_count")
    set_file_time(path, utc(2024, 12, 31, 18))
    row = read_account_metrics(path).iloc[0]
    assert row["period_start"] == row["period_end"] == utc(2024, 12, 31, 18)


# --- per-day averages -------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "posts per day",
        "Posts/Day",
        "Avg Daily Posts",
        "average daily tweets",
        "daily average posts",
        "tweets_per_day",
    ],
)
def test_a_per_day_average_is_read_where_the_header_says_so(tmp_path: Path, header: str) -> None:
    assert rate_field(header) == "posts"
    path = write_csv(tmp_path, "ada,2024-W01,2.5", header=f"handle,week,{header}")
    assert read_account_metrics(path).loc[0, "posts"] == pytest.approx(2.5 * 7)


def test_other_counts_as_averages(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "ada,2024-02,1.5,0.25",
        header="handle,month,avg daily mentions,shares received per day",
    )
    row = read_account_metrics(path).iloc[0]
    assert row["mentions_received"] == pytest.approx(1.5 * 29)  # February 2024
    assert row["reposts_received"] == pytest.approx(0.25 * 29)


def test_a_decimal_in_a_count_says_how_to_convert(tmp_path: Path) -> None:
    message = strict_error(write_csv(tmp_path, "ada,2024-W01,2.5", header="handle,week,Posts"))
    assert ", line 2, field 'Posts': expected a whole number" in message
    assert "name the column 'posts per day' (or 'avg daily posts')" in message
    assert "or multiply it by the period's days" in message


@pytest.mark.parametrize("cell", ["2,5", "-1.5", "1.2.3", "n/a"])
def test_a_bad_average(tmp_path: Path, cell: str) -> None:
    message = strict_error(
        write_csv(tmp_path, f'ada,2024-W01,"{cell}"', header="handle,week,posts per day")
    )
    assert (
        f"expected a per-day average ≥ 0 written with a decimal point (e.g. 3.25), got {cell!r}"
        in (message)
    )
