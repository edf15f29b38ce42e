"""Assemble one year's feature tables: one row per nominee, every family joined, and
the per-platform values of the features whose meaning differs by platform.

**Combined table** (``features.parquet``, what the model reads): one row per nominee,
the nominee's accounts across platforms combined, every feature of
:data:`src.features.dictionary.FEATURES`.

**Per-platform table** (``features_by_platform.parquet``, for reading the combined
values): followers on X, Bluesky and Mastodon, or a retweet and a boost, are not the
same quantity, so the features flagged ``per_platform`` in the dictionary (volume of
output, reach, engagement rates and h-indices, the influence residual) are also computed
for each of a nominee's platforms on its own. It is tidy, one row per nominee, platform
and feature: ``nominee_id``, ``year``, ``platform``, ``activity_source`` (where that
platform's figures came from: ``posts``, ``account_metrics`` or ``none``), ``feature``
and ``value`` (missing as in the combined table's ``when_undefined``). A nominee has rows
for every platform (blogs aside) on which they have an account. The definitions are the
combined ones restricted to one platform's accounts and posts, over the same observation
window; the influence residual is fitted among the nominees with own posts on that
platform. For a nominee on one platform the values equal the combined ones (but the
residual, fitted on different nominees).

**The previous year.** ``new_engager_share`` compares this year's engagers with the
previous year's; that year's tables are passed explicitly (:class:`PreviousYear`, read by
:func:`read_previous_year`), and :func:`previous_year_inputs` lists the files read, so
the batch can order the years and put those files in the step's resume key. Without a
previous year the feature is missing.

The inputs are encoded once into integer codes (:mod:`src.features.inputs`); each
family's per-nominee sums are then vectorised aggregations (see each module for how they
would combine across partitions), turned into features and joined in dictionary order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq

from src import config
from src.errors import InputError
from src.features.audiences import audience_features, communities, previous_engager_pairs
from src.features.conversation import conversation_counts, platform_counts
from src.features.dictionary import FEATURES, NOT_IN_METRICS, feature_dictionary
from src.features.engagement import COUNTS, engagement_features, engagement_sums, ranked_post_sums
from src.features.influence import FIT_POPULATIONS, residuals
from src.features.inputs import (
    INPUT_COLUMNS,
    account_ids,
    encode_interactions,
    encode_posts,
    read_feature_inputs,
)
from src.features.metrics import metric_account_fit, metric_features, metric_sums
from src.features.network import (
    MENTION,
    betweenness,
    build_graph,
    network_features,
    pagerank,
    reciprocity,
    undirected,
    undirected_igraph,
)
from src.features.reach import account_totals, follower_snapshots, reach_features
from src.features.volume import active_days, blog_counts, gap_sums, post_counts, volume_features
from src.io import write_parquet_atomic, write_text_atomic
from src.schemas import PLATFORMS

__all__ = [
    "BY_PLATFORM_COLUMNS",
    "ID_COLUMNS",
    "INPUT_COLUMNS",
    "PER_PLATFORM",
    "PREVIOUS_YEAR_FILES",
    "SOURCE_COLUMN",
    "FeatureTables",
    "PreviousYear",
    "build_feature_tables",
    "build_features",
    "observation_days",
    "previous_year_inputs",
    "read_feature_inputs",
    "read_features",
    "previous_year_from_files",
    "read_features_by_platform",
    "read_previous_interactions",
    "read_previous_year",
    "write_features",
]

#: Identifying and label columns carried next to the features.
ID_COLUMNS = ["nominee_id", "year", "name", "category", "selected", "rank"]
#: Where a nominee's activity figures came from: posts, account_metrics (no posts) or none.
SOURCE_COLUMN = "activity_source"
#: The features also computed per platform, in dictionary order.
PER_PLATFORM = [name for name, spec in FEATURES.items() if spec.per_platform]
#: Columns of the per-platform table (tidy: one row per nominee, platform and feature).
BY_PLATFORM_COLUMNS = ["nominee_id", "year", "platform", SOURCE_COLUMN, "feature", "value"]
#: Files of the previous year's processed folder that the features step reads.
PREVIOUS_YEAR_FILES = ("interactions.parquet", "posts.parquet")
FEATURES_FILE, BY_PLATFORM_FILE, DICTIONARY_FILE = (
    "features.parquet",
    "features_by_platform.parquet",
    "feature_dictionary.csv",
)
#: Platforms of the per-platform table (a blog has no followers, reposts or likes).
_SOCIAL = [p for p in PLATFORMS if p != "blog"]


@dataclass(frozen=True)
class PreviousYear:
    """What the features step reads from the year before, for ``new_engager_share``.

    ``interactions`` is that year's interactions table (``source_account_id`` and
    ``target_account_id`` are used); ``posting_accounts`` the accounts with at least one
    post in that year's posts table: a nominee's engagers that year were collected only
    if their accounts were (they were a nominee then and their timeline was read).
    """

    interactions: pd.DataFrame
    posting_accounts: pd.Index

    @classmethod
    def from_tables(cls, interactions: pd.DataFrame, posts: pd.DataFrame) -> PreviousYear:
        """From the previous year's canonical interactions and posts tables."""
        return cls(interactions, pd.Index(pd.unique(posts["account_id"].dropna())))


