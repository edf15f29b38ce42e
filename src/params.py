"""Validate a notebook's parameters once, at the top of every notebook.

papermill injects parameters as Python literals, so a wrong type (``year="abc"``) would
otherwise surface as a confusing error several cells later. :func:`year_run` checks them
and resolves the folders of one year's run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from src import config
from src.errors import ParameterError


@dataclass(frozen=True)
class YearRun:
    """The resolved parameters of one year's run of the notebooks."""

    year: int
    raw: Path  #: ``<raw_dir>/<year>``: that year's inputs
    processed: Path  #: ``<processed_dir>/<year>``: that year's tables and model outputs
    reports: Path  #: ``<reports_dir>/<year>``: that year's rendered report
    seed: int

    @property
    def is_simulated(self) -> bool:
        """True when the raw folder is the bundled simulated sample."""
        return (self.raw / config.SIMULATED_MARKER).exists()


def _whole_number(name: str, value: object) -> int:
    # bool is an int subclass; a year of True is a mistake, not a number.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(
            f"parameter '{name}' must be a whole number, got {value!r} ({type(value).__name__})"
        )
    return value


def _folder(name: str, value: object, default: Path) -> Path:
    if value is not None and not isinstance(value, (str, os.PathLike)):
        raise ParameterError(
            f"parameter '{name}' must be a folder path (text), "
            f"got {value!r} ({type(value).__name__})"
        )
    return config.resolve_dir(value, default)


def year_run(
    year: object,
    raw_dir: object = None,
    processed_dir: object = None,
    reports_dir: object = None,
    seed: object = config.DEFAULT_SEED,
    *,
    require_raw: bool = False,
) -> YearRun:
    """Check a notebook's parameters and resolve its folders.

    Args:
        year: the list's year, e.g. 2024.
        raw_dir, processed_dir, reports_dir: parent folders (one sub-folder per year);
            ``None`` or ``""`` means the project's defaults (:mod:`src.config`), a relative
            path is taken from the project root.
        seed: seed for every random step (cross-validation splits, bootstrap).
        require_raw: raise when ``<raw_dir>/<year>`` does not exist (the ingest step).

    Raises:
        ParameterError: a parameter has the wrong type or the year folder is missing.
    """
    year_int = _whole_number("year", year)
    if not 1990 <= year_int <= 2100:
        raise ParameterError(
            f"parameter 'year' must be a year between 1990 and 2100, got {year_int}"
        )
    seed_int = _whole_number("seed", seed)
    raw = _folder("raw_dir", raw_dir, config.raw_dir()) / str(year_int)
    processed = _folder("processed_dir", processed_dir, config.processed_dir()) / str(year_int)
    reports = _folder("reports_dir", reports_dir, config.reports_dir()) / str(year_int)
    if require_raw and not raw.is_dir():
        raise ParameterError(f"no raw data folder for {year_int}: {raw} does not exist")
    return YearRun(year=year_int, raw=raw, processed=processed, reports=reports, seed=seed_int)
