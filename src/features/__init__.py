"""Feature engineering: one row per nominee-year, in documented families.

Each family is a module of vectorised aggregations over the canonical tables; every
feature is declared once in :mod:`src.features.dictionary`, which the report prints.
Next to the combined table (``features.parquet``) the features whose meaning differs by
platform are also kept per platform (``features_by_platform.parquet``).

The step's modules, in the order it runs them:

- :mod:`src.features.inputs`: read a processed year's tables (only the columns used);
  :mod:`src.features.codes`: hold them as integer codes;
- :mod:`src.features.previous_year`: what the year before gives (``new_engager_share``);
- :mod:`src.features.build`: the combined table, every family joined;
  :mod:`src.features.by_platform`: the per-platform table;
- the families: :mod:`~src.features.volume`, :mod:`~src.features.reach`,
  :mod:`~src.features.engagement`, :mod:`~src.features.network`,
  :mod:`~src.features.audiences`, :mod:`~src.features.conversation`,
  :mod:`~src.features.influence` (and :mod:`~src.features.metrics` for nominees known
  only from an account-level metric table);
- :mod:`src.features.files`: write and read the feature files.

>>> from src.features import (
...     build_feature_tables, read_feature_inputs, read_previous_year, write_features
... )
>>> # tables = build_feature_tables(read_feature_inputs(folder), read_previous_year(folder))
>>> # write_features(tables, folder)
"""

from src.features.build import build_feature_tables, build_features, observation_days
from src.features.dictionary import FEATURES, feature_dictionary, features_in
from src.features.files import (
    FeatureTables,
    read_features,
    read_features_by_platform,
    write_features,
)
from src.features.inputs import read_feature_inputs
from src.features.previous_year import (
    PreviousYear,
    previous_year_inputs,
    read_previous_interactions,
    read_previous_year,
)

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
