"""The project kernel, and kernels that start and stop without a word on a good run.

The tests marked ``e2e`` start real kernels: one runs a notebook and checks that the
kernel process wrote nothing to its stderr (no transport warning, no error); one checks
that a finished kernel is not sent SIGINT at shutdown, the cause of "KeyboardInterrupt
caught in kernel." on good runs (a process started by the notebook, in the kernel's
process group, would receive it), and that jupyter_client's own manager does send it,
so the check can tell.
"""

from __future__ import annotations

import json
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from src.batch.execute import execute_notebook
from src.batch.kernel import (
    KERNEL_DISPLAY_NAME,
    KERNEL_NAME,
    ensure_kernel,
    install_kernel,
    kernel_python,
)


def test_the_project_kernel_runs_this_python_from_the_environment(tmp_path: Path) -> None:
    folder = install_kernel(tmp_path)
    assert folder == tmp_path / "share" / "jupyter" / "kernels" / KERNEL_NAME
    spec = json.loads((folder / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable and spec["display_name"] == KERNEL_DISPLAY_NAME
    assert KERNEL_DISPLAY_NAME == "nhs-influence (.venv)"
    ensure_kernel(KERNEL_NAME)
    assert kernel_python(KERNEL_NAME) == sys.executable, "make install registers it in .venv"
    assert kernel_python("no-such-kernel") is None


#: A process in the kernel's process group that notes a SIGINT in a file.
LISTENER = textwrap.dedent(
    """
    import signal, sys, time
    from pathlib import Path
    got, ready = Path(sys.argv[1]), Path(sys.argv[2])
    signal.signal(signal.SIGINT, lambda *_: got.write_text("SIGINT"))
    ready.write_text("ready")
    time.sleep(30)
    """
)


def listening_notebook(folder: Path) -> tuple[Path, Path]:
    """A notebook that leaves a SIGINT listener running; returns it and the listener's file."""
    got, ready = folder / "got-sigint", folder / "ready"
    code = (
        "import subprocess, sys, time\n"
        "from pathlib import Path\n"
        f"listener = subprocess.Popen([sys.executable, '-c', {LISTENER!r}, {str(got)!r},"
        f" {str(ready)!r}])\n"
        f"while not Path({str(ready)!r}).exists():\n"
        "    time.sleep(0.05)"
    )
    source = folder / "listen.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(code)]), source)
    return source, got


@pytest.mark.e2e
def test_a_good_notebook_run_leaves_no_kernel_message_and_sends_no_sigint(
    tmp_path: Path,
) -> None:
    ensure_kernel(KERNEL_NAME)
    source, got = listening_notebook(tmp_path)
    log = tmp_path / "kernel.log"
    execute_notebook(source, tmp_path / "out.ipynb", {}, kernel_log=log)
    time.sleep(0.5)
    assert log.read_text() == "", "the kernel wrote to its stderr"
    assert not got.exists(), "the finished kernel's process group was sent SIGINT"


@pytest.mark.e2e
def test_jupyter_client_s_own_shutdown_sends_sigint(tmp_path: Path) -> None:
    """The check above can fail: the default shutdown interrupts the kernel first."""
    import papermill as pm

    ensure_kernel(KERNEL_NAME)
    source, got = listening_notebook(tmp_path)
    pm.execute_notebook(
        str(source), str(tmp_path / "out.ipynb"), kernel_name=KERNEL_NAME, progress_bar=False
    )
    deadline = time.monotonic() + 5
    while not got.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert got.exists()
