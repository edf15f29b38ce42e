"""Run the pipeline's notebooks for each year with papermill, steps in parallel processes.

The loop that ties the batch together: :mod:`~src.batch.plan` says which steps of which
years the run runs (those asked for, and what they read), :mod:`~src.batch.schedule`
which (year, step) may start, :mod:`~src.batch.cache` keys it and says whether it can be
skipped (:mod:`~src.batch.reasons` says why not), :mod:`~src.batch.execute` runs it (or
renders a year's report) in a worker process, and :mod:`~src.batch.year` records what
happened in the year's manifest and result. Keys, skips and manifests are handled in the
parent process; workers only execute notebooks and render reports. Progress goes to this
package's loggers (the command line prints it).

The executed notebooks are kept in ``<processed>/<year>/notebooks/`` with the year's
manifest. A failing step stops its year only: the failed notebook is kept with its error
named at its top, the other years go on, and the result says what failed and where. Only
a year whose every step succeeded has its report re-rendered, so a failure never deletes
or replaces a good report. No step reads another year's outputs made by other code: the
plan runs the step that makes them, and a step whose other year's step failed, leaving
outputs of other code, is refused. ``<processed>/run_manifest.json`` records the run.
"""

from __future__ import annotations

import logging
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from src.batch.cache import (
    StepKeyParts,
    can_skip,
    last_ok,
    last_record,
    report_up_to_date,
    step_key_parts,
)
from src.batch.execute import (
    StepJob,
    error_text,
    execute_notebook,
    execute_step,
    render_code,
    render_year,
    worker_pool,
)
from src.batch.imports import code_files
from src.batch.kernel import ensure_kernel
from src.batch.manifest import (
    RUN_MANIFEST_NAME,
    digest,
    portable,
    read_manifest,
    run_manifest,
    utc_now,
    year_manifest_path,
)
from src.batch.plan import RunContext, plan_record, prepare
from src.batch.reasons import why_render, why_run
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

    def __init__(
        self, settings: RunSettings, years: dict[int, YearRun], context: RunContext
    ) -> None:
        self.settings = settings
        self.years = years
        self.codes = context.codes
        upto = {year: len(context.plan.years[year].steps) for year in years}
        self.schedule = Schedule(settings.steps, years, upto)
        self.render_code = code_files(render_code(), settings.project_root)
        self.jobs = settings.resolved_jobs() if len(years) > 1 else 1
        self.pool = worker_pool(self.jobs)
        self.running: dict[Future[Any], _Job] = {}

    def label(self, year: int, step: Step) -> str:
        """``[<year> <number>/<steps> <step id>]``: how progress lines name a step."""
        number, width = self.schedule.number(step), len(self.settings.steps)
        return f"[{year} {number}/{width} {step_id(step)}]"

    def made_by(self, year: int, writer: Step) -> str:
        """The code key of the step that made ``year``'s outputs of ``writer`` ("unknown")."""
        run = self.years.get(year)
        record = None
        if run is not None:
            record = next(
                (
                    r
                    for r in run.manifest["steps"]
                    if r.get("step") == step_id(writer) and r.get("status") in ("ok", "skipped")
                ),
                None,
            )
        if record is None:
            previous = (
                run.previous
                if run is not None
                else read_manifest(year_manifest_path(self.settings, year))
            )
            record = last_record(previous, step_id(writer))
        return str((record or {}).get("code_key", "unknown"))

    def key_parts(self, run: YearRun, step: Step) -> tuple[StepKeyParts, dict[str, str]]:
        """What the step's key covers, and the other years' files it reads (with checksums)."""
        writer = self.schedule.writer(step)
        return step_key_parts(
            self.settings,
            run.year,
            step,
            (run.inputs, run.upstream),
            self.codes[step_id(step)],
            lambda other: "unknown" if writer is None else self.made_by(other, writer),
        )

    def warn_about_other_years(self, run: YearRun, step: Step) -> None:
        """Say when a step reads an other year whose writing step failed in this run."""
        for other, writer in self.schedule.writers_that_failed(run.year, step):
            run.result.warnings.append(
                f"{step_id(step)} read {other}'s outputs from an earlier run (if any): "
                f"{other}'s {step_id(writer)} did not succeed in this run"
            )

    def other_code(self, step: Step, parts: StepKeyParts) -> str | None:
        """Why the step must not run: it would read other years' outputs of other code."""
        writer = self.schedule.writer(step)
        if writer is None:
            return None
        current = self.codes[step_id(writer)].key()
        stale = [year for year, key in parts.other_years_code.items() if key != current]
        if not stale:
            return None
        return (
            f"refused: it would read {', '.join(stale)}'s outputs made by other code than "
            f"this run's {step_id(writer)}, which did not succeed there in this run"
        )

    def start_step(self, run: YearRun, step: Step) -> None:
        """Key the step, then skip it (recorded at once) or submit it to the pool."""
        settings, label = self.settings, self.label(run.year, step)
        parts, other_years = self.key_parts(run, step)
        executed = settings.executed_dir(run.year) / f"{parts.step}.ipynb"
        record: dict[str, Any] = {
            "step": parts.step,
            "key": parts.key(),
            "code_key": self.codes[parts.step].key(),
            "notebook": portable(executed, settings.project_root),
            "started_at": utc_now(),
            **parts.record(),
        }
        if other_years:
            record["other_years"] = other_years
        note = f"; for {', '.join(run.needed_by)}" if run.needed_by else ""
        if run.needed_by:
            record["needed_by"] = list(run.needed_by)
        self.warn_about_other_years(run, step)
        refused = self.other_code(step, parts)
        if refused:
            self.finish_step(
                run, step, record, {"status": FAILED, "seconds": 0.0, "error": refused}
            )
            return
        last = last_ok(run.previous_step(parts.step))
        processed_year = settings.processed_year(run.year)
        if last and can_skip(last, record["key"], executed, processed_year, settings.force):
            run.step_skipped(record, last)
            self.schedule.set(run.year, step, SKIPPED)
            logger.info(
                "%s skipped: inputs, parameters and code unchanged since the last run%s",
                label,
                f" ({note[2:]})" if note else "",
            )
            return
        record["reason"] = why_run(
            last, parts, force=settings.force, executed=executed, processed_year=processed_year
        )
        logger.info("%s running (%s%s) …", label, record["reason"], note)
        run.upstream_current = False
        self.schedule.set(run.year, step, RUNNING)
        job = StepJob(
            step=parts.step,
            source=settings.notebooks_dir / f"{parts.step}.ipynb",
            executed=executed,
            parameters=settings.step_parameters(step, run.year),
            processed_year=processed_year,
            executor=settings.executor or execute_notebook,
            timeout=settings.timeout,
            kernel_name=settings.kernel_name,
        )
        self.running[self.pool.submit(execute_step, job)] = _Job(run.year, step, record)

    def finish_step(
        self, run: YearRun, step: Step, record: dict[str, Any], outcome: dict[str, Any]
    ) -> None:
        """Record a step that ran (or was refused); a failure stops its year."""
        label, seconds = self.label(run.year, step), outcome["seconds"]
        for line in outcome.get("kernel", []):
            logger.warning("%s kernel: %s", label, line)
        for line in outcome.get("warnings", []):
            logger.warning("%s warning: %s", label, line)
        run.step_ran(record, outcome)
        self.schedule.set(run.year, step, outcome["status"])
        if outcome["status"] == FAILED:
            logger.info("%s FAILED after %.1f s: %s", label, seconds, outcome["error"])
            stopped = [step_id(later) for later in self.schedule.stop_after(run.year, step)]
            run.not_asked(self.not_asked(run.year))
            run.stopped(stopped)
            return
        logger.info("%s done in %.1f s", label, seconds)

    def not_asked(self, year: int) -> list[str]:
        """The steps of ``year`` this run does not run."""
        return [step_id(s) for s in self.settings.steps if not self.schedule.runs(year, s)]

    def start_report(self, run: YearRun) -> None:
        """Render the year's report, unless nothing was re-run and it is on disk unchanged.

        A year that does not run every step keeps its report as it was.
        """
        settings = self.settings
        not_asked = self.not_asked(run.year)
        if not_asked:
            run.not_asked(not_asked)
            run.report_not_asked()
            run.finish()
            return
        if not settings.render:
            run.report = "done"
            run.finish()
            return
        html = settings.reports_dir / str(run.year) / "index.html"
        pdf = settings.reports_dir / str(run.year) / "report.pdf" if settings.pdf else None
        last = run.previous.get("report") or {}
        code_key = digest(self.render_code)
        if report_up_to_date(last, html, pdf, run.upstream_current, code_key):
            run.report_skipped(html, pdf)
            logger.info("[%s report] skipped: up to date at %s", run.year, html)
            run.finish()
            return
        reason = why_render(last, html, pdf, run.upstream_current, self.render_code)
        logger.info("[%s report] rendering (%s) …", run.year, reason)
        run.report = "running"
        record = {"code_key": code_key, "code": self.render_code, "reason": reason}
        self.running[self.pool.submit(render_year, settings, run.year)] = _Job(
            run.year, record=record
        )

    def finish_report(self, run: YearRun, outcome: dict[str, Any], record: dict[str, Any]) -> None:
        if outcome["record"].get("status") == "ok":
            outcome["record"].update(record)
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
            self.finish_report(self.years[job.year], outcome, job.record)
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


