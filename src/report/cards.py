"""Evidence cards: one per nominee, their headline figures against the year's median,
the model's explanation in words, and a small inline SVG chart.

The explanation comes from the full influence model of the model step
(:mod:`src.model.run`, written to ``model/nominees.parquet``): each feature's
contribution to a nominee's log-odds of selection is its coefficient times the nominee's
standardised (and, for heavy-tailed features, logged) value, summed over its family, so
the words say which families lift a nominee above a typical one in the model's eyes and
which hold them back. The cards show those words as the model step wrote them.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from src.report.format import card_value, fixed, is_number, number, times_median
from src.report.html import esc

#: Headline figures on a card: column and label (shown by :func:`src.report.format.card_value`).
CARD_FIGURES: tuple[tuple[str, str], ...] = (
    ("posts_per_day", "Posts per day"),
    ("engagement_per_own_post", "Engagement per own post"),
    ("followers", "Followers"),
    ("engagement_per_1k_followers", "Engagement per post per 1k followers"),
    ("reply_share", "Share of posts that are replies"),
)
#: Bars are drawn on a log2 scale of value / median, clipped at this many doublings.
CLIP = 3.0


def _svg(rows: list[tuple[str, Any, Any]], name: str) -> str:
    """Diverging bars: right of the line is above the year's median, left below (log scale)."""
    height, width, mid, half = 14 * len(rows) + 4, 160, 80, 76
    parts = [
        f'<line x1="{mid}" y1="0" x2="{mid}" y2="{height}" stroke="#425563" stroke-width="1"/>'
    ]
    words = []
    for index, (label, value, median) in enumerate(rows):
        y = 3 + 14 * index
        if not is_number(value) or not is_number(median) or median <= 0:
            parts.append(f'<text x="{mid + 4}" y="{y + 9}" font-size="9" fill="#768692">n/a</text>')
            words.append(f"{label}: not available")
            continue
        ratio = max(float(value), 1e-9) / float(median)
        doublings = max(-CLIP, min(CLIP, math.log2(ratio)))
        length = abs(doublings) / CLIP * half
        x = mid if doublings >= 0 else mid - length
        colour = "#005EB8" if doublings >= 0 else "#ED8B00"
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{max(length, 1):.1f}" height="10" fill="{colour}"/>'
        )
        words.append(f"{label} {fixed(ratio, 1)} times the median")
    label = (
        f"{name}: "
        + "; ".join(words)
        + ". Bars right of the line are above the year's median, left below (log scale)."
    )
    return (
        f'<svg class="spark" role="img" aria-label="{esc(label)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f"><title>{esc(label)}</title>{''.join(parts)}</svg>"
    )


def _figure_item(column: str, label: str, value: Any, median: Any) -> str:
    """One headline figure of a card, with the year's median and how it compares."""
    against = times_median(value, median)
    return (
        f'<li><span class="label">{esc(label)}</span> '
        f"<strong>{esc(card_value(column, value))}</strong> "
        f'<span class="muted">(median {esc(card_value(column, median))}'
        f"{esc(', ' + against) if against else ''})</span></li>"
    )


def card_html(row: dict[str, Any], medians: dict[str, Any], explanation: str | None) -> str:
    """One nominee's evidence card (every piece of data text escaped)."""
    figures = [(label, row.get(column), medians.get(column)) for column, label in CARD_FIGURES]
    items = "".join(
        _figure_item(column, label, value, median)
        for (column, label), (_, value, median) in zip(CARD_FIGURES, figures, strict=True)
    )
    decision = row.get("decision", "")
    selected = " selected" if row.get("selected") else ""
    score = (
        f"Model score {number(row.get('score'))}"
        if is_number(row.get("score"))
        else "No model score"
    )
    words = (
        f'<p class="why">{esc(explanation)}</p>'
        if explanation
        else '<p class="why muted">No model explanation for this year (no model was fitted).</p>'
    )
    return (
        f'<article class="card{selected}"><h3>{esc(row.get("name"))}</h3>'
        f'<p class="meta">{esc(row.get("category"))} · <strong>{esc(decision)}</strong> · '
        f"{esc(score)}</p>"
        f"{_svg(figures, str(row.get('name')))}"
        f'<ul class="figures">{items}</ul>{words}</article>'
    )


def cards_html(frame: pd.DataFrame, explanations_by_id: dict[str, str]) -> str:
    """Every nominee's card, in ``frame``'s order, in a grid."""
    medians = {
        column: frame[column].median() if column in frame.columns else None
        for column, _ in CARD_FIGURES
    }
    medians = {k: (float(v) if is_number(v) else None) for k, v in medians.items()}
    cards = "".join(
        card_html(row, medians, explanations_by_id.get(str(row.get("nominee_id"))))
        for row in frame.to_dict("records")
    )
    return f'<div class="cards">{cards}</div>'
