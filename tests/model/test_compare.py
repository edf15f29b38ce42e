"""The volume-only vs volume + engagement comparison (src.model.compare)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from src.features import FEATURES, build_features
from src.ingest.pipeline import ingest_year, read_tables
from src.model.compare import MODEL_SETS, compare_models, headline
from src.params import year_run

VOLUME, FULL = list(MODEL_SETS)


def _synthetic(n: int = 100, selected: int = 25, seed: int = 7) -> pd.DataFrame:
    """Nominees whose label is decided by applause rate alone; volume is noise."""
    rng = np.random.default_rng(seed)
    table = pd.DataFrame({"nominee_id": [f"n{i:03d}" for i in range(n)]})
    for name in FEATURES:
        table[name] = (
            rng.lognormal(0.0, 1.0, n) if FEATURES[name].log_scale else rng.uniform(0, 1, n)
        )
    table["repost_share"] = rng.uniform(0, 1, n)
    order = np.argsort(-table["applause_rate"].to_numpy())
    label = np.zeros(n, dtype=bool)
    label[order[:selected]] = True
    table["selected"] = label
    table.loc[3, "conversation_rate"] = np.nan  # missing values are imputed, not fatal
    return table


@pytest.fixture(scope="module")
def synthetic_comparison():
    return compare_models(_synthetic(), n_splits=5, n_repeats=2, seed=3)


def test_engagement_feature_beats_volume(synthetic_comparison) -> None:
    comparison = synthetic_comparison
    assert comparison.status == "ok"
    summary = comparison.summary().set_index("model")
    assert list(summary.index) == [VOLUME, FULL]
    assert summary.loc[FULL, "auc_mean"] > 0.8
    assert 0.3 < summary.loc[VOLUME, "auc_mean"] < 0.7  # noise: about a coin toss
    assert (summary["folds"] == 5 * 2).all()
    diff = comparison.paired_difference(FULL, VOLUME)
    assert diff["mean"] > 0.2
    assert diff["share_of_folds_better"] > 0.8
    # One out-of-fold score per nominee and model, a probability.
    scores = comparison.scores
    assert len(scores) == 2 * 100
    assert scores["score"].between(0, 1).all()
    assert scores.groupby("model")["nominee_id"].nunique().tolist() == [100, 100]
    record = comparison.to_dict()
    assert record["status"] == "ok" and record["difference"]["mean"] == pytest.approx(diff["mean"])


def test_headline_contains_both_aucs(synthetic_comparison) -> None:
    comparison = synthetic_comparison
    text = headline(comparison)
    summary = comparison.summary().set_index("model")
    assert f"{summary.loc[VOLUME, 'auc_mean']:.2f}" in text
    assert f"{summary.loc[FULL, 'auc_mean']:.2f}" in text
    assert text.index("volume-only model scores") < text.index(
        "volume-plus-engagement model scores"
    )
    assert (
        re.search(r"volume-only model scores (\d\.\d\d)", text).group(1)
        == f"{summary.loc[VOLUME, 'auc_mean']:.2f}"
    )
    assert (
        re.search(r"volume-plus-engagement model scores (\d\.\d\d)", text).group(1)
        == f"{summary.loc[FULL, 'auc_mean']:.2f}"
    )
    assert "Engagement explains the panel's picks better" in text


def test_not_enough_picks() -> None:
    table = _synthetic(n=40, selected=3)
    comparison = compare_models(table, n_repeats=2)
    assert comparison.status == "not enough picks"
    assert "selected 3 of 40" in comparison.message
    assert comparison.folds.empty and comparison.scores.empty
    assert headline(comparison) == comparison.message
    assert comparison.to_dict()["status"] == "not enough picks"
    assert "models" not in comparison.to_dict()


def test_not_enough_non_picks() -> None:
    comparison = compare_models(_synthetic(n=40, selected=37), n_repeats=2)
    assert comparison.status == "not enough picks"


def test_same_seed_same_result() -> None:
    table = _synthetic(n=60, selected=15)
    first = compare_models(table, n_splits=3, n_repeats=1, seed=11)
    second = compare_models(table, n_splits=3, n_repeats=1, seed=11)
    pd.testing.assert_frame_equal(first.folds, second.folds)
    pd.testing.assert_frame_equal(first.scores, second.scores)
    assert headline(first) == headline(second)
    other = compare_models(table, n_splits=3, n_repeats=1, seed=12)
    assert not np.allclose(first.scores["score"], other.scores["score"])  # the seed is used


def test_folds_limited_by_smallest_class() -> None:
    comparison = compare_models(_synthetic(n=40, selected=6), n_splits=10, n_repeats=1, seed=0)
    assert comparison.n_splits == 6
    assert len(comparison.folds) == 2 * 6


# --- on the small simulated sample ------------------------------------------------------


@pytest.fixture(scope="module")
def sample_features(
    small_sample_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> pd.DataFrame:
    processed = tmp_path_factory.mktemp("processed")
    frames = []
    for year in (2023, 2024, 2025):
        run = year_run(
            year, raw_dir=small_sample_root / "raw", processed_dir=processed, require_raw=True
        )
        ingest_year(run, key=b"m" * 32)
        frames.append(build_features(read_tables(run.processed)))
    return pd.concat(frames, ignore_index=True)


def test_sample_engagement_beats_volume(sample_features: pd.DataFrame) -> None:
    # The simulator's panel picks on quality and conversation, never on activity, so the
    # engagement features should rank picks better than volume. Each year has only 48
    # nominees (12 picks): judge the mean over the three years' folds, with a margin well
    # below the simulated effect (about +0.45 across seeds) but far above the noise of a
    # mean over 3 years x 2 repeats x 5 folds.
    means = {}
    for year, table in sample_features.groupby("year"):
        assert len(table) == 48 and int(table["selected"].sum()) == 12
        comparison = compare_models(
            table.reset_index(drop=True), n_splits=5, n_repeats=2, seed=year
        )
        assert comparison.status == "ok"
        means[year] = comparison.summary().set_index("model")["auc_mean"]
    volume = np.mean([m[VOLUME] for m in means.values()])
    full = np.mean([m[FULL] for m in means.values()])
    assert full > 0.7, means
    assert full - volume > 0.1, means
