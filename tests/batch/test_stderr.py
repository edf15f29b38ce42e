"""What a step wrote to stderr: its warnings, one line each, and its kernel's messages."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from src.batch.stderr import capped, kernel_lines, notebook_warnings, warning_lines

PYTHON_WARNING = (
    "/home/someone/.venv/lib/python3.11/site-packages/pandas/core/frame.py:123: "
    "FutureWarning: the default will change\n"
    "  return frame.groupby(key)\n"
)


def test_a_python_warning_is_one_line_without_the_home_folder() -> None:
    assert warning_lines(PYTHON_WARNING) == [
        "FutureWarning: the default will change (pandas/core/frame.py:123)"
    ]
    assert warning_lines("/x/project/src/model/run.py:9: UserWarning: few picks\n") == [
        "UserWarning: few picks (src/model/run.py:9)"
    ]
    assert warning_lines("a logged warning\n\n") == ["a logged warning"]


def test_the_warnings_of_an_executed_notebook_are_read_back(tmp_path: Path) -> None:
    cells = [
        new_code_cell("x", outputs=[new_output("stream", name="stderr", text=PYTHON_WARNING)]),
        new_code_cell("y", outputs=[new_output("stream", name="stdout", text="not a warning")]),
        new_code_cell("z", outputs=[new_output("stream", name="stderr", text="no picks\n")]),
    ]
    executed = tmp_path / "executed.ipynb"
    nbformat.write(new_notebook(cells=cells), executed)
    assert notebook_warnings(executed) == [
        "FutureWarning: the default will change (pandas/core/frame.py:123)",
        "no picks",
    ]
    assert notebook_warnings(tmp_path / "missing.ipynb") == []


def test_kernel_lines_and_caps(tmp_path: Path) -> None:
    log = tmp_path / "kernel.log"
    log.write_text("[IPKernelApp] WARNING | something\n\n")
    assert kernel_lines(log) == ["[IPKernelApp] WARNING | something"]
    assert kernel_lines(tmp_path / "none.log") == []
    assert capped(["a", "a", "b", "c"], kept=2) == ["a", "b", "... and 1 more lines"]
