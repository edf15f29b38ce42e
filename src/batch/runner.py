"""Run the pipeline notebooks for each year with papermill, years in parallel processes.

Per year, the steps of :data:`src.config.PIPELINE_STEPS` run in order; the executed
notebooks are kept in ``<processed>/<year>/notebooks/``. A failing step stops its year
only: the failed notebook is kept with its error, the other years go on, and the result
says what failed and where. Only a year whose every step succeeded has its report
re-rendered, so a failure never deletes or replaces a good report.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from src import config


@dataclass
class StepResult:
    """One notebook of one year."""

    step: str
    status: str  #: "ok" or "failed"
    seconds: float
    notebook: str
    error: str | None = None


@dataclass
class YearResult:
    """One year's run: its steps, and where its report went."""

    year: int
    steps: list[StepResult] = field(default_factory=list)
    report: str | None = None
    error: str | None = None  #: why the year stopped, when it did

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
    print(message, flush=True)


def _error_text(exc: BaseException) -> str:
    """The error a notebook raised, in one line (papermill wraps it; unwrap it)."""
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    return f"{type(exc).__name__}: {exc}"


def run_year(
    year: int,
    raw_dir: Path,
    processed_dir: Path,
    reports_dir: Path,
    seed: int = config.DEFAULT_SEED,
    timeout: int | None = None,
    kernel_name: str = "python3",
    quarantine: bool = False,
) -> YearResult:
    """Run every step for ``year``; never raises for a failure of the year's own data.

    ``quarantine`` makes the ingest step skip bad records (listing them in
    ``rejected.csv``) instead of stopping the year.
    """
    import papermill as pm

    from src.report.render import render_report
    from src.report.yearly import load_year_report, report_card
    from src.params import year_run

    result = YearResult(year=year)
    raw_year = raw_dir / str(year)
    if not raw_year.is_dir():
        result.error = f"no raw data folder for {year}: {raw_year} does not exist"
        _say(f"[{year}] failed before starting: {result.error}")
        return result
    executed_dir = processed_dir / str(year) / "notebooks"
    executed_dir.mkdir(parents=True, exist_ok=True)
    parameters = {"year": year, "raw_dir": str(raw_dir), "processed_dir": str(processed_dir), "reports_dir": str(reports_dir), "seed": seed}
    for step in config.PIPELINE_STEPS:
        source = config.NOTEBOOKS_DIR / f"{step}.ipynb"
        executed = executed_dir / f"{step}.ipynb"
        started = time.perf_counter()
        _say(f"[{year}] {step} …")
        try:
            pm.execute_notebook(
                str(source),
                str(executed),
                parameters={**parameters, "quarantine": quarantine} if step == config.PIPELINE_STEPS[0] else parameters,
                cwd=str(config.NOTEBOOKS_DIR),
                kernel_name=kernel_name,
                progress_bar=False,
                log_output=False,
                execution_timeout=timeout,
                report_mode=False,
            )
        except Exception as exc:  # papermill raises PapermillExecutionError, timeouts, kernel deaths
            seconds = time.perf_counter() - started
            message = _error_text(exc)
            result.steps.append(StepResult(step, "failed", seconds, str(executed), message))
            result.error = f"{step} failed: {message} (executed notebook kept at {executed})"
            _say(f"[{year}] {step} FAILED after {seconds:.1f} s: {message}")
            return result
        seconds = time.perf_counter() - started
        result.steps.append(StepResult(step, "ok", seconds, str(executed)))
        _say(f"[{year}] {step} done in {seconds:.1f} s")
    try:
        run = year_run(year, raw_dir, processed_dir, reports_dir, seed)
        card = report_card(load_year_report(run))
        out = render_report(executed_dir / f"{config.PIPELINE_STEPS[-1]}.ipynb", run.reports / "index.html", title=f"Influence or volume? The {year} list", card=card)
        result.report = str(out)
        _say(f"[{year}] report written to {out}")
    except Exception as exc:
        result.error = f"rendering the report failed: {_error_text(exc)}"
        _say(f"[{year}] {result.error}")
    return result


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
) -> list[YearResult]:
    """Run ``years`` (in parallel processes when ``jobs`` > 1), then write the index page."""
    from src.report.render import write_index

    jobs = max(1, min(jobs or os.cpu_count() or 1, len(years) or 1))
    results: list[YearResult] = []
    arguments = dict(raw_dir=raw_dir, processed_dir=processed_dir, reports_dir=reports_dir, seed=seed, timeout=timeout, kernel_name=kernel_name, quarantine=quarantine)
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
    return results


def print_summary(results: list[YearResult], reports_dir: Path, stream=sys.stdout) -> None:
    """What ran, how long it took, what failed and why."""
    print("\nSummary", file=stream)
    for result in results:
        total = sum(step.seconds for step in result.steps)
        if result.ok:
            print(f"  {result.year}: ok in {total:.1f} s -> {result.report}", file=stream)
        else:
            print(f"  {result.year}: FAILED ({result.error})", file=stream)
    print(f"Index: {reports_dir / 'index.html'}", file=stream)
