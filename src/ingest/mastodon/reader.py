"""Reading Mastodon export files: each response (statuses, accounts, error, or something
else, skipped), then the tables and the data-quality notes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from src.errors import InputError
from src.ingest.json_input import Where, json_documents
from src.ingest.mastodon.accounts import PLATFORM, FileIds, Seen, account_id, post_id, read_account
from src.ingest.mastodon.quality import note_quality
from src.ingest.mastodon.responses import (
    SINGLE_STATUS,
    is_account,
    is_status,
    other_entity,
    other_response,
    status_author,
    timeline_description,
)
from src.ingest.mastodon.statuses import read_status, resolve_file
from src.ingest.quarantine import Rejects
from src.ingest.snapshots import Retrieval, file_time, unwrap
from src.ingest.tables import PlatformTables, accounts_frame, posts_and_interactions

_NOTE_KEYS = ("reply_parents_not_in_export", "reply_accounts_unresolved", "quotes_unresolved")

#: Single Status objects of a ``.jsonl`` file, read once the whole file is seen.
Singles = list[tuple[dict[str, Any], Where, Retrieval]]


def _skip(seen: Seen, where: Where, what: str, count: int = 1) -> None:
    seen.skipped[what] += count
    seen.skipped_files.add(str(where.path))


def _read_entity(obj: Any, where: Where, retrieval: Retrieval, ctx: FileIds, seen: Seen) -> None:
    if isinstance(obj, dict) and is_account(obj):
        read_account(obj, where, retrieval, ctx, seen)
    elif isinstance(obj, dict) and is_status(obj):
        read_status(obj, where, retrieval, ctx, seen)
    elif isinstance(obj, dict):
        other = other_entity(obj)
        raise where.error(
            f"is {other}, inside a page of statuses or accounts"
            if other
            else "is neither a Mastodon Status (content, account, reblog) nor an Account "
            "(username, acct)"
        )
    else:
        raise where.error(f"expected a Status or Account object, got {type(obj).__name__}")


def _authors(statuses: Iterable[Any]) -> int:
    """How many accounts wrote these statuses (a boost counts for the account that boosted)."""
    return len({status_author(s) for s in statuses if isinstance(s, dict)} - {None})


def _read_page(
    page: list[Any], where: Where, retrieval: Retrieval, ctx: FileIds, seen: Seen, rejects: Rejects
) -> None:
    statuses = [item for item in page if isinstance(item, dict) and is_status(item)]
    authors = _authors(statuses)
    if authors > 1:
        _skip(seen, where, timeline_description(authors))
        return
    for index, item in enumerate(page):
        try:
            _read_entity(item, where / index, retrieval, ctx, seen)
        except InputError as error:
            rejects(error)


def _read_document(
    document: Any,
    where: Where,
    retrieval: Retrieval,
    ctx: FileIds,
    seen: Seen,
    rejects: Rejects,
    singles: Singles,
) -> None:
    seen.records += 1
    other = other_response(document)
    if other is not None:
        _skip(seen, where, other)
    elif isinstance(document, list):
        _read_page(document, where, retrieval, ctx, seen, rejects)
    elif isinstance(document, dict) and "error" in document and not is_status(document):
        seen.api_errors += 1
    elif isinstance(document, dict) and is_account(document):
        read_account(document, where, retrieval, ctx, seen)
    elif isinstance(document, dict) and is_status(document):
        if where.line is None:  # a .json file holding one Status
            _skip(seen, where, SINGLE_STATUS)
        else:
            singles.append((document, where, retrieval))
    elif isinstance(document, dict):
        raise where.error(
            "is neither a Mastodon Status (content, account, reblog) nor an Account "
            "(username, acct)"
        )
    else:
        raise where.error(
            "expected a JSON array of statuses or accounts, or one object, "
            f"got {type(document).__name__}",
            whole=True,
        )


def _read_singles(singles: Singles, ctx: FileIds, seen: Seen, rejects: Rejects) -> None:
    """A ``.jsonl`` file's lines that hold one Status each: one account's statuses saved one
    per line are read; by several accounts, they are a timeline and skipped."""
    authors = _authors(status for status, _, _ in singles)
    if authors > 1:
        _skip(
            seen,
            singles[0][1],
            f"one status per line by {authors} accounts: {timeline_description(authors)}",
            len(singles),
        )
        return
    for status, where, retrieval in singles:
        try:
            read_status(status, where, retrieval, ctx, seen)
        except InputError as error:
            rejects(error)


def read_mastodon_exports(paths: Iterable[Path], rejects: Rejects | None = None) -> PlatformTables:
    """Read Mastodon REST API statuses and accounts into canonical frames.

    Streams: one file at a time, ``.jsonl`` line by line (memory grows with the number of
    distinct statuses and accounts, plus the local ids of the file being read and its
    single-status lines). What the counting rules dropped, skipped or chose is noted in
    ``rejects.quality`` (see :mod:`src.ingest.mastodon.quality`).

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
        modified = file_time(path)
        singles: Singles = []
        for line, document in json_documents(path, rejects, "Mastodon API statuses or accounts"):
            where = Where(path, line)
            try:
                response, retrieval = unwrap(document, where, modified)
                _read_document(response, where, retrieval, ctx, seen, rejects, singles)
            except InputError as error:
                rejects(error)
        if singles:
            _read_singles(singles, ctx, seen, rejects)
        resolve_file(ctx, seen)
    note_quality(seen, rejects.quality)
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
