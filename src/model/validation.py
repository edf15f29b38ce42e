"""The one model comparison: cross-validation grouped by person, and its headline figures.

- :func:`evaluate`: every model of :func:`src.model.feature_sets.model_sets` (and the
  boosted model) scored on the same repeated folds, grouped by person (``nominee_id`` is
  stable across years, so someone nominated in several years never sits on both sides of
  a split) and stratified by the panel's decision; returns an :class:`Evaluation` (AUC,
  log loss and Brier score per model and fold, out-of-fold predictions, calibration);
- :func:`comparison_summary`: the headline record (``card.json["comparison"]``) computed
  from the per-fold AUCs: each model's AUC, the *paired* per-fold difference of the full
  model over the baseline (:data:`src.model.names.FULL` minus
  :data:`src.model.names.BASELINE`), the verdict and its sentences. The report, the index
  and the notebook show this record and never recompute it;
- :func:`wilson_interval`: the interval of an observed proportion (calibration bins).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from src.model.estimators import (
    MIN_PER_CLASS,
    boosted_classifier,
    make_classifier,
    single_threaded,
)
from src.model.feature_sets import feature_matrix, model_sets
from src.model.names import BASELINE, FULL, ModelName, describe, label

#: The comparison's answer: the full model clearly better, volume alone clearly better, or neither.
Verdict = Literal["influence", "volume", "unclear"]
#: Below this mean AUC a model is "close to a coin toss" in the verdict's words.
COIN_TOSS_AUC = 0.6


@dataclass
class Evaluation:
    """Cross-validated scores of each model on the same grouped folds."""

    status: str  #: "ok", or why no model was evaluated ("not enough picks", ...)
    message: str  #: what was done (or why not), in words
    #: one row per model and fold: model, repeat, fold, auc, log_loss, brier
    folds: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: out-of-fold predictions: model, row, repeat, fold, score, label
    predictions: pd.DataFrame = field(default_factory=pd.DataFrame)
    nominee_years: int = 0  #: rows of the table evaluated
    selected: int = 0  #: of which the panel selected
    years: tuple[int, ...] = ()  #: the years pooled, oldest first
    n_splits: int = 0
    n_repeats: int = 0

    def summary(self) -> pd.DataFrame:
        """Per model and metric: mean and the 2.5 and 97.5 percentiles across folds."""
        if self.folds.empty:
            return pd.DataFrame()
        long = self.folds.melt(
            id_vars=["model", "repeat", "fold"], var_name="metric", value_name="value"
        )
        grouped = long.groupby(["model", "metric"], sort=False)["value"]
        return pd.DataFrame(
            {
                "mean": grouped.mean(),
                "low": grouped.quantile(0.025),
                "high": grouped.quantile(0.975),
            }
        ).reset_index()

    def _predictions_of(self, model: str) -> pd.DataFrame:
        if self.predictions.empty:
            return self.predictions
        return self.predictions[self.predictions["model"] == model]

    def calibration(self, model: str, bins: int = 5) -> pd.DataFrame:
        """Mean predicted against observed selection rate, by quantile bin of the out-of-fold score.

        ``observed_low``/``observed_high`` is the 95% Wilson interval of the observed rate,
        counting each nominee-year once (``n`` counts it once per repeat).
        """
        rows = self._predictions_of(model)
        columns = ["bin", "predicted", "observed", "n", "observed_low", "observed_high"]
        if rows.empty:
            return pd.DataFrame(columns=columns)
        binned = pd.qcut(rows["score"].rank(method="first"), q=min(bins, len(rows)), labels=False)
        grouped = rows.groupby(binned)
        n = grouped.size().to_numpy()
        observed = grouped["label"].mean().to_numpy()
        low, high = wilson_interval(observed, n / max(rows["repeat"].nunique(), 1))
        return pd.DataFrame(
            {
                "bin": grouped.size().index,
                "predicted": grouped["score"].mean().to_numpy(),
                "observed": observed,
                "n": n,
                "observed_low": low,
                "observed_high": high,
            }
        )[columns]

    def calibration_slope(self, model: str) -> dict[str, float]:
        """Calibration intercept and slope of the out-of-fold scores (logistic recalibration,
        Cox 1958).

        Fitted per repeat (each repeat scores every nominee-year once); returns the mean and
        the range over repeats. A slope below 1 means over-confident scores, above 1
        scores shrunk towards the average; an intercept away from 0 means miscalibrated
        in the large.
        """
        fits = []
        for _, group in self._predictions_of(model).groupby("repeat"):
            if group["label"].nunique() < 2:
                continue
            p = np.clip(group["score"].to_numpy(), 1e-6, 1 - 1e-6)
            fit = LogisticRegression(C=np.inf).fit(
                np.log(p / (1 - p)).reshape(-1, 1), group["label"].to_numpy()
            )
            fits.append((float(fit.intercept_[0]), float(fit.coef_[0, 0])))
        if not fits:
            return {}
        array = np.array(fits)
        return {
            "intercept": float(array[:, 0].mean()),
            "intercept_low": float(array[:, 0].min()),
            "intercept_high": float(array[:, 0].max()),
            "slope": float(array[:, 1].mean()),
            "slope_low": float(array[:, 1].min()),
            "slope_high": float(array[:, 1].max()),
            "repeats": len(fits),
        }


def wilson_interval(
    rate: np.ndarray, n: np.ndarray, z: float = 1.96
) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval of a proportion ``rate`` observed on ``n`` trials."""
    rate, n = np.asarray(rate, dtype=float), np.asarray(n, dtype=float)
    denominator = 1 + z**2 / n
    centre = (rate + z**2 / (2 * n)) / denominator
    half = z * np.sqrt(rate * (1 - rate) / n + z**2 / (4 * n**2)) / denominator
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _years_of(table: pd.DataFrame) -> tuple[int, ...]:
    if "year" not in table.columns:
        return ()
    return tuple(sorted(int(y) for y in table["year"].dropna().unique()))


