"""Model-card records built by hand for the report tests, worded by the model's own code.

:func:`comparison_record` writes the comparison's headline record as the model step puts
it in ``card.json["comparison"]`` (see :func:`src.model.validation.comparison_summary`),
from figures a test chooses; the verdict and its sentences come from the same functions
the model step uses, so a report test checks what the report does with a real record.
"""

from __future__ import annotations

from typing import Any

from src.model.names import BASELINE, FULL
from src.model.validation import (
    numbers_sentence,
    verdict_headline,
    verdict_of,
    verdict_sentence,
)

#: (mean, 2.5th percentile, 97.5th percentile) of a model's AUC over folds
Interval = tuple[float, float, float]


def comparison_record(
    volume: Interval,
    full: Interval,
    difference: Interval,
    *,
    better: float = 1.0,
    folds: int = 15,
    others: dict[str, Interval] | None = None,
    pooled_years: tuple[int, ...] = (2013, 2014),
) -> dict[str, Any]:
    """The headline record of a comparison with these AUCs and paired difference."""
    models = {str(BASELINE): volume, str(FULL): full, **(others or {})}
    record: dict[str, Any] = {
        "status": "ok",
        "baseline": str(BASELINE),
        "full": str(FULL),
        "nominee_years": 12,
        "selected": 4,
        "pooled_years": list(pooled_years),
        "method": "3 repeats of 5-fold cross-validation grouped by person and stratified by the "
        "panel's decision, on 12 nominee-years (4 selected).",
        "models": {
            name: {"mean": mean, "low": low, "high": high}
            for name, (mean, low, high) in models.items()
        },
        "folds": folds,
        "difference": {
            "mean": difference[0],
            "low": difference[1],
            "high": difference[2],
            "share_of_folds_better": better,
            "folds": folds,
        },
        "verdict": verdict_of(difference[1], difference[2]),
    }
    record["headline"] = verdict_headline(record["verdict"])
    record["sentence"] = verdict_sentence(record)
    record["numbers"] = numbers_sentence(record)
    return record
