"""Helpers of the Bluesky reader tests: the fixtures, ids, and hand-written feed pages."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from src.errors import InputError
from src.ingest.bluesky import read_bluesky_exports

DATA = Path(__file__).resolve().parents[1] / "data" / "bluesky"
FIXTURE_FILES = (
    "author_feed_trust.json",
    "author_feed_wardsister.jsonl",
    "profile_single.jsonl",
    "profiles.json",
)
REPOST = "app.bsky.feed.defs#reasonRepost"

WARD = "did:plc:wardsister22222222222222"
TRUST = "did:plc:trust2222222222222222222"
CARER = "did:plc:carer2222222222222222222"
PHARM = "did:plc:pharmacist22222222222222"
GP = "did:plc:gp2222222222222222222222"
STUDENT = "did:plc:student22222222222222222"
GHOST = "did:plc:ghost2222222222222222222"


def at(did: str, rkey: str, collection: str = "app.bsky.feed.post") -> str:
    """The at-uri of record ``rkey`` in ``collection`` of ``did``."""
    return f"at://{did}/{collection}/{rkey}"


def pid(did: str, rkey: str, collection: str = "app.bsky.feed.post") -> str:
    """The canonical post id of that record."""
    return "bluesky:" + at(did, rkey, collection)


def aid(did: str) -> str:
    """The canonical account id of ``did``."""
    return f"bluesky:{did}"


def feed_item(
    rkey: str,
    did: str,
    *,
    likes: int = 1,
    text: str = "hello",
    created: str = "2024-03-01T10:00:00.000Z",
    **record: Any,
) -> dict[str, Any]:
    """A ``feedViewPost`` of a post by ``did`` (``record`` adds fields to its record)."""
    return {
        "post": {
            "uri": at(did, rkey),
            "cid": "bafyreitest",
            "author": {"did": did, "handle": f"{did[8:14]}.example.org"},
            "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": created, **record},
            "replyCount": 0,
            "repostCount": 0,
            "likeCount": likes,
            "quoteCount": 0,
            "indexedAt": created,
        }
    }


def feed_page(*items: dict[str, Any]) -> dict[str, Any]:
    """A getAuthorFeed page of ``items``."""
    return {"feed": list(items), "cursor": "next"}


def write_documents(path: Path, *documents: dict[str, Any] | str | bytes) -> Path:
    """Write each document (an object as JSON, text or bytes as they are) to ``path``."""
    out = b""
    for document in documents:
        if isinstance(document, dict):
            document = json.dumps(document, indent=2 if path.suffix == ".json" else None)
        out += (document if isinstance(document, bytes) else document.encode("utf-8")) + b"\n"
    path.write_bytes(out)
    return path


def strict_error(path: Path) -> str:
    """The message of the error a strict read of ``path`` raises (it names the file)."""
    with pytest.raises(InputError) as info:
        read_bluesky_exports([path])
    message = str(info.value)
    assert message.startswith(str(path))
    return message


def fixture_documents(path: Path) -> list[Any]:
    """The JSON documents of a fixture file (one per line for .jsonl)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return [json.loads(text)]


def dated_copies(
    folder: Path, paths: Iterable[Path], start: datetime = datetime(2024, 6, 1, tzinfo=UTC)
) -> list[Path]:
    """Copies of ``paths`` in ``folder`` whose modification times follow the order given,
    a minute apart: the order in which they were retrieved, as far as a reader can tell
    (the responses carry no retrieval time)."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for minute, path in enumerate(paths):
        copy = folder / path.name
        shutil.copyfile(path, copy)
        stamp = start.timestamp() + 60 * minute
        os.utime(copy, (stamp, stamp))
        copies.append(copy)
    return copies
