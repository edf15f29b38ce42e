"""Accounts from actor views and profiles, and what the reader has kept so far.

An author seen inside a post (``profileViewBasic``) gives handle and name; a profile
(``profileViewDetailed``, from getProfile or getProfiles) gives the counts too. A profile
is never replaced by a post-author view; among profiles, and among actor views, the
latest retrieval wins (:mod:`src.ingest.snapshots`). An account any of whose views
carries the ``!no-unauthenticated`` label (the account asks not to be shown to
logged-out viewers) is flagged ``hide_from_logged_out``, whichever copy is kept.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from src.ingest.bluesky.ids import INVALID_HANDLE, as_did
from src.ingest.json_input import Where, check_type, count, list_of_objects, optional, require, time
from src.ingest.snapshots import LatestCopies, Retrieval

#: The self-label of an account that asks not to be shown to logged-out viewers.
NO_UNAUTHENTICATED = "!no-unauthenticated"
_NO_RETRIEVAL = Retrieval(datetime.min.replace(tzinfo=UTC), False, "", 0)


@dataclass
class Seen:
    """What the reader has kept so far: the latest copy of each post (by key) and of each
    account's profile and actor view (by DID), counts, notes, and what was skipped."""

    posts: LatestCopies = field(default_factory=LatestCopies)  # dedup key -> row
    profiles: LatestCopies = field(default_factory=LatestCopies)  # did -> row
    actors: LatestCopies = field(default_factory=LatestCopies)  # did -> row
    hidden: set[str] = field(default_factory=set)  # DIDs labelled !no-unauthenticated
    records: int = 0
    api_errors: int = 0
    files: list[str] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)
    #: responses skipped as not author feeds or profiles, by what they are, and their files
    skipped: Counter = field(default_factory=Counter)
    skipped_files: set[str] = field(default_factory=set)
    #: files holding posts that lack a count
    count_missing_files: set[str] = field(default_factory=set)
    #: the retrieval of the response being read
    retrieval: Retrieval = _NO_RETRIEVAL

    def skip(self, path: Path, what: str) -> None:
        """Count a response skipped as ``what``."""
        self.skipped[what] += 1
        self.skipped_files.add(str(path))

    def accounts(self) -> list[dict[str, Any]]:
        """One row per DID: its latest profile, else its latest actor view."""
        rows = []
        for did in dict.fromkeys([*self.profiles.rows, *self.actors.rows]):
            row = self.profiles.get(did) or self.actors.get(did)
            rows.append({**row, "hide_from_logged_out": did in self.hidden})
        return rows


def _labelled_hidden(view: dict[str, Any], where: Where) -> bool:
    """Whether a view's ``labels`` carry ``!no-unauthenticated`` (and do not negate it)."""
    return any(
        label.get("val") == NO_UNAUTHENTICATED and not label.get("neg")
        for label in list_of_objects(view, "labels", where)
    )


def keep_account(seen: Seen, row: dict[str, Any], *, profile: bool) -> None:
    """Keep an account's row if it is the latest copy of its kind (profile or actor view)."""
    (seen.profiles if profile else seen.actors).offer(row["did"], row, seen.retrieval)


def actor(view: Any, where: Where, seen: Seen) -> str:
    """Read a ``profileViewBasic`` (post author, reposter, …), keep it, return its DID."""
    check_type(view, where, dict)
    did = as_did(require(view, "did", where), where / "did")
    handle = require(view, "handle", where)
    if _labelled_hidden(view, where):
        seen.hidden.add(did)
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
    if _labelled_hidden(view, where):
        seen.hidden.add(did)
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
