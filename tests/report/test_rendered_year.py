"""A rendered year, read as a panel member reads it: on screen, on paper and on the index.

Two years of the small simulated sample are processed and rendered
(:func:`tests.report.rendered.render_years`), then:

- every ROC AUC, gap and count printed anywhere (the 2024 briefing, its PDF, the index,
  the model card's own sentences) equals the one in the model step's outputs;
- the PDF carries every column heading of every printed table, no interaction hint, page
  numbers and a contents page, and stays under a stated number of pages;
- every technical term the page uses is in its glossary; no feature identifier, issue
  number or local path is printed; names are told apart; every link to a card lands on one.

- in Chromium, offline, on a desk and a phone: no error or request, no sideways scroll,
  charts legible; the finder filters cards and ranked rows; a name leads to its card; the
  index's links reach the cards.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from src.report.format import FEATURE_WORDS, auc, fixed, signed_ascii, times_in_100
from src.report.glossary import GLOSSARY
from tests.report.rendered import Rendered, page_text, render_years

#: Every test here reads two rendered years of the small sample (a model run, a PDF).
pytestmark = pytest.mark.slow

#: The most pages the small sample's 2024 briefing may print to (48 nominees, no cards).
#: The bundled sample (210 nominees) prints to about 25: the ranked table grows by about
#: a page per 57 nominees, nothing else grows with the list.
MAX_PAGES = 20


@pytest.fixture(scope="module")
def rendered(small_sample_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return render_years(small_sample_root, tmp_path_factory.mktemp("rendered"), (2023, 2024))


@pytest.fixture(scope="module")
def pdf_text(rendered: Rendered) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(rendered.pdf).pages)


def squashed(text: str) -> str:
    """Text without spaces, line breaks or hyphens (a PDF wraps and hyphenates), lower case."""
    return re.sub(r"[\s\-\u2010\u00ad]+", "", text).lower()


def minus(text: str) -> str:
    """A true minus read as an ASCII one."""
    return text.replace("\u2212", "-")


# --- every figure agrees with the model outputs ------------------------------------------


def allowed_figures(rendered: Rendered, year: int) -> set[str]:
    """Every two-decimal figure a sentence about ROC AUC may print for ``year``: each model's
    AUC (mean and 95% range over folds), the paired difference, and the importance of each
    family (a drop in AUC), as the model step wrote them."""
    comparison = rendered.card(year)["comparison"]
    values = [v for m in comparison["models"].values() for v in (m["mean"], m["low"], m["high"])]
    values += [comparison["difference"][k] for k in ("mean", "low", "high")]
    importance = pd.read_csv(rendered.root / "processed" / str(year) / "model" / "importance.csv")
    values += [v for c in ("mean", "low", "high") for v in importance[c]]
    return (
        {auc(v) for v in values} | {signed_ascii(v) for v in values} | {fixed(-v) for v in values}
    )


def auc_numbers(blocks: list[str]) -> list[str]:
    """Every two-decimal number printed in a sentence that speaks of ROC AUC (from "AUC" to
    the end of its sentence)."""
    found = []
    for block in blocks:
        for mention in re.finditer(r"AUC", block):
            sentence = re.split(r"(?<=[a-z0-9)])\.(?:\s|$)", block[mention.start() :])[0]
            found += re.findall(r"[+\-\u2212]?\d\.\d\d(?!\d)", sentence)
    return [minus(n) for n in found]


def check_counts(text: str, rendered: Rendered, year: int) -> None:
    """The counts a page prints equal the comparison's and the year's."""
    comparison = rendered.card(year)["comparison"]
    features = pd.read_parquet(rendered.root / "processed" / str(year) / "features.parquet")
    for found in re.findall(r"(\d+) nominee-years \((\d+) selected\)", text):
        assert found == (str(comparison["nominee_years"]), str(comparison["selected"]))
    for found in re.findall(r"in (?:all|\d+ of) (\d+) tests", text):
        assert int(found) == comparison["folds"]
    for found in re.findall(r"same (\d+) cross-validation folds", text):
        assert int(found) == comparison["folds"]
    for found in re.findall(r"(\d+) nominees \((\d+) selected by the panel\)", text):
        assert found == (str(len(features)), str(int(features["selected"].sum())))
    for found in re.findall(r"Of the (\d+) selected, the model places", text):
        assert int(found) == int(features["selected"].sum())


def check_headline_figures(text: str, rendered: Rendered, year: int) -> None:
    """The first page's figures: times in 100 and the paired difference, as the card has them."""
    comparison = rendered.card(year)["comparison"]
    models, difference = comparison["models"], comparison["difference"]
    full, volume = models[comparison["full"]]["mean"], models[comparison["baseline"]]["mean"]
    assert re.findall(r"(\d+) times in 100", text) == [times_in_100(full), times_in_100(volume)]
    assert f"ROC AUC: {auc(full)} and {auc(volume)}" in text
    assert (
        f"was {auc(difference['mean'])} on average, and 95% of the tests lie between "
        f"{auc(difference['low'])} and {auc(difference['high'])}" in minus(text)
    )
    for name, entry in models.items():
        triple = f"{auc(entry['mean'])} ({auc(entry['low'])} to {auc(entry['high'])})"
        assert triple in text, f"{name}'s AUC in the table of models"


