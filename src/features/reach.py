"""Reach: the audience a nominee could reach (Cha et al. 2010 show it is not influence)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def account_totals(accounts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee: ``followers``, ``following`` and ``listed`` summed over their accounts
    (missing if unknown).

    Also the sums behind the two ratios, over the accounts that report both figures:
    ``listed_of_listed`` and ``followers_of_listed`` (accounts with lists and followers
    known: only X reports lists), ``followers_of_following`` and ``following_of_following``.
    A ratio of plain sums would divide one platform's lists by every platform's followers.
    """
    nominees = accounts[accounts["is_nominee"]]
    values = nominees[["followers", "following", "listed"]].astype("Float64").astype(float)
    both_listed = values["listed"].notna() & values["followers"].notna()
    both_following = values["following"].notna() & values["followers"].notna()
    values = values.assign(
        listed_of_listed=values["listed"].where(both_listed),
        followers_of_listed=values["followers"].where(both_listed),
        followers_of_following=values["followers"].where(both_following),
        following_of_following=values["following"].where(both_following),
        nominee_id=nominees["nominee_id"].to_numpy(),
    )
    # min_count=1: a nominee whose accounts all lack the figure stays missing, not 0.
    return values.groupby("nominee_id", sort=True).sum(min_count=1)


def follower_snapshots(metrics: pd.DataFrame | None, owner: pd.Series) -> pd.DataFrame:
    """Per nominee: followers in the earliest and the latest period, over accounts with two
    or more periods with followers.

    ``owner`` maps ``account_id`` to ``nominee_id``.
    """
    if metrics is None or metrics.empty:
        return pd.DataFrame(columns=["first", "last"], dtype=float)
    known = metrics.loc[metrics["followers"].notna(), ["account_id", "period_start", "followers"]]
    known = known.assign(nominee_id=known["account_id"].map(owner)).dropna(subset=["nominee_id"])
    known = known.sort_values(["account_id", "period_start"], kind="stable")
    grouped = known.groupby("account_id", sort=True)
    per_account = pd.DataFrame(
        {
            "nominee_id": grouped["nominee_id"].first(),
            "n": grouped.size(),
            "first": grouped["followers"].first().astype(float),
            "last": grouped["followers"].last().astype(float),
        }
    )
    per_account = per_account[per_account["n"] >= 2]
    return per_account.groupby("nominee_id", sort=True)[["first", "last"]].sum()


def reach_features(totals: pd.DataFrame, snapshots: pd.DataFrame | None = None) -> pd.DataFrame:
    """Reach features from :func:`account_totals` and :func:`follower_snapshots`."""
    followers = totals["followers"]
    missing = pd.Series(np.nan, index=totals.index)
    # Ratios over the accounts that report both figures (see account_totals); a table of
    # plain sums (no such columns) is taken as it is.
    listed = totals.get("listed_of_listed", totals.get("listed", missing))
    listed_followers = totals.get("followers_of_listed", followers)
    following = totals.get("following_of_following", totals.get("following", missing))
    following_followers = totals.get("followers_of_following", followers)
    snapshots = (
        snapshots if snapshots is not None else pd.DataFrame(columns=["first", "last"], dtype=float)
    ).reindex(totals.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "log10_followers": np.log10(1.0 + followers),
                "listed_per_1k_followers": (listed / listed_followers * 1000).where(
                    listed_followers > 0
                ),
                "followers_per_following": (following_followers / following).where(following > 0),
                "follower_growth": (
                    (snapshots["last"] - snapshots["first"]) / snapshots["first"]
                ).where(snapshots["first"] > 0),
            },
            index=totals.index,
        )
