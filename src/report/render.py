"""Render an executed report notebook to one self-contained HTML page, and the index.

The page carries no code and makes no network request: nbconvert's ``basic`` template
gives the cell outputs only (inputs and prompts excluded), and they are wrapped in a page
whose style is inline. Warnings a cell printed to stderr are left out of the page (they
stay in the executed notebook for researchers).

The one script on a page is :data:`SORT_SCRIPT` (click a column heading of a long table
to sort it). The Content-Security-Policy allows that script alone, by its sha256, and
nothing from any network (``default-src 'none'``): a ``<script>`` that slipped through
escaping would not run. :func:`render_pdf` prints a page to PDF with WeasyPrint, fetching
nothing but the page's own ``data:`` images.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter

from src import __version__
from src.io import write_json_atomic, write_text_atomic
from src.model.names import BASELINE, FULL
from src.model.names import label as model_label
from src.report.html import esc, fmt_number

#: Tag of cells shown in JupyterLab but left out of the rendered report.
NOTEBOOK_ONLY_TAG = "notebook-only"

_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{script_hash}'">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
{body}
<footer>{footer}</footer>
<script>{script}</script>
</body>
</html>
"""


#: Sorts a ``table.sortable`` by the column whose heading is clicked (numbers by value,
#: from ``data-sort`` where a cell has it; text alphabetically; blanks last).
SORT_SCRIPT = (
    "document.querySelectorAll('table.sortable').forEach(function(t){"
    "var hs=t.tHead?t.tHead.rows[0].cells:[];"
    "Array.prototype.forEach.call(hs,function(th,i){"
    "var b=document.createElement('button');b.type='button';b.className='sort';b.textContent=th.textContent;"
    "th.textContent='';th.appendChild(b);th.setAttribute('aria-sort','none');"
    "b.addEventListener('click',function(){"
    "var asc=th.getAttribute('aria-sort')!=='ascending';"
    "Array.prototype.forEach.call(hs,function(o){o.setAttribute('aria-sort','none');});"
    "th.setAttribute('aria-sort',asc?'ascending':'descending');"
    "var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);"
    "function key(r){var c=r.cells[i];if(!c)return null;var v=c.getAttribute('data-sort');"
    "if(v!==null&&v!==''&&!isNaN(Number(v)))return Number(v);v=c.textContent.trim();return (v===''||v==='\u2013')?null:v.toLowerCase();}"
    "rows.sort(function(a,b){var x=key(a),y=key(b);if(x===null||y===null)return (x===null)-(y===null);"
    "if(typeof x!==typeof y)return typeof x==='number'?-1:1;return (x<y?-1:x>y?1:0)*(asc?1:-1);});"
    "rows.forEach(function(r){body.appendChild(r);});});});});"
)
SCRIPT_HASH = "sha256-" + base64.b64encode(
    hashlib.sha256(SORT_SCRIPT.encode("utf-8")).digest()
).decode("ascii")


def _style() -> str:
    return resources.files("src.report").joinpath("style.css").read_text(encoding="utf-8")


def page(title: str, body: str, footer: str) -> str:
    """A complete, self-contained HTML page (``body`` must already be escaped HTML)."""
    return _PAGE.format(
        title=esc(title),
        style=_style(),
        body=body,
        footer=footer,
        script=SORT_SCRIPT,
        script_hash=SCRIPT_HASH,
    )


