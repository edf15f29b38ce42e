"""JSON documents and their fields, read with errors that say where: what the readers share.

The Bluesky and Mastodon readers read ``.json`` files (one response each) and ``.jsonl``
files (one response per line) with :func:`json_documents`, walk each document with a
:class:`Where` (the file, the line and the field path from the document root) and take
its fields with :func:`require`, :func:`optional`, :func:`count`, :func:`time` and
:func:`list_of_objects`, which raise an :class:`~src.errors.InputError` naming that
place. :func:`parse_time` reads the ISO 8601 times of every JSON API (the X reader too).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from src.errors import InputError
from src.ingest.quarantine import Rejects

#: Suffixes read as one JSON document per line; anything else is one document per file.
LINE_SUFFIXES = (".jsonl", ".ndjson")


def parse_time(value: Any, path: Path, record: int | str | None, field_name: str) -> datetime:
    """Parse an X API timestamp (``2021-05-18T19:24:56.000Z``) to an aware UTC datetime."""
    if not isinstance(value, str):
        raise InputError(
            path, f"expected an ISO 8601 time, got {value!r}", record=record, field=field_name
        )
    try:
        parsed = datetime.fromisoformat(value)  # Python 3.11+ reads "Z" and fractions
    except ValueError:
        raise InputError(
            path, f"unparseable time {value!r}", record=record, field=field_name
        ) from None
    if parsed.tzinfo is None:
        raise InputError(path, f"time {value!r} has no time zone", record=record, field=field_name)
    return parsed.astimezone(UTC)


@dataclass(frozen=True)
class Where:
    """Where a value sits: the file, the line (JSON lines) and the path from the document root."""

    path: Path
    line: int | None
    field: str = ""

    def __truediv__(self, key: str | int) -> Where:
        """The location of ``key`` (an object key or a list index) inside this one."""
        if isinstance(key, int):
            return Where(self.path, self.line, f"{self.field}[{key}]")
        return Where(self.path, self.line, f"{self.field}.{key}" if self.field else key)

    @property
    def record(self) -> int | str | None:
        """The line of a JSON lines file, else the top-level list item (``feed[3]``, ``[2]``).

        A ``.json`` document that is itself the record (one profile, one status) has no
        record part: the file and the field say where.
        """
        if self.line is not None:
            return self.line
        head, _, _ = self.field.partition(".")
        return head if head.endswith("]") else None

    def error(self, problem: str, *, whole: bool = False) -> InputError:
        """An :class:`InputError` at this location (``whole``: about the value, no field).

        The field is left out when it only repeats the record (a ``.json`` list item).
        """
        record = self.record
        omit = whole or not self.field or self.field == record
        return InputError(self.path, problem, record=record, field=None if omit else self.field)


def json_documents(path: Path, rejects: Rejects, expected: str) -> Iterator[tuple[int | None, Any]]:
    """Yield ``(line, document)`` for each JSON document of ``path``.

    ``.jsonl``/``.ndjson``: one document per non-blank line, ``line`` its number (blank
    lines count). Anything else: the whole file is one document, ``line`` ``None``. A
    leading UTF-8 byte-order mark is allowed. A file that is empty, a line or file that is
    not UTF-8 or not JSON goes to ``rejects``.
    ``expected`` describes the content for the empty-file message.
    """
    if path.suffix.lower() in LINE_SUFFIXES:
        seen_any = False
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                seen_any = True
                try:
                    text = raw.decode(
                        "utf-8-sig" if number == 1 else "utf-8"
                    )  # a byte-order mark is UTF-8 too
                except UnicodeDecodeError as exc:
                    rejects(
                        InputError(
                            path,
                            f"is not UTF-8 text ({exc.reason} at byte {exc.start})",
                            record=number,
                        )
                    )
                    continue
                try:
                    document = json.loads(text)
                except json.JSONDecodeError as exc:
                    rejects(
                        InputError(
                            path,
                            f"is not valid JSON ({exc.msg} at column {exc.colno})",
                            record=number,
                        )
                    )
                    continue
                yield number, document
        if not seen_any:
            rejects(InputError(path, f"is empty: expected {expected}, one JSON document per line"))
        return
    raw = path.read_bytes()
    if not raw.strip():
        rejects(InputError(path, f"is empty: expected {expected} as one JSON document"))
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        rejects(
            InputError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start})", record=line)
        )
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = (
            " (a .json file holds one JSON document; name JSON lines files .jsonl)"
            if exc.msg == "Extra data"
            else ""
        )
        rejects(
            InputError(
                path,
                f"is not valid JSON ({exc.msg} at column {exc.colno}){hint}",
                record=exc.lineno,
            )
        )
        return
    yield None, document


def require(
    obj: dict[str, Any],
    key: str,
    where: Where,
    kind: type | tuple[type, ...] = str,
    *,
    empty_ok: bool = False,
) -> Any:
    """``obj[key]``, which must be present (not null) and of ``kind`` (non-empty, for text)."""
    value = obj.get(key)
    if value is None or (isinstance(value, str) and value == "" and not empty_ok):
        raise (where / key).error("required field is missing")
    return check_type(value, where / key, kind)


def optional(
    obj: dict[str, Any], key: str, where: Where, kind: type | tuple[type, ...] = str
) -> Any:
    """``obj[key]`` or ``None``; when present it must be of ``kind``."""
    value = obj.get(key)
    return None if value is None else check_type(value, where / key, kind)


_TYPE_NAMES = {
    str: "text",
    dict: "an object",
    list: "a list",
    int: "a whole number",
    bool: "true or false",
}


def check_type(value: Any, where: Where, kind: type | tuple[type, ...]) -> Any:
    """``value``, which must be of ``kind`` (a JSON ``true`` is never a whole number)."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int in Python, never in JSON's sense of a count.
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        wanted = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
        raise where.error(f"expected {wanted}, got {type(value).__name__} {short_repr(value)}")
    return value


def count(obj: dict[str, Any], key: str, where: Where, *, default: int | None = 0) -> int | None:
    """A count (whole number ≥ 0); ``default`` when absent or null."""
    value = obj.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise (where / key).error(f"expected a count (whole number ≥ 0), got {value!r}")
    return value


def time(obj: dict[str, Any], key: str, where: Where, *, required: bool = True) -> datetime | None:
    """An ISO 8601 / RFC 3339 time with a zone, as an aware UTC datetime."""
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise (where / key).error("required field is missing")
        return None
    return parse_time(value, where.path, where.record, (where / key).field)


def list_of_objects(obj: dict[str, Any], key: str, where: Where) -> list[dict[str, Any]]:
    """``obj[key]`` as a list of objects (absent or null: empty)."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise (where / key).error("expected a list of objects")
    return value


def short_repr(value: Any) -> str:
    """``repr(value)``, cut to 60 characters for an error message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
