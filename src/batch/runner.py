"""Run the pipeline notebooks for each year with papermill, steps in parallel processes.

Per year, the steps of :data:`src.config.PIPELINE_STEPS` run in order; across years, a
step that reads other years' outputs (:data:`src.config.CROSS_YEAR_READS`) waits for the
steps that write them, and the files it reads are part of its resume key, so a parallel
run gives what a serial one would. Up to ``jobs`` notebooks run at once; the executed
notebooks are kept in ``<processed>/<year>/notebooks/`` with the year's run manifest
(``manifest.json``: parameters, package versions, sha256 of every raw file, per-step key,
time, status and outputs). A re-run skips a step whose inputs, parameters and code did
not change (see :mod:`src.batch.manifest`) and says so; ``force`` re-runs everything.

A failing step stops its year only: the failed notebook is kept with its error (named in
a cell at its top), the other years go on, and the result says what failed and where.
Only a year whose every step succeeded has its report re-rendered, so a failure never
deletes or replaces a good report. ``<processed>/run_manifest.json`` records the run.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from src import config
from src.batch.manifest import (
    MANIFEST_NAME,
    RUN_MANIFEST_NAME,
    checksums,
    code_hash,
    output_stamps,
    outputs_unchanged,
    read_manifest,
    sha256_file,
    step_key,
    versions,
    written_between,
)
from src.io import write_json_atomic, write_text_atomic


@dataclass
class StepResult:
    """One notebook of one year."""

    step: str
    status: str  #: "ok", "skipped" (unchanged since the last run) or "failed"
    seconds: float
    notebook: str
    error: str | None = None


@dataclass
class YearResult:
    """One year's run: its steps, and where its report went."""

    year: int
    steps: list[StepResult] = field(default_factory=list)
    report: str | None = None
    pdf: str | None = None
    error: str | None = None  #: why the year stopped, when it did
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _limit_threads(threads: int) -> None:
    """Cap the math libraries' threads in this process and the kernels it starts.

    Years run in parallel processes; if each kernel's BLAS and OpenMP also used every
    core, they would fight over the cores (measured here: the model step of two years at
    once took four times as long as one alone).
    """
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)


def _say(message: str) -> None:
    """One progress line, stamped; written whole so lines of parallel years do not mix."""
    sys.stdout.write(f"{datetime.now().strftime('%H:%M:%S')} {message}\n")
    sys.stdout.flush()


def _error_text(exc: BaseException) -> str:
    """The error a notebook raised, in one line (papermill wraps it; unwrap it)."""
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"


def execute_notebook(
    source: Path,
    executed: Path,
    parameters: dict[str, Any],
    *,
    timeout: int | None = None,
    kernel_name: str = "python3",
) -> None:
    """Execute ``source`` with papermill into ``executed``; raises what the notebook raised.

    ``timeout`` (seconds) bounds each cell: a hung cell is interrupted, the kernel is shut
    down and :class:`nbclient.exceptions.CellTimeoutError` is raised.
    """
    import papermill as pm

    pm.execute_notebook(
        str(source),
        str(executed),
        parameters=parameters,
        cwd=str(config.NOTEBOOKS_DIR),
        kernel_name=kernel_name,
        progress_bar=False,
        log_output=False,
        execution_timeout=timeout,
        report_mode=False,
    )


#: Tag of the markdown cell the runner puts at the top of a failed executed notebook.
ERROR_CELL_TAG = "batch-error"


def mark_failed_notebook(executed: Path, step: str, message: str) -> bool:
    """Put a markdown cell naming the error at the top of the failed executed notebook.

    Papermill keeps the error in the cell that raised it (and a link at the top); this
    cell says what failed in words, so a researcher opening the notebook sees it first.
    Returns False when there is no executed notebook to mark.
    """
    import nbformat

    if not executed.is_file():
        return False
    try:
        notebook = nbformat.read(executed, as_version=4)
    except Exception:  # an unreadable half-written notebook: leave it as it is
        return False
    notebook.cells = [
        c for c in notebook.cells if ERROR_CELL_TAG not in c.get("metadata", {}).get("tags", [])
    ]
    fence = "~~~~"
    text = (
        f"## This step failed: {step}\n\n"
        f"The batch run stopped this year at this notebook with the error below; the cell that raised it "
        f"is marked further down.\n\n{fence}\n{message.replace(fence, '~ ~ ~ ~')}\n{fence}\n"
    )
    cell = nbformat.v4.new_markdown_cell(text, metadata={"tags": [ERROR_CELL_TAG]})
    if notebook.get("nbformat_minor", 5) < 5:
        cell.pop("id", None)
    notebook.cells.insert(0, cell)
    write_text_atomic(nbformat.writes(notebook), executed)
    return True


