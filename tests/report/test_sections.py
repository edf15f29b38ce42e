"""The sections as a page: every section escapes untrusted text, has alt text, says why
when the model step fell back, and renders in words when there is no model output at all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from src.features.dictionary import feature_dictionary
from src.params import year_run
from src.report.load import load_year_report
from src.report.record import report_card
from src.report.sections.appendix import appendix_section
from src.report.sections.categories import categories_section
from src.report.sections.common import CONTENTS
from src.report.sections.families import families_section
from src.report.sections.headline import summary_section, title_block
from src.report.sections.models import models_section
from src.report.sections.network import network_section
from src.report.sections.nominees import nominees_section
from src.report.sections.picture import picture_section
from src.report.sections.review import review_section
from src.report.sections.volume_effect import volume_section
from tests.report.helpers import ESCAPED, fake_report, fallen_back, features, make_report

#: The sections built from the model step's outputs, in page order.
NEW_SECTIONS = (
    summary_section,
    families_section,
    volume_section,
    review_section,
    categories_section,
    network_section,
)


@pytest.mark.parametrize("builder", NEW_SECTIONS[1:5], ids=lambda f: f.__name__)
def test_sections_say_why_when_the_model_step_fell_back(tmp_path: Path, builder) -> None:
    html = builder(fallen_back(tmp_path))
    assert (
        "cannot be shown for 2014: 2 selected and 4 not selected: too few to cross-validate" in html
    )
    assert "<img" not in html and "<table" not in html


def test_every_new_section_escapes_untrusted_text_and_has_alt_text(tmp_path: Path) -> None:
    report = make_report(tmp_path)
    page = (
        "".join(builder(report) for builder in NEW_SECTIONS)
        + models_section(report)
        + appendix_section(report)
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
    assert {anchor for anchor, _ in CONTENTS} >= set(ids)


def test_untrusted_names_are_escaped_everywhere(tmp_path: Path) -> None:
    report = fake_report(tmp_path)
    page = "".join(
        section(report)
        for section in (
            title_block,
            summary_section,
            picture_section,
            models_section,
            nominees_section,
            appendix_section,
        )
    )
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;friends&quot;" in page


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
    report = load_year_report(run)
    assert report.model_nominees is None and report.outputs.card == {}
    builders = (
        title_block,
        *NEW_SECTIONS,
        picture_section,
        models_section,
        nominees_section,
        appendix_section,
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
    assert report_card(report)["nominees"] == 6 and "archetypes" not in report_card(report)
    assert report_card(report)["comparison"] == {}
