"""The nominees: a sortable table of every nominee's headline figures and model score,
then an evidence card each (:mod:`src.report.cards`).

The score is the full influence model's, from ``model/nominees.parquet`` of the model
step (:mod:`src.model.run`): the same score in the table and on the cards.
"""

from __future__ import annotations

import pandas as pd

from src.report.cards import cards_html
from src.report.figures import engagement_per_own_post
from src.report.format import MISSING, fixed, number
from src.report.html import paragraph, section, table
from src.report.load import YearReport
from src.report.sections.common import TITLES


def model_explanations(report: YearReport) -> dict[str, str]:
    """nominee_id -> archetype, score with its interval, and the explanation in words
    (from the model step, :mod:`src.model.run`); empty when no model was fitted."""
    frame = report.model_nominees
    if frame is None or frame.empty:
        return {}
    return {
        str(row.nominee_id): (
            f"{str(row.archetype).capitalize()}. Influence model score {fixed(row.score)} "
            f"(95% interval {fixed(row.score_low)} to {fixed(row.score_high)}); "
            f"{row.explanation}"
        )
        for row in frame.itertuples()
    }


def model_scores(report: YearReport) -> pd.DataFrame:
    """nominee_id -> score: the full influence model's (what the evidence cards show); empty
    when the model step could not fit one."""
    frame = report.model_nominees
    if frame is not None and not frame.empty and {"nominee_id", "score"} <= set(frame.columns):
        return frame[["nominee_id", "score"]]
    return pd.DataFrame(columns=["nominee_id", "score"])


def nominee_frame(report: YearReport) -> pd.DataFrame:
    """Nominees with their headline figures and model score, selected first, best score first."""
    features = report.features.copy()
    features["engagement_per_own_post"] = engagement_per_own_post(features)
    features["followers"] = (10 ** features["log10_followers"] - 1).round()
    frame = features.merge(model_scores(report), on="nominee_id", how="left").sort_values(
        ["selected", "score"], ascending=[False, False], na_position="last"
    )
    frame["decision"] = [
        "selected" + (f" (rank {int(r)})" if pd.notna(r) else "") if s else "not selected"
        for s, r in zip(frame["selected"], frame["rank"], strict=True)
    ]
    return frame


def score_note(report: YearReport) -> str:
    """What the table's model score is, in words (it depends on which model was fitted)."""
    frame = report.model_nominees
    if frame is not None and not frame.empty and "score" in frame.columns:
        return (
            "Model score: the influence model's probability of selection, the same score as on "
            "the evidence cards (see the summary for whether it was trained on earlier years or "
            "cross-validated within this one)."
        )
    return "Model score: none, because the influence model could not be fitted this year."


def nominees_section(report: YearReport) -> str:
    """Every nominee: a sortable table of headline figures, then an evidence card each."""
    frame = nominee_frame(report)
    columns = [
        ("name", "Nominee"),
        ("category", "Category"),
        ("decision", "Panel"),
        ("posts_per_day", "Posts per day"),
        ("engagement_per_own_post", "Engagement per own post"),
        ("followers", "Followers"),
        ("score", "Model score"),
    ]
    note = paragraph(score_note(report) + " Click a column heading to sort the table.")
    formats = {"followers": lambda v: number(int(v)) if pd.notna(v) else MISSING}
    cards_note = paragraph(
        "Each card sets a nominee's headline figures against the median nominee of the year. In "
        "the small chart, a bar to the right of the line is above the median and one to the left "
        "below it (each step is a doubling, up to eight times). Under the chart: the nominee's "
        "archetype, the full influence model's score with its interval, and which families of "
        "features carry the nominee up or hold them back (their contributions to the log-odds "
        "of selection)."
    )
    cards = (
        '<h3 id="cards">Evidence cards</h3>'
        + cards_note
        + cards_html(frame, model_explanations(report))
    )
    return section(
        TITLES["nominees"],
        note
        + table(frame, columns, formats=formats, css_class="data nominees", sortable=True)
        + cards,
        anchor="nominees",
    )
