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
        "Model score 0.90 (95% interval 0.80 to 0.95). carried up by engagement (+1.2)" in html
    ), "without family contributions, the model step's own words"
    assert "quiet expert" in html and "<dt>quiet expert</dt><dd>posts less than" in html
    assert 'class="data nominees sortable"' in html
    assert "<script" not in html


def test_cards_say_so_when_no_model_was_fitted(tmp_path: Path) -> None:
    report = fake_report(tmp_path, status="not enough picks")
    assert "No model explanation" in nominees_section(report)


def test_cards_say_what_lifts_a_nominee_in_plain_words_and_are_findable(tmp_path: Path) -> None:
    from tests.report.helpers import make_report

    html = nominees_section(make_report(tmp_path))
    assert "Model score 0.90 (95% interval 0.80 to 0.95). Lifted by engagement quality." in html
    assert 'id="nominee-b" data-search="Bea Selected doctor influential voice"' in html
    assert "ranked 1st of 6 by the evidence" in html


def test_a_capped_bar_is_labelled_with_its_ratio() -> None:
    from src.report.cards import _svg

    svg = _svg([("Posts", 100.0, 1.0), ("Likes", 0.01, 1.0), ("Replies", 2.0, 1.0)], "x")
    assert ">×100</text>" in svg and ">×0.01</text>" in svg and svg.count("</text>") == 2


def test_a_recurring_nominee_shows_how_they_moved() -> None:
    from src.report.cards import movement

    before = {"year": 2013, "selected": True, "rank": 12, "nominees": 40,
              "engagement_per_own_post": 4.0}  # fmt: skip
    text = movement({"rank": 5, "engagement_per_own_post": 6.5}, before)
    assert text == (
        "Also on the 2013 list (selected, ranked 12th of 40 by the evidence); this year 5th: up "
        "7 places on the evidence; engagement per own post 4.00 then, 6.50 now."
    )
    assert movement({"rank": 5}, None) is None
