"""The index page's trends across years, from each year's report record.

:func:`trends_section` puts together, in this order: how the gap between the full
influence model and the volume-only model moved (:func:`gap_trend`), a bar chart of both
models' ROC AUC per year (:func:`auc_chart`), who recurs across years
(:func:`who_recurs`), the archetype mix of the selected and the not selected
(:func:`archetype_mix`) and the counts by category (:func:`category_counts`).

Every figure is read from the years' records (:mod:`src.report.record`) as they are;
charts are inline SVG with a text alternative. Years are keys of ``cards``: year ->
that year's record.
"""

from __future__ import annotations

from typing import Any

from src.model.names import label as model_label
from src.report.format import MISSING, fixed, percent, signed_ascii
from src.report.html import esc
from src.report.palette import BASELINE_COLOUR, FULL_COLOUR, group_colour
from src.report.people import card_anchor
from src.report.record import headline_figures
from src.report.sections.archetypes import archetype_rank, definitions_html

#: year -> that year's report record (``report.json``)
Cards = dict[int, dict[str, Any]]


def gap_trend(cards: Cards) -> str:
    """One sentence on how the gap between the full and the volume-only model moved
    from the first year with a comparison to the last ("" with fewer than two)."""
    # Each year's gap is its card's paired difference, as the year's briefing shows it.
    gaps = [(y, f.gap) for y in sorted(cards) if (f := headline_figures(cards[y])) is not None]
    if len(gaps) < 2:
        return ""
    (first_year, first), (last_year, last) = gaps[0], gaps[-1]
    direction = (
        "widened"
        if last > first + 0.01
        else "narrowed"
        if last < first - 0.01
        else "stayed about the same"
    )
    return (
        '<p class="finding">The gap between the full influence model and the volume-only '
        f"model (their paired difference in ROC AUC) {esc(direction)}: "
        f"{esc(signed_ascii(first))} in {esc(first_year)}, {esc(signed_ascii(last))} in "
        f"{esc(last_year)}.</p>"
    )


def auc_chart(cards: Cards) -> str:
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
            f'<text x="44" y="{y + 4:.0f}" text-anchor="end" font-size="11">{fixed(tick, 1)}</text>'
        )
        parts.append(
            f'<line x1="50" y1="{y:.0f}" x2="{width}" y2="{y:.0f}" stroke="#d8dde0" '
            'stroke-dasharray="3 3"/>'
        )
    words = []
    names: tuple[str, str] = ("", "")
    for index, (year, figures) in enumerate(rows):
        names = (figures.baseline, figures.full)
        x = 60 + index * group
        for offset, value, colour in (
            (0, figures.baseline_auc, BASELINE_COLOUR),
            (bar + 4, figures.full_auc, FULL_COLOUR),
        ):
            h = max(0.0, min(1.0, value)) * height
            parts.append(
                f'<rect x="{x + offset}" y="{top + height - h:.1f}" width="{bar}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{x + offset + bar / 2:.0f}" y="{top + height - h - 4:.1f}" '
                f'text-anchor="middle" font-size="10">{fixed(value)}</text>'
            )
        parts.append(
            f'<text x="{x + bar + 2:.0f}" y="{top + height + 16}" text-anchor="middle" '
            f'font-size="12">{esc(year)}</text>'
        )
        words.append(
            f"{year}: {model_label(figures.baseline)} {fixed(figures.baseline_auc)}, "
            f"{model_label(figures.full)} {fixed(figures.full_auc)} "
            f"(gap {signed_ascii(figures.gap)})"
        )
    baseline_label, full_label = (model_label(name) for name in names)
    alt = (
        f"Bar chart of cross-validated ROC AUC per year, orange for {baseline_label} and blue for "
        f"{full_label}. " + "; ".join(words) + "."
    )
    svg = (
        f'<svg class="chart" role="img" aria-label="{esc(alt)}" '
        f'viewBox="0 0 {width} {top + height + 24}" width="{width}" height="{top + height + 24}" '
        f"><title>{esc(alt)}</title>{''.join(parts)}</svg>"
    )
    key = (
        f'<p class="key"><span class="swatch" style="background:{BASELINE_COLOUR}"></span> '
        f'{esc(baseline_label)} <span class="swatch" style="background:{FULL_COLOUR}"></span> '
        f"{esc(full_label)}</p>"
    )
    return (
        f"<figure>{svg}<figcaption>How well each model explains the panel's picks, year by year "
        "(0.5 is a coin toss). The gap is how much better the full influence model ranks the "
        f"picks than volume alone, on the same folds.</figcaption>{key}</figure>"
    )


