"""``--dry-run``: what a run would run and why, without running or writing anything.

Each step of the plan (:mod:`src.batch.plan`) is keyed as the run would key it, from
what is on disk now: the raw files, the outputs the last runs recorded, and the code.
A step whose key changed "runs" (with the reason a run would give); a step whose key
matches is skipped, unless a step it reads from runs first: then it runs only if that
step writes something new ("runs if ... writes anything new"). Nothing is executed,
created or written, not even a manifest.
"""

from __future__ import annotations

from functools import partial

from src.batch.cache import (
    StepCode,
    can_skip,
    last_record,
    report_up_to_date,
    step_codes,
    step_key_parts,
)
from src.batch.execute import render_code
from src.batch.imports import code_files
from src.batch.manifest import checksums, digest, read_manifest, year_manifest_path
from src.batch.plan import Plan, YearPlan, build_plan, writer_index
from src.batch.reasons import why_render, why_run
from src.batch.settings import RunSettings

#: What a step would do: be skipped, run, or run only if what it reads changes.
SKIP, RUN, MAYBE = "skip", "run", "maybe"


class _Preview:
    """The verdicts so far (by year and step id), and the lines that say them."""

    def __init__(self, settings: RunSettings, codes: dict[str, StepCode]) -> None:
        self.settings = settings
        self.codes = codes
        self.verdicts: dict[tuple[int, str], str] = {}
        self.lines: list[str] = []

    def made_by(self, year: int, writer: str | None) -> str:
        """The code key of ``year``'s outputs of ``writer`` once the run has made them."""
        if writer is None:
            return "unknown"
        if self.verdicts.get((year, writer), SKIP) != SKIP:
            return self.codes[writer].key()
        manifest = read_manifest(year_manifest_path(self.settings, year))
        return str((last_record(manifest, writer) or {}).get("code_key", "unknown"))

    def year(self, plan: YearPlan) -> None:
        """The verdict and reason of each step of one year, then of its report."""
        settings, year = self.settings, plan.year
        raw = settings.raw_dir / str(year)
        head = str(year) if plan.asked else f"{year} (for {', '.join(plan.needed_by)})"
        if not raw.is_dir():
            self.lines.append(f"{head}: fails: no raw data folder ({raw})")
            return
        self.lines.append(head)
        inputs = checksums(raw)
        manifest = read_manifest(year_manifest_path(settings, year))
        upstream: dict[str, str] = {}
        runs_before: list[str] = []
        for step in plan.steps:
            index = writer_index(settings.steps, step)
            writer = None if index is None else settings.steps[index].notebook
            parts, other = step_key_parts(
                settings,
                year,
                step,
                (inputs, upstream),
                self.codes[step.notebook],
                partial(self.made_by, writer=writer),
            )
            changing = list(runs_before)
            if writer is not None:
                changing += [
                    f"{o}'s {writer}"
                    for o in sorted({name.split("/")[0] for name in other})
                    if self.verdicts.get((int(o), writer), SKIP) != SKIP
                ]
            last = last_record(manifest, step.notebook)
            executed = settings.executed_dir(year) / f"{step.notebook}.ipynb"
            processed = settings.processed_year(year)
            if not can_skip(last, parts.key(), executed, processed, settings.force):
                reason = why_run(
                    last, parts, force=settings.force, executed=executed, processed_year=processed
                )
                verdict, text = RUN, f"run ({reason})"
            elif changing:
                verdict, text = MAYBE, f"runs if {' or '.join(changing)} writes anything new"
            else:
                verdict, text = SKIP, "skip: inputs, parameters and code unchanged"
            self.verdicts[(year, step.notebook)] = verdict
            upstream.update((last or {}).get("outputs", {}))
            if verdict != SKIP:
                runs_before.append(step.notebook)
            self.lines.append(f"  {step.notebook:<14}{text}")
        for step in settings.steps[len(plan.steps) :]:
            self.lines.append(f"  {step.notebook:<14}not asked")
        if len(plan.steps) == len(settings.steps) and settings.render:
            self.report(year, manifest, bool(runs_before))

    def report(self, year: int, manifest: dict[str, object], steps_run: bool) -> None:
        """Whether the year's report would be rendered again, and why."""
        settings = self.settings
        html = settings.reports_dir / str(year) / "index.html"
        pdf = settings.reports_dir / str(year) / "report.pdf" if settings.pdf else None
        previous = manifest.get("report") or {}
        assert isinstance(previous, dict)
        code = code_files(render_code(), settings.project_root)
        if steps_run:
            text = "render after the steps above"
        elif report_up_to_date(previous, html, pdf, True, digest(code)):
            text = "skip: up to date"
        else:
            text = f"render ({why_render(previous, html, pdf, True, code)})"
        self.lines.append(f"  {'report':<14}{text}")


def dry_run(settings: RunSettings) -> list[str]:
    """What ``settings`` would run and why, one line per step, nothing run or written."""
    codes = step_codes(settings)
    plan: Plan = build_plan(settings, codes)
    lines = ["Dry run: nothing is run or written."]
    if plan.problems:
        lines.append("The run would be refused:")
        lines += [f"  {problem}" for problem in plan.problems]
        return lines
    preview = _Preview(settings, codes)
    for year, note in sorted(plan.read_as_is.items()):
        preview.lines.append(f"{year}: {note}")
    for _, year_plan in sorted(plan.years.items()):
        preview.year(year_plan)
    return lines + preview.lines
