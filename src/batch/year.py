"""One year during a run, as the parent process keeps it: its manifest, outputs and result.

Each method records one event of the year (a step skipped, done or failed, the year
stopped, its report skipped or rendered, the year finished) in both the year's manifest
(``<processed>/<year>/notebooks/manifest.json``, saved atomically as it goes) and its
:class:`~src.batch.summary.YearResult`. What happens when is the runner's business
(:mod:`src.batch.runner`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from src.batch.cache import mark_skipped, not_asked_record, not_run_record
from src.batch.manifest import (
    checksums,
    read_manifest,
    utc_now,
    year_manifest,
    year_manifest_path,
)
from src.batch.settings import RunSettings
from src.batch.summary import StepResult, YearResult
from src.io import write_json_atomic

logger = logging.getLogger(__name__)


@dataclass
class YearRun:
    """The parent process's state of one year during a run."""

    settings: RunSettings
    year: int
    inputs: dict[str, str]  #: raw file (relative to the year's raw folder) -> sha256
    manifest: dict[str, Any]  #: this run's manifest, saved as steps finish
    previous: dict[str, Any]  #: the last run's manifest ({} when none)
    result: YearResult
    upstream: dict[str, str] = field(default_factory=dict)  #: outputs so far -> sha256
    upstream_current: bool = True  #: every step so far was skipped (nothing was re-run)
    report: str = "pending"  #: pending/running/done
    needed_by: tuple[str, ...] = ()  #: steps of other years it runs for (not asked for itself)

    def previous_step(self, step: str) -> dict[str, Any] | None:
        """The step's record in the last run's manifest, if any."""
        return {s.get("step"): s for s in self.previous.get("steps", [])}.get(step)

    def save(self) -> None:
        write_json_atomic(self.manifest, year_manifest_path(self.settings, self.year))

    def _add_step(self, record: dict[str, Any], seconds: float, error: str | None = None) -> None:
        self.manifest["steps"].append(record)
        self.result.steps.append(
            StepResult(record["step"], record["status"], seconds, record["notebook"], error)
        )
        self.result.warnings.extend(f"{record['step']}: {w}" for w in record.get("warnings", []))
        self.result.warnings.extend(
            f"{record['step']}: kernel: {line}" for line in record.get("kernel", [])
        )

    def step_skipped(self, record: dict[str, Any], last: dict[str, Any]) -> None:
        """The step's key matched its last success: its outputs stand."""
        mark_skipped(record, last)
        self._add_step(record, 0.0)
        self.upstream.update(record["outputs"])
        self.save()

    def step_ran(self, record: dict[str, Any], outcome: dict[str, Any]) -> None:
        """A step ran (see :func:`src.batch.execute.execute_step` for ``outcome``)."""
        seconds = outcome["seconds"]
        record.update(status=outcome["status"], seconds=round(seconds, 3), finished_at=utc_now())
        for name in ("warnings", "kernel"):
            if outcome.get(name):
                record[name] = outcome[name]
        if outcome["status"] == "failed":
            record["error"] = outcome["error"]
            self._add_step(record, seconds, outcome["error"])
            self.result.error = (
                f"{record['step']} failed: {outcome['error']} "
                f"(executed notebook kept at {record['notebook']})"
            )
            return
        record["outputs"] = outcome["outputs"]
        self._add_step(record, seconds)
        self.upstream.update(outcome["outputs"])
        self.save()

    def not_asked(self, steps: list[str]) -> None:
        """The run was not asked for ``steps``: they keep their last successful records."""
        for step in steps:
            self.manifest["steps"].append(not_asked_record(step, self.previous_step(step)))
        self.result.not_asked.extend(steps)
        self.save()

    def stopped(self, not_run: list[str]) -> None:
        """A step failed: the steps ``not_run`` keep their last successful records."""
        for step in not_run:
            self.manifest["steps"].append(not_run_record(step, self.previous_step(step)))
        self.report = "done"
        self.manifest.update(status="failed", error=self.result.error, finished_at=utc_now())
        self.save()

    def report_skipped(self, html: Path, pdf: Path | None) -> None:
        """The report on disk is the one last rendered, and nothing was re-run."""
        self.manifest["report"] = {**(self.previous.get("report") or {}), "status": "skipped"}
        self.result.report, self.result.pdf = str(html), None if pdf is None else str(pdf)
        self.report = "done"

    def report_not_asked(self) -> None:
        """The run was not asked for every step: the year's report stays as it was."""
        self.manifest["report"] = {**(self.previous.get("report") or {}), "status": "not asked"}
        self.report = "done"

    def report_rendered(self, outcome: dict[str, Any]) -> None:
        """The report was rendered (see :func:`src.batch.execute.render_year`), or failed."""
        self.report = "done"
        self.manifest["report"] = outcome["record"]
        self.result.report, self.result.pdf = outcome.get("report"), outcome.get("pdf")
        self.result.warnings.extend(outcome.get("warnings", []))
        if outcome.get("error"):
            self.result.error = outcome["error"]

    def finish(self) -> None:
        """The year is done: its manifest says whether it succeeded."""
        self.manifest.update(status="ok" if self.result.ok else "failed", finished_at=utc_now())
        if self.result.error:
            self.manifest["error"] = self.result.error
        self.save()


def start_year(
    settings: RunSettings,
    year: int,
    run_id: str,
    facts: dict[str, Any],
    needed_by: tuple[str, ...] = (),
) -> YearRun | YearResult:
    """Read the year's last manifest and raw checksums; a missing raw folder fails the year.

    ``facts`` is the run's environment (:func:`src.batch.manifest.environment`);
    ``needed_by`` names the steps of other years the year runs for, when it was not
    asked for itself.
    """
    result = YearResult(year=year, needed_by=list(needed_by))
    raw_year = settings.raw_dir / str(year)
    if not raw_year.is_dir():
        result.error = f"no raw data folder for {year}: {raw_year} does not exist"
        logger.info("[%s] failed before starting: %s", year, result.error)
        return result
    settings.executed_dir(year).mkdir(parents=True, exist_ok=True)
    inputs = checksums(raw_year)
    return YearRun(
        settings=settings,
        year=year,
        inputs=inputs,
        manifest=year_manifest(settings, year, run_id, inputs, facts, needed_by),
        previous=read_manifest(year_manifest_path(settings, year)),
        result=result,
        needed_by=needed_by,
    )
