"""What the panel might look at again: the selected nominees the evidence backs least and
the unselected it backs most (``review.csv`` of the model step), each with the reason in
words and how firmly the rank interval says so."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from src.report.format import MISSING, fixed, is_number, ordinal, with_span
from src.report.html import paragraph, section, table
from src.report.load import YearReport
from src.report.outputs import usable
from src.report.sections.common import TITLES, notes_html, selected_flags, unavailable


def review_reason(row: dict[str, Any], places: int, nominees: int) -> str:
    """Why a decision is listed, in words, with how firmly the rank interval says so."""
    selected = bool(row.get("selected"))
    rank = row.get("rank")
    if not is_number(rank):
        text = str(
            row.get("review")
            or (
                "selected, least backed by the evidence"
                if selected
                else "not selected, most backed by the evidence"
            )
        )
        return text[:1].upper() + text[1:] + "."
    rank = int(rank)
    low, high = row.get("rank_low"), row.get("rank_high")
    # (best, worst) plausible rank, when the interval spans more than one place
    ends = (int(low), int(high)) if is_number(low) and is_number(high) else None
    interval = ends if ends is not None and ends[1] > ends[0] else None
    if selected:
        text = f"Selected, but ranked {ordinal(rank)} of {nominees} by the evidence" + (
            f", outside the {places} places" if rank > places else ", among the weakest picks"
        )
        if interval is not None:
            best, worst = interval
            text += (
                f"; even its best plausible rank ({ordinal(best)}) is outside them"
                if best > places
                else f"; its interval ({ordinal(best)} to {ordinal(worst)}) reaches the top "
                f"{places}: thin evidence rather than contrary"
            )
    else:
        text = f"Not selected, yet ranked {ordinal(rank)} of {nominees} by the evidence" + (
            f", inside the top {places}" if rank <= places else ""
        )
        if interval is not None:
            best, worst = interval
            text += (
                f"; even its worst plausible rank ({ordinal(worst)}) is inside the top {places}"
                if worst <= places
                else f"; its interval ({ordinal(best)} to {ordinal(worst)}) reaches beyond the "
                f"top {places}"
            )
    return text + "."


def _review_frame(report: YearReport, review: pd.DataFrame) -> pd.DataFrame:
    """``review.csv`` with the panel's decision as booleans, the nominee's name, and the
    archetype and explanation joined from ``nominees.parquet`` where the file lacks them."""
    frame = review.copy()
    if "selected" in frame.columns:
        frame["selected"] = frame["selected"].astype(str).str.lower().isin(["true", "1", "yes"])
    elif "review" in frame.columns:
        frame["selected"] = ~frame["review"].astype(str).str.startswith("not")
    else:
        frame["selected"] = False
    nominees = report.model_nominees
    if nominees is not None and "nominee_id" in frame.columns and "nominee_id" in nominees.columns:
        extra = [
            c
            for c in ("archetype", "explanation")
            if c in nominees.columns and c not in frame.columns
        ]
        if extra:
            frame["nominee_id"] = frame["nominee_id"].astype(str)
            frame = frame.merge(
                nominees[["nominee_id", *extra]]
                .astype({"nominee_id": str})
                .drop_duplicates("nominee_id"),
                on="nominee_id",
                how="left",
            )
    if "name" not in frame.columns:
        names = report.features.set_index(report.features["nominee_id"].astype(str))["name"]
        frame["name"] = frame["nominee_id"].astype(str).map(names)
    return frame


def _score_texts(frame: pd.DataFrame) -> list[str]:
    """Each score with its interval where the file has one ("0.05 (0.01 to 0.20)")."""
    has_interval = "score_low" in frame.columns and "score_high" in frame.columns
    return [
        with_span(s, a, b) if has_interval and is_number(a) and is_number(b) else fixed(s)
        for s, a, b in zip(
            frame["score"],
            frame.get("score_low", frame["score"]),
            frame.get("score_high", frame["score"]),
            strict=True,
        )
    ]


def _rank_texts(frame: pd.DataFrame) -> list[str]:
    """Each rank with its interval where it has one ("5 (3 to 6)")."""
    has_ranks = "rank_low" in frame.columns and "rank_high" in frame.columns
    return [
        f"{int(r)} ({int(a)} to {int(b)})"
        if has_ranks and is_number(a) and is_number(b) and b > a
        else (str(int(r)) if is_number(r) else MISSING)
        for r, a, b in zip(
            frame["rank"],
            frame.get("rank_low", frame["rank"]),
            frame.get("rank_high", frame["rank"]),
            strict=True,
        )
    ]


def review_section(report: YearReport) -> str:
    """The selected nominees the evidence backs least and the unselected it backs most,
    with reasons."""
    title, anchor = TITLES["review"], "review"
    review = report.outputs.review
    if not usable(review, "score") or not ({"name", "nominee_id"} & set(review.columns)):
        return section(
            title,
            unavailable("A list of the panel's decisions to look at again", report),
            anchor=anchor,
        )
    frame = _review_frame(report, review)
    places = int(selected_flags(report.features).sum())
    total = int(len(report.features))
    frame["reason"] = [review_reason(r, places, total) for r in frame.to_dict("records")]
    frame["panel"] = np.where(frame["selected"], "selected", "not selected")
    frame["score_text"] = _score_texts(frame)
    columns = [
        ("name", "Nominee"),
        ("category", "Category"),
        ("panel", "Panel"),
        ("reason", "Why look again"),
        ("score_text", "Model score (95% interval)"),
    ]
    sort_values = {"score_text": "score"}
    if "rank" in frame.columns:
        frame["rank_text"] = _rank_texts(frame)
        columns.append(("rank_text", "Model rank (interval)"))
        sort_values["rank_text"] = "rank"
    for column, heading in (("archetype", "Archetype"), ("explanation", "What carries them")):
        if column in frame.columns:
            columns.append((column, heading))
    columns = [(c, h) for c, h in columns if c in frame.columns]
    least = frame[frame["selected"]]
    most = frame[~frame["selected"]]
    scores_from = report.outputs.card.get("scores_from")
    words = (
        "The model scores every nominee on the evidence alone (the score is its probability of "
        "selection"
        + (f"; {scores_from}" if scores_from else "")
        + f"). Listed here: the {len(least)} selected nominees it backs least and the "
        f"{len(most)} unselected it backs most, out of {total}. A place on this list is a prompt "
        "to look again, not a finding that the panel erred: the model sees only the exports, "
        "and a wide interval means little evidence either way. Click a heading to sort."
    )
    body = paragraph(words)
    if len(least) and "rank_low" in frame.columns:
        firm = int((pd.to_numeric(least["rank_low"], errors="coerce") > places).sum())
        body += paragraph(
            f"For {firm} of the {len(least)} selected listed, even the optimistic end of the rank "
            f"interval falls outside the {places} places."
        )
    body += table(
        frame,
        columns,
        css_class="data review",
        sortable=True,
        sort_values=sort_values,
        caption=f"{report.run.year}: decisions the evidence backs least (selected) or most "
        "(not selected)",
    )
    return section(title, body + notes_html(report), anchor=anchor)
