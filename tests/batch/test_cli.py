"""The command line: arguments to settings, and progress printed as stamped lines."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest

from src.batch.cli import build_parser, main, run_settings, show_progress


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


def test_steps_are_named_by_step_or_notebook_and_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "raw" / "2024").mkdir(parents=True)
    args = build_parser().parse_args(
        ["run", "--raw-dir", str(tmp_path / "raw"), "--steps", "features,03_model"]
    )
    settings = run_settings(args)
    assert settings is not None and settings.only_steps == ("features", "03_model")
    assert [step.name for step in settings.asked_steps()] == ["features", "model"]
    assert settings.kernel_name == "nhs-influence", "the project kernel by default"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--steps", "features,plots"])
    assert (
        "no pipeline step called 'plots' (the steps are ingest, features, model, report)"
        in capsys.readouterr().err
    )


def test_the_help_says_how_to_run_less_and_why_steps_re_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--help"])
    text = capsys.readouterr().out
    for needle in ("--steps STEP[,STEP]", "--dry-run", "re-run: src/features/volume.py changed"):
        assert needle in text


def test_a_dry_run_prints_the_plan_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for year in ("2023", "2024"):
        (tmp_path / "raw" / year).mkdir(parents=True)
        (tmp_path / "raw" / year / "nominations.csv").write_text("year,name\n")
    folders = ["--processed-dir", str(tmp_path / "processed")]
    folders += ["--reports-dir", str(tmp_path / "reports")]
    status = main(
        ["run", "--raw-dir", str(tmp_path / "raw"), *folders, "--years", "2024"]
        + ["--steps", "features", "--dry-run"]
    )
    assert status == 0
    assert capsys.readouterr().out.splitlines() == [
        "Dry run: nothing is run or written.",
        "2023 (for 2024's 02_features)",
        "  01_ingest     run (first run)",
        "  02_features   not asked",
        "  03_model      not asked",
        "  04_report     not asked",
        "2024",
        "  01_ingest     run (first run)",
        "  02_features   run (first run)",
        "  03_model      not asked",
        "  04_report     not asked",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"], "nothing written"
