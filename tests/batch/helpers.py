"""Made-up pipelines for the batch's tests: three steps that copy small text files.

Step a copies ``raw/<year>/input.txt`` to ``a.txt``, b copies ``a.txt`` to ``b.txt`` and c
reads ``b.txt``; in the cross-year variant b also reads the previous year's ``a.txt`` and
c every earlier year's ``b.txt``. Fake executors play the notebooks (no kernel), so what
re-runs and what is skipped can be followed exactly.
"""

from __future__ import annotations

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


def write_notebooks(folder: Path, steps: tuple[Step, ...] = STEPS) -> Path:
    """One one-cell notebook per step in ``folder``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for step in steps:
        notebook = new_notebook(cells=[new_code_cell(f"# {step.notebook}")])
        nbformat.write(notebook, folder / f"{step.notebook}.ipynb")
    return folder


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

    def __call__(
        self,
        source: Path,
        executed: Path,
        parameters: dict[str, Any],
        *,
        timeout: int | None = None,
        kernel_name: str = "python3",
    ) -> None:
        step, year = source.stem, int(parameters["year"])
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
                (Path(parameters["raw_dir"]) / str(year) / "input.txt").read_text()
            )
        elif step == "b_second":
            previous = processed / str(year - 1) / "a.txt"
            (here / "b.txt").write_text(
                (here / "a.txt").read_text()
                + "|previous a="
                + (previous.read_text() if previous.exists() else "none")
            )
        else:
            earlier = sorted(p for p in processed.glob("*/b.txt") if int(p.parent.name) < year)
            (here / "c.txt").write_text(
                ";".join(p.read_text() for p in earlier) or "no earlier year"
            )
