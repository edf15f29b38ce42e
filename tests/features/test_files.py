"""Writing and reading a year's feature files (src.features.files)."""

from __future__ import annotations

import pandas as pd
import pytest

from src.errors import InputError
from src.features import (
    build_feature_tables,
    read_features,
    read_features_by_platform,
    write_features,
)
from src.features.by_platform import PER_PLATFORM
from tests.features.helpers import two_platform_tables


def test_write_and_read_both_tables(tmp_path) -> None:
    result = build_feature_tables(two_platform_tables())
    written = write_features(result, tmp_path / "2014")
    assert set(written) == {"features", "by_platform", "dictionary"}
    pd.testing.assert_frame_equal(read_features(tmp_path / "2014"), result.combined)
    pd.testing.assert_frame_equal(read_features_by_platform(tmp_path / "2014"), result.by_platform)
    dictionary = pd.read_csv(tmp_path / "2014" / "feature_dictionary.csv")
    assert dictionary.loc[dictionary["per_platform"], "name"].tolist() == PER_PLATFORM
    assert dictionary.loc[dictionary["per_platform"], "per_platform_why"].str.len().gt(20).all()
    # The combined table alone: a per-platform table of an earlier run does not linger.
    write_features(result.combined, tmp_path / "2014")
    with pytest.raises(InputError, match="features_by_platform.parquet: not found"):
        read_features_by_platform(tmp_path / "2014")
    assert not [
        p.name for p in (tmp_path / "2014").iterdir() if p.name.startswith(".")
    ]  # no temporary files left
