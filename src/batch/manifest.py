"""What a run used and did, and whether a step can be skipped on the next run.

A step's *key* is a hash of everything its result depends on: the step's name, its
parameters, the checksums of the year's raw files, the outputs of the steps before it
(their files' checksums as they are now on disk), the step's notebook and the ``src/``
package. A re-run skips a step whose key matches the last successful run's and whose
own outputs and executed notebook are still on disk, unchanged.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from src import __version__, config

#: Packages whose versions each manifest records.
PACKAGES = (
    "pandas",
    "numpy",
    "pyarrow",
    "pandera",
    "scikit-learn",
    "matplotlib",
    "papermill",
    "nbformat",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "jupyter_client",
    "feedparser",
    "orjson",
    "weasyprint",
)
MANIFEST_NAME = "manifest.json"
RUN_MANIFEST_NAME = "run_manifest.json"
#: Folders of a processed year that are not step outputs (executed notebooks, manifest).
NOT_OUTPUTS = ("notebooks",)


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def checksums(folder: Path, *, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under ``folder`` (relative POSIX path -> hex digest)."""
    if not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if (
            path.is_file()
            and not (relative.parts and relative.parts[0] in exclude)
            and "__pycache__" not in relative.parts
        ):
            out[relative.as_posix()] = sha256_file(path)
    return out


def digest(mapping: dict[str, Any]) -> str:
    """One sha256 of a JSON-able mapping (order-independent)."""
    return sha256_text(json.dumps(mapping, sort_keys=True, default=str))


@lru_cache(maxsize=1)
def code_hash() -> str:
    """sha256 over the ``src/`` package's Python and style files (the code every step imports)."""
    src = config.PROJECT_ROOT / "src"
    files = {p: h for p, h in checksums(src).items() if p.endswith((".py", ".css"))}
    return digest(files)


def versions() -> dict[str, str]:
    """Python, this package and the main dependencies' versions."""
    out = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "nhs-influence": __version__,
    }
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def output_stamps(processed_year: Path) -> dict[str, tuple[int, int]]:
    """(mtime in ns, size) of every output file of a processed year, to see what a step wrote."""
    out = {}
    if not processed_year.is_dir():
        return out
    for path in processed_year.rglob("*"):
        relative = path.relative_to(processed_year)
        if path.is_file() and relative.parts[0] not in NOT_OUTPUTS:
            stat = path.stat()
            out[relative.as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return out


def written_between(
    before: dict[str, tuple[int, int]],
    after: dict[str, tuple[int, int]],
    processed_year: Path,
    since_ns: int = 0,
) -> dict[str, str]:
    """Files new or rewritten between two :func:`output_stamps`, with their sha256.

    A file whose modification time is not before ``since_ns`` (the step's start) counts as
    rewritten even if its stamp looks the same.
    """
    return {
        name: sha256_file(processed_year / name)
        for name, stamp in sorted(after.items())
        if before.get(name) != stamp or (since_ns and stamp[0] >= since_ns)
    }


def outputs_unchanged(outputs: dict[str, str], processed_year: Path) -> bool:
    """True when every recorded output file is still there with the same content."""
    for name, expected in outputs.items():
        path = processed_year / name
        if not path.is_file() or sha256_file(path) != expected:
            return False
    return True


def step_key(
    step: str,
    parameters: dict[str, Any],
    inputs: dict[str, str],
    upstream: dict[str, str],
    notebook_sha: str,
    code: str,
) -> str:
    """The hash that must match for ``step`` to be skipped (see the module docstring)."""
    return digest(
        {
            "step": step,
            "parameters": parameters,
            "inputs": inputs,
            "upstream": upstream,
            "notebook": notebook_sha,
            "code": code,
        }
    )


def read_manifest(path: Path) -> dict[str, Any]:
    """A previous manifest, or an empty one when there is none or it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