def _logistic(features: list[str], seed: int) -> Callable[[int], Any]:
    """A factory of the logistic model on ``features`` (the training size is not needed)."""
    return lambda _n_samples: make_classifier(features, seed)


@single_threaded
def evaluate(
    table: pd.DataFrame,
    *,
    seed: int = 0,
    n_splits: int = 5,
    n_repeats: int = 5,
    label: str = "selected",
    boosted: bool = True,
) -> Evaluation:
    """Repeated stratified K-fold grouped by person; every model on the same folds.

    ``table`` is one row per nominee-year (one year, or several stacked). ``n_splits`` is
    capped by the smaller class and the number of people. A fold whose training or test
    part holds one class only is skipped for every model alike, so the folds stay paired.
    """
    y = table[label].astype(int).to_numpy()
    groups = table["nominee_id"].to_numpy()
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    years = _years_of(table)
    if min(positives, negatives) < MIN_PER_CLASS:
        return Evaluation(
            "not enough picks",
            f"{positives} selected and {negatives} not selected: too few to cross-validate "
            f"(at least {MIN_PER_CLASS} of each are needed).",
            nominee_years=len(y),
            selected=positives,
            years=years,
        )
    n_splits = min(n_splits, positives, negatives, len(set(groups)))
    sets = model_sets(table)
    if not sets:
        return Evaluation(
            "no usable features",
            "No feature varies between these nominees (every feature column is missing or "
            "constant), so no model can be fitted.",
            nominee_years=len(y),
            selected=positives,
            years=years,
        )
    models: dict[ModelName, tuple[Callable[[int], Any], list[str]]] = {
        name: (_logistic(features, seed), features) for name, features in sets.items()
    }
    if boosted and FULL in sets:
        models[ModelName.INFLUENCE_BOOSTED] = (partial(boosted_classifier, seed), sets[FULL])
    fold_rows, prediction_rows = [], []
    matrices = {name: feature_matrix(table, features) for name, (_, features) in models.items()}
    for repeat in range(n_repeats):
        splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed + repeat)
        for fold, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y, groups)):
            if len(set(y[test])) < 2 or len(set(y[train])) < 2:
                continue
            for name, (factory, _) in models.items():
                X = matrices[name]
                fitted = factory(len(train)).fit(X[train], y[train])
                score = fitted.predict_proba(X[test])[:, 1]
                fold_rows.append(
                    {
                        "model": str(name),
                        "repeat": repeat,
                        "fold": fold,
                        "auc": roc_auc_score(y[test], score),
                        "log_loss": log_loss(
                            y[test], np.clip(score, 1e-6, 1 - 1e-6), labels=[0, 1]
                        ),
                        "brier": brier_score_loss(y[test], score),
                    }
                )
                prediction_rows.append(
                    pd.DataFrame(
                        {
                            "model": str(name),
                            "row": test,
                            "repeat": repeat,
                            "fold": fold,
                            "score": score,
                            "label": y[test],
                        }
                    )
                )
    return Evaluation(
        "ok",
        f"{n_repeats} repeats of {n_splits}-fold cross-validation grouped by person and "
        f"stratified by the panel's decision, on {len(y)} nominee-years ({positives} selected).",
        pd.DataFrame(fold_rows, columns=["model", "repeat", "fold", "auc", "log_loss", "brier"]),
        pd.concat(prediction_rows, ignore_index=True) if prediction_rows else pd.DataFrame(),
        nominee_years=len(y),
        selected=positives,
        years=years,
        n_splits=n_splits,
        n_repeats=n_repeats,
    )


# --- the headline figures ------------------------------------------------------------------


def verdict_of(low: float, high: float) -> Verdict:
    """The verdict from the 95% range of the paired fold differences (full minus baseline)."""
    if low > 0:
        return "influence"
    if high < 0:
        return "volume"
    return "unclear"


def _auc_words(entry: dict[str, float]) -> str:
    return f"{entry['mean']:.2f} (95% of folds between {entry['low']:.2f} and {entry['high']:.2f})"


def verdict_headline(verdict: Verdict) -> str:
    """The verdict as a one-line claim (what the index shows for a year)."""
    return {
        "influence": "The panel's picks follow what nominees' posts earned, not how much they "
        "posted: the full influence model explains them clearly better than volume alone.",
        "volume": "The panel's picks look more prolific than influential: volume alone explains "
        "them clearly better than the full influence model.",
        "unclear": "Whether the panel's picks follow influence or volume is not clear-cut: the "
        "full influence model and volume alone explain them about as well on the same folds.",
    }[verdict]


