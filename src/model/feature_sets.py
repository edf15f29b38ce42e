"""Which features each model uses, and the design matrix the fits index.

- :func:`families_in`: the dictionary's feature families, restricted to the features a
  table has and that vary in it;
- :func:`model_sets`: the feature set of each model of the comparison
  (:class:`src.model.names.ModelName`);
- :func:`shared_features`: the full model's features learnt on one table and applied to
  another;
- :func:`feature_matrix` and :func:`standardised`: the features as a float array, raw or
  as the logistic model sees them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from src.features.dictionary import FEATURES
from src.model.estimators import make_classifier
from src.model.names import FULL, ModelName


def families_in(table: pd.DataFrame) -> dict[str, list[str]]:
    """Feature names by family, for the features the table has and that vary."""
    out: dict[str, list[str]] = {}
    for name, spec in FEATURES.items():
        if (
            name in table.columns
            and table[name].notna().any()
            and table[name].nunique(dropna=True) > 1
        ):
            out.setdefault(spec.family, []).append(name)
    return out


def model_sets(table: pd.DataFrame) -> dict[ModelName, list[str]]:
    """The feature sets compared: volume only, reach only, and every family together.

    A model none of whose features the table has (or varies in) is left out. The boosted
    model uses the full model's set (:data:`src.model.names.FULL`).
    """
    families = families_in(table)
    every = [name for names in families.values() for name in names]
    sets = {
        ModelName.VOLUME_ONLY: families.get("volume", []),
        ModelName.REACH_ONLY: families.get("reach", []),
        ModelName.INFLUENCE_LOGISTIC: every,
    }
    return {name: features for name, features in sets.items() if features}


def full_features(table: pd.DataFrame) -> list[str]:
    """The full influence model's features in ``table`` (empty when none varies)."""
    return model_sets(table).get(FULL, [])


def shared_features(train: pd.DataFrame, apply_to: pd.DataFrame) -> list[str]:
    """The full model's features that vary in ``train`` and exist in ``apply_to`` (where
    they may be missing)."""
    return [name for name in full_features(train) if name in apply_to.columns]


def feature_matrix(table: pd.DataFrame, features: list[str]) -> np.ndarray:
    """The feature columns as a float array, missing and infinite values as NaN.

    The many small fits index it by row, which is much faster than indexing the frame.
    """
    matrix = np.array(
        table[features].to_numpy(dtype=float, na_value=np.nan), dtype=float, copy=True
    )  # a copy: pandas may hand back a read-only view
    matrix[~np.isfinite(matrix)] = np.nan
    return matrix


def standardised(
    table: pd.DataFrame, features: list[str], seed: int
) -> tuple[Pipeline, pd.DataFrame]:
    """The full model's design matrix: imputed, logged where heavy-tailed, standardised over
    ``table``; returns (the unfitted model, the matrix with ``table``'s index)."""
    model = make_classifier(features, seed)
    prepare = model[:-1].fit(table[features])
    return model, pd.DataFrame(
        prepare.transform(table[features]), columns=features, index=table.index
    )
