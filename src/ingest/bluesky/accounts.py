"""Accounts from actor views and profiles, and what the reader has kept so far.

An author seen inside a post (``profileViewBasic``) gives handle and name; a profile
(``profileViewDetailed``, from getProfile or getProfiles) gives the counts too. A profile
is never replaced by a later post-author view; otherwise the copy read last wins.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from src.ingest.bluesky.ids import INVALID_HANDLE, as_did
from src.ingest.json_input import Where, check_type, count, optional, require, time


@dataclass
class Seen:
    """What the reader has kept so far: posts by key, accounts by DID, counts and notes."""

    posts: dict[str, dict[str, Any]] = field(default_factory=dict)  # dedup key -> row
    accounts: dict[str, tuple[bool, dict[str, Any]]] = field(
        default_factory=dict
    )  # did -> (is profile, row)
    records: int = 0
    api_errors: int = 0
    files: list[str] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)


def keep_account(seen: Seen, row: dict[str, Any], *, profile: bool) -> None:
    """Keep an account's row unless a profile is kept and this is only an actor view."""
    did = row["did"]
    previous = seen.accounts.get(did)
    if previous is None or profile or not previous[0]:
        seen.accounts[did] = (profile, row)


def actor(view: Any, where: Where, seen: Seen) -> str:
    """Read a ``profileViewBasic`` (post author, reposter, …), keep it, return its DID."""
    check_type(view, where, dict)
    did = as_did(require(view, "did", where), where / "did")
    handle = require(view, "handle", where)
    keep_account(
        seen,
        {
            "did": did,
            "handle": None if handle == INVALID_HANDLE else handle,
            "name": optional(view, "displayName", where) or None,
            "created_at": time(view, "createdAt", where, required=False),
        },
        profile=False,
    )
    return did


def read_profile(view: Any, where: Where, seen: Seen) -> None:
    """Read a ``profileViewDetailed`` (getProfile, getProfiles)."""
    check_type(view, where, dict)
    did = as_did(require(view, "did", where), where / "did")
    handle = require(view, "handle", where)
    keep_account(
        seen,
        {
            "did": did,
            "handle": None if handle == INVALID_HANDLE else handle,
            "name": optional(view, "displayName", where) or None,
            "description": optional(view, "description", where) or None,
            "followers": count(view, "followersCount", where, default=None),
            "following": count(view, "followsCount", where, default=None),
            "posts_total": count(view, "postsCount", where, default=None),
            "created_at": time(view, "createdAt", where, required=False),
        },
        profile=True,
    )
