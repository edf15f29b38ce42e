"""The models compared: the model step's validation table and the card's answer."""

from __future__ import annotations

from pathlib import Path

from src.model.names import ModelName
from src.report.sections.models import models_section
from tests.report.helpers import fake_report, make_report


def test_the_models_section_shows_the_model_steps_validation(tmp_path: Path) -> None:
    html = models_section(make_report(tmp_path))
    assert 'id="validation"' in html and "0.92 (0.90 to 0.96)" in html and "Brier score" in html
    assert "0.920" not in html, "an AUC is printed as every page prints it: two decimals"
    assert "volume-only model scores 0.59 (95% of folds between 0.49 and 0.69)" in html
    assert html.count("<table") == 1, "one table of the models compared"
    assert "Within this year only" not in html
    assert ModelName.REACH_ONLY.description in html
    assert "the full influence model explains them clearly better than volume alone" in html


def test_the_model_section_falls_back_to_words_when_no_model_was_fitted(tmp_path: Path) -> None:
    report = fake_report(tmp_path, status="not enough picks")
    html = models_section(report)
    assert "too few" in html and "<table" not in html
