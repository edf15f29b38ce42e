"""Evidence cards: one per nominee, figures against the median, the model's words."""

from __future__ import annotations

from pathlib import Path

from src.report.sections.nominees import nominees_section
from tests.report.helpers import fake_report


def test_every_nominee_gets_an_evidence_card_against_the_median(tmp_path: Path) -> None:
    html = nominees_section(fake_report(tmp_path))
    assert (
        html.count('<article class="card') == 3
        and html.count('<article class="card selected"') == 1
    )
    assert html.count("<svg") == 3 and 'role="img" aria-label="' in html
    # posts per day 0.5, 4.0, 1.0: the median is 1.00, the first nominee has half of it
    assert "×0.5 the median" in html and "×4.0 the median" in html
    assert (
        "Quiet expert. Influence model score 0.90 (95% interval 0.80 to 0.95); carried up by "
        "engagement (+1.2)" in html
    )
    assert 'class="data nominees sortable"' in html
    assert "<script" not in html


def test_cards_say_so_when_no_model_was_fitted(tmp_path: Path) -> None:
    report = fake_report(tmp_path, status="not enough picks")
    assert "No model explanation" in nominees_section(report)
