"""What a run used and did: checksums, versions, and the manifests that record them.

Each year has ``<processed>/<year>/notebooks/manifest.json`` (its parameters, package
versions, the sha256 of every raw file, and per step its resume key, time, status and
outputs); the run as a whole has ``<processed>/run_manifest.json`` (its options,
folders, and per year the status, steps and where the report went). Both are written
atomically. Whether a step can be skipped is decided in :mod:`src.batch.cache`.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from datetime import UTC, datetime
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from src import __version__, config
from src.batch.settings import EXECUTED_FOLDER, RunSettings
from src.batch.summary import YearResult

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
NOT_OUTPUTS = (EXECUTED_FOLDER,)


def utc_now() -> str:
    """The time now, UTC, to the second (as manifests record times)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """sha256 of a file's bytes, read ``chunk`` bytes at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    """sha256 of a text's UTF-8 bytes."""
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
    out: dict[str, tuple[int, int]] = {}
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


def read_manifest(path: Path) -> dict[str, Any]:
    """A previous manifest, or an empty one when there is none or it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def year_manifest(
    settings: RunSettings, year: int, run_id: str, inputs: dict[str, str]
) -> dict[str, Any]:
    """A year's manifest as its run starts (its steps and report are added as they finish).

    ``inputs`` maps each raw file of the year (relative path) to its sha256.
    """
    return {
        "run_id": run_id,
        "year": year,
        "started_at": utc_now(),
        "status": "running",
        "force": settings.force,
        "timeout_seconds": settings.timeout,
        "kernel": settings.kernel_name,
        "parameters": {**settings.parameters(year), "quarantine": settings.quarantine},
        "versions": versions(),
        "code_sha256": code_hash(),
        "inputs": inputs,
        "steps": [],
    }


def year_manifest_path(settings: RunSettings, year: int) -> Path:
    """``<processed>/<year>/notebooks/manifest.json``."""
    return settings.executed_dir(year) / MANIFEST_NAME


def _year_record(settings: RunSettings, result: YearResult) -> dict[str, Any]:
    """One year in the run manifest: its status, steps, manifest and report."""
    return {
        "status": "ok" if result.ok else "failed",
        "error": result.error,
        "warnings": result.warnings,
        "steps": {
            s.step: {"status": s.status, "seconds": round(s.seconds, 3), "error": s.error}
            for s in result.steps
        },
        "manifest": str(year_manifest_path(settings, result.year)),
        "report": result.report,
        "pdf": result.pdf,
    }


def run_manifest(
    settings: RunSettings, results: list[YearResult], run_id: str, started_at: str, seconds: float
) -> dict[str, Any]:
    """The run manifest: the command, its options and folders, versions, and every year.

    ``settings.jobs`` is recorded as given: the caller resolves it first.
    """
    return {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": utc_now(),
        "seconds": round(seconds, 3),
        "command": sys.argv,
        "options": {
            "years": list(settings.years),
            "seed": settings.seed,
            "jobs": settings.jobs,
            "timeout_seconds": settings.timeout,
            "kernel": settings.kernel_name,
            "quarantine": settings.quarantine,
            "force": settings.force,
            "pdf": settings.pdf,
        },
        "folders": {
            "raw": str(settings.raw_dir),
            "processed": str(settings.processed_dir),
            "reports": str(settings.reports_dir),
        },
        "versions": versions(),
        "code_sha256": code_hash(),
        "exit_status": 0 if all(r.ok for r in results) else 1,
        "years": {str(r.year): _year_record(settings, r) for r in results},
    }
