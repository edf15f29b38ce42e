"""Which (year, step) may start: order within a year, and across years from the step table."""

from __future__ import annotations

from src import pipeline
from src.batch.schedule import FAILED, NOT_RUN, OK, RUNNING, SKIPPED, Schedule, step_id
from tests.batch.helpers import CROSS_YEAR_STEPS, STEPS

A, B, C = CROSS_YEAR_STEPS


def test_steps_go_in_order_earliest_step_then_earliest_year() -> None:
    schedule = Schedule(STEPS, [2015, 2014])
    assert schedule.years == [2014, 2015]
    started = []
    while (ready := schedule.next_ready()) is not None:
        year, step = ready
        started.append((year, step_id(step)))
        schedule.set(year, step, OK)
    assert started == [
        (2014, "a_first"),
        (2015, "a_first"),
        (2014, "b_second"),
        (2015, "b_second"),
        (2014, "c_third"),
        (2015, "c_third"),
    ]


def test_a_step_waits_for_the_step_before_it_in_its_year() -> None:
    schedule = Schedule(STEPS, [2014])
    a, b, _ = STEPS
    schedule.set(2014, a, RUNNING)
    assert not schedule.is_ready(2014, b) and schedule.next_ready() is None
    schedule.set(2014, a, SKIPPED)
    assert schedule.is_ready(2014, b)


def test_a_step_reading_the_previous_year_waits_until_that_year_s_writer_settles() -> None:
    schedule = Schedule(CROSS_YEAR_STEPS, [2014, 2015])
    assert schedule.writer(B) == A and schedule.other_years(B, 2015) == [2014]
    schedule.set(2015, A, OK)
    schedule.set(2014, A, RUNNING)
    assert not schedule.is_ready(2015, B), "2014's a is still running"
    schedule.set(2014, A, FAILED)
    assert schedule.is_ready(2015, B), "a failed writer has settled: the reader goes on"
    assert schedule.writers_that_failed(2015, B) == [(2014, A)]
    assert schedule.is_ready(2014, B) is False, "2014's own a failed"


def test_a_step_reading_every_earlier_year_waits_for_all_of_them() -> None:
    schedule = Schedule(CROSS_YEAR_STEPS, [2013, 2014, 2015])
    for year in (2013, 2014, 2015):
        schedule.set(year, A, OK)
    schedule.set(2015, B, OK)
    schedule.set(2013, B, OK)
    assert schedule.other_years(C, 2015) == [2013, 2014]
    assert not schedule.is_ready(2015, C), "2014's b has not run"
    schedule.set(2014, B, SKIPPED)
    assert schedule.is_ready(2015, C)
    assert schedule.other_years(C, 2013) == [] and schedule.is_ready(2013, C)


def test_years_outside_the_run_are_not_waited_for() -> None:
    schedule = Schedule(CROSS_YEAR_STEPS, [2015])
    schedule.set(2015, A, OK)
    assert schedule.other_years(B, 2015) == [] and schedule.is_ready(2015, B)


def test_a_writer_that_is_not_in_the_run_s_steps_is_not_waited_for() -> None:
    schedule = Schedule((A, C), [2014, 2015])
    assert schedule.writer(C) is None
    schedule.set(2015, A, OK)
    assert schedule.is_ready(2015, C) and schedule.writers_that_failed(2015, C) == []


def test_a_failed_step_stops_the_rest_of_its_year() -> None:
    schedule = Schedule(STEPS, [2014])
    a, b, c = STEPS
    schedule.set(2014, a, FAILED)
    assert schedule.stop_after(2014, a) == [b, c]
    assert schedule.status[2014] == {"a_first": FAILED, "b_second": NOT_RUN, "c_third": NOT_RUN}
    assert schedule.next_ready() is None and not schedule.year_succeeded(2014)


def test_the_real_pipeline_is_scheduled_from_the_step_table() -> None:
    schedule = Schedule(pipeline.STEPS, [2023, 2024, 2025])
    ingest, features, model, report = pipeline.STEPS
    assert schedule.writer(features) == ingest and schedule.writer(model) == features
    assert schedule.writer(ingest) is None and schedule.writer(report) == model
    assert schedule.other_years(features, 2025) == [2024]
    assert schedule.other_years(report, 2025) == [2024]
    assert schedule.other_years(model, 2025) == [2023, 2024]
    assert [schedule.number(step) for step in pipeline.STEPS] == [1, 2, 3, 4]


def test_a_year_may_run_only_its_first_steps() -> None:
    schedule = Schedule(CROSS_YEAR_STEPS, [2014, 2015], upto={2014: 1})
    assert schedule.runs(2014, A) and not schedule.runs(2014, B)
    assert not schedule.runs_every_step(2014) and schedule.runs_every_step(2015)
    started = []
    while (ready := schedule.next_ready()) is not None:
        year, step = ready
        started.append((year, step_id(step)))
        schedule.set(year, step, OK)
    assert started == [(2014, "a_first"), (2015, "a_first"), (2015, "b_second"), (2015, "c_third")]
    assert schedule.year_succeeded(2014), "the steps it runs succeeded"
    schedule.set(2015, A, FAILED)
    assert schedule.stop_after(2014, A) == [], "nothing after a of 2014 runs"
