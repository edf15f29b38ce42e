"""Volume: the "prolific" axis. How much a nominee posts, whatever it earns.

Input is the ``posts`` table restricted to nominee accounts with a ``nominee_id``
column, the key rows are grouped by: a nominee id, or in :mod:`src.features.build` an
integer code for a nominee or for a nominee on one platform (``kind`` may be text or a
categorical). :func:`post_counts` and :func:`active_days` are grouped counts over posts
(partitions of posts combine by adding counts, or by a union of distinct
(nominee, day) pairs); :func:`gap_sums` needs a nominee's posts in one partition
(partition by nominee), then its sums combine by adding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.features.arrays import group_order

DAY_NS = 86_400 * 10**9


def post_counts(posts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee: ``posts``, ``own_posts`` (not reposts), ``reposts_made``, ``replies_made``."""
    repost = (posts["kind"] == "repost").to_numpy()
    counts = pd.DataFrame(
        {
            "nominee_id": posts["nominee_id"].to_numpy(),
            "posts": 1,
            "own_posts": (~repost).astype(np.int64),
            "reposts_made": repost.astype(np.int64),
            "replies_made": (posts["kind"] == "reply").to_numpy().astype(np.int64),
        }
    )
    return counts.groupby("nominee_id", sort=True).sum()


def _ns(times: pd.Series) -> np.ndarray:
    """Nanoseconds since the epoch (UTC) of tz-aware times."""
    return pd.DatetimeIndex(times).tz_convert("UTC").as_unit("ns").asi8


def active_days(posts: pd.DataFrame) -> pd.Series:
    """Per nominee: distinct UTC calendar days with at least one post."""
    pairs = pd.DataFrame(
        {"nominee_id": posts["nominee_id"].to_numpy(), "day": _ns(posts["created_at"]) // DAY_NS}
    ).drop_duplicates()
    return pairs.groupby("nominee_id", sort=True).size().rename("active_days")


def gap_sums(posts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee: ``gaps`` (n − 1), ``gap_sum`` and ``gap_sq`` of the seconds between
    consecutive posts."""
    who, t = posts["nominee_id"].to_numpy(), _ns(posts["created_at"]) / 1e9
    order = group_order(who, t)
    who, t = who[order], t[order]
    same = np.zeros(len(t), dtype=bool)
    if len(t) > 1:
        same[1:] = who[1:] == who[:-1]
    gap = np.zeros(len(t))
    gap[1:] = np.diff(t)
    gap = np.where(same, gap, 0.0)
    sums = pd.DataFrame(
        {"nominee_id": who, "gaps": same.astype(np.int64), "gap_sum": gap, "gap_sq": gap * gap}
    )
    return sums.groupby("nominee_id", sort=True).sum()


def burstiness(sums: pd.DataFrame) -> pd.Series:
    """Goh & Barabási's B = (σ − μ)/(σ + μ) from :func:`gap_sums` (missing with fewer
    than two gaps)."""
    n = sums["gaps"].astype(float).where(sums["gaps"] >= 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sums["gap_sum"] / n
        var = (sums["gap_sq"] / n - mean * mean).clip(lower=0)
        sd = np.sqrt(var)
        # Rounding: gaps all equal give var of order 1e-9 instead of 0.
        sd = sd.where(sd > 1e-9 * mean.abs().clip(lower=1), 0.0)
        b = (sd - mean) / (sd + mean)
    return b.where((sd + mean) > 0).rename("burstiness")


def volume_features(
    counts: pd.DataFrame,
    days: float,
    active: pd.Series | None = None,
    bursts: pd.DataFrame | None = None,
    blog_cadence: pd.Series | None = None,
) -> pd.DataFrame:
    """Volume features from :func:`post_counts` over an observation window of ``days`` days.

    ``active`` (:func:`active_days`), ``bursts`` (:func:`gap_sums`) and ``blog_cadence``
    (blog posts per month, :func:`src.features.blogs.blog_features`; None when the year
    has no blog table) are indexed by nominee.
    """
    if days <= 0:
        raise ValueError(f"the observation window must be at least one day, got {days}")
    posts = counts["posts"].astype(float)
    index = counts.index
    active = (
        (active if active is not None else pd.Series(dtype=float))
        .reindex(index, fill_value=0)
        .astype(float)
    )
    if bursts is None:
        bursts = pd.DataFrame({"gaps": 0, "gap_sum": 0.0, "gap_sq": 0.0}, index=index)
    bursts = bursts.reindex(index, fill_value=0)
    blog = (
        blog_cadence.reindex(index).astype(float)
        if blog_cadence is not None
        else pd.Series(np.nan, index=index)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "posts_per_day": posts / days,
                "own_posts_per_day": counts["own_posts"] / days,
                "repost_share": (counts["reposts_made"] / posts).where(posts > 0),
                "active_day_share": (active / days).clip(upper=1.0),
                "blog_posts_per_month": blog,
                "burstiness": burstiness(bursts),
                "reply_share": (counts["replies_made"] / posts).where(posts > 0),
            },
            index=index,
        )
