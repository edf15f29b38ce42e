"""The record of a year's report that the index reads."""

from __future__ import annotations

from pathlib import Path

from src.report.record import report_card
from tests.report.helpers import fake_report


def test_the_report_card_carries_the_comparison_for_the_index(tmp_path: Path) -> None:
    report = fake_report(tmp_path)
    card = report_card(report)
    assert card["comparison"] == report.outputs.comparison()
    assert card["verdict"] == report.outputs.comparison()["headline"]
    assert not [key for key in card if key.startswith("auc ")]
    fallen = report_card(fake_report(tmp_path, status="not enough picks"))
    assert fallen["verdict"] == "The panel selected 3 of 40 nominees; too few."
