"""Helpers of the Mastodon reader tests: the fixtures, ids, and hand-written responses."""

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
from src.ingest.mastodon import read_mastodon_exports

DATA = Path(__file__).resolve().parents[1] / "data" / "mastodon"
FIXTURE_FILES = (
    "account_wardnurse.json",
    "accounts_batch.jsonl",
    "statuses_trust.jsonl",
    "statuses_wardnurse.json",
)

NURSE = "mastodon:wardnurse@nhs.example.social"
TRUST = "mastodon:nhstrust@trust.example.org"
CARER = "mastodon:carer@health.example.net"
PHARM = "mastodon:pharmacist@pharm.example.com"
GP = "mastodon:gp_sim@clinic.example.net"
QUIET = "mastodon:quiet@glitch.example.net"


def s(n: int) -> str:
    """Post id of the ward nurse's status 11200000000000010<n> on nhs.example.social."""
    return f"mastodon:https://nhs.example.social/users/wardnurse/statuses/11200000000000010{n}"


def b(n: int) -> str:
    """Post id of the trust's status 11250000000000000<n> on trust.example.org."""
    return f"mastodon:https://trust.example.org/users/nhstrust/statuses/11250000000000000{n}"


PHARM_STATUS = "mastodon:https://pharm.example.com/users/pharmacist/statuses/555001"
GP_STATUS = "mastodon:https://clinic.example.net/users/GP_Sim/statuses/333777"


def account_json(
    username: str = "amy", host: str = "a.example", local_id: Any = "1", **extra: Any
) -> dict[str, Any]:
    """A Mastodon Account object."""
    account = {
        "id": local_id,
        "username": username,
        "acct": username,
        "display_name": username.title(),
        "note": "",
        "url": f"https://{host}/@{username}",
        "created_at": "2023-01-01T00:00:00.000Z",
        "followers_count": 10,
        "following_count": 5,
        "statuses_count": 3,
    }
    account.update(extra)
    return account


def status_json(
    local_id: str,
    *,
    account: dict[str, Any] | None = None,
    likes: int = 1,
    content: str = "<p>hello</p>",
    **extra: Any,
) -> dict[str, Any]:
    """A Mastodon Status object."""
    account = account or account_json()
    status: dict[str, Any] = {
        "id": local_id,
        "uri": f"{account['url'].replace('/@', '/users/')}/statuses/{local_id}",
        "url": None,
        "created_at": "2024-03-01T10:00:00.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "reblog": None,
        "visibility": "public",
        "spoiler_text": "",
        "edited_at": None,
        "content": content,
        "language": "en",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": likes,
        "mentions": [],
        "tags": [],
        "media_attachments": [],
        "account": account,
    }
    status.update(extra)
    return status


def write_documents(path: Path, *documents: Any) -> Path:
    """Write each document (an object as JSON, text or bytes as they are) to ``path``."""
    out = b""
    for document in documents:
        if not isinstance(document, (str, bytes)):
            document = json.dumps(document, indent=2 if path.suffix == ".json" else None)
        out += (document if isinstance(document, bytes) else document.encode("utf-8")) + b"\n"
    path.write_bytes(out)
    return path


def strict_error(path: Path) -> str:
    """The message of the error a strict read of ``path`` raises (it names the file)."""
    with pytest.raises(InputError) as info:
        read_mastodon_exports([path])
    message = str(info.value)
    assert message.startswith(str(path))
    return message


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