def test_every_auc_gap_and_count_in_the_briefing_equals_the_model_outputs(
    rendered: Rendered,
) -> None:
    page = page_text(rendered.page(2024))
    allowed = allowed_figures(rendered, 2024)
    printed = auc_numbers(page.blocks)
    assert len(printed) >= 10, printed
    assert set(printed) <= allowed, sorted(set(printed) - allowed)
    check_headline_figures(page.text, rendered, 2024)
    check_counts(page.text, rendered, 2024)


def test_every_auc_gap_and_count_in_the_pdf_equals_the_model_outputs(
    rendered: Rendered, pdf_text: str
) -> None:
    text = " ".join(pdf_text.split())
    check_headline_figures(text, rendered, 2024)
    check_counts(text, rendered, 2024)
    allowed = allowed_figures(rendered, 2024)
    for sentence in re.findall(r"(?:times in 100|ROC AUC: |on average)[^.]*", text):
        numbers = {minus(n) for n in re.findall(r"[+\-\u2212]?\d\.\d\d(?!\d)", sentence)}
        assert numbers <= allowed, sentence


def test_every_figure_on_the_index_and_in_the_model_card_equals_the_model_outputs(
    rendered: Rendered,
) -> None:
    index = page_text(rendered.index())
    allowed = allowed_figures(rendered, 2023) | allowed_figures(rendered, 2024)
    printed = auc_numbers(index.blocks)
    assert set(printed) <= allowed, sorted(set(printed) - allowed)
    for year in (2023, 2024):
        comparison = rendered.card(year)["comparison"]
        models = comparison["models"]
        pair = (
            f"{auc(models[comparison['baseline']]['mean'])} → "
            f"{auc(models[comparison['full']]['mean'])}"
        )
        gap = signed_ascii(comparison["difference"]["mean"])
        row = next(b for b in index.blocks if b.startswith(pair))
        assert index.blocks[index.blocks.index(row) + 1] == gap, f"{year}: the gap"
        assert f"{gap} in {year}" in index.text or year not in (2023, 2024)
        # the model card's own sentences ("0.50 is a coin toss" is the scale, not a figure)
        answer = " ".join(rendered.card(year).get("answer", [])).replace("0.50 is a coin", "")
        numbers = set(auc_numbers([answer]))
        assert numbers <= allowed_figures(rendered, year), sorted(numbers)


# --- print that fits -------------------------------------------------------------------------


def test_the_pdf_prints_every_column_heading_of_every_printed_table(
    rendered: Rendered, pdf_text: str
) -> None:
    paper = page_text(rendered.page(2024), paper=True)
    assert len(paper.headings) >= 25, paper.headings
    text = squashed(pdf_text)
    missing = [h for h in dict.fromkeys(paper.headings) if squashed(h) not in text]
    assert missing == [], f"column headings cut from the PDF: {missing}"
    for screen_only in ("Followers", "Model score (95% interval)", "Archetype"):
        assert screen_only not in paper.headings, f"{screen_only} is left off paper"


