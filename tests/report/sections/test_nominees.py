"""The nominees table: order, decisions, followers and the same score as the cards."""

from __future__ import annotations

from pathlib import Path

from src.report.sections.nominees import nominee_frame, nominees_section
from tests.report.helpers import fake_report, fallen_back, make_report


def test_nominees_are_listed_by_the_evidence_with_rank_and_whole_followers(tmp_path: Path) -> None:
    html = nominees_section(make_report(tmp_path))
    table = html[html.index('<table class="data nominees') : html.index("</table>")]
    # model ranks: b 1st, c 2nd, f 3rd, d 4th, a 5th, e 6th
    order = [table.index(f'href="#nominee-{i}"') for i in "bcfdae"]
    assert order == sorted(order)
    assert "selected (panel&#x27;s 2nd)" in table and "1 (1 to 2)" in table
    html = nominees_section(fake_report(tmp_path))
    # followers come back from log10(1 + followers) = 3.0 as the whole number 999
    assert '<td class="num screen-only" data-sort="999.0">999</td>' in html
    assert "999.00" not in html


def test_the_nominee_table_shows_the_same_score_as_the_cards(tmp_path: Path) -> None:
    report = make_report(tmp_path)
    frame = nominee_frame(report).set_index("nominee_id")
    assert frame.loc["b", "score"] == 0.9 and frame.loc["a", "score"] == 0.05, (
        "the influence model's score, as on the cards"
    )
    assert "the same as on the evidence cards" in nominees_section(report)
    fallback = nominee_frame(fallen_back(tmp_path)).set_index("nominee_id")
    assert fallback["score"].isna().all(), "without an influence model, no score"
    assert "could not be fitted this year" in nominees_section(fallen_back(tmp_path))


def test_every_row_links_to_its_card_and_the_finder_filters_both(tmp_path: Path) -> None:
    html = nominees_section(make_report(tmp_path))
    for nominee in "abcdef":
        assert html.count(f'href="#nominee-{nominee}"') == 1
        assert html.count(f'id="nominee-{nominee}"') == 1
    assert 'data-filter="#cards article.card, table.nominees tbody tr"' in html
    assert '<p class="finder screen-only" hidden>' in html, "shown by the page script only"
    assert '<th scope="col" class="screen-only">Followers</th>' in html, "left off paper"
