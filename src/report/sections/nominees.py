"""Every nominee: a ranked table (sortable on screen, compact on paper) whose names link to
the evidence cards, a finder that filters both offline, then an evidence card each
(:mod:`src.report.cards`), with the archetypes defined where they are shown.

The score and rank are the full influence model's, from ``model/nominees.parquet`` of the
model step (:mod:`src.model.run`): the same in the table and on the cards.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from src.report.cards import cards_html, plain_explanation
from src.report.figures import engagement_per_own_post
from src.report.format import FAMILY_WORDS, MISSING, fixed, number, ordinal
from src.report.glossary import term_link
from src.report.html import paragraph, section, table
from src.report.load import YearReport
from src.report.sections.archetypes import archetype_definitions, archetype_sentence
from src.report.sections.common import TITLES

#: Columns of ``model/nominees.parquet`` joined to the features for the table and cards.
MODEL_COLUMNS = ("score", "score_low", "score_high", "rank", "rank_low", "rank_high", "archetype")


def model_explanations(report: YearReport) -> dict[str, str]:
    """nominee_id -> the score with its interval and what carries the nominee, in plain
    words (from the model step); empty when no model was fitted."""
    frame = report.model_nominees
    if frame is None or frame.empty or "nominee_id" not in frame.columns:
        return {}
    families = [f for f in FAMILY_WORDS if f in frame.columns]
    out = {}
    for row in frame.to_dict("records"):
        words = plain_explanation(row, families) or str(row.get("explanation") or "")
        score = (
            f"Model score {fixed(row.get('score'))} (95% interval {fixed(row.get('score_low'))} "
            f"to {fixed(row.get('score_high'))}). "
            if "score" in row
            else ""
        )
        out[str(row["nominee_id"])] = score + words
    return out


def nominee_frame(report: YearReport) -> pd.DataFrame:
    """Nominees with their headline figures, model score and rank, best evidence first (by
    name when no model was fitted)."""
    features = report.features.rename(columns={"rank": "panel_rank"})
    features["nominee_id"] = features["nominee_id"].astype(str)
    features["engagement_per_own_post"] = engagement_per_own_post(features)
    features["followers"] = (
        (10 ** features["log10_followers"] - 1).round() if "log10_followers" in features else None
    )
    frame = report.model_nominees
    if frame is not None and not frame.empty and "nominee_id" in frame.columns:
        extra = [c for c in MODEL_COLUMNS if c in frame.columns and c not in features.columns]
        features = features.merge(
            frame[["nominee_id", *extra]].astype({"nominee_id": str}), on="nominee_id", how="left"
        )
    for column in ("score", "rank"):
        if column not in features.columns:
            features[column] = float("nan")
    features = features.sort_values(["rank", "name"], na_position="last", kind="stable")
    panel = (
        features["panel_rank"]
        if "panel_rank" in features
        else pd.Series(pd.NA, index=features.index)
    )
    features["decision"] = [
        ("selected" + (f" (panel's {ordinal(int(r))})" if pd.notna(r) else ""))
        if bool(s)
        else "not selected"
        for s, r in zip(features["selected"].fillna(False).astype(bool), panel, strict=True)
    ]
    return features.reset_index(drop=True)


def score_note(report: YearReport) -> str:
    """What the table's rank and score are, in words (it depends on which model was fitted)."""
    frame = report.model_nominees
    if frame is not None and not frame.empty and "score" in frame.columns:
        return (
            "Rank and score: where the full influence model places each nominee on the evidence "
            "alone (1 = most backed), and its chance of selection for them; the same as on "
            "the evidence cards."
        )
    return "No rank or score: the influence model could not be fitted this year."


def _rank_text(row: dict[str, Any]) -> str:
    """The model's rank with its interval ("5 (3 to 8)")."""
    rank, low, high = row.get("rank"), row.get("rank_low"), row.get("rank_high")
    if rank is None or pd.isna(rank):
        return MISSING
    if low is not None and high is not None and pd.notna(low) and pd.notna(high) and high > low:
        return f"{int(rank)} ({int(low)} to {int(high)})"
    return str(int(rank))


def finder() -> str:
    """The finder box (shown by the page script; never on paper)."""
    return (
        '<p class="finder screen-only" hidden><label for="find-nominee">Find a nominee by name, '
        "handle, category or archetype:</label> "
        '<input id="find-nominee" type="search" autocomplete="off" '
        'data-filter="#cards article.card, table.nominees tbody tr" '
        'data-count="#cards article.card"> <output></output></p>'
    )


def nominees_section(report: YearReport) -> str:
    """Every nominee: the ranked table, the finder, the archetypes in words, the cards."""
    frame = nominee_frame(report)
    who = report.people
    frame["who"] = [who.link(i, n) for i, n in zip(frame["nominee_id"], frame["name"], strict=True)]
    frame["rank_text"] = [_rank_text(r) for r in frame.to_dict("records")]
    columns = [
        ("rank_text", "Rank"),
        ("who", "Nominee"),
        ("category", "Category"),
        ("decision", "Panel"),
        ("score", "Model score"),
        ("posts_per_day", "Posts per day"),
        ("engagement_per_own_post", "Engagement per own post"),
        ("followers", "Followers"),
    ]
    columns = [(c, h) for c, h in columns if c in frame.columns]
    if not len(frame):
        return section(
            TITLES["nominees"],
            paragraph(f"No nominee is listed for {report.run.year}."),
            anchor="nominees",
        )
    note = paragraph(
        score_note(report) + " A name links to the nominee's evidence card."
    ) + paragraph(
        "Engagement per own post: reposts, replies and likes each of the nominee's own posts "
        "earned, on average."
    )
    ranked = table(
        frame,
        columns,
        formats={
            "followers": lambda v: number(int(v)) if pd.notna(v) else MISSING,
            "score": lambda v: fixed(v),
        },
        css_class="data nominees",
        sortable=True,
        sort_values={"rank_text": "rank"},
        html_columns=("who",),
        column_classes={
            "posts_per_day": "screen-only",
            "engagement_per_own_post": "screen-only",
            "followers": "screen-only",
        },
        caption=f"{report.run.year}: every nominee, most backed by the evidence first",
        hint="click a heading to sort",
    )
    cards_note = paragraph(
        "Each card gives the nominee's handles (linked to their profiles), how the model "
        "ranks them, their headline figures against the year's median nominee, and what "
        "lifts them or holds them back. In the small chart a bar right of the line is above "
        "the median and one left of it below (each step a doubling; a bar capped at eight "
        "times is labelled with its value)."
    )
    archetypes = archetype_sentence(report)
    cards = (
        '<div class="cards-part"><h3 id="cards-heading">Evidence cards</h3>'
        + cards_note
        + (paragraph(archetypes) if archetypes else "")
        + archetype_definitions(report)
        + cards_html(frame, model_explanations(report), who, report.previous)
        + "</div>"
    )
    how = (
        "<p>How the score is made: see "
        + term_link("logistic regression")
        + " and "
        + term_link("rank interval")
        + " in the glossary.</p>"
    )
    return section(TITLES["nominees"], note + finder() + ranked + how + cards, anchor="nominees")