def test_the_pdf_is_short_numbered_with_contents_and_no_interaction_hints(
    rendered: Rendered, pdf_text: str
) -> None:
    from pypdf import PdfReader

    pages = len(PdfReader(rendered.pdf).pages)
    assert pages <= MAX_PAGES, f"{pages} pages"
    assert f"Page 1 of {pages}" in pdf_text and f"Page {pages} of {pages}" in pdf_text
    assert "Contents" in pdf_text and re.search(
        r"What the panel might look at again\s*\.+\s*\d", pdf_text
    )
    for hint in ("click a heading", "Click a column", "Find a nominee"):
        assert hint.lower() not in pdf_text.lower(), f"an interaction hint on paper: {hint}"
    assert "Evidence cards" not in pdf_text, "the cards stay on screen"
    first = PdfReader(rendered.pdf).pages[0].extract_text() or ""
    assert "In five minutes" in first and "times in 100" in first


# --- words a panel member can read -------------------------------------------------------------


def test_every_technical_term_the_page_uses_is_in_its_glossary(rendered: Rendered) -> None:
    html = rendered.page(2024)
    text = page_text(html).text
    glossary = text[text.index("The technical terms in this report") :]
    for term, _ in GLOSSARY:
        assert term in glossary
    technical = (
        "ROC AUC", "log-odds", "Brier score", "Leiden", "PageRank", "h-index",
        "participation coefficient", "bootstrap interval", "cross-validation", "log loss",
        "partial dependence", "permutation importance", "standard deviation", "betweenness",
        "logistic regression", "gradient-boosted", "k-means", "entropy", "modularity",
        "archetype", "pseudonymised", "observation window",
    )  # fmt: skip
    defined = " | ".join(term.lower() for term, _ in GLOSSARY)
    body = text[: text.index("The technical terms in this report")]
    for term in technical:
        if term.lower() in body.lower():
            assert term.lower() in defined, f"{term} is used but not in the glossary"


