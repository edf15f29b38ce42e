"""The index's trends across years: the gap, who recurs, the archetype mix."""

from __future__ import annotations

import json
import re
from pathlib import Path

from src.report.index import write_index
from src.report.page import PAGE_SCRIPT
from src.report.record import report_card
from src.report.render import render_report
from tests.report.helpers import ESCAPED, HOSTILE, comparison_record, executed_notebook, make_report


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


def test_the_report_card_and_index_show_the_archetype_mix(tmp_path: Path) -> None:
    report = make_report(tmp_path)
    record = report_card(report)
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
        "2014: most often selected, influential voice (1 of 2); least often, broadcaster or "
        "automated feed (0 of 1)" in index
    )
    assert re.search(
        r'<svg class="chart" role="img" '
        r'aria-label="Stacked bar chart of the archetype mix per year[^"]+"',
        index,
    )
    assert (
        ESCAPED in index
        and index.lower().count("<script") == 1
        and f"<script>{PAGE_SCRIPT}</script>" in index
    )
