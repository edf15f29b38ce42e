"""Evidence cards: one per nominee, their headline figures against the year's median,
the model's explanation in words, and a small inline SVG chart.

The explanation comes from the volume-plus-engagement model of :mod:`src.model.compare`
fitted on the whole year: each feature's contribution to a nominee's log-odds of
selection is its coefficient times the nominee's standardised (and, for heavy-tailed
features, logged) value, so the words say which features lift a nominee above a typical
one in the model's eyes and which hold them back.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from src.report.html import esc, fmt_number

#: Headline figures on a card: column, label, how to show it.
CARD_FIGURES: tuple[tuple[str, str], ...] = (
    ("posts_per_day", "Posts per day"),
    ("engagement_per_own_post", "Engagement per own post"),
    ("followers", "Followers"),
    ("engagement_per_1k_followers", "Engagement per post per 1k followers"),
    ("reply_share", "Share of posts that are replies"),
)
#: Short words for features in explanations (falls back to the name).
FEATURE_WORDS = {
    "posts_per_day": "posting volume",
    "own_posts_per_day": "own posts per day",
    "repost_share": "share of reposts",
    "reply_share": "share of replies",
    "log10_followers": "followers",
    "listed_per_1k_followers": "lists per 1k followers",
    "amplification_rate": "reposts received per post",
    "conversation_rate": "replies received per post",
    "applause_rate": "likes received per post",
    "engagement_per_1k_followers": "engagement per 1k followers",
}
#: Bars are drawn on a log2 scale of value / median, clipped at this many doublings.
CLIP = 3.0


def _words(name: str) -> str:
    return FEATURE_WORDS.get(name, name.replace("_", " "))


def _ratio_text(value: Any, median: Any) -> str:
    if not _number(value) or not _number(median) or median == 0:
        return ""
    return f"×{value / median:.1f} the median"


def _number(value: Any) -> bool:
    return (
        isinstance(value, (int, float, np.number))
        and not isinstance(value, bool)
        and not math.isnan(float(value))
    )


def _svg(rows: list[tuple[str, Any, Any]], name: str) -> str:
    """Diverging bars: right of the line is above the year's median, left below (log scale)."""
    height, width, mid, half = 14 * len(rows) + 4, 160, 80, 76
    parts = [
        f'<line x1="{mid}" y1="0" x2="{mid}" y2="{height}" stroke="#425563" stroke-width="1"/>'
    ]
    words = []
    for index, (label, value, median) in enumerate(rows):
        y = 3 + 14 * index
        if not _number(value) or not _number(median) or median <= 0:
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
        words.append(f"{label} {ratio:.1f} times the median")
    label = (
        f"{name}: "
        + "; ".join(words)
        + ". Bars right of the line are above the year's median, left below (log scale)."
    )
    return (
        f'<svg class="spark" role="img" aria-label="{esc(label)}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f"><title>{esc(label)}</title>{''.join(parts)}</svg>"
    )


def card_html(row: dict[str, Any], medians: dict[str, Any], explanation: str | None) -> str:
    """One nominee's evidence card (every piece of data text escaped)."""
    figures = [(label, row.get(column), medians.get(column)) for column, label in CARD_FIGURES]
    items = "".join(
        f'<li><span class="label">{esc(label)}</span> <strong>{fmt_value(column, value)}</strong> '
        f'<span class="muted">(median {fmt_value(column, median)}{esc(", " + _ratio_text(value, median)) if _ratio_text(value, median) else ""})</span></li>'
        for (column, label), (_, value, median) in zip(CARD_FIGURES, figures)
    )
    decision = row.get("decision", "")
    selected = " selected" if row.get("selected") else ""
    score = (
        f"Model score {fmt_number(row.get('score'))}"
        if _number(row.get("score"))
        else "No model score"
    )
    words = (
        f'<p class="why">{esc(explanation)}</p>'
        if explanation
        else '<p class="why muted">No model explanation for this year (no model was fitted).</p>'
    )
    return (
        f'<article class="card{selected}"><h3>{esc(row.get("name"))}</h3>'
        f'<p class="meta">{esc(row.get("category"))} · <strong>{esc(decision)}</strong> · {esc(score)}</p>'
        f"{_svg(figures, str(row.get('name')))}"
        f'<ul class="figures">{items}</ul>{words}</article>'
    )


def fmt_value(column: str, value: Any) -> str:
    if not _number(value):
        return "–"
    if column == "followers":
        return esc(f"{int(round(float(value))):,}")
    if column.endswith("_share"):
        return esc(f"{float(value):.0%}")
    return esc(fmt_number(float(value)))


def cards_html(frame: pd.DataFrame, explanations_by_id: dict[str, str]) -> str:
    """Every nominee's card, in ``frame``'s order, in a grid."""
    medians = {
        column: frame[column].median() if column in frame.columns else None
        for column, _ in CARD_FIGURES
    }
    medians = {k: (float(v) if _number(v) else None) for k, v in medians.items()}
    cards = "".join(
        card_html(row, medians, explanations_by_id.get(str(row.get("nominee_id"))))
        for row in frame.to_dict("records")
    )
    return f'<div class="cards">{cards}</div>'
