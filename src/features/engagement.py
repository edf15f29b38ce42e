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

COUNTS = ["reposts", "replies", "likes", "quotes"]


def engagement_sums(posts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee, over own posts: ``own_posts``, the sums of each count received, ``engaged_posts``, ``media_posts``."""
    own = posts[posts["kind"] != "repost"]
    frame = own[["nominee_id", *COUNTS]].copy()
    frame["own_posts"] = 1
    frame["engaged_posts"] = (own[COUNTS].sum(axis=1) > 0).astype(int)
    frame["media_posts"] = own["has_media"].astype(int) if "has_media" in own.columns else 0
    return frame.groupby("nominee_id", sort=True).sum()


def ranked_post_sums(posts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee, over own posts: ``repost_h_index``, ``like_h_index``, ``top_decile_engagement`` and ``engagement``."""
    own = posts[posts["kind"] != "repost"]
    who = own["nominee_id"].to_numpy()
    out = {}
    for column in ("reposts", "likes"):
        frame = pd.DataFrame({"nominee_id": who, "v": own[column].to_numpy()}).sort_values(["nominee_id", "v"], ascending=[True, False], kind="stable")
        rank = frame.groupby("nominee_id", sort=False).cumcount().to_numpy() + 1
        frame["h"] = (frame["v"].to_numpy() >= rank).astype(int)
        out[f"{column[:-1]}_h_index"] = frame.groupby("nominee_id", sort=True)["h"].sum()
    total = own[COUNTS].sum(axis=1).to_numpy()
    frame = pd.DataFrame({"nominee_id": who, "e": total}).sort_values(["nominee_id", "e"], ascending=[True, False], kind="stable")
    grouped = frame.groupby("nominee_id", sort=False)
    rank = grouped.cumcount().to_numpy() + 1
    n = grouped["e"].transform("size").to_numpy()
    frame["top"] = np.where(rank <= np.ceil(n / 10), frame["e"].to_numpy(), 0)
    sums = frame.groupby("nominee_id", sort=True)[["top", "e"]].sum()
    out["top_decile_engagement"] = sums["top"]
    out["engagement"] = sums["e"]
    return pd.DataFrame(out)


def engagement_features(sums: pd.DataFrame, followers: pd.Series, ranked: pd.DataFrame | None = None, mentions: pd.Series | None = None) -> pd.DataFrame:
    """Rates per own post; ``followers`` is indexed by nominee (missing means unknown).

    ``ranked`` is :func:`ranked_post_sums`, ``mentions`` the mentions received per
    nominee (from interactions); both indexed by nominee.
    """
    index = sums.index
    own = sums["own_posts"].astype(float).where(sums["own_posts"] > 0)
    followers = followers.reindex(index).astype(float)
    total = sums[COUNTS].sum(axis=1)
    ranked = (ranked if ranked is not None else pd.DataFrame(columns=["repost_h_index", "like_h_index", "top_decile_engagement", "engagement"])).reindex(index, fill_value=0)
    mentions = (mentions if mentions is not None else pd.Series(dtype=float)).reindex(index, fill_value=0).astype(float)
    engaged = sums["engaged_posts"] if "engaged_posts" in sums.columns else pd.Series(np.nan, index=index)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_post = total / own
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
                "top_decile_engagement_share": (ranked["top_decile_engagement"] / ranked["engagement"].astype(float)).where(ranked["engagement"] > 0),
            },
            index=index,
        )