def _last_ok(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """The step's last successful record (a step that was not reached keeps its previous one)."""
    while record:
        if record.get("status") in ("ok", "skipped"):
            return record
        record = record.get("previous")
    return None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Executor = Callable[..., None]
#: ``(processed_dir, year) -> files of other years that the step reads``.
CrossYearInputs = Callable[[Path, int], list[Path]]


def _features_cross_year(processed_dir: Path, year: int) -> list[Path]:
    from src.features.build import previous_year_inputs

    return list(previous_year_inputs(processed_dir / str(year)))


def _model_cross_year(processed_dir: Path, year: int) -> list[Path]:
    from src.model.run import earlier_year_inputs

    return list(earlier_year_inputs(processed_dir, year))


#: The files each step reads from other years, as listed by the code that reads them
#: (the steps and writers are declared in :data:`src.config.CROSS_YEAR_READS`).
CROSS_YEAR_INPUTS: dict[str, CrossYearInputs] = {
    "02_features": _features_cross_year,
    "03_model": _model_cross_year,
}

#: Status of a step that has finished one way or another in this run.
SETTLED = ("ok", "skipped", "failed", "not run")


def _cross_year_stamps(files: list[Path], processed_dir: Path) -> dict[str, str]:
    """``<year>/<file>`` -> sha256 (or ``"absent"``) of the other years' files a step reads."""
    out = {}
    for path in files:
        try:
            name = path.relative_to(processed_dir).as_posix()
        except ValueError:
            name = str(path)
        out[name] = sha256_file(path) if path.is_file() else "absent"
    return dict(sorted(out.items()))


@dataclass
class _YearRun:
    """The parent process's state of one year during a batch run (manifest, upstream, result)."""

    year: int
    parameters: dict[str, Any]
    inputs: dict[str, str]
    processed_year: Path
    executed_dir: Path
    manifest: dict[str, Any]
    previous: dict[str, Any]
    result: YearResult
    status: dict[str, str] = field(
        default_factory=dict
    )  #: step -> pending/running/ok/skipped/failed/not run
    upstream: dict[str, str] = field(
        default_factory=dict
    )  #: output file -> sha256 of the steps so far
    upstream_current: bool = True  #: every step so far was skipped (nothing was re-run)
    report: str = "pending"  #: pending/running/done

    @property
    def previous_steps(self) -> dict[str, dict[str, Any]]:
        return {s.get("step"): s for s in self.previous.get("steps", [])}

    def save(self) -> None:
        write_json_atomic(self.manifest, self.executed_dir / MANIFEST_NAME)


def _execute_step(
    executor: Executor,
    step: str,
    source: Path,
    executed: Path,
    parameters: dict[str, Any],
    processed_year: Path,
    timeout: int | None,
    kernel_name: str,
) -> dict[str, Any]:
    """Run one notebook (in a worker process) and say what it wrote; never raises for the notebook's failure."""
    before, since_ns = output_stamps(processed_year), time.time_ns()
    started = time.perf_counter()
    try:
        executor(source, executed, parameters, timeout=timeout, kernel_name=kernel_name)
    except Exception as exc:  # papermill raises PapermillExecutionError, timeouts, kernel deaths
        message = _error_text(exc)
        mark_failed_notebook(executed, step, message)
        return {"status": "failed", "seconds": time.perf_counter() - started, "error": message}
    seconds = time.perf_counter() - started
    return {
        "status": "ok",
        "seconds": seconds,
        "outputs": written_between(before, output_stamps(processed_year), processed_year, since_ns),
    }


def _render_year(
    year: int,
    raw_dir: Path,
    processed_dir: Path,
    reports_dir: Path,
    seed: int,
    executed_dir: Path,
    pdf: bool,
) -> dict[str, Any]:
    """Render the year's HTML report and its PDF (in a worker process); never raises.

    Returns ``{"record": <manifest's report record>, "error": ..., "warnings": [...], "report": path, "pdf": path}``.
    """
    from src.params import year_run
    from src.report.render import render_pdf, render_report
    from src.report.yearly import load_year_report, report_card

    label = f"[{year} report]"
    out: dict[str, Any] = {"error": None, "warnings": [], "report": None, "pdf": None}
    started = time.perf_counter()
    try:
        run = year_run(year, raw_dir, processed_dir, reports_dir, seed)
        out_html, out_pdf = run.reports / "index.html", run.reports / "report.pdf"
        card = report_card(load_year_report(run))
        render_report(
            executed_dir / f"{config.PIPELINE_STEPS[-1]}.ipynb",
            out_html,
            title=f"Influence or volume? The {year} list",
            card=card,
        )
    except Exception as exc:
        out["error"] = f"rendering the report failed: {_error_text(exc)}"
        out["record"] = {"status": "failed", "error": out["error"]}
        _say(f"{label} {out['error']}")
        return out
    out["report"] = str(out_html)
    record = {
        "status": "ok",
        "html": str(out_html),
        "html_sha256": sha256_file(out_html),
        "html_seconds": round(time.perf_counter() - started, 3),
    }
    _say(f"{label} HTML written to {out_html} in {record['html_seconds']:.1f} s")
    if pdf:
        started = time.perf_counter()
        try:
            render_pdf(out_html, out_pdf)
        except (
            Exception
        ) as exc:  # a missing PDF never hides a good HTML report; the summary says so
            record["pdf_error"] = _error_text(exc)
            out["warnings"].append(f"PDF not written: {record['pdf_error']}")
            _say(f"{label} PDF not written: {record['pdf_error']}")
        else:
            record.update(pdf=str(out_pdf), pdf_seconds=round(time.perf_counter() - started, 3))
            out["pdf"] = str(out_pdf)
            _say(f"{label} PDF written to {out_pdf} in {record['pdf_seconds']:.1f} s")
    out["record"] = record
    return out


class _InlinePool:
    """A stand-in for the process pool when one job runs at a time: work runs at submit."""

    def submit(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(function(*args, **kwargs))
        except BaseException as exc:  # surfaced by future.result(), as a process pool would
            future.set_exception(exc)
        return future

    def shutdown(self) -> None:
        pass


def _start_year(
    year: int,
    raw_dir: Path,
    processed_dir: Path,
    reports_dir: Path,
    seed: int,
    timeout: int | None,
    kernel_name: str,
    quarantine: bool,
    force: bool,
    run_id: str,
    steps: tuple[str, ...],
) -> _YearRun | YearResult:
    """Read the year's previous manifest and raw checksums; a missing raw folder fails the year at once."""
    result = YearResult(year=year)
    raw_year = raw_dir / str(year)
    if not raw_year.is_dir():
        result.error = f"no raw data folder for {year}: {raw_year} does not exist"
        _say(f"[{year}] failed before starting: {result.error}")
        return result
    processed_year = processed_dir / str(year)
    executed_dir = processed_year / "notebooks"
    executed_dir.mkdir(parents=True, exist_ok=True)
    parameters = {
        "year": year,
        "raw_dir": str(raw_dir),
        "processed_dir": str(processed_dir),
        "reports_dir": str(reports_dir),
        "seed": seed,
    }
    inputs = checksums(raw_year)
    manifest: dict[str, Any] = {
        "run_id": run_id,
        "year": year,
        "started_at": _now(),
        "status": "running",
        "force": force,
        "timeout_seconds": timeout,
        "kernel": kernel_name,
        "parameters": {**parameters, "quarantine": quarantine},
        "versions": versions(),
        "code_sha256": code_hash(),
        "inputs": inputs,
        "steps": [],
    }
    state = _YearRun(
        year,
        parameters,
        inputs,
        processed_year,
        executed_dir,
        manifest,
        read_manifest(executed_dir / MANIFEST_NAME),
        result,
    )
    state.status = {step: "pending" for step in steps}
    return state


def _run_years(
    years: list[int],
    raw_dir: Path,
    processed_dir: Path,
    reports_dir: Path,
    *,
    seed: int,
    jobs: int,
    timeout: int | None,
    kernel_name: str,
    quarantine: bool,
    force: bool,
    pdf: bool,
    run_id: str,
    steps: tuple[str, ...],
    notebooks_dir: Path,
    executor: Executor,
    render: bool,
    cross_year_reads: dict[str, tuple[str, str]],
    cross_year_inputs: dict[str, CrossYearInputs],
) -> list[YearResult]:
    """Run every (year, step) as soon as what it reads is ready, at most ``jobs`` at once.

    A step waits for the step before it in its own year and for the steps of other years
    whose outputs it reads (:data:`src.config.CROSS_YEAR_READS`); among ready steps,
    earlier steps and earlier years go first. Keys, skips and manifests are handled here,
    in the parent process; workers only execute notebooks and render reports.
    """
    results: dict[int, YearResult] = {}
    states: dict[int, _YearRun] = {}
    for year in years:
        started = _start_year(
            year,
            raw_dir,
            processed_dir,
            reports_dir,
            seed,
            timeout,
            kernel_name,
            quarantine,
            force,
            run_id,
            steps,
        )
        if isinstance(started, YearResult):
            results[year] = started
        else:
            states[year] = started
            results[year] = started.result
    in_run = sorted(states)
    code = code_hash()
    width = len(steps)

    def dependencies_settled(state: _YearRun, step: str) -> bool:
        number = steps.index(step)
        if number and state.status[steps[number - 1]] not in ("ok", "skipped"):
            return False
        writer, which = cross_year_reads.get(step, (None, ""))
        if writer not in steps:
            return True
        others = [
            y for y in in_run if (y == state.year - 1 if which == "previous" else y < state.year)
        ]
        return all(states[y].status[writer] in SETTLED for y in others)

    def cross_year_warning(state: _YearRun, step: str) -> None:
        writer, which = cross_year_reads.get(step, (None, ""))
        others = [
            y for y in in_run if (y == state.year - 1 if which == "previous" else y < state.year)
        ]
        for other in others:
            if states[other].status.get(writer) in ("failed", "not run"):
                state.result.warnings.append(
                    f"{step} read {other}'s outputs from an earlier run (if any): {other}'s {writer} did not succeed in this run"
                )

    def stop_year(state: _YearRun, number: int) -> None:
        for later in steps[number:]:
            state.status[later] = "not run"
            state.manifest["steps"].append(
                {
                    "step": later,
                    "status": "not run",
                    "previous": _last_ok(state.previous_steps.get(later)),
                }
            )
        state.report = "done"
        state.manifest.update(status="failed", error=state.result.error, finished_at=_now())
        state.save()

    def next_ready() -> tuple[_YearRun, str] | None:
        for number, step in enumerate(steps):
            for year in in_run:
                state = states[year]
                if state.status[step] == "pending" and dependencies_settled(state, step):
                    return state, step
        return None

    def prepare(state: _YearRun, step: str) -> tuple[Any, ...] | None:
        """Key the step; record it as skipped and return None, or return the job to run."""
        number = steps.index(step) + 1
        label = f"[{state.year} {number}/{width} {step}]"
        source = notebooks_dir / f"{step}.ipynb"
        executed = state.executed_dir / f"{step}.ipynb"
        step_parameters = (
            {**state.parameters, "quarantine": quarantine} if number == 1 else state.parameters
        )
        notebook_sha = sha256_file(source)
        upstream = {k: state.upstream[k] for k in sorted(state.upstream)}
        reader = cross_year_inputs.get(step)
        other_years = (
            _cross_year_stamps(reader(processed_dir, state.year), processed_dir)
            if reader and step in cross_year_reads
            else {}
        )
        if other_years:
            upstream = {**upstream, "other years": other_years}
        key = step_key(step, step_parameters, state.inputs, upstream, notebook_sha, code)
        record: dict[str, Any] = {
            "step": step,
            "key": key,
            "notebook": str(executed),
            "notebook_sha256": notebook_sha,
            "started_at": _now(),
        }
        if other_years:
            record["other_years"] = other_years
        cross_year_warning(state, step)
        last = _last_ok(state.previous_steps.get(step))
        if (
            not force
            and last
            and last.get("key") == key
            and executed.is_file()
            and outputs_unchanged(last.get("outputs", {}), state.processed_year)
        ):
            record.update(
                status="skipped",
                seconds=0.0,
                outputs=last.get("outputs", {}),
                finished_at=last.get("finished_at"),
                reason="inputs, parameters and code unchanged since "
                + str(last.get("finished_at", "the last run")),
            )
            state.manifest["steps"].append(record)
            state.result.steps.append(StepResult(step, "skipped", 0.0, str(executed)))
            state.upstream.update(record["outputs"])
            state.status[step] = "skipped"
            _say(f"{label} skipped: inputs, parameters and code unchanged since the last run")
            state.save()
            return None
        why = (
            "--force"
            if force
            else ("first run" if not last else "changed inputs, parameters or code")
        )
        _say(f"{label} running ({why}) …")
        state.upstream_current = False
        state.status[step] = "running"
        return record, (
            executor,
            step,
            source,
            executed,
            step_parameters,
            state.processed_year,
            timeout,
            kernel_name,
        )

    def finish(state: _YearRun, step: str, record: dict[str, Any], outcome: dict[str, Any]) -> None:
        number = steps.index(step) + 1
        label = f"[{state.year} {number}/{width} {step}]"
        seconds = outcome["seconds"]
        record.update(status=outcome["status"], seconds=round(seconds, 3), finished_at=_now())
        state.status[step] = outcome["status"]
        if outcome["status"] == "failed":
            message = outcome["error"]
            record["error"] = message
            state.manifest["steps"].append(record)
            state.result.steps.append(
                StepResult(step, "failed", seconds, record["notebook"], message)
            )
            state.result.error = (
                f"{step} failed: {message} (executed notebook kept at {record['notebook']})"
            )
            _say(f"{label} FAILED after {seconds:.1f} s: {message}")
            stop_year(state, number)
            return
        record["outputs"] = outcome["outputs"]
        state.manifest["steps"].append(record)
        state.upstream.update(outcome["outputs"])
        state.result.steps.append(StepResult(step, "ok", seconds, record["notebook"]))
        state.save()
        _say(f"{label} done in {seconds:.1f} s")

    def prepare_report(state: _YearRun) -> tuple[Any, ...] | None:
        """Skip the report when nothing was re-run and it is on disk unchanged; else return the render job."""
        if not render:
            state.report = "done"
            return None
        out_html = reports_dir / str(state.year) / "index.html"
        out_pdf = reports_dir / str(state.year) / "report.pdf"
        last = state.previous.get("report") or {}
        if (
            state.upstream_current
            and out_html.is_file()
            and last.get("html_sha256") == sha256_file(out_html)
            and (not pdf or out_pdf.is_file())
        ):
            state.manifest["report"] = {**last, "status": "skipped"}
            state.result.report = str(out_html)
            state.result.pdf = str(out_pdf) if pdf else None
            state.report = "done"
            _say(f"[{state.year} report] skipped: up to date at {out_html}")
            return None
        state.report = "running"
        return (state.year, raw_dir, processed_dir, reports_dir, seed, state.executed_dir, pdf)

    def finish_year(state: _YearRun) -> None:
        state.manifest.update(status="ok" if state.result.ok else "failed", finished_at=_now())
        if state.result.error:
            state.manifest["error"] = state.result.error
        state.save()

    if jobs > 1 and len(in_run) > 1:
        threads = max(1, (os.cpu_count() or 1) // jobs)
        pool: Any = ProcessPoolExecutor(
            max_workers=jobs, initializer=_limit_threads, initargs=(threads,)
        )
    else:
        pool, jobs = _InlinePool(), 1
    running: dict[Future, tuple[str, _YearRun, str, dict[str, Any] | None]] = {}
    try:
        while True:
            # Start whatever is ready, up to the number of jobs (skips resolve at once).
            progressed = True
            while progressed and len(running) < jobs:
                progressed = False
                for state in states.values():
                    if state.report == "pending" and all(
                        state.status[s] in ("ok", "skipped") for s in steps
                    ):
                        job = prepare_report(state)
                        progressed = True
                        if job is None:
                            finish_year(state)
                        else:
                            running[pool.submit(_render_year, *job)] = ("report", state, "", None)
                        break
                else:
                    ready = next_ready()
                    if ready is not None:
                        state, step = ready
                        prepared = prepare(state, step)
                        progressed = True
                        if prepared is not None:
                            record, job = prepared
                            running[pool.submit(_execute_step, *job)] = (
                                "step",
                                state,
                                step,
                                record,
                            )
            if not running:
                break
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in done:
                kind, state, step, record = running.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # the worker process itself died
                    outcome = {
                        "status": "failed",
                        "seconds": 0.0,
                        "error": f"worker crashed: {_error_text(exc)}",
                    }
                    if kind == "report":
                        outcome = {
                            "error": outcome["error"],
                            "record": {"status": "failed", "error": outcome["error"]},
                            "warnings": [],
                        }
                if kind == "step":
                    finish(state, step, record, outcome)
                    continue
                state.report = "done"
                state.manifest["report"] = outcome["record"]
                state.result.report, state.result.pdf = outcome.get("report"), outcome.get("pdf")
                state.result.warnings.extend(outcome.get("warnings", []))
                if outcome.get("error"):
                    state.result.error = outcome["error"]
                finish_year(state)
    finally:
        pool.shutdown()
    return [results[year] for year in sorted(results)]


def _pipeline(
    steps: tuple[str, ...] | None,
    notebooks_dir: Path | None,
    executor: Executor | None,
    cross_year_reads: dict[str, tuple[str, str]] | None,
    cross_year_inputs: dict[str, CrossYearInputs] | None,
) -> dict[str, Any]:
    """The pipeline's steps, notebooks, executor and cross-year reads, defaults filled in (tests pass their own)."""
    return {
        "steps": tuple(steps or config.PIPELINE_STEPS),
        "notebooks_dir": notebooks_dir or config.NOTEBOOKS_DIR,
        "executor": executor or execute_notebook,
        "cross_year_reads": config.CROSS_YEAR_READS
        if cross_year_reads is None
        else cross_year_reads,
        "cross_year_inputs": CROSS_YEAR_INPUTS if cross_year_inputs is None else cross_year_inputs,
    }


def run_year(
    year: int,
    raw_dir: Path,
    processed_dir: Path,
    reports_dir: Path,
    seed: int = config.DEFAULT_SEED,
    timeout: int | None = None,
    kernel_name: str = "python3",
    quarantine: bool = False,
    force: bool = False,
    pdf: bool = True,
    *,
    steps: tuple[str, ...] | None = None,
    notebooks_dir: Path | None = None,
    executor: Executor | None = None,
    render: bool = True,
    run_id: str = "",
    cross_year_reads: dict[str, tuple[str, str]] | None = None,
    cross_year_inputs: dict[str, CrossYearInputs] | None = None,
) -> YearResult:
    """Run every step for ``year`` alone; never raises for a failure of the year's own data.

    ``quarantine`` makes the ingest step skip bad records (listing them in
    ``rejected.csv``) instead of stopping the year. A step whose inputs, parameters and
    code did not change since its last successful run is skipped unless ``force``.
    Writes ``<processed>/<year>/notebooks/manifest.json`` atomically as it goes.
    ``steps``, ``notebooks_dir``, ``executor``, ``render`` and the ``cross_year_*``
    mappings exist for tests.
    """
    return _run_years(
        [year],
        raw_dir,
        processed_dir,
        reports_dir,
        seed=seed,
        jobs=1,
        timeout=timeout,
        kernel_name=kernel_name,
        quarantine=quarantine,
        force=force,
        pdf=pdf,
        run_id=run_id,
        render=render,
        **_pipeline(steps, notebooks_dir, executor, cross_year_reads, cross_year_inputs),
    )[0]


def run_batch(
    years: list[int],
    raw_dir: Path,
    processed_dir: Path,
    reports_dir: Path,
    *,
    seed: int = config.DEFAULT_SEED,
    jobs: int | None = None,
    timeout: int | None = None,
    kernel_name: str = "python3",
    quarantine: bool = False,
    force: bool = False,
    pdf: bool = True,
    steps: tuple[str, ...] | None = None,
    notebooks_dir: Path | None = None,
    executor: Executor | None = None,
    render: bool = True,
    cross_year_reads: dict[str, tuple[str, str]] | None = None,
    cross_year_inputs: dict[str, CrossYearInputs] | None = None,
) -> list[YearResult]:
    """Run ``years`` (steps in parallel processes when ``jobs`` > 1, each as soon as what it
    reads is ready), then write the index page and ``<processed>/run_manifest.json``.

    ``steps``, ``notebooks_dir``, ``executor``, ``render`` and the ``cross_year_*``
    mappings exist for tests (an executor must be picklable when ``jobs`` > 1).
    """
    from src.report.render import write_index

    started_at, started = (
        datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        time.perf_counter(),
    )
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(years) or 1))
    results = _run_years(
        years,
        raw_dir,
        processed_dir,
        reports_dir,
        seed=seed,
        jobs=jobs,
        timeout=timeout,
        kernel_name=kernel_name,
        quarantine=quarantine,
        force=force,
        pdf=pdf,
        run_id=run_id,
        render=render,
        **_pipeline(steps, notebooks_dir, executor, cross_year_reads, cross_year_inputs),
    )
    reports_dir.mkdir(parents=True, exist_ok=True)
    if render:
        write_index(reports_dir, failures={r.year: r.error or "" for r in results if not r.ok})
    processed_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomic(
        {
            "run_id": run_id,
            "started_at": started_at,
            "finished_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "seconds": round(time.perf_counter() - started, 3),
            "command": sys.argv,
            "options": {
                "years": years,
                "seed": seed,
                "jobs": jobs,
                "timeout_seconds": timeout,
                "kernel": kernel_name,
                "quarantine": quarantine,
                "force": force,
                "pdf": pdf,
            },
            "folders": {
                "raw": str(raw_dir),
                "processed": str(processed_dir),
                "reports": str(reports_dir),
            },
            "versions": versions(),
            "code_sha256": code_hash(),
            "exit_status": 0 if all(r.ok for r in results) else 1,
            "years": {
                str(r.year): {
                    "status": "ok" if r.ok else "failed",
                    "error": r.error,
                    "warnings": r.warnings,
                    "steps": {
                        s.step: {
                            "status": s.status,
                            "seconds": round(s.seconds, 3),
                            "error": s.error,
                        }
                        for s in r.steps
                    },
                    "manifest": str(processed_dir / str(r.year) / "notebooks" / MANIFEST_NAME),
                    "report": r.report,
                    "pdf": r.pdf,
                }
                for r in results
            },
        },
        processed_dir / RUN_MANIFEST_NAME,
    )
    return results


def print_summary(results: list[YearResult], reports_dir: Path, stream=None) -> None:
    """What ran, how long it took, what was skipped, what failed and why."""
    stream = stream or sys.stdout
    print("\nSummary", file=stream)
    for result in results:
        total = sum(step.seconds for step in result.steps)
        skipped = [s.step for s in result.steps if s.status == "skipped"]
        note = (
            f" ({len(skipped)} of {len(result.steps)} steps skipped: unchanged)" if skipped else ""
        )
        if result.ok:
            pdf = f" and {result.pdf}" if result.pdf else ""
            print(
                f"  {result.year}: ok in {total:.1f} s{note} -> {result.report}{pdf}", file=stream
            )
        else:
            print(f"  {result.year}: FAILED ({result.error})", file=stream)
        for warning in result.warnings:
            print(f"  {result.year}: warning: {warning}", file=stream)
    failed = [r for r in results if not r.ok]
    if failed:
        print(
            f"{len(failed)} of {len(results)} year(s) failed: {', '.join(str(r.year) for r in failed)}",
            file=stream,
        )
    print(f"Index: {reports_dir / 'index.html'}", file=stream)
