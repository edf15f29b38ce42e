"""Reading twarc2 files: each line to the typed or the general page reader, then the tables."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.tables import PlatformTables
from src.ingest.x import pages, typed
from src.ingest.x.columns import platform_tables
from src.ingest.x.rows import Seen


def read_x_exports(paths: Iterable[Path], rejects: Rejects | None = None) -> PlatformTables:
    """Read twarc2 JSON lines files into accounts, posts and interactions.

    Streams each file line by line (memory grows with the number of distinct tweets and
    users, not with the number or size of files).

    Args:
        paths: the files; read in sorted order, so the result does not depend on the
            order given.
        rejects: what to do with a bad record (default: strict, raise).

    Raises:
        InputError: (strict) a line is not JSON or not UTF-8, a file is empty, a required
            field is missing or has the wrong type, a time cannot be parsed, the same
            tweet appears twice with different counts and nothing tells which is newer.
            The message names the file, the line and the field.
    """
    rejects = Rejects() if rejects is None else rejects
    with paused_gc():
        return platform_tables(read_files(sorted(Path(p) for p in paths), rejects))


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


#: After this many lines in a row that the typed decoding does not fit (a flattened or
#: user look-up file), the rest of the file is read by orjson alone.
TYPED_MISSES = 8


def read_files(files: list[Path], rejects: Rejects) -> Seen:
    """Every page of ``files``, in order, kept in a :class:`~src.ingest.x.rows.Seen`.

    Each line is decoded by the typed path when it fits, else parsed by orjson and read
    by the general path (:mod:`src.ingest.x.pages`).
    """
    seen = Seen()
    for file_index, path in enumerate(files):
        seen.files.append(str(path))
        misses = 0  # lines in a row the typed decoding did not fit
        for number, raw in pages.file_lines(path, rejects):
            decoded = typed.decode_page(raw) if misses < TYPED_MISSES else None
            page: dict[str, Any] | None = None
            if decoded is None:
                misses += 1
                page = pages.parse_line(path, number, raw, rejects)
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
            order = (retrieved, file_index * 10_000_000 + number)
            if decoded is not None:
                typed.read_typed_page(path, number, raw, decoded, order, seen, rejects)
            elif page is not None:
                pages.read_page(path, number, page, order, seen, rejects)
    return seen
