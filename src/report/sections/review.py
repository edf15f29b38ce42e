"""What the panel might look at again: the selected nominees the evidence backs least and
the unselected it backs most (``review.csv`` of the model step), each with the reason in
one sentence, how firmly the rank interval says so and what lifts or holds them back;
the first page's shortlist (:func:`shortlist`) is the top of the same list."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from src.report.cards import plain_explanation
from src.report.format import FAMILY_WORDS, MISSING, fixed, is_number, ordinal, with_span
from src.report.html import esc, paragraph, section, table
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
            for c in ("archetype", "explanation", *FAMILY_WORDS)
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


def look_again(report: YearReport) -> pd.DataFrame | None:
    """The decisions to look at again (``review.csv``), each with the nominee's shown name,
    linked name, the reason in one sentence and what lifts or holds them back; the
    selected the evidence backs least first, then the unselected it backs most. None when
    the model step wrote no such list."""
    review = report.outputs.review
    if not usable(review, "score") or not ({"name", "nominee_id"} & set(review.columns)):
        return None
    frame = _review_frame(report, review)
    places = int(selected_flags(report.features).sum())
    total = int(len(report.features))
    frame["reason"] = [review_reason(r, places, total) for r in frame.to_dict("records")]
    frame["panel"] = np.where(frame["selected"], "selected", "not selected")
    who = report.people
    ids = frame["nominee_id"] if "nominee_id" in frame.columns else frame["name"]
    frame["shown_name"] = [who.name(i, n) for i, n in zip(ids, frame["name"], strict=True)]
    frame["who"] = [
        who.link(i, n) + (f'<br><span class="muted">{esc(c)}</span>' if isinstance(c, str) else "")
        for i, n, c in zip(ids, frame["name"], frame.get("category", ids * 0), strict=True)
    ]
    families = [f for f in FAMILY_WORDS if f in frame.columns]
    frame["carries"] = [plain_explanation(r, families) or MISSING for r in frame.to_dict("records")]
    # the selected: weakest first; the unselected: strongest first (by rank, else score)
    key, weakest_last = ("rank", True) if "rank" in frame.columns else ("score", False)
    selected = frame[frame["selected"]].sort_values(key, ascending=not weakest_last)
    others = frame[~frame["selected"]].sort_values(key, ascending=weakest_last)
    return pd.concat([selected, others], ignore_index=True)


def short_reason(row: dict[str, Any], places: int, nominees: int) -> str:
    """Why a decision is on the first page's shortlist, in one short sentence: where the
    evidence ranks the nominee (and how far its interval reaches), and what holds them
    back (the selected) or lifts them (the others)."""
    rank, low, high = row.get("rank"), row.get("rank_low"), row.get("rank_high")
    carries = str(row.get("carries") or "")
    if not is_number(rank):
        return review_reason(row, places, nominees)
    if row.get("selected"):
        text = f"selected, but the evidence ranks them {ordinal(int(rank))} of {nominees}"
        if is_number(low) and low < rank:
            text += f" (at best {ordinal(int(low))})"
        text += f", outside the {places} places" if rank > places else ""
        part = [p for p in carries.rstrip(".").split("; ") if p.lower().startswith("held back")]
    else:
        text = f"not selected, yet the evidence ranks them {ordinal(int(rank))} of {nominees}"
        if is_number(high) and high > rank:
            text += f" (at worst {ordinal(int(high))})"
        text += f", inside the top {places}" if rank <= places else ""
        part = [p for p in carries.rstrip(".").split("; ") if p.lower().startswith("lifted")]
    return text + (f"; {part[0][:1].lower()}{part[0][1:]}" if part else "") + "."


def shortlist(report: YearReport, each: int = 3) -> list[tuple[str, str]]:
    """The first-page shortlist: up to ``each`` selected nominees the evidence backs least
    and ``each`` unselected it backs most, as (linked name with category, one-sentence
    reason)."""
    frame = look_again(report)
    if frame is None:
        return []
    places = int(selected_flags(report.features).sum())
    total = int(len(report.features))
    chosen = pd.concat([frame[frame["selected"]].head(each), frame[~frame["selected"]].head(each)])
    who = report.people
    ids = chosen["nominee_id"] if "nominee_id" in chosen.columns else chosen["name"]
    return [
        (
            who.link(i, row["name"])
            + (f" ({esc(row['category'])})" if isinstance(row.get("category"), str) else ""),
            short_reason(row, places, total),
        )
        for i, row in zip(ids, chosen.to_dict("records"), strict=True)
    ]


def review_section(report: YearReport) -> str:
    """The selected nominees the evidence backs least and the unselected it backs most,
    with reasons, and how many picks the evidence backs."""
    title, anchor = TITLES["review"], "review"
    frame = look_again(report)
    if frame is None:
        return section(
            title,
            unavailable("A list of the panel's decisions to look at again", report),
            anchor=anchor,
        )
    places = int(selected_flags(report.features).sum())
    total = int(len(report.features))
    frame["score_text"] = _score_texts(frame)
    columns = [
        ("who", "Nominee"),
        ("panel", "Panel"),
        ("reason", "Why look again"),
        ("carries", "What lifts or holds them back"),
        ("score_text", "Model score (95% interval)"),
    ]
    sort_values = {"score_text": "score"}
    if "rank" in frame.columns:
        frame["rank_text"] = _rank_texts(frame)
        columns.append(("rank_text", "Model rank (interval)"))
        sort_values["rank_text"] = "rank"
    if "archetype" in frame.columns:
        columns.append(("archetype", "Archetype"))
    least = frame[frame["selected"]]
    most = frame[~frame["selected"]]
    scores_from = report.outputs.card.get("scores_from")
    words = (
        "The model ranks every nominee on the evidence alone"
        + (f" (its scores come from {scores_from})" if scores_from else "")
        + f". Listed here: the {len(least)} selected nominees it backs least and the "
        f"{len(most)} unselected it backs most, out of {total}. A place on this list is a "
        "prompt to look again, not a finding that the panel erred: the model sees only the "
        "exports, and a wide interval means little evidence either way."
    )
    body = paragraph(words)
    backed = backing_sentence(report)
    if backed:
        body += paragraph(backed)
    body += table(
        frame,
        columns,
        css_class="data review",
        sortable=True,
        sort_values=sort_values,
        html_columns=("who",),
        column_classes={
            "score_text": "screen-only",
            "rank_text": "screen-only",
            "archetype": "screen-only",
        },
        caption=f"{report.run.year}: decisions the evidence backs least (selected) or most "
        f"(not selected), with the {places} places the panel filled",
        hint="click a heading to sort",
    )
    return section(title, body + notes_html(report), anchor=anchor)


def backing(report: YearReport) -> dict[str, Any] | None:
    """How many of the selected the evidence backs: places within the model's top N (N = picks)."""
    frame = report.model_nominees
    if (
        frame is None
        or frame.empty
        or "rank" not in frame.columns
        or "selected" not in frame.columns
    ):
        return None
    selected = selected_flags(frame)
    n_selected = int(selected.sum())
    if n_selected == 0:
        return None
    rank = pd.to_numeric(frame["rank"], errors="coerce")
    low = pd.to_numeric(frame["rank_low"], errors="coerce") if "rank_low" in frame.columns else rank
    high = (
        pd.to_numeric(frame["rank_high"], errors="coerce") if "rank_high" in frame.columns else rank
    )
    return {
        "places": n_selected,
        "nominees": int(len(frame)),
        "backed": int((selected & (rank <= n_selected)).sum()),
        "clearly_backed": int((selected & (high <= n_selected)).sum()),
        "not_backed": int((selected & (rank > n_selected)).sum()),
        "clearly_not_backed": int((selected & (low > n_selected)).sum()),
        "intervals": bool(((high - low) > 0).any()),
    }


def backing_sentence(report: YearReport) -> str | None:
    """How many picks the model places within its own top N, allowing for uncertainty."""
    b = backing(report)
    if b is None:
        return None
    places = b["places"]
    text = (
        f"Of the {places} selected, the model places {b['backed']} within its own top {places} "
        f"of {b['nominees']} (the evidence backs them) and {b['not_backed']} outside it."
    )
    if b["intervals"]:
        text += (
            f" Allowing for uncertainty, {b['clearly_backed']} stay in the top {places} across "
            f"their whole rank interval, and {b['clearly_not_backed']} stay outside it even at "
            "the optimistic end."
        )
    else:
        text += (
            " Rank intervals are not available this year, so these counts carry no allowance "
            "for uncertainty."
        )
    return text