def _no_network() -> Any:
    """WeasyPrint's URL fetcher for the reports: ``data:`` URLs only, never a network."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def render_pdf(html_path: Path, out_pdf: Path) -> Path:
    """Print the rendered page ``html_path`` to ``out_pdf`` (atomically) with WeasyPrint.

    Uses the page's print style (no contents list, tables in full); fetches nothing from
    any network. Needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0``).
    """
    from weasyprint import HTML

    from src.io import _atomic

    document = HTML(
        string=Path(html_path).read_text(encoding="utf-8"),
        base_url=str(Path(html_path).parent),
        url_fetcher=_no_network(),
    )
    return _atomic(Path(out_pdf), lambda tmp: document.write_pdf(str(tmp)))


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

    ``card`` holds the figures the index shows for this report (see
    :func:`src.report.yearly.report_card`); the report notebook stores it in its metadata.
    """
    notebook = nbformat.read(executed_notebook, as_version=4)
    rendered_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    footer = f'Rendered {esc(rendered_at)} by nhs-influence {esc(__version__)}. <a href="../index.html">All years</a>'
    write_text_atomic(page(title, notebook_body(notebook), footer), out_html)
    record = dict(card or {})
    record.update({"rendered_at": rendered_at, "page": out_html.name})
    write_json_atomic(record, out_html.parent / "report.json")
    return out_html


