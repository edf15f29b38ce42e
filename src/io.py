"""Atomic writes: an output is either the previous good file or the complete new one.

Each writer writes to a temporary file in the destination folder, flushes it to disk and
renames it over the destination (``os.replace`` is atomic on POSIX and Windows), so a
crash or a kill mid-write never leaves a half-written table or report behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd


def _file_mode() -> int:
    """Permissions an ordinary new file gets here (0666 less the umask); mkstemp's are 0600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_MODE = _file_mode()


def _atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write ``path`` by calling ``write`` on a temporary file beside it, then renaming it.

    ``write``'s return value is ignored (``Path.write_text`` returns a character count).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, _MODE)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_parquet_atomic(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` to Parquet at ``path`` atomically, without the index.

    Row order and column order are kept as given; the same frame gives the same bytes.
    """
    return _atomic(Path(path), lambda tmp: frame.to_parquet(tmp, index=False, engine="pyarrow"))


def write_text_atomic(text: str, path: Path) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    return _atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json_atomic(payload: Any, path: Path) -> Path:
    """Write ``payload`` as indented, key-sorted JSON to ``path`` atomically."""
    text = json.dumps(payload, indent=2, sort_keys=True, default=str, allow_nan=False) + "\n"
    return write_text_atomic(text, path)


def read_json(path: Path) -> Any:
    """Read a JSON file written by :func:`write_json_atomic`."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
