"""Canonical ids of Bluesky accounts and posts, and the DIDs and at-uris they are made of."""

from __future__ import annotations

from typing import Any

from src.ingest.json_input import Where, short_repr

PLATFORM = "bluesky"
POST_COLLECTION = "app.bsky.feed.post"
INVALID_HANDLE = "handle.invalid"


def account_id(did: str) -> str:
    """Canonical account id of a Bluesky DID."""
    return f"{PLATFORM}:{did}"


def post_id(at_uri: str) -> str:
    """Canonical post id of a Bluesky record at-uri."""
    return f"{PLATFORM}:{at_uri}"


def as_did(value: Any, where: Where) -> str:
    """``value``, which must be a DID (``did:plc:…``, ``did:web:…``)."""
    if not isinstance(value, str) or not value.startswith("did:") or len(value) < 8:
        raise where.error(f"expected a DID (did:plc:… or did:web:…), got {short_repr(value)}")
    return value


def split_at_uri(value: Any, where: Where) -> tuple[str, str, str]:
    """``(uri, authority, collection)`` of an at-uri ``at://<authority>/<collection>/<rkey>``."""
    if not isinstance(value, str) or not value.startswith("at://"):
        raise where.error(f"expected an at-uri (at://…), got {short_repr(value)}")
    parts = value[len("at://") :].split("/")
    if len(parts) < 3 or not all(parts[:3]):
        raise where.error(
            "expected an at-uri of a record (at://<did>/<collection>/<key>), "
            f"got {short_repr(value)}"
        )
    return value, parts[0], parts[1]


def author_of(authority: str) -> str | None:
    """The DID in an at-uri's authority (strong refs use DIDs; a handle cannot be trusted)."""
    return authority if authority.startswith("did:") else None
