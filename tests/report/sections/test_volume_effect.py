"""Volume once influence is held fixed: the partial-dependence chart and its words."""

from __future__ import annotations

from pathlib import Path

from src.report.outputs import ModelOutputs
from src.report.sections.volume_effect import volume_section
from tests.report.helpers import image_alt, make_report


def test_the_volume_effect_is_a_line_chart_with_words(tmp_path: Path) -> None:
    html = volume_section(make_report(tmp_path))
    assert '<section id="volume-effect">' in html
    alt = image_alt(html)
    assert alt.startswith(
        "Line chart of how selection odds change with volume once influence is held fixed"
    )
    assert "0.20 posts a day: 22%" in alt and "9.70 posts a day: 31%" in alt
    assert "How selection odds change with volume once influence is held fixed" in html


def test_a_missing_file_without_a_card_is_said_plainly(tmp_path: Path) -> None:
    html = volume_section(make_report(tmp_path, ModelOutputs()))
    assert "cannot be shown for 2014: the model step wrote no model card for this year." in html
