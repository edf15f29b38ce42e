"""Nominees matched to the accounts of each source, and the accounts of all sources in one table.

A nominee is matched to an account by the handle ``nominations.csv`` gives for that
platform (case-insensitive, without a leading ``@``). On Bluesky the column may give the
account's DID instead (``did:plc:…``, ``did:web:…``): the DID is permanent while handles
change, so a DID matches the account whatever handle the export shows. A handle that
several accounts of the year's exports show (one gave it up and another took it) matches
none: the nominee's DID says which. The same account may come from a platform's posts and
from a metrics table: the combined table keeps the nominee's row.
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
#: Platforms whose account ids are ``<platform>:<DID>``, so a DID can name the account.
DID_PLATFORMS = ("bluesky",)


def is_did(value: str) -> bool:
    """Whether a (normalised) handle is a DID (``did:plc:…``, ``did:web:…``)."""
    return value.startswith("did:") and value.count(":") >= 2


def _by_handle(accounts: pd.DataFrame, mine: pd.Series) -> dict[str, list[Any]]:
    """Each handle the platform's accounts show (lower case, no ``@``) -> their rows."""
    found: dict[str, list[Any]] = {}
    for index, handle in zip(accounts.index[mine], accounts.loc[mine, "handle"], strict=True):
        if isinstance(handle, str):
            found.setdefault(handle.lower().lstrip("@"), []).append(index)
    return found


def _by_did(accounts: pd.DataFrame, mine: pd.Series, platform: str) -> dict[str, Any]:
    """Each DID (lower case) -> its row, for platforms whose account ids are DIDs."""
    if platform not in DID_PLATFORMS:
        return {}
    prefix = f"{platform}:"
    return {
        str(account).removeprefix(prefix).lower(): index
        for index, account in zip(
            accounts.index[mine], accounts.loc[mine, "account_id"], strict=True
        )
    }


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
    """Attach ``is_nominee`` and ``nominee_id`` to a platform's accounts by handle (any
    case), or by DID on Bluesky.

    Raises (strict) or records (quarantine):
        InputError: a nominee's handle or DID is in no export of the year for that
            platform, a handle is shown by several accounts, or two nominees claim the same
            account. A quarantined nominee keeps their row but has no account on that
            platform.
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
    by_handle = _by_handle(accounts, mine)
    by_did = _by_did(accounts, mine, platform)
    claimed: dict[Any, str] = {}
    for nominee_id, handle in zip(nominees["nominee_id"], nominees[handle_column], strict=True):
        handle = normalise_handle(handle)
        if handle is None:
            continue

        def fail(problem: str, nominee_id: str = nominee_id) -> InputError:
            return InputError(
                nominations_path,
                problem,
                record=f"nominee {nominee_id!r}",
                field=handle_column,
            )

        try:
            if platform in DID_PLATFORMS and is_did(handle):
                if handle not in by_did:
                    raise fail(
                        f"{shown} DID {handle} is in no {shown} export of this year "
                        f"(looked in {export_folder}); add the nominee's author feed and "
                        "profile, or correct the DID"
                    )
                index = by_did[handle]
                named = f"DID {handle}"
            else:
                rows = by_handle.get(handle, [])
                if not rows:
                    hint = (
                        "; if the account changed its handle, give its DID (did:plc:…) instead"
                        if platform in DID_PLATFORMS
                        else ""
                    )
                    raise fail(
                        f"{shown} handle @{handle} is in no {shown} export of this year "
                        f"(looked in {export_folder}); "
                        f"add the nominee's timeline and profile, or correct the handle{hint}"
                    )
                if len(rows) > 1:
                    hint = (
                        ": give the nominee's DID (did:plc:…) instead"
                        if platform in DID_PLATFORMS
                        else ": keep only the nominee's account in the exports"
                    )
                    raise fail(
                        f"{shown} handle @{handle} is shown by {len(rows)} accounts in this "
                        f"year's {shown} exports (a handle given up and taken again){hint}"
                    )
                index = rows[0]
                named = f"handle @{handle}"
            if index in claimed:
                raise fail(f"{shown} {named} is also given for nominee {claimed[index]!r}")
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
    columns = list(ACCOUNTS.columns)
    hidden: set[str] = set()
    if not frames:
        combined = accounts_frame([]).assign(
            is_nominee=pd.Series([], dtype=bool), nominee_id=pd.Series([], dtype=object)
        )
    else:
        combined = pd.concat([f.reindex(columns=columns) for f in frames], ignore_index=True)
        # A label seen on any copy of the account holds for the row kept.
        combined["hide_from_logged_out"] = combined["hide_from_logged_out"].eq(True)
        hidden = set(combined.loc[combined["hide_from_logged_out"], "account_id"])
        # The same account may come from posts and from a metrics table: keep the richer row.
        combined = combined.sort_values(
            ["account_id", "is_nominee"], ascending=[True, False], kind="stable"
        ).drop_duplicates("account_id", keep="first")
    combined["is_nominee"] = combined["is_nominee"].astype(bool)
    # Only a platform with such a setting says True (a frame without the column: False).
    combined["hide_from_logged_out"] = combined["account_id"].isin(hidden)
    combined["nominee_id"] = (
        combined["nominee_id"].astype(object).where(combined["nominee_id"].notna(), None)
    )
    return combined[columns].reset_index(drop=True)
