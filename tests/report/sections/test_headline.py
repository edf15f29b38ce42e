"""The title block and the one-page summary: the verdict as the card words it, with its numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src.report.outputs import ModelOutputs
from src.report.sections.headline import summary_section, title_block
from tests.report.helpers import (
    card,
    comparison_record,
    fake_report,
    fallen_back,
    full_outputs,
    make_report,
)


def test_the_summary_says_what_distinguished_the_picks_with_numbers(tmp_path: Path) -> None:
    html = summary_section(make_report(tmp_path))
    assert html.startswith('<section id="headline">') and '<p class="finding">' in html
    assert "the full influence model explains them clearly better than volume alone" in html
    assert "volume-only model scores 0.59 (95% of folds between 0.49 and 0.69)" in html
    assert "scores 0.92 (95% of folds between 0.90 and 0.96)" in html
    assert (
        "engagement quality (what each post earns): shuffling it costs the boosted model 0.260 of "
        "held-out ROC AUC (95% range 0.040 to 0.460)" in html
    )
    assert "Only engagement quality is clearly above zero" in html
    assert (
        "from 22% to 31%" in html
        and "this data cannot tell whether volume helps or hinders" in html
    )
    assert "blog posts per month −1.28 (−1.71 to −0.71), more of it, worse odds" in html
    # 2 selected: b ranks 1st (interval 1-2, clearly backed), a ranks 5th (interval 3-6,
    # clearly not)
    assert (
        "Of the 2 selected, the model places 1 within its own top 2 of 6 (the evidence backs them) "
        "and 1 outside it" in html
    )
    assert (
        "1 stay in the top 2 across their whole rank interval, and 1 stay outside it even at the "
        "optimistic end" in html
    )
    assert "influential voice 1 of 2" in html and "broadcaster or automated feed 0 of 1" in html
    assert "2 of 6 nominees were selected" in html
    assert "<script" not in html and "&lt;script&gt;" in html  # an archetype name is untrusted too


def test_the_summary_does_not_overclaim_when_the_paired_difference_spans_zero(
    tmp_path: Path,
) -> None:
    comparison = comparison_record(
        volume=(0.62, 0.45, 0.8), full=(0.70, 0.55, 0.85), difference=(0.08, -0.05, 0.2), better=0.8
    )
    outputs = full_outputs(card={**card(), "comparison": comparison})
    html = summary_section(make_report(tmp_path, outputs))
    assert "not clear-cut" in html and "clearly better" not in html
    assert "volume-only model scores 0.62 (95% of folds between 0.45 and 0.80)" in html


def test_the_summary_falls_back_to_words_when_no_model_was_fitted(tmp_path: Path) -> None:
    html = summary_section(fallen_back(tmp_path))
    assert (
        "No model could be fitted for 2014: 2 selected and 4 not selected: too few to "
        "cross-validate" in html
    )
    assert "What could not be done this year" in html and "descriptive only" in html
    assert "2 of 6 nominees were selected" in html, "the descriptive medians still show"
    assert "<img" not in html and "Traceback" not in html


def test_the_summary_gives_no_figures_when_the_model_step_wrote_nothing(tmp_path: Path) -> None:
    html = summary_section(make_report(tmp_path, ModelOutputs(), nominees=pd.DataFrame()))
    assert "No model could be fitted for 2014: no model outputs were found" in html
    assert "model scores" not in html and "ROC AUC" not in html


def test_the_summary_reads_the_verdict_from_the_card_and_never_reconciles(tmp_path: Path) -> None:
    # The card's sentences are shown as they are; the evaluation table is not consulted.
    record = comparison_record(
        volume=(0.61, 0.5, 0.7), full=(0.66, 0.6, 0.75), difference=(0.05, 0.01, 0.1)
    )
    outputs = full_outputs(card={**card(), "comparison": record})
    html = summary_section(make_report(tmp_path, outputs))
    assert record["verdict"] == "influence"
    assert '<p class="finding">' + record["sentence"].replace("'", "&#x27;") in html
    assert "volume-only model scores 0.61" in html and "0.59" not in html
    older = full_outputs(card={key: v for key, v in card().items() if key != "comparison"})
    html = summary_section(make_report(tmp_path, older))
    assert "their comparison was not written, so no verdict is given" in html


def test_headline_states_the_medians_of_both_groups(tmp_path: Path) -> None:
    html = summary_section(fake_report(tmp_path))
    assert "1 of 3 nominees were selected" in html
    assert "a median of 0.50 posts a day against 2.50 for the others" in html


def test_the_simulated_notice_shows_only_for_simulated_data(tmp_path: Path) -> None:
    assert "Simulated data" in title_block(fake_report(tmp_path, simulated=True))
    assert "Simulated data" not in title_block(fake_report(tmp_path, simulated=False))
