"""Mastodon accounts: handles, canonical ids, account rows, and what the reader has kept so far.

Status and account ids are local to the server that answered, so canonical ids use
``username@host`` (accounts) and the status ``uri`` (posts); see :mod:`src.ingest.mastodon`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from src.ingest.json_input import Where, check_type, optional, require, time
from src.ingest.mastodon.text import html_text
from src.ingest.snapshots import LatestCopies, Retrieval

PLATFORM = "mastodon"
#: Account counts that mean "hidden by the account" rather than a number.
HIDDEN_COUNT = -1


def account_id(handle: str) -> str:
    """Canonical account id of a ``username@host`` handle."""
    return f"{PLATFORM}:{handle.lower()}"


def post_id(uri: str) -> str:
    """Canonical post id of a status ``uri``."""
    return f"{PLATFORM}:{uri}"


@dataclass
class FileIds:
    """Server-local ids seen in one file, to resolve replies and shallow quotes."""

    statuses: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # local id -> (uri, account handle)
    accounts: dict[str, str] = field(default_factory=dict)  # local id -> account handle
    pending: list[dict[str, Any]] = field(default_factory=list)  # rows read from this file


#: The fields of a post row that say what the post is (not how it was resolved in its file):
#: two copies that differ in these are different snapshots.
_POST_VALUES = (
    "author",
    "created_at",
    "kind",
    "text",
    "lang",
    "likes",
    "reposts",
    "replies",
    "quotes",
    "has_media",
    "hashtags",
    "mentions",
    "urls",
)


def same_post(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two copies of a status say the same (local ids and resolution aside)."""
    return all(a.get(key) == b.get(key) for key in _POST_VALUES)


@dataclass
class Seen:
    """What the reader has kept so far: the latest copy of each post (by uri) and account
    (by handle), the counts and notes, and what was dropped or skipped and where."""

    posts: LatestCopies = field(default_factory=lambda: LatestCopies(same=same_post))
    accounts: LatestCopies = field(default_factory=LatestCopies)
    records: int = 0
    api_errors: int = 0
    files: list[str] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)
    #: statuses dropped for their visibility, by visibility ("missing" when absent)
    dropped: Counter = field(default_factory=Counter)
    dropped_files: set[str] = field(default_factory=set)
    #: responses skipped as not an account's statuses or accounts, by what they are
    skipped: Counter = field(default_factory=Counter)
    skipped_files: set[str] = field(default_factory=set)
    #: files holding statuses that lack replies_count or quotes_count
    count_missing_files: set[str] = field(default_factory=set)


def local_id(value: Any, where: Where) -> str:
    """``value``, which must be a server-local id: non-empty text."""
    if isinstance(value, str) and value:
        return value
    raise where.error(
        "expected a string id (the Mastodon API sends ids as strings; as numbers they lose "
        f"digits), got {value!r}"
    )


def _host(url: str | None, acct: str | None) -> str | None:
    if url:
        host = urlparse(url).hostname
        if host:
            return host
    if acct and "@" in acct:
        domain = acct.rsplit("@", 1)[1].strip().lower()
        return domain or None
    return None


def handle_of(obj: dict[str, Any], where: Where) -> str:
    """``username@host`` (lower case) of an Account or a Mention."""
    username = require(obj, "username", where)
    url = optional(obj, "url", where)
    acct = optional(obj, "acct", where)
    host = _host(url, acct)
    if host is None:
        raise (where / "url").error(
            f"cannot tell the server of {username!r}: no url with a host and no domain in "
            f"acct {acct!r}"
        )
    return f"{username}@{host}".lower()


def _account_count(obj: dict[str, Any], key: str, where: Where) -> int | None:
    value = obj.get(key)
    if value is None or (value == HIDDEN_COUNT and not isinstance(value, bool)):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise (where / key).error(
            f"expected a count (whole number ≥ 0, or -1 for hidden), got {value!r}"
        )
    return value


def read_account(account: Any, where: Where, retrieval: Retrieval, ctx: FileIds, seen: Seen) -> str:
    """Read an Account, keep its row if it is the latest copy, register its local id;
    return its handle."""
    check_type(account, where, dict)
    handle = handle_of(account, where)
    ctx.accounts[local_id(account.get("id"), where / "id")] = handle
    note = optional(account, "note", where)
    row = {
        "account_id": account_id(handle),
        "platform": PLATFORM,
        "handle": handle,
        "name": optional(account, "display_name", where) or None,
        "description": (html_text(note)[0] or None) if note else None,
        "followers": _account_count(account, "followers_count", where),
        "following": _account_count(account, "following_count", where),
        "listed": None,
        "posts_total": _account_count(account, "statuses_count", where),
        "created_at": time(account, "created_at", where, required=False),
    }
    seen.accounts.offer(handle, row, retrieval)
    return handle
