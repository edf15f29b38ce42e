"""Fixtures of the batch's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from src.batch.settings import RunSettings
from tests.batch.helpers import CROSS_YEAR_STEPS, CrossYearExecutor, write_project


@pytest.fixture()
def project(tmp_path: Path) -> RunSettings:
    """The made-up project with steps reading other years, over 2014, 2015 and 2016."""
    root = write_project(tmp_path / "project", CROSS_YEAR_STEPS)
    for year, text in ((2014, "hello"), (2015, "world"), (2016, "again")):
        (tmp_path / "raw" / str(year)).mkdir(parents=True)
        (tmp_path / "raw" / str(year) / "input.txt").write_text(text)
    return RunSettings(
        years=(2014, 2015, 2016),
        raw_dir=tmp_path / "raw",
        processed_dir=tmp_path / "processed",
        reports_dir=tmp_path / "reports",
        jobs=1,
        steps=CROSS_YEAR_STEPS,
        notebooks_dir=root / "notebooks",
        project_root=root,
        executor=CrossYearExecutor(slow_year=0),
        render=False,
    )
