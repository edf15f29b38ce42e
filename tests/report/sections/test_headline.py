"""The title block and the page a panel member reads in five minutes: the answer in plain
words with a handful of explained numbers, what to look at again, what the data covered,
how sure we are; the comparison's figures as the card holds them, never recomputed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src.report.outputs import ModelOutputs
from src.report.sections.headline import summary_section, title_block
from tests.report.helpers import (
    ESCAPED,
    card,
    comparison_record,
    fake_report,
    fallen_back,
    full_outputs,
    make_report,
)


def test_the_first_page_answers_in_plain_words_with_explained_numbers(tmp_path: Path) -> None:
    html = summary_section(make_report(tmp_path))
    assert html.startswith('<section id="headline">') and '<p class="finding">' in html
    assert (
        "This year the panel&#x27;s picks follow what nominees&#x27; posts earned, not how much "
        "they posted." in html
    )
    # the card's AUCs (0.92 and 0.59) as times in 100, each explained where it stands
    assert (
        "ranks a selected nominee above an unselected one <strong>92 times in 100</strong>; "
        "judged on how much they post alone, <strong>59 times in 100</strong>, where a coin "
        "toss gets 50." in html
    )
    assert '<a class="term" href="#term-roc-auc">ROC AUC</a>: 0.92 and 0.59' in html
    for heading in (
        "What the evidence says",
        "What the panel might look at again",
        "What the data covered",
        "How sure we are",
    ):
        assert f"<h3>{heading}</h3>" in html
    assert (
        '<li><a href="#nominee-a">' + ESCAPED + "</a> (nurse): selected, but the evidence ranks "
        "them 5th of 6 (at best 3rd), outside the 2 places; held back by engagement quality.</li>"
    ) in html
    assert "6 nominees (2 selected by the panel) in 3 categories." in html
    assert "a 28-day observation window" in html or "28-day" in html
    assert (
        "Firm on the main answer: in all 15 tests on nominees the models had not learnt from"
        in html
    )
    assert "was 0.33 on average, and 95% of the tests lie between 0.21 and 0.45." in html
    assert "The data are simulated" in html
    assert '<nav class="contents" aria-label="Contents"><h2 id="contents">Contents</h2>' in html, (
        "the contents follow the five-minute page (on paper, a page of their own)"
    )
    assert "For the panel" in html and "The detail" in html
    assert "<script" not in html


def test_the_first_page_does_not_overclaim_when_the_paired_difference_spans_zero(
    tmp_path: Path,
) -> None:
    comparison = comparison_record(
        volume=(0.62, 0.45, 0.8), full=(0.70, 0.55, 0.85), difference=(0.08, -0.05, 0.2), better=0.8
    )
    outputs = full_outputs(card={**card(), "comparison": comparison})
    html = summary_section(make_report(tmp_path, outputs))
    assert "the evidence cannot tell whether the panel&#x27;s picks follow" in html
    assert "clearly better" not in html and "Firm on" not in html
    assert "Not firm: in 12 of 15 tests" in html and "a range that includes no difference" in html
    assert "<strong>70 times in 100</strong>" in html and "<strong>62 times in 100</strong>" in html


def test_the_first_page_falls_back_to_words_when_no_model_was_fitted(tmp_path: Path) -> None:
    html = summary_section(fallen_back(tmp_path))
    assert (
        "No model could be fitted for 2014: 2 selected and 4 not selected: too few to "
        "cross-validate" in html
    )
    assert "What could not be done this year" in html and "descriptive only" in html
    assert "The selected posted a median of" in html, "the descriptive medians still show"
    assert "No list this year" in html
    assert "<img" not in html and "Traceback" not in html and "times in 100" not in html


def test_the_first_page_gives_no_figures_when_the_model_step_wrote_nothing(
    tmp_path: Path,
) -> None:
    html = summary_section(make_report(tmp_path, ModelOutputs(), nominees=pd.DataFrame()))
    assert "No model could be fitted for 2014: no model outputs were found" in html
    assert "times in 100" not in html and "AUC" not in html


def test_the_first_page_reads_the_verdict_from_the_card_and_never_reconciles(
    tmp_path: Path,
) -> None:
    # The card's figures are shown as they are; the evaluation table is not consulted.
    record = comparison_record(
        volume=(0.61, 0.5, 0.7), full=(0.66, 0.6, 0.75), difference=(0.05, 0.01, 0.1)
    )
    outputs = full_outputs(card={**card(), "comparison": record})
    html = summary_section(make_report(tmp_path, outputs))
    assert record["verdict"] == "influence"
    assert "<strong>66 times in 100</strong>" in html and "<strong>61 times in 100</strong>" in html
    assert "59 times" not in html and "0.59" not in html
    older = full_outputs(card={key: v for key, v in card().items() if key != "comparison"})
    html = summary_section(make_report(tmp_path, older))
    assert "their comparison was not written, so no verdict is given" in html


def test_the_first_page_states_the_medians_of_both_groups(tmp_path: Path) -> None:
    html = summary_section(fake_report(tmp_path))
    assert (
        "The selected posted a median of 0.5 posts a day, the others 2.5; each own post of the "
        "selected earned a median of 16 reposts, replies and likes, the others&#x27; 1.6." in html
    )


def test_the_simulated_notice_shows_only_for_simulated_data(tmp_path: Path) -> None:
    assert "Simulated data" in title_block(fake_report(tmp_path, simulated=True))
    assert "Simulated data" not in title_block(fake_report(tmp_path, simulated=False))
    top = title_block(fake_report(tmp_path))
    assert '<p class="jump screen-only">Jump to: <a href="#review">' in top
