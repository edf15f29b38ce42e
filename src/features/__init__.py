"""Feature engineering: one row per nominee-year, in documented families.

Each family is a module of vectorised aggregations over the canonical tables; every
feature is declared once in :mod:`src.features.dictionary`, which the report prints.

>>> from src.features import build_features, feature_dictionary
"""

from src.features.build import build_features, observation_days, read_features, read_previous_interactions, write_features
from src.features.dictionary import FEATURES, feature_dictionary, features_in

__all__ = ["FEATURES", "build_features", "feature_dictionary", "features_in", "observation_days", "read_features", "read_previous_interactions", "write_features"]