@dataclass
class FeatureTables:
    """The year's feature tables: ``combined`` (one row per nominee) and ``by_platform`` (tidy)."""

    combined: pd.DataFrame
    by_platform: pd.DataFrame


def observation_days(posts: pd.DataFrame) -> int:
    """Length of the year's observation window in calendar days (UTC), inclusive.

    Taken from the earliest and latest nominee post of the year, so every nominee is
    measured over the same window; at least 1.
    """
    if posts.empty:
        return 1
    first, last = posts["created_at"].min(), posts["created_at"].max()
    return int((last.normalize() - first.normalize()).days) + 1


def _blog_owner(accounts: pd.DataFrame, nominees: pd.DataFrame) -> pd.Series:
    owner = accounts.loc[
        accounts["is_nominee"] & (accounts["platform"] == "blog"), ["account_id", "nominee_id"]
    ].dropna()
    owner = pd.Series(
        owner["nominee_id"].to_numpy(), index=owner["account_id"].to_numpy(), dtype=object
    )
    if "blog_feed_url" in nominees.columns:
        feeds = nominees.dropna(subset=["blog_feed_url"])
        extra = pd.Series(
            feeds["nominee_id"].to_numpy(),
            index=("blog:" + feeds["blog_feed_url"]).to_numpy(),
            dtype=object,
        )
        owner = pd.concat([owner, extra[~extra.index.isin(owner.index)]])
    return owner


def _dense(
    frame: pd.DataFrame | pd.Series, count: int, fill: float | None = 0
) -> pd.DataFrame | pd.Series:
    """A frame keyed by integer codes on every code 0 … count − 1 (absent codes: ``fill``)."""
    if len(frame.index):
        frame = frame.set_axis(frame.index.astype(np.int64))
    keys = pd.RangeIndex(count)
    return frame.reindex(keys) if fill is None else frame.reindex(keys, fill_value=fill)


def _previous(
    previous: PreviousYear | None, nominee_of: pd.Series, index: pd.Index
) -> tuple[pd.DataFrame | None, np.ndarray | None]:
    if previous is None:
        return None, None
    if not isinstance(previous, PreviousYear):
        raise TypeError(
            f"previous must be a PreviousYear (or None), got {type(previous).__name__}: see read_previous_year"
        )
    posted = nominee_of[nominee_of.index.isin(previous.posting_accounts)]
    return previous_engager_pairs(previous.interactions, nominee_of), index.isin(
        pd.unique(posted.to_numpy(dtype=object))
    )


def build_feature_tables(
    tables: dict[str, pd.DataFrame],
    previous: PreviousYear | None = None,
    influence_fit: str | None = None,
) -> FeatureTables:
    """The combined and per-platform feature tables of a year (see the module docstring).

    ``tables`` holds ``nominees``, ``accounts``, ``posts`` and optionally
    ``interactions``, ``blog_posts`` and ``account_metrics``, as
    :func:`src.features.inputs.read_feature_inputs` (or
    :func:`src.ingest.pipeline.read_tables`) returns them. ``previous`` is the previous
    year (:func:`read_previous_year`), for ``new_engager_share``; None when there is none,
    and the feature is then missing. ``influence_fit`` is whom the influence residual's
    line is fitted across (:data:`src.features.influence.FIT_POPULATIONS`; default
    :data:`src.config.INFLUENCE_FIT_POPULATION`).
    """
    return _build(tables, previous, by_platform=True, influence_fit=influence_fit)


