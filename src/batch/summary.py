"""What a run did, per year and step, and the summary the command prints for people."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO


@dataclass
class StepResult:
    """One notebook of one year."""

    step: str  #: the step's id (its notebook's stem)
    status: str  #: "ok", "skipped" (unchanged since the last run) or "failed"
    seconds: float
    notebook: str  #: the executed notebook
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
    needed_by: list[str] = field(default_factory=list)  #: steps of other years it ran for
    not_asked: list[str] = field(default_factory=list)  #: steps the run was not asked for

    @property
    def ok(self) -> bool:
        return self.error is None


def year_line(result: YearResult) -> str:
    """One year's summary line: how long it took and where its report is, or why it failed.

    A year that ran only some steps says which it was not asked for, and a year that ran
    because other years read it says for which.
    """
    if not result.ok:
        return f"  {result.year}: FAILED ({result.error})"
    total = sum(step.seconds for step in result.steps)
    skipped = [s.step for s in result.steps if s.status == "skipped"]
    note = f" ({len(skipped)} of {len(result.steps)} steps skipped: unchanged)" if skipped else ""
    if result.needed_by:
        note += f"; for {', '.join(result.needed_by)}"
    if result.not_asked:
        note += f"; not asked: {', '.join(result.not_asked)}"
    if result.report is None:
        return f"  {result.year}: ok in {total:.1f} s{note}"
    pdf = f" and {result.pdf}" if result.pdf else ""
    return f"  {result.year}: ok in {total:.1f} s{note} -> {result.report}{pdf}"


def print_summary(
    results: list[YearResult], reports_dir: Path, stream: TextIO | None = None
) -> None:
    """What ran, how long it took, what was skipped, what failed and why."""
    stream = stream or sys.stdout
    print("\nSummary", file=stream)
    for result in results:
        print(year_line(result), file=stream)
        for warning in result.warnings:
            print(f"  {result.year}: warning: {warning}", file=stream)
    failed = [r for r in results if not r.ok]
    if failed:
        years = ", ".join(str(r.year) for r in failed)
        print(f"{len(failed)} of {len(results)} year(s) failed: {years}", file=stream)
    print(f"Index: {reports_dir / 'index.html'}", file=stream)