def run_years(
    settings: RunSettings, run_id: str = "", context: RunContext | None = None
) -> list[YearResult]:
    """Run the planned steps of each year as soon as what they read is ready.

    The plan (:mod:`src.batch.plan`) is ``settings.years`` with the steps asked for, and
    the steps of other years they read; the results cover every year that ran. Never
    raises for a failure of a year's own data: the result says what failed. Raises
    :class:`~src.batch.plan.RunRefused` (before anything runs) when a step would read
    outputs of other code that cannot be made again. Writes each year's manifest as it
    goes; not the index page nor the run manifest (see :func:`run_batch`).
    """
    context = context or prepare(settings)
    if settings.executor is None:
        registered = ensure_kernel(settings.kernel_name)
        if registered:
            logger.info("%s", registered)
    for year, note in sorted(context.plan.read_as_is.items()):
        logger.info("[%s] %s", year, note)
    results: dict[int, YearResult] = {}
    years: dict[int, YearRun] = {}
    for year, year_plan in sorted(context.plan.years.items()):
        started = start_year(settings, year, run_id, context.facts, year_plan.needed_by)
        if isinstance(started, YearResult):
            results[year] = started
        else:
            years[year], results[year] = started, started.result
    _Run(settings, years, context).run()
    return [results[year] for year in sorted(results)]


