"""Nominees matched to the accounts of each source, and the accounts of all sources in one table.

A nominee is matched to an account by the handle ``nominations.csv`` gives for that
platform (case-insensitive, without a leading ``@``). The same account may come from a
platform's posts and from a metrics table: the combined table keeps the nominee's row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from src.errors import InputError
from src.ingest.nominations import normalise_handle
from src.ingest.quarantine import Rejects
from src.ingest.tables import accounts_frame
from src.schemas import ACCOUNTS

PLATFORM_NAMES = {"x": "X", "bluesky": "Bluesky", "mastodon": "Mastodon", "blog": "blog"}


def match_nominees(
    nominees: pd.DataFrame,
    accounts: pd.DataFrame,
    nominations_path: Path,
    export_folder: Path,
    *,
    platform: str = "x",
    handle_column: str = "x_handle",
    rejects: Rejects | None = None,
) -> pd.DataFrame:
    """Attach ``is_nominee`` and ``nominee_id`` to a platform's accounts by handle (any case).

    Raises (strict) or records (quarantine):
        InputError: a nominee's handle is in no export of the year for that platform, or
            two nominees claim the same handle. A quarantined nominee keeps their row but
            has no account on that platform.
    """
    rejects = Rejects() if rejects is None else rejects
    shown = PLATFORM_NAMES.get(platform, platform)
    accounts = accounts.copy()
    if "is_nominee" not in accounts.columns:
        accounts["is_nominee"] = False
        accounts["nominee_id"] = pd.Series(
            [None] * len(accounts), dtype=object, index=accounts.index
        )
    mine = accounts["platform"] == platform
    by_handle = {
        str(h).lower().lstrip("@"): i
        for i, h in zip(accounts.index[mine], accounts.loc[mine, "handle"], strict=True)
        if isinstance(h, str)
    }
    claimed: dict[int, str] = {}
    for nominee_id, handle in zip(nominees["nominee_id"], nominees[handle_column], strict=True):
        handle = normalise_handle(handle)
        if handle is None:
            continue
        try:
            if handle not in by_handle:
                raise InputError(
                    nominations_path,
                    f"{shown} handle @{handle} is in no {shown} export of this year "
                    f"(looked in {export_folder}); "
                    "add the nominee's timeline and profile, or correct the handle",
                    record=f"nominee {nominee_id!r}",
                    field=handle_column,
                )
            index = by_handle[handle]
            if index in claimed:
                raise InputError(
                    nominations_path,
                    f"{shown} handle @{handle} is also given for nominee {claimed[index]!r}",
                    record=f"nominee {nominee_id!r}",
                    field=handle_column,
                )
        except InputError as error:
            rejects(error)
            continue
        claimed[index] = nominee_id
        accounts.loc[index, "is_nominee"] = True
        accounts.loc[index, "nominee_id"] = nominee_id
    return accounts


def accounts_from_metrics(metrics: pd.DataFrame) -> list[dict[str, Any]]:
    """One account row per metrics account, with the figures of its latest period."""
    latest = (
        metrics.sort_values(["account_id", "period_start"], kind="stable")
        .groupby("account_id", sort=True)
        .tail(1)
    )
    return [
        {
            "account_id": row.account_id,
            "platform": row.platform,
            "handle": row.handle,
            "followers": row.followers,
            "following": row.following,
            "listed": row.listed,
            "posts_total": None,
        }
        for row in latest.itertuples()
    ]


def combine_accounts(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The accounts of every source as one table, one row per account (a nominee's kept)."""
    if not frames:
        combined = accounts_frame([]).assign(
            is_nominee=pd.Series([], dtype=bool), nominee_id=pd.Series([], dtype=object)
        )
    else:
        combined = pd.concat([f[list(ACCOUNTS.columns)] for f in frames], ignore_index=True)
        # The same account may come from posts and from a metrics table: keep the richer row.
        combined = combined.sort_values(
            ["account_id", "is_nominee"], ascending=[True, False], kind="stable"
        ).drop_duplicates("account_id", keep="first")
    combined["is_nominee"] = combined["is_nominee"].astype(bool)
    combined["nominee_id"] = (
        combined["nominee_id"].astype(object).where(combined["nominee_id"].notna(), None)
    )
    return combined[list(ACCOUNTS.columns)].reset_index(drop=True)
