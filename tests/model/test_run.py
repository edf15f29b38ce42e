"""The model step for a year (src.model.run): outputs, fallbacks, no traceback for bad years."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from src.features import build_features, write_features
from src.ingest.pipeline import ingest_year, read_tables
from src.model.names import ModelName
from src.model.run import model_year
from src.params import year_run

#: Each test here takes a second or more (model fits, whole samples): not in make test-fast.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def processed(small_sample_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("model")
    for year in (2023, 2024):
        shutil.copytree(small_sample_root / "raw" / str(year), root / "raw" / str(year))
        run = year_run(year, root / "raw", root / "processed")
        ingest_year(run, key=b"m" * 32)
        write_features(build_features(read_tables(run.processed)), run.processed)
    return root


def test_a_year_with_an_earlier_year_is_scored_by_a_model_trained_on_it(processed: Path) -> None:
    card = model_year(year_run(2024, processed / "raw", processed / "processed"))
    folder = processed / "processed" / "2024" / "model"
    assert card["earlier_years"] == [2023] and "trained on 2023" in card["scores_from"]
    for name in (
        "evaluation.csv",
        "folds.csv",
        "calibration.csv",
        "coefficients.csv",
        "importance.csv",
        "volume_effect.csv",
        "nominees.parquet",
        "review.csv",
        "categories.csv",
        "card.json",
    ):
        assert (folder / name).exists(), name
    nominees = pd.read_parquet(folder / "nominees.parquet")
    assert (
        len(nominees) == card["nominees"]
        and nominees["explanation"].str.endswith("(log-odds of selection).").all()
    )
    assert (nominees["score_low"] <= nominees["score_high"]).all() and nominees[
        "archetype"
    ].notna().all()
    assert json.loads((folder / "card.json").read_text())["validation"]["status"] == "ok"
    auc = card["validation"]["auc"]
    assert set(auc) >= set(ModelName)
    assert card["comparison"]["pooled_years"] == [2023, 2024] and card["comparison"]["verdict"]


def test_the_first_year_falls_back_to_within_year_scores_and_says_so(processed: Path) -> None:
    card = model_year(year_run(2023, processed / "raw", processed / "processed"))
    assert card["earlier_years"] == [] and "cross-validation within 2023" in card["scores_from"]
    assert any("No earlier year" in note for note in card["notes"])


def test_a_year_with_three_picks_gets_a_card_that_says_why_and_no_traceback(
    processed: Path, tmp_path: Path
) -> None:
    shutil.copytree(processed / "processed" / "2024", tmp_path / "processed" / "2030")
    features = pd.read_parquet(tmp_path / "processed" / "2030" / "features.parquet")
    features["selected"] = False
    features.loc[:2, "selected"] = True
    features["year"] = 2030
    features.to_parquet(tmp_path / "processed" / "2030" / "features.parquet", index=False)
    card = model_year(year_run(2030, tmp_path / "raw", tmp_path / "processed"))
    assert card["validation"]["status"] == "not enough picks"
    assert "3 selected" in card["notes"][0]
