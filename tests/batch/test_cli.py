"""The command line: arguments to settings, and progress printed as stamped lines."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest

from src.batch.cli import build_parser, run_settings, show_progress


def test_the_run_arguments_become_one_settings_object(tmp_path: Path) -> None:
    for year in ("2023", "2024", "notes"):
        (tmp_path / "raw" / year).mkdir(parents=True)
    args = build_parser().parse_args(
        ["run", "--raw-dir", str(tmp_path / "raw"), "--jobs", "2", "--no-pdf", "--quarantine"]
    )
    settings = run_settings(args)
    assert settings is not None
    assert settings.years == (2023, 2024), "every year folder of the raw folder"
    assert settings.raw_dir == (tmp_path / "raw").resolve()
    assert (settings.jobs, settings.pdf, settings.quarantine, settings.force) == (
        2,
        False,
        True,
        False,
    )
    assert settings.timeout == 1800 and settings.executor is None and settings.render
    empty = build_parser().parse_args(["run", "--raw-dir", str(tmp_path / "nothing")])
    assert run_settings(empty) is None


def test_a_malformed_year_is_refused() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--years", "24"])


def test_progress_is_printed_as_stamped_lines() -> None:
    stream = io.StringIO()
    batch_logger = logging.getLogger("src.batch")
    level, propagate = batch_logger.level, batch_logger.propagate
    handler = show_progress(stream)
    try:
        logging.getLogger("src.batch.runner").info(
            "[%s 2/4 02_features] done in %.1f s", 2024, 3.21
        )
    finally:
        batch_logger.removeHandler(handler)
        batch_logger.setLevel(level)
        batch_logger.propagate = propagate
    assert re.fullmatch(
        r"\d\d:\d\d:\d\d \[2024 2/4 02_features\] done in 3\.2 s\n", stream.getvalue()
    )
