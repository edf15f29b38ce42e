"""The index page across years: ``reports/index.html``.

One row per year that has a rendered report (or a failed run): its link (and PDF), the
counts, the two headline models' ROC AUC and their paired gap, the finding, and when it
was rendered; then the trends across years (:mod:`src.report.trends`). Every figure is
read from the years' records (``reports/<year>/report.json``, built by
:func:`src.report.record.report_card`) as they are, never recomputed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from src import __version__
from src.io import write_text_atomic
from src.model.names import BASELINE, FULL
from src.report.format import MISSING, number, signed_ascii
from src.report.html import esc
from src.report.page import page
from src.report.record import headline_figures
from src.report.trends import trends_section

#: The page's title and heading (trusted text: shown as it is).
TITLE = "Influence or volume? Every year's list"

#: The caption of the index's table of years: where its figures come from.
YEARS_CAPTION = (
    "<caption>Each year's figures are its briefing's: cross-validated ROC AUC of the two "
    "headline models (rounded), and the gap, the full model's mean advantage fold by fold "
    "(from the unrounded figures).</caption>"
)
#: The headings of the table of years.
YEARS_HEADINGS = (
    "Year",
    "Nominees",
    "Selected",
    f"ROC AUC: {BASELINE} → {FULL}",
    "Gap (same folds)",
    "Finding",
    "Rendered",
)


def read_cards(reports_dir: Path) -> dict[int, dict[str, Any]]:
    """year -> the record of each rendered year (``<year>/report.json``); unreadable ones
    are skipped."""
    cards = {}
    for record in sorted(reports_dir.glob("*/report.json")):
        try:
            card = json.loads(record.read_text(encoding="utf-8"))
            cards[int(card["year"])] = card
        except (ValueError, KeyError):
            continue
    return cards


def year_row(reports_dir: Path, year: int, card: dict[str, Any] | None, failure: str | None) -> str:
    """The year's row of the table of years (escaped HTML)."""
    if card:
        link = f'<a href="{esc(year)}/{esc(card.get("page", "index.html"))}">{esc(year)}</a>'
        figures = headline_figures(card)
        pdf = (
            f' (<a href="{esc(year)}/report.pdf">PDF</a>)'
            if (reports_dir / str(year) / "report.pdf").is_file()
            else ""
        )
        cells = [
            link + pdf,
            esc(card.get("nominees")),
            esc(card.get("selected")),
            esc(
                f"{number(figures.baseline_auc)} → {number(figures.full_auc)}" if figures else None
            ),
            esc(signed_ascii(figures.gap) if figures else None),
            esc(card.get("verdict", "")),
            esc(card.get("rendered_at", "")),
        ]
    else:
        cells = [esc(year), MISSING, MISSING, MISSING, MISSING, "No report yet.", MISSING]
    if card and card.get("simulated"):
        cells[0] += esc(" (simulated)")
    if failure is not None:
        cells[5] += (
            f'<br><span class="failed">Latest run failed: {esc(public_failure(failure))}</span>'
        )
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


#: An absolute file path in a failure message (POSIX, ``~``, or a Windows drive or share).
_ABSOLUTE_PATH = re.compile(r"""(?<![\w.])(?:[A-Za-z]:[\\/]|\\\\|~/|/)[^\s,;:'"()<>]*""")
#: A year folder inside a path ("/2024/"): what follows it is the file within the year.
_YEAR_FOLDER = re.compile(r"[\\/](?:19|20)\d\d[\\/]")


def public_failure(text: str) -> str:
    """A failure message fit for the index: every absolute path in it cut to the part a
    reader can act on (the file within the year's folder, else the file's name), so no
    local folder of the machine that ran the batch is shown."""

    def shorten(found: re.Match[str]) -> str:
        path = found.group(0)
        within = _YEAR_FOLDER.split(path)
        tail = within[-1] if len(within) > 1 else re.split(r"[\\/]", path.rstrip("/\\"))[-1]
        return tail or "a local folder"

    return _ABSOLUTE_PATH.sub(shorten, str(text))


def write_index(reports_dir: Path, failures: dict[int, str] | None = None) -> Path:
    """Write ``reports_dir/index.html``: every year that has a rendered report, and trends.

    ``failures`` maps a year whose latest run failed to the reason; such a year keeps its
    last good report (if any) and is flagged, the reason shown without local paths
    (:func:`public_failure`).
    """
    failures = failures or {}
    cards = read_cards(reports_dir)
    years = sorted(set(cards) | set(failures))
    rows = "".join(year_row(reports_dir, y, cards.get(y), failures.get(y)) for y in years)
    head = "".join(f'<th scope="col">{h}</th>' for h in YEARS_HEADINGS)
    body = (
        f"<header><h1>{TITLE}</h1>"
        "<p class=\"lede\">For each year's list of nominees, whether the panel's picks are better "
        "explained by how much nominees posted or by what their posts earned. Open a year for "
        "its briefing.</p></header>"
        '<section id="years"><h2>The years</h2><div class="table-wrap">'
        f'<table class="data years">{YEARS_CAPTION}<thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div></section>"
    )
    if not years:
        body += "<p>No year has been run yet: run <code>make run</code>.</p>"
    body += trends_section(cards)
    footer = f"nhs-influence {esc(__version__)}"
    return write_text_atomic(page(TITLE, body, footer), reports_dir / "index.html")
