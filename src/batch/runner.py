"""Run the pipeline's notebooks for each year with papermill, steps in parallel processes.

The loop that ties the batch together: :mod:`~src.batch.schedule` says which (year,
step) may start, :mod:`~src.batch.cache` keys it and says whether it can be skipped,
:mod:`~src.batch.execute` runs it (or renders a year's report) in a worker process, and
:mod:`~src.batch.year` records what happened in the year's manifest and result. Keys,
skips and manifests are handled in the parent process; workers only execute notebooks
and render reports. Progress goes to this package's loggers (the command line prints it).

The executed notebooks are kept in ``<processed>/<year>/notebooks/`` with the year's
manifest. A failing step stops its year only: the failed notebook is kept with its error
named at its top, the other years go on, and the result says what failed and where. Only
a year whose every step succeeded has its report re-rendered, so a failure never deletes
or replaces a good report. ``<processed>/run_manifest.json`` records the run.
"""

from __future__ import annotations

import logging
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from src import pipeline
from src.batch.cache import (
    StepKeyParts,
    can_skip,
    last_ok,
    other_year_stamps,
    report_up_to_date,
    upstream_for_key,
    why_run,
)
from src.batch.execute import (
    StepJob,
    error_text,
    execute_notebook,
    execute_step,
    render_year,
    worker_pool,
)
from src.batch.manifest import RUN_MANIFEST_NAME, code_hash, run_manifest, sha256_file, utc_now
from src.batch.schedule import FAILED, RUNNING, SKIPPED, Schedule, step_id
from src.batch.settings import RunSettings
from src.batch.summary import YearResult
from src.batch.year import YearRun, start_year
from src.io import write_json_atomic
from src.pipeline import Step

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Job:
    """What a running future is: a year's step (with its record so far) or its report."""

    year: int
    step: Step | None = None  #: None: the year's report
    record: dict[str, Any] = field(default_factory=dict)


class _Run:
    """One run of the loop: start what is ready, at most ``jobs`` at once; record what ends."""

    def __init__(self, settings: RunSettings, years: dict[int, YearRun]) -> None:
        self.settings = settings
        self.years = years
        self.schedule = Schedule(settings.steps, years)
        self.code = code_hash()
        self.jobs = settings.resolved_jobs() if len(years) > 1 else 1
        self.pool = worker_pool(self.jobs)
        self.running: dict[Future[Any], _Job] = {}

    def label(self, year: int, step: Step) -> str:
        """``[<year> <number>/<steps> <step id>]``: how progress lines name a step."""
        number, width = self.schedule.number(step), len(self.settings.steps)
        return f"[{year} {number}/{width} {step_id(step)}]"

    def key_parts(self, run: YearRun, step: Step) -> tuple[StepKeyParts, dict[str, str]]:
        """What the step's key covers, and the other years' files it reads (with checksums)."""
        settings = self.settings
        other_years = other_year_stamps(
            pipeline.other_year_inputs(step, settings.processed_dir, run.year),
            settings.processed_dir,
        )
        parts = StepKeyParts(
            step=step_id(step),
            parameters=settings.step_parameters(step, run.year),
            inputs=run.inputs,
            upstream=upstream_for_key(run.upstream, other_years),
            notebook_sha256=sha256_file(settings.notebooks_dir / f"{step_id(step)}.ipynb"),
            code_sha256=self.code,
        )
        return parts, other_years

    def warn_about_other_years(self, run: YearRun, step: Step) -> None:
        """Say when a step reads an other year whose writing step failed in this run."""
        for other, writer in self.schedule.writers_that_failed(run.year, step):
            run.result.warnings.append(
                f"{step_id(step)} read {other}'s outputs from an earlier run (if any): "
                f"{other}'s {step_id(writer)} did not succeed in this run"
            )

    def start_step(self, run: YearRun, step: Step) -> None:
        """Key the step, then skip it (recorded at once) or submit it to the pool."""
        settings, label = self.settings, self.label(run.year, step)
        parts, other_years = self.key_parts(run, step)
        executed = settings.executed_dir(run.year) / f"{parts.step}.ipynb"
        record: dict[str, Any] = {
            "step": parts.step,
            "key": parts.key(),
            "notebook": str(executed),
            "notebook_sha256": parts.notebook_sha256,
            "started_at": utc_now(),
        }
        if other_years:
            record["other_years"] = other_years
        self.warn_about_other_years(run, step)
        last = last_ok(run.previous_step(parts.step))
        processed_year = settings.processed_year(run.year)
        if last and can_skip(last, record["key"], executed, processed_year, settings.force):
            run.step_skipped(record, last)
            self.schedule.set(run.year, step, SKIPPED)
            logger.info(
                "%s skipped: inputs, parameters and code unchanged since the last run", label
            )
            return
        logger.info("%s running (%s) …", label, why_run(last, settings.force))
        run.upstream_current = False
        self.schedule.set(run.year, step, RUNNING)
        job = StepJob(
            step=parts.step,
            source=settings.notebooks_dir / f"{parts.step}.ipynb",
            executed=executed,
            parameters=parts.parameters,
            processed_year=processed_year,
            executor=settings.executor or execute_notebook,
            timeout=settings.timeout,
            kernel_name=settings.kernel_name,
        )
        self.running[self.pool.submit(execute_step, job)] = _Job(run.year, step, record)

    def finish_step(
        self, run: YearRun, step: Step, record: dict[str, Any], outcome: dict[str, Any]
    ) -> None:
        """Record a step that ran; a failure stops its year."""
        label, seconds = self.label(run.year, step), outcome["seconds"]
        run.step_ran(record, outcome)
        self.schedule.set(run.year, step, outcome["status"])
        if outcome["status"] == FAILED:
            logger.info("%s FAILED after %.1f s: %s", label, seconds, outcome["error"])
            run.stopped([step_id(later) for later in self.schedule.stop_after(run.year, step)])
            return
        logger.info("%s done in %.1f s", label, seconds)

    def start_report(self, run: YearRun) -> None:
        """Render the year's report, unless nothing was re-run and it is on disk unchanged."""
        settings = self.settings
        if not settings.render:
            run.report = "done"
            run.finish()
            return
        html = settings.reports_dir / str(run.year) / "index.html"
        pdf = settings.reports_dir / str(run.year) / "report.pdf" if settings.pdf else None
        last = run.previous.get("report") or {}
        if report_up_to_date(last, html, pdf, run.upstream_current):
            run.report_skipped(html, pdf)
            logger.info("[%s report] skipped: up to date at %s", run.year, html)
            run.finish()
            return
        run.report = "running"
        self.running[self.pool.submit(render_year, settings, run.year)] = _Job(run.year)

    def finish_report(self, run: YearRun, outcome: dict[str, Any]) -> None:
        run.report_rendered(outcome)
        run.finish()

    def start_one(self) -> bool:
        """Start (or skip) one report or step that is ready; False when nothing is."""
        for run in self.years.values():
            if run.report == "pending" and self.schedule.year_succeeded(run.year):
                self.start_report(run)
                return True
        ready = self.schedule.next_ready()
        if ready is None:
            return False
        year, step = ready
        self.start_step(self.years[year], step)
        return True

    def collect(self, future: Future[Any]) -> None:
        """Record a finished job; a worker that died fails its step or its report."""
        job = self.running.pop(future)
        try:
            outcome = future.result()
        except Exception as exc:  # the worker process itself died
            error = f"worker crashed: {error_text(exc)}"
            outcome = {"status": FAILED, "seconds": 0.0, "error": error}
            if job.step is None:
                outcome = {"error": error, "record": {"status": FAILED, "error": error}}
        if job.step is None:
            self.finish_report(self.years[job.year], outcome)
        else:
            self.finish_step(self.years[job.year], job.step, job.record, outcome)

    def run(self) -> None:
        try:
            while True:
                # start whatever is ready, up to the number of jobs (skips resolve at once)
                while len(self.running) < self.jobs and self.start_one():
                    pass
                if not self.running:
                    break
                done, _ = wait(list(self.running), return_when=FIRST_COMPLETED)
                for future in done:
                    self.collect(future)
        finally:
            self.pool.shutdown()


