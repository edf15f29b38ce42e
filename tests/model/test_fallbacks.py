"""The model step on bad or thin input: it does what can still be done and says so.

Too few picks, a feature column missing or constant, no usable feature, no earlier year,
an undecided panel, a table built from account-level metrics alone: the step writes a
card whose notes say what it did instead, never a traceback; the notebook prints them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from src.features import build_features, write_features
from src.features.dictionary import FEATURES
from src.ingest.pipeline import ingest_year, read_tables
from src.model.archetypes import RESIDUAL_ARCHETYPE
from src.model.names import BASELINE, FULL
from src.model.run import OUTPUTS, RETIRED_OUTPUTS, earlier_year_inputs, earlier_years, model_year
from src.params import year_run
from src.pipeline import other_year_inputs
from tests.model.helpers import people, write_year

#: Each test here takes a second or more (model fits, whole samples): not in make test-fast.
pytestmark = pytest.mark.slow


def run_year(root: Path, year: int) -> dict:
    return model_year(year_run(year, root / "raw", root / "processed"), n_repeats=1, n_boot=20)


# --- which files of other years the model step reads -------------------------------------


def test_earlier_year_inputs_are_exactly_the_earlier_feature_tables(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    for year in (2021, 2023, 2025):
        write_year(processed, people(year=year))
    (processed / "2022").mkdir()  # a year folder without features: not read
    (processed / "2024").mkdir()
    (processed / "notes").mkdir()
    assert earlier_year_inputs(processed, 2025) == [
        processed / "2021" / "features.parquet",
        processed / "2023" / "features.parquet",
    ]
    assert earlier_year_inputs(processed, 2024) == earlier_year_inputs(processed, 2025)
    assert (
        earlier_year_inputs(processed, 2021) == []
        and earlier_year_inputs(tmp_path / "absent", 2025) == []
    )
    assert [int(f["year"].iloc[0]) for f in earlier_years(processed, 2025)] == [2021, 2023]
    assert earlier_year_inputs(processed, 2025) == other_year_inputs("model", processed, 2025)


# --- the step on thin input ---------------------------------------------------------------


def test_no_earlier_year_scores_within_the_year_with_rank_intervals(tmp_path: Path) -> None:
    write_year(tmp_path / "processed", people(year=2024))
    card = run_year(tmp_path, 2024)
    assert (
        card["validation"]["status"] == "ok"
        and "cross-validation within 2024" in card["scores_from"]
    )
    assert any("No earlier year" in note for note in card["notes"])
    nominees = pd.read_parquet(tmp_path / "processed" / "2024" / "model" / "nominees.parquet")
    assert (nominees["rank_low"] <= nominees["rank"]).mean() > 0.9 and (
        nominees["rank"] <= nominees["rank_high"]
    ).mean() > 0.9
    assert (nominees["rank_high"] > nominees["rank_low"]).mean() > 0.5, (
        "ranks come with real intervals"
    )
    assert (nominees["score_low"] <= nominees["score_high"]).all() and nominees["score"].between(
        0, 1
    ).all()
    calibration = pd.read_csv(tmp_path / "processed" / "2024" / "model" / "calibration.csv")
    assert {"predicted", "observed", "observed_low", "observed_high"} <= set(calibration.columns)
    assert (calibration["observed_low"] <= calibration["observed"]).all() and (
        calibration["observed"] <= calibration["observed_high"]
    ).all()
    assert set(card["validation"]["calibration"]) >= {"slope", "intercept"}


def test_three_picks_and_no_earlier_year_is_said_and_stale_outputs_go(tmp_path: Path) -> None:
    write_year(tmp_path / "processed", people(year=2024))
    run_year(tmp_path, 2024)
    folder = tmp_path / "processed" / "2024" / "model"
    assert (folder / "nominees.parquet").exists()
    write_year(tmp_path / "processed", people(year=2024, picks=3))
    card = run_year(tmp_path, 2024)
    assert card["validation"]["status"] == "not enough picks" and "3 selected" in card["notes"][0]
    # What does not need the panel's decision is still given: the archetypes.
    assert (folder / "archetypes.csv").exists() and sum(card["archetypes"].values()) == 40
    # Last run's tables are not left to pass for this year's.
    assert [name for name in OUTPUTS if (folder / name).exists()] == ["archetypes.csv"]
    assert (
        json.loads((folder / "card.json").read_text())["validation"]["status"] == "not enough picks"
    )


def test_three_picks_this_year_with_earlier_years_uses_them_and_says_so(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    write_year(processed, people(year=2023))
    write_year(processed, people(year=2024, picks=3))
    card = run_year(tmp_path, 2024)
    assert card["validation"]["status"] == "ok" and "trained on 2023" in card["scores_from"]
    assert any(
        "selected 3 of 40" in note and "pooled years 2023, 2024" in note for note in card["notes"]
    )
    nominees = pd.read_parquet(processed / "2024" / "model" / "nominees.parquet")
    assert len(nominees) == 40 and nominees["explanation"].notna().all()


def test_an_undecided_panel_is_scored_from_earlier_years(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    write_year(processed, people(year=2023))
    write_year(processed, people(year=2024).assign(selected=False))
    card = run_year(tmp_path, 2024)
    assert card["validation"]["status"] == "ok" and card["selected"] == 0
    nominees = pd.read_parquet(processed / "2024" / "model" / "nominees.parquet")
    assert nominees["score"].notna().all()
    review = pd.read_csv(processed / "2024" / "model" / "review.csv")
    assert set(review["review"]) == {"not selected, most backed by the evidence"}


def test_missing_constant_and_infinite_features_are_named_and_handled(tmp_path: Path) -> None:
    table = people(year=2024).drop(columns=["applause_rate", "reply_share"]).assign(pagerank=1.0)
    table["betweenness"] = np.nan
    table.loc[:2, "media_share"] = np.inf  # a ratio with a zero denominator somewhere upstream
    write_year(tmp_path / "processed", table)
    card = run_year(tmp_path, 2024)
    assert card["validation"]["status"] == "ok"
    assert any(
        note == "Infinite values, treated as missing: media_share (3 nominees)."
        for note in card["notes"]
    )
    missing = next(
        note for note in card["notes"] if note.startswith("Not in this year's feature table")
    )
    constant = next(note for note in card["notes"] if note.startswith("The same for every nominee"))
    assert "applause_rate" in missing and "reply_share" in missing
    assert "pagerank" in constant and "betweenness" in constant
    coefficients = pd.read_csv(tmp_path / "processed" / "2024" / "model" / "coefficients.csv")
    assert not {"applause_rate", "reply_share", "pagerank", "betweenness"} & set(
        coefficients["feature"]
    )


def test_no_usable_feature_is_said_not_raised(tmp_path: Path) -> None:
    table = people(year=2024)
    for name in FEATURES:
        table[name] = 1.0
    write_year(tmp_path / "processed", table)
    card = run_year(tmp_path, 2024)
    assert card["validation"]["status"] == "no usable features"
    assert "No feature varies" in card["notes"][0]
    assert set(card["archetypes"]) == {RESIDUAL_ARCHETYPE}


def test_the_comparison_survives_a_missing_family(tmp_path: Path) -> None:
    table = people(year=2024)
    volume_features = [name for name in FEATURES if FEATURES[name].family == "volume"]
    write_year(tmp_path / "processed", table.drop(columns=volume_features))
    card = run_year(tmp_path, 2024)
    assert card["validation"]["status"] == "ok" and BASELINE not in card["validation"]["auc"]
    assert card["comparison"]["status"] == "no comparison"
    assert "the volume-only model could not be fitted" in card["comparison"]["sentence"]
    write_year(tmp_path / "processed", table.drop(columns=["applause_rate"]))
    partly = run_year(tmp_path, 2024)
    assert partly["comparison"]["status"] == "ok" and partly["comparison"]["verdict"]
    assert any("not used: applause_rate" in note for note in partly["notes"])


# --- the comparison's outputs ------------------------------------------------------------------


def test_the_card_holds_the_headline_comparison_and_every_fold_is_written(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    write_year(processed, people(year=2023))
    write_year(processed, people(year=2024))
    card = run_year(tmp_path, 2024)
    comparison = card["comparison"]
    assert comparison["baseline"] == BASELINE and comparison["full"] == FULL
    assert comparison["pooled_years"] == [2023, 2024] and comparison["nominee_years"] == 80
    assert comparison["selected"] == 20 and comparison["folds"] == 5
    folds = pd.read_csv(processed / "2024" / "model" / "folds.csv")
    assert list(folds.columns) == ["model", "repeat", "fold", "auc", "log_loss", "brier"]
    wide = folds.pivot_table(index=["repeat", "fold"], columns="model", values="auc")
    assert comparison["difference"]["mean"] == pytest.approx((wide[FULL] - wide[BASELINE]).mean())
    evaluation = pd.read_csv(processed / "2024" / "model" / "evaluation.csv")
    auc = evaluation[evaluation["metric"] == "auc"].set_index("model")
    for model, entry in comparison["models"].items():
        assert entry["mean"] == pytest.approx(auc.loc[model, "mean"])
    assert card["validation"]["auc"] == comparison["models"]
    assert comparison["verdict"] in ("influence", "volume", "unclear") and comparison["sentence"]


def test_the_retired_within_year_comparison_files_are_removed(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    write_year(processed, people(year=2024))
    folder = processed / "2024" / "model"
    folder.mkdir(parents=True)
    for name in RETIRED_OUTPUTS:
        (folder / name).write_text("from an older version")
    run_year(tmp_path, 2024)
    assert not [name for name in RETIRED_OUTPUTS if (folder / name).exists()]
    assert (folder / "card.json").exists() and (folder / "folds.csv").exists()


# --- on a table built from account-level metrics alone ----------------------------------


def test_the_same_code_runs_on_a_table_built_from_account_metrics_alone(
    small_sample_root: Path, tmp_path: Path
) -> None:
    raw = tmp_path / "raw" / "2024"
    raw.mkdir(parents=True)
    source = small_sample_root / "raw" / "2024"
    shutil.copy(source / "nominations.csv", raw / "nominations.csv")
    shutil.copytree(source / "metrics", raw / "metrics")
    run = year_run(2024, tmp_path / "raw", tmp_path / "processed", require_raw=True)
    ingest_year(run, key=b"m" * 32)
    features = build_features(read_tables(run.processed))
    assert set(features["activity_source"]) <= {"account_metrics", "none"}
    write_features(features, run.processed)
    card = model_year(run, n_repeats=1, n_boot=20)
    assert card["validation"]["status"] == "ok", card["notes"]
    assert set(card["validation"]["auc"]) >= {BASELINE, FULL}
    nominees = pd.read_parquet(run.processed / "model" / "nominees.parquet")
    assert (
        len(nominees) == len(features)
        and nominees["score"].notna().all()
        and nominees["archetype"].notna().all()
    )
    assert nominees["explanation"].str.endswith("(log-odds of selection).").all()
    assert any(
        note.startswith("The same for every nominee") or note.startswith("Not in this year's")
        for note in card["notes"]
    )


# --- the notebook --------------------------------------------------------------------------


@pytest.mark.e2e
def test_the_notebook_says_why_when_the_panel_picked_three(tmp_path: Path) -> None:
    import papermill as pm

    from src import config

    write_year(tmp_path / "processed", people(year=2024, picks=3))
    executed = tmp_path / "03_model.ipynb"
    pm.execute_notebook(
        str(config.NOTEBOOKS_DIR / "03_model.ipynb"),
        str(executed),
        parameters={
            "year": 2024,
            "raw_dir": str(tmp_path / "raw"),
            "processed_dir": str(tmp_path / "processed"),
            "reports_dir": str(tmp_path / "reports"),
        },
        kernel_name="python3",
        progress_bar=False,
        cwd=str(config.PROJECT_ROOT),
    )
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    text = "".join(
        "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
    )
    assert not any(
        output.get("output_type") == "error"
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
    )
    assert "The panel selected 3 of 40" in text  # the counts the notebook prints
    assert (
        "3 selected and 37 not selected: too few to cross-validate" in text
    )  # the model card's note
    assert "evaluation.csv was not written this year" in text
