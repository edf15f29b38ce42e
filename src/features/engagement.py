"""Engagement quality: what each own post earns (Kaushik's conversation, amplification
and applause rates), engagement relative to audience size (Bakshy et al. 2011), the
h-index of posts (Hirsch 2005) and how concentrated engagement is.

Reposts are left out: in X API v2 a retweet carries the reposted post's counts, which
the nominee did not earn. :func:`engagement_sums` adds over partitions of posts;
:func:`ranked_post_sums` (h-indices, top decile) needs a nominee's own posts in one
partition (partition by nominee), then its counts add.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.features.arrays import group_order

COUNTS = ["reposts", "replies", "likes", "quotes"]


def engagement_sums(posts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee, over own posts: ``own_posts``, the sums of each count received,
    ``engaged_posts``, ``media_posts``."""
    own = posts[posts["kind"] != "repost"]
    frame = own[["nominee_id", *COUNTS]].copy()
    frame["own_posts"] = 1
    frame["engaged_posts"] = (own[COUNTS].sum(axis=1) > 0).astype(int)
    frame["media_posts"] = own["has_media"].astype(np.int64) if "has_media" in own.columns else 0
    return frame.groupby("nominee_id", sort=True).sum()


def _ranked(key: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each nominee's values in descending order: (nominee code per row, the value, its
    rank from 1)."""
    order = group_order(key, values, descending=True)
    key, values = key[order], values[order]
    start = np.ones(len(key), dtype=bool)
    start[1:] = key[1:] != key[:-1]
    first = np.flatnonzero(start)
    rank = np.arange(1, len(key) + 1) - np.repeat(first, np.diff(np.append(first, len(key))))
    return key, values, rank


def ranked_post_sums(posts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee, over own posts: ``repost_h_index``, ``like_h_index``,
    ``top_decile_engagement`` and ``engagement``."""
    own = posts[posts["kind"] != "repost"]
    codes, nominees = pd.factorize(own["nominee_id"].to_numpy(), sort=True)
    count = len(nominees)
    out = {}
    for column in ("reposts", "likes"):
        key, values, rank = _ranked(codes, own[column].to_numpy())
        # The h-index: in descending order, the posts whose value is at least their rank.
        out[f"{column[:-1]}_h_index"] = np.bincount(
            key, weights=values >= rank, minlength=count
        ).astype(np.int64)
    key, total, rank = _ranked(codes, own[COUNTS].sum(axis=1).to_numpy())
    size = np.bincount(key, minlength=count)
    top = np.where(rank <= np.ceil(size[key] / 10), total, 0)
    out["top_decile_engagement"] = np.bincount(key, weights=top, minlength=count).astype(np.int64)
    out["engagement"] = np.bincount(key, weights=total, minlength=count).astype(np.int64)
    return pd.DataFrame(out, index=pd.Index(nominees, name="nominee_id"))


def engagement_features(
    sums: pd.DataFrame,
    followers: pd.Series,
    ranked: pd.DataFrame | None = None,
    mentions: pd.Series | None = None,
    rated: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rates per own post; ``followers`` is indexed by nominee (missing means unknown).

    ``ranked`` is :func:`ranked_post_sums`, ``mentions`` the mentions received per
    nominee (from interactions); both indexed by nominee. ``rated`` is
    :func:`engagement_sums` over the posts of the accounts whose followers are known, and
    ``followers`` then those accounts' followers, for ``engagement_per_1k_followers``
    (posts of an account with unknown followers would otherwise be divided by the other
    accounts' followers); without it, ``sums`` is used.
    """
    index = sums.index
    own = sums["own_posts"].astype(float).where(sums["own_posts"] > 0)
    followers = followers.reindex(index).astype(float)
    rated = sums if rated is None else rated.reindex(index, fill_value=0)
    rated_own = rated["own_posts"].astype(float).where(rated["own_posts"] > 0)
    ranked = (
        ranked
        if ranked is not None
        else pd.DataFrame(
            columns=["repost_h_index", "like_h_index", "top_decile_engagement", "engagement"]
        )
    ).reindex(index, fill_value=0)
    mentions = (
        (mentions if mentions is not None else pd.Series(dtype=float))
        .reindex(index, fill_value=0)
        .astype(float)
    )
    engaged = (
        sums["engaged_posts"] if "engaged_posts" in sums.columns else pd.Series(np.nan, index=index)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        per_post = rated[COUNTS].sum(axis=1) / rated_own
        return pd.DataFrame(
            {
                "amplification_rate": sums["reposts"] / own,
                "conversation_rate": sums["replies"] / own,
                "applause_rate": sums["likes"] / own,
                "engagement_per_1k_followers": (per_post / followers * 1000).where(followers > 0),
                "mentions_received_per_post": mentions / own,
                "repost_h_index": ranked["repost_h_index"].astype(float),
                "like_h_index": ranked["like_h_index"].astype(float),
                "engaged_post_share": engaged / own,
                "top_decile_engagement_share": (
                    ranked["top_decile_engagement"] / ranked["engagement"].astype(float)
                ).where(ranked["engagement"] > 0),
            },
            index=index,
        )
