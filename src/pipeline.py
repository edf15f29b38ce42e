"""The pipeline, declared once: its steps, what each reads and writes, which other years it reads.

One year's run is four steps, each a notebook in ``notebooks/`` over library code in
``src/``::

    raw/<year>/ ─ingest─▶ tables ─features─▶ features ─model─▶ model/ ─report─▶ reports/<year>/
                            │                      │
   the next year's features ┘                      └ every later year's model

This table is the only place that shape is written. The batch runner orders and keys the
steps from it (:mod:`src.batch`), the features and model steps find the other years'
files they read through :func:`other_year_inputs`, and the notebooks are checked against
it (``tests/test_notebooks_clean.py``).

Paths in ``reads`` and ``writes`` are relative to the year's processed folder
(``<processed_dir>/<year>/``); ``raw`` names the year's raw folder as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

#: Which other years a step reads: the year before, or every earlier year.
Which = Literal["previous", "earlier"]


@dataclass(frozen=True)
class OtherYears:
    """Files that a step reads from other years' processed folders."""

    step: str  #: the step (of those years) that writes them
    which: Which  #: "previous": the year before; "earlier": every earlier year
    files: tuple[str, ...]  #: relative to ``<processed_dir>/<other year>/``
    why: str  #: what the step uses them for, in words


@dataclass(frozen=True)
class Step:
    """One step of a year's run."""

    name: str  #: short name, as on the command line (``--steps features``)
    notebook: str  #: the notebook's file stem in ``notebooks/``; also the step's id in manifests
    does: str  #: what the step does, in words
    reads: tuple[str, ...]  #: inputs from the same year (``raw`` = the raw folder)
    writes: tuple[str, ...]  #: outputs in the year's processed folder (a trailing ``/``: a folder)
    other_years: OtherYears | None = None


#: The steps of one year's run, in run order.
STEPS: tuple[Step, ...] = (
    Step(
        name="ingest",
        notebook="01_ingest",
        does="read the raw exports, validate and pseudonymise them into canonical tables",
        reads=("raw",),
        writes=(
            "nominees.parquet",
            "accounts.parquet",
            "posts.parquet",
            "interactions.parquet",
            "blog_posts.parquet",
            "account_metrics.parquet",
            "ingest_summary.json",
            "rejected.csv",
            "blog_feeds.parquet",
        ),
    ),
    Step(
        name="features",
        notebook="02_features",
        does="engineer one row of features per nominee, and per nominee and platform",
        reads=(
            "nominees.parquet",
            "accounts.parquet",
            "posts.parquet",
            "interactions.parquet",
            "blog_posts.parquet",
            "blog_feeds.parquet",
            "account_metrics.parquet",
        ),
        writes=("features.parquet", "features_by_platform.parquet", "feature_dictionary.csv"),
        other_years=OtherYears(
            step="ingest",
            which="previous",
            files=("interactions.parquet", "posts.parquet"),
            why="the share of a nominee's engagers who are new this year (new_engager_share)",
        ),
    ),
    Step(
        name="model",
        notebook="03_model",
        does=(
            "compare the volume-only model with the influence model; score and explain each nominee"
        ),
        reads=("features.parquet",),
        writes=("model/",),
        other_years=OtherYears(
            step="features",
            which="earlier",
            files=("features.parquet",),
            why="training on earlier years' panels and validating across years, grouped by person",
        ),
    ),
    Step(
        name="report",
        notebook="04_report",
        does="build the year's briefing (rendered to reports/<year>/ by the batch)",
        reads=(
            "features.parquet",
            "features_by_platform.parquet",
            "feature_dictionary.csv",
            "ingest_summary.json",
            "posts.parquet",
            "interactions.parquet",
            "accounts.parquet",
            "model/",
        ),
        writes=(),
        other_years=OtherYears(
            step="model",
            which="previous",
            files=("features.parquet", "model/nominees.parquet"),
            why="how nominees on the previous year's list moved, on their evidence cards",
        ),
    ),
)

#: Steps by short name.
BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}
#: Steps by notebook stem.
BY_NOTEBOOK: dict[str, Step] = {step.notebook: step for step in STEPS}


def step(name: str | Step) -> Step:
    """The step called ``name`` (short name or notebook stem); KeyError names the known ones.

    A :class:`Step` is returned as it is, so the functions below also take steps that are
    not in :data:`STEPS` (the batch's tests run made-up pipelines).
    """
    if isinstance(name, Step):
        return name
    found = BY_NAME.get(name) or BY_NOTEBOOK.get(name)
    if found is None:
        known = ", ".join(s.name for s in STEPS)
        raise KeyError(f"no pipeline step called {name!r} (the steps are {known})")
    return found


def other_years_read(
    step_name: str | Step, year: int, years: list[int] | tuple[int, ...]
) -> list[int]:
    """Which of ``years`` the step of ``year`` reads outputs from, oldest first."""
    reads = step(step_name).other_years
    if reads is None:
        return []
    if reads.which == "previous":
        return [y for y in sorted(years) if y == year - 1]
    return [y for y in sorted(years) if y < year]


def processed_years(processed_dir: Path) -> list[int]:
    """The years that have a folder in ``processed_dir``, oldest first."""
    processed_dir = Path(processed_dir)
    if not processed_dir.is_dir():
        return []
    return sorted(int(p.name) for p in processed_dir.iterdir() if p.is_dir() and p.name.isdigit())


def other_year_inputs(step_name: str | Step, processed_dir: Path, year: int) -> list[Path]:
    """The files of other years that the step of ``year`` reads, oldest year first.

    For the year before (``previous``) every declared file is listed whether it exists or
    not (a missing one is part of the step's resume key too). For every earlier year
    (``earlier``), the years whose folder holds all the declared files are listed; a year
    folder without them is skipped, not an error.
    """
    reads = step(step_name).other_years
    if reads is None:
        return []
    processed_dir = Path(processed_dir)
    if reads.which == "previous":
        return [processed_dir / str(year - 1) / name for name in reads.files]
    out: list[Path] = []
    for other in other_years_read(step_name, year, processed_years(processed_dir)):
        files = [processed_dir / str(other) / name for name in reads.files]
        if all(path.is_file() for path in files):
            out.extend(files)
    return out
