"""What every platform reader returns, and the frame builders that give the canonical dtypes.

A reader turns one platform's export files into :class:`PlatformTables`: ``accounts``
(the columns of :data:`src.schemas.ACCOUNTS` except ``is_nominee`` and ``nominee_id``,
which the ingest step adds when it matches nominees), ``posts`` and ``interactions``
(exactly :data:`src.schemas.POSTS` and :data:`src.schemas.INTERACTIONS`). Ids are not yet
pseudonymised. Build frames with the functions here so the dtypes agree across readers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from src.schemas import ACCOUNTS, INTERACTIONS, POSTS, UTC_TIME

ACCOUNT_COLUMNS = [c for c in ACCOUNTS.columns if c not in ("is_nominee", "nominee_id")]
POST_COLUMNS = list(POSTS.columns)
INTERACTION_COLUMNS = list(INTERACTIONS.columns)
_ACCOUNT_COUNTS = ("followers", "following", "listed", "posts_total")
_POST_COUNTS = ("likes", "reposts", "replies", "quotes")
_TEXT = ("handle", "name", "description", "text", "lang", "referenced_post_id", "reply_to_account_id")


@dataclass(frozen=True)
class PlatformTables:
    """One platform's exports for a year, as canonical-shaped frames."""

    platform: str
    accounts: pd.DataFrame
    posts: pd.DataFrame
    interactions: pd.DataFrame
    files: tuple[str, ...] = ()
    records: int = 0  #: response pages, feed pages or items read
    api_errors: int = 0  #: errors the platform's API reported inside the export
    notes: Mapping[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """Alias of ``records`` for paged exports (X, Bluesky)."""
        return self.records


def _text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    for column in _TEXT:
        if column in frame.columns:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def accounts_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Accounts with canonical dtypes, sorted by ``account_id``; missing columns become missing values."""
    frame = pd.DataFrame(list(rows), columns=ACCOUNT_COLUMNS)
    for column in _ACCOUNT_COUNTS:
        frame[column] = pd.array([None if pd.isna(v) else int(v) for v in frame[column]], dtype="Int64")
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(UTC_TIME)
    return _text_columns(frame).sort_values("account_id", kind="stable").reset_index(drop=True)


def posts_frame(rows: Iterable[Mapping[str, Any]] | Mapping[str, list[Any]]) -> pd.DataFrame:
    """Posts with canonical dtypes, sorted by time then ``post_id``.

    ``rows`` is a sequence of records, or (faster for big exports) a mapping from column
    name to a list of values.
    """
    columnar = isinstance(rows, Mapping)
    frame = pd.DataFrame(rows if columnar else list(rows), columns=POST_COLUMNS)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(UTC_TIME)
    for column in _POST_COUNTS:
        frame[column] = frame[column].fillna(0).astype("int64")
    frame["impressions"] = pd.to_numeric(frame["impressions"], errors="coerce").astype("Int64")
    frame["has_media"] = frame["has_media"].fillna(False).astype(bool)
    if not columnar:  # columnar callers (the readers) pass lists already
        for column in ("hashtags", "mentions", "urls"):
            frame[column] = pd.Series([list(v) if isinstance(v, (list, tuple)) else [] for v in frame[column]], index=frame.index, dtype=object)
    return _text_columns(frame).sort_values(["created_at", "post_id"], kind="stable").reset_index(drop=True)


def interactions_frame(rows: Iterable[Any]) -> pd.DataFrame:
    """Interactions (dicts or tuples in :data:`INTERACTION_COLUMNS` order), sorted deterministically."""
    rows = list(rows)
    frame = pd.DataFrame(rows, columns=INTERACTION_COLUMNS) if rows and not isinstance(rows[0], Mapping) else pd.DataFrame(rows, columns=INTERACTION_COLUMNS)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(UTC_TIME)
    return frame.sort_values(["created_at", "post_id", "kind", "target_account_id"], kind="stable").reset_index(drop=True)


def posts_and_interactions(
    rows: Iterable[Mapping[str, Any]],
    platform: str,
    account_id: Callable[[str], str],
    post_id: Callable[[str], str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Posts and who-engaged-with-whom from a reader's post rows (Bluesky, Mastodon).

    Each row holds ``post_id`` (canonical), ``author`` and ``target`` (native account
    ids; ``target`` is whom a reply, quote or repost answers), ``referenced`` (native post
    id), ``mentions`` (native account ids), ``kind``, ``created_at``, ``text``, ``lang``,
    the four counts, ``has_media``, ``hashtags`` and ``urls``. A reply, quote or repost
    is an interaction with its target; each mention is one too, except of oneself and,
    in a reply, of the account replied to (that is the reply itself).
    """
    posts, interactions = [], []
    for row in rows:
        author = account_id(row["author"])
        target = account_id(row["target"]) if row["target"] else None
        reply_to = target if row["kind"] == "reply" else None
        if row["kind"] in ("reply", "quote", "repost") and target is not None and target != author:
            interactions.append((author, target, row["kind"], row["post_id"], row["created_at"]))
        mentions = [account_id(native) for native in row["mentions"]]
        for mentioned in mentions:
            if mentioned != author and mentioned != reply_to:
                interactions.append((author, mentioned, "mention", row["post_id"], row["created_at"]))
        posts.append(
            {
                "post_id": row["post_id"], "account_id": author, "platform": platform, "created_at": row["created_at"],
                "kind": row["kind"], "text": row["text"], "lang": row["lang"],
                "referenced_post_id": post_id(row["referenced"]) if row["referenced"] else None,
                "reply_to_account_id": reply_to, "likes": row["likes"], "reposts": row["reposts"], "replies": row["replies"],
                "quotes": row["quotes"], "impressions": None, "has_media": row["has_media"], "hashtags": row["hashtags"],
                "mentions": mentions, "urls": row["urls"],
            }
        )
    return posts_frame(posts), interactions_frame(interactions)
