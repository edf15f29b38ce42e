"""Assemble one year's feature tables: one row per nominee, every family joined.

**Combined table** (``features.parquet``, what the model reads): one row per nominee,
the nominee's accounts across platforms combined, every feature of
:data:`src.features.dictionary.FEATURES`, after the identifying columns
(:data:`ID_COLUMNS`), ``observation_days`` and ``activity_source``. Built here, with
the **per-platform table** (``features_by_platform.parquet``) from the same encoded
inputs (:mod:`src.features.by_platform`).

Around it: :mod:`src.features.inputs` reads the year's tables and
:mod:`src.features.codes` encodes them once into integer codes;
:mod:`src.features.previous_year` reads what the year before gives
(``new_engager_share``); :mod:`src.features.files` writes and reads the feature files.
Each family's per-nominee sums are vectorised aggregations (see each module for how they
would combine across partitions), turned into features and joined in dictionary order.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from src import config
from src.features.arrays import dense
from src.features.audiences import audience_features, communities, previous_engager_pairs
from src.features.blogs import blog_features
from src.features.by_platform import PlatformFits, by_platform_table, empty_by_platform
from src.features.codes import encode_interactions, encode_posts
from src.features.conversation import conversation_counts, platform_counts
from src.features.dictionary import FEATURES, SOURCE_COLUMN
from src.features.engagement import COUNTS, engagement_features, engagement_sums, ranked_post_sums
from src.features.files import FeatureTables
from src.features.influence import FIT_POPULATIONS, residuals
from src.features.metrics import fill_from_metrics, metric_observation_days
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
from src.features.previous_year import PreviousYear
from src.features.reach import account_totals, follower_snapshots, reach_features
from src.features.volume import active_days, gap_sums, post_counts, volume_features
from src.schemas import PLATFORMS

__all__ = [
    "ID_COLUMNS",
    "build_feature_tables",
    "build_features",
    "observation_days",
]

logger = logging.getLogger(__name__)

#: Identifying and label columns carried next to the features.
ID_COLUMNS = ["nominee_id", "year", "name", "category", "selected", "rank"]

#: The nominees' posts' columns the families read.
_POST_COLUMNS = ["author", "kind", "platform", "created_at", *COUNTS, "has_media"]


def observation_days(posts: pd.DataFrame) -> int:
    """Length of the year's observation window in calendar days (UTC), inclusive.

    Taken from the earliest and latest nominee post of the year, so every nominee is
    measured over the same window; at least 1.
    """
    if posts.empty:
        return 1
    first, last = posts["created_at"].min(), posts["created_at"].max()
    return int((last.normalize() - first.normalize()).days) + 1


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
    year (:func:`src.features.previous_year.read_previous_year`), for
    ``new_engager_share``; None when there is none, and the feature is then missing.
    ``influence_fit`` is whom the influence residual's line is fitted across
    (:data:`src.features.influence.FIT_POPULATIONS`; default
    :data:`src.config.INFLUENCE_FIT_POPULATION`).
    """
    return _build(tables, previous, by_platform=True, influence_fit=influence_fit)


def build_features(
    tables: dict[str, pd.DataFrame],
    previous: PreviousYear | None = None,
    influence_fit: str | None = None,
) -> pd.DataFrame:
    """Features for every nominee of a year: the combined table of
    :func:`build_feature_tables` alone.

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
    nominee_of = _nominee_of(accounts)
    index = pd.Index(sorted(nominees["nominee_id"]), name="nominee_id")
    count = len(index)

    # Every post once, as codes; the nominees' posts keyed by nominee position.
    coded = encode_posts(tables["posts"], nominee_of, index)
    all_posts = coded.frame
    row_nominee = all_posts["nominee"].to_numpy().astype(np.int64)
    is_nominee_post = row_nominee >= 0
    posts = all_posts.loc[is_nominee_post, _POST_COLUMNS].reset_index(drop=True)
    posts["nominee_id"] = row_nominee[is_nominee_post]
    # Without posts, a year known from metric tables is observed over their periods.
    days = (
        observation_days(posts) if len(posts) else metric_observation_days(metrics, nominee_of) or 1
    )
    rated_rows = _rated_rows(coded.authors, accounts, posts)

    # Volume.
    counts = dense(post_counts(posts), count)
    blogs, blog_owners = _blog_volume(
        tables.get("blog_posts"), tables.get("blog_feeds"), posts, accounts, nominees, index
    )
    volume = volume_features(
        counts,
        days,
        active_days(posts),
        gap_sums(posts),
        blogs["blog_posts_per_month"] if blogs is not None else None,
    )

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
    sums = dense(engagement_sums(posts), count)
    ranked = dense(ranked_post_sums(posts), count)
    rated = dense(engagement_sums(posts[rated_rows]), count)
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
    fit_on, fit_on_platform = (
        _all_account_fits(all_posts) if influence_fit == "all_accounts" else (None, None)
    )
    del all_posts
    with np.errstate(divide="ignore", invalid="ignore"):
        conversation = pd.DataFrame(
            {
                "threads_started": talk["threads_started"].to_numpy(dtype=float),
                "chats_hosted": talk["chats_hosted"].to_numpy(dtype=float),
                "reciprocity": reciprocity(graph).to_numpy(),
                "media_share": (sums["media_posts"] / own).where(own > 0).to_numpy(),
                "platforms_used": dense(platform_counts(posts, blog_owners), count).to_numpy(
                    dtype=float
                ),
            },
            index=index,
        )

    # Influence beyond volume, fitted across the nominees or every account with own posts.
    influence = residuals(sums["own_posts"], sums[COUNTS].sum(axis=1), fit_on).to_frame()

    keyed = [frame.set_axis(index) for frame in (volume, engagement, influence)]
    blog_comments = (
        blogs[["blog_comments_per_post"]].set_axis(index)
        if blogs is not None
        else pd.DataFrame({"blog_comments_per_post": np.nan}, index=index)
    )
    features = pd.concat([*keyed, blog_comments, reach, network, audiences, conversation], axis=1)
    features = features.loc[:, ~features.columns.duplicated()][list(FEATURES)].astype(float)

    posted = counts["posts"].to_numpy() > 0
    source = fill_from_metrics(
        features,
        posted,
        index,
        metrics,
        nominee_of,
        all_accounts=influence_fit == "all_accounts",
        collected={str(p) for p in posts["platform"].unique()},
    )
    table = _labelled(nominees, features, days, source)

    tidy = (
        by_platform_table(
            posts, rated_rows, days, accounts, metrics, graph, nominees, index, fit_on_platform
        )
        if by_platform
        else empty_by_platform()
    )
    logger.info(
        "features of %d nominees (%d with posts), %d per-platform rows; previous year %s",
        count,
        int(posted.sum()),
        len(tidy),
        "read" if previous is not None else "absent",
    )
    return FeatureTables(table, tidy)


def _nominee_of(accounts: pd.DataFrame) -> pd.Series:
    """The nominees' accounts: ``nominee_id`` by ``account_id``."""
    mine = accounts.loc[
        accounts["is_nominee"] & accounts["nominee_id"].notna(), ["account_id", "nominee_id"]
    ]
    return pd.Series(
        mine["nominee_id"].to_numpy(dtype=object),
        index=mine["account_id"].to_numpy(dtype=object),
        dtype=object,
    )


