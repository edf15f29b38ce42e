"""Assemble one year's feature table: one row per nominee, every family joined.

Each family's per-nominee sums are computed from the canonical tables (vectorised,
see each module for how they would combine across partitions), then turned into
features and joined in dictionary order.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from src.errors import InputError
from src.features.audiences import audience_features, communities, previous_engager_pairs
from src.features.conversation import conversation_counts, platform_counts
from src.features.dictionary import FEATURES, feature_dictionary
from src.features.engagement import COUNTS, engagement_features, engagement_sums, ranked_post_sums
from src.features.influence import residuals
from src.features.metrics import metric_features, metric_sums
from src.features.network import betweenness, build_graph, mentions_received, network_features, pagerank, reciprocity, undirected, undirected_igraph
from src.features.reach import account_totals, follower_snapshots, reach_features
from src.features.volume import active_days, blog_counts, gap_sums, post_counts, volume_features
from src.io import write_parquet_atomic, write_text_atomic

#: Identifying and label columns carried next to the features.
ID_COLUMNS = ["nominee_id", "year", "name", "category", "selected", "rank"]
#: Where a nominee's activity figures came from: posts, account_metrics (no posts) or none.
SOURCE_COLUMN = "activity_source"
_INTERACTION_KEY = ["source_account_id", "target_account_id", "kind", "post_id"]
#: The columns of each table that the feature step reads (a caller may load only these).
INPUT_COLUMNS = {
    "posts": ["post_id", "account_id", "platform", "created_at", "kind", "referenced_post_id", "likes", "reposts", "replies", "quotes", "has_media", "hashtags"],
    "interactions": [*_INTERACTION_KEY, "created_at"],
}


def observation_days(posts: pd.DataFrame) -> int:
    """Length of the year's observation window in calendar days (UTC), inclusive.

    Taken from the earliest and latest nominee post of the year, so every nominee is
    measured over the same window; at least 1.
    """
    if posts.empty:
        return 1
    first, last = posts["created_at"].min(), posts["created_at"].max()
    return int((last.normalize() - first.normalize()).days) + 1


def _unique(frame: pd.DataFrame, key: str | list[str]) -> pd.DataFrame:
    """``frame`` without repeated records (a post read twice counts once).

    With a composite key, only rows whose first key column repeats are compared in full.
    """
    keys = [key] if isinstance(key, str) else list(key)
    if len(keys) == 1:
        duplicated = frame[keys[0]].duplicated()
        return frame[~duplicated] if duplicated.any() else frame
    candidates = frame[keys[-1]].duplicated(keep=False)
    if not candidates.any():
        return frame
    duplicated = pd.Series(False, index=frame.index)
    duplicated[candidates] = frame.loc[candidates].duplicated(keys)
    return frame[~duplicated]


def _blog_owner(accounts: pd.DataFrame, nominees: pd.DataFrame) -> pd.Series:
    owner = accounts.loc[accounts["is_nominee"] & (accounts["platform"] == "blog"), ["account_id", "nominee_id"]].dropna()
    owner = pd.Series(owner["nominee_id"].to_numpy(), index=owner["account_id"].to_numpy(), dtype=object)
    if "blog_feed_url" in nominees.columns:
        feeds = nominees.dropna(subset=["blog_feed_url"])
        extra = pd.Series(feeds["nominee_id"].to_numpy(), index=("blog:" + feeds["blog_feed_url"]).to_numpy(), dtype=object)
        owner = pd.concat([owner, extra[~extra.index.isin(owner.index)]])
    return owner


def build_features(tables: dict[str, pd.DataFrame], previous_interactions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Features for every nominee of a year from its canonical tables.

    ``tables`` holds ``nominees``, ``accounts``, ``posts`` and optionally
    ``interactions``, ``blog_posts`` and ``account_metrics`` (as
    :func:`src.ingest.pipeline.read_tables` returns them). ``previous_interactions``
    (or ``tables["previous_interactions"]``) is the previous year's interactions table,
    for ``new_engager_share``; without it that feature is missing.

    Nominees with no posts get a row too: per-day volumes of 0 and missing rates (see
    each feature's ``when_undefined``), or the figures of an account-level metric table
    when the year has one (``activity_source`` says which).
    """
    nominees = tables["nominees"]
    accounts = tables["accounts"]
    mine = accounts.loc[accounts["is_nominee"] & accounts["nominee_id"].notna(), ["account_id", "nominee_id"]]
    nominee_of = pd.Series(mine["nominee_id"].to_numpy(), index=mine["account_id"].to_numpy(), dtype=object)
    index = pd.Index(sorted(nominees["nominee_id"]), name="nominee_id")

    all_posts = _unique(tables["posts"][INPUT_COLUMNS["posts"]], "post_id").reset_index(drop=True)
    is_nominee_post = all_posts["account_id"].isin(nominee_of.index).to_numpy()
    posts = all_posts[is_nominee_post].copy()
    posts["nominee_id"] = posts["account_id"].map(nominee_of).to_numpy(dtype=object)
    days = observation_days(posts)

    # Volume.
    counts = post_counts(posts).reindex(index, fill_value=0)
    blog_posts = tables.get("blog_posts")
    blogs, blog_owners = None, None
    if blog_posts is not None:
        blog_posts = _unique(blog_posts, "post_id")
        if not posts.empty:
            window_end = posts["created_at"].max().normalize() + pd.Timedelta(days=1)
        elif not blog_posts.empty:
            window_end = blog_posts["created_at"].max().normalize() + pd.Timedelta(days=1)
        else:
            window_end = pd.Timestamp("1970-01-01", tz="UTC")
        blogs = blog_counts(blog_posts, _blog_owner(accounts, nominees), window_end)
        blog_owners = pd.Series(blogs.index[blogs > 0])
    volume = volume_features(counts, days, active_days(posts), gap_sums(posts), blogs)

    # Reach.
    totals = account_totals(accounts).reindex(index)
    reach = reach_features(totals, follower_snapshots(tables.get("account_metrics"), nominee_of))

    # The interaction graph: network position and audiences.
    interactions = tables.get("interactions")
    if interactions is None:
        interactions = pd.DataFrame({c: pd.Series([], dtype=object) for c in _INTERACTION_KEY} | {"created_at": pd.Series([], dtype="datetime64[us, UTC]")})
    interactions = _unique(interactions, _INTERACTION_KEY)
    graph = build_graph(interactions, nominee_of, index)
    edges, weight = undirected(graph)
    simple = undirected_igraph(graph, edges)
    followers = accounts.set_index("account_id")["followers"]
    network = network_features(graph, followers, pagerank(graph), betweenness(graph, simple))

    # Engagement.
    sums = engagement_sums(posts).reindex(index, fill_value=0)
    ranked = ranked_post_sums(posts).reindex(index, fill_value=0)
    engagement = engagement_features(sums, totals["followers"], ranked, mentions_received(graph))

    previous = previous_interactions if previous_interactions is not None else tables.get("previous_interactions")
    previous_pairs = previous_engager_pairs(_unique(previous, _INTERACTION_KEY), nominee_of) if previous is not None else None
    audiences = audience_features(graph, communities(graph, simple, weight), sums["own_posts"], previous_pairs)

    # Conversation.
    own = sums["own_posts"].astype(float)
    row_nominee = np.full(len(all_posts), -1, dtype=np.int64)
    row_nominee[is_nominee_post] = index.get_indexer(posts["nominee_id"].to_numpy(dtype=object))
    talk = conversation_counts(all_posts, row_nominee, index)
    with np.errstate(divide="ignore", invalid="ignore"):
        conversation = pd.DataFrame(
            {
                "threads_started": talk["threads_started"].astype(float),
                "chats_hosted": talk["chats_hosted"].astype(float),
                "reciprocity": reciprocity(graph),
                "media_share": (sums["media_posts"] / own).where(own > 0),
                "platforms_used": platform_counts(posts, blog_owners).reindex(index, fill_value=0).astype(float),
            },
            index=index,
        )

    # Influence beyond volume.
    influence = residuals(sums["own_posts"], sums[COUNTS].sum(axis=1)).to_frame()

    features = pd.concat([volume, reach, engagement, network, audiences, conversation, influence], axis=1)
    features = features.loc[:, ~features.columns.duplicated()][list(FEATURES)].astype(float)

    # Nominees with no posts: what an account-level metric table supports.
    source = pd.Series(np.where(counts["posts"] > 0, "posts", "none"), index=index)
    from_metrics = metric_features(metric_sums(tables.get("account_metrics"), nominee_of))
    fill = from_metrics.index[from_metrics.index.isin(index)]
    fill = fill[(counts.loc[fill, "posts"] == 0).to_numpy() & from_metrics.loc[fill, "posts_per_day"].notna().to_numpy()]
    if len(fill):
        for name in from_metrics.columns:
            features.loc[fill, name] = from_metrics.loc[fill, name].to_numpy(dtype=float)
        features.loc[fill, "platforms_used"] = np.maximum(features.loc[fill, "platforms_used"].to_numpy(), from_metrics.loc[fill, "platforms_used"].to_numpy(dtype=float))
        source[fill] = "account_metrics"

    labels = nominees.set_index("nominee_id")[[c for c in ID_COLUMNS if c != "nominee_id"]]
    table = labels.join(features, how="left").reset_index()
    table.insert(len(ID_COLUMNS), "observation_days", days)
    table.insert(len(ID_COLUMNS) + 1, SOURCE_COLUMN, table["nominee_id"].map(source).fillna("none").astype(str))
    return table


def write_features(table: pd.DataFrame, processed_year: Path) -> dict[str, str]:
    """Write ``features.parquet`` and ``feature_dictionary.csv`` into a processed year folder, atomically."""
    folder = Path(processed_year)
    features_path = write_parquet_atomic(table, folder / "features.parquet")
    dictionary_path = write_text_atomic(feature_dictionary().to_csv(index=False), folder / "feature_dictionary.csv")
    return {"features": str(features_path), "dictionary": str(dictionary_path)}


def read_features(processed_year: Path) -> pd.DataFrame:
    """Read a year's feature table written by :func:`write_features`."""
    path = Path(processed_year) / "features.parquet"
    if not path.exists():
        raise InputError(path, "not found: run the features step (notebooks/02_features.ipynb) for this year first")
    return pd.read_parquet(path)


def read_previous_interactions(processed_year: Path) -> pd.DataFrame | None:
    """The previous year's processed interactions next to ``processed_dir/<year>``, or None when absent."""
    folder = Path(processed_year)
    try:
        year = int(folder.name)
    except ValueError:
        return None
    path = folder.parent / str(year - 1) / "interactions.parquet"
    return pd.read_parquet(path) if path.exists() else None
