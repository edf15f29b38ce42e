"""Which families carry influence: importance by family and coefficients, with intervals."""

from __future__ import annotations

import re
from pathlib import Path

from src.report.sections.families import families_section
from tests.report.helpers import make_report


def test_families_show_importance_and_coefficients_with_intervals(tmp_path: Path) -> None:
    html = families_section(make_report(tmp_path))
    images = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"', html)
    assert len(images) == 2
    assert (
        images[0].startswith("Dot-and-interval chart of how much held-out ROC AUC")
        and "engagement quality (what each post earns): 0.26 (0.04 to 0.46)" in images[0]
    )
    assert "likes received per post +0.98 (+0.34 to +1.58)" in images[1]
    assert 'class="data coefficients sortable"' in html and 'data-sort="-1.28"' in html
    assert '<div class="screen-only"><div class="table-wrap"><table class="data coefficients' in (
        html
    ), "the full table of coefficients stays on screen; its chart is printed"
    assert (
        "The kind of evidence that matters most is engagement quality (what each post earns): "
        "shuffling it between nominees lowers the boosted model&#x27;s ROC AUC by 0.26 (95% range "
        "0.04 to 0.46)" in html
    )
    assert (
        "Single features whose bootstrap interval excludes zero: blog posts per month −1.28" in html
    )
