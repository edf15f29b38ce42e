"""The one model comparison (src.model.validation): grouped folds, and the headline record."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from src.features import build_features
from src.ingest.pipeline import ingest_year, read_tables
from src.model.feature_sets import model_sets
from src.model.names import BASELINE, FULL, ModelName
from src.model.validation import Evaluation, comparison_summary, evaluate, verdict_of
from src.params import year_run
from tests.model.helpers import ranked_by_applause, talent_table

#: Each test here takes a second or more (model fits, whole samples): not in make test-fast.
pytestmark = pytest.mark.slow

# --- the grouped evaluation ---------------------------------------------------------------------


def test_a_person_never_sits_on_both_sides_of_a_split() -> None:
    table = talent_table()
    evaluation = evaluate(table, seed=1, n_repeats=2, boosted=False)
    assert evaluation.status == "ok"
    predictions = evaluation.predictions.assign(
        person=lambda d: table["nominee_id"].to_numpy()[d["row"]]
    )
    # Within a repeat, all of a person's years are predicted in the same fold (held out together).
    folds_per_person = predictions.groupby(["model", "repeat", "person"])["fold"].nunique()
    assert (folds_per_person == 1).all()
    # And every nominee-year is predicted once per repeat and model.
    assert (predictions.groupby(["model", "repeat"])["row"].nunique() == len(table)).all()
    assert evaluation.years == (2023, 2024) and evaluation.nominee_years == len(table)


def test_the_driving_family_beats_volume_and_the_summary_has_every_metric() -> None:
    table = talent_table()
    summary = evaluate(table, seed=1, n_repeats=2).summary()
    auc = summary[summary["metric"] == "auc"].set_index("model")["mean"]
    assert auc[FULL] > 0.8 > auc[BASELINE] + 0.2
    assert {"auc", "log_loss", "brier"} == set(summary["metric"])
    assert ModelName.INFLUENCE_BOOSTED in set(summary["model"])


def test_engagement_beats_volume_fold_by_fold_when_applause_decides() -> None:
    evaluation = evaluate(ranked_by_applause(), n_splits=5, n_repeats=2, seed=3)
    assert evaluation.status == "ok"
    summary = evaluation.summary()
    auc = summary[summary["metric"] == "auc"].set_index("model")["mean"]
    assert auc[FULL] > 0.8
    assert 0.3 < auc[BASELINE] < 0.7  # noise: about a coin toss
    assert (evaluation.folds.groupby("model").size() == 5 * 2).all()
    record = comparison_summary(evaluation)
    assert record["difference"]["mean"] > 0.2
    assert record["difference"]["share_of_folds_better"] > 0.8
    assert record["verdict"] == "influence"
    # Every out-of-fold prediction is a probability.
    assert evaluation.predictions["score"].between(0, 1).all()


def test_too_few_picks_is_said_not_raised() -> None:
    table = talent_table().assign(selected=False)
    table.loc[:2, "selected"] = True
    evaluation = evaluate(table, seed=1)
    assert evaluation.status == "not enough picks" and "3 selected" in evaluation.message
    assert evaluation.folds.empty and evaluation.predictions.empty
    record = comparison_summary(evaluation)
    assert record["status"] == "not enough picks" and record["verdict"] is None
    assert record["sentence"] == evaluation.message and "models" not in record


def test_too_few_non_picks_is_said_too() -> None:
    evaluation = evaluate(ranked_by_applause(n=40, selected=37), n_repeats=2)
    assert evaluation.status == "not enough picks" and "3 not selected" in evaluation.message


def test_same_seed_same_result_and_the_seed_is_used() -> None:
    table = ranked_by_applause(n=60, selected=15)
    first = evaluate(table, n_splits=3, n_repeats=1, seed=11)
    second = evaluate(table, n_splits=3, n_repeats=1, seed=11)
    pd.testing.assert_frame_equal(first.folds, second.folds)
    pd.testing.assert_frame_equal(first.predictions, second.predictions)
    assert comparison_summary(first) == comparison_summary(second)
    other = evaluate(table, n_splits=3, n_repeats=1, seed=12)
    assert not np.allclose(first.folds["auc"], other.folds["auc"])


def test_folds_are_limited_by_the_smallest_class() -> None:
    table = ranked_by_applause(n=40, selected=6)
    evaluation = evaluate(table, n_splits=10, n_repeats=1, seed=0, boosted=False)
    assert evaluation.n_splits == 6
    assert len(evaluation.folds) == len(model_sets(table)) * 6


def test_a_missing_family_leaves_the_other_models_and_says_no_comparison(
    tmp_path: Path,
) -> None:
    table = talent_table(years=1)
    without_volume = table.drop(columns=model_sets(table)[BASELINE])
    evaluation = evaluate(without_volume, n_repeats=1, boosted=False)
    assert evaluation.status == "ok" and BASELINE not in set(evaluation.folds["model"])
    record = comparison_summary(evaluation)
    assert record["status"] == "no comparison" and record["verdict"] is None
    assert "the volume-only model could not be fitted" in record["sentence"]
    partly = evaluate(table.drop(columns=["applause_rate"]), n_repeats=1, boosted=False)
    assert partly.status == "ok" and comparison_summary(partly)["status"] == "ok"
    assert "applause_rate" not in model_sets(table.drop(columns=["applause_rate"]))[FULL]


# --- the headline record, on folds written by hand --------------------------------------------


def hand_evaluation(volume: list[float], full: list[float]) -> Evaluation:
    """One repeat of len(volume) folds, the AUC of each model on each fold as given."""
    folds = pd.DataFrame(
        {
            "model": [str(BASELINE)] * len(volume) + [str(FULL)] * len(full),
            "repeat": 0,
            "fold": list(range(len(volume))) * 2,
            "auc": volume + full,
        }
    )
    return Evaluation(
        "ok",
        "by hand",
        folds,
        nominee_years=40,
        selected=10,
        years=(2023, 2024),
        n_splits=len(volume),
        n_repeats=1,
    )


def test_the_headline_record_by_hand() -> None:
    """
    fold             0     1     2     3
    baseline       0.50  0.60  0.70  0.60    mean 0.600
    full           0.80  0.90  0.85  0.75    mean 0.825
    difference     0.30  0.30  0.15  0.15    mean 0.225, better in 4 of 4

    Percentiles interpolate linearly between the sorted values (position p x (n - 1)):
    2.5% sits at 0.075, 97.5% at 2.925. Sorted baseline 0.50 0.60 0.60 0.70: 0.5075 and
    0.6925; full 0.75 0.80 0.85 0.90: 0.75375 and 0.89625; differences 0.15 0.15
    0.30 0.30: 0.15 and 0.30 (above 0: the verdict is "influence").
    """
    record = comparison_summary(hand_evaluation([0.5, 0.6, 0.7, 0.6], [0.8, 0.9, 0.85, 0.75]))
    assert record["status"] == "ok"
    assert record["baseline"] == BASELINE and record["full"] == FULL
    assert (record["nominee_years"], record["selected"], record["pooled_years"]) == (
        40,
        10,
        [2023, 2024],
    )
    assert (record["folds"], record["repeats"], record["splits"]) == (4, 1, 4)
    volume, full = record["models"][BASELINE], record["models"][FULL]
    assert volume == pytest.approx({"mean": 0.6, "low": 0.5075, "high": 0.6925})
    assert full == pytest.approx({"mean": 0.825, "low": 0.75375, "high": 0.89625})
    assert record["difference"] == pytest.approx(
        {"mean": 0.225, "low": 0.15, "high": 0.30, "share_of_folds_better": 1.0, "folds": 4}
    )
    assert record["verdict"] == "influence"
    assert record["sentence"].startswith(
        "The panel's picks follow what nominees' posts earned, not how much they posted: "
        "the full influence model explains them clearly better than volume alone"
    )
    assert record["headline"] in record["sentence"]
    assert "higher by 0.23 on average and higher on every fold" in record["sentence"]
    assert record["sentence"].endswith("lie between +0.15 and +0.30.")
    assert record["numbers"].endswith(
        "the volume-only model scores 0.60 (95% of folds between 0.51 and 0.69); "
        "the full influence model scores 0.82 (95% of folds between 0.75 and 0.90)."
    )


def test_the_verdict_rests_on_the_paired_differences_not_on_the_two_ranges() -> None:
    """The two models' fold ranges overlap (volume up to 0.90, influence from 0.60), but on
    every fold the influence model is 0.10 better: clearly better."""
    volume = [0.50, 0.70, 0.90, 0.60, 0.80]
    full = [v + 0.10 for v in volume]
    record = comparison_summary(hand_evaluation(volume, full))
    assert record["models"][BASELINE]["high"] > record["models"][FULL]["low"]
    assert record["difference"]["low"] == pytest.approx(0.10)
    assert record["verdict"] == "influence" and "clearly better" in record["sentence"]


def test_an_interval_across_zero_is_unclear_and_one_below_zero_is_volume() -> None:
    """Differences 0.2, -0.1, 0.1, 0.0: mean 0.05, better in 2 of 4 folds, range across 0."""
    unclear = comparison_summary(hand_evaluation([0.6, 0.7, 0.6, 0.7], [0.8, 0.6, 0.7, 0.7]))
    assert "higher on 50% of them" in unclear["sentence"] and unclear["sentence"].endswith(
        "a range that includes no difference."
    )
    assert unclear["verdict"] == "unclear" and unclear["difference"][
        "share_of_folds_better"
    ] == pytest.approx(0.5)
    assert "not clear-cut" in unclear["sentence"] and "clearly better" not in unclear["sentence"]
    volume = comparison_summary(hand_evaluation([0.8, 0.9, 0.85, 0.8], [0.7, 0.75, 0.7, 0.6]))
    assert (
        volume["verdict"] == "volume"
        and "volume alone explains them clearly better" in volume["sentence"]
    )
    coin = comparison_summary(hand_evaluation([0.5, 0.55, 0.5, 0.45], [0.55, 0.5, 0.5, 0.5]))
    assert coin["verdict"] == "unclear" and "close to a coin toss" in coin["sentence"]


@pytest.mark.parametrize(
    "low, high, verdict",
    [
        (0.01, 0.3, "influence"),
        (-0.3, -0.01, "volume"),
        (-0.1, 0.2, "unclear"),
        (0.0, 0.2, "unclear"),
    ],
)
def test_verdict_of_the_difference_interval(low: float, high: float, verdict: str) -> None:
    assert verdict_of(low, high) == verdict


def test_the_record_agrees_with_the_summary_table_and_the_folds() -> None:
    evaluation = evaluate(talent_table(), seed=1, n_repeats=2)
    record = comparison_summary(evaluation)
    summary = evaluation.summary()
    auc = summary[summary["metric"] == "auc"].set_index("model")
    for model, entry in record["models"].items():
        assert entry == {
            "mean": auc.loc[model, "mean"],
            "low": auc.loc[model, "low"],
            "high": auc.loc[model, "high"],
        }
    wide = evaluation.folds.pivot_table(index=["repeat", "fold"], columns="model", values="auc")
    assert record["difference"]["mean"] == pytest.approx((wide[FULL] - wide[BASELINE]).mean())
    assert record["difference"]["mean"] == pytest.approx(
        record["models"][FULL]["mean"] - record["models"][BASELINE]["mean"]
    )


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


def test_sample_influence_beats_volume_within_each_year(sample_features: pd.DataFrame) -> None:
    # The simulator's panel picks on quality and conversation, never on activity, so the
    # full influence model should rank picks better than volume. Each year has only 48
    # nominees (12 picks): judge the mean over the three years' folds, with a margin well
    # below the simulated effect but far above the noise of a mean over 3 years x 2
    # repeats x 5 folds.
    means = {}
    for year, table in sample_features.groupby("year"):
        assert len(table) == 48 and int(table["selected"].sum()) == 12
        evaluation = evaluate(
            table.reset_index(drop=True), n_splits=5, n_repeats=2, seed=int(year), boosted=False
        )
        assert evaluation.status == "ok"
        means[year] = comparison_summary(evaluation)["models"]
    volume = np.mean([m[BASELINE]["mean"] for m in means.values()])
    full = np.mean([m[FULL]["mean"] for m in means.values()])
    assert full > 0.7, means
    assert full - volume > 0.1, means
