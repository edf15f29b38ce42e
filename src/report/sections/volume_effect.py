"""Volume once influence is held fixed: how the probability of selection moves as posting
volume alone varies (the model's partial dependence, ``volume_effect.csv``), and what the
volume coefficients' bootstrap intervals say (``coefficients.csv``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from src.report.figures import figure_html, volume_effect_chart
from src.report.format import feature_words, fixed, is_number, number, percent, signed, span
from src.report.html import paragraph, section
from src.report.load import YearReport
from src.report.outputs import usable
from src.report.sections.common import TITLES, notes_html, unavailable

#: Volume columns whose values are posts a day.
POSTS_A_DAY = ("posts_per_day", "own_posts_per_day")


def volume_columns(effect: pd.DataFrame | None) -> tuple[str | None, str | None, str | None]:
    """(volume column, interval low, interval high) of ``volume_effect.csv``, read defensively."""
    if not usable(effect, "probability"):
        return None, None, None
    candidates = [
        c
        for c in effect.columns
        if c != "probability" and not str(c).startswith("probability_") and c not in ("low", "high")
    ]
    column = (
        "posts_per_day"
        if "posts_per_day" in effect.columns
        else (candidates[0] if candidates else None)
    )
    for low, high in (("probability_low", "probability_high"), ("low", "high")):
        if low in effect.columns and high in effect.columns:
            return column, low, high
    return column, None, None


def _coefficient(report: YearReport, feature: str) -> dict[str, Any] | None:
    """The row of ``coefficients.csv`` for ``feature``, or None."""
    coefficients = report.outputs.coefficients
    if not usable(coefficients, "feature", "coefficient"):
        return None
    rows = coefficients[coefficients["feature"] == feature].to_dict("records")
    return rows[0] if rows else None


def _coefficient_words(report: YearReport, column: str) -> str:
    """What the volume coefficient's interval says, and which other volume measures'
    intervals exclude zero ("" without coefficients)."""
    text = ""
    coefficient = _coefficient(report, column)
    if coefficient and is_number(coefficient.get("low")) and is_number(coefficient.get("high")):
        low, high = float(coefficient["low"]), float(coefficient["high"])
        interval = (
            f"{signed(coefficient['coefficient'])} log-odds per standard deviation, "
            f"95% bootstrap interval {span(low, high, fmt=signed)}"
        )
        if low > 0:
            text += f" More posting goes with better odds at equal influence ({interval})."
        elif high < 0:
            text += f" More posting goes with worse odds at equal influence ({interval})."
        else:
            text += (
                f" Its coefficient's interval includes zero ({interval}): this data cannot tell "
                "whether volume helps or hinders once influence is held fixed."
            )
    coefficients = report.outputs.coefficients
    if usable(coefficients, "feature", "coefficient", "family", "low", "high"):
        other = coefficients[
            (coefficients["family"] == "volume") & (coefficients["feature"] != column)
        ]
        clear = other[(other["low"] > 0) | (other["high"] < 0)]
        if len(clear):
            text += (
                " Other volume measures whose interval excludes zero: "
                + "; ".join(
                    f"{feature_words(r['feature'])} {signed(r['coefficient'])} "
                    f"({span(r['low'], r['high'], fmt=signed)}), "
                    + (
                        "more of it, better odds"
                        if r["coefficient"] > 0
                        else "more of it, worse odds"
                    )
                    for r in clear.to_dict("records")
                )
                + "."
            )
    return text


def volume_sentence(report: YearReport) -> str | None:
    """How the odds of selection move across the range of volume, other features held fixed."""
    effect = report.outputs.volume_effect
    column, _, _ = volume_columns(effect)
    if column is None or effect is None:
        return None
    frame = effect[[column, "probability"]].dropna().sort_values(column)
    if len(frame) < 2:
        return None
    (x0, p0), (x1, p1) = frame.iloc[0].tolist(), frame.iloc[-1].tolist()
    odds = (p1 / (1 - p1)) / (p0 / (1 - p0)) if 0 < p0 < 1 and 0 < p1 < 1 else None
    unit = " posts a day" if column in POSTS_A_DAY else ""
    text = (
        "Held at equal influence (every other feature kept at each nominee's own value), going "
        f"from {number(x0)} to {number(x1)}{unit} (from the low to the high end of the "
        f"nominees' {feature_words(column)}) moves the average probability of selection from "
        f"{percent(p0)} to {percent(p1)}"
        + (f", odds ×{fixed(odds)}" if odds is not None else "")
        + "."
    )
    return text + _coefficient_words(report, column)


def volume_section(report: YearReport) -> str:
    """Partial dependence of the probability of selection on volume, influence held fixed."""
    title, anchor = TITLES["volume-effect"], "volume-effect"
    effect = report.outputs.volume_effect
    column, low, high = volume_columns(effect)
    if column is None or effect is None or len(effect[[column, "probability"]].dropna()) < 2:
        return section(
            title, unavailable("How selection odds change with volume", report), anchor=anchor
        )
    frame = effect.dropna(subset=[column, "probability"]).sort_values(column)
    body = paragraph(volume_sentence(report) or "")
    points = "; ".join(
        f"{number(x)} posts a day: {percent(p)}"
        for x, p in zip(frame[column], frame["probability"], strict=True)
    )
    alt = (
        "Line chart of how selection odds change with volume once influence is held fixed, "
        f"{report.run.year}: the average predicted probability of selection (vertical axis) as "
        f"posts per day (horizontal axis, log scale) alone is varied: {points}."
    )
    body += figure_html(
        volume_effect_chart(frame, column, report.run.year, low, high),
        alt,
        "How selection odds change with volume once influence is held fixed: for each level of "
        "posting, every nominee's volume is set to it, their other features are kept, and the "
        "model's probabilities are averaged (partial dependence). A flat line means volume, on "
        "its own, moves nothing; a rising line that the panel rewarded posting more.",
    )
    body += paragraph(
        "This is what the fitted model implies, not an experiment: nominees who post more may "
        "differ in ways the features do not capture."
    )
    return section(title, body + notes_html(report), anchor=anchor)
