"""Report sections built from the model step's outputs (issues 5 and 6).

Each function takes a :class:`src.report.yearly.YearReport` and returns escaped HTML
for one section, shown by one cell of ``notebooks/04_report.ipynb``:

- :func:`summary_section`: the one-page summary (what distinguished influential from
  prolific this year, with the numbers);
- :func:`families_section`: which families carry influence (permutation importance,
  coefficients with bootstrap intervals);
- :func:`volume_section`: how selection odds change with volume once influence is held
  fixed;
- :func:`review_section`: what the panel might look at again;
- :func:`categories_section`: consistency across nominee categories;
- :func:`network_section`: the network of nominees and who reaches whom.

Every section reads its inputs defensively (:mod:`src.report.outputs`): when a model
output is missing, or the model card says the step fell back (too few picks, no earlier
year), the section says so in words and shows no empty figure. Untrusted text (names,
categories) goes through :func:`src.report.html.esc`; only nominees are ever named.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from src.report.figures import (
    engagement_per_own_post,
    figure_html,
    interval_chart,
    network_chart,
    volume_effect_chart,
)
from src.report.html import bullets, esc, fmt_number, paragraph, section, table
from src.report.outputs import ModelOutputs, usable

if TYPE_CHECKING:  # pragma: no cover
    from src.report.yearly import YearReport

#: Plain words for the feature families (unknown families show by name).
FAMILY_WORDS = {
    "volume": "volume (how much they post)",
    "reach": "reach (followers and lists)",
    "engagement": "engagement quality (what each post earns)",
    "network": "network position (who engages with them)",
    "audiences": "new audiences (engagers beyond their own community)",
    "conversation": "conversation (replies, threads, chats)",
    "influence": "influence beyond volume (engagement above what output predicts)",
}
#: Rows in the network tables.
TOP_LINKS = 15
TOP_BRIDGES = 15

TITLES = {
    "headline": "Summary: influential or prolific?",
    "families": "Which families carry influence",
    "volume-effect": "Volume, once influence is held fixed",
    "review": "What the panel might look at again",
    "categories": "Consistency across categories",
    "network": "The network of nominees: who reaches whom",
}


# --- small helpers -----------------------------------------------------------------------


def _num(value: Any) -> bool:
    return (
        isinstance(value, (int, float, np.number))
        and not isinstance(value, bool)
        and not math.isnan(float(value))
    )


def _f(value: Any, digits: int = 2) -> str:
    """A number with ``digits`` decimals ("–" when missing); never "-0.00"."""
    if not _num(value):
        return "–"
    text = f"{float(value):.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _signed(value: Any, digits: int = 2) -> str:
    if not _num(value):
        return "–"
    text = f"{float(value):+.{digits}f}"
    return ("±" + text[1:] if float(text) == 0 else text).replace("-", "−")


def _pct(value: Any) -> str:
    return f"{float(value):.0%}" if _num(value) else "–"


def _ordinal(n: int) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def family_words(name: Any) -> str:
    return FAMILY_WORDS.get(str(name), str(name).replace("_", " "))


def family_short(name: Any) -> str:
    """The family's name without its gloss, capitalised ("Engagement quality")."""
    words = family_words(name).split(" (")[0]
    return words[:1].upper() + words[1:]


def _feature_words(name: Any) -> str:
    from src.report.cards import FEATURE_WORDS

    return FEATURE_WORDS.get(str(name), str(name).replace("_", " "))


def _outputs(report: YearReport) -> ModelOutputs:
    return getattr(report, "outputs", None) or ModelOutputs()


def _unavailable(what: str, report: YearReport) -> str:
    """A sentence saying what cannot be shown and why (from the model card)."""
    reason = _outputs(report).reason().rstrip(".")
    return paragraph(f"{what} cannot be shown for {report.run.year}: {reason}.")


def _notes(report: YearReport) -> str:
    notes = _outputs(report).notes()
    return ('<p class="muted">' + esc(" ".join(notes)) + "</p>") if notes else ""


def _selected(frame: pd.DataFrame, column: str = "selected") -> pd.Series:
    return (
        frame[column].fillna(False).astype(bool)
        if column in frame.columns
        else pd.Series(False, index=frame.index)
    )


# --- what the model step says ----------------------------------------------------------------


def verdict_sentence(comparison: dict[str, Any]) -> str | None:
    """The comparison's answer in words, as the model step wrote it (None without a verdict).

    The verdict rests on the paired difference of the full model over volume alone on the
    same folds (:func:`src.model.validation.comparison_summary`), and is worded there.
    """
    if not comparison.get("verdict") or not comparison.get("sentence"):
        return None
    return str(comparison["sentence"])


