"""What a run used and did: checksums, versions, and the manifests that record them.

Each year has ``<processed>/<year>/notebooks/manifest.json`` (its parameters, package
versions, the sha256 of every raw file, and per step its resume key and what the key
covers, time, status, outputs and warnings); the run as a whole has
``<processed>/run_manifest.json`` (its options, folders, which years and steps it ran
and why, and per year the status, steps and where the report went). Both are written
atomically, and both record the git commit of the code (and whether the checkout had
uncommitted changes) and every installed package's version.

Paths in manifests are relative to the project root (the folder holding ``src/``); a
path outside it is written from ``~`` when it is in the home folder, else as it is
(:func:`portable`), so a manifest names no one's home folder. Whether a step can be
skipped is decided in :mod:`src.batch.cache`.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from src import __version__
from src.batch.settings import EXECUTED_FOLDER, RunSettings
from src.batch.summary import YearResult

#: This project's distribution (its dependencies are read from its metadata).
DISTRIBUTION = "nhs-influence"
#: Packages that change numbers without being direct dependencies (recorded beside them).
INDIRECT_PACKAGES = ("scipy", "threadpoolctl", "jupyter_client", "nbclient", "pyzmq")
#: Files of a git checkout's status listed in a manifest (the count says if there are more).
CHANGED_FILES_LISTED = 20
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


def portable(path: Path | str, root: Path) -> str:
    """``path`` as a manifest records it: from ``root`` if inside, else from ``~``, else as is."""
    path = Path(path)
    if not path.is_absolute():
        return path.as_posix()
    for base, prefix in ((root, ""), (Path.home(), "~/")):
        try:
            return prefix + path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def from_portable(text: str, root: Path) -> Path:
    """The path a manifest's ``text`` (see :func:`portable`) names."""
    if text == "~" or text.startswith("~/"):
        return Path(text).expanduser()
    path = Path(text)
    return path if path.is_absolute() else root / path


def direct_dependencies() -> list[str]:
    """The names of this project's own dependencies (from its installed metadata)."""
    try:
        requires = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return []
    names = [
        re.split(r"[\s<>=!~;\[(]", req, maxsplit=1)[0] for req in requires if "extra ==" not in req
    ]
    return sorted({name for name in names if name})


def versions() -> dict[str, str]:
    """Python, the platform, this package, its direct dependencies and a few indirect ones."""
    out = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        DISTRIBUTION: __version__,
    }
    for name in [*direct_dependencies(), *INDIRECT_PACKAGES]:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def installed_packages() -> dict[str, str]:
    """Every installed distribution and its version (the full resolved set), by name."""
    out: dict[str, str] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            out[str(name)] = str(dist.version)
    return dict(sorted(out.items(), key=lambda item: item[0].lower()))


def _git(root: Path, *args: str) -> str | None:
    """``git -C root <args>``'s output, or None when git is missing or fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git_state(root: Path) -> dict[str, Any]:
    """The commit of the checkout at ``root``, and whether it has uncommitted changes.

    ``{"commit": None, "dirty": None, "note": ...}`` outside a git checkout (an unpacked
    archive, an installed package) or without git: never an error.
    """
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or Path(top.strip()).resolve() != Path(root).resolve():
        return {"commit": None, "dirty": None, "note": "not a git checkout (or git not found)"}
    commit = (_git(root, "rev-parse", "HEAD") or "").strip() or None
    status = _git(root, "status", "--porcelain") or ""
    changed = [line[3:] for line in status.splitlines() if line.strip()]
    state: dict[str, Any] = {"commit": commit, "dirty": bool(changed)}
    if changed:
        state["changed"] = changed[:CHANGED_FILES_LISTED]
        state["changed_count"] = len(changed)
    return state


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


def environment(settings: RunSettings) -> dict[str, Any]:
    """What a run ran with, recorded once per run in each manifest: the code's git state,
    the versions that matter (:func:`versions`), every installed package, and the kernel.
    """
    from src.batch.kernel import kernel_python

    python = kernel_python(settings.kernel_name)
    return {
        "git": git_state(settings.project_root),
        "versions": versions(),
        "packages": installed_packages(),
        "kernel": {
            "name": settings.kernel_name,
            "python": None if python is None else portable(python, settings.project_root),
        },
    }


def portable_parameters(settings: RunSettings, parameters: dict[str, Any]) -> dict[str, Any]:
    """A step's parameters with their folders as manifests write them (:func:`portable`)."""
    return {
        name: portable(value, settings.project_root) if name.endswith("_dir") else value
        for name, value in parameters.items()
    }


