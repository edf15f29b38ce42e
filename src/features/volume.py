"""Volume: the "prolific" axis. How much a nominee posts, whatever it earns.

Input is the ``posts`` table restricted to nominee accounts with a ``nominee_id``
column. Each function is a grouped sum over posts, so it can run on partitions of the
posts and combine by adding (the scale-out path).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def post_counts(posts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee: ``posts``, ``own_posts`` (not reposts), ``reposts_made``, ``replies_made``."""
    kinds = posts["kind"].to_numpy()
    counts = pd.DataFrame(
        {
            "nominee_id": posts["nominee_id"].to_numpy(),
            "posts": 1,
            "own_posts": (kinds != "repost").astype(int),
            "reposts_made": (kinds == "repost").astype(int),
            "replies_made": (kinds == "reply").astype(int),
        }
    )
    return counts.groupby("nominee_id", sort=True).sum()


def volume_features(counts: pd.DataFrame, days: float) -> pd.DataFrame:
    """Volume features from :func:`post_counts` over an observation window of ``days`` days."""
    if days <= 0:
        raise ValueError(f"the observation window must be at least one day, got {days}")
    posts = counts["posts"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "posts_per_day": posts / days,
                "own_posts_per_day": counts["own_posts"] / days,
                "repost_share": (counts["reposts_made"] / posts).where(posts > 0),
                "reply_share": (counts["replies_made"] / posts).where(posts > 0),
            },
            index=counts.index,
        )
