"""The index page across years: each year's record shown as it is, failures flagged."""

from __future__ import annotations

from pathlib import Path

from src.model.names import BASELINE, FULL
from src.report.index import write_index
from src.report.render import render_report
from tests.report.helpers import HOSTILE, comparison_record, executed_notebook


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


def test_a_failed_year_is_shown_without_local_paths(tmp_path: Path) -> None:
    from src.report.index import public_failure

    failure = "01_ingest failed: /home/me/work/data/raw/2024/x/timelines.jsonl, line 17: bad"
    assert public_failure(failure) == "01_ingest failed: x/timelines.jsonl, line 17: bad"
    assert public_failure(r"C:\Users\me\raw\2024\nominations.csv: not UTF-8") == (
        "nominations.csv: not UTF-8"
    )
    assert public_failure("key at ~/.config/nhs-influence/pseudonym.key; 3/4 steps") == (
        "key at pseudonym.key; 3/4 steps"
    )
    index = write_index(tmp_path, failures={2024: failure}).read_text(encoding="utf-8")
    assert "/home/me" not in index and "Latest run failed: 01_ingest failed: x/timelines" in index
