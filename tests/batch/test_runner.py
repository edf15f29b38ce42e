"""The batch run: its manifests, resume, --force, a failed step, and steps reading other years.

Tested on made-up pipelines with fake executors (no kernel, :mod:`tests.batch.helpers`):
each "notebook" copies its input to an output file, so what re-runs and what is skipped
can be followed exactly.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from src.batch.execute import ERROR_CELL_TAG
from src.batch.manifest import RUN_MANIFEST_NAME, sha256_file
from src.batch.runner import run_batch, run_year
from src.batch.settings import RunSettings
from src.batch.summary import print_summary
from tests.batch.helpers import (
    CROSS_YEAR_STEPS,
    STEP_IDS,
    STEPS,
    CrossYearExecutor,
    FakeExecutor,
    write_notebooks,
)


@pytest.fixture()
def tree(tmp_path: Path) -> RunSettings:
    """Settings of a one-year run of the made-up pipeline (raw/2014/input.txt), no report."""
    (tmp_path / "raw" / "2014").mkdir(parents=True)
    (tmp_path / "raw" / "2014" / "input.txt").write_text("hello")
    return RunSettings(
        years=(2014,),
        raw_dir=tmp_path / "raw",
        processed_dir=tmp_path / "processed",
        reports_dir=tmp_path / "reports",
        steps=STEPS,
        notebooks_dir=write_notebooks(tmp_path / "notebooks"),
        project_root=tmp_path,  # no src/ here: the steps import no code
        render=False,
    )


def run(tree: RunSettings, executor: FakeExecutor, **options):
    return run_year(replace(tree, executor=executor, **options), 2014)


def manifest(tree: RunSettings) -> dict:
    return json.loads((tree.processed_dir / "2014" / "notebooks" / "manifest.json").read_text())


def test_the_manifest_records_parameters_versions_checksums_and_steps(tree: RunSettings) -> None:
    result = run(tree, FakeExecutor(), seed=7)
    assert result.ok and [s.status for s in result.steps] == ["ok", "ok", "ok"]
    record = manifest(tree)
    assert (
        record["status"] == "ok"
        and record["parameters"]["seed"] == 7
        and record["parameters"]["quarantine"] is False
    )
    assert record["inputs"] == {"input.txt": sha256_file(tree.raw_dir / "2014" / "input.txt")}
    assert record["versions"]["pandas"] and record["versions"]["python"]
    assert record["versions"]["igraph"] and record["versions"]["msgspec"], "every dependency"
    assert record["packages"]["numpy"] == record["versions"]["numpy"], "every installed package"
    assert set(record["git"]) >= {"commit", "dirty"}
    assert [s["step"] for s in record["steps"]] == STEP_IDS
    first = record["steps"][0]
    assert (
        first["status"] == "ok"
        and first["seconds"] >= 0
        and set(first["outputs"]) == {"a.txt"}
        and first["notebook_sha256"]
        and first["code_key"]
        and first["code"] == {}
        and first["reason"] == "first run"
    )


def test_a_rerun_skips_unchanged_steps_and_says_so(
    tree: RunSettings, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="src.batch")
    run(tree, FakeExecutor())
    caplog.clear()
    again = FakeExecutor()
    result = run(tree, again)
    assert again.ran == [] and [s.status for s in result.steps] == ["skipped"] * 3
    out = caplog.text
    assert (
        out.count("skipped: inputs, parameters and code unchanged") == 3
        and "[2014 2/3 b_second]" in out
    )
    assert [s["status"] for s in manifest(tree)["steps"]] == ["skipped"] * 3
    print_summary([result], tree.reports_dir)
    assert "3 of 3 steps skipped: unchanged" in capsys.readouterr().out


def test_changed_inputs_parameters_notebooks_and_force_rerun(tree: RunSettings) -> None:
    run(tree, FakeExecutor())
    (tree.raw_dir / "2014" / "input.txt").write_text("changed")
    executor = FakeExecutor()
    run(tree, executor)
    assert executor.ran == STEP_IDS, "a changed raw file re-runs the year"
    executor = FakeExecutor()
    run(tree, executor, seed=99)
    assert executor.ran == STEP_IDS, "a changed parameter re-runs every step"
    nbformat.write(
        new_notebook(cells=[new_code_cell("# edited")]), tree.notebooks_dir / "c_third.ipynb"
    )
    executor = FakeExecutor()
    run(tree, executor, seed=99)
    assert executor.ran == ["c_third"], "an edited notebook re-runs that step only"
    executor = FakeExecutor()
    run(tree, executor, seed=99, force=True)
    assert executor.ran == STEP_IDS


def test_an_upstream_output_that_comes_back_the_same_does_not_rerun_downstream(
    tree: RunSettings,
) -> None:
    run(tree, FakeExecutor())
    a = tree.processed_dir / "2014" / "a.txt"
    original = a.read_text()
    a.write_text("tampered")
    executor = FakeExecutor()
    run(tree, executor)
    assert executor.ran == ["a_first"] and a.read_text() == original
    (tree.processed_dir / "2014" / "b.txt").unlink()
    executor = FakeExecutor()
    run(tree, executor)
    assert executor.ran == ["b_second"], "a deleted output re-runs the step that wrote it"


def test_a_failed_step_is_named_at_the_top_of_its_notebook_and_in_the_manifest(
    tree: RunSettings,
) -> None:
    result = run(tree, FakeExecutor(fail="b_second"))
    assert (
        not result.ok
        and "b_second failed: RuntimeError: b_second broke <on purpose>" in result.error
    )
    notebook = nbformat.read(
        tree.processed_dir / "2014" / "notebooks" / "b_second.ipynb", as_version=4
    )
    top = notebook.cells[0]
    assert top.cell_type == "markdown" and ERROR_CELL_TAG in top.metadata["tags"]
    assert (
        "This step failed: b_second" in top.source
        and "RuntimeError: b_second broke <on purpose>" in top.source
    )
    record = manifest(tree)
    assert record["status"] == "failed" and [s["status"] for s in record["steps"]] == [
        "ok",
        "failed",
        "not run",
    ]
    # fixed: the step that failed re-runs, the one before it is skipped
    executor = FakeExecutor()
    assert run(tree, executor).ok and executor.ran == ["b_second", "c_third"]


def test_the_run_manifest_lists_every_year(
    tree: RunSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import src.batch.runner as runner

    monkeypatch.setattr(
        runner,
        "run_years",
        lambda settings, run_id="", context=None: [
            runner.YearResult(year=y, error="boom" if y == 2015 else None) for y in settings.years
        ],
    )
    results = runner.run_batch(replace(tree, years=(2014, 2015), jobs=1))
    record = json.loads((tree.processed_dir / RUN_MANIFEST_NAME).read_text())
    assert (
        record["exit_status"] == 1
        and record["years"]["2015"]["error"] == "boom"
        and record["years"]["2014"]["status"] == "ok"
    )
    assert [r.year for r in results] == [2014, 2015] and record["versions"]["nhs-influence"]


@pytest.fixture()
def two_years(tree: RunSettings) -> RunSettings:
    """The made-up pipeline whose steps read other years, over 2014 ("hello") and 2015 ("world")."""
    (tree.raw_dir / "2015").mkdir(parents=True)
    (tree.raw_dir / "2015" / "input.txt").write_text("world")
    return replace(tree, years=(2014, 2015), steps=CROSS_YEAR_STEPS)


def step_statuses(settings: RunSettings, year: int) -> list[str]:
    record = json.loads(
        (settings.processed_dir / str(year) / "notebooks" / "manifest.json").read_text()
    )
    return [s["status"] for s in record["steps"]]


@pytest.mark.slow  # worker processes, and a step that sleeps
def test_a_step_that_reads_other_years_waits_for_them_even_in_parallel(
    two_years: RunSettings,
) -> None:
    results = run_batch(replace(two_years, jobs=2, executor=CrossYearExecutor(slow_year=2014)))
    assert all(r.ok for r in results), [r.error for r in results]
    processed = two_years.processed_dir
    assert (processed / "2015" / "b.txt").read_text() == "world|previous a=hello", (
        "2015's features ran before 2014's ingest had finished"
    )
    assert (processed / "2015" / "c.txt").read_text() == "hello|previous a=none"
    assert (processed / "2014" / "c.txt").read_text() == "no earlier year"
    record = json.loads((processed / "2015" / "notebooks" / "manifest.json").read_text())
    b_record = record["steps"][1]
    assert b_record["other_years"] == {"2014/a.txt": sha256_file(processed / "2014" / "a.txt")}


def test_a_change_in_an_earlier_year_reruns_the_later_years_steps_that_read_it(
    two_years: RunSettings,
) -> None:
    serial = replace(two_years, jobs=1, executor=CrossYearExecutor(slow_year=0))
    run_batch(serial)
    run_batch(serial)
    assert step_statuses(two_years, 2015) == ["skipped"] * 3
    (two_years.raw_dir / "2014" / "input.txt").write_text("changed")
    run_batch(serial)
    assert step_statuses(two_years, 2014) == ["ok"] * 3
    assert step_statuses(two_years, 2015) == ["skipped", "ok", "ok"], (
        "2015's own ingest is unchanged; what reads 2014 re-runs"
    )
    assert (two_years.processed_dir / "2015" / "c.txt").read_text() == "changed|previous a=none"


@pytest.mark.slow  # worker processes
def test_a_failed_earlier_year_does_not_block_the_later_year_and_is_named(
    two_years: RunSettings,
) -> None:
    executor = CrossYearExecutor(slow_year=0, fail=(2014, "a_first"))
    results = run_batch(replace(two_years, jobs=2, executor=executor))
    by_year = {r.year: r for r in results}
    error_2014 = by_year[2014].error or ""
    assert (
        not by_year[2014].ok
        and "a_first failed: RuntimeError: a_first of 2014 broke on purpose" in error_2014
    )
    assert (
        by_year[2015].ok
        and (two_years.processed_dir / "2015" / "b.txt").read_text() == "world|previous a=none"
    )
    assert any("2014's a_first did not succeed in this run" in w for w in by_year[2015].warnings), (
        by_year[2015].warnings
    )
    assert step_statuses(two_years, 2014) == ["failed", "not run", "not run"]
