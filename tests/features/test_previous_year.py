"""The previous year's inputs of the features step (src.features.previous_year): the files
the step table declares, and reading them for new_engager_share."""

from __future__ import annotations

import pandas as pd
import pytest

from src.features import PreviousYear, build_features, previous_year_inputs, read_previous_year
from src.pipeline import other_year_inputs
from tests.features.helpers import two_platform_tables, write_year
from tests.helpers import interactions_frame


def test_previous_year_inputs_and_reading_them(tmp_path) -> None:
    year, before = tmp_path / "2015", tmp_path / "2014"
    assert previous_year_inputs(year) == [before / "interactions.parquet", before / "posts.parquet"]
    # The files are those the pipeline's step table declares for the features step.
    assert previous_year_inputs(year) == other_year_inputs("features", tmp_path, 2015)
    assert previous_year_inputs(tmp_path / "scratch") == []
    assert read_previous_year(year) is None  # the first year: nothing before it
    tables = two_platform_tables()
    write_year(
        before,
        {
            "interactions": interactions_frame(
                [("anon:1", "x:a", "reply", "x:old"), ("anon:9", "x:b", "reply", "x:old2")]
            )
        },
    )
    assert (
        read_previous_year(year) is None
    )  # interactions without posts: who was collected is unknown
    write_year(before, {"posts": tables["posts"][tables["posts"]["account_id"] == "x:a"]})
    previous = read_previous_year(year)
    assert isinstance(previous, PreviousYear) and list(previous.posting_accounts) == ["x:a"]
    table = build_features(tables, previous).set_index("nominee_id")
    # a's engagers this year: anon:1 (x:a) and anon:2 (bluesky:a); anon:1 engaged last year.
    assert table.loc["a", "new_engager_share"] == pytest.approx(1 / 2)
    assert pd.isna(
        table.loc["b", "new_engager_share"]
    )  # anon:9 engaged, but b's accounts did not post last year
    assert pd.isna(table.loc["c", "new_engager_share"])  # nobody engaged with c
