"""The record of one year's report that the index page reads (``reports/<year>/report.json``).

:func:`report_card` builds it from a loaded year (the batch does, when it renders the
year's page, and :func:`src.report.render.render_report` writes it beside the page);
:func:`headline_figures` reads the comparison's figures back out of it for the index.
The comparison is the model step's headline record (``card["comparison"]``, see
:func:`src.model.validation.comparison_summary`), carried as it is: the index shows it
and never recomputes it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from src.report.load import YearReport


class HeadlineFigures(NamedTuple):
    """The comparison's headline figures of one year, as the model step wrote them."""

    baseline: str  #: the baseline model's name (volume only)
    full: str  #: the full influence model's name
    baseline_auc: float  #: its cross-validated ROC AUC, mean over folds
    full_auc: float
    gap: float  #: mean paired difference full - baseline, fold by fold


def report_card(report: YearReport) -> dict[str, Any]:
    """The few figures the index page shows for this year."""
    card: dict[str, Any] = {
        "year": report.run.year,
        "simulated": bool(report.ingest.get("simulated")),
        "nominees": int(len(report.features)),
        "selected": int(report.features["selected"].sum()),
    }
    # The comparison's headline record, as the model step wrote it: the index shows it as it is.
    comparison = report.outputs.comparison()
    card["comparison"] = comparison
    card["verdict"] = str(
        comparison.get("headline") or comparison.get("sentence") or report.outputs.reason()
    )
    card["status"] = comparison.get("status") or report.outputs.status
    features = report.features
    card["categories"] = {
        str(category): {
            "nominees": int(len(group)),
            "selected": int(group["selected"].astype(bool).sum()),
        }
        for category, group in features.groupby("category", sort=True)
    }
    archetypes = report.model_nominees
    if (
        archetypes is not None
        and not archetypes.empty
        and {"archetype", "selected"} <= set(archetypes.columns)
    ):
        flags = archetypes["selected"].fillna(False).astype(bool)
        card["archetypes"] = {
            str(name): {"nominees": int(len(group)), "selected": int(flags[group.index].sum())}
            for name, group in archetypes.groupby(archetypes["archetype"].astype(str), sort=True)
        }
    categories = features["category"] if "category" in features else [None] * len(features)
    card["nominees_list"] = [
        {"nominee_id": str(i), "name": str(n), "category": c, "selected": bool(s)}
        for i, n, c, s in zip(
            features["nominee_id"],
            features["name"],
            categories,
            features["selected"].astype(bool),
            strict=True,
        )
    ]
    return card


def headline_figures(card: dict[str, Any]) -> HeadlineFigures | None:
    """The headline figures of a year's report card, read from the comparison's record as
    the model step wrote it; None without one.

    The gap is the record's mean paired difference (full minus baseline, fold by fold),
    never recomputed from the two AUCs.
    """
    comparison = card.get("comparison")
    if not isinstance(comparison, dict) or comparison.get("status") != "ok":
        return None
    models, difference = comparison.get("models"), comparison.get("difference")
    baseline, full = comparison.get("baseline"), comparison.get("full")
    if not isinstance(models, dict) or not isinstance(difference, dict):
        return None
    try:
        return HeadlineFigures(
            str(baseline),
            str(full),
            float(models[baseline]["mean"]),
            float(models[full]["mean"]),
            float(difference["mean"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
