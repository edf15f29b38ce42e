"""Which (year, step) of a run may start: order within a year and across years.

Each year of a run runs the first steps of the step table (:data:`src.pipeline.STEPS`,
or the steps a run is given), all of them unless the run was asked for fewer
(:mod:`src.batch.plan`), in order. Across years, a step that reads other years'
outputs (:attr:`src.pipeline.Step.other_years`) waits until the step that writes them has
settled (succeeded, been skipped, failed or been stopped) in each of those years where
the run runs it, so a parallel run reads what a serial one would. Among the steps that
are ready, earlier steps and earlier years go first.

The schedule only keeps statuses; it neither runs nor keys anything.
"""

from __future__ import annotations

from collections.abc import Iterable

from src import pipeline
from src.pipeline import Step

#: A step's status: not started yet, started, and the four ways a step settles.
PENDING, RUNNING, OK, SKIPPED, FAILED, NOT_RUN = (
    "pending",
    "running",
    "ok",
    "skipped",
    "failed",
    "not run",
)
#: Statuses after which the steps that depend on a step may use its outputs.
SUCCEEDED = (OK, SKIPPED)
#: Statuses of a step that has finished one way or another in this run.
SETTLED = (OK, SKIPPED, FAILED, NOT_RUN)


def step_id(step: Step) -> str:
    """A step's id in manifests, logs and the summary: its notebook's file stem."""
    return step.notebook


class Schedule:
    """The status of every step of every year in a run, and which step may start next."""

    def __init__(
        self, steps: tuple[Step, ...], years: Iterable[int], upto: dict[int, int] | None = None
    ) -> None:
        """``upto``: how many of the first steps each year runs (default: every step)."""
        self.steps = steps
        self.years = sorted(years)
        upto = upto or {}
        self.status: dict[int, dict[str, str]] = {
            year: {step_id(step): PENDING for step in steps[: upto.get(year, len(steps))]}
            for year in self.years
        }

    def runs(self, year: int, step: Step) -> bool:
        """True when this run runs ``step`` of ``year``."""
        return step_id(step) in self.status.get(year, {})

    def runs_every_step(self, year: int) -> bool:
        """True when this run runs every step of ``year`` (so its report is rendered)."""
        return len(self.status[year]) == len(self.steps)

    def number(self, step: Step) -> int:
        """The step's place in its year's run, from 1."""
        return self.steps.index(step) + 1

    def writer(self, step: Step) -> Step | None:
        """The step of this run that writes what ``step`` reads from other years, if any."""
        if step.other_years is None:
            return None
        wanted = step.other_years.step
        return next((s for s in self.steps if wanted in (s.name, s.notebook)), None)

    def other_years(self, step: Step, year: int) -> list[int]:
        """The years of this run whose outputs the step of ``year`` reads."""
        return pipeline.other_years_read(step, year, self.years)

    def is_ready(self, year: int, step: Step) -> bool:
        """True when the step before it succeeded and the other years it reads have settled."""
        number = self.steps.index(step)
        status = self.status[year]
        if number and status[step_id(self.steps[number - 1])] not in SUCCEEDED:
            return False
        writer = self.writer(step)
        if writer is None:
            return True
        return all(
            self.status[other][step_id(writer)] in SETTLED
            for other in self.other_years(step, year)
            if self.runs(other, writer)
        )

    def next_ready(self) -> tuple[int, Step] | None:
        """The pending step that may start now (earliest step, then earliest year), if any."""
        for step in self.steps:
            for year in self.years:
                if self.status[year].get(step_id(step)) == PENDING and self.is_ready(year, step):
                    return year, step
        return None

    def set(self, year: int, step: Step, status: str) -> None:
        self.status[year][step_id(step)] = status

    def stop_after(self, year: int, step: Step) -> list[Step]:
        """Mark the steps of ``year`` after ``step`` as not run; return them."""
        later = [s for s in self.steps[self.number(step) :] if self.runs(year, s)]
        for other in later:
            self.set(year, other, NOT_RUN)
        return later

    def year_succeeded(self, year: int) -> bool:
        """True when every step of ``year`` succeeded or was skipped."""
        return all(status in SUCCEEDED for status in self.status[year].values())

    def writers_that_failed(self, year: int, step: Step) -> list[tuple[int, Step]]:
        """The (other year, writer) whose outputs the step reads but that failed or did not run."""
        writer = self.writer(step)
        if writer is None:
            return []
        return [
            (other, writer)
            for other in self.other_years(step, year)
            if self.runs(other, writer) and self.status[other][step_id(writer)] in (FAILED, NOT_RUN)
        ]
