"""Render an executed report notebook to one self-contained HTML page, and the index.

The page carries no code and makes no network request: nbconvert's ``basic`` template
gives the cell outputs only (inputs and prompts excluded), and they are wrapped in a page
whose style is inline. Warnings a cell printed to stderr are left out of the page (they
stay in the executed notebook for researchers).
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter

from src import __version__
from src.io import write_json_atomic, write_text_atomic
from src.report.html import esc, fmt_number

#: Tag of cells shown in JupyterLab but left out of the rendered report.
NOTEBOOK_ONLY_TAG = "notebook-only"

_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
{body}
<footer>{footer}</footer>
</body>
</html>
"""


def _style() -> str:
    return resources.files("src.report").joinpath("style.css").read_text(encoding="utf-8")


def page(title: str, body: str, footer: str) -> str:
    """A complete, self-contained HTML page (``body`` must already be escaped HTML)."""
    return _PAGE.format(title=esc(title), style=_style(), body=body, footer=footer)


def notebook_body(notebook: nbformat.NotebookNode) -> str:
    """The outputs of an executed notebook as HTML, without inputs, prompts or stderr.

    Cells tagged ``notebook-only`` (narrative for researchers) are left out too.
    """
    notebook = copy.deepcopy(notebook)
    notebook.cells = [cell for cell in notebook.cells if NOTEBOOK_ONLY_TAG not in cell.get("metadata", {}).get("tags", [])]
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook)
    return body


def render_report(executed_notebook: Path, out_html: Path, *, title: str, card: dict[str, Any] | None = None) -> Path:
    """Render ``executed_notebook`` to ``out_html`` (atomically); write ``report.json`` beside it.

    ``card`` holds the figures the index shows for this report (see
    :func:`src.report.yearly.report_card`); the report notebook stores it in its metadata.
    """
    notebook = nbformat.read(executed_notebook, as_version=4)
    rendered_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    footer = f"Rendered {esc(rendered_at)} by nhs-influence {esc(__version__)}. <a href=\"../index.html\">All years</a>"
    write_text_atomic(page(title, notebook_body(notebook), footer), out_html)
    record = dict(card or {})
    record.update({"rendered_at": rendered_at, "page": out_html.name})
    write_json_atomic(record, out_html.parent / "report.json")
    return out_html


def write_index(reports_dir: Path, failures: dict[int, str] | None = None) -> Path:
    """Write ``reports_dir/index.html`` linking every year that has a rendered report.

    ``failures`` maps a year whose latest run failed to the reason; such a year keeps its
    last good report (if any) and is flagged.
    """
    failures = failures or {}
    cards = {}
    for record in sorted(reports_dir.glob("*/report.json")):
        try:
            card = json.loads(record.read_text(encoding="utf-8"))
            cards[int(card["year"])] = card
        except (ValueError, KeyError):
            continue
    years = sorted(set(cards) | set(failures))
    rows = []
    for year in years:
        card = cards.get(year)
        if card:
            link = f"<a href=\"{esc(year)}/{esc(card.get('page', 'index.html'))}\">{esc(year)}</a>"
            aucs = f"{fmt_number(card.get('auc volume only'))} → {fmt_number(card.get('auc volume + engagement'))}"
            cells = [link, esc(card.get("nominees")), esc(card.get("selected")), esc(aucs), esc(card.get("verdict", "")), esc(card.get("rendered_at", ""))]
        else:
            cells = [esc(year), "–", "–", "–", "No report yet.", "–"]
        status = f"<br><span class=\"failed\">Latest run failed: {esc(failures[year])}</span>" if year in failures else ""
        simulated = " (simulated)" if card and card.get("simulated") else ""
        cells[0] += esc(simulated)
        cells[4] += status
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th scope=\"col\">{h}</th>" for h in ("Year", "Nominees", "Selected", "ROC AUC: volume only → volume + engagement", "Finding", "Rendered"))
    body = (
        "<header><h1>Influence or volume? Every year's list</h1>"
        "<p class=\"lede\">For each year's list of nominees, whether the panel's picks are better explained by how much "
        "nominees posted or by what their posts earned. Open a year for its briefing.</p></header>"
        f"<div class=\"table-wrap\"><table class=\"data\"><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    if not years:
        body += "<p>No year has been run yet: run <code>make run</code>.</p>"
    footer = f"nhs-influence {esc(__version__)}"
    return write_text_atomic(page("Influence or volume? Every year's list", body, footer), reports_dir / "index.html")
