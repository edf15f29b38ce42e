"""Compare what explains the panel's picks: volume alone, or volume plus engagement.

Both models are the same scikit-learn Pipeline (median imputation, log(1 + x) for the
heavy-tailed features the dictionary marks, standardisation, L2-regularised logistic
regression) fitted on different feature sets, and scored by ROC AUC on the same
repeated stratified K-fold splits, so their difference is paired fold by fold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from src.features.dictionary import FEATURES, features_in
from src.io import write_json_atomic, write_parquet_atomic, write_text_atomic

#: The feature sets compared, from the dictionary's families.
MODEL_SETS: dict[str, list[str]] = {
    "volume only": features_in("volume"),
    "volume + engagement": features_in("volume", "engagement"),
}
#: Fewer picks (or non-picks) than this and a cross-validated AUC means nothing.
MIN_PER_CLASS = 5
#: Inverse L2 penalty of the logistic regressions. A panel's list gives a few dozen picks
#: for about 35 standardised features (about one pick per feature), far too few for a
#: lightly penalised fit; C = 0.1 shrinks harder than scikit-learn's default of 1. On the
#: simulated sample (11 seeds of the small test world, 3 years pooled) it raised the full
#: model's cross-validated AUC from 0.85 to 0.87 on average (worst seed 0.71 to 0.79), and
#: changed it by less than 0.01 on the standard sample, where picks are more numerous.
C = 0.1


_F = TypeVar("_F", bound=Callable[..., Any])


def single_threaded(function: _F) -> _F:
    """Run ``function`` with the maths libraries (BLAS, OpenMP) on one thread each.

    The fits here are many and small: with a few hundred rows, threads cost more than they
    give, and on a busy machine far more (measured on 2 cores: the evaluation of 120
    nominee-years took 30 s with the boosted model's OpenMP threads, 1.8 s without).
    The previous limits are restored on return.
    """

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with threadpool_limits(limits=1):
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class FiniteOrMissing(TransformerMixin, BaseEstimator):
    """Infinite values become missing (then imputed like any other missing value).

    The feature dictionary promises no infinities, but a ratio with a zero denominator
    in someone's export should cost one value, not the year's model.
    """

    def fit(self, X: Any, y: Any = None) -> FiniteOrMissing:
        return self

    def transform(self, X: Any) -> np.ndarray:
        out = np.array(X, dtype=float, copy=True)
        out[~np.isfinite(out)] = np.nan
        return out


class LogOnePlus(TransformerMixin, BaseEstimator):
    """log(1 + x) of the columns flagged in ``mask`` (a tuple of booleans, one per column); the rest pass through.

    The flagged features are counts and rates, never negative by definition; a negative
    value (a broken export) is taken as 0 rather than turned into a missing logarithm.
    """

    def __init__(self, mask: tuple[bool, ...] = ()):
        self.mask = mask

    def fit(self, X: Any, y: Any = None) -> LogOnePlus:
        return self

    def transform(self, X: Any) -> np.ndarray:
        out = np.array(X, dtype=float, copy=True)
        flagged = np.asarray(self.mask, dtype=bool)
        if flagged.any():
            out[:, flagged] = np.log1p(np.clip(out[:, flagged], 0, None))
        return out


def make_classifier(features: list[str], seed: int) -> Pipeline:
    """The model for one feature set: infinities to missing, impute (median), log the heavy-tailed, scale, logistic regression.

    Columns keep the order of ``features`` throughout, so ``model[:-1].transform(X)`` is
    the standardised design matrix and ``model[-1].coef_[0][i]`` belongs to ``features[i]``.
    (One pipeline of plain steps: about twice as fast to fit, and four times to
    predict, as a ColumnTransformer splitting logged and plain columns, which matters for
    the thousands of small fits of cross-validation and the bootstrap.)
    """
    return Pipeline(
        [
            ("finite", FiniteOrMissing()),
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("log1p", LogOnePlus(tuple(bool(FEATURES[name].log_scale) for name in features))),
            ("scale", StandardScaler()),
            ("classify", LogisticRegression(C=C, max_iter=2000, random_state=seed)),
        ]
    )


@dataclass
class ModelComparison:
    """Cross-validated AUCs of each feature set, fold by fold, and what they add up to."""

    status: str  #: "ok", or "not enough picks" when the labels cannot support a comparison
    message: str
    folds: pd.DataFrame = field(default_factory=pd.DataFrame)  #: model, repeat, fold, auc
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)  #: nominee_id, model, oof score
    n_splits: int = 0
    n_repeats: int = 0

    def summary(self) -> pd.DataFrame:
        """Per model: mean AUC and the 2.5 and 97.5 percentiles across folds."""
        if self.folds.empty:
            return pd.DataFrame(columns=["model", "auc_mean", "auc_low", "auc_high", "folds"])
        grouped = self.folds.groupby("model", sort=False)["auc"]
        return pd.DataFrame(
            {
                "auc_mean": grouped.mean(),
                "auc_low": grouped.quantile(0.025),
                "auc_high": grouped.quantile(0.975),
                "folds": grouped.size(),
            }
        ).reset_index()

    def paired_difference(self, better: str, baseline: str) -> dict[str, float]:
        """AUC of ``better`` minus ``baseline`` on the same folds: mean, interval, share of folds won."""
        wide = self.folds.pivot_table(index=["repeat", "fold"], columns="model", values="auc")
        diff = wide[better] - wide[baseline]
        return {
            "mean": float(diff.mean()),
            "low": float(diff.quantile(0.025)),
            "high": float(diff.quantile(0.975)),
            "share_of_folds_better": float((diff > 0).mean()),
        }

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record for the model card and the report."""
        out: dict[str, Any] = {
            "status": self.status,
            "message": self.message,
            "n_splits": self.n_splits,
            "n_repeats": self.n_repeats,
        }
        if self.status == "ok":
            out["models"] = self.summary().to_dict("records")
            names = list(MODEL_SETS)
            out["difference"] = self.paired_difference(names[-1], names[0])
        return out


@single_threaded
def compare_models(
    table: pd.DataFrame,
    model_sets: dict[str, list[str]] = MODEL_SETS,
    *,
    label: str = "selected",
    n_splits: int = 5,
    n_repeats: int = 20,
    seed: int = 0,
) -> ModelComparison:
    """Score each feature set by repeated stratified K-fold ROC AUC on the same splits.

    Out-of-fold scores are averaged over repeats into one score per nominee and model.
    When fewer than :data:`MIN_PER_CLASS` nominees are selected (or not selected) the
    comparison is not run and ``status`` says why.
    """
    if label not in table.columns:
        raise ValueError(f"the feature table has no label column {label!r}")
    if table[label].isna().any():
        missing = table.loc[table[label].isna(), "nominee_id"].head(5).tolist()
        raise ValueError(f"the panel's decision ({label!r}) is missing for nominee(s) {missing}")
    absent = {
        name: [f for f in features if f not in table.columns]
        for name, features in model_sets.items()
    }
    model_sets = {
        name: [f for f in features if f in table.columns] for name, features in model_sets.items()
    }
    empty = [name for name, features in model_sets.items() if not features]
    if empty:
        return ModelComparison(
            status="missing features",
            message=f"The feature table has none of the features of the {' and '.join(repr(n) for n in empty)} model, so the comparison was not made.",
        )
    y = table[label].astype(int).to_numpy()
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    if min(positives, negatives) < MIN_PER_CLASS:
        return ModelComparison(
            status="not enough picks",
            message=(
                f"The panel selected {positives} of {len(y)} nominees; with fewer than {MIN_PER_CLASS} "
                "selected or unselected nominees a cross-validated comparison cannot be trusted, so none was made."
            ),
        )
    n_splits = min(n_splits, positives, negatives)
    splitter = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=seed)
    splits = list(splitter.split(np.zeros(len(y)), y))
    rows, oof = [], {name: np.zeros(len(y)) for name in model_sets}
    for name, features in model_sets.items():
        X = table[features]
        for index, (train, test) in enumerate(splits):
            model = make_classifier(features, seed).fit(X.iloc[train], y[train])
            score = model.predict_proba(X.iloc[test])[:, 1]
            oof[name][test] += score / n_repeats
            rows.append(
                {
                    "model": name,
                    "repeat": index // n_splits,
                    "fold": index % n_splits,
                    "auc": roc_auc_score(y[test], score),
                }
            )
    scores = pd.concat(
        [
            pd.DataFrame(
                {"nominee_id": table["nominee_id"].to_numpy(), "model": name, "score": values}
            )
            for name, values in oof.items()
        ],
        ignore_index=True,
    )
    missing_text = "; ".join(
        f"{name} without {', '.join(columns)} (not in the feature table)"
        for name, columns in absent.items()
        if columns
    )
    return ModelComparison(
        status="ok",
        message=f"{n_repeats} repeats of {n_splits}-fold stratified cross-validation on {len(y)} nominees ({positives} selected)."
        + (f" Fitted {missing_text}." if missing_text else ""),
        folds=pd.DataFrame(rows),
        scores=scores,
        n_splits=n_splits,
        n_repeats=n_repeats,
    )


