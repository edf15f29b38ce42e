"""Assemble one year's feature table: one row per nominee, every family joined."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src.errors import InputError
from src.features.dictionary import FEATURES, feature_dictionary
from src.features.engagement import engagement_features, engagement_sums
from src.features.reach import account_totals, reach_features
from src.features.volume import post_counts, volume_features
from src.io import write_parquet_atomic, write_text_atomic

#: Identifying and label columns carried next to the features.
ID_COLUMNS = ["nominee_id", "year", "name", "category", "selected", "rank"]


def observation_days(posts: pd.DataFrame) -> int:
    """Length of the year's observation window in calendar days (UTC), inclusive.

    Taken from the earliest and latest nominee post of the year, so every nominee is
    measured over the same window; at least 1.
    """
    if posts.empty:
        return 1
    first, last = posts["created_at"].min(), posts["created_at"].max()
    return int((last.normalize() - first.normalize()).days) + 1


def build_features(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Features for every nominee of a year from its canonical tables.

    Nominees with no posts get a row too: per-day volumes of 0 and missing rates (see
    each feature's ``when_undefined``).
    """
    nominees = tables["nominees"]
    accounts = tables["accounts"]
    nominee_of = accounts.loc[accounts["is_nominee"], ["account_id", "nominee_id"]]
    posts = tables["posts"].merge(nominee_of, on="account_id", how="inner")
    days = observation_days(posts)
    index = pd.Index(sorted(nominees["nominee_id"]), name="nominee_id")

    counts = post_counts(posts).reindex(index, fill_value=0)
    totals = account_totals(accounts).reindex(index)
    sums = engagement_sums(posts).reindex(index, fill_value=0)
    features = pd.concat(
        [volume_features(counts, days), reach_features(totals), engagement_features(sums, totals["followers"])],
        axis=1,
    )[list(FEATURES)]
    labels = nominees.set_index("nominee_id")[[c for c in ID_COLUMNS if c != "nominee_id"]]
    table = labels.join(features, how="left").reset_index()
    table.insert(len(ID_COLUMNS), "observation_days", days)
    return table


def write_features(table: pd.DataFrame, processed_year: Path) -> dict[str, str]:
    """Write ``features.parquet`` and ``feature_dictionary.csv`` into a processed year folder, atomically."""
    folder = Path(processed_year)
    features_path = write_parquet_atomic(table, folder / "features.parquet")
    dictionary_path = write_text_atomic(feature_dictionary().to_csv(index=False), folder / "feature_dictionary.csv")
    return {"features": str(features_path), "dictionary": str(dictionary_path)}


def read_features(processed_year: Path) -> pd.DataFrame:
    """Read a year's feature table written by :func:`write_features`."""
    path = Path(processed_year) / "features.parquet"
    if not path.exists():
        raise InputError(path, "not found: run the features step (notebooks/02_features.ipynb) for this year first")
    return pd.read_parquet(path)
