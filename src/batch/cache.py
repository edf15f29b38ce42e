"""Resume: a step's key, whether a step or a report can be skipped, and the records saying so.

A step's *key* is a hash of everything its result depends on (:class:`StepKeyParts`): the
step's id, its parameters, the checksums of the year's raw files, the outputs of the
steps before it and the files it reads from other years (their checksums as they are
now on disk), the step's notebook and the library code. A re-run skips a step whose key
matches the last successful run's and whose own outputs and executed notebook are still
on disk, unchanged; ``--force`` re-runs it anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from src.batch.manifest import digest, sha256_file

#: The key of the other years' files a step reads, inside its upstream checksums.
OTHER_YEARS = "other years"


@dataclass(frozen=True)
class StepKeyParts:
    """Everything a step's result depends on, by name (see the module docstring)."""

    step: str  #: the step's id (its notebook's stem)
    parameters: dict[str, Any]  #: the notebook's parameters
    inputs: dict[str, str]  #: raw file (relative to the year's raw folder) -> sha256
    upstream: dict[str, Any]  #: output of the steps before it -> sha256 (and other years')
    notebook_sha256: str  #: the step's source notebook
    code_sha256: str  #: the library code the step runs

    def key(self) -> str:
        """The hash that must match for the step to be skipped."""
        return digest(
            {
                "step": self.step,
                "parameters": self.parameters,
                "inputs": self.inputs,
                "upstream": self.upstream,
                "notebook": self.notebook_sha256,
                "code": self.code_sha256,
            }
        )


def other_year_stamps(files: list[Path], processed_dir: Path) -> dict[str, str]:
    """``<year>/<file>`` -> sha256 (or ``"absent"``) of the other years' files a step reads."""
    out = {}
    for path in files:
        try:
            name = path.relative_to(processed_dir).as_posix()
        except ValueError:
            name = str(path)
        out[name] = sha256_file(path) if path.is_file() else "absent"
    return dict(sorted(out.items()))


def upstream_for_key(upstream: dict[str, str], other_years: dict[str, str]) -> dict[str, Any]:
    """The upstream part of a key: the earlier steps' outputs, then the other years' files."""
    ordered: dict[str, Any] = {name: upstream[name] for name in sorted(upstream)}
    if other_years:
        ordered[OTHER_YEARS] = other_years
    return ordered


def last_ok(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """The step's last successful record (a step that was not reached keeps its previous one)."""
    while record:
        if record.get("status") in ("ok", "skipped"):
            return record
        record = record.get("previous")
    return None


def outputs_unchanged(outputs: dict[str, str], processed_year: Path) -> bool:
    """True when every recorded output file is still there with the same content."""
    for name, expected in outputs.items():
        path = processed_year / name
        if not path.is_file() or sha256_file(path) != expected:
            return False
    return True


def can_skip(
    last: dict[str, Any] | None, key: str, executed: Path, processed_year: Path, force: bool
) -> bool:
    """True when the step's last success had the same key and left its outputs as they are."""
    return bool(
        not force
        and last
        and last.get("key") == key
        and executed.is_file()
        and outputs_unchanged(last.get("outputs", {}), processed_year)
    )


def why_run(last: dict[str, Any] | None, force: bool) -> str:
    """Why a step runs, in words (for the progress line)."""
    if force:
        return "--force"
    return "first run" if not last else "changed inputs, parameters or code"


def mark_skipped(record: dict[str, Any], last: dict[str, Any]) -> None:
    """Complete a step's record as skipped, carrying the last run's outputs and time."""
    record.update(
        status="skipped",
        seconds=0.0,
        outputs=last.get("outputs", {}),
        finished_at=last.get("finished_at"),
        reason="inputs, parameters and code unchanged since "
        + str(last.get("finished_at", "the last run")),
    )


def not_run_record(step: str, previous: dict[str, Any] | None) -> dict[str, Any]:
    """The record of a step that a failure stopped; it keeps its last successful record."""
    return {"step": step, "status": "not run", "previous": last_ok(previous)}


def report_up_to_date(
    previous: dict[str, Any], html: Path, pdf: Path | None, upstream_current: bool
) -> bool:
    """True when no step was re-run and the year's report is on disk as last rendered.

    ``previous`` is the last manifest's report record; ``pdf`` is the PDF that must be
    there too (None when no PDF is asked for).
    """
    return (
        upstream_current
        and html.is_file()
        and previous.get("html_sha256") == sha256_file(html)
        and (pdf is None or pdf.is_file())
    )
