"""Which kinds of evidence (feature families) matter most: permutation importance by family,
and every coefficient of the full logistic model with its bootstrap interval (the full
table on screen only; the chart of the largest is printed).

Reads ``importance.csv`` and ``coefficients.csv`` of the model step; either may be
missing, and the section says so.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from src.report.figures import figure_html, interval_chart
from src.report.format import (
    MISSING,
    family_name,
    family_short,
    family_words,
    feature_words,
    fixed,
    is_number,
    signed,
    span,
    with_span,
)
from src.report.html import paragraph, section, table
from src.report.load import YearReport
from src.report.outputs import usable
from src.report.sections.common import TITLES, notes_html, unavailable

#: Coefficients drawn in the chart (the largest by size); the table lists them all.
CHART_COEFFICIENTS = 15


def family_sentence(importance: pd.DataFrame | None) -> str | None:
    """Which family carries most, the next two, and which are clearly above zero."""
    if not usable(importance, "family", "mean"):
        return None
    frame = importance.sort_values("mean", ascending=False, ignore_index=True)
    has_interval = "low" in frame.columns and "high" in frame.columns

    def one(row: dict[str, Any]) -> str:
        interval = f" (95% range {span(row.get('low'), row.get('high'))})"
        return (
            f"{family_words(row['family'])}, {fixed(row['mean'])}{interval if has_interval else ''}"
        )

    rows = frame.to_dict("records")
    clear = [r for r in rows if has_interval and is_number(r.get("low")) and r["low"] > 0]
    top = rows[0]
    text = (
        f"The kind of evidence that matters most is {family_words(top['family'])}: shuffling "
        f"it between nominees lowers the boosted model's ROC AUC by {fixed(top['mean'])}"
        + (f" (95% range {span(top.get('low'), top.get('high'))})" if has_interval else "")
        + "."
    )
    if len(rows) > 1:
        text += " Next: " + "; ".join(one(r) for r in rows[1:3]) + "."
    if has_interval:
        if not clear:
            text += (
                " No kind of evidence is clearly above zero on its own (they overlap in what "
                "they measure)."
            )
        elif len(clear) == 1:
            text += f" Only {family_name(clear[0]['family'])} is clearly above zero."
        else:
            text += (
                " Clearly above zero: " + ", ".join(family_name(r["family"]) for r in clear) + "."
            )
    return text


def _importance(report: YearReport, importance: pd.DataFrame) -> str:
    """The importance by family: a sentence, a dot-and-interval chart and a table."""
    frame = importance.sort_values("mean", ascending=False, ignore_index=True)
    low = frame["low"] if "low" in frame.columns else pd.Series(np.nan, index=frame.index)
    high = frame["high"] if "high" in frame.columns else pd.Series(np.nan, index=frame.index)
    words = [family_words(f) for f in frame["family"]]
    body = paragraph(family_sentence(importance) or "")
    alt = (
        "Dot-and-interval chart of how much held-out ROC AUC the boosted model loses when each "
        f"feature family is shuffled, {report.run.year}: "
        + "; ".join(
            f"{w}: {with_span(m, lo, hi)}"
            for w, m, lo, hi in zip(words, frame["mean"], low, high, strict=True)
        )
        + "."
    )
    body += figure_html(
        interval_chart(
            [family_short(f) for f in frame["family"]],
            frame["mean"],
            low,
            high,
            xlabel="Drop in ROC AUC when the family is shuffled (AUC points)",
            title=f"{report.run.year}: what each kind of evidence carries",
            highlight=(low > 0).to_numpy(),
        ),
        alt,
        "Each dot is the average drop in the boosted model's ROC AUC, on nominees it did not learn "
        "from, when one family's features are shuffled together; the bar is the 95% range across "
        "tests and shuffles. Blue: clearly above zero. A family near zero may still matter, but "
        "carries nothing the others do not.",
    )
    shown = frame.assign(
        family_words=words,
        interval=[span(a, b) for a, b in zip(low, high, strict=True)],
    )
    return body + table(
        shown,
        [
            ("family_words", "Kind of evidence (family)"),
            ("mean", "Drop in ROC AUC"),
            ("interval", "95% range"),
        ],
        caption="What each kind of evidence carries (permutation importance by family)",
        formats={"mean": lambda v: fixed(v)},
    )


def _coefficients(report: YearReport, coefficients: pd.DataFrame) -> str:
    """The coefficients: which exclude zero, a chart of the largest, a table of them all."""
    frame = coefficients.copy()
    frame["size"] = frame["coefficient"].abs()
    frame = frame.sort_values("size", ascending=False, ignore_index=True)
    has = "low" in frame.columns and "high" in frame.columns
    low = frame["low"] if has else pd.Series(np.nan, index=frame.index)
    high = frame["high"] if has else pd.Series(np.nan, index=frame.index)
    clear = ((low > 0) | (high < 0)).to_numpy() if has else np.zeros(len(frame), dtype=bool)
    top = frame.head(CHART_COEFFICIENTS)
    top_low, top_high = low.head(CHART_COEFFICIENTS), high.head(CHART_COEFFICIENTS)
    words = [feature_words(f) for f in top["feature"]]
    clear_rows = frame[clear]
    sentence = (
        (
            "Single features whose bootstrap interval excludes zero: "
            + "; ".join(
                f"{feature_words(r['feature'])} "
                + with_span(r["coefficient"], r["low"], r["high"], fmt=signed)
                for r in clear_rows.head(6).to_dict("records")
            )
            + "."
        )
        if len(clear_rows)
        else "No single feature's bootstrap interval excludes zero."
    )
    body = '<h3 id="coefficients">Single features: coefficients with bootstrap intervals</h3>'
    body += paragraph(
        sentence + " A coefficient is the change in log-odds of selection per standard deviation "
        "of the (logged) feature, all others fixed (see the glossary); features that measure "
        "similar things share credit, so single coefficients are less stable than the family "
        "totals above."
    )
    alt = (
        f"Dot-and-interval chart of the {len(top)} largest logistic coefficients in "
        f"{report.run.year}, with 95% bootstrap intervals: "
        + "; ".join(
            f"{w} {with_span(c, lo, hi, fmt=signed)}"
            for w, c, lo, hi in zip(words, top["coefficient"], top_low, top_high, strict=True)
        )
        + "."
    )
    body += figure_html(
        interval_chart(
            words,
            top["coefficient"],
            top_low,
            top_high,
            xlabel="Change in log-odds of selection per standard deviation",
            value_text=lambda v: signed(v),
            title=f"{report.run.year}: the largest coefficients",
            highlight=clear[: len(top)],
        ),
        alt,
        "Right of the dashed line: more of the feature goes with better odds of selection; "
        "left: worse. Blue: the 95% bootstrap interval (people resampled) excludes zero.",
    )
    frame["feature_words"] = [feature_words(f) for f in frame["feature"]]
    frame["family_words"] = (
        [family_words(f) for f in frame["family"]] if "family" in frame.columns else MISSING
    )
    frame["interval"] = [span(a, b, fmt=signed) for a, b in zip(low, high, strict=True)]
    frame["clear"] = ["yes" if c else "no" for c in clear]
    return (
        body
        + '<div class="screen-only">'
        + table(
            frame,
            [
                ("feature_words", "Feature"),
                ("family_words", "Family"),
                ("coefficient", "Coefficient"),
                ("interval", "95% bootstrap interval"),
                ("clear", "Interval excludes zero"),
            ],
            caption="Every coefficient of the full logistic model",
            hint="click a heading to sort",
            css_class="data coefficients",
            sortable=True,
            sort_values={"interval": "coefficient"},
            formats={"coefficient": signed},
        )
        + "</div>"
    )


def families_section(report: YearReport) -> str:
    """Permutation importance by family (chart with intervals) and the coefficients with
    bootstrap intervals."""
    title, anchor = TITLES["families"], "families"
    importance, coefficients = report.outputs.importance, report.outputs.coefficients
    if not usable(importance, "family", "mean") and not usable(
        coefficients, "feature", "coefficient"
    ):
        return section(title, unavailable("Which families carry influence", report), anchor=anchor)
    body = (
        _importance(report, importance)
        if usable(importance, "family", "mean")
        else unavailable("Permutation importance by family", report)
    )
    if usable(coefficients, "feature", "coefficient"):
        body += _coefficients(report, coefficients)
    return section(title, body + notes_html(report), anchor=anchor)