def test_no_identifier_issue_number_or_local_path_is_printed(
    rendered: Rendered, pdf_text: str
) -> None:
    for view in (page_text(rendered.page(2024)).text, pdf_text, page_text(rendered.index()).text):
        words = set(re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", view))
        assert not (words & set(FEATURE_WORDS)), sorted(words & set(FEATURE_WORDS))
        assert not re.search(r"\bissues? #?\d", view, re.I)
        assert str(rendered.root) not in view
    index = page_text(rendered.index()).text
    assert "Latest run failed: 01_ingest failed: x/timelines.jsonl, line 3: is not valid JSON" in (
        index
    )


def test_names_are_unique_and_every_link_to_a_card_lands_on_one(rendered: Rendered) -> None:
    html = rendered.page(2024)
    articles = re.findall(r"<article [^>]*>", html)
    cards = [re.search(r'id="([^"]+)"', a).group(1) for a in articles]  # type: ignore[union-attr]
    names = re.findall(r"<article [^>]*><h3>([^<]+)</h3>", html)
    features = pd.read_parquet(rendered.root / "processed" / "2024" / "features.parquet")
    assert len(cards) == len(set(cards)) == len(features)
    assert len(set(names)) == len(names), "two cards with one name"
    targets = set(re.findall(r'href="#(nominee-[^"]+)"', html))
    assert targets and targets <= set(cards)
    ranked = html[html.index('<table class="data nominees') :]
    ranked = ranked[: ranked.index("</table>")]
    assert ranked.count('href="#nominee-') == len(features), "every row links to its card"
    index = rendered.index()
    assert re.search(r'href="2024/index.html#nominee-N\d+"', index), "the index links cards"


def test_recurring_nominees_show_how_they_moved(rendered: Rendered) -> None:
    html = rendered.page(2024)
    moved = re.findall(r'<p class="moved">([^<]+)</p>', html)
    assert moved, "a nominee on both lists"
    assert all(m.startswith("Also on the 2023 list (") for m in moved)
    assert any("places on the evidence" in m or "same place" in m for m in moved)


# --- in a browser, offline -----------------------------------------------------------------

#: The finder, typed into: how many cards and ranked rows stay shown, and whether each of
#: them holds the word typed.
FIND = (
    "(word => { const box = document.querySelector('input[data-filter]');"
    " box.value = word; box.dispatchEvent(new Event('input'));"
    " const cards = [...document.querySelectorAll('#cards article.card')];"
    " const rows = [...document.querySelectorAll('table.nominees tbody tr')];"
    " const shown = cards.filter(c => !c.hidden), kept = rows.filter(r => !r.hidden);"
    " return {finder: !box.closest('.finder').hidden, cards: cards.length, shown: shown.length,"
    " rows: kept.length, match: shown.every(c => c.dataset.search.toLowerCase().includes(word)),"
    " said: box.closest('.finder').querySelector('output').textContent}; })"
)
#: Follow the first name in the ranked table to its card.
FOLLOW = (
    "(() => { const a = document.querySelector('table.nominees tbody a[href^=\"#nominee-\"]');"
    " a.click(); const card = document.querySelector(location.hash);"
    " return {hash: location.hash, card: !!card && card.matches(':target'),"
    " named: !!card && card.querySelector('h3').textContent === a.textContent}; })()"
)
#: How far the charts are shrunk (displayed width over drawn width) and how wide they are.
CHARTS = (
    "[...document.querySelectorAll('figure img')].map(i => ({scale: i.width / i.naturalWidth,"
    " right: i.getBoundingClientRect().right}))"
)


def test_the_briefing_works_offline_in_a_browser_on_a_desk_and_a_phone(
    rendered: Rendered, tmp_path: Path
) -> None:
    from tests import chromium_cdp

    if chromium_cdp.find_chromium() is None:
        message = "chromium is not installed (Debian: apt-get install chromium)"
        pytest.fail(message) if chromium_cdp.required() else pytest.skip(message)
    pytest.importorskip("websocket", reason="websocket-client drives the browser")
    page = rendered.root / "reports" / "2024" / "index.html"
    with chromium_cdp.Browser(tmp_path / "profile") as browser:
        for width, height, mobile in ((1280, 1600, False), (390, 844, True)):
            load = browser.load(page, width=width, height=height, mobile=mobile)
            assert load.errors == [] and load.requests == [], (load.errors, load.requests)
            sideways = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            assert browser.evaluate(sideways) <= 1, f"{width}px: the page scrolls sideways"
            for chart in browser.evaluate(CHARTS):
                assert chart["right"] <= width, "a chart runs off the screen"
                # 11-point chart text drawn at 110 dpi stays at least 7.5 CSS pixels high
                assert chart["scale"] >= 0.45, f"{width}px: a chart shrunk to {chart['scale']:.2f}"
        found = browser.evaluate(FIND + "('nurse')")
        assert found["finder"] and 0 < found["shown"] < found["cards"] and found["match"], found
        assert found["rows"] == found["shown"]
        assert found["said"] == f"{found['shown']} of {found['cards']} shown"
        cleared = browser.evaluate(FIND + "('')")
        assert cleared["shown"] == cleared["cards"] and cleared["said"] == ""
        followed = browser.evaluate(FOLLOW)
        assert followed["hash"].startswith("#nominee-") and followed["card"], followed
        assert followed["named"], "the link and its card name the same nominee"
        index = browser.load(rendered.root / "reports" / "index.html")
        assert index.errors == [] and index.requests == []
        link = browser.evaluate(
            "document.querySelector('a[href*=\"index.html#nominee-\"]').getAttribute('href')"
        )
        year, anchor = link.split("/index.html#")
        browser.load(rendered.root / "reports" / year / "index.html")
        assert browser.evaluate(f"!!document.getElementById({anchor!r})"), link