def verdict_sentence(record: dict[str, Any]) -> str:
    """The comparison's answer in plain words, from its headline record (no other figures):
    the verdict's claim, then the paired difference it rests on."""
    diff = record["difference"]
    mean, low, high = diff["mean"], diff["low"], diff["high"]
    better, folds = diff["share_of_folds_better"], diff["folds"]
    how_often = "on every fold" if better == 1 else f"on {better:.0%} of them"
    detail = (
        f"On the same {folds} cross-validation folds the full model's ROC AUC was "
        f"{'higher' if mean >= 0 else 'lower'} by {abs(mean):.2f} on average and higher "
        f"{how_often}; 95% of the fold-by-fold differences lie between {low:+.2f} and "
        f"{high:+.2f}"
        + (", a range that includes no difference." if record["verdict"] == "unclear" else ".")
    )
    text = verdict_headline(record["verdict"]) + " " + detail
    models = record["models"]
    if all(models[name]["mean"] < COIN_TOSS_AUC for name in (record["baseline"], record["full"])):
        text += " Neither model explains the picks well: both are close to a coin toss."
    return text


def numbers_sentence(record: dict[str, Any]) -> str:
    """Both headline models' AUCs in words, from the headline record."""
    baseline, full = record["baseline"], record["full"]
    return (
        "How well each explains the picks (cross-validated ROC AUC; 0.5 is a coin toss, 1.0 "
        "ranks every pick above every non-pick): "
        f"{label(baseline)} scores {_auc_words(record['models'][baseline])}; "
        f"{label(full)} scores {_auc_words(record['models'][full])}."
    )


def comparison_summary(
    evaluation: Evaluation, *, baseline: str = BASELINE, full: str = FULL
) -> dict[str, Any]:
    """The headline record of the comparison, from the per-fold AUCs (``card["comparison"]``).

    Holds the two headline models' names and descriptions; what was evaluated
    (``nominee_years``, ``selected``, ``pooled_years``, ``folds``, ``repeats``,
    ``splits``, ``method``); every model's AUC (``mean`` and the 2.5/97.5 percentiles
    ``low``/``high`` over folds: the same figures as ``evaluation.csv``); the paired
    difference ``full - baseline`` fold by fold (``mean``, ``low``, ``high``,
    ``share_of_folds_better``, ``folds``); the ``verdict`` ("influence" when the
    difference's 95% range is above 0, "volume" when below, else "unclear"); and its
    ``headline`` (the claim in one line), ``sentence`` (the claim and the difference it
    rests on) and ``numbers`` (both headline models' AUCs) in words. When there is no
    comparison, ``status`` says why, ``verdict`` is None and ``headline`` and ``sentence``
    give the reason.
    """
    record: dict[str, Any] = {
        "status": evaluation.status,
        "baseline": str(baseline),
        "full": str(full),
        "descriptions": {str(baseline): describe(baseline), str(full): describe(full)},
        "nominee_years": evaluation.nominee_years,
        "selected": evaluation.selected,
        "pooled_years": list(evaluation.years),
        "method": evaluation.message,
        "verdict": None,
        "headline": evaluation.message,
        "sentence": evaluation.message,
        "numbers": None,
    }
    folds = evaluation.folds
    if evaluation.status != "ok":
        return record
    if folds.empty:
        record["status"] = "no comparison"
        record["sentence"] = record["headline"] = (
            f"No comparison of {label(full)} with {label(baseline)} could be made: no "
            "cross-validation fold held both selected and unselected nominees."
        )
        return record
    summary = evaluation.summary()
    auc = summary[summary["metric"] == "auc"]
    record["models"] = {
        str(row.model): {"mean": float(row.mean), "low": float(row.low), "high": float(row.high)}
        for row in auc.itertuples()
    }
    missing = [label(m) for m in (baseline, full) if str(m) not in record["models"]]
    if missing:
        record["status"] = "no comparison"
        record["sentence"] = record["headline"] = (
            f"No comparison of {label(full)} with {label(baseline)} could be made: "
            f"{' and '.join(missing)} could not be fitted (none of its features varies)."
        )
        return record
    wide = folds.pivot_table(index=["repeat", "fold"], columns="model", values="auc")
    gain = (wide[str(full)] - wide[str(baseline)]).dropna()
    difference = {
        "mean": float(gain.mean()),
        "low": float(gain.quantile(0.025)),
        "high": float(gain.quantile(0.975)),
        "share_of_folds_better": float((gain > 0).mean()),
        "folds": len(gain),
    }
    record.update(
        folds=len(gain),
        repeats=evaluation.n_repeats,
        splits=evaluation.n_splits,
        difference=difference,
        verdict=verdict_of(difference["low"], difference["high"]),
    )
    record["headline"] = verdict_headline(record["verdict"])
    record["sentence"] = verdict_sentence(record)
    record["numbers"] = numbers_sentence(record)
    return record