def _family_sentence(importance: pd.DataFrame | None) -> str | None:
    if not usable(importance, "family", "mean"):
        return None
    frame = importance.sort_values("mean", ascending=False, ignore_index=True)
    has_interval = "low" in frame.columns and "high" in frame.columns

    def one(row: dict[str, Any]) -> str:
        interval = (
            f" (95% range {_f(row.get('low'), 3)} to {_f(row.get('high'), 3)})"
            if has_interval
            else ""
        )
        return f"{family_words(row['family'])}, {_f(row['mean'], 3)}{interval}"

    rows = frame.to_dict("records")
    clear = [r for r in rows if has_interval and _num(r.get("low")) and r["low"] > 0]
    top = rows[0]
    text = (
        f"The family that carries most is {family_words(top['family'])}: shuffling it costs the boosted model "
        f"{_f(top['mean'], 3)} of held-out ROC AUC"
        + (
            f" (95% range {_f(top.get('low'), 3)} to {_f(top.get('high'), 3)})"
            if has_interval
            else ""
        )
        + "."
    )
    if len(rows) > 1:
        text += " Next: " + "; ".join(one(r) for r in rows[1:3]) + "."
    if has_interval:
        if not clear:
            text += " No family's contribution is clearly above zero on its own (families overlap in what they measure)."
        elif len(clear) == 1:
            text += (
                f" Only {family_words(clear[0]['family']).split(' (')[0]} is clearly above zero."
            )
        else:
            text += (
                " Clearly above zero: "
                + ", ".join(family_words(r["family"]).split(" (")[0] for r in clear)
                + "."
            )
    return text


def _coefficient(report: YearReport, feature: str) -> dict[str, Any] | None:
    coefficients = _outputs(report).coefficients
    if not usable(coefficients, "feature", "coefficient"):
        return None
    rows = coefficients[coefficients["feature"] == feature].to_dict("records")
    return rows[0] if rows else None


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


