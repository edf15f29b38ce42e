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

    def __call__(self, source: Path, executed: Path, parameters: dict, *, timeout=None, kernel_name="python3") -> None:
        step = source.stem
        self.ran.append(step)
        nbformat.write(nbformat.read(source, as_version=4), executed)
        if step == self.fail:
            raise RuntimeError(f"{step} broke <on purpose>")
        year = str(parameters["year"])
        processed = Path(parameters["processed_dir"]) / year
        processed.mkdir(parents=True, exist_ok=True)
        if step == "a_first":
            (processed / "a.txt").write_text((Path(parameters["raw_dir"]) / year / "input.txt").read_text() + str(parameters["seed"]))
        elif step == "b_second":
            (processed / "b.txt").write_text((processed / "a.txt").read_text().upper())
        else:
            assert (processed / "b.txt").exists()


@pytest.fixture()
def tree(tmp_path: Path) -> dict:
    (tmp_path / "raw" / "2014").mkdir(parents=True)
    (tmp_path / "raw" / "2014" / "input.txt").write_text("hello")
    return dict(raw_dir=tmp_path / "raw", processed_dir=tmp_path / "processed", reports_dir=tmp_path / "reports",
                steps=STEPS, notebooks_dir=write_notebooks(tmp_path / "notebooks"), render=False)


def run(tree: dict, executor: FakeExecutor, **options):
    return run_year(2014, executor=executor, **tree, **options)


def manifest(tree: dict) -> dict:
    return json.loads((tree["processed_dir"] / "2014" / "notebooks" / "manifest.json").read_text())


def test_the_manifest_records_parameters_versions_checksums_and_steps(tree: dict) -> None:
    result = run(tree, FakeExecutor(), seed=7)
    assert result.ok and [s.status for s in result.steps] == ["ok", "ok", "ok"]
    record = manifest(tree)
    assert record["status"] == "ok" and record["parameters"]["seed"] == 7 and record["parameters"]["quarantine"] is False
    assert record["inputs"] == {"input.txt": sha256_file(tree["raw_dir"] / "2014" / "input.txt")}
    assert record["versions"]["pandas"] and record["versions"]["python"] and record["code_sha256"]
    assert [s["step"] for s in record["steps"]] == list(STEPS)
    first = record["steps"][0]
    assert first["status"] == "ok" and first["seconds"] >= 0 and set(first["outputs"]) == {"a.txt"} and first["notebook_sha256"]


def test_a_rerun_skips_unchanged_steps_and_says_so(tree: dict, capsys: pytest.CaptureFixture[str]) -> None:
    run(tree, FakeExecutor())
    capsys.readouterr()
    again = FakeExecutor()
    result = run(tree, again)
    assert again.ran == [] and [s.status for s in result.steps] == ["skipped"] * 3
    out = capsys.readouterr().out
    assert out.count("skipped: inputs, parameters and code unchanged") == 3 and "[2014 2/3 b_second]" in out
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
    nbformat.write(new_notebook(cells=[new_code_cell("# edited")]), tree["notebooks_dir"] / "c_third.ipynb")
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
    assert not result.ok and "b_second failed: RuntimeError: b_second broke <on purpose>" in result.error
    notebook = nbformat.read(tree["processed_dir"] / "2014" / "notebooks" / "b_second.ipynb", as_version=4)
    top = notebook.cells[0]
    assert top.cell_type == "markdown" and ERROR_CELL_TAG in top.metadata["tags"]
    assert "This step failed: b_second" in top.source and "RuntimeError: b_second broke <on purpose>" in top.source
    record = manifest(tree)
    assert record["status"] == "failed" and [s["status"] for s in record["steps"]] == ["ok", "failed", "not run"]
    # fixed: the step that failed re-runs, the one before it is skipped
    executor = FakeExecutor()
    assert run(tree, executor).ok and executor.ran == ["b_second", "c_third"]
    assert mark_failed_notebook(tree["processed_dir"] / "nothing.ipynb", "x", "y") is False


def test_the_run_manifest_lists_every_year(tmp_path: Path, tree: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    import src.batch.runner as runner

    monkeypatch.setattr(runner, "run_year", lambda year, **kw: runner.YearResult(year=year, error="boom" if year == 2015 else None))
    results = runner.run_batch([2014, 2015], tree["raw_dir"], tree["processed_dir"], tree["reports_dir"], jobs=1)
    record = json.loads((tree["processed_dir"] / RUN_MANIFEST_NAME).read_text())
    assert record["exit_status"] == 1 and record["years"]["2015"]["error"] == "boom" and record["years"]["2014"]["status"] == "ok"
    assert [r.year for r in results] == [2014, 2015] and record["versions"]["nhs-influence"]


@pytest.mark.e2e
def test_a_hung_cell_is_stopped_by_the_timeout(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}, "language_info": {"name": "python"}}
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("import time\ntime.sleep(120)")], metadata=kernel), folder / "hang.ipynb")
    (tmp_path / "raw" / "2014").mkdir(parents=True)
    started = time.perf_counter()
    result = run_year(2014, tmp_path / "raw", tmp_path / "processed", tmp_path / "reports", timeout=2,
                      steps=("hang",), notebooks_dir=folder, render=False)
    elapsed = time.perf_counter() - started
    assert not result.ok and "timed out" in result.error.lower(), result.error
    assert elapsed < 60, f"the timeout did not stop the cell ({elapsed:.0f} s)"
    notebook = nbformat.read(tmp_path / "processed" / "2014" / "notebooks" / "hang.ipynb", as_version=4)
    assert "This step failed: hang" in notebook.cells[0].source
