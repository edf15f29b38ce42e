"""The model checked against the simulated world's ground truth.

The simulator (``src/simulate/world.py``) draws each person's latent traits
independently and has its panel select on a merit score

    merit = 1.0 x quality + 0.5 x bridging + 0.5 x conversation
            + 0.25 x z(log followers) + noise (sd 0.7)

(the top quarter of each year's nominees). Activity (volume) never enters merit. The
pipeline never reads the truth; only these tests do, from
``<data>/sample_truth/<year>/latent.csv``.

What the design implies, worked out once (200,000 draws of the formula above):

- an oracle that knew every trait would reach a ROC AUC of 0.94 and a Spearman
  correlation with merit of 0.87 (the panel's noise caps both); knowing quality alone
  gives 0.85 and 0.71; activity alone gives 0.50;
- so a model of observed features (three weeks of posts measure each trait with noise)
  should land below the oracle, around "quality alone" (quality has the largest weight and
  the most features carrying it), and a volume-only model near a coin toss (off it only
  where automated feeds, never picked, stand out by volume).

The thresholds below were then set from what the model gets on the small test world
(48 nominees a year, 12 picked, 3 years: the sample the test session generates), for
21 seeds of the simulator (the default seed 20130601 and seeds 1 to 20), with the same
settings as here, and from the same runs with the panel's decisions shuffled within
each year (a model that cannot have learnt anything). Each threshold sits inside what
the model reached on every seed, with a margin, and the tests together fail what the
shuffled runs reached, so a reasonable change to the simulator keeps them passing and a
broken model fails them. The study is this file run as a script
(``.venv/bin/python tests/model/test_truth.py 20``: simulator seeds 1 to 20 and the
default; about ten minutes on two busy cores). With these thresholds all four tests
passed on all 21 seeds; with shuffled decisions (a), (b) and (d) failed on 21, 19 and 21
of them ((c) does not use the decisions; it is checked against names dealt out at random
instead). Rerun the study when the features or the simulator change much.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from src.features import build_features
from src.ingest.pipeline import ingest_year, read_tables
from src.model import run as run_module
from src.model.archetypes import MIXED_ARCHETYPE, RESIDUAL_ARCHETYPE, archetypes
from src.model.explanations import permutation_importance_by_family
from src.model.names import BASELINE, FULL, ModelName
from src.model.validation import evaluate
from src.params import year_run

#: Each test here takes a second or more (model fits, whole samples): not in make test-fast.
pytestmark = pytest.mark.slow

YEARS = (2023, 2024, 2025)
SEED = 0  # the model's seed (the simulator's is the session sample's default)
#: Feature families the panel's merit feeds in the simulator: quality drives engagement
#: per post, the influence residual, lists per follower (reach) and engagement-network
#: position; bridging drives the audiences and network families; conversation drives the
#: conversation family and replies received (engagement). Volume is fed by activity only.
MERIT_FAMILIES = {"engagement", "influence", "reach", "network", "audiences", "conversation"}
#: Archetype names that describe posting much or passing on while earning little.
LOW_EARNING_NAMES = {"broadcaster", "amplifier", "low-engagement account"}


def read_world(raw: Path, truth_dir: Path, processed: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(features of the three sample years stacked, their latent truth).

    Each year's features are built from its own tables alone (without the previous
    year's, so ``new_engager_share`` is missing and unused: one feature of 36).
    """
    frames, truths = [], []
    for year in YEARS:
        run = year_run(year, raw_dir=raw, processed_dir=processed, require_raw=True)
        ingest_year(run, key=b"t" * 32)
        frames.append(build_features(read_tables(run.processed)))
        truths.append(pd.read_csv(truth_dir / str(year) / "latent.csv").assign(year=year))
    return pd.concat(frames, ignore_index=True), pd.concat(truths, ignore_index=True)