def run_years(settings: RunSettings, run_id: str = "") -> list[YearResult]:
    """Run every (year, step) of ``settings.years`` as soon as what it reads is ready.

    Never raises for a failure of a year's own data: the result says what failed. Writes
    each year's manifest as it goes; not the index page nor the run manifest (see
    :func:`run_batch`).
    """
    results: dict[int, YearResult] = {}
    years: dict[int, YearRun] = {}
    for year in settings.years:
        started = start_year(settings, year, run_id)
        if isinstance(started, YearResult):
            results[year] = started
        else:
            years[year], results[year] = started, started.result
    _Run(settings, dict(sorted(years.items()))).run()
    return [results[year] for year in sorted(results)]


def run_year(settings: RunSettings, year: int) -> YearResult:
    """Run every step of ``year`` alone, one notebook at a time (``settings.years`` aside).

    ``quarantine`` makes the step that reads the raw folder skip bad records (listing
    them in ``rejected.csv``) instead of stopping the year. A step whose inputs,
    parameters and code did not change since its last successful run is skipped unless
    ``force``. Writes ``<processed>/<year>/notebooks/manifest.json`` atomically as it goes.
    """
    return run_years(replace(settings, years=(year,), jobs=1))[0]


def run_batch(settings: RunSettings) -> list[YearResult]:
    """Run ``settings.years`` (steps in parallel processes when more than one job runs),
    then write the index page and ``<processed>/run_manifest.json``.
    """
    from src.report.render import write_index

    started_at, started = utc_now(), time.perf_counter()
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
    settings = replace(settings, jobs=settings.resolved_jobs())
    results = run_years(settings, run_id)
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    if settings.render:
        failures = {r.year: r.error or "" for r in results if not r.ok}
        write_index(settings.reports_dir, failures=failures)
    settings.processed_dir.mkdir(parents=True, exist_ok=True)
    record = run_manifest(settings, results, run_id, started_at, time.perf_counter() - started)
    write_json_atomic(record, settings.processed_dir / RUN_MANIFEST_NAME)
    return results
