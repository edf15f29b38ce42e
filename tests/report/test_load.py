"""Loading what one year's report reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from src.params import year_run
from src.report.load import load_year_report


def test_loading_a_year_that_was_not_processed_names_the_missing_file(tmp_path: Path) -> None:
    run = year_run(2014, tmp_path / "raw", tmp_path / "processed", tmp_path / "reports")
    with pytest.raises(Exception, match="features.parquet"):
        load_year_report(run)
