"""Reach: the audience a nominee could reach (Cha et al. 2010 show it is not influence)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def account_totals(accounts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee: ``followers`` and ``listed`` summed over their accounts (missing if unknown)."""
    nominees = accounts[accounts["is_nominee"]]
    grouped = nominees.groupby("nominee_id", sort=True)[["followers", "listed"]]
    # min_count=1: a nominee whose accounts all lack the figure stays missing, not 0.
    return grouped.sum(min_count=1).astype("Float64").astype(float)


def reach_features(totals: pd.DataFrame) -> pd.DataFrame:
    """Reach features from :func:`account_totals`."""
    followers = totals["followers"]
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "log10_followers": np.log10(1.0 + followers),
                "listed_per_1k_followers": (totals["listed"] / followers * 1000).where(followers > 0),
            },
            index=totals.index,
        )
