"""The report sections built from the model step's outputs.

Tiny hand-made model outputs: each section's content and numbers, escaping of untrusted
names, the fallback wording when an output is missing or the model card says the step
fell back, and that accounts that are not nominees are never named.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from src.features.dictionary import feature_dictionary
from src.model.names import BASELINE, FULL, ModelName
from src.params import year_run
from src.report import sections, yearly
from src.report.figures import figure_html, interval_chart, network_chart
from src.report.html import table
from src.report.network import layout, nominee_network
from src.report.outputs import ModelOutputs, read_model_outputs
from src.report.render import SORT_SCRIPT, write_index
from tests.report.helpers import comparison_record

HOSTILE = '<script>alert("x")</script> & "friends"'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;friends&quot;"
IDS = ["a", "b", "c", "d", "e", "f"]
SELECTED = [True, True, False, False, False, False]


def features() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nominee_id": IDS,
            "year": 2014,
            "name": [
                HOSTILE,
                "Bea Selected",
                "Cal Missed",
                "Dee Quiet",
                "Eve Busy",
                "Fin Costs $5 and $x^",
            ],
            "category": ["nurse", "doctor", "nurse", "doctor", "other", "nurse"],
            "selected": SELECTED,
            "rank": pd.array([1, 2, None, None, None, None], dtype="Int64"),
            "observation_days": 28,
            "posts_per_day": [0.5, 1.0, 2.0, 0.2, 9.0, 1.5],
            "amplification_rate": [4.0, 2.0, 3.0, 0.1, 0.1, 0.5],
            "conversation_rate": [2.0, 1.0, 1.0, 0.1, 0.0, 0.5],
            "applause_rate": [10.0, 5.0, 8.0, 0.5, 0.2, 1.0],
            "log10_followers": [3.0, 2.5, 2.0, 1.0, 4.0, np.nan],
        }
    )


def card(status: str = "ok", notes: list[str] | None = None) -> dict:
    validation = {
        "status": status,
        "message": "2 repeats of 3-fold cross-validation grouped by person, on 12 nominee-years "
        "(4 selected).",
    }
    comparison = comparison_record(
        volume=(0.59, 0.49, 0.69),
        full=(0.92, 0.90, 0.96),
        difference=(0.33, 0.21, 0.45),
        others={str(ModelName.REACH_ONLY): (0.8, 0.7, 0.9)},
    )
    if status != "ok":
        validation["message"] = (
            "2 selected and 4 not selected: too few to cross-validate (at least 5 of each are "
            "needed)."
        )
        comparison = {
            "status": status,
            "baseline": str(BASELINE),
            "full": str(FULL),
            "verdict": None,
            "sentence": validation["message"],
            "numbers": None,
        }
    return {
        "year": 2014,
        "comparison": comparison,
        "validation": validation,
        "notes": notes or [],
        "scores_from": "a model trained on 2013 and applied to 2014",
        "limits": ["The label is one panel's decision."],
    }


def full_outputs(**overrides) -> ModelOutputs:
    tables = dict(
        card=card(),
        evaluation=pd.DataFrame(
            {
                "model": [BASELINE, ModelName.REACH_ONLY, FULL, BASELINE],
                "metric": ["auc", "auc", "auc", "brier"],
                "mean": [0.59, 0.8, 0.92, 0.18],
                "low": [0.49, 0.7, 0.90, 0.17],
                "high": [0.69, 0.9, 0.96, 0.19],
            }
        ),
        coefficients=pd.DataFrame(
            {
                "feature": ["applause_rate", "posts_per_day", "blog_posts_per_month"],
                "family": ["engagement", "volume", "volume"],
                "coefficient": [0.98, 0.41, -1.28],
                "low": [0.34, -0.35, -1.71],
                "high": [1.58, 0.76, -0.71],
                "new_column": 1,
            }
        ),
        importance=pd.DataFrame(
            {
                "family": ["engagement", "volume", "network"],
                "mean": [0.26, 0.03, 0.0],
                "low": [0.04, -0.01, -0.01],
                "high": [0.46, 0.06, 0.01],
            }
        ),
        volume_effect=pd.DataFrame(
            {"posts_per_day": [0.2, 1.0, 9.7], "probability": [0.22, 0.25, 0.31]}
        ),
        review=pd.DataFrame(
            {
                "nominee_id": ["a", "c"],
                "name": [HOSTILE, "Cal Missed"],
                "category": ["nurse", "nurse"],
                "selected": [True, False],
                "score": [0.05, 0.8],
                "score_low": [0.01, 0.6],
                "score_high": [0.2, 0.95],
                "rank": [5, 1],
                "rank_low": [3, 1],
                "rank_high": [6, 2],
                "review": [
                    "selected, least backed by the evidence",
                    "not selected, most backed by the evidence",
                ],
            }
        ),
        categories=pd.DataFrame(
            {
                "category": ["nurse", "doctor", "other"],
                "nominees": [3, 2, 1],
                "selected": [1, 1, 0],
                "expected": [1.2, 0.5, 0.3],
                "ratio": [0.83, 2.0, 0.0],
                "ratio_low": [0.2, 1.2, 0.0],
                "ratio_high": [2.5, 30.0, 0.0],
            }
        ),
    )
    tables.update(overrides)
    return ModelOutputs(**tables)


def model_nominees() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nominee_id": IDS,
            "selected": SELECTED,
            "score": [0.05, 0.9, 0.8, 0.1, 0.02, 0.3],
            "score_low": [0.01, 0.8, 0.6, 0.0, 0.0, 0.1],
            "score_high": [0.2, 0.95, 0.95, 0.2, 0.1, 0.5],
            "rank": [5, 1, 2, 4, 6, 3],
            "rank_low": [3, 1, 1, 2, 5, 2],
            "rank_high": [6, 2, 3, 5, 6, 5],
            "archetype": [
                "quiet expert",
                "influential voice",
                "influential voice",
                "quiet expert",
                "broadcaster or automated feed",
                HOSTILE,
            ],
            "explanation": [
                "held back by engagement (-0.9) (log-odds of selection).",
                "carried up by engagement (+1.2) (log-odds of selection).",
                "carried up by engagement (+1.0) (log-odds of selection).",
                "close to the average nominee on every family (log-odds of selection).",
                "held back by volume (-1.0) (log-odds of selection).",
                "close to the average nominee on every family (log-odds of selection).",
            ],
        }
    )


def network_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    accounts = pd.DataFrame(
        {
            "account_id": [f"x:{i}" for i in IDS]
            + ["mastodon:a2"]
            + [f"anon:{k:04d}" for k in range(8)],
            "is_nominee": [True] * 7 + [False] * 8,
            "nominee_id": IDS + ["a"] + [None] * 8,
        }
    )
    rows = [
        ("x:b", "x:a", "reply"),
        ("x:b", "mastodon:a2", "mention"),
        ("x:c", "x:a", "repost"),
        ("x:a", "x:b", "reply"),
        ("x:d", "x:e", "mention"),
        ("x:f", "x:c", "quote"),
        ("x:a", "mastodon:a2", "mention"),
    ]  # the last: a nominee's own accounts, dropped
    rows += [(f"anon:{k:04d}", "x:a", "reply") for k in range(8)] + [
        (f"anon:{k:04d}", "x:e", "repost") for k in range(4, 8)
    ]
    rows += [("anon:0000", "anon:0001", "reply"), ("anon:0004", "anon:0005", "reply")]
    interactions = pd.DataFrame(rows, columns=["source_account_id", "target_account_id", "kind"])
    interactions["post_id"] = [f"p{i}" for i in range(len(interactions))]
    return interactions, accounts


def make_report(
    tmp_path: Path,
    outputs: ModelOutputs | None = None,
    *,
    nominees: pd.DataFrame | None = None,
    network: bool = True,
) -> yearly.YearReport:
    interactions, accounts = network_tables() if network else (None, None)
    return yearly.YearReport(
        run=year_run(2014, tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"),
        features=features(),
        ingest={"simulated": True},
        dictionary=feature_dictionary(),
        model_nominees=model_nominees() if nominees is None else nominees,
        outputs=full_outputs() if outputs is None else outputs,
        interactions=interactions,
        accounts=accounts,
    )


def fallen_back(tmp_path: Path) -> yearly.YearReport:
    """A year where the model step could not fit: a card saying why, and nothing else."""
    outputs = ModelOutputs(
        card=card(
            "not enough picks",
            notes=[
                "2 selected and 4 not selected: too few. No model-based explanation is given this "
                "year."
            ],
        )
    )
    return make_report(tmp_path, outputs, nominees=pd.DataFrame(), network=False)


NEW_SECTIONS = (
    sections.summary_section,
    sections.families_section,
    sections.volume_section,
    sections.review_section,
    sections.categories_section,
    sections.network_section,
)


# --- the summary ------------------------------------------------------------------------------


def test_the_summary_says_what_distinguished_the_picks_with_numbers(tmp_path: Path) -> None:
    html = sections.summary_section(make_report(tmp_path))
    assert html.startswith('<section id="headline">') and '<p class="finding">' in html
    assert "the full influence model explains them clearly better than volume alone" in html
    assert "volume-only model scores 0.59 (95% of folds between 0.49 and 0.69)" in html
    assert "scores 0.92 (95% of folds between 0.90 and 0.96)" in html
    assert (
        "engagement quality (what each post earns): shuffling it costs the boosted model 0.260 of held-out ROC AUC (95% range 0.040 to 0.460)"
        in html
    )
    assert "Only engagement quality is clearly above zero" in html
    assert (
        "from 22% to 31%" in html
        and "this data cannot tell whether volume helps or hinders" in html
    )
    assert "blog posts per month −1.28 (−1.71 to −0.71), more of it, worse odds" in html
    # 2 selected: b ranks 1st (interval 1-2, clearly backed), a ranks 5th (interval 3-6, clearly not)
    assert (
        "Of the 2 selected, the model places 1 within its own top 2 of 6 (the evidence backs them) and 1 outside it"
        in html
    )
    assert (
        "1 stay in the top 2 across their whole rank interval, and 1 stay outside it even at the optimistic end"
        in html
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
    html = sections.summary_section(make_report(tmp_path, outputs))
    assert "not clear-cut" in html and "clearly better" not in html
    assert "volume-only model scores 0.62 (95% of folds between 0.45 and 0.80)" in html


def test_the_summary_falls_back_to_words_when_no_model_was_fitted(tmp_path: Path) -> None:
    html = sections.summary_section(fallen_back(tmp_path))
    assert (
        "No model could be fitted for 2014: 2 selected and 4 not selected: too few to "
        "cross-validate" in html
    )
    assert "What could not be done this year" in html and "descriptive only" in html
    assert "2 of 6 nominees were selected" in html, "the descriptive medians still show"
    assert "<img" not in html and "Traceback" not in html


def test_the_summary_gives_no_figures_when_the_model_step_wrote_nothing(tmp_path: Path) -> None:
    html = sections.summary_section(make_report(tmp_path, ModelOutputs(), nominees=pd.DataFrame()))
    assert "No model could be fitted for 2014: no model outputs were found" in html
    assert "model scores" not in html and "ROC AUC" not in html


def test_the_summary_reads_the_verdict_from_the_card_and_never_reconciles(tmp_path: Path) -> None:
    # The card's sentences are shown as they are; the evaluation table is not consulted.
    record = comparison_record(
        volume=(0.61, 0.5, 0.7), full=(0.66, 0.6, 0.75), difference=(0.05, 0.01, 0.1)
    )
    outputs = full_outputs(card={**card(), "comparison": record})
    html = sections.summary_section(make_report(tmp_path, outputs))
    assert record["verdict"] == "influence"
    assert '<p class="finding">' + record["sentence"].replace("'", "&#x27;") in html
    assert "volume-only model scores 0.61" in html and "0.59" not in html
    older = full_outputs(card={key: v for key, v in card().items() if key != "comparison"})
    html = sections.summary_section(make_report(tmp_path, older))
    assert "their comparison was not written, so no verdict is given" in html


# --- families and volume -------------------------------------------------------------------------


def test_families_show_importance_and_coefficients_with_intervals(tmp_path: Path) -> None:
    html = sections.families_section(make_report(tmp_path))
    images = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"', html)
    assert len(images) == 2
    assert (
        images[0].startswith("Dot-and-interval chart of how much held-out ROC AUC")
        and "engagement quality (what each post earns): 0.260 (0.040 to 0.460)" in images[0]
    )
    assert "likes received per post +0.98 (+0.34 to +1.58)" in images[1]
    assert 'class="data coefficients sortable"' in html and 'data-sort="-1.28"' in html
    assert (
        "Single features whose bootstrap interval excludes zero: blog posts per month −1.28" in html
    )


def test_the_volume_effect_is_a_line_chart_with_words(tmp_path: Path) -> None:
    html = sections.volume_section(make_report(tmp_path))
    assert '<section id="volume-effect">' in html
    alt = re.search(r'alt="([^"]+)"', html).group(1)
    assert alt.startswith(
        "Line chart of how selection odds change with volume once influence is held fixed"
    )
    assert "0.20 posts a day: 22%" in alt and "9.70 posts a day: 31%" in alt
    assert "How selection odds change with volume once influence is held fixed" in html


@pytest.mark.parametrize("builder", NEW_SECTIONS[1:5], ids=lambda f: f.__name__)
def test_sections_say_why_when_the_model_step_fell_back(tmp_path: Path, builder) -> None:
    html = builder(fallen_back(tmp_path))
    assert (
        "cannot be shown for 2014: 2 selected and 4 not selected: too few to cross-validate" in html
    )
    assert "<img" not in html and "<table" not in html


def test_a_missing_file_without_a_card_is_said_plainly(tmp_path: Path) -> None:
    html = sections.volume_section(make_report(tmp_path, ModelOutputs()))
    assert "cannot be shown for 2014: the model step wrote no model card for this year." in html


# --- what the panel might look at again ------------------------------------------------------------


def test_the_review_table_gives_reasons_in_words_and_sorts_by_score(tmp_path: Path) -> None:
    html = sections.review_section(make_report(tmp_path))
    assert 'class="data review sortable"' in html and "<script" not in html and ESCAPED in html
    assert (
        "Selected, but ranked 5th of 6 by the evidence, outside the 2 places; even its best plausible rank (3rd) is outside them."
        in html
    )
    assert (
        "Not selected, yet ranked 1st of 6 by the evidence, inside the top 2; even its worst plausible rank (2nd) is inside the top 2."
        in html
    )
    assert '<td class="num" data-sort="0.05">0.05 (0.01 to 0.20)</td>' in html
    assert '<td class="num" data-sort="5.0">5 (3 to 6)</td>' in html
    assert "held back by engagement (-0.9)" in html, (
        "the model's explanation is joined from nominees.parquet"
    )
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
    html = sections.review_section(make_report(tmp_path, full_outputs(review=review)))
    assert "Cal Missed" in html and "Not selected, most backed by the evidence." in html


# --- categories -----------------------------------------------------------------------------------


def test_categories_compare_selections_with_expectations_without_overclaiming(
    tmp_path: Path,
) -> None:
    html = sections.categories_section(make_report(tmp_path))
    assert "the panel made 2 picks where the model expects 2.0" in html
    assert (
        "Picked more often than their evidence predicts (whole interval above 1): doctor (2.00, 1.20 to 30.00)"
        in html
    )
    assert "a question for the panel, not proof of bias" in html
    alt = re.search(r'alt="([^"]+)"', html).group(1)
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
    html = sections.categories_section(make_report(tmp_path, full_outputs(categories=categories)))
    assert (
        "no category was picked clearly more or less often" in html
        and "not proof of even-handedness" in html
    )


# --- the network ---------------------------------------------------------------------------------------


def test_the_nominee_network_counts_links_and_communities() -> None:
    interactions, accounts = network_tables()
    network = nominee_network(features(), interactions, accounts)
    assert network is not None
    frame = network.nominees.set_index("nominee_id")
    # a receives from b (reply + mention to her second account), c, and the 8 pseudonymised accounts
    assert (
        frame.loc["a", "received"] == 11
        and frame.loc["a", "received_from_nominees"] == 3
        and frame.loc["a", "engagers"] == 10
    )
    links = network.links.set_index(["source", "target"])
    assert (
        links.loc[("b", "a"), "interactions"] == 2
        and links.loc[("b", "a"), "kinds"] == "1 mention, 1 reply"
    )
    assert ("a", "a") not in links.index, "links between one nominee's own accounts are dropped"
    assert network.other_accounts == 8
    placed = layout(network)
    assert (
        set(placed["nominee_id"]) == {"a", "b", "c", "d", "e", "f"}
        and placed[["x", "y"]].notna().all().all()
    )


def test_the_network_section_names_nominees_only(tmp_path: Path) -> None:
    html = sections.network_section(make_report(tmp_path))
    assert '<section id="network">' in html and "anon:" not in html
    assert ESCAPED in html and "<script" not in html
    assert (
        'id="strongest-links"' in html
        and 'id="across-communities"' in html
        and 'id="communities"' in html
    )
    alt = re.search(r'<img[^>]*alt="([^"]+)"', html).group(1)
    assert (
        alt.startswith("Network diagram of the 6 nominees")
        and "selected nominees (2 shown) are diamonds" in alt
    )
    assert "8 of the accounts are not nominees: they are counted here but never named" in html
    assert "1 mention, 1 reply" in html


def test_the_network_section_says_so_when_there_are_no_interactions(tmp_path: Path) -> None:
    html = sections.network_section(make_report(tmp_path, network=False))
    assert "No network can be drawn for 2014" in html and "<img" not in html


# --- the page as a whole, and the index ------------------------------------------------------------------


def test_every_new_section_escapes_untrusted_text_and_has_alt_text(tmp_path: Path) -> None:
    report = make_report(tmp_path)
    page = (
        "".join(builder(report) for builder in NEW_SECTIONS)
        + yearly.models_section(report)
        + yearly.appendix_section(report)
    )
    assert "<script" not in page and ESCAPED in page
    for image in re.findall(r"<img[^>]*>", page):
        assert re.search(r'alt="[^"]{40,}"', image), image[:120]
    ids = re.findall(r'<section id="([^"]+)"', page)
    assert ids == [
        "headline",
        "families",
        "volume-effect",
        "review",
        "categories",
        "network",
        "models",
        "appendix",
    ]
    assert {anchor for anchor, _ in yearly.CONTENTS} >= set(ids)


def test_the_models_section_shows_the_model_steps_validation(tmp_path: Path) -> None:
    html = yearly.models_section(make_report(tmp_path))
    assert 'id="validation"' in html and "0.920 (0.900 to 0.960)" in html and "Brier score" in html
    assert html.count("<table") == 1, "one table of the models compared"
    assert "Within this year only" not in html
    assert ModelName.REACH_ONLY.description in html
    assert "the full influence model explains them clearly better than volume alone" in html


def test_figure_labels_with_dollar_signs_are_plain_text() -> None:
    html = figure_html(
        interval_chart(
            ["Fin Costs $5 and $x^", "\\frac{"], [1, 2], [0, 1], [2, 3], xlabel="x", title="t"
        ),
        "alt text",
    )
    assert html.startswith("<figure><img")


def test_the_report_card_and_index_show_the_archetype_mix(tmp_path: Path) -> None:
    report = make_report(tmp_path)
    record = yearly.report_card(report)
    assert record["archetypes"]["influential voice"] == {"nominees": 2, "selected": 1}
    for year in (2013, 2014):
        folder = tmp_path / "reports" / str(year)
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("<p>x</p>")
        (folder / "report.json").write_text(
            json.dumps({**record, "year": year, "page": "index.html"})
        )
    index = write_index(tmp_path / "reports").read_text(encoding="utf-8")
    assert 'id="archetype-mix"' in index and 'class="data archetypes sortable"' in index
    assert (
        "2014: most often selected, influential voice (1 of 2); least often, broadcaster or automated feed (0 of 1)"
        in index
    )
    assert re.search(
        r'<svg class="chart" role="img" aria-label="Stacked bar chart of the archetype mix per year[^"]+"',
        index,
    )
    assert (
        ESCAPED in index
        and index.lower().count("<script") == 1
        and f"<script>{SORT_SCRIPT}</script>" in index
    )


def test_model_outputs_are_read_defensively(tmp_path: Path) -> None:
    assert read_model_outputs(tmp_path / "nowhere").card == {}
    model = tmp_path / "model"
    model.mkdir()
    (model / "card.json").write_text(json.dumps(card("ok", notes=["No earlier year to train on."])))
    (model / "importance.csv").write_text("family,mean\nengagement,0.2\n")
    (model / "review.csv").write_bytes(b"\xff\xfe\x00garbage")
    outputs = read_model_outputs(model)
    assert outputs.fitted and outputs.notes() == ["No earlier year to train on."]
    assert outputs.importance is not None and outputs.evaluation is None
    assert outputs.review is None and any(
        "review.csv could not be read" in p for p in outputs.problems
    )


def test_sort_values_put_the_number_behind_a_text_cell() -> None:
    html = table(
        pd.DataFrame({"shown": ["0.42 (0.30 to 0.55)", "x"], "value": [0.42, np.nan]}),
        [("shown", "Score")],
        sort_values={"shown": "value"},
    )
    assert (
        '<td class="num" data-sort="0.42">0.42 (0.30 to 0.55)</td>' in html
        and '<td class="num">x</td>' in html
    )


def test_network_chart_draws_without_links(tmp_path: Path) -> None:
    nodes = pd.DataFrame(
        {
            "nominee_id": ["a"],
            "name": [HOSTILE],
            "x": [0.0],
            "y": [0.0],
            "community": pd.array([1], dtype="Int64"),
            "received": [3],
            "selected": [True],
        }
    )
    assert figure_html(
        network_chart(nodes, pd.DataFrame(columns=["source", "target", "interactions"]), 2014),
        "alt",
    ).startswith("<figure>")


def test_a_processed_year_without_any_model_output_renders_every_section_in_words(
    tmp_path: Path,
) -> None:
    run = year_run(2014, tmp_path / "raw", tmp_path / "processed", tmp_path / "reports")
    run.processed.mkdir(parents=True)
    features().to_parquet(run.processed / "features.parquet")
    (run.processed / "ingest_summary.json").write_text(
        json.dumps({"simulated": False, "nominees": 6, "selected": 2})
    )
    feature_dictionary().to_csv(run.processed / "feature_dictionary.csv", index=False)
    # What an older version of the model step wrote is not read as this run's.
    (run.processed / "model").mkdir()
    (run.processed / "model" / "summary.json").write_text(
        json.dumps({"status": "ok", "verdict": "STALE", "models": []})
    )
    report = yearly.load_year_report(run)
    assert report.model_nominees is None and report.outputs.card == {}
    builders = (
        yearly.title_block,
        *NEW_SECTIONS,
        yearly.picture_section,
        yearly.models_section,
        yearly.nominees_section,
        yearly.appendix_section,
    )
    page = "".join(builder(report) for builder in builders)
    assert (
        "No model could be fitted for 2014" in page and "No network can be drawn for 2014" in page
    )
    assert (
        page.count("cannot be shown for 2014: the model step wrote no model card for this year.")
        == 4
    )
    assert "<script" not in page and ESCAPED in page and "STALE" not in page
    assert yearly.report_card(report)["nominees"] == 6 and "archetypes" not in yearly.report_card(
        report
    )
    assert yearly.report_card(report)["comparison"] == {}


def test_the_nominee_table_shows_the_same_score_as_the_cards(tmp_path: Path) -> None:
    report = make_report(tmp_path)
    frame = yearly.nominee_frame(report).set_index("nominee_id")
    assert frame.loc["b", "score"] == 0.9 and frame.loc["a", "score"] == 0.05, (
        "the influence model's score, as on the cards"
    )
    assert "the same score as on the evidence cards" in yearly.nominees_section(report)
    fallback = yearly.nominee_frame(fallen_back(tmp_path)).set_index("nominee_id")
    assert fallback["score"].isna().all(), "without an influence model, no score"
    assert "could not be fitted this year" in yearly.nominees_section(fallen_back(tmp_path))
