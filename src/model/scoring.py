"""Each nominee's score (probability of selection) and rank, with intervals.

- :func:`person_resamples`: bootstrap resamples of people (all of a person's years together);
- :func:`score_from_earlier_years`: a model trained on earlier years scores this year,
  with bootstrap intervals;
- :func:`score_within_year`: out-of-fold scores within a year that has no earlier year to
  learn from, with intervals across repeats;
- :func:`scores_with_intervals`: scores, ranks and their intervals from a set of draws;
- :func:`enough_picks`: whether a table holds enough picks (and non-picks) to learn from.

Which of these a year gets is the model step's choice (:func:`src.model.run.score_year`).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold

from src.model.estimators import MIN_PER_CLASS, make_classifier, single_threaded
from src.model.feature_sets import feature_matrix, shared_features


def person_resamples(
    people: np.ndarray, y: np.ndarray, n_boot: int, seed: int
) -> Iterator[np.ndarray]:
    """Row indices of ``n_boot`` bootstrap resamples of people (all of a person's
    nominee-years go in or out together), seeded; resamples holding only one class of
    ``y`` are skipped (a classifier cannot be fitted on them)."""
    unique = np.unique(people)
    index_of = {p: np.flatnonzero(people == p) for p in unique}
    rng = np.random.default_rng(seed)
    for _ in range(n_boot):
        rows = np.concatenate(
            [index_of[p] for p in rng.choice(unique, size=len(unique), replace=True)]
        )
        if len(set(y[rows])) == 2:
            yield rows


def scores_with_intervals(
    nominee_ids: np.ndarray, score: np.ndarray, draws: np.ndarray
) -> pd.DataFrame:
    """Per nominee: ``score``, its 95% interval over ``draws`` (one row per draw, NaN where
    a draw has no score), the rank of ``score`` (1 = most backed) and the 95% interval of
    the rank within each draw's ranking."""
    ranks = pd.DataFrame(-draws).rank(axis=1, method="min").to_numpy()
    return pd.DataFrame(
        {
            "nominee_id": nominee_ids,
            "score": score,
            "score_low": np.nanquantile(draws, 0.025, axis=0),
            "score_high": np.nanquantile(draws, 0.975, axis=0),
            "rank": pd.Series(-score).rank(method="min", na_option="bottom").astype(int).to_numpy(),
            "rank_low": np.floor(np.nanquantile(ranks, 0.025, axis=0)).astype(int),
            "rank_high": np.ceil(np.nanquantile(ranks, 0.975, axis=0)).astype(int),
        }
    )


@single_threaded
def score_from_earlier_years(
    history: pd.DataFrame,
    current: pd.DataFrame,
    *,
    seed: int = 0,
    label: str = "selected",
    n_boot: int = 100,
) -> pd.DataFrame:
    """Train on all earlier years, score this year's nominees, with bootstrap intervals.

    Returns nominee_id, score (probability of selection), score_low/high (2.5/97.5
    percentiles over models refitted on resampled people), rank (1 = most backed) and
    rank_low/high. Raises ValueError when the history cannot support a model.
    """
    features = shared_features(history, current)
    y = history[label].astype(int).to_numpy()
    if min(int(y.sum()), int(len(y) - y.sum())) < MIN_PER_CLASS:
        raise ValueError(
            "the earlier years hold too few selected or unselected nominees to train on"
        )
    model = make_classifier(features, seed)
    X, target = feature_matrix(history, features), feature_matrix(current, features)
    score = clone(model).fit(X, y).predict_proba(target)[:, 1]
    draws = [
        clone(model).fit(X[rows], y[rows]).predict_proba(target)[:, 1]
        for rows in person_resamples(history["nominee_id"].to_numpy(), y, n_boot, seed)
    ]
    if not draws:
        raise ValueError(
            "no resample of the earlier years held both selected and unselected nominees"
        )
    return scores_with_intervals(current["nominee_id"].to_numpy(), score, np.array(draws))


@single_threaded
def score_within_year(
    table: pd.DataFrame,
    *,
    seed: int = 0,
    n_splits: int = 5,
    n_repeats: int = 20,
    label: str = "selected",
) -> pd.DataFrame:
    """Score a year with no earlier year to learn from: out-of-fold, with intervals across repeats.

    Each repeat splits the nominees into folds (grouped by person, stratified by the
    panel's decision), fits the full logistic model on the other folds and scores the
    held-out fold, so every nominee gets one score per repeat from a model that never saw
    them. ``score`` is the mean over repeats, ``score_low``/``score_high`` the 2.5 and 97.5
    percentiles; ``rank`` ranks the mean scores (1 = most backed) and ``rank_low``/
    ``rank_high`` are the percentiles of each repeat's ranking. These intervals show how
    much a score depends on which other nominees the model learnt from; they are narrower
    than a bootstrap over people would give. Raises ValueError with too few picks.
    """
    y = table[label].astype(int).to_numpy()
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    if min(positives, negatives) < MIN_PER_CLASS:
        raise ValueError(
            f"{positives} selected and {negatives} not selected: too few to score out of fold"
        )
    features = shared_features(table, table)
    groups = table["nominee_id"].to_numpy()
    n_splits = min(n_splits, positives, negatives, len(set(groups)))
    draws = np.full((n_repeats, len(y)), np.nan)
    X = feature_matrix(table, features)
    for repeat in range(n_repeats):
        splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed + repeat)
        for train, test in splitter.split(np.zeros(len(y)), y, groups):
            if len(set(y[train])) < 2:
                continue
            draws[repeat, test] = (
                make_classifier(features, seed).fit(X[train], y[train]).predict_proba(X[test])[:, 1]
            )
    return scores_with_intervals(table["nominee_id"].to_numpy(), np.nanmean(draws, axis=0), draws)


def enough_picks(table: pd.DataFrame | None, label: str = "selected") -> bool:
    """True when ``table`` holds at least :data:`MIN_PER_CLASS` selected and unselected nominees."""
    if table is None or table.empty:
        return False
    selected = table[label].astype(bool)
    return min(int(selected.sum()), int((~selected).sum())) >= MIN_PER_CLASS
