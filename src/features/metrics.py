"""Features from account-level metric tables, for nominees with no posts.

A social-listening export gives per account and period: posts, mentions and reposts
received (and sent), followers, following, listed. Where a nominee has no posts in the
year's posts table, the features these figures support are filled from them under the
same names (see each feature's ``source_table`` in the dictionary):
``posts_per_day`` (posts over the days the periods cover), ``amplification_rate``
(reposts received per post), ``mentions_received_per_post``, ``platforms_used``
(platforms with posts) and ``influence_residual`` (fitted on the metric figures across
nominees). Followers, following and listed already reach the accounts table from the
latest period at ingest. Counts of post traits the tables do not hold
(:data:`src.features.dictionary.NOT_IN_METRICS`: own posts, active days, h-indices,
threads, chats) are then missing, not 0: the nominee posted. The per-platform table
does the same for each platform of a nominee that has no posts there (residual fitted
among the accounts of that platform).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.features.influence import residuals

SUMMED = ["posts", "mentions_received", "reposts_received"]


def metric_sums(metrics: pd.DataFrame | None, owner: pd.Series) -> pd.DataFrame:
    """Per nominee: posts, mentions and reposts received summed over periods, the days
    covered and platforms with posts."""
    columns = [*SUMMED, "days", "platforms"]
    if metrics is None or metrics.empty:
        return pd.DataFrame(columns=columns, dtype=float)
    frame = metrics.assign(nominee_id=metrics["account_id"].map(owner)).dropna(
        subset=["nominee_id"]
    )
    if frame.empty:
        return pd.DataFrame(columns=columns, dtype=float)
    days = (frame["period_end"] - frame["period_start"]).dt.total_seconds() / 86400
    values = frame[SUMMED].astype("Float64").astype(float)
    values["days"] = days.to_numpy()
    values["nominee_id"] = frame["nominee_id"].to_numpy()
    sums = values.groupby("nominee_id", sort=True).sum(min_count=1)
    # Days are counted once per distinct period (a nominee's accounts share periods).
    periods = frame.drop_duplicates(["nominee_id", "period_start", "period_end"])
    sums["days"] = (
        ((periods["period_end"] - periods["period_start"]).dt.total_seconds() / 86400)
        .groupby(periods["nominee_id"])
        .sum()
    )
    posted = frame[frame["posts"].fillna(0) > 0]
    sums["platforms"] = (
        posted.drop_duplicates(["nominee_id", "platform"])
        .groupby("nominee_id")
        .size()
        .reindex(sums.index, fill_value=0)
    )
    return sums


def metric_account_fit(
    metrics: pd.DataFrame | None, platform: str | None = None
) -> tuple[pd.Series, pd.Series] | None:
    """Per account of the metric table (every account, nominee or not; one platform's when
    given): posts, and reposts plus mentions received, summed over periods. The population
    :func:`metric_features` fits the influence line across when it is "all_accounts"."""
    if metrics is None or metrics.empty:
        return None
    frame = metrics if platform is None else metrics[metrics["platform"] == platform]
    values = (
        frame[["posts", "reposts_received", "mentions_received"]]
        .astype("Float64")
        .astype(float)
        .fillna(0)
    )
    sums = values.groupby(frame["account_id"].to_numpy(), sort=True).sum()
    return sums["posts"], sums["reposts_received"] + sums["mentions_received"]


def metric_features(
    sums: pd.DataFrame, fit_on: tuple[pd.Series, pd.Series] | None = None
) -> pd.DataFrame:
    """The features the metric figures support, per nominee in ``sums``; ``fit_on`` as in
    :func:`src.features.influence.residuals`."""
    posts = sums["posts"].astype(float)
    per_post = posts.where(posts > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "posts_per_day": (posts / sums["days"]).where(sums["days"] > 0),
                "amplification_rate": sums["reposts_received"] / per_post,
                "mentions_received_per_post": sums["mentions_received"] / per_post,
                "platforms_used": sums["platforms"].astype(float),
                "influence_residual": residuals(
                    posts.fillna(0),
                    sums["reposts_received"].fillna(0) + sums["mentions_received"].fillna(0),
                    fit_on,
                ),
            },
            index=sums.index,
        )
