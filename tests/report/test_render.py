"""Rendering an executed notebook to a page without code, and printing it to PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from src.report.page import PAGE_SCRIPT
from src.report.render import _no_network, render_pdf, render_report
from tests.report.helpers import executed_notebook


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
    assert page.lower().count("<script") == 1 and f"<script>{PAGE_SCRIPT}</script>" in page, (
        "the sort script is the page's only script"
    )
    assert "http://" not in page and "https://" not in page
    assert json.loads((tmp_path / "2014" / "report.json").read_text())["year"] == 2014


@pytest.mark.slow
def test_a_pdf_is_printed_from_the_page_without_any_network(tmp_path: Path) -> None:
    out = render_report(
        executed_notebook(tmp_path / "nb.ipynb"),
        tmp_path / "2014" / "index.html",
        title="T",
        card={"year": 2014},
    )
    pdf = render_pdf(out, tmp_path / "2014" / "report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(ValueError, match="disallowed protocol"):
        _no_network().fetch("https://example.org/font.woff")


def test_the_pdf_leaves_the_cards_on_screen_unless_asked_to_print_them(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from src.report.page import page

    cards = "".join(
        f'<article class="card" id="nominee-{i}"><h3>Card {i}</h3><p>figures</p></article>'
        for i in range(6)
    )
    body = (
        '<section id="nominees"><h2>Every nominee</h2><p>The ranked table.</p>'
        f'<div class="cards-part"><h3>Evidence cards</h3><div class="cards" id="cards">{cards}'
        "</div></div></section>"
    )
    html = tmp_path / "index.html"
    html.write_text(page("T", body, "f"), encoding="utf-8")

    def text(pdf: Path) -> str:
        return "".join(p.extract_text() or "" for p in PdfReader(pdf).pages)

    assert "Card 3" not in text(render_pdf(html, tmp_path / "summary.pdf"))
    printed = text(render_pdf(html, tmp_path / "cards.pdf", cards=True))
    assert "Evidence cards" in printed and "Card 0" in printed and "Card 5" in printed
