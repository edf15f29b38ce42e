"""Run the pipeline notebooks for each year with papermill, years in parallel processes.

Per year, the steps of :data:`src.config.PIPELINE_STEPS` run in order; the executed
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
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
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


def execute_notebook(source: Path, executed: Path, parameters: dict[str, Any], *, timeout: int | None = None, kernel_name: str = "python3") -> None:
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
    notebook.cells = [c for c in notebook.cells if ERROR_CELL_TAG not in c.get("metadata", {}).get("tags", [])]
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
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


Executor = Callable[..., None]


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
) -> YearResult:
    """Run every step for ``year``; never raises for a failure of the year's own data.

    ``quarantine`` makes the ingest step skip bad records (listing them in
    ``rejected.csv``) instead of stopping the year. A step whose inputs, parameters and
    code did not change since its last successful run is skipped unless ``force``.
    Writes ``<processed>/<year>/notebooks/manifest.json`` atomically as it goes.
    ``steps``, ``notebooks_dir``, ``executor`` and ``render`` exist for tests.
    """
    steps = tuple(steps or config.PIPELINE_STEPS)
    notebooks_dir = notebooks_dir or config.NOTEBOOKS_DIR
    executor = executor or execute_notebook
    result = YearResult(year=year)
    raw_year = raw_dir / str(year)
    if not raw_year.is_dir():
        result.error = f"no raw data folder for {year}: {raw_year} does not exist"
        _say(f"[{year}] failed before starting: {result.error}")
        return result
    processed_year = processed_dir / str(year)
    executed_dir = processed_year / "notebooks"
    executed_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = executed_dir / MANIFEST_NAME
    previous = read_manifest(manifest_path)
    previous_steps = {s.get("step"): s for s in previous.get("steps", [])}
    parameters = {"year": year, "raw_dir": str(raw_dir), "processed_dir": str(processed_dir), "reports_dir": str(reports_dir), "seed": seed}
    inputs = checksums(raw_year)
    code = code_hash()
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
        "code_sha256": code,
        "inputs": inputs,
        "steps": [],
    }
    manifest_records: list[dict[str, Any]] = manifest["steps"]

    def save() -> None:
        write_json_atomic(manifest, manifest_path)

    upstream: dict[str, str] = {}
    upstream_current = True  # every step so far was skipped (nothing was re-run)
    width = len(steps)
    for number, step in enumerate(steps, start=1):
        label = f"[{year} {number}/{width} {step}]"
        source = notebooks_dir / f"{step}.ipynb"
        executed = executed_dir / f"{step}.ipynb"
        step_parameters = {**parameters, "quarantine": quarantine} if number == 1 else parameters
        notebook_sha = sha256_file(source)
        key = step_key(step, step_parameters, inputs, {k: upstream[k] for k in sorted(upstream)}, notebook_sha, code)
        record: dict[str, Any] = {"step": step, "key": key, "notebook": str(executed), "notebook_sha256": notebook_sha, "started_at": _now()}
        last = _last_ok(previous_steps.get(step))
        if not force and last and last.get("key") == key and executed.is_file() and outputs_unchanged(last.get("outputs", {}), processed_year):
            record.update(status="skipped", seconds=0.0, outputs=last.get("outputs", {}), reason="inputs, parameters and code unchanged since " + str(last.get("finished_at", "the last run")), finished_at=last.get("finished_at"))
            manifest_records.append(record)
            result.steps.append(StepResult(step, "skipped", 0.0, str(executed)))
            upstream.update(record["outputs"])
            _say(f"{label} skipped: inputs, parameters and code unchanged since the last run")
            save()
            continue
        why = "--force" if force else ("first run" if not last else "changed inputs, parameters or code")
        _say(f"{label} running ({why}) …")
        upstream_current = False
        before, since_ns = output_stamps(processed_year), time.time_ns()
        started = time.perf_counter()
        try:
            executor(source, executed, step_parameters, timeout=timeout, kernel_name=kernel_name)
        except Exception as exc:  # papermill raises PapermillExecutionError, timeouts, kernel deaths
            seconds = time.perf_counter() - started
            message = _error_text(exc)
            mark_failed_notebook(executed, step, message)
            record.update(status="failed", seconds=round(seconds, 3), error=message, finished_at=_now())
            manifest_records.append(record)
            for later in steps[number:]:
                manifest_records.append({"step": later, "status": "not run", "previous": _last_ok(previous_steps.get(later))})
            result.steps.append(StepResult(step, "failed", seconds, str(executed), message))
            result.error = f"{step} failed: {message} (executed notebook kept at {executed})"
            manifest.update(status="failed", error=result.error, finished_at=_now())
            save()
            _say(f"{label} FAILED after {seconds:.1f} s: {message}")
            return result
        seconds = time.perf_counter() - started
        outputs = written_between(before, output_stamps(processed_year), processed_year, since_ns)
        record.update(status="ok", seconds=round(seconds, 3), outputs=outputs, finished_at=_now())
        manifest_records.append(record)
        upstream.update(outputs)
        result.steps.append(StepResult(step, "ok", seconds, str(executed)))
        save()
        _say(f"{label} done in {seconds:.1f} s")
    if render:
        _render_year(result, manifest, previous, year, raw_dir, processed_dir, reports_dir, seed, executed_dir, upstream_current, pdf)
    manifest.update(status="ok" if result.ok else "failed", finished_at=_now())
    if result.error:
        manifest["error"] = result.error
    save()
    return result


def _render_year(result: YearResult, manifest: dict[str, Any], previous: dict[str, Any], year: int, raw_dir: Path, processed_dir: Path,
                 reports_dir: Path, seed: int, executed_dir: Path, upstream_current: bool, pdf: bool) -> None:
    """Render the year's HTML report (and its PDF) unless every step was skipped and they exist."""
    from src.params import year_run
    from src.report.render import render_pdf, render_report
    from src.report.yearly import load_year_report, report_card

    run = year_run(year, raw_dir, processed_dir, reports_dir, seed)
    out_html = run.reports / "index.html"
    out_pdf = run.reports / "report.pdf"
    last = previous.get("report") or {}
    label = f"[{year} report]"
    if upstream_current and out_html.is_file() and last.get("html_sha256") == sha256_file(out_html) and (not pdf or out_pdf.is_file()):
        manifest["report"] = {**last, "status": "skipped"}
        result.report = str(out_html)
        result.pdf = str(out_pdf) if pdf else None
        _say(f"{label} skipped: up to date at {out_html}")
        return
    started = time.perf_counter()
    try:
        card = report_card(load_year_report(run))
        render_report(executed_dir / f"{config.PIPELINE_STEPS[-1]}.ipynb", out_html, title=f"Influence or volume? The {year} list", card=card)
    except Exception as exc:
        result.error = f"rendering the report failed: {_error_text(exc)}"
        manifest["report"] = {"status": "failed", "error": result.error}
        _say(f"{label} {result.error}")
        return
    result.report = str(out_html)
    record = {"status": "ok", "html": str(out_html), "html_sha256": sha256_file(out_html), "html_seconds": round(time.perf_counter() - started, 3)}
    _say(f"{label} HTML written to {out_html} in {record['html_seconds']:.1f} s")
    if pdf:
        started = time.perf_counter()
        try:
            render_pdf(out_html, out_pdf)
        except Exception as exc:  # a missing PDF never hides a good HTML report; the summary says so
            record["pdf_error"] = _error_text(exc)
            result.warnings.append(f"PDF not written: {record['pdf_error']}")
            _say(f"{label} PDF not written: {record['pdf_error']}")
        else:
            record.update(pdf=str(out_pdf), pdf_seconds=round(time.perf_counter() - started, 3))
            result.pdf = str(out_pdf)
            _say(f"{label} PDF written to {out_pdf} in {record['pdf_seconds']:.1f} s")
    manifest["report"] = record


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
) -> list[YearResult]:
    """Run ``years`` (in parallel processes when ``jobs`` > 1), then write the index page
    and ``<processed>/run_manifest.json``."""
    from src.report.render import write_index

    started_at, started = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), time.perf_counter()
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(years) or 1))
    results: list[YearResult] = []
    arguments = dict(raw_dir=raw_dir, processed_dir=processed_dir, reports_dir=reports_dir, seed=seed, timeout=timeout,
                     kernel_name=kernel_name, quarantine=quarantine, force=force, pdf=pdf, run_id=run_id)
    if jobs == 1:
        results = [run_year(year, **arguments) for year in years]
    else:
        threads = max(1, (os.cpu_count() or 1) // jobs)
        with ProcessPoolExecutor(max_workers=jobs, initializer=_limit_threads, initargs=(threads,)) as pool:
            futures = {pool.submit(run_year, year, **arguments): year for year in years}
            for future in as_completed(futures):
                try:
                    results.append(future.result())
                except Exception as exc:  # the worker process itself died
                    results.append(YearResult(year=futures[future], error=f"worker crashed: {_error_text(exc)}"))
    results.sort(key=lambda r: r.year)
    reports_dir.mkdir(parents=True, exist_ok=True)
    write_index(reports_dir, failures={r.year: r.error or "" for r in results if not r.ok})
    processed_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomic(
        {
            "run_id": run_id,
            "started_at": started_at,
            "finished_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "seconds": round(time.perf_counter() - started, 3),
            "command": sys.argv,
            "options": {"years": years, "seed": seed, "jobs": jobs, "timeout_seconds": timeout, "kernel": kernel_name, "quarantine": quarantine, "force": force, "pdf": pdf},
            "folders": {"raw": str(raw_dir), "processed": str(processed_dir), "reports": str(reports_dir)},
            "versions": versions(),
            "code_sha256": code_hash(),
            "exit_status": 0 if all(r.ok for r in results) else 1,
            "years": {
                str(r.year): {
                    "status": "ok" if r.ok else "failed",
                    "error": r.error,
                    "warnings": r.warnings,
                    "steps": {s.step: {"status": s.status, "seconds": round(s.seconds, 3), "error": s.error} for s in r.steps},
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
        note = f" ({len(skipped)} of {len(result.steps)} steps skipped: unchanged)" if skipped else ""
        if result.ok:
            pdf = f" and {result.pdf}" if result.pdf else ""
            print(f"  {result.year}: ok in {total:.1f} s{note} -> {result.report}{pdf}", file=stream)
        else:
            print(f"  {result.year}: FAILED ({result.error})", file=stream)
        for warning in result.warnings:
            print(f"  {result.year}: warning: {warning}", file=stream)
    failed = [r for r in results if not r.ok]
    if failed:
        print(f"{len(failed)} of {len(results)} year(s) failed: {', '.join(str(r.year) for r in failed)}", file=stream)
    print(f"Index: {reports_dir / 'index.html'}", file=stream)
