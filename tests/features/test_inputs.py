"""Reading the feature step's inputs (src.features.inputs): the columns it uses, the
same features as from the full tables, and errors that name the file and the field."""

from __future__ import annotations

import pandas as pd
import pytest

from src.errors import InputError
from src.features import build_feature_tables, read_feature_inputs
from tests.features.helpers import two_platform_tables, write_year
from tests.helpers import conversation_tables, metrics_frame


def test_read_feature_inputs_gives_the_same_features(tmp_path) -> None:
    tables = two_platform_tables()
    tables["posts"] = pd.concat(
        [tables["posts"], conversation_tables()["posts"]], ignore_index=True
    )  # replies, hashtags, media
    tables["account_metrics"] = metrics_frame(
        [("x:b", -30, 0, 900, 4, 2, 1), ("x:b", 0, 30, 1000, 4, 2, 1)]
    )
    write_year(tmp_path, tables)
    read = read_feature_inputs(tmp_path)
    assert "has_hashtag" in read["posts"] and "hashtags" not in read["posts"]
    assert list(read["interactions"].columns) == [
        "source_account_id",
        "target_account_id",
        "kind",
        "post_id",
    ]
    expected, got = build_feature_tables(tables), build_feature_tables(read)
    pd.testing.assert_frame_equal(got.combined, expected.combined)
    pd.testing.assert_frame_equal(got.by_platform, expected.by_platform)


def test_read_feature_inputs_names_the_file_and_field(tmp_path) -> None:
    tables = two_platform_tables()
    posts = tables["posts"].copy()
    posts["kind"] = posts["kind"].where(posts["post_id"] != "x:2", "boost")
    write_year(tmp_path, {**tables, "posts": posts})
    with pytest.raises(InputError, match=r"posts.parquet, field 'kind': .*\['boost'\]"):
        read_feature_inputs(tmp_path)
    write_year(tmp_path, {**tables, "posts": tables["posts"].astype({"likes": str})})
    with pytest.raises(InputError, match=r"posts.parquet, field 'likes': .*type"):
        read_feature_inputs(tmp_path)
    write_year(tmp_path, tables)
    (tmp_path / "interactions.parquet").unlink()
    with pytest.raises(InputError, match="interactions.parquet: not found"):
        read_feature_inputs(tmp_path)