def verdict(comparison: ModelComparison) -> str:
    """The comparison's answer in one sentence (what the index page shows)."""
    if comparison.status != "ok":
        return comparison.message
    names = list(comparison.summary()["model"])
    diff = comparison.paired_difference(names[-1], names[0])
    if diff["low"] > 0:
        return f"Engagement explains the panel's picks better than volume does: adding engagement to volume raised the cross-validated ROC AUC by {diff['mean']:.2f}."
    if diff["high"] < 0:
        return f"Volume alone explains the panel's picks better than volume plus engagement (by {-diff['mean']:.2f} in cross-validated ROC AUC)."
    return f"Neither model clearly explains the panel's picks better: the difference in cross-validated ROC AUC ({diff['mean']:+.2f}) is within the spread across folds."


def headline(comparison: ModelComparison) -> str:
    """The comparison in one plain-language paragraph, with its numbers."""
    if comparison.status != "ok":
        return comparison.message
    summary = comparison.summary().set_index("model")
    names = list(summary.index)
    baseline, full = names[0], names[-1]
    diff = comparison.paired_difference(full, baseline)
    b, f = summary.loc[baseline], summary.loc[full]

    def auc(row: pd.Series) -> str:
        return f"{row['auc_mean']:.2f} (95% of folds between {row['auc_low']:.2f} and {row['auc_high']:.2f})"

    return (
        f"{verdict(comparison)} The volume-only model scores {auc(b)}; the volume-plus-engagement model scores {auc(f)}. "
        f"The fuller model was better in {diff['share_of_folds_better']:.0%} of the {int(f['folds'])} folds. "
        "An AUC of 0.5 is a coin toss; 1.0 would rank every pick above every non-pick."
    )


def write_comparison(comparison: ModelComparison, model_dir: Path, *, year: int) -> dict[str, Any]:
    """Write the comparison into ``model_dir`` atomically: ``summary.json`` (read by the
    report), ``cv_folds.csv`` (AUC per model and fold) and ``scores.parquet`` (out-of-fold
    score per nominee and model). Returns the summary."""
    summary = {
        "year": year,
        **comparison.to_dict(),
        "verdict": verdict(comparison),
        "headline": headline(comparison),
        "feature_sets": MODEL_SETS,
    }
    write_text_atomic(comparison.folds.to_csv(index=False), model_dir / "cv_folds.csv")
    write_parquet_atomic(
        comparison.scores
        if not comparison.scores.empty
        else pd.DataFrame({"nominee_id": [], "model": [], "score": []}),
        model_dir / "scores.parquet",
    )
    write_json_atomic(summary, model_dir / "summary.json")
    return summary
