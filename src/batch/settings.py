"""One batch run's settings: which years, which folders, and how to run the notebooks.

A :class:`RunSettings` is built once (by the command line, a test or a benchmark) and
handed to :func:`src.batch.runner.run_batch`; every module of the batch reads what it
needs from it instead of taking long argument lists. It is frozen: a variant is made
with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from src import config, pipeline
from src.batch.kernel import KERNEL_NAME
from src.pipeline import Step

#: Folder of a processed year that holds its executed notebooks and its manifest.
EXECUTED_FOLDER = "notebooks"


class Executor(Protocol):
    """Executes one notebook; raises what the notebook raised (papermill's by default).

    ``kernel_log``: a file to receive what the kernel process writes to its stderr
    (executors that start no kernel may ignore it).
    """

    def __call__(
        self,
        source: Path,
        executed: Path,
        parameters: dict[str, Any],
        *,
        timeout: int | None,
        kernel_name: str,
        kernel_log: Path | None = None,
    ) -> None: ...


@dataclass(frozen=True)
class RunSettings:
    """What a batch run runs, where it reads and writes, and how it executes notebooks.

    ``only_steps`` names the steps asked for (short names or notebook stems; empty:
    every step): each year runs them and the steps before them, and other years run what
    they read (:mod:`src.batch.plan`). ``steps``, ``notebooks_dir``, ``project_root`` and
    ``executor`` let tests run made-up pipelines over made-up code; an executor must be
    picklable when more than one notebook runs at once (the steps run in worker processes).
    """

    years: tuple[int, ...]
    raw_dir: Path  #: raw inputs, one folder per year (never written)
    processed_dir: Path  #: canonical tables, executed notebooks and manifests, per year
    reports_dir: Path  #: rendered reports, per year, and the index across years
    seed: int = config.DEFAULT_SEED
    jobs: int | None = None  #: notebooks at once; None: one per core, at most one per year
    timeout: int | None = None  #: seconds a notebook cell may run; None: no limit
    kernel_name: str = KERNEL_NAME  #: the project kernel (:mod:`src.batch.kernel`)
    quarantine: bool = False  #: the step that reads the raw folder skips bad records
    force: bool = False  #: re-run every step, even those that could be skipped
    pdf: bool = True  #: print each year's report to PDF beside its HTML
    only_steps: tuple[str, ...] = ()  #: the steps asked for (empty: every step)
    steps: tuple[Step, ...] = pipeline.STEPS  #: the pipeline, in run order
    notebooks_dir: Path = config.NOTEBOOKS_DIR  #: where the steps' notebooks are
    #: the folder holding the ``src`` package whose modules the steps' keys cover
    project_root: Path = config.PROJECT_ROOT
    executor: Executor | None = (
        None  #: None: papermill (:func:`src.batch.execute.execute_notebook`)
    )
    render: bool = True  #: render each year's report and the index

    def resolved_jobs(self) -> int:
        """Notebooks run at once: ``jobs`` (default: the cores), never more than the years."""
        return max(1, min(self.jobs or os.cpu_count() or 1, len(self.years) or 1))

    def asked_steps(self) -> tuple[Step, ...]:
        """The steps asked for, in run order; KeyError names an unknown one."""
        if not self.only_steps:
            return self.steps
        by_name = {name: step for step in self.steps for name in (step.name, step.notebook)}
        unknown = [name for name in self.only_steps if name not in by_name]
        if unknown:
            known = ", ".join(step.name for step in self.steps)
            raise KeyError(f"no pipeline step called {unknown[0]!r} (the steps are {known})")
        wanted = {by_name[name] for name in self.only_steps}
        return tuple(step for step in self.steps if step in wanted)

    def processed_year(self, year: int) -> Path:
        """``<processed_dir>/<year>/``: the year's tables, features and model outputs."""
        return self.processed_dir / str(year)

    def executed_dir(self, year: int) -> Path:
        """Where the year's executed notebooks and its manifest are kept."""
        return self.processed_year(year) / EXECUTED_FOLDER

    def parameters(self, year: int) -> dict[str, Any]:
        """The parameters every notebook of ``year`` is run with (its parameters cell)."""
        return {
            "year": year,
            "raw_dir": str(self.raw_dir),
            "processed_dir": str(self.processed_dir),
            "reports_dir": str(self.reports_dir),
            "seed": self.seed,
        }

    def step_parameters(self, step: Step, year: int) -> dict[str, Any]:
        """One step's parameters: the step that reads the raw folder also gets ``quarantine``."""
        parameters = self.parameters(year)
        if "raw" in step.reads:
            parameters["quarantine"] = self.quarantine
        return parameters
