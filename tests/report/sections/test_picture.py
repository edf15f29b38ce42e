"""The picture of volume against engagement."""

from __future__ import annotations

from pathlib import Path

from src.report.sections.picture import picture_section
from tests.report.helpers import fake_report, image_alt


def test_the_picture_describes_both_groups_and_says_who_is_not_shown(tmp_path: Path) -> None:
    html = picture_section(fake_report(tmp_path))
    assert html.startswith(
        '<section id="picture"><h2>How much nominees posted, against what their posts earned</h2>'
    )
    alt = image_alt(html)
    # the third nominee has no engagement rates: two of three are plotted
    assert alt.startswith("Scatter plot of 2 nominees in 2014")
    assert "Selected nominees (diamonds) have a median of 0.50 posts per day" in alt
    assert "1 nominee(s) with no posts, or no engagement on their own posts, cannot be" in html
