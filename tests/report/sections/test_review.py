"""What the panel might look at again: reasons in words, read defensively."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src.report.sections.review import review_section
from tests.report.helpers import ESCAPED, full_outputs, make_report


def test_the_review_table_gives_reasons_in_words_and_sorts_by_score(tmp_path: Path) -> None:
    html = review_section(make_report(tmp_path))
    assert 'class="data review sortable"' in html and "<script" not in html and ESCAPED in html
    assert (
        "Selected, but ranked 5th of 6 by the evidence, outside the 2 places; even its best "
        "plausible rank (3rd) is outside them." in html
    )
    assert (
        "Not selected, yet ranked 1st of 6 by the evidence, inside the top 2; even its worst "
        "plausible rank (2nd) is inside the top 2." in html
    )
    assert '<td class="num screen-only" data-sort="0.05">0.05 (0.01 to 0.20)</td>' in html
    assert '<td class="num screen-only" data-sort="5.0">5 (3 to 6)</td>' in html
    assert "<td>Held back by engagement quality.</td>" in html, (
        "what carries them, in plain words from the contributions in nominees.parquet"
    )
    assert '<a href="#nominee-a">' + ESCAPED + "</a>" in html, "each name links to its card"
    assert "Of the 2 selected, the model places 1 within its own top 2 of 6" in html
    assert "a prompt to look again, not a finding that the panel erred" in html


def test_the_review_reads_columns_defensively(tmp_path: Path) -> None:
    review = pd.DataFrame(
        {
            "nominee_id": ["c"],
            "score": [0.8],
            "review": ["not selected, most backed by the evidence"],
            "extra": ["new"],
        }
    )
    html = review_section(make_report(tmp_path, full_outputs(review=review)))
    assert "Cal Missed" in html and "Not selected, most backed by the evidence." in html


def test_the_first_page_shortlist_gives_one_short_reason_each(tmp_path: Path) -> None:
    from src.report.sections.review import shortlist

    picks = shortlist(make_report(tmp_path))
    assert [reason for _, reason in picks] == [
        "selected, but the evidence ranks them 5th of 6 (at best 3rd), outside the 2 places; "
        "held back by engagement quality.",
        "not selected, yet the evidence ranks them 1st of 6 (at worst 2nd), inside the top 2; "
        "lifted by engagement quality and volume.",
    ]
    assert picks[0][0] == '<a href="#nominee-a">' + ESCAPED + "</a> (nurse)"
