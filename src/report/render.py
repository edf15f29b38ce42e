"""Render an executed report notebook to one self-contained HTML page, and print it to PDF.

The page carries no code and makes no network request: nbconvert's ``basic`` template
gives the cell outputs only (inputs and prompts excluded), and they are wrapped in the
report page of :mod:`src.report.page` (inline style, one hashed script). Warnings a cell
printed to stderr are left out of the page (they stay in the executed notebook for
researchers), and so are cells tagged ``notebook-only``. :func:`render_pdf` prints a page
to PDF with WeasyPrint, fetching nothing but the page's own ``data:`` images.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter

from src import __version__
from src.io import write_json_atomic, write_text_atomic
from src.report.html import esc
from src.report.page import page

__all__ = [
    "NOTEBOOK_ONLY_TAG",
    "notebook_body",
    "render_pdf",
    "render_report",
]

#: Tag of cells shown in JupyterLab but left out of the rendered report.
NOTEBOOK_ONLY_TAG = "notebook-only"


def _no_network() -> Any:
    """WeasyPrint's URL fetcher for the reports: ``data:`` URLs only, never a network."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


#: Added to the print style when the PDF carries the evidence cards: two across a page.
PRINT_CARDS = (
    "@media print { .cards-part { display: block !important; break-before: page; }"
    " .cards { display: block; columns: 2; column-gap: 6mm; } .card { margin-bottom: 4mm; } }"
)


def render_pdf(html_path: Path, out_pdf: Path, *, cards: bool = False) -> Path:
    """Print the rendered page ``html_path`` to ``out_pdf`` (atomically) with WeasyPrint.

    Uses the page's print style (``style.css``): the summary, the look-again list, the
    detail and a compact ranked table, with page numbers and a contents page; the evidence
    cards stay on screen unless ``cards`` (then they print two across, in their section).
    Fetches nothing from any network. Needs Pango (Debian: ``libpango-1.0-0
    libpangoft2-1.0-0``).
    """
    from weasyprint import CSS, HTML

    from src.io import _atomic

    document = HTML(
        string=Path(html_path).read_text(encoding="utf-8"),
        base_url=str(Path(html_path).parent),
        url_fetcher=_no_network(),
    )
    stylesheets = [CSS(string=PRINT_CARDS)] if cards else []
    return _atomic(Path(out_pdf), lambda tmp: document.write_pdf(str(tmp), stylesheets=stylesheets))


def notebook_body(notebook: nbformat.NotebookNode) -> str:
    """The outputs of an executed notebook as HTML, without inputs, prompts or stderr.

    Cells tagged ``notebook-only`` (narrative for researchers) are left out too.
    """
    notebook = copy.deepcopy(notebook)
    notebook.cells = [
        cell
        for cell in notebook.cells
        if NOTEBOOK_ONLY_TAG not in cell.get("metadata", {}).get("tags", [])
    ]
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(notebook)
    return body


def render_report(
    executed_notebook: Path, out_html: Path, *, title: str, card: dict[str, Any] | None = None
) -> Path:
    """Render ``executed_notebook`` to ``out_html`` (atomically); write ``report.json`` beside it.

    ``card`` holds the figures the index shows for this report: the batch builds it with
    :func:`src.report.index.report_card` from the same processed outputs the notebook read.
    """
    notebook = nbformat.read(executed_notebook, as_version=4)
    rendered_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    footer = (
        f"Rendered {esc(rendered_at)} by nhs-influence {esc(__version__)}. "
        '<a href="../index.html">All years</a>'
    )
    write_text_atomic(page(title, notebook_body(notebook), footer), out_html)
    record = dict(card or {})
    record.update({"rendered_at": rendered_at, "page": out_html.name})
    write_json_atomic(record, out_html.parent / "report.json")
    return out_html
