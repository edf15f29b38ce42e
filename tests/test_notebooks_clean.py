"""Committed notebooks carry no outputs and follow the project's notebook conventions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from src import config, pipeline
from src.batch.kernel import KERNEL_DISPLAY_NAME, KERNEL_NAME

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))


def test_the_pipeline_notebooks_exist_in_run_order() -> None:
    assert [p.stem for p in NOTEBOOKS] == [step.notebook for step in pipeline.STEPS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        index
        for index, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} carry outputs or execution counts; "
        "run nbstripout (pre-commit does)"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_with_the_shared_parameters(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    tagged = [
        cell
        for cell in notebook["cells"]
        if "parameters" in cell.get("metadata", {}).get("tags", [])
    ]
    assert len(tagged) == 1, (
        f"{path.name}: expected exactly one cell tagged 'parameters', found {len(tagged)}"
    )
    source = "".join(tagged[0]["source"])
    for name in ("year", "raw_dir", "processed_dir", "reports_dir", "seed"):
        assert f"\n{name} = " in "\n" + source, (
            f"{path.name}: parameter {name!r} missing from the parameters cell"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_the_project_kernel_and_reloads_edits_in_src(path: Path) -> None:
    """JupyterLab opens it on the project kernel; an edit in src/ takes effect next cell.

    The batch and the tests name the kernel themselves, so they work either way.
    """
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"] == {
        "display_name": KERNEL_DISPLAY_NAME,
        "language": "python",
        "name": KERNEL_NAME,
    }
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    first_import = next(i for i, source in enumerate(code) if "from src" in source)
    assert any(
        "%load_ext autoreload" in source and "%autoreload 2" in source
        for source in code[:first_import]
    ), f"{path.name}: no autoreload before the first import from src"


def test_the_check_detects_outputs(tmp_path: Path) -> None:
    """The stripped-notebook check above fails on a notebook that carries outputs."""
    notebook = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    code = next(cell for cell in notebook["cells"] if cell["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    dirty = tmp_path / "dirty.ipynb"
    dirty.write_text(json.dumps(notebook), encoding="utf-8")
    with pytest.raises(AssertionError, match="carry outputs"):
        test_notebook_is_committed_without_outputs(dirty)
