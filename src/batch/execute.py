"""The work done in worker processes: execute one notebook, render one year's report.

The runner (:mod:`src.batch.runner`) decides what runs and records it; the functions
here only do the work and return what happened, so they can run in a process pool. They
never raise for a failure of the notebook or the report (a failed notebook is marked
with its error at the top and kept). What workers log is sent to the parent process and
handled there, as if it had been logged there (:class:`WorkerPool`).
"""

from __future__ import annotations

import inspect
import logging
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from logging.handlers import QueueHandler, QueueListener
from pathlib import Path
from typing import Any

from src.batch.kernel import KERNEL_NAME, kernel_manager_class
from src.batch.manifest import output_stamps, portable, sha256_file, written_between
from src.batch.settings import Executor, RunSettings
from src.batch.stderr import kernel_lines, notebook_warnings
from src.io import write_text_atomic

logger = logging.getLogger(__name__)
#: The logger whose records workers send to the parent process.
BATCH_LOGGER = "src.batch"
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
#: Tag of the markdown cell put at the top of a failed executed notebook.
ERROR_CELL_TAG = "batch-error"


def limit_threads(threads: int) -> None:
    """Cap the math libraries' threads in this process and the kernels it starts.

    Years run in parallel processes; if each kernel's BLAS and OpenMP also used every
    core, they would fight over the cores (measured here: the model step of two years at
    once took four times as long as one alone).
    """
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)


def error_text(exc: BaseException) -> str:
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
    kernel_name: str = KERNEL_NAME,
    kernel_log: Path | None = None,
) -> None:
    """Execute ``source`` with papermill into ``executed``; raises what the notebook raised.

    The kernel runs in the notebook's folder, over IPC, and is shut down without an
    interrupt (:func:`src.batch.kernel.kernel_manager_class`); what its process writes to
    stderr goes to ``kernel_log`` when given. ``timeout`` (seconds) bounds each cell: the
    kernel of a hung cell is stopped and :class:`nbclient.exceptions.CellTimeoutError`
    is raised.
    """
    import papermill as pm

    with tempfile.TemporaryDirectory(prefix="nhs-kernel-") as sockets:
        pm.execute_notebook(
            str(source),
            str(executed),
            parameters=parameters,
            cwd=str(source.parent),
            kernel_name=kernel_name,
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            report_mode=False,
            kernel_manager_class=kernel_manager_class(kernel_log, Path(sockets)),
        )


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
        "The batch run stopped this year at this notebook with the error below; "
        "the cell that raised it is marked further down.\n\n"
        f"{fence}\n{message.replace(fence, '~ ~ ~ ~')}\n{fence}\n"
    )
    cell = nbformat.v4.new_markdown_cell(text, metadata={"tags": [ERROR_CELL_TAG]})
    if notebook.get("nbformat_minor", 5) < 5:
        cell.pop("id", None)
    notebook.cells.insert(0, cell)
    write_text_atomic(nbformat.writes(notebook), executed)
    return True


@dataclass(frozen=True)
class StepJob:
    """One notebook of one year to execute (picklable: it goes to a worker process)."""

    step: str  #: the step's id (its notebook's stem)
    source: Path  #: the notebook in ``notebooks/``
    executed: Path  #: where the executed notebook is kept
    parameters: dict[str, Any]
    processed_year: Path  #: where its outputs appear (to record what it wrote)
    executor: Executor
    timeout: int | None
    kernel_name: str


def execute_step(job: StepJob) -> dict[str, Any]:
    """Run one notebook and say what it wrote; never raises for the notebook's failure.

    Returns ``{"status": "ok", "seconds": ..., "outputs": {file: sha256}, ...}`` or
    ``{"status": "failed", "seconds": ..., "error": ..., ...}``, both with ``warnings``
    (what the notebook's cells wrote to stderr) and ``kernel`` (what the kernel process
    wrote to its stderr), lists of lines (:mod:`src.batch.stderr`).
    """
    before, since_ns = output_stamps(job.processed_year), time.time_ns()
    handle, name = tempfile.mkstemp(prefix="nhs-kernel-", suffix=".log")
    os.close(handle)
    kernel_log = Path(name)
    started = time.perf_counter()
    outcome: dict[str, Any]
    try:
        job.executor(
            job.source,
            job.executed,
            job.parameters,
            timeout=job.timeout,
            kernel_name=job.kernel_name,
            kernel_log=kernel_log,
        )
    except Exception as exc:  # papermill raises PapermillExecutionError, timeouts, kernel deaths
        message = error_text(exc)
        mark_failed_notebook(job.executed, job.step, message)
        outcome = {"status": "failed", "seconds": time.perf_counter() - started, "error": message}
    else:
        seconds = time.perf_counter() - started
        after = output_stamps(job.processed_year)
        outcome = {
            "status": "ok",
            "seconds": seconds,
            "outputs": written_between(before, after, job.processed_year, since_ns),
        }
    outcome["warnings"] = notebook_warnings(job.executed)
    outcome["kernel"] = kernel_lines(kernel_log)
    kernel_log.unlink(missing_ok=True)
    return outcome


