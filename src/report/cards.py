"""Evidence cards: one per nominee, findable (an anchor every table row links to, the
nominee's handles and profile links, words a reader can search for), with their headline
figures against the year's median, a small chart, the model's explanation in plain words
and, for a nominee who was on last year's list too, how they moved.

The explanation comes from the full influence model of the model step
(:mod:`src.model.run`, ``model/nominees.parquet``): each family's contribution to a
nominee's log-odds of selection (coefficient times standardised value, summed over the
family). :func:`plain_explanation` says which families lift a nominee above a typical one
and which hold them back, by their plain names.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from src.report.format import (
    FAMILY_WORDS,
    card_value,
    family_name,
    fixed,
    is_number,
    ordinal,
    times_median,
)
from src.report.html import esc
from src.report.palette import ABOVE_COLOUR, BELOW_COLOUR
from src.report.people import People, card_anchor

#: Headline figures on a card: column and label (shown by :func:`src.report.format.card_value`).
CARD_FIGURES: tuple[tuple[str, str], ...] = (
    ("posts_per_day", "Posts per day"),
    ("engagement_per_own_post", "Engagement per own post"),
    ("followers", "Followers"),
    ("engagement_per_1k_followers", "Engagement per post per 1,000 followers"),
    ("reply_share", "Share of posts that are replies"),
)
#: Bars are drawn on a log2 scale of value / median, capped at this many doublings (×8).
CLIP = 3.0
#: A family's contribution (log-odds) that counts as carrying a nominee up or holding back.
CONTRIBUTION = 0.25


def _listed(words: list[str]) -> str:
    """Words as a list in a sentence: "a", "a and b", "a, b and c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def plain_explanation(row: dict[str, Any], families: list[str] | None = None) -> str | None:
    """Which families carry a nominee up and which hold them back, by plain name, from the
    family contributions in ``row`` (None when it has none)."""
    families = [f for f in (families or list(FAMILY_WORDS)) if is_number(row.get(f))]
    if not families:
        return None
    ups = sorted((f for f in families if row[f] >= CONTRIBUTION), key=lambda f: -row[f])
    downs = sorted((f for f in families if row[f] <= -CONTRIBUTION), key=lambda f: row[f])
    parts = []
    if ups:
        parts.append("lifted by " + _listed([family_name(f) for f in ups[:3]]))
    if downs:
        parts.append("held back by " + _listed([family_name(f) for f in downs[:3]]))
    text = "; ".join(parts) if parts else "close to a typical nominee on every kind of evidence"
    return text[:1].upper() + text[1:] + "."


