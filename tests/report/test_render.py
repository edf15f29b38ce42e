"""Report sections and rendering: escaping, sections, index, no code in the page."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from src.features.dictionary import feature_dictionary
from src.model.names import BASELINE, FULL
from src.params import year_run
from src.report import yearly
from src.report.html import esc, fmt_number, table
from src.report.outputs import ModelOutputs
from src.report.render import (
    NOTEBOOK_ONLY_TAG,
    SCRIPT_HASH,
    SORT_SCRIPT,
    _no_network,
    render_pdf,
    render_report,
    write_index,
)
from tests.report.helpers import comparison_record

HOSTILE = '<script>alert("x")</script> & "friends"'


def fake_report(tmp_path: Path, *, simulated: bool = True, status: str = "ok") -> yearly.YearReport:
    features = pd.DataFrame(
        {
            "nominee_id": ["a", "b", "c"],
            "year": 2014,
            "name": [HOSTILE, "Plain Name", "Third"],
            "category": ["nurse", "doctor", "other"],
            "selected": [True, False, False],
            "rank": pd.array([1, None, None], dtype="Int64"),
            "observation_days": 28,
            "posts_per_day": [0.5, 4.0, 1.0],
            "own_posts_per_day": [0.5, 2.0, 1.0],
            "repost_share": [0.0, 0.5, 0.0],
            "reply_share": [0.2, 0.1, 0.0],
            "log10_followers": [3.0, 2.0, np.nan],
            "listed_per_1k_followers": [10.0, 5.0, np.nan],
            "amplification_rate": [4.0, 0.5, np.nan],
            "conversation_rate": [2.0, 0.1, np.nan],
            "applause_rate": [10.0, 1.0, np.nan],
            "engagement_per_1k_followers": [16.0, 16.0, np.nan],
        }
    )
    outputs = ModelOutputs(
        card={
            "validation": {"status": "ok", "message": "3 repeats of 3-fold cross-validation."},
            "comparison": comparison_record(
                volume=(0.5, 0.3, 0.7), full=(0.9, 0.8, 1.0), difference=(0.4, 0.2, 0.6)
            ),
        },
        evaluation=pd.DataFrame(
            {
                "model": [BASELINE, FULL],
                "metric": "auc",
                "mean": [0.5, 0.9],
                "low": [0.3, 0.8],
                "high": [0.7, 1.0],
            }
        ),
    )
    if status != "ok":
        message = "The panel selected 3 of 40 nominees; too few."
        outputs = ModelOutputs(
            card={
                "validation": {"status": status, "message": message},
                "comparison": {"status": status, "verdict": None, "sentence": message},
            }
        )
    ingest = {
        "simulated": simulated,
        "files_read": ["x/t.jsonl", "nominations.csv"],
        "nominees": 3,
        "selected": 1,
    }
    run = year_run(2014, tmp_path / "raw", tmp_path / "processed", tmp_path / "reports")
    model_nominees = None
    if status == "ok":
        model_nominees = pd.DataFrame(
            {
                "nominee_id": ["a", "b", "c"],
                "score": [0.9, 0.2, 0.1],
                "score_low": [0.8, 0.1, 0.0],
                "score_high": [0.95, 0.3, 0.2],
                "archetype": [
                    "quiet expert",
                    "broadcaster or automated feed",
                    "steady contributor",
                ],
                "explanation": [
                    "carried up by engagement (+1.2) (log-odds of selection).",
                    "held back by engagement (-0.9) (log-odds of selection).",
                    "close to the average nominee on every family (log-odds of selection).",
                ],
            }
        )
    return yearly.YearReport(
        run=run,
        features=features,
        ingest=ingest,
        dictionary=feature_dictionary(),
        model_nominees=model_nominees,
        outputs=outputs,
    )


def test_untrusted_names_are_escaped_everywhere(tmp_path: Path) -> None:
    report = fake_report(tmp_path)
    page = "".join(
        section(report)
        for section in (
            yearly.title_block,
            yearly.headline_section,
            yearly.picture_section,
            yearly.models_section,
            yearly.nominees_section,
            yearly.appendix_section,
        )
    )
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;friends&quot;" in page


def test_the_simulated_notice_shows_only_for_simulated_data(tmp_path: Path) -> None:
    assert "Simulated data" in yearly.title_block(fake_report(tmp_path, simulated=True))
    assert "Simulated data" not in yearly.title_block(fake_report(tmp_path, simulated=False))


def test_nominees_are_listed_selected_first_with_rank_and_whole_followers(tmp_path: Path) -> None:
    html = yearly.nominees_section(fake_report(tmp_path))
    assert html.index("selected (rank 1)") < html.index("Plain Name") < html.index("Third")
    # followers come back from log10(1 + followers) = 3.0 as the whole number 999
    assert '<td class="num" data-sort="999.0">999</td>' in html and "999.00" not in html


def test_the_model_section_falls_back_to_words_when_no_model_was_fitted(tmp_path: Path) -> None:
    report = fake_report(tmp_path, status="not enough picks")
    html = yearly.models_section(report)
    assert "too few" in html and "<table" not in html


def test_headline_states_the_medians_of_both_groups(tmp_path: Path) -> None:
    html = yearly.headline_section(fake_report(tmp_path))
    assert "1 of 3 nominees were selected" in html
    assert "a median of 0.50 posts a day against 2.50 for the others" in html


def test_fmt_number_and_esc_handle_missing_values() -> None:
    assert esc(None) == "–" and esc(float("nan")) == "–" and esc(pd.NA) == "–"
    assert (
        fmt_number(12345) == "12,345"
        and fmt_number(0.1234) == "0.12"
        and fmt_number(float("nan")) == "–"
    )
    html = table(pd.DataFrame({"a": ["<b>"], "n": [2.5]}), [("a", "A<"), ("n", "N")])
    assert (
        "&lt;b&gt;" in html
        and "A&lt;" in html
        and '<td class="num" data-sort="2.5">2.50</td>' in html
    )


def executed_notebook(path: Path) -> Path:
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# Researcher notes", metadata={"tags": [NOTEBOOK_ONLY_TAG]}),
            new_code_cell(
                "secret_code()",
                outputs=[
                    new_output("stream", name="stderr", text="a warning nobody should see"),
                    new_output(
                        "display_data", data={"text/html": "<section><h2>Shown</h2></section>"}
                    ),
                ],
            ),
        ]
    )
    nbformat.write(notebook, path)
    return path


def test_rendering_drops_code_stderr_and_notebook_only_cells(tmp_path: Path) -> None:
    out = render_report(
        executed_notebook(tmp_path / "nb.ipynb"),
        tmp_path / "2014" / "index.html",
        title="T <1>",
        card={"year": 2014},
    )
    page = out.read_text(encoding="utf-8")
    assert "<h2>Shown</h2>" in page
    for hidden in ("secret_code", "a warning nobody should see", "Researcher notes"):
        assert hidden not in page
    assert "<title>T &lt;1&gt;</title>" in page
    assert page.lower().count("<script") == 1 and f"<script>{SORT_SCRIPT}</script>" in page, (
        "the sort script is the page's only script"
    )
    assert "http://" not in page and "https://" not in page
    assert json.loads((tmp_path / "2014" / "report.json").read_text())["year"] == 2014


def test_the_index_links_rendered_years_and_flags_failures(tmp_path: Path) -> None:
    render_report(
        executed_notebook(tmp_path / "nb.ipynb"),
        tmp_path / "2013" / "index.html",
        title="t",
        card={
            "year": 2013,
            "nominees": 40,
            "selected": 10,
            "verdict": HOSTILE,
            "comparison": comparison_record(
                volume=(0.5, 0.4, 0.6), full=(0.9, 0.8, 1.0), difference=(0.4, 0.3, 0.5)
            ),
        },
    )
    index = write_index(tmp_path, failures={2014: "01_ingest failed: <bad> line 3"}).read_text(
        encoding="utf-8"
    )
    assert 'href="2013/index.html"' in index
    assert "0.50 → 0.90" in index
    assert "Latest run failed: 01_ingest failed: &lt;bad&gt; line 3" in index
    assert index.lower().count("<script") == 1 and "&lt;script&gt;" in index
    assert index.count("<tr>") == 3  # header + two years


def test_loading_a_year_that_was_not_processed_names_the_missing_file(tmp_path: Path) -> None:
    run = year_run(2014, tmp_path / "raw", tmp_path / "processed", tmp_path / "reports")
    with pytest.raises(Exception, match="features.parquet"):
        yearly.load_year_report(run)


def test_the_policy_allows_the_sort_script_alone_and_no_network() -> None:
    import base64
    import hashlib
    import re

    from src.report.render import page

    html = page("t", "<p>x</p>", "f")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split("script-src")[1]
    assert f"script-src '{SCRIPT_HASH}'" in policy
    assert (
        "sha256-" + base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode()).digest()).decode()
        == SCRIPT_HASH
    )


def test_every_nominee_gets_an_evidence_card_against_the_median(tmp_path: Path) -> None:
    html = yearly.nominees_section(fake_report(tmp_path))
    assert (
        html.count('<article class="card') == 3
        and html.count('<article class="card selected"') == 1
    )
    assert html.count("<svg") == 3 and 'role="img" aria-label="' in html
    # posts per day 0.5, 4.0, 1.0: the median is 1.00, the first nominee has half of it
    assert "×0.5 the median" in html and "×4.0 the median" in html
    assert (
        "Quiet expert. Influence model score 0.90 (95% interval 0.80 to 0.95); carried up by engagement (+1.2)"
        in html
    )
    assert 'class="data nominees sortable"' in html
    assert "<script" not in html


def test_cards_say_so_when_no_model_was_fitted(tmp_path: Path) -> None:
    report = fake_report(tmp_path, status="not enough picks")
    assert "No model explanation" in yearly.nominees_section(report)


def test_the_index_shows_trends_and_who_recurs(tmp_path: Path) -> None:
    notebook = executed_notebook(tmp_path / "nb.ipynb")
    people = [
        {"nominee_id": "a", "name": HOSTILE, "selected": True},
        {"nominee_id": "b", "name": "Once Only", "selected": False},
    ]
    for year, (volume, full) in ((2013, (0.6, 0.7)), (2014, (0.55, 0.85))):
        render_report(
            notebook,
            tmp_path / str(year) / "index.html",
            title="t",
            card={
                "year": year,
                "nominees": 2,
                "selected": 1,
                "verdict": "v",
                "comparison": comparison_record(
                    volume=(volume, volume - 0.1, volume + 0.1),
                    full=(full, full - 0.1, full + 0.1),
                    difference=(full - volume, 0.01, 0.5),
                ),
                "categories": {"nurse": {"nominees": 2, "selected": 1}},
                "nominees_list": people if year == 2013 else people[:1],
            },
        )
    index = write_index(tmp_path).read_text(encoding="utf-8")
    assert (
        "Trends across years" in index
        and "widened" in index
        and "+0.10 in 2013, +0.30 in 2014" in index
    )
    assert (
        "1 of 2 nominees were nominated in more than one year; 1 were selected more than once"
        in index
    )
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in index
        and "<script>alert" not in index
    )
    assert '<svg class="chart" role="img"' in index and "gap +0.30" in index
    assert "1 / 2" in index


def test_a_pdf_is_printed_from_the_page_without_any_network(tmp_path: Path) -> None:
    out = render_report(
        executed_notebook(tmp_path / "nb.ipynb"),
        tmp_path / "2014" / "index.html",
        title="T",
        card={"year": 2014},
    )
    pdf = render_pdf(out, tmp_path / "2014" / "report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(Exception):
        _no_network().fetch("https://example.org/font.woff")


def test_the_index_shows_each_years_card_as_it_is_never_recomputed(tmp_path: Path) -> None:
    """The index's AUCs, gap, chart and trend come from each year's comparison record; the
    gap is the record's paired difference even where it is not the difference of the two
    means (a record whose folds differ between models, made up to tell the two apart)."""
    notebook = executed_notebook(tmp_path / "nb.ipynb")
    gaps = {2013: 0.07, 2014: 0.21}
    for year, gap in gaps.items():
        record = comparison_record(
            volume=(0.6, 0.5, 0.7), full=(0.8, 0.7, 0.9), difference=(gap, 0.02, 0.4)
        )
        render_report(
            notebook,
            tmp_path / str(year) / "index.html",
            title="t",
            card={"year": year, "verdict": record["sentence"], "comparison": record},
        )
    index = write_index(tmp_path).read_text(encoding="utf-8")
    assert index.count("0.60 → 0.80") == 2
    assert "<td>+0.07</td>" in index and "<td>+0.21</td>" in index and "+0.20" not in index
    assert "+0.07 in 2013, +0.21 in 2014" in index and "widened" in index
    assert "2013: the volume-only model 0.60, the full influence model 0.80 (gap +0.07)" in index
    assert f"ROC AUC: {BASELINE} → {FULL}" in index


def test_the_report_card_carries_the_comparison_for_the_index(tmp_path: Path) -> None:
    report = fake_report(tmp_path)
    card = yearly.report_card(report)
    assert card["comparison"] == report.outputs.comparison()
    assert card["verdict"] == report.outputs.comparison()["headline"]
    assert not [key for key in card if key.startswith("auc ")]
    fallen = yearly.report_card(fake_report(tmp_path, status="not enough picks"))
    assert fallen["verdict"] == "The panel selected 3 of 40 nominees; too few."
