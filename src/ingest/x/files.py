"""The records of an X export file: JSON lines (``.jsonl``, and ``.json`` written as lines)
or one JSON document (``.json``: a response page, or an array of pages or tweets,
possibly pretty-printed over many lines).

twarc2 writes one response page per line whatever the file is called, and saves as
``.jsonl`` or ``.json`` alike; a page saved by hand from the API (or a browser, or
``jq``) is one document, often pretty-printed. A ``.json`` file is read as lines when its
first non-blank line is a whole JSON value and another line follows; otherwise it is one
document. A file with nothing in it (or only blank lines) is noted, not refused: it
holds no records to misread.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.x.rows import Record, Seen

_BOM = b"\xef\xbb\xbf"


def file_records(
    path: Path, rejects: Rejects, seen: Seen
) -> Iterator[tuple[Record, bytes | None, Any]]:
    """``(record, line, None)`` for each line of JSON lines; ``(record, None, value)`` for
    each record of a file that is one JSON document (the document, or each item of an
    array: ``record`` is then None or ``"item [i]"``). An empty file is added to
    ``seen.empty_files``; a document that is not JSON goes to ``rejects``."""
    with open(path, "rb", buffering=1 << 20) as handle:
        lines = _non_blank_lines(handle)
        first = next(lines, None)
        if first is None:
            seen.empty_files.append(str(path))
            return
        if path.suffix.lower() != ".json":
            yield first[0], first[1], None
            for number, raw in lines:
                yield number, raw, None
            return
        number, raw = first
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            # Not a whole value on its first line: one document over several lines, or
            # JSON lines whose first line is broken (then the other lines are read).
            # (Blank lines before it are counted so that error lines are the file's.)
            text = raw + handle.read()
            yield from _document_records(path, text, number - 1, rejects)
            return
        second = next(lines, None)
        if second is None:
            yield from _items(value)
            return
        yield number, raw, None
        yield second[0], second[1], None
        for number, raw in lines:
            yield number, raw, None


def _non_blank_lines(handle: Any) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes)`` of each non-blank line (a UTF-8 byte-order mark dropped)."""
    for number, raw in enumerate(handle, start=1):
        # isspace() stops at the first visible byte; strip() would copy the whole line
        # (pages are ~100 KB). Lines read from a file are never empty.
        if raw.isspace():
            continue
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
            if not raw or raw.isspace():
                continue
        yield number, raw


def _document_records(
    path: Path, text: bytes, lines_before: int, rejects: Rejects
) -> Iterator[tuple[Record, bytes | None, Any]]:
    """The records of ``text``, one JSON document that starts after ``lines_before`` lines."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        lines = [
            (lines_before + number, raw)
            for number, raw in enumerate(text.splitlines(keepends=True), start=1)
            if not raw.isspace()
        ]
        if len(lines) > 1 and _is_json(lines[1][1]):
            # JSON lines with a broken first line: that line is refused, the rest read.
            for number, raw in lines:
                yield number, raw, None
            return
        try:
            text.decode("utf-8")
        except UnicodeDecodeError as bad:
            line = lines_before + text.count(b"\n", 0, bad.start) + 1
            rejects(InputError(path, f"is not UTF-8 text ({bad.reason})", record=line))
            return
        rejects(
            InputError(
                path,
                f"is not valid JSON ({exc.msg} at column {exc.colno})",
                record=lines_before + exc.lineno,
            )
        )
        return
    yield from _items(value)


def _is_json(raw: bytes) -> bool:
    """Whether ``raw`` is one whole JSON value."""
    try:
        orjson.loads(raw)
    except orjson.JSONDecodeError:
        return False
    return True


def _items(value: Any) -> Iterator[tuple[Record, None, Any]]:
    """A document's records: itself, or each item of an array (``"item [i]"``)."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield f"item [{index}]", None, item
    else:
        yield None, None, value
