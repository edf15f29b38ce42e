"""Snapshots: when the same account or post arrives more than once, the latest retrieval wins.

Bluesky and Mastodon responses carry no retrieval time of their own: ``indexedAt`` is
when the App View indexed a record (the same in every copy), a status's ``created_at``
and ``edited_at`` are the author's, an account's ``last_status_at`` is a day. So the order
of copies comes from what the export kept:

1. a retrieval time kept with the response: a top-level ``retrieved_at`` (ISO 8601 with a
   zone) beside the response's own fields, or an envelope ``{"retrieved_at": …,
   "response": <body>}``, or an HTTP recording ``{"headers": {"Date": …}, "body": <body>}``
   (``response`` and ``body`` are interchangeable);
2. else the modification time of the file (the last resort: copying files without their
   times changes it, so a data-quality note says when it decided);
3. within one file without kept times, a later line is a later retrieval (tools append).

Never the order of file names. Copies with the same time and different values are a tie:
the copy read last is kept and a data-quality warning names the files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from src.ingest.json_input import Where, time
from src.ingest.quality import DataQuality

#: The key under which an export keeps the time it retrieved a response (see above).
RETRIEVED_AT = "retrieved_at"
_ENVELOPE_BODIES = ("response", "body")


@dataclass(frozen=True)
class Retrieval:
    """When a document was retrieved, as far as its export says.

    ``time`` is the retrieval time the export kept (``kept``), else the modification time
    of its file (the last resort: copying a file without its times changes it). ``path``
    and ``line`` say where the document sits, to order copies within a file.
    """

    time: datetime
    kept: bool
    path: str
    line: int


def file_time(path: Path) -> datetime:
    """The modification time of ``path``, as an aware UTC datetime."""
    return datetime.fromtimestamp(path.stat().st_mtime_ns / 1e9, tz=UTC)


def _http_date(headers: Any) -> str | None:
    if not isinstance(headers, dict):
        return None
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == "date":
            return value[0] if isinstance(value, list) and value else value
    return None


def unwrap(document: Any, where: Where, file_modified: datetime) -> tuple[Any, Retrieval]:
    """The response in ``document`` and when it was retrieved.

    Recognises a kept retrieval time (see :data:`RETRIEVED_AT`); without one, the file's
    modification time ``file_modified`` is used. A kept time that cannot be read is an
    error naming the field.
    """
    line = where.line or 0
    if not isinstance(document, dict):
        return document, Retrieval(file_modified, False, str(where.path), line)
    body_key = next((k for k in _ENVELOPE_BODIES if k in document), None)
    date = _http_date(document.get("headers"))
    if body_key is not None and (RETRIEVED_AT in document or date is not None):
        if RETRIEVED_AT in document:
            kept = time(document, RETRIEVED_AT, where)
        else:
            kept = _parse_http_date(date, where / "headers" / "Date")
        assert kept is not None  # required=True
        return document[body_key], Retrieval(kept, True, str(where.path), line)
    if RETRIEVED_AT in document:
        kept = time(document, RETRIEVED_AT, where)
        assert kept is not None
        rest = {k: v for k, v in document.items() if k != RETRIEVED_AT}
        return rest, Retrieval(kept, True, str(where.path), line)
    return document, Retrieval(file_modified, False, str(where.path), line)


def _parse_http_date(value: Any, where: Where) -> datetime:
    """An HTTP ``Date`` header (``Tue, 01 Oct 2024 10:00:00 GMT``) as an aware UTC datetime."""
    try:
        parsed = parsedate_to_datetime(value) if isinstance(value, str) else None
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise where.error(
            f"expected an HTTP date (e.g. Tue, 01 Oct 2024 10:00:00 GMT), got {value!r}"
        )
    return parsed.astimezone(UTC)


@dataclass
class LatestCopies:
    """The latest copy of each record (an account, a post) by retrieval, and how it was chosen.

    A later retrieval time wins. Within one file without kept times, a later line is a
    later retrieval (tools append). Copies with the same time in different documents (or
    files) and different values are a *tie*: the copy read last (files in sorted path
    order) is kept and the tie is counted, with its files, for a data-quality warning.
    ``same`` compares two copies (default: equality).
    """

    same: Callable[[Any, Any], bool] = field(default=lambda a, b: a == b)
    rows: dict[Any, tuple[Retrieval, Any]] = field(default_factory=dict)
    ties: set[Any] = field(default_factory=set)
    tie_files: set[str] = field(default_factory=set)
    by_file_time: set[Any] = field(default_factory=set)
    file_time_files: set[str] = field(default_factory=set)

    def offer(self, key: Any, row: Any, retrieval: Retrieval) -> bool:
        """Keep ``row`` as ``key``'s copy if it is the latest so far; return whether it was."""
        previous = self.rows.get(key)
        if previous is None:
            self.rows[key] = (retrieval, row)
            return True
        before, old = previous
        if retrieval.time == before.time:
            same_file_order = before.path == retrieval.path and not retrieval.kept
            if (
                not same_file_order
                and (before.path, before.line)
                != (
                    retrieval.path,
                    retrieval.line,
                )
                and not self.same(old, row)
            ):
                self.ties.add(key)
                self.tie_files.update((before.path, retrieval.path))
            self.rows[key] = (retrieval, row)
            return True
        newer = retrieval.time > before.time
        if (
            before.path != retrieval.path
            and not (before.kept and retrieval.kept)
            and not self.same(old, row)
        ):
            self.by_file_time.add(key)
            self.file_time_files.update((before.path, retrieval.path))
        if newer:
            self.rows[key] = (retrieval, row)
        return newer

    def get(self, key: Any) -> Any:
        """The kept copy of ``key`` (None when there is none)."""
        found = self.rows.get(key)
        return None if found is None else found[1]

    def values(self) -> list[Any]:
        """The kept copies, in the order their keys were first seen."""
        return [row for _, row in self.rows.values()]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def note_latest_copies(
    quality: DataQuality, source: str, copies: dict[str, tuple[str, str, LatestCopies]]
) -> None:
    """Data-quality notes on how the latest copies were chosen.

    ``copies`` maps a name to (singular, plural, :class:`LatestCopies`), e.g.
    ``{"accounts": ("account", "accounts", seen.accounts)}``. Notes: copies with the same
    time and different values (a warning: which one is right cannot be told), and copies
    ordered by their files' modification times (the export kept no retrieval time).
    """
    ties = [_plural(len(c.ties), one, many) for one, many, c in copies.values() if c.ties]
    if ties:
        files = sorted(set().union(*(c.tie_files for _, _, c in copies.values())))
        quality.note(
            source,
            "same_time_different_values",
            sum(len(c.ties) for _, _, c in copies.values()),
            f"{' and '.join(ties)} arrived in copies with the same retrieval time and "
            "different values; the copy read last (files in name order, then lines) was "
            "kept. Keep each response's retrieval time (retrieved_at) or remove the stale "
            "copy.",
            files=files,
            severity="warning",
        )
    ordered = [
        _plural(len(c.by_file_time), one, many)
        for one, many, c in copies.values()
        if c.by_file_time
    ]
    if ordered:
        files = sorted(set().union(*(c.file_time_files for _, _, c in copies.values())))
        quality.note(
            source,
            "latest_copy_by_file_time",
            sum(len(c.by_file_time) for _, _, c in copies.values()),
            f"{' and '.join(ordered)} arrived in several files with different values and no "
            "retrieval time; the copy in the most recently modified file was kept (file "
            "modification times: copying files without their times changes them).",
            files=files,
        )
