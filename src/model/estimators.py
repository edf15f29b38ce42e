"""The estimators every model of the comparison is built from, and how they are run.

- :func:`make_classifier`: the logistic pipeline (infinities to missing, median
  imputation, log(1 + x) of the heavy-tailed features the dictionary marks,
  standardisation, L2-regularised logistic regression);
- :func:`boosted_classifier`: the gradient-boosted model on the same features;
- :class:`FiniteOrMissing` and :class:`LogOnePlus`: the two custom scikit-learn
  transformers of the pipeline;
- :func:`single_threaded`: runs the many small fits with the maths libraries on one thread;
- :data:`MIN_PER_CLASS` and :data:`C`: the thresholds and penalty every model shares.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from src.features.dictionary import FEATURES

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

    # wraps() keeps the signature at run time, but mypy cannot see that the wrapper has
    # the wrapped function's type.
    return wrapper  # type: ignore[return-value]


class FiniteOrMissing(TransformerMixin, BaseEstimator):
    """Infinite values become missing (then imputed like any other missing value).

    The feature dictionary promises no infinities, but a ratio with a zero denominator
    in someone's export should cost one value, not the year's model.
    """

    def fit(self, X: Any, y: Any = None) -> FiniteOrMissing:
        """Nothing to learn; returns itself."""
        return self

    def transform(self, X: Any) -> np.ndarray:
        """A float copy of ``X`` with +inf and -inf replaced by NaN (``X`` is left as it is)."""
        out = np.array(X, dtype=float, copy=True)
        out[~np.isfinite(out)] = np.nan
        return out


class LogOnePlus(TransformerMixin, BaseEstimator):
    """log(1 + x) of the columns flagged in ``mask`` (one boolean per column); the rest pass.

    The flagged features are counts and rates, never negative by definition; a negative
    value (a broken export) is taken as 0 rather than turned into a missing logarithm.
    Missing values stay missing.
    """

    def __init__(self, mask: tuple[bool, ...] = ()):
        self.mask = mask

    def fit(self, X: Any, y: Any = None) -> LogOnePlus:
        """Nothing to learn; returns itself."""
        return self

    def transform(self, X: Any) -> np.ndarray:
        """A float copy of ``X`` with log(1 + max(x, 0)) in the flagged columns."""
        out = np.array(X, dtype=float, copy=True)
        flagged = np.asarray(self.mask, dtype=bool)
        if flagged.any():
            out[:, flagged] = np.log1p(np.clip(out[:, flagged], 0, None))
        return out


def make_classifier(features: list[str], seed: int) -> Pipeline:
    """The logistic model for one feature set.

    Infinities to missing, impute (median), log the heavy-tailed, scale, logistic
    regression. Columns keep the order of ``features`` throughout, so
    ``model[:-1].transform(X)`` is the standardised design matrix and
    ``model[-1].coef_[0][i]`` belongs to ``features[i]``. (One pipeline of plain steps:
    about twice as fast to fit, and four times to predict, as a ColumnTransformer
    splitting logged and plain columns, which matters for the thousands of small fits of
    cross-validation and the bootstrap.)
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


def boosted_classifier(seed: int, n_samples: int | None = None) -> HistGradientBoostingClassifier:
    """The gradient-boosted influence model (handles missing values natively).

    A leaf holds at least a tenth of the training rows, between 5 and 20 (scikit-learn's
    default of 20): with the default, a year of 48 nominees (38 to train on per fold) can
    hardly split, and the model predicts the base rate for everyone.
    """
    leaf = 20 if n_samples is None else int(np.clip(n_samples // 10, 5, 20))
    return HistGradientBoostingClassifier(
        max_depth=3,
        learning_rate=0.1,
        max_iter=100,
        l2_regularization=1.0,
        min_samples_leaf=leaf,
        random_state=seed,
    )
