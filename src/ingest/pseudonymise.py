"""Pseudonymise accounts that are not nominees, with a keyed hash.

Nominees consented to being judged; the people who engaged with them did not. Every
non-nominee account id in the processed tables becomes ``anon:<16 hex digits>``, the
HMAC-SHA256 of its canonical id under a secret key, so the same person maps to the same
pseudonym in every year (analyses across years still work) while the mapping cannot be
reversed or recomputed without the key. Their handle, name, description and post texts
are dropped.

The key is 32 random bytes created on first use at ``$NHS_INFLUENCE_KEY_FILE`` or
``~/.config/nhs-influence/pseudonym.key`` (outside the checkout, so never in git). Keep it
to keep pseudonyms stable across runs; losing it only changes the pseudonyms.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

PREFIX = "anon:"
#: Prefix of a pseudonymised post id. Post ids of people who are not nominees identify
#: them (a Mastodon status URI holds the username, a Bluesky at:// URI the DID, and any
#: id can be looked up through the platform's API), so they are hashed too.
POST_PREFIX = "anon-post:"
#: What a non-nominee's @handle becomes inside a nominee's post text.
MASKED_HANDLE = "@[account]"
_HANDLE = re.compile(r"@(\w{1,50})")


def mask_handles(text: str | None, keep_handles: set[str]) -> str | None:
    """Replace every ``@handle`` in ``text`` that is not in ``keep_handles`` (lower case)."""
    if not isinstance(text, str):
        return text
    return _HANDLE.sub(
        lambda m: m.group(0) if m.group(1).lower() in keep_handles else MASKED_HANDLE, text
    )


def key_path() -> Path:
    """Where the pseudonymisation key lives."""
    configured = os.environ.get("NHS_INFLUENCE_KEY_FILE")
    if configured:
        return Path(configured).expanduser()
    base = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return base / "nhs-influence" / "pseudonym.key"


def load_or_create_key(path: Path | None = None) -> bytes:
    """Read the key, creating it (mode 0600) if there is none yet."""
    path = key_path() if path is None else Path(path)
    if path.exists():
        key = path.read_bytes()
        if len(key) < 16:
            raise ValueError(
                f"{path}: pseudonymisation key is too short ({len(key)} bytes); "
                "delete it to make a new one"
            )
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def pseudonym(canonical_id: str, key: bytes) -> str:
    """The pseudonym of one account id under ``key``."""
    # hmac.digest: the same HMAC in one call to OpenSSL (hmac.new builds a Python object per id).
    digest = hmac.digest(key, canonical_id.encode("utf-8"), hashlib.sha256).hex()
    return PREFIX + digest[:16]


class _Memo(dict[Any, Any]):
    """``function(value)``, computed once per distinct value.

    Passed as ``memo.__getitem__`` to ``Series.map``, a value seen before costs a dict
    look-up in C rather than a Python call: ids repeat (one account, many posts), and at
    200k posts the per-value calls were most of the pseudonymisation's time. ``function``
    must depend on its argument only.
    """

    def __init__(self, function: Callable[[Any], Any]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, value: Any) -> Any:
        self[value] = result = self.function(value)
        return result


def pseudonymise_tables(
    accounts: pd.DataFrame,
    posts: pd.DataFrame,
    interactions: pd.DataFrame,
    keep: set[str],
    key: bytes,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Replace every account id not in ``keep`` with its pseudonym, in all three tables.

    Returns new frames; the inputs are not changed. Non-nominee accounts lose handle,
    name and description; their posts lose their text and their post ids become
    ``anon-post:<hash>`` (everywhere they appear, including ``referenced_post_id`` and
    ``interactions.post_id``); in the posts kept, an @handle that is not a kept account's
    becomes ``@[account]``.
    """
    keep_handles = {
        str(h).lower()
        for h in accounts.loc[accounts["account_id"].isin(keep), "handle"]
        if isinstance(h, str)
    }

    def mask(value: object) -> object:
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            return value
        text = str(value)
        if text in keep or text.startswith(PREFIX):
            return text
        return pseudonym(text, key)

    masked = _Memo(mask).__getitem__

    accounts = accounts.copy()
    outsiders = ~accounts["account_id"].isin(keep)
    for column in ("handle", "name", "description"):
        accounts[column] = accounts[column].astype(object).where(~outsiders, None)
    accounts["account_id"] = accounts["account_id"].map(masked)

    posts = posts.copy()
    kept_posts = posts["account_id"].isin(keep)
    nominee_post_ids = set(posts.loc[kept_posts, "post_id"])

    def mask_post(value: object) -> object:
        if not isinstance(value, str) or value in nominee_post_ids or value.startswith(POST_PREFIX):
            return value
        return POST_PREFIX + pseudonym(value, key)[len(PREFIX) :]

    masked_post = _Memo(mask_post).__getitem__

    posts["post_id"] = posts["post_id"].map(masked_post)
    referenced = posts["referenced_post_id"].astype(object)
    posts["referenced_post_id"] = pd.Series(
        [masked_post(v) if isinstance(v, str) else None for v in referenced],
        index=posts.index,
        dtype=object,
    )
    posts["text"] = pd.Series(
        [
            mask_handles(text, keep_handles) if kept else None
            for text, kept in zip(posts["text"], kept_posts, strict=True)
        ],
        index=posts.index,
        dtype=object,
    )
    posts["account_id"] = posts["account_id"].map(masked)
    posts["reply_to_account_id"] = posts["reply_to_account_id"].map(masked)
    posts["mentions"] = pd.Series(
        [[masked(m) for m in mentions] for mentions in posts["mentions"]],
        index=posts.index,
        dtype=object,
    )

    interactions = interactions.copy()
    for column in ("source_account_id", "target_account_id"):
        interactions[column] = interactions[column].map(masked)
    interactions["post_id"] = interactions["post_id"].map(masked_post)
    return accounts, posts, interactions