def build_features(
    tables: dict[str, pd.DataFrame],
    previous: PreviousYear | None = None,
    influence_fit: str | None = None,
) -> pd.DataFrame:
    """Features for every nominee of a year: the combined table of :func:`build_feature_tables` alone.

    Nominees with no posts get a row too: per-day volumes of 0 and missing rates (see
    each feature's ``when_undefined``), or the figures of an account-level metric table
    when the year has one (``activity_source`` says which).
    """
    return _build(tables, previous, by_platform=False, influence_fit=influence_fit).combined


def _build(
    tables: dict[str, pd.DataFrame],
    previous: PreviousYear | None,
    by_platform: bool,
    influence_fit: str | None = None,
) -> FeatureTables:
    influence_fit = config.INFLUENCE_FIT_POPULATION if influence_fit is None else influence_fit
    if influence_fit not in FIT_POPULATIONS:
        raise ValueError(
            f"influence_fit must be one of {', '.join(FIT_POPULATIONS)}, got {influence_fit!r}"
        )
    nominees = tables["nominees"]
    accounts = tables["accounts"]
    metrics = tables.get("account_metrics")
    mine = accounts.loc[
        accounts["is_nominee"] & accounts["nominee_id"].notna(), ["account_id", "nominee_id"]
    ]
    nominee_of = pd.Series(
        mine["nominee_id"].to_numpy(dtype=object),
        index=mine["account_id"].to_numpy(dtype=object),
        dtype=object,
    )
    index = pd.Index(sorted(nominees["nominee_id"]), name="nominee_id")
    count = len(index)

    # Every post once, as codes; the nominees' posts keyed by nominee position.
    coded = encode_posts(tables["posts"], nominee_of, index)
    all_posts = coded.frame
    row_nominee = all_posts["nominee"].to_numpy().astype(np.int64)
    is_nominee_post = row_nominee >= 0
    posts = all_posts.loc[
        is_nominee_post, ["author", "kind", "platform", "created_at", *COUNTS, "has_media"]
    ].reset_index(drop=True)
    posts["nominee_id"] = row_nominee[is_nominee_post]
    days = observation_days(posts)
    followers_known = (
        pd.Series(coded.authors, dtype=object)
        .map(accounts.set_index("account_id")["followers"])
        .notna()
        .to_numpy()
        if len(coded.authors)
        else np.zeros(0, dtype=bool)
    )
    rated_rows = (
        followers_known[posts["author"].to_numpy()] if len(posts) else np.zeros(0, dtype=bool)
    )

    # Volume.
    counts = _dense(post_counts(posts), count)
    blog_posts = tables.get("blog_posts")
    blogs, blog_owners = None, None
    if blog_posts is not None:
        blog_posts = blog_posts[~blog_posts["post_id"].duplicated()]
        if not posts.empty:
            window_end = posts["created_at"].max().normalize() + pd.Timedelta(days=1)
        elif not blog_posts.empty:
            window_end = blog_posts["created_at"].max().normalize() + pd.Timedelta(days=1)
        else:
            window_end = pd.Timestamp("1970-01-01", tz="UTC")
        per_nominee = blog_counts(blog_posts, _blog_owner(accounts, nominees), window_end).reindex(
            index, fill_value=0
        )
        blogs = pd.Series(per_nominee.to_numpy(), index=pd.RangeIndex(count))
        blog_owners = pd.Series(np.flatnonzero(per_nominee.to_numpy() > 0))
    volume = volume_features(counts, days, active_days(posts), gap_sums(posts), blogs)

    # Reach.
    totals = account_totals(accounts).reindex(index)
    reach = reach_features(totals, follower_snapshots(metrics, nominee_of))

    # The interaction graph: network position and audiences.
    graph = build_graph(encode_interactions(tables.get("interactions")), nominee_of, index)
    edges, weight = undirected(graph)
    simple = undirected_igraph(graph, edges)
    followers = accounts.set_index("account_id")["followers"]
    network = network_features(graph, followers, pagerank(graph), betweenness(graph, simple))
    mentions = graph.owner[graph.target[graph.kind == MENTION]]
    mentions = pd.Series(np.bincount(mentions[mentions >= 0], minlength=count).astype(float))

    # Engagement.
    sums = _dense(engagement_sums(posts), count)
    ranked = _dense(ranked_post_sums(posts), count)
    rated = _dense(engagement_sums(posts[rated_rows]), count)
    engagement = engagement_features(
        sums, totals["followers"].set_axis(sums.index), ranked, mentions, rated
    )

    previous_pairs, observed = _previous(previous, nominee_of, index)
    audiences = audience_features(
        graph,
        communities(graph, simple, weight),
        sums["own_posts"].set_axis(index),
        previous_pairs,
        observed,
    )
    del simple, edges, weight

    # Conversation.
    own = sums["own_posts"].astype(float)
    talk = conversation_counts(all_posts, row_nominee, index)
    # The influence line's population when it is every account (per account, nominees'
    # and others'), taken here before all_posts is freed.
    fit_on, fit_on_platform = None, None
    if influence_fit == "all_accounts":
        by_account = engagement_sums(
            all_posts[["author", "kind", *COUNTS]].rename(columns={"author": "nominee_id"})
        )
        fit_on = (by_account["own_posts"], by_account[COUNTS].sum(axis=1))
        platform_of = (
            all_posts.groupby("author", observed=True)["platform"]
            .first()
            .reindex(by_account.index)
            .cat.codes.to_numpy()
        )
        fit_on_platform = {
            code: (fit_on[0][platform_of == code], fit_on[1][platform_of == code])
            for code in range(len(PLATFORMS))
        }
    del all_posts
    with np.errstate(divide="ignore", invalid="ignore"):
        conversation = pd.DataFrame(
            {
                "threads_started": talk["threads_started"].to_numpy(dtype=float),
                "chats_hosted": talk["chats_hosted"].to_numpy(dtype=float),
                "reciprocity": reciprocity(graph).to_numpy(),
                "media_share": (sums["media_posts"] / own).where(own > 0).to_numpy(),
                "platforms_used": _dense(platform_counts(posts, blog_owners), count).to_numpy(
                    dtype=float
                ),
            },
            index=index,
        )

    # Influence beyond volume, fitted across the nominees or every account with own posts.
    influence = residuals(sums["own_posts"], sums[COUNTS].sum(axis=1), fit_on).to_frame()

    keyed = [frame.set_axis(index) for frame in (volume, engagement, influence)]
    features = pd.concat([*keyed, reach, network, audiences, conversation], axis=1)
    features = features.loc[:, ~features.columns.duplicated()][list(FEATURES)].astype(float)

    # Nominees with no posts: what an account-level metric table supports.
    posted = counts["posts"].to_numpy() > 0
    source = pd.Series(np.where(posted, "posts", "none"), index=index)
    from_metrics = metric_features(
        metric_sums(metrics, nominee_of),
        metric_account_fit(metrics) if influence_fit == "all_accounts" else None,
    )
    fill = from_metrics.index[from_metrics.index.isin(index)]
    fill = fill[
        ~posted[index.get_indexer(fill)]
        & from_metrics.loc[fill, "posts_per_day"].notna().to_numpy()
    ]
    if len(fill):
        for name in from_metrics.columns:
            features.loc[fill, name] = from_metrics.loc[fill, name].to_numpy(dtype=float)
        features.loc[fill, "platforms_used"] = np.maximum(
            features.loc[fill, "platforms_used"].to_numpy(),
            from_metrics.loc[fill, "platforms_used"].to_numpy(dtype=float),
        )
        # They posted: a count of their posts' traits is unknown, not 0.
        features.loc[fill, list(NOT_IN_METRICS)] = np.nan
        source[fill] = "account_metrics"

    labels = nominees.set_index("nominee_id")[[c for c in ID_COLUMNS if c != "nominee_id"]]
    table = labels.join(features, how="left").reset_index()
    table.insert(len(ID_COLUMNS), "observation_days", days)
    table.insert(
        len(ID_COLUMNS) + 1,
        SOURCE_COLUMN,
        table["nominee_id"].map(source).fillna("none").astype(str),
    )

    tidy = (
        _by_platform(
            posts, rated_rows, days, accounts, metrics, graph, nominees, index, fit_on_platform
        )
        if by_platform
        else _empty_by_platform()
    )
    return FeatureTables(table, tidy)


