"""Features from account-level metric tables, for nominees with no posts.

A social-listening export gives per account and period: posts, mentions and reposts
received (and sent), followers, following, listed; a profile table gives snapshots of an
account, its lifetime total of posts among them. What each account posted, and over how
many days, is read by :func:`src.metric_activity.account_activity`: from per-period counts,
else from the difference of two snapshots of the lifetime total; a single snapshot, or a
total that fell, gives no posts (missing, never the lifetime total).

Where a nominee has no posts in the year's posts table but has rows in the metric table
(and the table does not merely agree with the posts: 0 posts on a platform whose posts
the year holds), the features these figures support
(:data:`~src.features.dictionary.FROM_METRIC_TABLES`) are filled from them under the same
names (see each feature's ``source_table``):

- ``posts_per_day``: each account's posts over its days, added up over the nominee's
  accounts whose posts are known; missing where none is;
- ``amplification_rate`` and ``mentions_received_per_post``: reposts (mentions) received
  per post, over the periods that give both;
- ``platforms_used``: platforms with posts in the table, plus a blog with posts;
- ``influence_residual``: fitted on the period figures across the nominees in the table.

Followers, following and listed already reach the accounts table from the latest period
at ingest. Every feature computed from posts and interactions alone
(:data:`~src.features.dictionary.NOT_IN_METRICS`: own posts, active days, h-indices,
threads, chats, the interaction graph's measures) is then missing, not 0: the nominee
posted and was engaged with, but the table holds neither the posts nor who engaged. The
per-platform table does the same for each platform of a nominee that has no posts there
(residual fitted among the accounts of that platform).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from src.features.dictionary import NOT_IN_METRICS
from src.features.influence import residuals
from src.metric_activity import account_activity
from src.schemas import PLATFORMS

#: Columns of :func:`metric_sums`.
SUM_COLUMNS = [
    "posts",
    "posts_per_day",
    "reposts_received",
    "posts_with_reposts",
    "mentions_received",
    "posts_with_mentions",
    "period_posts",
    "earned",
    "platforms",
]


def _with_owner(metrics: pd.DataFrame | None, owner: pd.Series) -> pd.DataFrame | None:
    """Each account's activity (:func:`account_activity`) with its owner's key, owned only."""
    if metrics is None or metrics.empty:
        return None
    activity = account_activity(metrics)
    activity["owner"] = activity.index.map(owner)
    activity = activity.dropna(subset=["owner"])
    return activity if len(activity) else None


def _earned(activity: pd.DataFrame) -> pd.Series:
    """Reposts plus mentions received over the period rows; missing when neither is known."""
    reposts, mentions = activity["reposts_received"], activity["mentions_received"]
    return (reposts.fillna(0) + mentions.fillna(0)).where(reposts.notna() | mentions.notna())


def metric_sums(metrics: pd.DataFrame | None, owner: pd.Series) -> pd.DataFrame:
    """Per owner (``owner`` maps ``account_id`` to a nominee, or a nominee-and-platform
    key): :data:`SUM_COLUMNS`, over the owner's accounts in the metric table.

    ``posts`` and ``posts_per_day`` are missing where no account's posts are known;
    ``period_posts`` and ``earned`` are the posts and the reposts and mentions received
    over period rows (the influence fit's figures; snapshots give no engagement).
    """
    activity = _with_owner(metrics, owner)
    if activity is None:
        return pd.DataFrame(columns=SUM_COLUMNS, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (activity["posts"] / activity["days"]).where(activity["days"] > 0)
    from_periods = activity["posts_from"] == "periods"
    frame = pd.DataFrame(
        {
            "owner": activity["owner"].to_numpy(),
            "posts": activity["posts"].to_numpy(),
            "posts_per_day": rate.to_numpy(),
            "reposts_received": activity["reposts_received"].to_numpy(),
            "posts_with_reposts": activity["posts_with_reposts"].to_numpy(),
            "mentions_received": activity["mentions_received"].to_numpy(),
            "posts_with_mentions": activity["posts_with_mentions"].to_numpy(),
            "period_posts": activity["posts"].where(from_periods).to_numpy(),
            "earned": _earned(activity).where(from_periods).to_numpy(),
            "platform_posted": np.where(
                activity["posts"].fillna(0).to_numpy() > 0, activity["platform"], None
            ),
        }
    )
    grouped = frame.groupby("owner", sort=True)
    # min_count=1: an owner whose accounts all lack a figure keeps it missing, not 0.
    sums = grouped[SUM_COLUMNS[:-1]].sum(min_count=1)
    sums["platforms"] = grouped["platform_posted"].nunique().astype(float)
    return sums


def metric_account_fit(
    metrics: pd.DataFrame | None, platform: str | None = None
) -> tuple[pd.Series, pd.Series] | None:
    """Per account of the metric table (every account, nominee or not; one platform's when
    given): posts, and reposts plus mentions received, over its period rows. The population
    :func:`metric_features` fits the influence line across when it is "all_accounts"."""
    if metrics is None or metrics.empty:
        return None
    frame = metrics if platform is None else metrics[metrics["platform"] == platform]
    if frame.empty:
        return pd.Series(dtype=float), pd.Series(dtype=float)
    activity = account_activity(frame)
    from_periods = activity["posts_from"] == "periods"
    return (
        activity["posts"].where(from_periods).fillna(0),
        _earned(activity).where(from_periods).fillna(0),
    )


def metric_features(
    sums: pd.DataFrame, fit_on: tuple[pd.Series, pd.Series] | None = None
) -> pd.DataFrame:
    """The features the metric figures support, per owner in ``sums``; ``fit_on`` as in
    :func:`src.features.influence.residuals`."""
    reposted = sums["posts_with_reposts"].astype(float)
    mentioned = sums["posts_with_mentions"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "posts_per_day": sums["posts_per_day"].astype(float),
                "amplification_rate": (sums["reposts_received"] / reposted).where(reposted > 0),
                "mentions_received_per_post": (sums["mentions_received"] / mentioned).where(
                    mentioned > 0
                ),
                "platforms_used": sums["platforms"].astype(float),
                "influence_residual": residuals(
                    sums["period_posts"].fillna(0), sums["earned"], fit_on
                ),
            },
            index=sums.index,
        )


def metric_observation_days(metrics: pd.DataFrame | None, owner: pd.Series) -> int | None:
    """Days from the earliest to the latest instant the nominees' metric figures cover
    (periods with posts, or the snapshots posts came from), rounded up; None without any.

    The observation window of a year known only from metric tables: the periods' length.
    """
    activity = _with_owner(metrics, owner)
    if activity is None or activity["span_start"].isna().all():
        return None
    span = activity["span_end"].max() - activity["span_start"].min()
    return max(1, math.ceil(span.total_seconds() / 86400))


def _agrees_with_posts(
    metrics: pd.DataFrame | None, owner: pd.Series, collected: set[str]
) -> pd.Index:
    """Owners whose metric rows say they posted nothing, on platforms whose posts the year
    holds: the posts table already says so, and its zeros stand."""
    activity = _with_owner(metrics, owner)
    if activity is None or not collected:
        return pd.Index([])
    quiet = activity["posts"].eq(0) & activity["platform"].isin(collected)
    says_more = activity[~quiet]
    return pd.Index(sorted(set(activity["owner"]) - set(says_more["owner"])))


def fill_from_metrics(
    features: pd.DataFrame,
    posted: np.ndarray,
    index: pd.Index,
    metrics: pd.DataFrame | None,
    nominee_of: pd.Series,
    *,
    all_accounts: bool,
    collected: set[str] | None = None,
) -> pd.Series:
    """Fill, in ``features``, the nominees with no posts (``posted`` false, per position in
    ``index``) but rows in the metric table with what the table supports; return each
    nominee's ``activity_source`` (``posts``, ``account_metrics`` or ``none``).

    ``all_accounts``: the influence line is fitted across every account of the metric
    table rather than across the nominees in it. ``collected``: the platforms whose posts
    the year holds; a nominee whose metric rows there say 0 posts is left as the posts
    table has them.
    """
    source = pd.Series(np.where(posted, "posts", "none"), index=index)
    from_metrics = metric_features(
        metric_sums(metrics, nominee_of), metric_account_fit(metrics) if all_accounts else None
    )
    fill = from_metrics.index[from_metrics.index.isin(index)]
    fill = fill[~posted[index.get_indexer(fill)]]
    fill = fill.difference(_agrees_with_posts(metrics, nominee_of, collected or set()))
    if len(fill):
        # A blog (from the posts side) is a platform the metric tables do not count.
        blog = features.loc[fill, "platforms_used"].to_numpy(dtype=float)
        # Counts of the posts' traits and of who engaged are unknown, not 0.
        features.loc[fill, list(NOT_IN_METRICS)] = np.nan
        for name in from_metrics.columns:
            features.loc[fill, name] = from_metrics.loc[fill, name].to_numpy(dtype=float)
        features.loc[fill, "platforms_used"] = blog + from_metrics.loc[
            fill, "platforms_used"
        ].to_numpy(dtype=float)
        source[fill] = "account_metrics"
    return source


def fill_keys_from_metrics(
    values: pd.DataFrame,
    posted: np.ndarray,
    metrics: pd.DataFrame | None,
    account_key: pd.Series,
    *,
    all_accounts: bool,
    collected: set[str] | None = None,
) -> np.ndarray:
    """The per-platform counterpart of :func:`fill_from_metrics`: ``values`` is indexed by
    (nominee position × platforms + platform position) keys, ``account_key`` maps each
    nominee account to its key; returns each key's ``activity_source``."""
    p = len(PLATFORMS)
    source = np.where(posted, "posts", "none").astype(object)
    sums = metric_sums(metrics, account_key)
    if not len(sums):
        return source
    sums = sums.set_axis(sums.index.astype(np.int64))
    fits = [metric_account_fit(metrics, PLATFORMS[i]) if all_accounts else None for i in range(p)]
    from_metrics = pd.concat(
        [metric_features(sums[sums.index % p == i], fits[i]) for i in range(p)]
    ).sort_index()
    fill = from_metrics.index[~posted[from_metrics.index]]
    fill = fill.difference(
        _agrees_with_posts(metrics, account_key, collected or set()).astype(np.int64)
    )
    values.loc[fill, [n for n in NOT_IN_METRICS if n in values.columns]] = np.nan
    for name in from_metrics.columns:
        if name in values.columns:
            values.loc[fill, name] = from_metrics.loc[fill, name].to_numpy(dtype=float)
    source[fill] = "account_metrics"
    return source