def volume_sentence(report: YearReport) -> str | None:
    """How the odds of selection move across the range of volume, other features held fixed."""
    effect = _outputs(report).volume_effect
    column, _, _ = volume_columns(effect)
    if column is None:
        return None
    frame = effect[[column, "probability"]].dropna().sort_values(column)
    if len(frame) < 2:
        return None
    (x0, p0), (x1, p1) = frame.iloc[0].tolist(), frame.iloc[-1].tolist()
    odds = (p1 / (1 - p1)) / (p0 / (1 - p0)) if 0 < p0 < 1 and 0 < p1 < 1 else None
    unit = " posts a day" if column in ("posts_per_day", "own_posts_per_day") else ""
    text = (
        f"Held at equal influence (every other feature kept at each nominee's own value), going from {fmt_number(x0)} to "
        f"{fmt_number(x1)}{unit} (from the low to the high end of the nominees' {_feature_words(column)}) moves the average probability "
        f"of selection from {_pct(p0)} to {_pct(p1)}"
        + (f", odds ×{odds:.2f}" if odds is not None else "")
        + "."
    )
    coefficient = _coefficient(report, column)
    if coefficient and _num(coefficient.get("low")) and _num(coefficient.get("high")):
        low, high = float(coefficient["low"]), float(coefficient["high"])
        interval = f"{_signed(coefficient['coefficient'])} log-odds per standard deviation, 95% bootstrap interval {_signed(low)} to {_signed(high)}"
        if low > 0:
            text += f" More posting goes with better odds at equal influence ({interval})."
        elif high < 0:
            text += f" More posting goes with worse odds at equal influence ({interval})."
        else:
            text += f" Its coefficient's interval includes zero ({interval}): this data cannot tell whether volume helps or hinders once influence is held fixed."
    coefficients = _outputs(report).coefficients
    if usable(coefficients, "feature", "coefficient", "family", "low", "high"):
        other = coefficients[
            (coefficients["family"] == "volume") & (coefficients["feature"] != column)
        ]
        clear = other[(other["low"] > 0) | (other["high"] < 0)]
        if len(clear):
            text += (
                " Other volume measures whose interval excludes zero: "
                + "; ".join(
                    f"{_feature_words(r['feature'])} {_signed(r['coefficient'])} ({_signed(r['low'])} to {_signed(r['high'])}), "
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
    selected = _selected(frame)
    n_selected = int(selected.sum())
    if n_selected == 0:
        return None
    rank = pd.to_numeric(frame["rank"], errors="coerce")
    low = pd.to_numeric(frame["rank_low"], errors="coerce") if "rank_low" in frame.columns else rank
    high = (
        pd.to_numeric(frame["rank_high"], errors="coerce") if "rank_high" in frame.columns else rank
    )
    intervals = bool(((high - low) > 0).any())
    return {
        "places": n_selected,
        "nominees": int(len(frame)),
        "backed": int((selected & (rank <= n_selected)).sum()),
        "clearly_backed": int((selected & (high <= n_selected)).sum()),
        "not_backed": int((selected & (rank > n_selected)).sum()),
        "clearly_not_backed": int((selected & (low > n_selected)).sum()),
        "intervals": intervals,
    }


def backing_sentence(report: YearReport) -> str | None:
    b = backing(report)
    if b is None:
        return None
    source = _outputs(report).card.get("scores_from")
    text = (
        f"Of the {b['places']} selected, the model places {b['backed']} within its own top {b['places']} of {b['nominees']} "
        f"(the evidence backs them) and {b['not_backed']} outside it."
    )
    if b["intervals"]:
        text += (
            f" Allowing for uncertainty, {b['clearly_backed']} stay in the top {b['places']} across their whole rank interval, "
            f"and {b['clearly_not_backed']} stay outside it even at the optimistic end."
        )
    else:
        text += " Rank intervals are not available this year, so these counts carry no allowance for uncertainty."
    if source:
        text += f" Scores come from {source}."
    return text


def archetype_sentence(report: YearReport) -> str | None:
    frame = report.model_nominees
    if (
        frame is None
        or frame.empty
        or "archetype" not in frame.columns
        or "selected" not in frame.columns
    ):
        return None
    grouped = (
        frame.assign(s=_selected(frame))
        .groupby(frame["archetype"].astype(str))["s"]
        .agg(["sum", "size"])
    )
    grouped["rate"] = grouped["sum"] / grouped["size"]
    grouped = grouped.sort_values(["rate", "size"], ascending=[False, False])
    parts = [f"{name} {int(r['sum'])} of {int(r['size'])}" for name, r in grouped.iterrows()]
    return (
        "Selected, by archetype (clusters of nominees with similar profiles): "
        + "; ".join(parts)
        + "."
    )


def medians_sentence(report: YearReport) -> str | None:
    features = report.features
    if features.empty or "posts_per_day" not in features.columns:
        return None
    selected = _selected(features)
    engagement = engagement_per_own_post(features)
    return (
        f"{int(selected.sum())} of {len(features)} nominees were selected. "
        f"The selected posted a median of {fmt_number(features.loc[selected, 'posts_per_day'].median())} posts a day "
        f"against {fmt_number(features.loc[~selected, 'posts_per_day'].median())} for the others, "
        f"and earned a median of {fmt_number(engagement[selected].median())} reposts, replies and likes per own post "
        f"against {fmt_number(engagement[~selected].median())}."
    )


# --- the sections ----------------------------------------------------------------------------


def summary_section(report: YearReport) -> str:
    """The one-page summary: what distinguished influential from prolific this year, with
    numbers (the comparison's verdict and figures as the model card holds them)."""
    outputs = _outputs(report)
    comparison = outputs.comparison()
    verdict = verdict_sentence(comparison)
    items: list[str | None] = []
    if verdict:
        method = comparison.get("method")
        items.append(
            str(comparison.get("numbers") or "") + (f" Validation: {method}" if method else "")
        )
        finding = verdict
    elif outputs.fitted:
        finding = str(
            comparison.get("sentence")
            or "The models were fitted, but their comparison was not written, so no verdict "
            "is given."
        )
    else:
        reason = outputs.reason() if outputs.card else "no model outputs were found"
        finding = (
            f"No model could be fitted for {report.run.year}: {str(reason).rstrip('.')}. "
            "What follows is descriptive only."
        )
    items += [
        _family_sentence(outputs.importance),
        volume_sentence(report),
        backing_sentence(report),
        archetype_sentence(report),
        medians_sentence(report),
    ]
    body = f'<p class="finding">{esc(finding)}</p>' + bullets(
        [i for i in items if i], css_class="summary"
    )
    notes = outputs.notes()
    if notes:
        body += (
            "<p><strong>What could not be done this year.</strong> " + esc(" ".join(notes)) + "</p>"
        )
    body += paragraph(
        "These figures describe what the panel's decisions followed in the exports read, not what "
        "influence is: the label is one panel's judgement, and small groups make every number "
        "uncertain. The sections below give the detail, each with its intervals."
    )
    return section(TITLES["headline"], body, anchor="headline")


def families_section(report: YearReport) -> str:
    """Permutation importance by family (chart with intervals) and the coefficients with bootstrap intervals."""
    outputs = _outputs(report)
    title, anchor = TITLES["families"], "families"
    importance, coefficients = outputs.importance, outputs.coefficients
    if not usable(importance, "family", "mean") and not usable(
        coefficients, "feature", "coefficient"
    ):
        return section(title, _unavailable("Which families carry influence", report), anchor=anchor)
    body = ""
    if usable(importance, "family", "mean"):
        frame = importance.sort_values("mean", ascending=False, ignore_index=True)
        low = frame["low"] if "low" in frame.columns else pd.Series(np.nan, index=frame.index)
        high = frame["high"] if "high" in frame.columns else pd.Series(np.nan, index=frame.index)
        words = [family_words(f) for f in frame["family"]]
        body += paragraph(_family_sentence(importance) or "")
        alt = (
            f"Dot-and-interval chart of how much held-out ROC AUC the boosted model loses when each feature family is shuffled, {report.run.year}: "
            + "; ".join(
                f"{w}: {_f(m, 3)} ({_f(lo, 3)} to {_f(hi, 3)})"
                for w, m, lo, hi in zip(words, frame["mean"], low, high)
            )
            + "."
        )
        body += figure_html(
            interval_chart(
                [family_short(f) for f in frame["family"]],
                frame["mean"],
                low,
                high,
                xlabel="Drop in held-out ROC AUC when the family is shuffled",
                title=f"{report.run.year}: what each family carries",
                highlight=(low > 0).to_numpy(),
            ),
            alt,
            "Each dot is the average drop in the boosted model's held-out ROC AUC when one family's features are shuffled together; the bar is the "
            "95% range across folds and shuffles. Blue: clearly above zero. A family near zero may still matter, but carries nothing the others do not.",
        )
        shown = frame.assign(
            family_words=words, interval=[f"{_f(a, 3)} to {_f(b, 3)}" for a, b in zip(low, high)]
        )
        body += table(
            shown,
            [("family_words", "Family"), ("mean", "Drop in ROC AUC"), ("interval", "95% range")],
            caption="Permutation importance by family",
            formats={"mean": lambda v: _f(v, 3)},
        )
    else:
        body += _unavailable("Permutation importance by family", report)
    if usable(coefficients, "feature", "coefficient"):
        frame = coefficients.copy()
        frame["size"] = frame["coefficient"].abs()
        frame = frame.sort_values("size", ascending=False, ignore_index=True)
        has = "low" in frame.columns and "high" in frame.columns
        low = frame["low"] if has else pd.Series(np.nan, index=frame.index)
        high = frame["high"] if has else pd.Series(np.nan, index=frame.index)
        clear = ((low > 0) | (high < 0)).to_numpy() if has else np.zeros(len(frame), dtype=bool)
        top = frame.head(15)
        words = [_feature_words(f) for f in top["feature"]]
        clear_rows = frame[clear]
        sentence = (
            (
                "Single features whose bootstrap interval excludes zero: "
                + "; ".join(
                    f"{_feature_words(r['feature'])} {_signed(r['coefficient'])} ({_signed(r['low'])} to {_signed(r['high'])})"
                    for r in clear_rows.head(6).to_dict("records")
                )
                + "."
            )
            if len(clear_rows)
            else "No single feature's bootstrap interval excludes zero."
        )
        body += (
            '<h3 id="coefficients">Single features: coefficients with bootstrap intervals</h3>'
            + paragraph(
                sentence
                + " A coefficient is the change in log-odds of selection per standard deviation of the (logged) feature, all others fixed; "
                "features that measure similar things share credit, so single coefficients are less stable than the family totals above."
            )
        )
        alt = (
            f"Dot-and-interval chart of the {len(top)} largest logistic coefficients in {report.run.year}, with 95% bootstrap intervals: "
            + "; ".join(
                f"{w} {_signed(c)} ({_signed(lo)} to {_signed(hi)})"
                for w, c, lo, hi in zip(words, top["coefficient"], low.head(15), high.head(15))
            )
            + "."
        )
        body += figure_html(
            interval_chart(
                words,
                top["coefficient"],
                low.head(15),
                high.head(15),
                xlabel="Change in log-odds of selection per standard deviation",
                title=f"{report.run.year}: the largest coefficients",
                highlight=clear[: len(top)],
            ),
            alt,
            "Right of the dashed line: more of the feature goes with better odds of selection; left: worse. Blue: the 95% bootstrap interval "
            "(people resampled) excludes zero.",
        )
        frame["feature_words"] = [_feature_words(f) for f in frame["feature"]]
        frame["family_words"] = (
            [family_words(f) for f in frame["family"]] if "family" in frame.columns else "–"
        )
        frame["interval"] = [f"{_signed(a)} to {_signed(b)}" for a, b in zip(low, high)]
        frame["clear"] = ["yes" if c else "no" for c in clear]
        body += table(
            frame,
            [
                ("feature_words", "Feature"),
                ("family_words", "Family"),
                ("coefficient", "Coefficient"),
                ("interval", "95% bootstrap interval"),
                ("clear", "Interval excludes zero"),
            ],
            caption="Every coefficient of the full logistic model (click a heading to sort)",
            css_class="data coefficients",
            sortable=True,
            sort_values={"interval": "coefficient"},
            formats={"coefficient": _signed},
        )
    return section(title, body + _notes(report), anchor=anchor)


def volume_section(report: YearReport) -> str:
    """Partial dependence of the probability of selection on volume, influence held fixed."""
    title, anchor = TITLES["volume-effect"], "volume-effect"
    effect = _outputs(report).volume_effect
    column, low, high = volume_columns(effect)
    if column is None or len(effect[[column, "probability"]].dropna()) < 2:
        return section(
            title, _unavailable("How selection odds change with volume", report), anchor=anchor
        )
    frame = effect.dropna(subset=[column, "probability"]).sort_values(column)
    body = paragraph(volume_sentence(report) or "")
    points = "; ".join(
        f"{fmt_number(x)} posts a day: {_pct(p)}"
        for x, p in zip(frame[column], frame["probability"])
    )
    alt = (
        f"Line chart of how selection odds change with volume once influence is held fixed, {report.run.year}: the average predicted probability "
        f"of selection (vertical axis) as posts per day (horizontal axis, log scale) alone is varied: {points}."
    )
    body += figure_html(
        volume_effect_chart(frame, column, report.run.year, low, high),
        alt,
        "How selection odds change with volume once influence is held fixed: for each level of posting, every nominee's volume is set to it, "
        "their other features are kept, and the model's probabilities are averaged (partial dependence). A flat line means volume, on its own, "
        "moves nothing; a rising line that the panel rewarded posting more.",
    )
    body += paragraph(
        "This is what the fitted model implies, not an experiment: nominees who post more may differ in ways the features do not capture."
    )
    return section(title, body + _notes(report), anchor=anchor)


def _review_reason(row: dict[str, Any], places: int, nominees: int) -> str:
    """Why a decision is listed, in words, with how firmly the rank interval says so."""
    selected = bool(row.get("selected"))
    rank, low, high = row.get("rank"), row.get("rank_low"), row.get("rank_high")
    if not _num(rank):
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
    interval = _num(low) and _num(high) and int(high) > int(low)
    span = f"{_ordinal(int(low))} to {_ordinal(int(high))}" if interval else ""
    if selected:
        text = f"Selected, but ranked {_ordinal(rank)} of {nominees} by the evidence" + (
            f", outside the {places} places" if rank > places else ", among the weakest picks"
        )
        if interval:
            text += (
                f"; even its best plausible rank ({_ordinal(int(low))}) is outside them"
                if int(low) > places
                else f"; its interval ({span}) reaches the top {places}: thin evidence rather than contrary"
            )
    else:
        text = f"Not selected, yet ranked {_ordinal(rank)} of {nominees} by the evidence" + (
            f", inside the top {places}" if rank <= places else ""
        )
        if interval:
            text += (
                f"; even its worst plausible rank ({_ordinal(int(high))}) is inside the top {places}"
                if int(high) <= places
                else f"; its interval ({span}) reaches beyond the top {places}"
            )
    return text + "."


def review_section(report: YearReport) -> str:
    """The selected nominees the evidence backs least and the unselected it backs most, with reasons."""
    title, anchor = TITLES["review"], "review"
    review = _outputs(report).review
    if not usable(review, "score") or not ({"name", "nominee_id"} & set(review.columns)):
        return section(
            title,
            _unavailable("A list of the panel's decisions to look at again", report),
            anchor=anchor,
        )
    frame = review.copy()
    if "selected" in frame.columns:
        frame["selected"] = frame["selected"].astype(str).str.lower().isin(["true", "1", "yes"])
    elif "review" in frame.columns:
        frame["selected"] = ~frame["review"].astype(str).str.startswith("not")
    else:
        frame["selected"] = False
    nominees = report.model_nominees
    places = int(_selected(report.features).sum())
    total = int(len(report.features))
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
    frame["reason"] = [_review_reason(r, places, total) for r in frame.to_dict("records")]
    frame["panel"] = np.where(frame["selected"], "selected", "not selected")
    has_interval = "score_low" in frame.columns and "score_high" in frame.columns
    frame["score_text"] = [
        f"{_f(s)} ({_f(a)} to {_f(b)})" if has_interval and _num(a) and _num(b) else _f(s)
        for s, a, b in zip(
            frame["score"],
            frame.get("score_low", frame["score"]),
            frame.get("score_high", frame["score"]),
        )
    ]
    columns = [
        ("name", "Nominee"),
        ("category", "Category"),
        ("panel", "Panel"),
        ("reason", "Why look again"),
        ("score_text", "Model score (95% interval)"),
    ]
    sort_values = {"score_text": "score"}
    if "rank" in frame.columns:
        has_ranks = "rank_low" in frame.columns and "rank_high" in frame.columns
        frame["rank_text"] = [
            f"{int(r)} ({int(a)} to {int(b)})"
            if has_ranks and _num(a) and _num(b) and b > a
            else (str(int(r)) if _num(r) else "–")
            for r, a, b in zip(
                frame["rank"],
                frame.get("rank_low", frame["rank"]),
                frame.get("rank_high", frame["rank"]),
            )
        ]
        columns.append(("rank_text", "Model rank (interval)"))
        sort_values["rank_text"] = "rank"
    for column, heading in (("archetype", "Archetype"), ("explanation", "What carries them")):
        if column in frame.columns:
            columns.append((column, heading))
    columns = [(c, h) for c, h in columns if c in frame.columns]
    least = frame[frame["selected"]]
    most = frame[~frame["selected"]]
    n = len(report.features)
    words = (
        "The model scores every nominee on the evidence alone (the score is its probability of selection"
        + (
            f"; {_outputs(report).card['scores_from']}"
            if _outputs(report).card.get("scores_from")
            else ""
        )
        + f"). Listed here: the {len(least)} selected nominees it backs least and the {len(most)} unselected it backs most, out of {n}. "
        "A place on this list is a prompt to look again, not a finding that the panel erred: the model sees only the exports, and a wide "
        "interval means little evidence either way. Click a heading to sort."
    )
    body = paragraph(words)
    if len(least) and "rank_low" in frame.columns:
        firm = int((pd.to_numeric(least["rank_low"], errors="coerce") > places).sum())
        body += paragraph(
            f"For {firm} of the {len(least)} selected listed, even the optimistic end of the rank interval falls outside the {places} places."
        )
    body += table(
        frame,
        columns,
        css_class="data review",
        sortable=True,
        sort_values=sort_values,
        caption=f"{report.run.year}: decisions the evidence backs least (selected) or most (not selected)",
    )
    return section(title, body + _notes(report), anchor=anchor)


def categories_section(report: YearReport) -> str:
    """Selection rates against what the model expects, by category, with intervals."""
    title, anchor = TITLES["categories"], "categories"
    categories = _outputs(report).categories
    if not usable(categories, "category", "selected", "expected"):
        return section(title, _unavailable("Consistency across categories", report), anchor=anchor)
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
            f"{_pct(s / n)}" if _num(n) and n > 0 else "–"
            for s, n in zip(frame["selected"], frame["nominees"])
        ]
    more = frame[frame["low"] > 1]
    less = frame[frame["high"] < 1]
    total_selected, total_expected = float(frame["selected"].sum()), float(frame["expected"].sum())
    words = [
        f"For each category, the panel's selections are set against the number the model expects from its nominees' evidence (the sum of their "
        f"scores). In all, the panel made {int(total_selected)} picks where the model expects {total_expected:.1f}."
    ]
    if not has:
        words.append(
            "Intervals are not available, so no category can be said to differ from what the evidence predicts."
        )
    elif len(more) or len(less):
        if len(more):
            words.append(
                "Picked more often than their evidence predicts (whole interval above 1): "
                + ", ".join(
                    f"{c} ({_f(r)}, {_f(a)} to {_f(b)})"
                    for c, r, a, b in zip(
                        more["category"], more["ratio"], more["low"], more["high"]
                    )
                )
                + "."
            )
        if len(less):
            words.append(
                "Picked less often than their evidence predicts (whole interval below 1): "
                + ", ".join(
                    f"{c} ({_f(r)}, {_f(a)} to {_f(b)})"
                    for c, r, a, b in zip(
                        less["category"], less["ratio"], less["low"], less["high"]
                    )
                )
                + "."
            )
        words.append(
            "With several categories compared, one such result can arise by chance; it is a question for the panel, not proof of bias."
        )
    else:
        words.append(
            "For every category the interval includes 1: no category was picked clearly more or less often than its nominees' evidence "
            "predicts. That is not proof of even-handedness: with these numbers the intervals are wide."
        )
    if "nominees" in frame.columns:
        small = frame[frame["nominees"] < 15]
        if len(small):
            words.append(
                f"Categories with fewer than 15 nominees ({', '.join(map(str, small['category']))}) have the widest intervals."
            )
    body = paragraph(" ".join(words))
    shown = frame[frame["ratio"].notna()]
    if len(shown):
        ends = pd.concat([shown["ratio"], shown["high"]]).astype(float)
        ends = ends[np.isfinite(ends)]
        limit = float(min(4.0, max(2.0, float(ends.max()) * 1.05 if len(ends) else 2.0)))
        labels = [
            f"{c} ({int(s)} of {int(n)})" if "nominees" in shown.columns else str(c)
            for c, s, n in zip(
                shown["category"], shown["selected"], shown.get("nominees", shown["selected"])
            )
        ]
        alt = (
            f"Dot-and-interval chart of selected ÷ expected by category in {report.run.year}, with a dashed line at 1 (as the evidence predicts): "
            + "; ".join(
                f"{lab}: {_f(r)} ({_f(a)} to {_f(b)})"
                for lab, r, a, b in zip(labels, shown["ratio"], shown["low"], shown["high"])
            )
            + "."
        )
        body += figure_html(
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
            "Right of the dashed line: the category was picked more often than its nominees' scores predict; left: less often. Bars are 95% bootstrap "
            f"intervals (nominees resampled); arrows mark intervals that run past {limit:.1f}. Blue: the interval excludes 1.",
        )
    frame["expected_text"] = [_f(e, 1) for e in frame["expected"]]
    frame["ratio_text"] = [
        f"{_f(r)} ({_f(a)} to {_f(b)})" if has else _f(r)
        for r, a, b in zip(frame["ratio"], frame["low"], frame["high"])
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
    return section(title, body + _notes(report), anchor=anchor)


def _median(values: pd.Series) -> str:
    return f"{float(values.median()):,.1f}".removesuffix(".0") if len(values) else "–"


def _network(report: YearReport):
    from src.report.network import nominee_network, read_network_inputs

    interactions, accounts = (
        getattr(report, "interactions", None),
        getattr(report, "accounts", None),
    )
    if interactions is None or accounts is None:
        read_i, read_a = read_network_inputs(report.run.processed)
        interactions = read_i if interactions is None else interactions
        accounts = read_a if accounts is None else accounts
    return nominee_network(report.features, interactions, accounts)


def network_section(report: YearReport) -> str:
    """The nominee-to-nominee engagement graph, the strongest links, and who reaches across communities."""
    from src.report.network import layout

    title, anchor = TITLES["network"], "network"
    network = _network(report)
    if network is None:
        return section(
            title,
            paragraph(
                f"No network can be drawn for {report.run.year}: the year's exports hold no interactions (replies, mentions, reposts, quotes) "
                "to build it from, for example when only account-level metric tables were supplied."
            ),
            anchor=anchor,
        )
    nodes, links = network.nominees, network.links
    selected = nodes["selected"].astype(bool)
    across = int(links["across"].sum()) if len(links) else 0
    in_graph = int(nodes["community"].notna().sum())
    held = len(network.communities)
    words = (
        f"The year's interaction graph links {network.accounts:,} accounts by {network.interactions:,} replies, mentions, reposts and quotes; "
        f"{network.other_accounts:,} of the accounts are not nominees: they are counted here but never named (they are pseudonymised). "
        f"Communities found in the whole graph (Leiden, as for the audience features): {network.community_count}; the {in_graph} nominees who "
        f"appear in the graph sit in {held} of them. Between nominees there are {len(links):,} links (one nominee engaging with another), "
        f"{across:,} of them across communities. The selected received a median of {_median(nodes.loc[selected, 'received'])} "
        f"interactions from all accounts, the others {_median(nodes.loc[~selected, 'received'])}. "
        "A link says who engaged with whom in the exports, not who influenced whom."
    )
    body = paragraph(words)
    placed = layout(network)
    if len(placed) >= 2 and len(links):
        top = placed.nlargest(5, "received")
        alt = (
            f"Network diagram of the {len(placed)} nominees who engaged with, or were engaged by, another nominee in {report.run.year}, grouped by community, joined by "
            f"{len(links)} links ({across} across communities). Each dot is a nominee, its size the interactions received from all accounts, its colour "
            f"the community; selected nominees ({int(placed['selected'].sum())} shown) are diamonds. Receiving most: "
            + "; ".join(
                f"{r.name} ({int(r.received)} interactions, community {r.community if pd.notna(r.community) else 'none'}, {'selected' if r.selected else 'not selected'})"
                for r in top.itertuples()
            )
            + "."
        )
        caption = (
            f"Nominees who engaged with one another, grouped by community (one disc each, community 1 at the top, then clockwise). "
            "Dot size: interactions received from all accounts; colour: community; diamonds: selected; a line: one engaged with the other. "
            f"Named: the five who received most. {int((~nodes['linked']).sum())} nominee(s) with no link to another nominee are not drawn."
        )
        body += figure_html(network_chart(placed, links, report.run.year), alt, caption)
    else:
        body += paragraph(
            "No nominee engaged with another this year, so there is no nominee network to draw."
        )
    # communities
    if held:
        body += '<h3 id="communities">Communities</h3>' + table(
            network.communities,
            [
                ("community", "Community"),
                ("nominees", "Nominees"),
                ("selected", "Selected"),
                ("accounts", "Accounts in it (all, counted)"),
                ("top_category", "Most common category"),
            ],
            caption="Communities holding a nominee (numbered by how many nominees they hold); accounts that are not nominees are counted, never listed",
        )
    # strongest links
    names = nodes.set_index("nominee_id")["name"]
    chosen = nodes.set_index("nominee_id")["selected"]
    community = nodes.set_index("nominee_id")["community"]
    if len(links):
        strongest = links.head(TOP_LINKS).copy()

        def who(i: str) -> str:
            return f"{names.get(i)}, {'selected' if chosen.get(i) else 'not selected'}"

        strongest["from"] = [who(i) for i in strongest["source"]]
        strongest["to"] = [who(i) for i in strongest["target"]]
        strongest["where"] = [
            (
                f"community {community.get(a)} → community {community.get(b)}"
                if x
                else f"within community {community.get(a)}"
            )
            for a, b, x in zip(strongest["source"], strongest["target"], strongest["across"])
        ]
        body += '<h3 id="strongest-links">Strongest links between nominees</h3>' + table(
            strongest,
            [
                ("from", "From (engaged)"),
                ("to", "To (engaged with)"),
                ("interactions", "Interactions"),
                ("kinds", "Of which"),
                ("where", "Communities"),
            ],
            caption=f"The {len(strongest)} nominee-to-nominee links with most interactions (click a heading to sort)",
            css_class="data links",
            sortable=True,
        )
    # who reaches across communities
    reach = nodes[nodes["engagers"] > 0].copy()
    if len(reach):
        reach = reach.sort_values(["outside_engagers", "engagers"], ascending=False).head(
            TOP_BRIDGES
        )
        from_other = (
            links[links["across"]].groupby("target").size() if len(links) else pd.Series(dtype=int)
        )
        reach["nominees_across"] = reach["nominee_id"].map(from_other).fillna(0).astype(int)
        reach["panel"] = np.where(reach["selected"].astype(bool), "selected", "not selected")
        reach["share"] = [_pct(v) for v in reach["outside_share"]]
        reach["community_text"] = [str(c) if pd.notna(c) else "–" for c in reach["community"]]
        body += (
            '<h3 id="across-communities">Who reaches across communities</h3>'
            + paragraph(
                "Nominees whose engagers come most from outside their own community (the community of their most engaged-with account): the count of "
                "such engagers, their share of all the nominee's engagers, how many communities the engagers come from, and how many nominees in other "
                "communities engaged with them."
            )
            + table(
                reach,
                [
                    ("name", "Nominee"),
                    ("panel", "Panel"),
                    ("community_text", "Own community"),
                    ("engagers", "Distinct engagers"),
                    ("outside_engagers", "From other communities"),
                    ("share", "Share from other communities"),
                    ("communities_reached", "Communities reached"),
                    ("nominees_across", "Nominees from other communities engaging"),
                ],
                caption=f"The {len(reach)} nominees with most engagers from other communities (click a heading to sort)",
                css_class="data bridges",
                sortable=True,
                sort_values={"share": "outside_share", "community_text": "community"},
            )
        )
    return section(title, body, anchor=anchor)