def _rated_rows(authors: np.ndarray, accounts: pd.DataFrame, posts: pd.DataFrame) -> np.ndarray:
    """Which of the nominees' ``posts`` are on accounts whose followers are known
    (``authors``: account id per author code)."""
    followers_known = (
        pd.Series(authors, dtype=object)
        .map(accounts.set_index("account_id")["followers"])
        .notna()
        .to_numpy()
        if len(authors)
        else np.zeros(0, dtype=bool)
    )
    return followers_known[posts["author"].to_numpy()] if len(posts) else np.zeros(0, dtype=bool)


def _blog_owner(accounts: pd.DataFrame, nominees: pd.DataFrame) -> pd.Series:
    """``nominee_id`` by blog account id: the nominees' blog accounts and feed URLs."""
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


def _blog_volume(
    blog_posts: pd.DataFrame | None,
    blog_feeds: pd.DataFrame | None,
    posts: pd.DataFrame,
    accounts: pd.DataFrame,
    nominees: pd.DataFrame,
    index: pd.Index,
) -> tuple[pd.DataFrame | None, pd.Series | None]:
    """Blog features per nominee position (:func:`src.features.blogs.blog_features`), and
    the positions of the nominees with blog posts; (None, None) without a blog table."""
    if blog_posts is None:
        return None, None
    blog_posts = blog_posts[~blog_posts["post_id"].duplicated()]
    # The end of the span read without a blog_feeds table: the posts' last day.
    if not posts.empty:
        window_end = posts["created_at"].max().normalize() + pd.Timedelta(days=1)
    elif not blog_posts.empty:
        window_end = blog_posts["created_at"].max().normalize() + pd.Timedelta(days=1)
    else:
        window_end = pd.Timestamp("1970-01-01", tz="UTC")
    blogs = blog_features(
        blog_posts, blog_feeds, _blog_owner(accounts, nominees), index, window_end
    ).reset_index(drop=True)
    return blogs, pd.Series(np.flatnonzero(blogs["blog_posts"].to_numpy() > 0))


def _previous(
    previous: PreviousYear | None, nominee_of: pd.Series, index: pd.Index
) -> tuple[pd.DataFrame | None, np.ndarray | None]:
    """The previous year's (nominee, engager) pairs, and which nominees were observed then
    (their accounts posted); (None, None) without a previous year."""
    if previous is None:
        return None, None
    if not isinstance(previous, PreviousYear):
        raise TypeError(
            "previous must be a PreviousYear (or None), "
            f"got {type(previous).__name__}: see read_previous_year"
        )
    posted = nominee_of[nominee_of.index.isin(previous.posting_accounts)]
    return previous_engager_pairs(previous.interactions, nominee_of), index.isin(
        pd.unique(posted.to_numpy(dtype=object))
    )


def _all_account_fits(
    all_posts: pd.DataFrame,
) -> tuple[tuple[pd.Series, pd.Series], PlatformFits]:
    """The influence line's population when it is every account with own posts: (own
    posts, engagement earned) per account, and the same per platform position."""
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
    return fit_on, fit_on_platform


def _labelled(
    nominees: pd.DataFrame, features: pd.DataFrame, days: int, source: pd.Series
) -> pd.DataFrame:
    """The combined table: the nominees' labels, ``observation_days``, ``activity_source``
    and the features, one row per nominee in the nominees table's order."""
    labels = nominees.set_index("nominee_id")[[c for c in ID_COLUMNS if c != "nominee_id"]]
    table = labels.join(features, how="left").reset_index()
    table.insert(len(ID_COLUMNS), "observation_days", days)
    table.insert(
        len(ID_COLUMNS) + 1,
        SOURCE_COLUMN,
        table["nominee_id"].map(source).fillna("none").astype(str),
    )
    return table