def year_manifest(
    settings: RunSettings,
    year: int,
    run_id: str,
    inputs: dict[str, str],
    facts: dict[str, Any],
    needed_by: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A year's manifest as its run starts (its steps and report are added as they finish).

    ``inputs`` maps each raw file of the year (relative path) to its sha256; ``facts`` is
    the run's :func:`environment`; ``needed_by`` names the steps of other years the year
    runs for, when it was not asked for itself.
    """
    parameters = {**settings.parameters(year), "quarantine": settings.quarantine}
    return {
        "run_id": run_id,
        "year": year,
        "started_at": utc_now(),
        "status": "running",
        "why": "asked" if not needed_by else "needed by " + ", ".join(needed_by),
        "force": settings.force,
        "timeout_seconds": settings.timeout,
        "parameters": portable_parameters(settings, parameters),
        **facts,
        "inputs": inputs,
        "steps": [],
    }


def year_manifest_path(settings: RunSettings, year: int) -> Path:
    """``<processed>/<year>/notebooks/manifest.json``."""
    return settings.executed_dir(year) / MANIFEST_NAME


def _year_record(settings: RunSettings, result: YearResult) -> dict[str, Any]:
    """One year in the run manifest: its status, steps, manifest and report."""
    root = settings.project_root
    return {
        "status": "ok" if result.ok else "failed",
        "why": "asked" if not result.needed_by else "needed by " + ", ".join(result.needed_by),
        "error": result.error,
        "warnings": result.warnings,
        "steps": {
            s.step: {"status": s.status, "seconds": round(s.seconds, 3), "error": s.error}
            for s in result.steps
        },
        "not_asked": result.not_asked,
        "manifest": portable(year_manifest_path(settings, result.year), root),
        "report": None if result.report is None else portable(result.report, root),
        "pdf": None if result.pdf is None else portable(result.pdf, root),
    }


def run_manifest(
    settings: RunSettings,
    results: list[YearResult],
    run_id: str,
    times: tuple[str, float],
    facts: dict[str, Any],
    plan: dict[str, Any],
) -> dict[str, Any]:
    """The run manifest: the command, its options and folders, what ran and why, every year.

    ``times`` is when the run started and how many seconds it took; ``facts`` the run's
    :func:`environment`; ``plan`` which steps of which years the run ran and why
    (:func:`src.batch.plan.plan_record`). ``settings.jobs`` is recorded as given: the
    caller resolves it first.
    """
    root = settings.project_root
    started_at, seconds = times
    return {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": utc_now(),
        "seconds": round(seconds, 3),
        "command": [portable(arg, root) if arg.startswith("/") else arg for arg in sys.argv],
        "options": {
            "years": list(settings.years),
            "steps": list(settings.only_steps) or "all",
            "seed": settings.seed,
            "jobs": settings.jobs,
            "timeout_seconds": settings.timeout,
            "kernel": settings.kernel_name,
            "quarantine": settings.quarantine,
            "force": settings.force,
            "pdf": settings.pdf,
        },
        "folders": {
            "raw": portable(settings.raw_dir, root),
            "processed": portable(settings.processed_dir, root),
            "reports": portable(settings.reports_dir, root),
        },
        **facts,
        "plan": plan,
        "exit_status": 0 if all(r.ok for r in results) else 1,
        "years": {str(r.year): _year_record(settings, r) for r in results},
    }
