"""Consistency across nominee categories: the panel's selections in each category against
the number the model expects from its nominees' scores (``categories.csv`` of the model
step), with bootstrap intervals, in words, a chart and a table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.report.figures import figure_html, interval_chart
from src.report.format import MISSING, fixed, is_number, percent, with_span
from src.report.html import paragraph, section, table
from src.report.load import YearReport
from src.report.outputs import usable
from src.report.sections.common import TITLES, notes_html, unavailable

#: Categories with fewer nominees than this are named as having the widest intervals.
SMALL_CATEGORY = 15


def _ratios(categories: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The categories with ratio, low and high (NaN without intervals), highest ratio
    first, and the selection rate; and whether the file has intervals."""
    frame = categories.copy()
    if "ratio" not in frame.columns:
        frame["ratio"] = np.where(
            frame["expected"] > 0,
            frame["selected"] / frame["expected"].where(frame["expected"] > 0, 1),
            np.nan,
        )
    has = "ratio_low" in frame.columns and "ratio_high" in frame.columns
    low = frame["ratio_low"] if has else pd.Series(np.nan, index=frame.index)
    high = frame["ratio_high"] if has else pd.Series(np.nan, index=frame.index)
    frame = frame.assign(low=low, high=high).sort_values(
        "ratio", ascending=False, na_position="last", ignore_index=True
    )
    if "nominees" in frame.columns:
        frame["rate"] = [
            percent(s / n) if is_number(n) and n > 0 else MISSING
            for s, n in zip(frame["selected"], frame["nominees"], strict=True)
        ]
    return frame, has


def _listed(frame: pd.DataFrame) -> str:
    """Categories with their ratio and interval: "doctor (2.00, 1.20 to 30.00)"."""
    return ", ".join(
        f"{c} ({fixed(r)}, {fixed(a)} to {fixed(b)})"
        for c, r, a, b in zip(
            frame["category"], frame["ratio"], frame["low"], frame["high"], strict=True
        )
    )


def _words(frame: pd.DataFrame, has: bool) -> str:
    """What the comparison says, without overclaiming."""
    more = frame[frame["low"] > 1]
    less = frame[frame["high"] < 1]
    total_selected, total_expected = float(frame["selected"].sum()), float(frame["expected"].sum())
    words = [
        "For each category, the panel's selections are set against the number the model "
        "expects from its nominees' evidence (the sum of their scores). In all, the panel made "
        f"{int(total_selected)} picks where the model expects {fixed(total_expected, 1)}."
    ]
    if not has:
        words.append(
            "Intervals are not available, so no category can be said to differ from what the "
            "evidence predicts."
        )
    elif len(more) or len(less):
        if len(more):
            words.append(
                "Picked more often than their evidence predicts (whole interval above 1): "
                + _listed(more)
                + "."
            )
        if len(less):
            words.append(
                "Picked less often than their evidence predicts (whole interval below 1): "
                + _listed(less)
                + "."
            )
        words.append(
            "With several categories compared, one such result can arise by chance; it is a "
            "question for the panel, not proof of bias."
        )
    else:
        words.append(
            "For every category the interval includes 1: no category was picked clearly more or "
            "less often than its nominees' evidence predicts. That is not proof of "
            "even-handedness: with these numbers the intervals are wide."
        )
    if "nominees" in frame.columns:
        small = frame[frame["nominees"] < SMALL_CATEGORY]
        if len(small):
            words.append(
                f"Categories with fewer than {SMALL_CATEGORY} nominees "
                f"({', '.join(map(str, small['category']))}) have the widest intervals."
            )
    return paragraph(" ".join(words))


def _chart(report: YearReport, frame: pd.DataFrame, has: bool) -> str:
    """Selected ÷ expected per category with its interval, a dashed line at 1 ("" when no
    category has a ratio)."""
    shown = frame[frame["ratio"].notna()]
    if not len(shown):
        return ""
    ends = pd.concat([shown["ratio"], shown["high"]]).astype(float)
    ends = ends[np.isfinite(ends)]
    limit = float(min(4.0, max(2.0, float(ends.max()) * 1.05 if len(ends) else 2.0)))
    labels = [
        f"{c} ({int(s)} of {int(n)})" if "nominees" in shown.columns else str(c)
        for c, s, n in zip(
            shown["category"],
            shown["selected"],
            shown.get("nominees", shown["selected"]),
            strict=True,
        )
    ]
    alt = (
        "Dot-and-interval chart of selected ÷ expected by category in "
        f"{report.run.year}, with a dashed line at 1 (as the evidence predicts): "
        + "; ".join(
            f"{lab}: {with_span(r, a, b)}"
            for lab, r, a, b in zip(
                labels, shown["ratio"], shown["low"], shown["high"], strict=True
            )
        )
        + "."
    )
    return figure_html(
        interval_chart(
            labels,
            shown["ratio"],
            shown["low"],
            shown["high"],
            xlabel="Selected ÷ expected from the evidence (1 = as expected)",
            title=f"{report.run.year}: selections against the evidence, by category",
            reference=1.0,
            highlight=((shown["low"] > 1) | (shown["high"] < 1)).to_numpy() if has else None,
            xlim=(0.0, limit),
        ),
        alt,
        "Right of the dashed line: the category was picked more often than its nominees' scores "
        "predict; left: less often. Bars are 95% bootstrap intervals (nominees resampled); arrows "
        f"mark intervals that run past {fixed(limit, 1)}. Blue: the interval excludes 1.",
    )


def categories_section(report: YearReport) -> str:
    """Selection rates against what the model expects, by category, with intervals."""
    title, anchor = TITLES["categories"], "categories"
    categories = report.outputs.categories
    if not usable(categories, "category", "selected", "expected"):
        return section(title, unavailable("Consistency across categories", report), anchor=anchor)
    frame, has = _ratios(categories)
    body = _words(frame, has) + _chart(report, frame, has)
    frame["expected_text"] = [fixed(e, 1) for e in frame["expected"]]
    frame["ratio_text"] = [
        with_span(r, a, b) if has else fixed(r)
        for r, a, b in zip(frame["ratio"], frame["low"], frame["high"], strict=True)
    ]
    columns = [
        ("category", "Category"),
        ("nominees", "Nominees"),
        ("selected", "Selected"),
        ("rate", "Selection rate"),
        ("expected_text", "Expected from the evidence"),
        ("ratio_text", "Selected ÷ expected (95% interval)"),
    ]
    body += table(
        frame,
        [(c, h) for c, h in columns if c in frame.columns],
        css_class="data categories",
        sortable=True,
        sort_values={"expected_text": "expected", "ratio_text": "ratio"},
        caption="Selections against the model's expectation, by category",
    )
    return section(title, body + notes_html(report), anchor=anchor)
