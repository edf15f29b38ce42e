"""Reading twarc2 files: each record to the typed or the general page reader, then the tables."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.tables import PlatformTables
from src.ingest.x import pages, typed
from src.ingest.x.columns import platform_tables
from src.ingest.x.files import file_records
from src.ingest.x.quality import note_quality
from src.ingest.x.rows import Record, Seen


def read_x_exports(paths: Iterable[Path], rejects: Rejects | None = None) -> PlatformTables:
    """Read twarc2 JSON lines files into accounts, posts and interactions.

    Streams each file line by line (memory grows with the number of distinct tweets and
    users, not with the number or size of files).

    Args:
        paths: the files; read in sorted order, so the result does not depend on the
            order given.
        rejects: what to do with a bad record (default: strict, raise).

    Data-quality notes (``rejects.quality``, source ``x``) say how many versions of edited
    tweets were merged, which files were empty or held another twarc2 output (counts,
    lists, compliance: skipped), how many users lack ``public_metrics`` and how many
    references found no author.

    Raises:
        InputError: (strict) a line is not JSON or not UTF-8, a required field is
            missing or has the wrong type, a time cannot be parsed, the same tweet
            appears twice with different counts and nothing tells which is newer, a
            record is in a format this reader does not read. The message names the
            file, the line (or the item of a ``.json`` array) and the field.
    """
    rejects = Rejects() if rejects is None else rejects
    with paused_gc():
        seen = read_files(sorted(Path(p) for p in paths), rejects)
        users_without_metrics = _users_without_metrics(seen)
        tables, merged = platform_tables(seen)
    note_quality(rejects.quality, seen, merged, users_without_metrics, tables)
    return tables


@contextmanager
def paused_gc() -> Iterator[None]:
    """Cyclic garbage collection off for the duration.

    The reader allocates millions of small containers that all survive; Python's cyclic
    garbage collector would rescan them again and again (measured: parsing took three
    times as long). None of them form cycles, so collection waits until the end.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


#: A record's order is ``file index * FILE_STRIDE + its line`` (or item): files in order.
FILE_STRIDE = 10_000_000

#: After this many lines in a row that the typed decoding does not fit (a flattened or
#: user look-up file), the rest of the file is read by orjson alone.
TYPED_MISSES = 8


def read_files(files: list[Path], rejects: Rejects) -> Seen:
    """Every page of ``files``, in order, kept in a :class:`~src.ingest.x.rows.Seen`.

    Each line is decoded by the typed path when it fits, else parsed by orjson and read
    by the general path (:mod:`src.ingest.x.pages`), as is each record of a ``.json``
    file that is one document.
    """
    seen = Seen()
    for file_index, path in enumerate(files):
        seen.files.append(str(path))
        misses = 0  # lines in a row the typed decoding did not fit
        for position, (number, raw, value) in enumerate(file_records(path, rejects, seen), start=1):
            decoded = typed.decode_page(raw) if raw is not None and misses < TYPED_MISSES else None
            page: dict[str, Any] | None = None
            if decoded is None:
                misses += 1
                page = (
                    pages.parse_line(path, number, raw, rejects)
                    if raw is not None
                    else _document_page(path, number, value, rejects)
                )
                if page is None:
                    continue
                twarc = page.get("__twarc") or {}
                if not isinstance(twarc, dict):
                    rejects(
                        InputError(
                            path,
                            f"expected an object, got {type(twarc).__name__}",
                            record=number,
                            field="__twarc",
                        )
                    )
                    continue
                retrieved_at = twarc.get("retrieved_at")
            else:
                misses = 0
                retrieved_at = decoded.twarc.retrieved_at if decoded.twarc is not None else None
            try:
                retrieved = pages.retrieval_key(retrieved_at, path, number)
            except InputError as error:
                rejects(error)
                continue
            # (a line's number orders the lines of a file; a document's items, their position)
            within = number if isinstance(number, int) else position
            order = (retrieved, file_index * FILE_STRIDE + within)
            if decoded is not None:
                typed.read_typed_page(path, number, cast(bytes, raw), decoded, order, seen, rejects)
            elif page is not None:
                pages.read_page(path, number, page, order, seen, rejects)
    return seen


def _document_page(
    path: Path, record: Record, value: Any, rejects: Rejects
) -> dict[str, Any] | None:
    """A record of a ``.json`` document (the document or an item of its array), which must
    be an object, or None (the error sent to ``rejects``)."""
    if isinstance(value, dict):
        return value
    rejects(
        InputError(
            path,
            f"expected a JSON object (a response page, a tweet or a user), "
            f"got {type(value).__name__}",
            record=record,
        )
    )
    return None


def _users_without_metrics(seen: Seen) -> tuple[int, int, list[str]]:
    """(users kept with no follower, following, listed or tweet count, users kept, their files)."""
    files = set()
    count = 0
    for order, row in seen.users.values():
        if (
            row["followers"] is None
            and row["following"] is None
            and row["listed"] is None
            and row["posts_total"] is None
        ):
            count += 1
            files.add(seen.files[order[1] // FILE_STRIDE])
    return count, len(seen.users), sorted(files)
