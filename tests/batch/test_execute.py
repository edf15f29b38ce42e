"""Executing one notebook: its error in one line, the error at the top, and the timeout.

The timeout is tested with a real kernel on a two-cell notebook that sleeps.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from src.batch.execute import (
    ERROR_CELL_TAG,
    InlinePool,
    StepJob,
    WorkerPool,
    error_text,
    execute_step,
    mark_failed_notebook,
)
from src.batch.runner import run_year
from src.batch.settings import RunSettings
from src.pipeline import Step
from tests.batch.helpers import FakeExecutor, write_notebooks


class NotebookError(Exception):
    """What papermill raises: the notebook's exception name and value as attributes."""

    ename = "InputError"
    evalue = "timelines.jsonl, line 3: is not valid JSON"


def test_the_error_is_one_line_and_unwrapped() -> None:
    assert error_text(NotebookError("long text\nof the whole cell")) == (
        "InputError: timelines.jsonl, line 3: is not valid JSON"
    )
    assert error_text(ValueError("two\n  lines")) == "ValueError: two lines"


def test_a_failed_step_is_marked_once_at_the_top_and_reported(tmp_path: Path) -> None:
    folder = write_notebooks(tmp_path / "notebooks")
    (tmp_path / "processed" / "2014").mkdir(parents=True)
    job = StepJob(
        step="b_second",
        source=folder / "b_second.ipynb",
        executed=tmp_path / "b_second.ipynb",
        parameters={"year": 2014, "processed_dir": str(tmp_path / "processed")},
        processed_year=tmp_path / "processed" / "2014",
        executor=FakeExecutor(fail="b_second"),
        timeout=None,
        kernel_name="python3",
    )
    outcome = execute_step(job)
    assert outcome["status"] == "failed" and outcome["seconds"] >= 0
    assert outcome["error"] == "RuntimeError: b_second broke <on purpose>"
    mark_failed_notebook(job.executed, "b_second", "a second error")
    cells = nbformat.read(job.executed, as_version=4).cells
    marked = [c for c in cells if ERROR_CELL_TAG in c.metadata.get("tags", [])]
    assert len(marked) == 1 and cells[0] is marked[0], "one error cell, at the top"
    assert "This step failed: b_second" in cells[0].source
    assert "a second error" in cells[0].source


def test_there_is_nothing_to_mark_without_an_executed_notebook(tmp_path: Path) -> None:
    assert mark_failed_notebook(tmp_path / "nothing.ipynb", "x", "y") is False


def test_the_inline_pool_hands_back_results_and_errors() -> None:
    pool = InlinePool()
    assert pool.submit(sum, [1, 2]).result() == 3
    with pytest.raises(ZeroDivisionError):
        pool.submit(divmod, 1, 0).result()


def log_from_a_worker(message: str) -> int:
    """Log ``message`` in the process this runs in; return that process's id."""
    logging.getLogger("src.batch.execute").info("%s", message)
    return os.getpid()


def test_a_worker_s_progress_lines_are_handled_in_the_parent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="src.batch")
    pool = WorkerPool(2)
    try:
        worker = pool.submit(log_from_a_worker, "[2024 report] HTML written").result()
    finally:
        pool.shutdown()
    assert worker != os.getpid(), "it ran in a worker process"
    assert [r.getMessage() for r in caplog.records] == ["[2024 report] HTML written"]


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
    hang = Step(name="hang", notebook="hang", does="sleeps", reads=("raw",), writes=())
    settings = RunSettings(
        years=(2014,),
        raw_dir=tmp_path / "raw",
        processed_dir=tmp_path / "processed",
        reports_dir=tmp_path / "reports",
        timeout=2,
        steps=(hang,),
        notebooks_dir=folder,
        render=False,
    )
    started = time.perf_counter()
    result = run_year(settings, 2014)
    elapsed = time.perf_counter() - started
    assert not result.ok and "timed out" in (result.error or "").lower(), result.error
    assert elapsed < 60, f"the timeout did not stop the cell ({elapsed:.0f} s)"
    notebook = nbformat.read(
        tmp_path / "processed" / "2014" / "notebooks" / "hang.ipynb", as_version=4
    )
    assert "This step failed: hang" in notebook.cells[0].source
