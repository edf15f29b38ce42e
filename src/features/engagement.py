"""Engagement quality: what each own post earns (Kaushik's conversation, amplification
and applause rates), and engagement relative to audience size (Bakshy et al. 2011).

Reposts are left out: in X API v2 a retweet carries the reposted post's counts, which
the nominee did not earn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def engagement_sums(posts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee, over own posts: ``own_posts`` and the sums of each count received."""
    own = posts[posts["kind"] != "repost"]
    sums = own.groupby("nominee_id", sort=True)[["reposts", "replies", "likes", "quotes"]].sum()
    sums["own_posts"] = own.groupby("nominee_id", sort=True).size()
    return sums


def engagement_features(sums: pd.DataFrame, followers: pd.Series) -> pd.DataFrame:
    """Rates per own post; ``followers`` is indexed by nominee (missing means unknown)."""
    own = sums["own_posts"].astype(float).where(sums["own_posts"] > 0)
    followers = followers.reindex(sums.index).astype(float)
    total = sums[["reposts", "replies", "likes", "quotes"]].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_post = total / own
        return pd.DataFrame(
            {
                "amplification_rate": sums["reposts"] / own,
                "conversation_rate": sums["replies"] / own,
                "applause_rate": sums["likes"] / own,
                "engagement_per_1k_followers": (per_post / followers * 1000).where(followers > 0),
            },
            index=sums.index,
        )