@pytest.fixture(scope="module")
def world(
    small_sample_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_world(
        small_sample_root / "raw",
        small_sample_root / "sample_truth",
        tmp_path_factory.mktemp("truth"),
    )


# --- the statistics (shared by the tests and the study below) -----------------------------


def auc_statistics(table: pd.DataFrame) -> dict[str, float]:
    """Mean cross-validated AUC per model and the paired differences with volume alone."""
    evaluation = evaluate(table, seed=SEED, n_repeats=3)
    assert evaluation.status == "ok", evaluation.message
    auc = evaluation.folds.pivot_table(index=["repeat", "fold"], columns="model", values="auc")
    logistic, boosted, volume = (
        auc[FULL],
        auc[ModelName.INFLUENCE_BOOSTED],
        auc[BASELINE],
    )
    return {
        "logistic": float(logistic.mean()),
        "boosted": float(boosted.mean()),
        "volume": float(volume.mean()),
        "gain": float((logistic - volume).mean()),
        "boosted_gain": float((boosted - volume).mean()),
    }


def importance_statistics(table: pd.DataFrame) -> dict[str, Any]:
    """The importance ranking, volume's drop and the merit families' summed drop."""
    importance = permutation_importance_by_family(table, seed=SEED, n_permutations=2, n_repeats=3)
    drop = importance.set_index("family")["mean"]
    return {
        "order": list(importance["family"]),
        "volume": float(drop["volume"]),
        "merit_total": float(drop[drop.index.isin(MERIT_FAMILIES)].sum()),
        "table": importance.round(3).to_dict("records"),
    }


def _overlap(names: pd.Series, selected: pd.Series, prolific: pd.Series) -> float:
    of_selected = names[selected].value_counts(normalize=True)
    of_prolific = names[prolific].value_counts(normalize=True)
    return float(pd.concat([of_selected, of_prolific], axis=1).fillna(0).min(axis=1).sum())


def archetype_statistics(
    table: pd.DataFrame, truth: pd.DataFrame, shuffles: int = 0
) -> dict[str, Any]:
    """Overlap of the archetype mixes of the selected and of broadcasters and feeds (see test (c)).

    With ``shuffles``, also the overlap when the same names are dealt out at random
    (mean and 5th percentile over that many shuffles): what naming that ignores the
    profiles would give.
    """
    assigned = []
    for year in YEARS:
        current = table[table["year"] == year].reset_index(drop=True)
        assignment, _ = archetypes(current, seed=SEED)
        assigned.append(
            assignment.merge(truth[truth["year"] == year], on="nominee_id", suffixes=("", "_truth"))
        )
    frame = pd.concat(assigned, ignore_index=True)
    prolific = frame["archetype_truth"].isin(["broadcaster", "automated_feed"])
    of_selected = frame.loc[frame["selected"], "archetype"].value_counts(normalize=True)
    of_prolific = frame.loc[prolific, "archetype"].value_counts(normalize=True)
    rng = np.random.default_rng(0)
    random = [
        _overlap(
            pd.Series(rng.permutation(frame["archetype"].to_numpy())), frame["selected"], prolific
        )
        for _ in range(shuffles)
    ]
    return {
        "assigned": len(frame) == len(table) and bool(frame["archetype"].notna().all()),
        "prolific": int(prolific.sum()),
        "overlap": _overlap(frame["archetype"], frame["selected"], prolific),
        "random_overlap": float(np.mean(random)) if random else None,
        "random_overlap_p05": float(np.quantile(random, 0.05)) if random else None,
        "modal_selected": str(of_selected.idxmax()),
        "residual_share": float(
            frame["archetype"].isin([RESIDUAL_ARCHETYPE, MIXED_ARCHETYPE]).mean()
        ),
        "mixes": {
            "selected": of_selected.round(2).to_dict(),
            "broadcasters and feeds": of_prolific.round(2).to_dict(),
        },
    }


def merit_correlations(table: pd.DataFrame, truth: pd.DataFrame) -> dict[int, float]:
    """Spearman correlation of each year's scores (as the model step makes them) with latent
    merit."""
    rhos = {}
    for year in YEARS:
        current = table[table["year"] == year].reset_index(drop=True)
        history = table[table["year"] < year].reset_index(drop=True)
        scores, _, _ = run_module.score_year(
            current, history if len(history) else None, seed=SEED, n_boot=20
        )
        merged = scores.merge(truth[truth["year"] == year], on="nominee_id")
        assert len(merged) == len(current)
        rhos[year] = round(float(spearmanr(merged["score"], merged["merit"]).statistic), 3)
    return rhos


# --- the tests -----------------------------------------------------------------------------


def test_the_full_model_beats_volume_alone_by_a_clear_margin(world) -> None:
    """(a) Cross-validated ROC AUC, pooled years, grouped by person, 3 repeats of 5 folds.

    Across the 21 simulator seeds the full logistic model scored 0.79 to 0.93 (mean 0.86;
    the design puts it near 0.85, "quality alone", below the oracle's 0.94), volume alone
    0.29 to 0.68, and the paired difference (same folds) was 0.15 to 0.55 (mean 0.33).
    With shuffled decisions the full model scored at most 0.61 (the difference, noisy,
    up to 0.26). Thresholds: the full model at least 0.70 (between the two) and at least
    0.10 above volume alone (a clear margin: a tenth of the AUC scale, under a third of
    the typical gap). The boosted model, noisier on 144 rows (0.70 to 0.90; its difference
    0.06 to 0.56), must reach 0.65 and beat volume alone.
    """
    table, _ = world
    stats = auc_statistics(table)
    assert stats["logistic"] >= 0.70, stats
    assert stats["gain"] >= 0.10, stats
    assert stats["boosted"] >= 0.65 and stats["boosted_gain"] > 0, stats


def test_the_families_that_carry_merit_come_out_on_top_and_volume_does_not(world) -> None:
    """(b) Permutation importance by family (boosted model, 3 repeats of 5 grouped folds).

    Across the 21 seeds the top family was always one the panel's merit feeds
    (engagement 17 times, audiences 4), volume ranked 3rd to 7th of 7 with a mean drop
    of at most 0.039, and the merit families' drops summed to 0.14 to 0.32 (median 0.21).
    With shuffled decisions the top family was any of the seven (volume 4 times) and the
    sum was -0.17 to 0.11 (median -0.01). Thresholds: the top family feeds merit, volume is not
    in the top two and its drop stays below 0.05, and the merit families together carry
    at least 0.08 of AUC and 0.08 more than volume (all of which held for 2 shuffled
    runs in 21).
    """
    table, _ = world
    stats = importance_statistics(table)
    order, shown = stats["order"], stats["table"]
    assert order[0] in MERIT_FAMILIES, shown
    assert "volume" not in order[:2] and stats["volume"] < 0.05, shown
    assert stats["merit_total"] >= 0.08 and stats["merit_total"] - stats["volume"] >= 0.08, shown


def test_broadcasters_and_feeds_land_in_other_archetypes_than_the_selected(world) -> None:
    """(c) Archetypes of each year (clustered and named without the panel's decision).

    "Broadcasters and automated feeds" are the simulator's truth archetypes
    ``broadcaster`` (top quarter of activity, below-average quality) and
    ``automated_feed``; "the selected" are the panel's picks. The overlap of their
    distributions over archetype names (the sum over names of the smaller of the two
    shares; 1 = the same mix, 0 = no name in common) was 0.19 to 0.59 across the 21 seeds
    (mean 0.34); dealing the same names out at random gives 0.73 to 0.80 on average (5th
    percentile 0.58 to 0.71), and naming most nominees one residual name (what the first
    rules did) gives close to 1. Thresholds: overlap at most 0.65; the archetype most of
    the selected share is not a low-earning name (it was "influential voice" 17 times,
    "bridge" and "mixed profile" twice each); and fewer than half of all nominees get a
    residual name (at most 40% on any seed).
    """
    table, truth = world
    stats = archetype_statistics(table, truth)
    assert stats["assigned"], "every nominee gets an archetype"
    assert stats["prolific"] >= 10, "the sample should hold broadcasters and feeds"
    assert stats["overlap"] <= 0.65, stats
    assert stats["modal_selected"] not in LOW_EARNING_NAMES, stats
    assert stats["residual_share"] < 0.5, stats


def test_scores_rank_nominees_by_latent_merit(world) -> None:
    """(d) Each year's scores as the model step makes them (2023 out of fold within the
    year; 2024 from a model trained on 2023; 2025 from 2023-2024) against latent merit.

    The design's ceiling is 0.87 (oracle) and knowing quality alone gives 0.71; across the
    21 seeds the mean Spearman correlation over the three years was 0.60 to 0.81 (mean
    0.70) and the lowest single year 0.53. With shuffled decisions the mean was -0.44 to
    0.41 and the lowest year at most 0.35. Thresholds, about midway: mean at least 0.50
    and every year at least 0.35.
    """
    table, truth = world
    rhos = merit_correlations(table, truth)
    assert np.mean(list(rhos.values())) >= 0.50, rhos
    assert min(rhos.values()) >= 0.35, rhos


# --- the study that set the thresholds ------------------------------------------------------


def _passes(auc: dict, importance: dict, archetype: dict, rhos: dict) -> dict[str, bool]:
    order = importance["order"]
    return {
        "a": auc["logistic"] >= 0.70
        and auc["gain"] >= 0.10
        and auc["boosted"] >= 0.65
        and auc["boosted_gain"] > 0,
        "b": order[0] in MERIT_FAMILIES
        and "volume" not in order[:2]
        and importance["volume"] < 0.05
        and importance["merit_total"] >= 0.08
        and importance["merit_total"] - importance["volume"] >= 0.08,
        "c": archetype["overlap"] <= 0.65
        and archetype["modal_selected"] not in LOW_EARNING_NAMES
        and archetype["residual_share"] < 0.5,
        "d": float(np.mean(list(rhos.values()))) >= 0.50 and min(rhos.values()) >= 0.35,
    }


def study(seeds: list[int]) -> pd.DataFrame:
    """The statistics above on small simulated worlds of the given seeds, with the panel's
    real decisions and with them shuffled within each year; one row per seed and mode."""
    from src.simulate.sample import write_sample

    rows = []
    for seed in seeds:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            write_sample(root / "raw", root / "truth", size="small", seed=seed)
            table, truth = read_world(root / "raw", root / "truth", root / "processed")
        for mode in ("model", "shuffled"):
            labelled = table.copy()
            if mode == "shuffled":
                rng = np.random.default_rng(seed)
                labelled["selected"] = labelled.groupby("year")["selected"].transform(
                    lambda s, rng=rng: rng.permutation(s.to_numpy())
                )
            auc, importance = auc_statistics(labelled), importance_statistics(labelled)
            archetype, rhos = (
                archetype_statistics(labelled, truth, shuffles=200 if mode == "model" else 0),
                merit_correlations(labelled, truth),
            )
            rows.append(
                {
                    "seed": seed,
                    "mode": mode,
                    **{k: round(v, 3) for k, v in auc.items()},
                    "top": importance["order"][0],
                    "volume_rank": importance["order"].index("volume") + 1,
                    "volume_drop": round(importance["volume"], 3),
                    "merit_total": round(importance["merit_total"], 3),
                    "overlap": round(archetype["overlap"], 3),
                    "modal_selected": archetype["modal_selected"],
                    "random_overlap": archetype["random_overlap"],
                    "random_overlap_p05": archetype["random_overlap_p05"],
                    "residual_share": round(archetype["residual_share"], 3),
                    "rho_mean": round(float(np.mean(list(rhos.values()))), 3),
                    "rho_min": min(rhos.values()),
                    **{
                        f"pass_{k}": v for k, v in _passes(auc, importance, archetype, rhos).items()
                    },
                }
            )
            print(rows[-1], flush=True)
    return pd.DataFrame(rows)


if __name__ == "__main__":
    from src import config

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    result = study([config.DEFAULT_SEED, *range(1, count + 1)])
    with pd.option_context("display.width", 250, "display.max_columns", 40):
        print(result.to_string())
        print(result.groupby("mode").describe().T.to_string())
        print(result.groupby("mode")[[c for c in result.columns if c.startswith("pass_")]].sum())
