"""Reading Mastodon export files: each response (statuses, accounts, error), then the tables."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from src.errors import InputError
from src.ingest.json_input import Where, json_documents
from src.ingest.mastodon.accounts import PLATFORM, FileIds, Seen, account_id, post_id, read_account
from src.ingest.mastodon.statuses import read_status, resolve_file
from src.ingest.quarantine import Rejects
from src.ingest.tables import PlatformTables, accounts_frame, posts_and_interactions

_NOTE_KEYS = ("reply_parents_not_in_export", "reply_accounts_unresolved", "quotes_unresolved")


def _is_account(obj: dict[str, Any]) -> bool:
    # Only an Account has these at its top level (a Status nests them under "account").
    return "acct" in obj or "username" in obj


def _is_status(obj: dict[str, Any]) -> bool:
    return not _is_account(obj) and any(key in obj for key in ("content", "reblog", "account"))


def _read_entity(obj: Any, where: Where, ctx: FileIds, seen: Seen) -> None:
    if isinstance(obj, dict) and _is_account(obj):
        read_account(obj, where, ctx, seen)
    elif isinstance(obj, dict) and _is_status(obj):
        read_status(obj, where, ctx, seen)
    elif isinstance(obj, dict):
        raise where.error(
            "is neither a Mastodon Status (content, account, reblog) nor an Account "
            "(username, acct)"
        )
    else:
        raise where.error(f"expected a Status or Account object, got {type(obj).__name__}")


def _read_document(document: Any, where: Where, ctx: FileIds, seen: Seen, rejects: Rejects) -> None:
    seen.records += 1
    if isinstance(document, list):
        for index, item in enumerate(document):
            try:
                _read_entity(item, where / index, ctx, seen)
            except InputError as error:
                rejects(error)
    elif (
        isinstance(document, dict)
        and "error" in document
        and not (_is_status(document) or _is_account(document))
    ):
        seen.api_errors += 1
    elif isinstance(document, dict):
        _read_entity(document, where, ctx, seen)
    else:
        raise where.error(
            "expected a JSON array of statuses or accounts, or one object, "
            f"got {type(document).__name__}",
            whole=True,
        )


def read_mastodon_exports(paths: Iterable[Path], rejects: Rejects | None = None) -> PlatformTables:
    """Read Mastodon REST API statuses and accounts into canonical frames.

    Streams: one file at a time, ``.jsonl`` line by line (memory grows with the number of
    distinct statuses and accounts, plus the local ids of the file being read).

    Args:
        paths: ``.json`` (one response) or ``.jsonl`` (one response per line) files; read
            in sorted order, so the result does not depend on the order given.
        rejects: what to do with a bad record (default: strict, raise).

    Raises:
        InputError: (strict) see the module docstring; the message names the file, the
            line or item, and the field.
    """
    rejects = Rejects() if rejects is None else rejects
    seen = Seen()
    for path in sorted(Path(p) for p in paths):
        seen.files.append(str(path))
        ctx = FileIds()
        for line, document in json_documents(path, rejects, "Mastodon API statuses or accounts"):
            try:
                _read_document(document, Where(path, line), ctx, seen, rejects)
            except InputError as error:
                rejects(error)
        resolve_file(ctx, seen)
    return _tables(seen)


def _tables(seen: Seen) -> PlatformTables:
    posts, interactions = posts_and_interactions(seen.posts.values(), PLATFORM, account_id, post_id)
    return PlatformTables(
        platform=PLATFORM,
        accounts=accounts_frame(seen.accounts.values()),
        posts=posts,
        interactions=interactions,
        files=tuple(seen.files),
        records=seen.records,
        api_errors=seen.api_errors,
        notes={key: seen.notes[key] for key in _NOTE_KEYS},
    )
