"""The code a step runs: the ``src`` modules its notebook imports, transitively."""

from __future__ import annotations

import json
from pathlib import Path

from src import config, pipeline
from src.batch.execute import render_code
from src.batch.imports import (
    cell_python,
    code_files,
    imported_names,
    module_file,
    notebook_code,
    notebook_code_files,
)

MODULES = {
    "src/__init__.py": "",
    "src/a/__init__.py": "",
    "src/a/b.py": "from . import c\nfrom .d import HELPER\nfrom .. import e\nimport numpy\n",
    "src/a/c.py": "X = 1\n",
    "src/a/d.py": "HELPER = 1\n",
    "src/a/style.css": "p { margin: 0 }\n",
    "src/e.py": "def late():\n    from src import g\n    return g\n",
    "src/g.py": "",
    "src/unused.py": "",
    "src/h/__init__.py": "",
    "src/h/i.py": "",
}


def write_tree(root: Path) -> Path:
    for name, text in MODULES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_imports_are_followed_through_modules_packages_and_functions(tmp_path: Path) -> None:
    root = write_tree(tmp_path)
    files = code_files(["from src.a import b, NOT_A_MODULE\nimport pandas"], root)
    assert set(files) == {
        "src/__init__.py",
        "src/a/__init__.py",
        "src/a/b.py",
        "src/a/c.py",  # from . import c
        "src/a/d.py",  # from .d import HELPER
        "src/a/style.css",  # data beside a module
        "src/e.py",  # from .. import e
        "src/g.py",  # imported inside a function
    }
    assert set(code_files(["import src.h.i"], root)) == {
        "src/__init__.py",
        "src/h/__init__.py",
        "src/h/i.py",
    }
    assert code_files(["import numpy"], root) == {}


def test_names_relative_imports_and_modules() -> None:
    assert imported_names("from src.a import b, c\nimport os, src.x") == {
        "src.a",
        "src.a.b",
        "src.a.c",
        "src.x",
    }
    assert imported_names("from . import c", "src.a.b") == {"src.a", "src.a.c"}
    assert imported_names("from . import c", "src.a", is_package=True) == {"src.a", "src.a.c"}
    assert imported_names("from ..e import f", "src.a.b") == {"src.e", "src.e.f"}
    assert imported_names("this is not python") == set()
    assert (
        module_file("src.batch", config.PROJECT_ROOT)
        == config.PROJECT_ROOT / "src/batch/__init__.py"
    )
    assert module_file("src.batch.cli", config.PROJECT_ROOT) is not None
    assert module_file("src.batch.run_batch", config.PROJECT_ROOT) is None


def test_magics_are_read_as_ipython_runs_them(tmp_path: Path) -> None:
    assert "import src.io" in cell_python("%load_ext autoreload\n%autoreload 2\nimport src.io")
    notebook = tmp_path / "n.ipynb"
    cells = [
        {"cell_type": "markdown", "source": "import src.not_code"},
        {"cell_type": "code", "source": ["%autoreload 2\n", "from src import g"]},
    ]
    notebook.write_text(json.dumps({"cells": cells}))
    assert len(notebook_code(notebook)) == 1
    root = write_tree(tmp_path)
    assert set(notebook_code_files(notebook, root)) == {"src/__init__.py", "src/g.py"}


def step_files() -> dict[str, dict[str, str]]:
    """The code of each real step (its notebook's src modules)."""
    return {
        step.notebook: notebook_code_files(
            config.NOTEBOOKS_DIR / f"{step.notebook}.ipynb", config.PROJECT_ROOT
        )
        for step in pipeline.STEPS
    }


def test_an_edit_in_the_report_s_code_concerns_only_the_report_step() -> None:
    """Every src/report file a step runs is run by the report step alone (and its render)."""
    files = step_files()
    report_files = {
        name for code in files.values() for name in code if name.startswith("src/report/")
    }
    assert report_files, "the report step runs the report's modules"
    for name in report_files:
        steps = [step for step, code in files.items() if name in code]
        assert steps == ["04_report"], f"{name} is run by {steps}"
    render = code_files(render_code(), config.PROJECT_ROOT)
    assert {"src/report/render.py", "src/report/style.css"} <= set(render)


def test_each_step_runs_its_own_code() -> None:
    files = step_files()
    assert "src/features/volume.py" in files["02_features"]
    assert not any(name.startswith("src/features/") for name in files["01_ingest"])
    assert not any(name.startswith("src/ingest/") for name in files["02_features"])
    assert not any(name.startswith("src/batch/") for code in files.values() for name in code)
    assert all("src/__init__.py" in code and "src/params.py" in code for code in files.values())
