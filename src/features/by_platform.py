"""The per-platform feature table: the features whose meaning differs by platform, per platform.

``features_by_platform.parquet``, for reading the combined values: followers on X,
Bluesky and Mastodon, or a retweet and a boost, are not the same quantity, so the
features flagged ``per_platform`` in the dictionary (volume of output, reach, engagement
rates and h-indices, the influence residual) are also computed for each of a nominee's
platforms on its own. It is tidy, one row per nominee, platform and feature
(:data:`BY_PLATFORM_COLUMNS`): ``nominee_id``, ``year``, ``platform``,
``activity_source`` (where that platform's figures came from: ``posts``,
``account_metrics`` or ``none``), ``feature`` and ``value`` (missing as in the combined
table's ``when_undefined``). A nominee has rows for every platform (blogs aside) on which
they have an account. The definitions are the combined ones restricted to one platform's
accounts and posts, over the same observation window; the influence residual is fitted
among the nominees with own posts on that platform. For a nominee on one platform the
values equal the combined ones (but the residual, fitted on different nominees).

The same family functions as the combined table run once over all nominees and
platforms, keyed by ``nominee position × P + platform position`` (P platforms).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.features.arrays import dense
from src.features.dictionary import FEATURES, SOURCE_COLUMN
from src.features.engagement import COUNTS, engagement_features, engagement_sums, ranked_post_sums
from src.features.influence import residuals
from src.features.metrics import fill_keys_from_metrics
from src.features.network import MENTION, InteractionGraph
from src.features.reach import account_totals, follower_snapshots, reach_features
from src.features.volume import post_counts, volume_features
from src.schemas import PLATFORMS

#: The features also computed per platform, in dictionary order.
PER_PLATFORM = [name for name, spec in FEATURES.items() if spec.per_platform]
#: Columns of the per-platform table (tidy: one row per nominee, platform and feature).
BY_PLATFORM_COLUMNS = ["nominee_id", "year", "platform", SOURCE_COLUMN, "feature", "value"]
#: Platforms of the per-platform table (a blog has no followers, reposts or likes).
_SOCIAL = [p for p in PLATFORMS if p != "blog"]

#: Per platform position: the (output, earned) of every account of that platform, when the
#: influence line is fitted across all accounts (None: across the nominees).
PlatformFits = dict[int, tuple[pd.Series, pd.Series]]


def empty_by_platform() -> pd.DataFrame:
    """A per-platform table with no rows (its columns and dtypes)."""
    return pd.DataFrame(
        {
            c: pd.Series([], dtype=float if c == "value" else ("int64" if c == "year" else str))
            for c in BY_PLATFORM_COLUMNS
        }
    )


def by_platform_table(
    posts: pd.DataFrame,
    rated_rows: np.ndarray,
    days: int,
    accounts: pd.DataFrame,
    metrics: pd.DataFrame | None,
    graph: InteractionGraph,
    nominees: pd.DataFrame,
    index: pd.Index,
    fit_on_platform: PlatformFits | None = None,
) -> pd.DataFrame:
    """The per-platform table: the same family functions, keyed by (nominee, platform).

    ``posts`` are the nominees' posts as the combined table keys them (``nominee_id``: the
    nominee's position in ``index``), ``rated_rows`` which of them are on accounts with
    known followers, ``days`` the observation window's length.
    """
    p = len(PLATFORMS)
    count = len(index) * p
    mine = _social_nominee_accounts(accounts, index)
    account_key = _account_keys(mine, index)

    keyed = posts.assign(
        nominee_id=posts["nominee_id"].to_numpy() * p
        + posts["platform"].cat.codes.to_numpy().astype(np.int64)
    )
    counts = dense(post_counts(keyed), count)
    volume = volume_features(counts, days)
    totals = dense(account_totals(mine.assign(nominee_id=account_key.to_numpy())), count, fill=None)
    snapshots = dense(follower_snapshots(metrics, account_key), count, fill=None)
    reach = reach_features(totals, snapshots)
    sums = dense(engagement_sums(keyed), count)
    ranked = dense(ranked_post_sums(keyed), count)
    rated = dense(engagement_sums(keyed[rated_rows]), count)
    node_key = (
        pd.Series(graph.names, dtype=object).map(account_key).fillna(-1).to_numpy(dtype=np.int64)
        if graph.n
        else np.zeros(0, dtype=np.int64)
    )
    received = node_key[graph.target[graph.kind == MENTION]]
    mentions = pd.Series(np.bincount(received[received >= 0], minlength=count).astype(float))
    engagement = engagement_features(sums, totals["followers"], ranked, mentions, rated)
    platform_of_key = np.tile(np.arange(p), len(index))
    earned = sums[COUNTS].sum(axis=1)
    influence = pd.concat(
        [
            residuals(
                sums["own_posts"][platform_of_key == i],
                earned[platform_of_key == i],
                fit_on_platform[i] if fit_on_platform is not None else None,
            )
            for i in range(p)
        ]
    ).sort_index()
    values = pd.concat([volume, reach, engagement, influence.to_frame()], axis=1)[
        PER_PLATFORM
    ].astype(float)

    posted = counts["posts"].to_numpy() > 0
    source = fill_keys_from_metrics(
        values,
        posted,
        metrics,
        account_key,
        all_accounts=fit_on_platform is not None,
        collected={str(p) for p in posts["platform"].unique()},
    )
    return _tidy(values, source, np.unique(account_key.to_numpy()), nominees, index)


def _social_nominee_accounts(accounts: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """The nominees' accounts on the platforms of the per-platform table."""
    return accounts.loc[
        accounts["is_nominee"]
        & accounts["nominee_id"].isin(index)
        & accounts["platform"].isin(_SOCIAL),
        ["account_id", "platform", "nominee_id", "followers", "following", "listed", "is_nominee"],
    ]


def _account_keys(mine: pd.DataFrame, index: pd.Index) -> pd.Series:
    """Per nominee account of ``mine`` (indexed by ``account_id``): its (nominee, platform) key."""
    p = len(PLATFORMS)
    platform_code = {name: i for i, name in enumerate(PLATFORMS)}
    return pd.Series(
        index.get_indexer(mine["nominee_id"].to_numpy(dtype=object)) * p
        + mine["platform"].map(platform_code).to_numpy(dtype=np.int64),
        index=mine["account_id"].to_numpy(dtype=object),
    )


def _tidy(
    values: pd.DataFrame,
    source: np.ndarray,
    present: np.ndarray,
    nominees: pd.DataFrame,
    index: pd.Index,
) -> pd.DataFrame:
    """The wide per-key ``values`` of the keys ``present`` as the tidy table."""
    p = len(PLATFORMS)
    per_key = len(PER_PLATFORM)
    year = nominees.set_index("nominee_id")["year"].reindex(index).to_numpy()
    long = values.loc[present].to_numpy()
    return pd.DataFrame(
        {
            "nominee_id": pd.Series(
                np.repeat(index.to_numpy(dtype=object)[present // p], per_key), dtype=str
            ),
            "year": np.repeat(year[present // p], per_key).astype(np.int64),
            "platform": pd.Series(
                np.repeat(np.asarray(PLATFORMS, dtype=object)[present % p], per_key), dtype=str
            ),
            SOURCE_COLUMN: pd.Series(np.repeat(source[present], per_key), dtype=str),
            "feature": pd.Series(
                np.tile(np.asarray(PER_PLATFORM, dtype=object), len(present)), dtype=str
            ),
            "value": long.reshape(len(present) * per_key),
        }
    )
