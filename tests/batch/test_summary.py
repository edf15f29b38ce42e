"""The summary the command prints for people."""

from __future__ import annotations

import io
from pathlib import Path

from src.batch.summary import StepResult, YearResult, print_summary


def test_the_summary_says_what_ran_what_was_skipped_and_what_failed() -> None:
    ok = YearResult(
        year=2023,
        steps=[
            StepResult("01_ingest", "skipped", 0.0, "a"),
            StepResult("02_features", "ok", 2.5, "b"),
        ],
        report="reports/2023/index.html",
        pdf="reports/2023/report.pdf",
        warnings=["PDF fonts missing"],
    )
    failed = YearResult(year=2024, error="01_ingest failed: InputError: bad line")
    stream = io.StringIO()
    print_summary([ok, failed], Path("reports"), stream=stream)
    assert stream.getvalue().splitlines() == [
        "",
        "Summary",
        "  2023: ok in 2.5 s (1 of 2 steps skipped: unchanged) -> reports/2023/index.html"
        " and reports/2023/report.pdf",
        "  2023: warning: PDF fonts missing",
        "  2024: FAILED (01_ingest failed: InputError: bad line)",
        "1 of 2 year(s) failed: 2024",
        "Index: reports/index.html",
    ]


def test_a_year_run_for_another_says_so_and_names_the_steps_not_asked() -> None:
    needed = YearResult(
        year=2023,
        steps=[
            StepResult("01_ingest", "skipped", 0.0, "a"),
            StepResult("02_features", "ok", 4.0, "b"),
        ],
        needed_by=["2024's 03_model"],
        not_asked=["03_model", "04_report"],
        warnings=["02_features: FutureWarning: the default will change (pandas/x.py:1)"],
    )
    stream = io.StringIO()
    print_summary([needed], Path("reports"), stream=stream)
    assert stream.getvalue().splitlines()[2:4] == [
        "  2023: ok in 4.0 s (1 of 2 steps skipped: unchanged); for 2024's 03_model;"
        " not asked: 03_model, 04_report",
        "  2023: warning: 02_features: FutureWarning: the default will change (pandas/x.py:1)",
    ]
