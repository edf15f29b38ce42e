"""Made-up pipelines for the batch's tests: three steps that copy small text files.

Step a copies ``raw/<year>/input.txt`` to ``a.txt``, b copies ``a.txt`` to ``b.txt`` and c
reads ``b.txt``; in the cross-year variant b also reads the previous year's ``a.txt`` and
c every earlier year's ``b.txt``. Fake executors play the notebooks (no kernel), so what
re-runs and what is skipped can be followed exactly.

:func:`write_project` makes a made-up project to go with them: a ``src`` package with
one module per step (``src/step_a.py`` ...) holding a ``VERSION``, and notebooks that
import them. The cross-year executor stamps each output with the version of its step's
module, so which code made a file can be read off it.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from src.pipeline import OtherYears, Step

A = Step(
    name="a",
    notebook="a_first",
    does="copy the raw input (and the seed) to a.txt",
    reads=("raw",),
    writes=("a.txt",),
)
B = Step(
    name="b",
    notebook="b_second",
    does="copy a.txt to b.txt in capitals",
    reads=("a.txt",),
    writes=("b.txt",),
)
C = Step(
    name="c", notebook="c_third", does="check that b.txt is there", reads=("b.txt",), writes=()
)
#: One year's steps, none reading other years.
STEPS: tuple[Step, ...] = (A, B, C)
#: The same steps, b reading the previous year's a.txt and c every earlier year's b.txt.
CROSS_YEAR_STEPS: tuple[Step, ...] = (
    A,
    replace(
        B,
        other_years=OtherYears(
            step="a", which="previous", files=("a.txt",), why="appends the previous year's a"
        ),
    ),
    replace(
        C,
        other_years=OtherYears(
            step="b", which="earlier", files=("b.txt",), why="joins every earlier year's b"
        ),
    ),
)
#: The steps' ids, as manifests and progress lines name them.
STEP_IDS = [step.notebook for step in STEPS]


#: The modules of the made-up project's ``src`` package, and the code each step's notebook runs.
PROJECT_MODULES = {
    "__init__.py": '"""A made-up project."""\n',
    "shared.py": 'VERSION = "1"\n',
    "step_a.py": 'from src import shared\n\nVERSION = "1"\n',
    "step_b.py": 'from .shared import VERSION as SHARED\n\nVERSION = "1"\n',
    "step_c.py": 'VERSION = "1"\n',
}
NOTEBOOK_CODE = {
    "a_first": "import src.step_a",
    "b_second": "from src import step_b",
    "c_third": "%load_ext autoreload\n%autoreload 2\nfrom src.step_c import VERSION",
}


def write_notebooks(folder: Path, steps: tuple[Step, ...] = STEPS) -> Path:
    """One notebook per step in ``folder`` (its code from :data:`NOTEBOOK_CODE`, or a
    comment); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for step in steps:
        code = NOTEBOOK_CODE.get(step.notebook, f"# {step.notebook}")
        notebook = new_notebook(cells=[new_code_cell(f"# {step.notebook}"), new_code_cell(code)])
        nbformat.write(notebook, folder / f"{step.notebook}.ipynb")
    return folder


def write_project(root: Path, steps: tuple[Step, ...] = STEPS) -> Path:
    """A made-up project at ``root``: ``src/`` (:data:`PROJECT_MODULES`) and ``notebooks/``."""
    (root / "src").mkdir(parents=True, exist_ok=True)
    for name, text in PROJECT_MODULES.items():
        (root / "src" / name).write_text(text)
    write_notebooks(root / "notebooks", steps)
    return root


def set_version(root: Path, module: str, version: str) -> None:
    """A one-line change: ``VERSION`` of ``src/<module>.py`` of the made-up project."""
    path = root / "src" / f"{module}.py"
    path.write_text(re.sub(r'VERSION = "[^"]*"', f'VERSION = "{version}"', path.read_text()))


def code_version(source: Path, step: str) -> str:
    """``@<VERSION>`` of the module of ``step`` in the made-up project of the notebook
    ``source`` (empty when the notebook is not in one)."""
    module = source.parent.parent / "src" / f"step_{step[0]}.py"
    if not module.is_file():
        return ""
    found = re.search(r'VERSION = "([^"]*)"', module.read_text())
    return f"@{step[0]}{found[1]}" if found else ""


class FakeExecutor:
    """Plays the steps of :data:`STEPS` for one year; remembers which ran; ``fail`` raises."""

    def __init__(self, fail: str | None = None) -> None:
        self.ran: list[str] = []
        self.fail = fail

    def __call__(
        self,
        source: Path,
        executed: Path,
        parameters: dict[str, Any],
        *,
        timeout: int | None = None,
        kernel_name: str = "python3",
        kernel_log: Path | None = None,
    ) -> None:
        step = source.stem
        self.ran.append(step)
        nbformat.write(nbformat.read(source, as_version=4), executed)
        if step == self.fail:
            raise RuntimeError(f"{step} broke <on purpose>")
        year = str(parameters["year"])
        processed = Path(parameters["processed_dir"]) / year
        processed.mkdir(parents=True, exist_ok=True)
        if step == "a_first":
            (processed / "a.txt").write_text(
                (Path(parameters["raw_dir"]) / year / "input.txt").read_text()
                + str(parameters["seed"])
            )
        elif step == "b_second":
            (processed / "b.txt").write_text((processed / "a.txt").read_text().upper())
        else:
            assert (processed / "b.txt").exists()


class CrossYearExecutor:
    """Plays :data:`CROSS_YEAR_STEPS`: b reads the previous year's a.txt, c every earlier b.txt.

    Step a of ``slow_year`` sleeps, so that without the cross-year ordering the later
    year's b would run before the earlier year's a.txt exists. ``fail`` is a (year, step)
    that raises.
    """

    def __init__(self, slow_year: int = 2014, fail: tuple[int, str] | None = None) -> None:
        self.slow_year, self.fail = slow_year, fail
        self.ran: list[tuple[int, str]] = []

    def __call__(
        self,
        source: Path,
        executed: Path,
        parameters: dict[str, Any],
        *,
        timeout: int | None = None,
        kernel_name: str = "python3",
        kernel_log: Path | None = None,
    ) -> None:
        step, year = source.stem, int(parameters["year"])
        self.ran.append((year, step))
        version = code_version(source, step)
        nbformat.write(nbformat.read(source, as_version=4), executed)
        if (year, step) == self.fail:
            raise RuntimeError(f"{step} of {year} broke on purpose")
        processed = Path(parameters["processed_dir"])
        here = processed / str(year)
        here.mkdir(parents=True, exist_ok=True)
        if step == "a_first":
            if year == self.slow_year:
                time.sleep(1.5)
            (here / "a.txt").write_text(
                (Path(parameters["raw_dir"]) / str(year) / "input.txt").read_text() + version
            )
        elif step == "b_second":
            previous = processed / str(year - 1) / "a.txt"
            (here / "b.txt").write_text(
                (here / "a.txt").read_text()
                + "|previous a="
                + (previous.read_text() if previous.exists() else "none")
                + version
            )
        else:
            earlier = sorted(p for p in processed.glob("*/b.txt") if int(p.parent.name) < year)
            (here / "c.txt").write_text(
                (";".join(p.read_text() for p in earlier) or "no earlier year") + version
            )