def headline_figures(card: dict[str, Any]) -> tuple[str, str, float, float, float] | None:
    """(baseline, full, baseline AUC, full AUC, paired gap) of a year's report card, read
    from the comparison's headline record as the model step wrote it; None without one.

    The gap is the record's mean paired difference (full minus baseline, fold by fold),
    never recomputed from the two AUCs.
    """
    comparison = card.get("comparison")
    if not isinstance(comparison, dict) or comparison.get("status") != "ok":
        return None
    models, difference = comparison.get("models"), comparison.get("difference")
    baseline, full = comparison.get("baseline"), comparison.get("full")
    if not isinstance(models, dict) or not isinstance(difference, dict):
        return None
    try:
        return (
            str(baseline),
            str(full),
            float(models[baseline]["mean"]),
            float(models[full]["mean"]),
            float(difference["mean"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _auc_chart(cards: dict[int, dict[str, Any]]) -> str:
    """An inline SVG bar chart of the two headline models' AUC per year (the gap is their
    paired difference)."""
    rows = [(y, f) for y in sorted(cards) if (f := headline_figures(cards[y])) is not None]
    if not rows:
        return ""
    group, bar, height, top = 90, 30, 160, 20
    width = 60 + group * len(rows)
    parts = [
        f'<line x1="50" y1="{top + height}" x2="{width}" y2="{top + height}" stroke="#425563"/>'
    ]
    for tick in (0.0, 0.5, 1.0):
        y = top + height * (1 - tick)
        parts.append(
            f'<text x="44" y="{y + 4:.0f}" text-anchor="end" font-size="11">{tick:.1f}</text>'
        )
        parts.append(
            f'<line x1="50" y1="{y:.0f}" x2="{width}" y2="{y:.0f}" stroke="#d8dde0" '
            'stroke-dasharray="3 3"/>'
        )
    words = []
    names: tuple[str, str] = ("", "")
    for index, (year, (baseline, full, volume, influence, gap)) in enumerate(rows):
        names = (baseline, full)
        x = 60 + index * group
        for offset, value, colour in ((0, volume, "#768692"), (bar + 4, influence, "#005EB8")):
            h = max(0.0, min(1.0, value)) * height
            parts.append(
                f'<rect x="{x + offset}" y="{top + height - h:.1f}" width="{bar}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{x + offset + bar / 2:.0f}" y="{top + height - h - 4:.1f}" '
                f'text-anchor="middle" font-size="10">{value:.2f}</text>'
            )
        parts.append(
            f'<text x="{x + bar + 2:.0f}" y="{top + height + 16}" text-anchor="middle" '
            f'font-size="12">{esc(year)}</text>'
        )
        words.append(
            f"{year}: {model_label(baseline)} {volume:.2f}, {model_label(full)} {influence:.2f} "
            f"(gap {gap:+.2f})"
        )
    baseline_label, full_label = (model_label(name) for name in names)
    alt = (
        f"Bar chart of cross-validated ROC AUC per year, grey for {baseline_label} and blue for "
        f"{full_label}. " + "; ".join(words) + "."
    )
    svg = (
        f'<svg class="chart" role="img" aria-label="{esc(alt)}" '
        f'viewBox="0 0 {width} {top + height + 24}" width="{width}" height="{top + height + 24}" '
        f"><title>{esc(alt)}</title>{''.join(parts)}</svg>"
    )
    key = (
        '<p class="key"><span class="swatch" style="background:#768692"></span> '
        f'{esc(baseline_label)} <span class="swatch" style="background:#005EB8"></span> '
        f"{esc(full_label)}</p>"
    )
    return (
        f"<figure>{svg}<figcaption>How well each model explains the panel's picks, year by year "
        "(0.5 is a coin toss). The gap is how much better the full influence model ranks the "
        f"picks than volume alone, on the same folds.</figcaption>{key}</figure>"
    )


#: The caption of the index's table of years: where its figures come from.
YEARS_CAPTION = (
    "<caption>Each year's figures are its briefing's: cross-validated ROC AUC of the two "
    "headline models (rounded), and the gap, the full model's mean advantage fold by fold "
    "(from the unrounded figures).</caption>"
)


#: Colours of archetypes in the index's mix chart (in order of first appearance), then grey.
ARCHETYPE_COLOURS = (
    "#005EB8",
    "#ED8B00",
    "#009639",
    "#7C2855",
    "#00A9CE",
    "#AE2573",
    "#FFB81C",
    "#330072",
)


def _archetype_mix(cards: dict[int, dict[str, Any]]) -> str:
    """Archetype mix per year, selected against not selected: a stacked-bar SVG and a table.

    Archetypes are named per year from their cluster's profile, so a name may appear in
    some years only; the shares are within each group (selected, not selected) of a year.
    """
    years = [
        y
        for y in sorted(cards)
        if isinstance(cards[y].get("archetypes"), dict) and cards[y]["archetypes"]
    ]
    if not years:
        return (
            '<h3 id="archetype-mix">Archetype mix</h3><p>No year has archetypes yet (the model step assigns them when it can fit a model).</p>'
            if cards
            else ""
        )
    names: list[str] = []
    for year in years:
        for name in sorted(
            cards[year]["archetypes"],
            key=lambda n: -int(cards[year]["archetypes"][n].get("nominees", 0)),
        ):
            if name not in names:
                names.append(name)
    colour = {
        name: ARCHETYPE_COLOURS[i] if i < len(ARCHETYPE_COLOURS) else "#aeb7bd"
        for i, name in enumerate(names)
    }

    def counts(year: int) -> dict[str, tuple[int, int]]:
        out = {}
        for name, entry in cards[year]["archetypes"].items():
            n, s = int(entry.get("nominees", 0)), int(entry.get("selected", 0))
            out[name] = (s, n - s)
        return out

    bar, gap, group, left, top, height = 22, 6, 70, 150, 10, 0
    rows = []
    words = []
    y = top
    for year in years:
        c = counts(year)
        for index, label in ((0, "selected"), (1, "not selected")):
            total = sum(v[index] for v in c.values())
            x = float(left)
            parts = []
            for name in names:
                value = c.get(name, (0, 0))[index]
                if total and value:
                    width = 400 * value / total
                    rows.append(
                        f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{bar}" fill="{colour[name]}"><title>{esc(f"{year}, {label}: {name} {value} of {total}")}</title></rect>'
                    )
                    x += width
                    parts.append(f"{name} {value / total:.0%}")
            rows.append(
                f'<text x="{left - 6}" y="{y + bar * 0.7:.0f}" text-anchor="end" font-size="12">{esc(f"{year} {label} ({total})")}</text>'
            )
            words.append(f"{year}, {label} ({total}): " + (", ".join(parts) if parts else "none"))
            y += bar + gap
        y += group - 2 * (bar + gap)
    height = y + 4
    label = (
        "Stacked bar chart of the archetype mix per year, the selected and the not selected each as 100%. "
        + "; ".join(words)
        + "."
    )
    svg = (
        f'<svg class="chart" role="img" aria-label="{esc(label)}" viewBox="0 0 {left + 410} {height}" width="{left + 410}" height="{height}">'
        f"<title>{esc(label)}</title>{''.join(rows)}</svg>"
    )
    key = (
        '<p class="key">'
        + " ".join(
            f'<span class="swatch" style="background:{colour[n]}"></span> {esc(n)}' for n in names
        )
        + "</p>"
    )
    head = "".join(
        f'<th scope="col">{esc(y)} selected</th><th scope="col">{esc(y)} not selected</th>'
        for y in years
    )
    body_rows = []
    for name in names:
        cells = []
        for year in years:
            c = counts(year)
            for index in (0, 1):
                total = sum(v[index] for v in c.values())
                value = c.get(name, (0, 0))[index]
                cells.append(
                    f'<td class="num" data-sort="{value}">{esc(value)} ({esc(f"{value / total:.0%}" if total else "–")})</td>'
                )
        body_rows.append(f"<tr><td>{esc(name)}</td>{''.join(cells)}</tr>")
    table = (
        f'<div class="table-wrap"><table class="data archetypes sortable"><caption>Nominees per archetype: count (share of the year\'s selected, or not selected)</caption>'
        f'<thead><tr><th scope="col">Archetype</th>{head}</tr></thead><tbody>{"".join(body_rows)}</tbody></table></div>'
    )
    extremes = []
    for year in years:
        rates = sorted(
            ((s / (s + o), name, s, s + o) for name, (s, o) in counts(year).items() if s + o > 0),
            key=lambda r: (-r[0], -r[3], r[1]),
        )
        if len(rates) >= 2:
            (_, top, ts, tn), (_, bottom, bs, bn) = rates[0], rates[-1]
            extremes.append(
                f"{year}: most often selected, {top} ({ts} of {tn}); least often, {bottom} ({bs} of {bn})"
            )
    note = (
        "<p>Archetypes are clusters of nominees with similar feature profiles, named each year from what distinguishes the cluster; "
        "a name missing from a year means no cluster that year fitted it.</p>"
    )
    if extremes:
        note += f"<p>{esc('; '.join(extremes))}.</p>"
    return (
        f'<h3 id="archetype-mix">Archetype mix</h3>{note}<figure>{svg}<figcaption>Archetype mix per year: the selected and the not selected, '
        f"each as 100%.</figcaption>{key}</figure>{table}"
    )


def _trends(cards: dict[int, dict[str, Any]]) -> str:
    """Trends across years: the AUC gap, who recurs, the archetype mix, counts by category."""
    if not cards:
        return ""
    years = sorted(cards)
    out = ['<section id="trends"><h2>Trends across years</h2>']
    # Each year's gap is its card's paired difference, as the year's briefing shows it.
    figures = {y: headline_figures(cards[y]) for y in years}
    gaps = [(y, f[4]) for y, f in figures.items() if f is not None]
    if len(gaps) >= 2:
        (first_year, first), (last_year, last) = gaps[0], gaps[-1]
        direction = (
            "widened"
            if last > first + 0.01
            else "narrowed"
            if last < first - 0.01
            else "stayed about the same"
        )
        out.append(
            '<p class="finding">The gap between the full influence model and the volume-only '
            f"model (their paired difference in ROC AUC) {esc(direction)}: "
            f"{esc(f'{first:+.2f}')} in {esc(first_year)}, {esc(f'{last:+.2f}')} in "
            f"{esc(last_year)}.</p>"
        )
    out.append(_auc_chart(cards))
    # who recurs
    seen: dict[str, dict[str, Any]] = {}
    for year in years:
        for nominee in cards[year].get("nominees_list", []):
            entry = seen.setdefault(
                str(nominee.get("nominee_id")),
                {"name": nominee.get("name"), "years": [], "selected": []},
            )
            entry["years"].append(year)
            if nominee.get("selected"):
                entry["selected"].append(year)
    recurring = sorted(
        ((e for e in seen.values() if len(e["years"]) > 1)),
        key=lambda e: (-len(e["selected"]), -len(e["years"]), str(e["name"])),
    )
    if seen:
        out.append(
            f"<h3>Who recurs</h3><p>{esc(len(recurring))} of {esc(len(seen))} nominees were nominated in more than one year; "
            f"{esc(sum(1 for e in recurring if len(e['selected']) > 1))} were selected more than once.</p>"
        )
        if recurring:
            rows = "".join(
                f'<tr><td>{esc(e["name"])}</td><td class="num" data-sort="{len(e["years"])}">{esc(len(e["years"]))}</td>'
                f'<td>{esc(", ".join(map(str, e["years"])))}</td><td class="num" data-sort="{len(e["selected"])}">{esc(len(e["selected"]))}</td>'
                f"<td>{esc(', '.join(map(str, e['selected'])) or 'never')}</td></tr>"
                for e in recurring
            )
            head = "".join(
                f'<th scope="col">{h}</th>'
                for h in ("Nominee", "Years nominated", "Which", "Times selected", "When selected")
            )
            out.append(
                f'<div class="table-wrap"><table class="data sortable"><caption>Nominees on more than one year\'s list (click a heading to sort)</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
            )
    out.append(_archetype_mix(cards))
    # counts by category
    categories = sorted({c for y in years for c in cards[y].get("categories", {})})
    if categories:
        head = "".join(f'<th scope="col">{esc(y)}</th>' for y in years)
        rows = "".join(
            f"<tr><td>{esc(c)}</td>"
            + "".join(
                f'<td class="num">{esc(cards[y].get("categories", {}).get(c, {}).get("selected", 0))} / {esc(cards[y].get("categories", {}).get(c, {}).get("nominees", 0))}</td>'
                for y in years
            )
            + "</tr>"
            for c in categories
        )
        out.append(
            f'<h3>Counts by category</h3><div class="table-wrap"><table class="data"><caption>Selected / nominated, by category and year</caption>'
            f'<thead><tr><th scope="col">Category</th>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
        )
    out.append("</section>")
    return "".join(out)


def write_index(reports_dir: Path, failures: dict[int, str] | None = None) -> Path:
    """Write ``reports_dir/index.html``: every year that has a rendered report, and trends.

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
            link = f'<a href="{esc(year)}/{esc(card.get("page", "index.html"))}">{esc(year)}</a>'
            figures = headline_figures(card)
            aucs = f"{fmt_number(figures[2])} → {fmt_number(figures[3])}" if figures else None
            gap = figures[4] if figures else None
            pdf = (
                f' (<a href="{esc(year)}/report.pdf">PDF</a>)'
                if (reports_dir / str(year) / "report.pdf").is_file()
                else ""
            )
            cells = [
                link + pdf,
                esc(card.get("nominees")),
                esc(card.get("selected")),
                esc(aucs),
                esc(f"{gap:+.2f}" if gap is not None else None),
                esc(card.get("verdict", "")),
                esc(card.get("rendered_at", "")),
            ]
        else:
            cells = [esc(year), "–", "–", "–", "–", "No report yet.", "–"]
        status = (
            f'<br><span class="failed">Latest run failed: {esc(failures[year])}</span>'
            if year in failures
            else ""
        )
        simulated = " (simulated)" if card and card.get("simulated") else ""
        cells[0] += esc(simulated)
        cells[5] += status
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in (
            "Year",
            "Nominees",
            "Selected",
            f"ROC AUC: {BASELINE} → {FULL}",
            "Gap (same folds)",
            "Finding",
            "Rendered",
        )
    )
    body = (
        "<header><h1>Influence or volume? Every year's list</h1>"
        "<p class=\"lede\">For each year's list of nominees, whether the panel's picks are better explained by how much "
        "nominees posted or by what their posts earned. Open a year for its briefing.</p></header>"
        '<section id="years"><h2>The years</h2><div class="table-wrap">'
        f'<table class="data years">{YEARS_CAPTION}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )
    if not years:
        body += "<p>No year has been run yet: run <code>make run</code>.</p>"
    body += _trends(cards)
    footer = f"nhs-influence {esc(__version__)}"
    return write_text_atomic(
        page("Influence or volume? Every year's list", body, footer), reports_dir / "index.html"
    )
