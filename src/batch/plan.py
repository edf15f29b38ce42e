"""Which steps of which years a run runs, and why: the steps asked for and what they need.

A run is asked for years (every year folder in the raw folder by default) and steps
(every step by default; ``--steps``). Each year asked for runs the steps asked for and
the steps before them, since a step reads what those wrote. A step that reads other
years' outputs (:attr:`src.pipeline.Step.other_years`) must read them as this code makes
them, so those years run the step that writes them (and the steps before it) too, and
the years they read in turn. Every step is keyed as usual, so what is up to date is
skipped: after an edit in ``src/features/``, ``--years 2024`` re-runs 2023's features
step, which 2024's model trains on, and skips 2023's ingest.

A year that has outputs but no raw folder cannot run: what it wrote is read as it is
when the batch made it with this code, and otherwise the run is refused with a message
naming the year, the files and what changed, before anything runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from src import pipeline
from src.batch.cache import StepCode, changed_outputs, last_record, step_codes
from src.batch.manifest import environment, read_manifest, year_manifest_path
from src.batch.reasons import dict_changes
from src.batch.settings import RunSettings
from src.pipeline import Step


class RunRefused(Exception):
    """The run would read other years' outputs made by other code, and cannot remake them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class YearPlan:
    """One year of a run: the steps it runs (the first ``len(steps)`` of the pipeline)."""

    year: int
    steps: tuple[Step, ...]
    asked: bool  #: the year was asked for (else it runs because other years read it)
    needed_by: tuple[str, ...] = ()  #: the steps of other years that read it ("2024's 03_model")


@dataclass
class Plan:
    """What a run runs: its years, each with its steps, and the years it reads as they are."""

    years: dict[int, YearPlan]
    #: years with outputs but no raw folder, read as they are (they were made by this code)
    read_as_is: dict[int, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  #: why the run is refused (if it is)


def year_folders(folder: Path) -> list[int]:
    """The years that have a folder (four digits) in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(
        int(p.name) for p in folder.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)
    )


def writer_index(steps: tuple[Step, ...], step: Step) -> int | None:
    """The index (in ``steps``) of the step that writes what ``step`` reads from other years."""
    if step.other_years is None:
        return None
    wanted = step.other_years.step
    return next((i for i, s in enumerate(steps) if wanted in (s.name, s.notebook)), None)


def made_by_other_code(
    settings: RunSettings, year: int, writer: Step, code: StepCode
) -> str | None:
    """Why ``year``'s outputs of ``writer`` cannot be read as they are, or None if they can.

    They can when the batch's last successful run of that step used ``code`` and its
    outputs are on disk as it left them.
    """
    record = last_record(read_manifest(year_manifest_path(settings, year)), writer.notebook)
    if record is None:
        return f"they were not made by the batch (no {writer.notebook} in its manifest)"
    if record.get("code_key") != code.key():
        changes = dict_changes("", record.get("code") or {}, code.modules)
        if record.get("notebook_sha256") != code.notebook_sha256:
            changes.append(f"notebook {writer.notebook}.ipynb changed")
        return "they were made by other code (" + ("; ".join(changes) or "code changed") + ")"
    gone = changed_outputs(record.get("outputs", {}), settings.processed_year(year))
    if gone:
        return f"{', '.join(sorted(gone))} changed since the batch wrote them"
    return None


def build_plan(settings: RunSettings, codes: dict[str, StepCode]) -> Plan:
    """The years and steps of a run, given each step's code (by step id); see the module doc.

    A year asked for without a raw folder is kept in the plan (it fails when it starts,
    saying so) but reads nothing.
    """
    steps = settings.steps
    asked = settings.asked_steps()
    upto = max(steps.index(step) for step in asked) + 1 if asked else 0
    scope = {year: upto for year in settings.years}
    needed_by: dict[int, set[str]] = {}
    known = sorted(
        set(settings.years)
        | set(year_folders(settings.raw_dir))
        | set(year_folders(settings.processed_dir))
    )
    plan = Plan(years={})

    def has_raw(year: int) -> bool:
        return (settings.raw_dir / str(year)).is_dir()

    pending = [year for year in settings.years if has_raw(year)]
    while pending:
        year = pending.pop()
        for step in steps[: scope[year]]:
            writer = writer_index(steps, step)
            if writer is None or step.other_years is None:
                continue
            for other in pipeline.other_years_read(step, year, known):
                if not has_raw(other):
                    _read_as_is(settings, plan, other, (year, step), steps[writer], codes)
                    continue
                if other not in settings.years:
                    needed_by.setdefault(other, set()).add(f"{year}'s {step.notebook}")
                if scope.get(other, 0) < writer + 1:
                    scope[other] = writer + 1
                    pending.append(other)
    for year in sorted(scope):
        plan.years[year] = YearPlan(
            year=year,
            steps=steps[: scope[year]],
            asked=year in settings.years,
            needed_by=tuple(sorted(needed_by.get(year, ()))),
        )
    return plan


def _read_as_is(
    settings: RunSettings,
    plan: Plan,
    year: int,
    reader: tuple[int, Step],
    writer: Step,
    codes: dict[str, StepCode],
) -> None:
    """A year without a raw folder that ``reader`` (year, step) reads: read as is, or refuse."""
    reader_year, reader_step = reader
    assert reader_step.other_years is not None
    folder = settings.processed_year(year)
    reads = [name for name in reader_step.other_years.files if (folder / name).is_file()]
    if not reads:
        return  # nothing of that year is read
    problem = made_by_other_code(settings, year, writer, codes[writer.notebook])
    if problem is None:
        plan.read_as_is[year] = (
            f"no raw folder; its {writer.notebook} outputs are read as the batch left them"
        )
        return
    message = (
        f"{reader_year}'s {reader_step.notebook} reads {year}'s {', '.join(reads)}: {problem}, "
        f"and {year} cannot be re-run: its raw folder {settings.raw_dir / str(year)} "
        "does not exist"
    )
    if message not in plan.problems:
        plan.problems.append(message)


def plan_record(plan: Plan) -> dict[str, Any]:
    """The plan as the run manifest records it: per year, its steps and why it runs."""
    out: dict[str, Any] = {}
    for year, year_plan in plan.years.items():
        out[str(year)] = {
            "steps": [step.notebook for step in year_plan.steps],
            "why": "asked" if year_plan.asked else "needed by " + ", ".join(year_plan.needed_by),
        }
    for year, note in plan.read_as_is.items():
        out[str(year)] = {"steps": [], "why": f"read as it is: {note}"}
    return out


@dataclass(frozen=True)
class RunContext:
    """What a run knows before it starts: each step's code, its plan, its environment."""

    codes: dict[str, StepCode]
    plan: Plan
    facts: dict[str, Any]  #: :func:`src.batch.manifest.environment`


def prepare(settings: RunSettings) -> RunContext:
    """Key the code and plan the run; :class:`RunRefused` when it cannot run as asked."""
    codes = step_codes(settings)
    plan = build_plan(settings, codes)
    if plan.problems:
        raise RunRefused(plan.problems)
    return RunContext(codes, plan, environment(settings))
