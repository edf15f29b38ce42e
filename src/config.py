"""Paths and run parameters, declared once.

Every notebook, the batch runner and the tests take their folders from here, so a
relative path means the same thing in JupyterLab (cwd ``notebooks/``), under papermill
and in pytest. ``NHS_INFLUENCE_DATA_DIR`` and ``NHS_INFLUENCE_REPORTS_DIR`` move the data
and report trees elsewhere (the tests use this to run against a small sample).
"""

from __future__ import annotations

import os
from pathlib import Path

#: The project checkout: the folder that holds ``src/``, ``notebooks/`` and ``data/``.
PROJECT_ROOT: Path = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"

#: Years of the bundled simulated sample.
SAMPLE_YEARS: tuple[int, ...] = (2023, 2024, 2025)
#: The year a notebook opens on when run from its defaults.
DEFAULT_YEAR: int = 2024
DEFAULT_SEED: int = 20130601

#: Whom the influence-beyond-volume line is fitted across (src/features/influence.py):
#: "nominees" (their accounts' timelines are collected in full) or "all_accounts" (every
#: account with own posts in the year's tables, the wider population kept for comparison;
#: other accounts' posts are only those that engaged with a nominee, which bends the line).
#: Measured on the sample: nominees' residuals rank much alike either way (Spearman 0.93
#: to 0.97).
INFLUENCE_FIT_POPULATION: str = "nominees"

#: Marker file that the simulator writes into each raw year folder it creates.
SIMULATED_MARKER: str = "SIMULATED.md"


def data_dir() -> Path:
    """The data tree (``data/`` of the checkout unless ``NHS_INFLUENCE_DATA_DIR`` is set)."""
    return Path(os.environ.get("NHS_INFLUENCE_DATA_DIR", PROJECT_ROOT / "data")).resolve()


def raw_dir() -> Path:
    """Inputs as they arrive, one sub-folder per year; never modified by the pipeline."""
    return data_dir() / "raw"


def processed_dir() -> Path:
    """Validated canonical tables, features and model outputs, one sub-folder per year."""
    return data_dir() / "processed"


def reports_dir() -> Path:
    """Rendered stakeholder reports (``reports/`` unless ``NHS_INFLUENCE_REPORTS_DIR`` is set)."""
    return Path(os.environ.get("NHS_INFLUENCE_REPORTS_DIR", PROJECT_ROOT / "reports")).resolve()


def resolve_dir(value: str | os.PathLike[str] | None, default: Path) -> Path:
    """Turn a notebook parameter into an absolute folder.

    ``None`` or ``""`` means ``default``; a relative path is taken from the project root
    (not from the notebook's folder), so the same parameter works everywhere.
    """
    if value is None or str(value) == "":
        return default
    path = Path(value).expanduser()
    return (path if path.is_absolute() else PROJECT_ROOT / path).resolve()
