"""The nominees table: order, decisions, followers and the same score as the cards."""

from __future__ import annotations

from pathlib import Path

from src.report.sections.nominees import nominee_frame, nominees_section
from tests.report.helpers import fake_report, fallen_back, make_report


def test_nominees_are_listed_selected_first_with_rank_and_whole_followers(tmp_path: Path) -> None:
    html = nominees_section(fake_report(tmp_path))
    assert html.index("selected (rank 1)") < html.index("Plain Name") < html.index("Third")
    # followers come back from log10(1 + followers) = 3.0 as the whole number 999
    assert '<td class="num" data-sort="999.0">999</td>' in html and "999.00" not in html


def test_the_nominee_table_shows_the_same_score_as_the_cards(tmp_path: Path) -> None:
    report = make_report(tmp_path)
    frame = nominee_frame(report).set_index("nominee_id")
    assert frame.loc["b", "score"] == 0.9 and frame.loc["a", "score"] == 0.05, (
        "the influence model's score, as on the cards"
    )
    assert "the same score as on the evidence cards" in nominees_section(report)
    fallback = nominee_frame(fallen_back(tmp_path)).set_index("nominee_id")
    assert fallback["score"].isna().all(), "without an influence model, no score"
    assert "could not be fitted this year" in nominees_section(fallen_back(tmp_path))
