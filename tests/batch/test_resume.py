"""The batch's run manifest, resume, --force, the error at the top, and the timeout.

Resume is tested with a fake executor (no kernel): each "notebook" copies its input to an
output file, so what re-runs and what is skipped can be followed exactly. The timeout is
tested with a real kernel on a two-cell notebook that sleeps.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from src.batch.manifest import RUN_MANIFEST_NAME, sha256_file
from src.batch.runner import ERROR_CELL_TAG, mark_failed_notebook, print_summary, run_year

STEPS = ("a_first", "b_second", "c_third")


def write_notebooks(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for step in STEPS:
        nbformat.write(new_notebook(cells=[new_code_cell(f"# {step}")]), folder / f"{step}.ipynb")
    return folder


class FakeExecutor:
    """Step a copies raw/<year>/input.txt to a.txt, b copies a.txt to b.txt, c reads b.txt."""

    def __init__(self, fail: str | None = None) -> None:
        self.ran: list[str] = []
        self.fail = fail

    def __call__(
        self, source: Path, executed: Path, parameters: dict, *, timeout=None, kernel_name="python3"
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


@pytest.fixture()
def tree(tmp_path: Path) -> dict:
    (tmp_path / "raw" / "2014").mkdir(parents=True)
    (tmp_path / "raw" / "2014" / "input.txt").write_text("hello")
    return dict(
        raw_dir=tmp_path / "raw",
        processed_dir=tmp_path / "processed",
        reports_dir=tmp_path / "reports",
        steps=STEPS,
        notebooks_dir=write_notebooks(tmp_path / "notebooks"),
        render=False,
    )


def run(tree: dict, executor: FakeExecutor, **options):
    return run_year(2014, executor=executor, **tree, **options)


def manifest(tree: dict) -> dict:
    return json.loads((tree["processed_dir"] / "2014" / "notebooks" / "manifest.json").read_text())


def test_the_manifest_records_parameters_versions_checksums_and_steps(tree: dict) -> None:
    result = run(tree, FakeExecutor(), seed=7)
    assert result.ok and [s.status for s in result.steps] == ["ok", "ok", "ok"]
    record = manifest(tree)
    assert (
        record["status"] == "ok"
        and record["parameters"]["seed"] == 7
        and record["parameters"]["quarantine"] is False
    )
    assert record["inputs"] == {"input.txt": sha256_file(tree["raw_dir"] / "2014" / "input.txt")}
    assert record["versions"]["pandas"] and record["versions"]["python"] and record["code_sha256"]
    assert [s["step"] for s in record["steps"]] == list(STEPS)
    first = record["steps"][0]
    assert (
        first["status"] == "ok"
        and first["seconds"] >= 0
        and set(first["outputs"]) == {"a.txt"}
        and first["notebook_sha256"]
    )


def test_a_rerun_skips_unchanged_steps_and_says_so(
    tree: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    run(tree, FakeExecutor())
    capsys.readouterr()
    again = FakeExecutor()
    result = run(tree, again)
    assert again.ran == [] and [s.status for s in result.steps] == ["skipped"] * 3
    out = capsys.readouterr().out
    assert (
        out.count("skipped: inputs, parameters and code unchanged") == 3
        and "[2014 2/3 b_second]" in out
    )
    assert [s["status"] for s in manifest(tree)["steps"]] == ["skipped"] * 3
    print_summary([result], tree["reports_dir"])
    assert "3 of 3 steps skipped: unchanged" in capsys.readouterr().out


def test_changed_inputs_parameters_notebooks_and_force_rerun(tree: dict) -> None:
    run(tree, FakeExecutor())
    (tree["raw_dir"] / "2014" / "input.txt").write_text("changed")
    executor = FakeExecutor()
    run(tree, executor)
    assert executor.ran == list(STEPS), "a changed raw file re-runs the year"
    executor = FakeExecutor()
    run(tree, executor, seed=99)
    assert executor.ran == list(STEPS), "a changed parameter re-runs every step"
    nbformat.write(
        new_notebook(cells=[new_code_cell("# edited")]), tree["notebooks_dir"] / "c_third.ipynb"
    )
    executor = FakeExecutor()
    run(tree, executor, seed=99)
    assert executor.ran == ["c_third"], "an edited notebook re-runs that step only"
    executor = FakeExecutor()
    run(tree, executor, seed=99, force=True)
    assert executor.ran == list(STEPS)


def test_an_upstream_output_that_comes_back_the_same_does_not_rerun_downstream(tree: dict) -> None:
    run(tree, FakeExecutor())
    a = tree["processed_dir"] / "2014" / "a.txt"
    original = a.read_text()
    a.write_text("tampered")
    executor = FakeExecutor()
    run(tree, executor)
    assert executor.ran == ["a_first"] and a.read_text() == original
    (tree["processed_dir"] / "2014" / "b.txt").unlink()
    executor = FakeExecutor()
    run(tree, executor)
    assert executor.ran == ["b_second"], "a deleted output re-runs the step that wrote it"


def test_a_failed_step_is_named_at_the_top_of_its_notebook_and_in_the_manifest(tree: dict) -> None:
    result = run(tree, FakeExecutor(fail="b_second"))
    assert (
        not result.ok
        and "b_second failed: RuntimeError: b_second broke <on purpose>" in result.error
    )
    notebook = nbformat.read(
        tree["processed_dir"] / "2014" / "notebooks" / "b_second.ipynb", as_version=4
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
    assert mark_failed_notebook(tree["processed_dir"] / "nothing.ipynb", "x", "y") is False


def test_the_run_manifest_lists_every_year(
    tmp_path: Path, tree: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    import src.batch.runner as runner

    monkeypatch.setattr(
        runner,
        "_run_years",
        lambda years, *a, **kw: [
            runner.YearResult(year=y, error="boom" if y == 2015 else None) for y in years
        ],
    )
    results = runner.run_batch(
        [2014, 2015], tree["raw_dir"], tree["processed_dir"], tree["reports_dir"], jobs=1
    )
    record = json.loads((tree["processed_dir"] / RUN_MANIFEST_NAME).read_text())
    assert (
        record["exit_status"] == 1
        and record["years"]["2015"]["error"] == "boom"
        and record["years"]["2014"]["status"] == "ok"
    )
    assert [r.year for r in results] == [2014, 2015] and record["versions"]["nhs-influence"]


class CrossYearExecutor:
    """Like :class:`FakeExecutor`, but b reads the previous year's a.txt and c every earlier year's b.txt.

    Step a of ``slow_year`` sleeps, so that without the cross-year ordering the later
    year's b would run before the earlier year's a.txt exists.
    """

    def __init__(self, slow_year: int = 2014, fail: tuple[int, str] | None = None) -> None:
        self.slow_year, self.fail = slow_year, fail

    def __call__(
        self, source: Path, executed: Path, parameters: dict, *, timeout=None, kernel_name="python3"
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


CROSS_READS = {"b_second": ("a_first", "previous"), "c_third": ("b_second", "earlier")}


def previous_a(processed_dir: Path, year: int) -> list[Path]:
    return [processed_dir / str(year - 1) / "a.txt"]


def earlier_b(processed_dir: Path, year: int) -> list[Path]:
    return sorted(
        p
        for p in processed_dir.glob("*/b.txt")
        if p.parent.name.isdigit() and int(p.parent.name) < year
    )


@pytest.fixture()
def two_years(tree: dict) -> dict:
    (tree["raw_dir"] / "2015").mkdir(parents=True)
    (tree["raw_dir"] / "2015" / "input.txt").write_text("world")
    return {
        **tree,
        "cross_year_reads": CROSS_READS,
        "cross_year_inputs": {"b_second": previous_a, "c_third": earlier_b},
    }


def step_statuses(tree: dict, year: int) -> list[str]:
    record = json.loads(
        (tree["processed_dir"] / str(year) / "notebooks" / "manifest.json").read_text()
    )
    return [s["status"] for s in record["steps"]]


def test_a_step_that_reads_other_years_waits_for_them_even_in_parallel(two_years: dict) -> None:
    from src.batch.runner import run_batch

    results = run_batch(
        [2014, 2015], jobs=2, executor=CrossYearExecutor(slow_year=2014), **two_years
    )
    assert all(r.ok for r in results), [r.error for r in results]
    processed = two_years["processed_dir"]
    assert (processed / "2015" / "b.txt").read_text() == "world|previous a=hello", (
        "2015's features ran before 2014's ingest had finished"
    )
    assert (processed / "2015" / "c.txt").read_text() == "hello|previous a=none"
    assert (processed / "2014" / "c.txt").read_text() == "no earlier year"
    record = json.loads((processed / "2015" / "notebooks" / "manifest.json").read_text())
    b_record = record["steps"][1]
    assert b_record["other_years"] == {"2014/a.txt": sha256_file(processed / "2014" / "a.txt")}


def test_a_change_in_an_earlier_year_reruns_the_later_years_steps_that_read_it(
    two_years: dict,
) -> None:
    from src.batch.runner import run_batch

    run_batch([2014, 2015], jobs=1, executor=CrossYearExecutor(slow_year=0), **two_years)
    run_batch([2014, 2015], jobs=1, executor=CrossYearExecutor(slow_year=0), **two_years)
    assert step_statuses(two_years, 2015) == ["skipped"] * 3
    (two_years["raw_dir"] / "2014" / "input.txt").write_text("changed")
    run_batch([2014, 2015], jobs=1, executor=CrossYearExecutor(slow_year=0), **two_years)
    assert step_statuses(two_years, 2014) == ["ok"] * 3
    assert step_statuses(two_years, 2015) == ["skipped", "ok", "ok"], (
        "2015's own ingest is unchanged; what reads 2014 re-runs"
    )
    assert (two_years["processed_dir"] / "2015" / "c.txt").read_text() == "changed|previous a=none"


def test_a_failed_earlier_year_does_not_block_the_later_year_and_is_named(two_years: dict) -> None:
    from src.batch.runner import run_batch

    results = run_batch(
        [2014, 2015],
        jobs=2,
        executor=CrossYearExecutor(slow_year=0, fail=(2014, "a_first")),
        **two_years,
    )
    by_year = {r.year: r for r in results}
    assert (
        not by_year[2014].ok
        and "a_first failed: RuntimeError: a_first of 2014 broke on purpose" in by_year[2014].error
    )
    assert (
        by_year[2015].ok
        and (two_years["processed_dir"] / "2015" / "b.txt").read_text() == "world|previous a=none"
    )
    assert any("2014's a_first did not succeed in this run" in w for w in by_year[2015].warnings), (
        by_year[2015].warnings
    )
    assert step_statuses(two_years, 2014) == ["failed", "not run", "not run"]


@pytest.mark.e2e
def test_a_hung_cell_is_stopped_by_the_timeout(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    kernel = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    nbformat.write(
        new_notebook(
            cells=[new_code_cell("x = 1"), new_code_cell("import time\ntime.sleep(120)")],
            metadata=kernel,
        ),
        folder / "hang.ipynb",
    )
    (tmp_path / "raw" / "2014").mkdir(parents=True)
    started = time.perf_counter()
    result = run_year(
        2014,
        tmp_path / "raw",
        tmp_path / "processed",
        tmp_path / "reports",
        timeout=2,
        steps=("hang",),
        notebooks_dir=folder,
        render=False,
    )
    elapsed = time.perf_counter() - started
    assert not result.ok and "timed out" in result.error.lower(), result.error
    assert elapsed < 60, f"the timeout did not stop the cell ({elapsed:.0f} s)"
    notebook = nbformat.read(
        tmp_path / "processed" / "2014" / "notebooks" / "hang.ipynb", as_version=4
    )
    assert "This step failed: hang" in notebook.cells[0].source