def run_year(settings: RunSettings, year: int) -> YearResult:
    """Run every step of ``year`` (one notebook at a time; ``settings.years`` aside).

    ``quarantine`` makes the step that reads the raw folder skip bad records (listing
    them in ``rejected.csv``) instead of stopping the year. A step whose inputs,
    parameters and code did not change since its last successful run is skipped unless
    ``force``. Other years whose outputs its steps read run what they need first.
    Writes ``<processed>/<year>/notebooks/manifest.json`` atomically as it goes.
    """
    results = run_years(replace(settings, years=(year,), jobs=1))
    return next(result for result in results if result.year == year)


def run_batch(settings: RunSettings) -> list[YearResult]:
    """Run ``settings.years`` (steps in parallel processes when more than one job runs),
    then write the index page and ``<processed>/run_manifest.json``.

    Raises :class:`~src.batch.plan.RunRefused` (nothing run, nothing written) when the
    run cannot run as asked.
    """
    from src.report.index import write_index

    started_at, started = utc_now(), time.perf_counter()
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
    settings = replace(settings, jobs=settings.resolved_jobs())
    context = prepare(settings)
    results = run_years(settings, run_id, context)
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    if settings.render:
        failures = {r.year: r.error or "" for r in results if not r.ok}
        write_index(settings.reports_dir, failures=failures)
    settings.processed_dir.mkdir(parents=True, exist_ok=True)
    record = run_manifest(
        settings,
        results,
        run_id,
        (started_at, time.perf_counter() - started),
        context.facts,
        plan_record(context.plan),
    )
    write_json_atomic(record, settings.processed_dir / RUN_MANIFEST_NAME)
    return results
