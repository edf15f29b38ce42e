"""Consistency across categories, without overclaiming."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src.report.sections.categories import categories_section
from tests.report.helpers import full_outputs, image_alt, make_report


def test_categories_compare_selections_with_expectations_without_overclaiming(
    tmp_path: Path,
) -> None:
    html = categories_section(make_report(tmp_path))
    assert "the panel made 2 picks where the model expects 2.0" in html
    assert (
        "Picked more often than their evidence predicts (whole interval above 1): doctor (2.00, "
        "1.20 to 30.00)" in html
    )
    assert "a question for the panel, not proof of bias" in html
    alt = image_alt(html)
    assert (
        alt.startswith("Dot-and-interval chart of selected ÷ expected by category in 2014")
        and "doctor (1 of 2): 2.00 (1.20 to 30.00)" in alt
    )
    assert "Categories with fewer than 15 nominees" in html


def test_categories_with_every_interval_around_one_say_so(tmp_path: Path) -> None:
    categories = pd.DataFrame(
        {
            "category": ["nurse", "doctor"],
            "nominees": [30, 30],
            "selected": [5, 5],
            "expected": [5.0, 5.0],
            "ratio": [1.0, 1.0],
            "ratio_low": [0.5, 0.6],
            "ratio_high": [1.6, 1.5],
        }
    )
    html = categories_section(make_report(tmp_path, full_outputs(categories=categories)))
    assert (
        "no category was picked clearly more or less often" in html
        and "not proof of even-handedness" in html
    )