def who_recurs(cards: Cards) -> str:
    """How many nominees were on more than one year's list, and a table of them, each
    linked to their evidence card in the latest year's briefing."""
    seen: dict[str, dict[str, Any]] = {}
    for year in sorted(cards):
        for nominee in cards[year].get("nominees_list", []):
            entry = seen.setdefault(
                str(nominee.get("nominee_id")),
                {"name": nominee.get("name"), "years": [], "selected": []},
            )
            entry.update(name=nominee.get("name"), category=nominee.get("category"), last=year)
            entry["years"].append(year)
            if nominee.get("selected"):
                entry["selected"].append(year)
    if not seen:
        return ""
    # a name two people share is told apart by category, then by id
    names = [str(e["name"]) for e in seen.values()]
    for nominee_id, entry in seen.items():
        if names.count(str(entry["name"])) > 1:
            entry["name"] = f"{entry['name']} ({entry.get('category') or nominee_id})"
    recurring = sorted(
        ({**e, "id": i} for i, e in seen.items() if len(e["years"]) > 1),
        key=lambda e: (-len(e["selected"]), -len(e["years"]), str(e["name"])),
    )
    twice = sum(1 for e in recurring if len(e["selected"]) > 1)
    out = (
        f"<h3>Who recurs</h3><p>{esc(len(recurring))} of {esc(len(seen))} nominees were "
        f"nominated in more than one year; {esc(twice)} were selected more than once. A name "
        "links to the nominee's evidence card in their latest year's briefing.</p>"
    )
    if not recurring:
        return out
    rows = "".join(
        f'<tr><td><a href="{esc(e["last"])}/index.html#{esc(card_anchor(e["id"]))}">'
        f"{esc(e['name'])}</a></td>"
        f'<td class="num" data-sort="{len(e["years"])}">{esc(len(e["years"]))}</td>'
        f"<td>{esc(', '.join(map(str, e['years'])))}</td>"
        f'<td class="num" data-sort="{len(e["selected"])}">{esc(len(e["selected"]))}</td>'
        f"<td>{esc(', '.join(map(str, e['selected'])) or 'never')}</td></tr>"
        for e in recurring
    )
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("Nominee", "Years nominated", "Which", "Times selected", "When selected")
    )
    return (
        out + '<div class="table-wrap"><table class="data sortable"><caption>Nominees on more '
        "than one year's list"
        ' <span class="hint">(click a heading to sort)</span></caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _archetype_counts(card: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """archetype -> (selected, not selected) of one year's record."""
    out = {}
    for name, entry in card["archetypes"].items():
        n, s = int(entry.get("nominees", 0)), int(entry.get("selected", 0))
        out[name] = (s, n - s)
    return out


def _archetype_bars(
    counts: dict[int, dict[str, tuple[int, int]]], colour: dict[str, str]
) -> tuple[str, list[str], int, int]:
    """The stacked bars (SVG elements), the chart's words per bar, its width and height.

    Each bar is 400 wide (100% of its group) and starts after a 150-wide label.
    """
    bar, gap, group, left, top = 22, 6, 70, 150, 10
    rows, words = [], []
    y = top
    for year, mix in counts.items():
        for index, label in ((0, "selected"), (1, "not selected")):
            total = sum(v[index] for v in mix.values())
            x = float(left)
            parts = []
            for name in colour:
                value = mix.get(name, (0, 0))[index]
                if total and value:
                    width = 400 * value / total
                    title = esc(f"{year}, {label}: {name} {value} of {total}")
                    rows.append(
                        f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{bar}" '
                        f'fill="{colour[name]}"><title>{title}</title></rect>'
                    )
                    x += width
                    parts.append(f"{name} {percent(value / total)}")
            rows.append(
                f'<text x="{left - 6}" y="{y + bar * 0.7:.0f}" text-anchor="end" '
                f'font-size="12">{esc(f"{year} {label} ({total})")}</text>'
            )
            words.append(f"{year}, {label} ({total}): " + (", ".join(parts) if parts else "none"))
            y += bar + gap
        y += group - 2 * (bar + gap)
    return "".join(rows), words, left + 410, y + 4


def _archetype_table(counts: dict[int, dict[str, tuple[int, int]]], names: list[str]) -> str:
    """Nominees per archetype and year, selected and not: count (share of the group)."""
    head = "".join(
        f'<th scope="col">{esc(y)} selected</th><th scope="col">{esc(y)} not selected</th>'
        for y in counts
    )
    body_rows = []
    for name in names:
        cells = []
        for mix in counts.values():
            for index in (0, 1):
                total = sum(v[index] for v in mix.values())
                value = mix.get(name, (0, 0))[index]
                share = percent(value / total) if total else MISSING
                cells.append(
                    f'<td class="num" data-sort="{value}">{esc(value)} ({esc(share)})</td>'
                )
        body_rows.append(f"<tr><td>{esc(name)}</td>{''.join(cells)}</tr>")
    return (
        '<div class="table-wrap"><table class="data archetypes sortable"><caption>Nominees per '
        "archetype: count (share of the year's selected, or not selected)</caption>"
        f'<thead><tr><th scope="col">Archetype</th>{head}</tr></thead>'
        f"<tbody>{''.join(body_rows)}</tbody></table></div>"
    )


def _archetype_extremes(counts: dict[int, dict[str, tuple[int, int]]]) -> list[str]:
    """Per year, the archetype most often and least often selected, in words."""
    extremes = []
    for year, mix in counts.items():
        rates = sorted(
            ((s / (s + o), name, s, s + o) for name, (s, o) in mix.items() if s + o > 0),
            key=lambda r: (-r[0], -r[3], r[1]),
        )
        if len(rates) >= 2:
            (_, most, ms, mn), (_, least, ls, ln) = rates[0], rates[-1]
            extremes.append(
                f"{year}: most often selected, {most} ({ms} of {mn}); "
                f"least often, {least} ({ls} of {ln})"
            )
    return extremes


def archetype_mix(cards: Cards) -> str:
    """Archetype mix per year, selected against not selected: a stacked-bar SVG and a table.

    Archetypes are named by the same fixed rules every year (a name may appear in some
    years only), kept in one order with one colour each; the shares are within each group
    (selected, not selected) of a year.
    """
    years = [
        y
        for y in sorted(cards)
        if isinstance(cards[y].get("archetypes"), dict) and cards[y]["archetypes"]
    ]
    if not years:
        return (
            '<h3 id="archetype-mix">Archetype mix</h3><p>No year has archetypes yet (the model '
            "step assigns them when it can fit a model).</p>"
            if cards
            else ""
        )
    # the same names in the same order and colours every year
    names = sorted(
        {name for year in years for name in cards[year]["archetypes"]}, key=archetype_rank
    )
    colour = {name: group_colour(i) for i, name in enumerate(names)}
    counts = {year: _archetype_counts(cards[year]) for year in years}
    bars, words, width, height = _archetype_bars(counts, colour)
    label = (
        "Stacked bar chart of the archetype mix per year, the selected and the not selected "
        "each as 100%. " + "; ".join(words) + "."
    )
    svg = (
        f'<svg class="chart" role="img" aria-label="{esc(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><title>{esc(label)}</title>{bars}</svg>'
    )
    key = (
        '<p class="key">'
        + " ".join(
            f'<span class="swatch" style="background:{colour[n]}"></span> {esc(n)}' for n in names
        )
        + "</p>"
    )
    note = (
        "<p>Archetypes are groups of nominees with a similar style, found each year by "
        "clustering their profiles and named by the same fixed rules every year, so the years "
        "compare like with like; a name missing from a year means no group that year fitted "
        "it.</p>" + definitions_html(names)
    )
    extremes = _archetype_extremes(counts)
    if extremes:
        note += f"<p>{esc('; '.join(extremes))}.</p>"
    return (
        f'<h3 id="archetype-mix">Archetype mix</h3>{note}<figure>{svg}<figcaption>Archetype mix '
        f"per year: the selected and the not selected, each as 100%.</figcaption>{key}</figure>"
        + _archetype_table(counts, names)
    )


def category_counts(cards: Cards) -> str:
    """Selected / nominated by category and year ("" when no record has categories)."""
    years = sorted(cards)
    categories = sorted({c for y in years for c in cards[y].get("categories", {})})
    if not categories:
        return ""

    def cell(year: int, category: str) -> str:
        counts = cards[year].get("categories", {}).get(category, {})
        return (
            f'<td class="num">{esc(counts.get("selected", 0))} / '
            f"{esc(counts.get('nominees', 0))}</td>"
        )

    head = "".join(f'<th scope="col">{esc(y)}</th>' for y in years)
    rows = "".join(
        f"<tr><td>{esc(c)}</td>" + "".join(cell(y, c) for y in years) + "</tr>" for c in categories
    )
    return (
        '<h3>Counts by category</h3><div class="table-wrap"><table class="data"><caption>'
        "Selected / nominated, by category and year</caption>"
        f'<thead><tr><th scope="col">Category</th>{head}</tr></thead><tbody>{rows}</tbody>'
        "</table></div>"
    )


def trends_section(cards: Cards) -> str:
    """Trends across years: the AUC gap, who recurs, the archetype mix, counts by category
    ("" when no year has a record)."""
    if not cards:
        return ""
    return (
        '<section id="trends"><h2>Trends across years</h2>'
        + gap_trend(cards)
        + auc_chart(cards)
        + who_recurs(cards)
        + archetype_mix(cards)
        + category_counts(cards)
        + "</section>"
    )
