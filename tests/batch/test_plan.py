"""Which steps of which years a run runs: code versions never mix across years; --steps.

On a made-up project (the ``project`` fixture, :func:`tests.batch.helpers.write_project`):
each step's notebook imports its own module of a made-up ``src`` package, and the fake
executor stamps every output with its module's ``VERSION``, so which code made a file can
be read off it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest

from src.batch.cache import step_codes
from src.batch.plan import RunRefused, build_plan, plan_record
from src.batch.runner import run_batch
from src.batch.settings import RunSettings
from src.batch.summary import print_summary
from tests.batch.helpers import CrossYearExecutor, set_version


def year_manifest(settings: RunSettings, year: int) -> dict:
    path = settings.processed_dir / str(year) / "notebooks" / "manifest.json"
    return json.loads(path.read_text())


def records(settings: RunSettings, year: int) -> dict[str, dict]:
    return {record["step"]: record for record in year_manifest(settings, year)["steps"]}


def outputs(settings: RunSettings, year: int) -> dict[str, str]:
    folder = settings.processed_dir / str(year)
    return {path.name: path.read_text() for path in sorted(folder.glob("*.txt"))}


def run(settings: RunSettings, **options) -> tuple[list, CrossYearExecutor]:
    executor = CrossYearExecutor(slow_year=0)
    return run_batch(replace(settings, executor=executor, **options)), executor


def test_one_year_after_a_code_change_re_runs_what_it_reads_from_other_years(
    project: RunSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    """The mixed-version scenario: a one-line change in step b's module, then one year.

    2016's c reads every earlier year's b.txt: 2014's and 2015's must be remade by the new
    code (their a is unchanged and skipped), and 2016's results must be those of a full
    re-run with the new code.
    """
    run(project)
    set_version(project.project_root, "step_b", "2")
    results, executor = run(project, years=(2016,))
    assert all(r.ok for r in results), [r.error for r in results]
    assert sorted(executor.ran) == [
        (2014, "b_second"),
        (2015, "b_second"),
        (2016, "b_second"),
        (2016, "c_third"),
    ], "the other years' b re-ran with the new code; their a was skipped"
    for year in (2014, 2015, 2016):
        assert outputs(project, year)["b.txt"].endswith("@b2"), f"{year}'s b is of the new code"
    b_2014 = records(project, 2014)["b_second"]
    assert b_2014["reason"] == "re-run: src/step_b.py changed"
    assert b_2014["needed_by"] == ["2015's b_second", "2016's c_third"]
    assert records(project, 2014)["c_third"]["status"] == "not asked"
    assert records(project, 2016)["c_third"]["other_years_code"] == {
        "2014": b_2014["code_key"],
        "2015": records(project, 2015)["b_second"]["code_key"],
    }
    run_record = json.loads((project.processed_dir / "run_manifest.json").read_text())
    assert run_record["plan"]["2014"] == {
        "steps": ["a_first", "b_second"],
        "why": "needed by 2015's b_second, 2016's c_third",
    }
    print_summary(results, project.reports_dir)
    summary = capsys.readouterr().out
    assert "2014: ok in" in summary and "for 2015's b_second, 2016's c_third" in summary
    assert "not asked: c_third" in summary

    full = replace(project, processed_dir=project.processed_dir.parent / "full")
    run(full, force=True)
    assert outputs(project, 2016) == outputs(full, 2016), "the same as a full re-run"


def test_an_edit_in_one_step_s_code_re_runs_only_that_step(project: RunSettings) -> None:
    run(project)
    set_version(project.project_root, "step_c", "2")
    _, executor = run(project)
    assert sorted(executor.ran) == [(2014, "c_third"), (2015, "c_third"), (2016, "c_third")]
    assert records(project, 2015)["c_third"]["reason"] == "re-run: src/step_c.py changed"
    (project.project_root / "src" / "shared.py").write_text('VERSION = "2"\n')
    _, executor = run(project)
    assert sorted(executor.ran) == sorted(
        [(year, step) for year in (2014, 2015, 2016) for step in ("a_first", "b_second")]
        + [(2015, "c_third"), (2016, "c_third")]
    ), "a and b import the shared module; c reads earlier years' b, which other code made"
    assert records(project, 2016)["c_third"]["reason"] == (
        "re-run: 2014, 2015's outputs made by other code"
    )
    assert records(project, 2014)["c_third"]["status"] == "skipped", "it reads no other year"


def test_steps_run_with_what_they_need_and_leave_the_rest(project: RunSettings) -> None:
    results, executor = run(project, years=(2015,), only_steps=("b",))
    assert sorted(executor.ran) == [(2014, "a_first"), (2015, "a_first"), (2015, "b_second")]
    assert records(project, 2015)["c_third"] == {
        "step": "c_third",
        "status": "not asked",
        "previous": None,
    }
    assert {r.year: r.not_asked for r in results} == {
        2014: ["b_second", "c_third"],
        2015: ["c_third"],
    }
    with pytest.raises(KeyError, match="no pipeline step called 'd'"):
        run(project, only_steps=("d",))


def test_a_year_that_cannot_be_re_run_is_read_as_it_is_or_refused(project: RunSettings) -> None:
    run(project)
    shutil.rmtree(project.raw_dir / "2014")
    results, executor = run(project, years=(2015, 2016))
    assert all(r.ok for r in results) and executor.ran == [], "2014 is read as it is"
    set_version(project.project_root, "step_b", "2")
    before = {p: p.read_bytes() for p in project.processed_dir.rglob("*") if p.is_file()}
    with pytest.raises(RunRefused) as refused:
        run(project, years=(2016,))
    (problem,) = refused.value.problems
    assert problem.startswith("2016's c_third reads 2014's b.txt: they were made by other code")
    assert "src/step_b.py changed" in problem and "2014 cannot be re-run" in problem
    after = {p: p.read_bytes() for p in project.processed_dir.rglob("*") if p.is_file()}
    assert after == before, "a refused run writes nothing"


def test_a_failed_other_year_that_leaves_outputs_of_other_code_stops_the_reader(
    project: RunSettings,
) -> None:
    run(project)
    set_version(project.project_root, "step_b", "2")
    results = run_batch(replace(project, executor=CrossYearExecutor(0, fail=(2014, "b_second"))))
    by_year = {r.year: r for r in results}
    assert not by_year[2014].ok
    assert [s.status for s in by_year[2015].steps] == ["skipped", "ok", "failed"], (
        "2015's b reads 2014's a, which is unchanged; its c reads 2014's b"
    )
    for year in (2015, 2016):
        error = by_year[year].error or ""
        assert "c_third failed: refused: it would read 2014's outputs made by other code" in error
        assert outputs(project, year)["c.txt"].endswith("@c1"), f"{year}'s c did not run"


def test_the_plan_brings_in_only_what_the_asked_steps_read(project: RunSettings) -> None:
    codes = step_codes(project)
    plan = build_plan(replace(project, years=(2016,), only_steps=("a",)), codes)
    assert {year: len(p.steps) for year, p in plan.years.items()} == {2016: 1}
    plan = build_plan(replace(project, years=(2016,), only_steps=("b",)), codes)
    assert {year: len(p.steps) for year, p in plan.years.items()} == {2015: 1, 2016: 2}
    assert plan.years[2015].needed_by == ("2016's b_second",) and not plan.years[2015].asked
    plan = build_plan(replace(project, years=(2015, 2016)), codes)
    assert {year: len(p.steps) for year, p in plan.years.items()} == {2014: 2, 2015: 3, 2016: 3}
    assert plan_record(plan)["2015"] == {
        "steps": ["a_first", "b_second", "c_third"],
        "why": "asked",
    }
