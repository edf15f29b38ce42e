"""What a metric table says each account posted, and over how many days.

A lifetime total (``posts_total``: statuses_count, tweet_count, postsCount) is a
snapshot of an account, never the posts of a period. An account's posts come:

- from the table's per-period counts (``posts``, or a per-day average times the
  period's days) where any period row gives them: their sum, over the summed days of
  those periods;
- else from the difference of two snapshots of its lifetime total: the latest minus the
  earliest, over the days between them;
- else not at all: a single snapshot, or a total that fell between snapshots (posts
  deleted), gives no posts (missing, and named in the data-quality notes).

Reposts and mentions received per post are read over the period rows that give both
the posts and that count.

A function of the canonical ``account_metrics`` table, shared by the ingest step (which
notes the accounts whose posts are unknown) and the features step (which reads the
activity), so neither step runs the other's code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Why an account's posts are unknown (``problem``).
SINGLE_SNAPSHOT = "single_snapshot"
TOTAL_FELL = "total_fell"
NO_POSTS = "no_posts"
#: Columns of :func:`account_activity`.
ACTIVITY_COLUMNS = [
    "platform",
    "posts",
    "days",
    "posts_from",
    "problem",
    "span_start",
    "span_end",
    "reposts_received",
    "posts_with_reposts",
    "mentions_received",
    "posts_with_mentions",
]
DAY_SECONDS = 86400.0


def _floats(column: pd.Series) -> pd.Series:
    return column.astype("Float64").astype(float)


def _period_sums(metrics: pd.DataFrame) -> pd.DataFrame:
    """Per account: posts and days over the period rows that give posts, and the received
    counts over the rows that give both."""
    periods = metrics[(metrics["period_end"] > metrics["period_start"])]
    posts = _floats(periods["posts"])
    known = periods[posts.notna().to_numpy()]
    posts = posts[posts.notna()]
    days = (known["period_end"] - known["period_start"]).dt.total_seconds() / DAY_SECONDS
    frame = pd.DataFrame(
        {
            "account_id": known["account_id"].to_numpy(),
            "posts": posts.to_numpy(),
            "days": days.to_numpy(),
            "span_start": known["period_start"].to_numpy(),
            "span_end": known["period_end"].to_numpy(),
        }
    )
    for name, base in (("reposts_received", "reposts"), ("mentions_received", "mentions")):
        values = _floats(known[name]).to_numpy()
        frame[name] = np.where(np.isnan(values), 0.0, values)
        frame[f"posts_with_{base}"] = np.where(np.isnan(values), 0.0, posts.to_numpy())
        frame[f"has_{base}"] = ~np.isnan(values)
    grouped = frame.groupby("account_id", sort=True)
    sums = grouped[
        ["posts", "days", "reposts_received", "posts_with_reposts", "mentions_received"]
        + ["posts_with_mentions", "has_reposts", "has_mentions"]
    ].sum()
    for base in ("reposts", "mentions"):
        # No row gives the count: it is unknown, not 0.
        sums.loc[sums[f"has_{base}"] == 0, [f"{base}_received", f"posts_with_{base}"]] = np.nan
    sums["span_start"] = grouped["span_start"].min()
    sums["span_end"] = grouped["span_end"].max()
    return sums.drop(columns=["has_reposts", "has_mentions"])


def _snapshot_sums(metrics: pd.DataFrame) -> pd.DataFrame:
    """Per account with lifetime totals: how many instants, the earliest and the latest."""
    if "posts_total" not in metrics.columns:
        return pd.DataFrame(columns=["instants", "first", "last", "span_start", "span_end"])
    points = metrics.loc[metrics["posts_total"].notna(), ["account_id", "period_end"]].assign(
        total=_floats(metrics.loc[metrics["posts_total"].notna(), "posts_total"]).to_numpy()
    )
    points = points.sort_values(["account_id", "period_end"], kind="stable")
    grouped = points.groupby("account_id", sort=True)
    return pd.DataFrame(
        {
            "instants": grouped["period_end"].nunique(),
            "first": grouped["total"].first(),
            "last": grouped["total"].last(),
            "span_start": grouped["period_end"].min(),
            "span_end": grouped["period_end"].max(),
        }
    )


def account_activity(metrics: pd.DataFrame) -> pd.DataFrame:
    """Per account of ``metrics`` (index ``account_id``): :data:`ACTIVITY_COLUMNS`.

    ``posts`` and ``days`` are missing where the posts are unknown (``problem`` says
    why); ``posts_from`` is ``periods`` or ``snapshots``.
    """
    accounts = pd.Index(sorted(pd.unique(metrics["account_id"])), name="account_id")
    out = pd.DataFrame(index=accounts, columns=ACTIVITY_COLUMNS)
    out["platform"] = metrics.groupby("account_id")["platform"].first().reindex(accounts)
    for column in ("posts", "days", *ACTIVITY_COLUMNS[7:]):
        out[column] = np.nan
    out["posts_from"] = None
    out["problem"] = None
    out["span_start"] = pd.Series(pd.NaT, index=accounts, dtype=metrics["period_start"].dtype)
    out["span_end"] = pd.Series(pd.NaT, index=accounts, dtype=metrics["period_start"].dtype)
    if metrics.empty:
        return out
    periods = _period_sums(metrics)
    snaps = _snapshot_sums(metrics)
    from_periods = periods.index
    out.loc[from_periods, periods.columns] = periods
    out.loc[from_periods, "posts_from"] = "periods"
    rest = accounts.difference(from_periods)
    single = snaps.index[snaps["instants"] == 1].intersection(rest)
    two = snaps.index[snaps["instants"] >= 2].intersection(rest)
    if len(two):
        change = snaps.loc[two, "last"] - snaps.loc[two, "first"]
        out.loc[change.index[change < 0], "problem"] = TOTAL_FELL
        rose = change.index[change >= 0]
        span = snaps.loc[rose, "span_end"] - snaps.loc[rose, "span_start"]
        out.loc[rose, "posts"] = change[rose]
        out.loc[rose, "days"] = span.dt.total_seconds() / DAY_SECONDS
        out.loc[rose, ["span_start", "span_end"]] = snaps.loc[rose, ["span_start", "span_end"]]
        out.loc[rose, "posts_from"] = "snapshots"
    out.loc[single, "problem"] = SINGLE_SNAPSHOT
    out.loc[rest.difference(two).difference(single), "problem"] = NO_POSTS
    for column in ("posts", "days", *ACTIVITY_COLUMNS[7:]):
        out[column] = out[column].astype(float)
    return out
