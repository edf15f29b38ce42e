"""The appendix: methods with this year's limits, data quality, the feature dictionary."""

from __future__ import annotations

import re
from pathlib import Path

from src.report.outputs import ModelOutputs
from src.report.sections.appendix import appendix_section, data_quality, methods
from tests.report.helpers import card, fake_report, make_report


def test_the_appendix_gives_methods_limits_data_quality_and_the_dictionary(
    tmp_path: Path,
) -> None:
    html = appendix_section(make_report(tmp_path))
    assert html.startswith('<section id="appendix">')
    assert "observation window of 28 days" in html
    assert "come from a model trained on 2013 and applied to 2014;" in html
    assert "<h4>Limits and fallbacks this year</h4>" in html
    assert "The label is one panel&#x27;s decision." in html
    assert '<table class="data dictionary sortable">' in html
    assert "Likes received per post" in html and "applause_rate" not in html, "plain names"
    assert '<th scope="col">What it measures</th>' in html and "Unit: likes per post." in html
    own_words = methods(make_report(tmp_path)) + data_quality(make_report(tmp_path))
    assert not re.search(r"issues? \d", own_words, re.I), "no issue numbers in the report's words"


def test_the_appendix_lists_what_could_not_be_read_and_the_files_read(tmp_path: Path) -> None:
    report = make_report(
        tmp_path, ModelOutputs(card=card(), problems=("review.csv could not be read (X)",))
    )
    assert "Not read: review.csv could not be read (X)." in appendix_section(report)
    html = appendix_section(fake_report(tmp_path))
    assert "2 (x/t.jsonl, nominations.csv)" in html and "1 (1)" not in html
    assert "Nominees (selected)</td><td>3 (1)</td>" in html