def _svg(rows: list[tuple[str, Any, Any]], name: str) -> str:
    """Diverging bars: right of the line is above the year's median, left below (log
    scale); a bar capped at eight times is labelled with its true ratio."""
    height, width, mid, half = 14 * len(rows) + 4, 200, 100, 70
    parts = [
        f'<line x1="{mid}" y1="0" x2="{mid}" y2="{height}" stroke="#425563" stroke-width="1"/>'
    ]
    words = []
    for index, (label, value, median) in enumerate(rows):
        y = 3 + 14 * index
        if not is_number(value) or not is_number(median) or median <= 0:
            parts.append(f'<text x="{mid + 4}" y="{y + 9}" font-size="9" fill="#425563">n/a</text>')
            words.append(f"{label}: not available")
            continue
        ratio = max(float(value), 1e-9) / float(median)
        doublings = math.log2(ratio)
        capped = abs(doublings) > CLIP
        shown = max(-CLIP, min(CLIP, doublings))
        length = abs(shown) / CLIP * half
        x = mid if shown >= 0 else mid - length
        colour = ABOVE_COLOUR if shown >= 0 else BELOW_COLOUR
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{max(length, 1):.1f}" height="10" fill="{colour}"/>'
        )
        if capped:
            text = f"×{ratio:,.0f}" if ratio >= 1 else ("none" if value == 0 else f"×{ratio:.2f}")
            tx, anchor = (mid + half + 2, "start") if shown > 0 else (mid - half - 2, "end")
            parts.append(
                f'<text x="{tx:.0f}" y="{y + 9}" font-size="9" text-anchor="{anchor}" '
                f'fill="#231f20">{esc(text)}</text>'
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
    """One headline figure of a card and how it compares with the year's median (the
    medians themselves are said once, above the cards)."""
    against = times_median(value, median)
    return (
        f'<li><span class="label">{esc(label)}</span> '
        f"<strong>{esc(card_value(column, value))}</strong>"
        + (f' <span class="muted">{esc(against)}</span>' if against else "")
        + "</li>"
    )


def medians_sentence(medians: dict[str, Any]) -> str:
    """The year's median nominee, whom every card is set against, in one sentence."""
    parts = [
        f"{label.lower()} {card_value(column, medians.get(column))}"
        for column, label in CARD_FIGURES
        if is_number(medians.get(column))
    ]
    return ("The year's median nominee: " + "; ".join(parts) + ".") if parts else ""


def movement(row: dict[str, Any], before: dict[str, Any] | None) -> str | None:
    """How a nominee moved since last year's list, in words (None when not on it)."""
    if not before:
        return None
    year = before.get("year")
    decision = "selected" if before.get("selected") else "not selected"
    text = f"Also on the {year} list ({decision}"
    rank, last = row.get("rank"), before.get("rank")
    if is_number(last):
        text += f", ranked {ordinal(int(last))} of {before.get('nominees')} by the evidence"
    text += ")"
    if is_number(rank) and is_number(last):
        change = int(last) - int(rank)
        text += (
            f"; this year {ordinal(int(rank))}: "
            + (
                f"up {change} places"
                if change > 0
                else f"down {-change} places"
                if change < 0
                else "the same place"
            )
            + " on the evidence"
        )
    then, now = before.get("engagement_per_own_post"), row.get("engagement_per_own_post")
    if is_number(then) and is_number(now) and then > 0:
        text += (
            f"; engagement per own post {card_value('x', then)} then, {card_value('x', now)} now"
        )
    return text + "."


def card_html(
    row: dict[str, Any],
    medians: dict[str, Any],
    explanation: str | None,
    who: People,
    before: dict[str, Any] | None = None,
) -> str:
    """One nominee's evidence card (every piece of data text escaped)."""
    nominee_id = row.get("nominee_id")
    name = who.name(nominee_id, row.get("name"))
    figures = [(label, row.get(column), medians.get(column)) for column, label in CARD_FIGURES]
    items = "".join(
        _figure_item(column, label, value, median)
        for (column, label), (_, value, median) in zip(CARD_FIGURES, figures, strict=True)
    )
    selected = " selected" if row.get("selected") else ""
    rank = row.get("rank")
    place = (
        f"ranked {ordinal(int(rank))} of {row.get('nominees')} by the evidence"
        if is_number(rank)
        else "not ranked by a model this year"
    )
    handles = who.handles_html(nominee_id)
    words = (
        f'<p class="why">{esc(explanation)}</p>'
        if explanation
        else '<p class="why muted">No model explanation for this year (no model was fitted).</p>'
    )
    moved = movement(row, before)
    archetype = row.get("archetype")
    search = " ".join(
        str(x)
        for x in (name, who.handles_text(nominee_id), row.get("category"), archetype)
        if x is not None and x == x and str(x)
    )
    return (
        f'<article class="card{selected}" id="{esc(card_anchor(nominee_id))}" '
        f'data-search="{esc(search)}"><h3>{esc(name)}</h3>'
        f'<p class="meta">{esc(row.get("category"))} · '
        f"<strong>{esc(row.get('decision', ''))}</strong> · {esc(place)}"
        + (f" · {esc(archetype)}" if isinstance(archetype, str) else "")
        + "</p>"
        + (f'<p class="handles">{handles}</p>' if handles else "")
        + f"{_svg(figures, name)}"
        f'<ul class="figures">{items}</ul>{words}'
        + (f'<p class="moved">{esc(moved)}</p>' if moved else "")
        + "</article>"
    )


def cards_html(
    frame: pd.DataFrame,
    explanations_by_id: dict[str, str],
    who: People,
    previous: pd.DataFrame | None = None,
) -> str:
    """Every nominee's card, in ``frame``'s order, in a grid."""
    medians = {
        column: frame[column].median() if column in frame.columns else None
        for column, _ in CARD_FIGURES
    }
    medians = {k: (float(v) if is_number(v) else None) for k, v in medians.items()}
    before: dict[str, dict[str, Any]] = {}
    if previous is not None and len(previous):
        before = {str(r["nominee_id"]): r for r in previous.to_dict("records")}
    frame = frame.assign(nominees=len(frame))
    cards = "".join(
        card_html(
            row,
            medians,
            explanations_by_id.get(str(row.get("nominee_id"))),
            who,
            before.get(str(row.get("nominee_id"))),
        )
        for row in frame.to_dict("records")
    )
    if not cards:
        return ""
    line = medians_sentence(medians)
    return (f'<p class="medians">{esc(line)}</p>' if line else "") + (
        f'<div class="cards" id="cards">{cards}</div>'
    )