def render_code() -> list[str]:
    """The source of the functions that render a report (their imports are its code)."""
    return [inspect.getsource(function) for function in (_render_html, _render_pdf)]


def _render_html(settings: RunSettings, year: int) -> Path:
    """Render the year's report notebook (the last step's) to ``<reports>/<year>/index.html``."""
    from src.params import year_run
    from src.report.load import load_year_report
    from src.report.record import report_card
    from src.report.render import render_report

    run = year_run(
        year, settings.raw_dir, settings.processed_dir, settings.reports_dir, settings.seed
    )
    card = report_card(load_year_report(run))
    return render_report(
        settings.executed_dir(year) / f"{settings.steps[-1].notebook}.ipynb",
        run.reports / "index.html",
        title=f"Influence or volume? The {year} list",
        card=card,
    )


def _render_pdf(
    out_html: Path, record: dict[str, Any], out: dict[str, Any], label: str, root: Path
) -> None:
    """Print the report to PDF beside it; a failure is a warning (the HTML report stands).

    Adds to the report's ``record`` (paths from ``root``, :func:`portable`) and to ``out``
    (see :func:`render_year`).
    """
    from src.report.render import render_pdf

    out_pdf = out_html.parent / "report.pdf"
    started = time.perf_counter()
    try:
        render_pdf(out_html, out_pdf)
    except Exception as exc:  # the summary says so; a missing PDF never hides a good HTML report
        record["pdf_error"] = error_text(exc)
        out["warnings"].append(f"PDF not written: {record['pdf_error']}")
        logger.info("%s PDF not written: %s", label, record["pdf_error"])
        return
    record.update(pdf=portable(out_pdf, root), pdf_seconds=round(time.perf_counter() - started, 3))
    out["pdf"] = str(out_pdf)
    logger.info("%s PDF written to %s in %.1f s", label, out_pdf, record["pdf_seconds"])


def render_year(settings: RunSettings, year: int) -> dict[str, Any]:
    """Render the year's HTML report and, if asked, its PDF; never raises.

    Returns ``{"record": <the manifest's report record>, "error": ..., "warnings": [...],
    "report": path, "pdf": path}``.
    """
    label = f"[{year} report]"
    out: dict[str, Any] = {"error": None, "warnings": [], "report": None, "pdf": None}
    started = time.perf_counter()
    try:
        out_html = _render_html(settings, year)
    except Exception as exc:
        out["error"] = f"rendering the report failed: {error_text(exc)}"
        out["record"] = {"status": "failed", "error": out["error"]}
        logger.info("%s %s", label, out["error"])
        return out
    out["report"] = str(out_html)
    record = {
        "status": "ok",
        "html": portable(out_html, settings.project_root),
        "html_sha256": sha256_file(out_html),
        "html_seconds": round(time.perf_counter() - started, 3),
    }
    logger.info("%s HTML written to %s in %.1f s", label, out_html, record["html_seconds"])
    if settings.pdf:
        _render_pdf(out_html, record, out, label, settings.project_root)
    out["record"] = record
    return out


class InlinePool:
    """A stand-in for the process pool when one job runs at a time: work runs at submit."""

    def submit(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(function(*args, **kwargs))
        except BaseException as exc:  # surfaced by future.result(), as a process pool would
            future.set_exception(exc)
        return future

    def shutdown(self) -> None:
        pass


class _Forward(logging.Handler):
    """Hands a record that came from a worker to the parent's logger of the same name."""

    def emit(self, record: logging.LogRecord) -> None:
        target = logging.getLogger(record.name)
        if target.isEnabledFor(record.levelno):
            target.handle(record)


def _start_worker(
    threads: int, records: multiprocessing.Queue[logging.LogRecord], level: int
) -> None:
    """In each worker process: share the cores; send the batch's log records to the parent."""
    limit_threads(threads)
    batch_logger = logging.getLogger(BATCH_LOGGER)
    batch_logger.handlers = [QueueHandler(records)]
    batch_logger.setLevel(level)
    batch_logger.propagate = False


class WorkerPool:
    """``jobs`` worker processes whose math libraries share the cores, and whose log
    records are handled in this process (so progress lines keep the time they were logged).
    """

    def __init__(self, jobs: int) -> None:
        threads = max(1, (os.cpu_count() or 1) // jobs)
        records: multiprocessing.Queue[logging.LogRecord] = multiprocessing.Queue()
        self.listener = QueueListener(records, _Forward())
        self.listener.start()
        level = logging.getLogger(BATCH_LOGGER).getEffectiveLevel()
        self.pool = ProcessPoolExecutor(
            max_workers=jobs, initializer=_start_worker, initargs=(threads, records, level)
        )

    def submit(self, function: Callable[..., Any], *args: Any) -> Future[Any]:
        return self.pool.submit(function, *args)

    def shutdown(self) -> None:
        """Wait for the workers to end, then for their last records."""
        self.pool.shutdown()
        self.listener.stop()


def worker_pool(jobs: int) -> WorkerPool | InlinePool:
    """A pool of ``jobs`` worker processes; inline (in this process) for one job."""
    return InlinePool() if jobs <= 1 else WorkerPool(jobs)
