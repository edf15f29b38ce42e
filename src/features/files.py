"""A year's feature files: written atomically, read back by the model and the report.

``features.parquet`` (the combined table), ``features_by_platform.parquet`` (the
per-platform table) and ``feature_dictionary.csv`` (the dictionary as the report prints
it), in the year's processed folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from src.errors import InputError
from src.features.dictionary import feature_dictionary
from src.io import write_parquet_atomic, write_text_atomic

FEATURES_FILE = "features.parquet"
BY_PLATFORM_FILE = "features_by_platform.parquet"
DICTIONARY_FILE = "feature_dictionary.csv"

_NOT_FOUND = "not found: run the features step (notebooks/02_features.ipynb) for this year first"


@dataclass
class FeatureTables:
    """The year's feature tables: ``combined`` (one row per nominee) and ``by_platform`` (tidy)."""

    combined: pd.DataFrame
    by_platform: pd.DataFrame


def write_features(features: pd.DataFrame | FeatureTables, processed_year: Path) -> dict[str, str]:
    """Write ``features.parquet``, ``features_by_platform.parquet`` and
    ``feature_dictionary.csv`` into a processed year folder.

    ``features`` is :func:`src.features.build_feature_tables`' result, or the combined
    table alone (then a per-platform table left from an earlier run is removed, so the two
    never disagree). Each file is written atomically: a failure leaves the previous good
    file.
    """
    folder = Path(processed_year)
    table, by_platform = (
        (features.combined, features.by_platform)
        if isinstance(features, FeatureTables)
        else (features, None)
    )
    written = {}
    if by_platform is not None:
        written["by_platform"] = str(write_parquet_atomic(by_platform, folder / BY_PLATFORM_FILE))
    elif (folder / BY_PLATFORM_FILE).exists():
        (folder / BY_PLATFORM_FILE).unlink()
    written["features"] = str(write_parquet_atomic(table, folder / FEATURES_FILE))
    written["dictionary"] = str(
        write_text_atomic(feature_dictionary().to_csv(index=False), folder / DICTIONARY_FILE)
    )
    return written


def read_features(processed_year: Path) -> pd.DataFrame:
    """Read a year's feature table written by :func:`write_features`."""
    path = Path(processed_year) / FEATURES_FILE
    if not path.exists():
        raise InputError(path, _NOT_FOUND)
    return pd.read_parquet(path)


def read_features_by_platform(processed_year: Path) -> pd.DataFrame:
    """Read a year's per-platform feature table (tidy:
    :data:`src.features.by_platform.BY_PLATFORM_COLUMNS`) written by :func:`write_features`.

    ``table.pivot(index=["nominee_id", "platform"], columns="feature", values="value")``
    gives it one column per feature.
    """
    path = Path(processed_year) / BY_PLATFORM_FILE
    if not path.exists():
        raise InputError(path, _NOT_FOUND)
    return pd.read_parquet(path)
