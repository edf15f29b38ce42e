"""The estimators (src.model.estimators): the custom transformers on tiny hand-made data,
and the pipeline they make up."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.base import clone

from src.features.dictionary import FEATURES
from src.model.estimators import (
    C,
    FiniteOrMissing,
    LogOnePlus,
    boosted_classifier,
    make_classifier,
    single_threaded,
)

# --- FiniteOrMissing ---------------------------------------------------------------------


def test_infinities_become_missing_and_finite_values_pass_unchanged() -> None:
    """
    in:   [[1.0,  inf],        out:  [[1.0,  nan],
           [-inf, 2.5],               [nan,  2.5],
           [nan,  0.0]]               [nan,  0.0]]
    """
    X = np.array([[1.0, np.inf], [-np.inf, 2.5], [np.nan, 0.0]])
    out = FiniteOrMissing().fit(X).transform(X)
    expected = np.array([[1.0, np.nan], [np.nan, 2.5], [np.nan, 0.0]])
    np.testing.assert_array_equal(out, expected)  # NaN compares equal to NaN here
    assert np.isinf(X[0, 1]) and np.isinf(X[1, 0]), "the input is not changed in place"


def test_finite_or_missing_takes_lists_and_integers_and_returns_floats() -> None:
    out = FiniteOrMissing().fit_transform([[1, 2], [3, 4]])
    assert out.dtype == float and out.tolist() == [[1.0, 2.0], [3.0, 4.0]]


# --- LogOnePlus ----------------------------------------------------------------------------


def test_log_one_plus_logs_the_flagged_columns_only() -> None:
    """
    mask (True, False):   x = 0 -> log 1 = 0;  x = e - 1 -> log e = 1;  x = 9 -> log 10
    the second column passes as it is.
    """
    X = np.array([[0.0, 5.0], [math.e - 1, -3.0], [9.0, 7.0]])
    out = LogOnePlus(mask=(True, False)).fit(X).transform(X)
    np.testing.assert_allclose(out[:, 0], [0.0, 1.0, math.log(10)])
    np.testing.assert_array_equal(out[:, 1], [5.0, -3.0, 7.0])
    assert X[2, 0] == 9.0, "the input is not changed in place"


def test_negative_values_in_flagged_columns_count_as_zero_and_missing_stays_missing() -> None:
    """A negative count (a broken export) is taken as 0: log(1 + 0) = 0, not a NaN."""
    X = np.array([[-4.0, -4.0], [np.nan, np.nan], [3.0, 3.0]])
    out = LogOnePlus(mask=(True, False)).fit_transform(X)
    assert out[0, 0] == 0.0 and out[0, 1] == -4.0
    assert np.isnan(out[1, 0]) and np.isnan(out[1, 1])
    assert out[2, 0] == pytest.approx(math.log(4)) and out[2, 1] == 3.0


def test_an_empty_or_all_false_mask_passes_everything() -> None:
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(LogOnePlus().fit_transform(X), X)
    np.testing.assert_array_equal(LogOnePlus(mask=(False, False)).fit_transform(X), X)


def test_the_transformers_clone_and_report_their_parameters() -> None:
    log = LogOnePlus(mask=(True, False, True))
    assert log.get_params() == {"mask": (True, False, True)}
    copy = clone(log)
    assert copy is not log and copy.mask == (True, False, True)
    assert copy.set_params(mask=(False,)).mask == (False,)
    assert FiniteOrMissing().get_params() == {}
    assert isinstance(clone(FiniteOrMissing()), FiniteOrMissing)


# --- the pipelines -----------------------------------------------------------------------------


def test_the_logistic_pipeline_logs_exactly_the_heavy_tailed_features() -> None:
    features = ["posts_per_day", "repost_share", "applause_rate"]
    model = make_classifier(features, seed=0)
    assert [name for name, _ in model.steps] == ["finite", "impute", "log1p", "scale", "classify"]
    assert model.named_steps["log1p"].mask == tuple(
        bool(FEATURES[name].log_scale) for name in features
    )
    assert model.named_steps["classify"].C == C


def test_the_logistic_pipeline_fits_through_infinities_and_missing_values() -> None:
    rng = np.random.default_rng(0)
    X = rng.lognormal(size=(40, 2))
    y = (X[:, 0] > np.median(X[:, 0])).astype(int)
    X[0, 0], X[1, 1], X[2, 0] = np.inf, np.nan, -np.inf
    model = make_classifier(["posts_per_day", "applause_rate"], seed=0).fit(X, y)
    probabilities = model.predict_proba(X)[:, 1]
    assert np.isfinite(probabilities).all()
    assert probabilities[y == 1].mean() > probabilities[y == 0].mean()


@pytest.mark.parametrize("n_samples, leaf", [(None, 20), (38, 5), (120, 12), (1000, 20)])
def test_the_boosted_leaf_size_follows_the_training_size(n_samples: int | None, leaf: int) -> None:
    assert boosted_classifier(0, n_samples).min_samples_leaf == leaf


def test_single_threaded_keeps_the_function_and_its_result() -> None:
    @single_threaded
    def add(a: int, b: int = 1) -> int:
        """Adds."""
        return a + b

    assert add(2, b=3) == 5 and add.__name__ == "add" and add.__doc__ == "Adds."