def _empty_by_platform() -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series([], dtype=float if c == "value" else ("int64" if c == "year" else str))
            for c in BY_PLATFORM_COLUMNS
        }
    )


def _by_platform(
    posts: pd.DataFrame,
    rated_rows: np.ndarray,
    days: int,
    accounts: pd.DataFrame,
    metrics: pd.DataFrame | None,
    graph,
    nominees: pd.DataFrame,
    index: pd.Index,
    fit_on_platform: dict[int, tuple[pd.Series, pd.Series]] | None = None,
) -> pd.DataFrame:
    """The per-platform table: the same family functions, keyed by (nominee, platform).

    A key is ``nominee position × P + platform position`` (P platforms), so every
    aggregation runs once over all nominees and platforms.
    """
    p = len(PLATFORMS)
    count = len(index) * p
    platform_code = {name: i for i, name in enumerate(PLATFORMS)}
    mine = accounts.loc[
        accounts["is_nominee"]
        & accounts["nominee_id"].isin(index)
        & accounts["platform"].isin(_SOCIAL),
        ["account_id", "platform", "nominee_id", "followers", "following", "listed", "is_nominee"],
    ]
    account_key = pd.Series(
        index.get_indexer(mine["nominee_id"].to_numpy(dtype=object)) * p
        + mine["platform"].map(platform_code).to_numpy(dtype=np.int64),
        index=mine["account_id"].to_numpy(dtype=object),
    )

    keyed = posts.assign(
        nominee_id=posts["nominee_id"].to_numpy() * p
        + posts["platform"].cat.codes.to_numpy().astype(np.int64)
    )
    counts = _dense(post_counts(keyed), count)
    volume = volume_features(counts, days)
    totals = _dense(
        account_totals(mine.assign(nominee_id=account_key.to_numpy())), count, fill=None
    )
    reach = reach_features(
        totals, _dense(follower_snapshots(metrics, account_key), count, fill=None)
    )
    sums = _dense(engagement_sums(keyed), count)
    ranked = _dense(ranked_post_sums(keyed), count)
    rated = _dense(engagement_sums(keyed[rated_rows]), count)
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
    # (fit_on_platform: every account of each platform, when the line is fitted across all accounts)
    influence = pd.concat(
        [
            residuals(
                sums["own_posts"][platform_of_key == i],
                earned[platform_of_key == i],
                fit_on_platform and fit_on_platform[i],
            )
            for i in range(p)
        ]
    ).sort_index()
    values = pd.concat([volume, reach, engagement, influence.to_frame()], axis=1)[
        PER_PLATFORM
    ].astype(float)

    # Keys with no posts on that platform: what an account-level metric table supports.
    posted = counts["posts"].to_numpy() > 0
    source = np.where(posted, "posts", "none").astype(object)
    sums_m = metric_sums(metrics, account_key)
    if len(sums_m):
        sums_m = sums_m.set_axis(sums_m.index.astype(np.int64))
        fit_metrics = [
            metric_account_fit(metrics, PLATFORMS[i]) if fit_on_platform is not None else None
            for i in range(p)
        ]
        from_metrics = pd.concat(
            [metric_features(sums_m[sums_m.index % p == i], fit_metrics[i]) for i in range(p)]
        ).sort_index()
        fill = from_metrics.index[
            ~posted[from_metrics.index] & from_metrics["posts_per_day"].notna().to_numpy()
        ]
        for name in from_metrics.columns:
            if name in values.columns:
                values.loc[fill, name] = from_metrics.loc[fill, name].to_numpy(dtype=float)
        values.loc[fill, [n for n in NOT_IN_METRICS if n in values.columns]] = np.nan
        source[fill] = "account_metrics"

    present = np.unique(account_key.to_numpy())
    year = nominees.set_index("nominee_id")["year"].reindex(index).to_numpy()
    long = values.loc[present].to_numpy()
    rows = len(present) * len(PER_PLATFORM)
    return pd.DataFrame(
        {
            "nominee_id": pd.Series(
                np.repeat(index.to_numpy(dtype=object)[present // p], len(PER_PLATFORM)), dtype=str
            ),
            "year": np.repeat(year[present // p], len(PER_PLATFORM)).astype(np.int64),
            "platform": pd.Series(
                np.repeat(np.asarray(PLATFORMS, dtype=object)[present % p], len(PER_PLATFORM)),
                dtype=str,
            ),
            SOURCE_COLUMN: pd.Series(np.repeat(source[present], len(PER_PLATFORM)), dtype=str),
            "feature": pd.Series(
                np.tile(np.asarray(PER_PLATFORM, dtype=object), len(present)), dtype=str
            ),
            "value": long.reshape(rows),
        }
    )


def write_features(features: pd.DataFrame | FeatureTables, processed_year: Path) -> dict[str, str]:
    """Write ``features.parquet``, ``features_by_platform.parquet`` and ``feature_dictionary.csv`` into a processed year folder.

    ``features`` is :func:`build_feature_tables`' result, or the combined table alone
    (then a per-platform table left from an earlier run is removed, so the two never
    disagree). Each file is written atomically: a failure leaves the previous good file.
    """
    folder = Path(processed_year)
    table, by_platform = (
        (features.combined, features.by_platform)
        if isinstance(features, FeatureTables)
        else (features, None)
    )
    written = {}
    if by_platform is not None:
        written["by_platform"] = str(write_parquet_atomic(by_platform, folder / BY_PLATFORM_FILE))
    elif (folder / BY_PLATFORM_FILE).exists():
        (folder / BY_PLATFORM_FILE).unlink()
    written["features"] = str(write_parquet_atomic(table, folder / FEATURES_FILE))
    written["dictionary"] = str(
        write_text_atomic(feature_dictionary().to_csv(index=False), folder / DICTIONARY_FILE)
    )
    return written


def read_features(processed_year: Path) -> pd.DataFrame:
    """Read a year's feature table written by :func:`write_features`."""
    path = Path(processed_year) / FEATURES_FILE
    if not path.exists():
        raise InputError(
            path,
            "not found: run the features step (notebooks/02_features.ipynb) for this year first",
        )
    return pd.read_parquet(path)


def read_features_by_platform(processed_year: Path) -> pd.DataFrame:
    """Read a year's per-platform feature table (tidy: ``BY_PLATFORM_COLUMNS``) written by :func:`write_features`.

    ``table.pivot(index=["nominee_id", "platform"], columns="feature", values="value")``
    gives it one column per feature.
    """
    path = Path(processed_year) / BY_PLATFORM_FILE
    if not path.exists():
        raise InputError(
            path,
            "not found: run the features step (notebooks/02_features.ipynb) for this year first",
        )
    return pd.read_parquet(path)


def _previous_folder(processed_year: Path) -> Path | None:
    folder = Path(processed_year)
    try:
        year = int(folder.name)
    except ValueError:
        return None
    return folder.parent / str(year - 1)


def previous_year_inputs(processed_year: Path) -> list[Path]:
    """The files of other years that the features step of ``processed_year`` reads
    (whether they exist or not): the previous year's interactions and posts.

    The batch hashes them into the step's resume key and runs the previous year's ingest
    first; the step reads them through :func:`read_previous_year`.
    """
    previous = _previous_folder(processed_year)
    return [] if previous is None else [previous / name for name in PREVIOUS_YEAR_FILES]


def read_previous_interactions(processed_year: Path) -> pd.DataFrame | None:
    """The previous year's processed interactions next to ``processed_dir/<year>``, or None when absent."""
    previous = _previous_folder(processed_year)
    path = None if previous is None else previous / "interactions.parquet"
    return pd.read_parquet(path) if path is not None and path.exists() else None


def read_previous_year(processed_year: Path) -> PreviousYear | None:
    """The previous year's inputs for ``processed_dir/<year>`` (:data:`PREVIOUS_YEAR_FILES`), or None when either is absent.

    Reads the interactions' account columns and the posting accounts only.
    """
    files = previous_year_inputs(processed_year)
    if not files or not all(path.exists() for path in files):
        return None
    return previous_year_from_files(*files)


def previous_year_from_files(interactions_path: Path, posts_path: Path) -> PreviousYear:
    """:class:`PreviousYear` from a year's ``interactions.parquet`` and ``posts.parquet``
    (account ids as codes, the posting accounts only: a fraction of the tables' memory)."""
    table = pq.read_table(interactions_path, columns=["source_account_id", "target_account_id"])
    interactions = pd.DataFrame(dict(zip(table.column_names, account_ids(*table.columns))))
    del table
    accounts = pc.unique(pq.read_table(posts_path, columns=["account_id"]).column("account_id"))
    return PreviousYear(interactions, pd.Index(accounts.drop_null().to_pylist(), dtype=object))
