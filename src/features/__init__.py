"""Feature engineering: one row per nominee-year, in documented families.

Each family is a module of vectorised aggregations over the canonical tables; every
feature is declared once in :mod:`src.features.dictionary`, which the report prints.
Next to the combined table (``features.parquet``) the features whose meaning differs by
platform are also kept per platform (``features_by_platform.parquet``; see
:mod:`src.features.build`).

>>> from src.features import build_feature_tables, read_feature_inputs, read_previous_year, write_features
>>> # tables = build_feature_tables(read_feature_inputs(folder), read_previous_year(folder))
>>> # write_features(tables, folder)
"""

from src.features.build import (
    FeatureTables,
    PreviousYear,
    build_feature_tables,
    build_features,
    observation_days,
    previous_year_inputs,
    read_features,
    read_features_by_platform,
    read_previous_interactions,
    read_previous_year,
    write_features,
)
from src.features.dictionary import FEATURES, feature_dictionary, features_in
from src.features.inputs import read_feature_inputs

__all__ = [
    "FEATURES",
    "FeatureTables",
    "PreviousYear",
    "build_feature_tables",
    "build_features",
    "feature_dictionary",
    "features_in",
    "observation_days",
    "previous_year_inputs",
    "read_feature_inputs",
    "read_features",
    "read_features_by_platform",
    "read_previous_interactions",
    "read_previous_year",
    "write_features",
]
