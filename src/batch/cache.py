"""Resume: a step's key, whether a step or a report can be skipped, and the records saying so.

A step's *key* is a hash of everything its result depends on (:class:`StepKeyParts`): the
step's id, its parameters, the checksums of the year's raw files, the outputs of the
steps before it and the files it reads from other years (their checksums as they are
now on disk), the step's notebook, the library code it runs (:class:`StepCode`: the
``src`` modules its notebook imports, :mod:`src.batch.imports`), and for the files of
other years the code that made them. A re-run skips a step whose key matches the last
successful run's and whose own outputs and executed notebook are still on disk,
unchanged; ``--force`` re-runs it anyway. The step's record keeps each part, so a
re-run can say what changed (:mod:`src.batch.reasons`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from src import pipeline
from src.batch.imports import notebook_code_files
from src.batch.manifest import digest, portable_parameters, sha256_file
from src.batch.settings import RunSettings
from src.pipeline import Step

#: The key of the other years' files a step reads, inside its upstream checksums.
OTHER_YEARS = "other years"


@dataclass(frozen=True)
class StepCode:
    """The code a step runs: its notebook and the ``src`` files the notebook imports."""

    notebook_sha256: str
    modules: dict[str, str]  #: ``src/...`` path -> sha256

    @classmethod
    def of(cls, notebook: Path, project_root: Path) -> StepCode:
        """The code of the step whose notebook is ``notebook``, modules under ``project_root``."""
        return cls(sha256_file(notebook), notebook_code_files(notebook, project_root))

    def key(self) -> str:
        """One hash of the step's code: what "made by the same code" compares."""
        return digest({"notebook": self.notebook_sha256, "modules": self.modules})


def step_codes(settings: RunSettings) -> dict[str, StepCode]:
    """Each step's code (its notebook and the ``src`` files it imports), by step id."""
    return {
        step.notebook: StepCode.of(
            settings.notebooks_dir / f"{step.notebook}.ipynb", settings.project_root
        )
        for step in settings.steps
    }


@dataclass(frozen=True)
class StepKeyParts:
    """Everything a step's result depends on, by name (see the module docstring)."""

    step: str  #: the step's id (its notebook's stem)
    parameters: dict[str, Any]  #: the notebook's parameters (folders as manifests write them)
    inputs: dict[str, str]  #: raw file (relative to the year's raw folder) -> sha256
    upstream: dict[str, Any]  #: output of the steps before it -> sha256 (and other years')
    notebook_sha256: str  #: the step's source notebook
    code: dict[str, str]  #: the library code the step runs: ``src/...`` path -> sha256
    #: other year -> the code key of the step that made the files read from it
    other_years_code: dict[str, str] = field(default_factory=dict)

    def key(self) -> str:
        """The hash that must match for the step to be skipped."""
        return digest(
            {
                "step": self.step,
                "parameters": self.parameters,
                "inputs": self.inputs,
                "upstream": self.upstream,
                "notebook": self.notebook_sha256,
                "code": self.code,
                "other_years_code": self.other_years_code,
            }
        )

    def record(self) -> dict[str, Any]:
        """The parts as a step's record keeps them (to say what changed next time)."""
        return {
            "parameters": self.parameters,
            "inputs": self.inputs,
            "upstream": self.upstream,
            "notebook_sha256": self.notebook_sha256,
            "code": self.code,
            "other_years_code": self.other_years_code,
        }


def step_key_parts(
    settings: RunSettings,
    year: int,
    step: Step,
    known: tuple[dict[str, str], dict[str, str]],
    code: StepCode,
    made_by: Callable[[int], str],
) -> tuple[StepKeyParts, dict[str, str]]:
    """The parts of the key of ``step`` of ``year``, and the other years' files it reads.

    ``known`` is the year's raw checksums and the outputs of the steps before it (name ->
    sha256); ``made_by(other year)`` is the code key of the step that made the files the
    step reads from that year (asked only for years whose files are there).
    """
    inputs, upstream = known
    other_years = other_year_stamps(
        pipeline.other_year_inputs(step, settings.processed_dir, year), settings.processed_dir
    )
    present = sorted({name.split("/")[0] for name, sha in other_years.items() if sha != "absent"})
    parts = StepKeyParts(
        step=step.notebook,
        parameters=portable_parameters(settings, settings.step_parameters(step, year)),
        inputs=inputs,
        upstream=upstream_for_key(upstream, other_years),
        notebook_sha256=code.notebook_sha256,
        code=code.modules,
        other_years_code={other: made_by(int(other)) for other in present},
    )
    return parts, other_years


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


def last_record(manifest: dict[str, Any], step: str) -> dict[str, Any] | None:
    """The last successful record of ``step`` in a year's manifest, if any."""
    records = {record.get("step"): record for record in manifest.get("steps", [])}
    return last_ok(records.get(step))


def changed_outputs(outputs: dict[str, str], processed_year: Path) -> list[str]:
    """The recorded output files that are gone or whose content changed."""
    return [
        name
        for name, expected in outputs.items()
        if not (processed_year / name).is_file() or sha256_file(processed_year / name) != expected
    ]


def outputs_unchanged(outputs: dict[str, str], processed_year: Path) -> bool:
    """True when every recorded output file is still there with the same content."""
    return not changed_outputs(outputs, processed_year)


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


def not_asked_record(step: str, previous: dict[str, Any] | None) -> dict[str, Any]:
    """The record of a step the run was not asked for; it keeps its last successful record."""
    return {"step": step, "status": "not asked", "previous": last_ok(previous)}


def report_up_to_date(
    previous: dict[str, Any],
    html: Path,
    pdf: Path | None,
    upstream_current: bool,
    code_key: str | None = None,
) -> bool:
    """True when no step was re-run and the year's report is on disk as last rendered.

    ``previous`` is the last manifest's report record; ``pdf`` is the PDF that must be
    there too (None when no PDF is asked for); ``code_key``, when given, is the key of the
    code that renders the report, which must be the one that rendered it last.
    """
    return (
        upstream_current
        and (code_key is None or previous.get("code_key") == code_key)
        and html.is_file()
        and previous.get("html_sha256") == sha256_file(html)
        and (pdf is None or pdf.is_file())
    )
