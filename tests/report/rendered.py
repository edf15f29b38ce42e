"""Rendering years of the small simulated sample for the report's end-to-end checks.

:func:`render_years` runs ingest, features and the model step in this process for the
years asked (quick settings: one repeat of cross-validation, twenty bootstrap refits),
executes the report notebook cell by cell in this process (:func:`execute_report_notebook`:
the same cells, in the same order, as papermill would run, without starting a kernel),
renders each year's page and record as the batch does, prints the last year to PDF and
writes the index with a failed year whose reason names a local path.

:func:`page_text` reads a page as a reader sees it, on screen or on paper.
"""

from __future__ import annotations

import ast
import json
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_output

from src import config
from src.features import build_features, write_features
from src.ingest.pipeline import ingest_year, read_tables
from src.model.run import model_year
from src.params import YearRun, year_run
from src.report.index import write_index
from src.report.load import load_year_report
from src.report.record import report_card
from src.report.render import render_pdf, render_report

#: The failure the index is given for a year that failed: it names a local path.
FAILURE = "01_ingest failed: {root}/raw/2025/x/timelines.jsonl, line 3: is not valid JSON"


@dataclass(frozen=True)
class Rendered:
    """What :func:`render_years` wrote."""

    root: Path  #: raw/, processed/ and reports/ under it
    runs: dict[int, YearRun]
    pdf: Path  #: the last year's PDF

    def page(self, year: int) -> str:
        return (self.root / "reports" / str(year) / "index.html").read_text(encoding="utf-8")

    def index(self) -> str:
        return (self.root / "reports" / "index.html").read_text(encoding="utf-8")

    def card(self, year: int) -> dict[str, Any]:
        """The model card the model step wrote for ``year``."""
        path = self.root / "processed" / str(year) / "model" / "card.json"
        return json.loads(path.read_text(encoding="utf-8"))


def execute_report_notebook(run: YearRun, out: Path) -> Path:
    """The report notebook executed in this process, with ``run``'s folders as parameters:
    each cell's last expression, when it has HTML, becomes the cell's display output."""
    notebook = nbformat.read(config.NOTEBOOKS_DIR / "04_report.ipynb", as_version=4)
    namespace: dict[str, Any] = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        # IPython magics (the autoreload cell) have no meaning outside a kernel.
        source = "\n".join(
            line for line in cell.source.splitlines() if not line.lstrip().startswith("%")
        )
        tree = ast.parse(source)
        tail = tree.body[-1] if tree.body else None
        last = tail if isinstance(tail, ast.Expr) else None
        if last is not None:
            tree.body.pop()
        exec(compile(tree, "<cell>", "exec"), namespace)
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            namespace.update(
                year=run.year,
                raw_dir=str(run.raw),
                processed_dir=str(run.processed.parent),
                reports_dir=str(run.reports.parent),
            )
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
            if hasattr(value, "_repr_html_"):
                cell.outputs = [new_output("display_data", data={"text/html": value._repr_html_()})]
    path = out / f"04_report_{run.year}.ipynb"
    nbformat.write(notebook, path)
    return path


def render_years(sample: Path, root: Path, years: tuple[int, ...]) -> Rendered:
    """Process, render and print ``years`` of the small sample under ``root``."""
    runs = {}
    for year in years:
        shutil.copytree(sample / "raw" / str(year), root / "raw" / str(year))
        run = year_run(year, root / "raw", root / "processed", root / "reports")
        ingest_year(run, key=b"r" * 32)
        write_features(build_features(read_tables(run.processed)), run.processed)
        model_year(run, n_repeats=1, n_boot=20)
        executed = execute_report_notebook(run, root)
        render_report(
            executed,
            run.reports / "index.html",
            title=f"Influence or volume? The {year} list",
            card=report_card(load_year_report(run)),
        )
        runs[year] = run
    last = runs[years[-1]]
    pdf = render_pdf(last.reports / "index.html", last.reports / "report.pdf")
    write_index(root / "reports", failures={2025: FAILURE.format(root=root)})
    return Rendered(root=root, runs=runs, pdf=pdf)


#: Elements whose text is no reader's (or not this view's).
_SKIPPED = {"script", "style", "title", "head"}
#: Classes a view leaves out: on paper the screen-only parts, the finder, hints, cards.
_OFF_PAPER = {"screen-only", "finder", "hint", "cards-part"}
_OFF_SCREEN = {"print-only"}
_VOID = {"img", "br", "input", "meta", "link", "hr", "wbr", "source", "col", "line", "rect"}
#: Elements that end a block of text.
BLOCKS = {"p", "li", "td", "th", "caption", "figcaption", "dd", "dt", "h1", "h2", "h3", "h4"}


class _Reader(HTMLParser):
    """Collects the visible text of a page in blocks, with the headings of printed tables."""

    def __init__(self, paper: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.paper = paper
        self.stack: list[tuple[str, bool]] = []
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.headings: list[str] = []
        self.heading: list[str] | None = None

    def hidden(self) -> bool:
        return any(h for _, h in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        off = _OFF_PAPER if self.paper else _OFF_SCREEN
        hide = tag in _SKIPPED or bool(classes & off) or "hidden" in values
        if tag == "img" and values.get("alt") and not self.hidden():
            self.blocks.append(str(values["alt"]))
        if tag in _VOID:
            return
        self.stack.append((tag, hide))
        if tag in BLOCKS:
            self.flush()
        if tag == "th" and not self.hidden():
            self.heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while self.stack:
            name, _ = self.stack[-1]
            if tag == "th" and name == "th" and self.heading is not None:
                self.headings.append(" ".join("".join(self.heading).split()))
                self.heading = None
            self.stack.pop()
            if name == tag:
                break
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.hidden():
            self.current.append(data)
            if self.heading is not None:
                self.heading.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


@dataclass(frozen=True)
class PageText:
    """A page as a reader sees it: blocks of text, and the headings of its tables."""

    blocks: list[str]
    headings: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.blocks)


def page_text(html: str, *, paper: bool = False) -> PageText:
    """The visible text of ``html`` on screen, or on paper (print-only parts shown, the
    screen-only parts, finder, hints and cards left out)."""
    reader = _Reader(paper)
    reader.feed(html)
    reader.flush()
    return PageText(reader.blocks, [h for h in reader.headings if h])
