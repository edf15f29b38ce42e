"""The model step for one year: everything issue 5 asks of it, written to ``model/``.

Reads the year's feature table and those of earlier years found beside it, and writes
(atomically) into ``data/processed/<year>/model/``:

- ``evaluation.csv``: cross-validated AUC, log loss and Brier score per model (mean and
  95% range across folds), grouped by person over this and earlier years;
- ``calibration.csv``, ``coefficients.csv`` (bootstrap intervals), ``importance.csv``
  (permutation importance by family), ``volume_effect.csv``;
- ``nominees.parquet``: per nominee score with interval, rank with interval, family
  contributions, the explanation in words, archetype;
- ``review.csv`` (disagreements for the panel), ``categories.csv`` (consistency);
- ``card.json``: the model card (data, features, validation figures, limits, notes).

Whatever cannot be done (too few picks, no earlier year) is said in ``card.json`` notes,
never raised at a stakeholder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from threadpoolctl import threadpool_limits

from src.features.build import read_features
from src.io import write_json_atomic, write_parquet_atomic, write_text_atomic
from src.model import influence
from src.params import YearRun


def earlier_years(processed_dir: Path, year: int) -> list[pd.DataFrame]:
    """Feature tables of every earlier year that has one, oldest first."""
    frames = []
    for folder in sorted(p for p in processed_dir.iterdir() if p.is_dir() and p.name.isdigit() and int(p.name) < year) if processed_dir.is_dir() else []:
        if (folder / "features.parquet").exists():
            frames.append(read_features(folder))
    return frames


def model_year(run: YearRun, *, n_repeats: int = 2, n_boot: int = 50) -> dict[str, Any]:
    """Run the year's models and write their outputs; return the model card.

    The fits are many and small, so the maths libraries run single-threaded: with a few
    hundred rows their threads cost more than they give (measured: a logistic fit took
    three times as long with two threads as with one).
    """
    with threadpool_limits(limits=1):
        return _model_year(run, n_repeats=n_repeats, n_boot=n_boot)


def _model_year(run: YearRun, *, n_repeats: int, n_boot: int) -> dict[str, Any]:
    current = read_features(run.processed)
    history_frames = earlier_years(run.processed.parent, run.year)
    history = pd.concat(history_frames, ignore_index=True) if history_frames else None
    out = run.processed / "model"
    notes: list[str] = []
    card: dict[str, Any] = {
        "year": run.year,
        "nominees": int(len(current)),
        "selected": int(current["selected"].sum()),
        "earlier_years": sorted(int(f["year"].iloc[0]) for f in history_frames),
        "families": influence.families_in(current),
    }
    pooled = pd.concat([history, current], ignore_index=True) if history is not None else current
    evaluation = influence.evaluate(pooled, seed=run.seed, n_repeats=n_repeats)
    card["validation"] = {"status": evaluation.status, "message": evaluation.message}
    if evaluation.status != "ok":
        notes.append(evaluation.message + " No model-based explanation is given this year.")
        card["notes"] = notes
        write_json_atomic(card, out / "card.json")
        return card
    summary = evaluation.summary()
    write_text_atomic(summary.to_csv(index=False), out / "evaluation.csv")
    write_text_atomic(evaluation.calibration("influence (logistic)").to_csv(index=False), out / "calibration.csv")
    card["validation"]["auc"] = {row.model: {"mean": row.mean, "low": row.low, "high": row.high} for row in summary[summary["metric"] == "auc"].itertuples()}

    coefficients = influence.bootstrap_coefficients(current, seed=run.seed, n_boot=n_boot)
    importance = influence.permutation_importance_by_family(current, seed=run.seed, n_permutations=2)
    effect = influence.volume_effect(current, seed=run.seed)
    contributions = influence.family_contributions(current, seed=run.seed)
    families = [c for c in contributions.columns if c not in ("nominee_id", "score")]
    assignment, profile = influence.archetypes(current, seed=run.seed)
    if history is not None and min(int(history["selected"].sum()), int((~history["selected"].astype(bool)).sum())) >= 5:
        scores = influence.score_from_earlier_years(history, current, seed=run.seed, n_boot=n_boot)
        card["scores_from"] = f"a model trained on {', '.join(map(str, card['earlier_years']))} and applied to {run.year}"
    else:
        oof = evaluation.predictions[(evaluation.predictions["model"] == "influence (logistic)") & (evaluation.predictions["row"] >= len(pooled) - len(current))]
        mean = oof.groupby("row")["score"].agg(["mean", lambda s: s.quantile(0.025), lambda s: s.quantile(0.975)])
        mean.columns = ["score", "score_low", "score_high"]
        scores = current[["nominee_id"]].assign(**{c: mean[c].reindex(range(len(pooled) - len(current), len(pooled))).to_numpy() for c in mean.columns})
        scores["rank"] = (-scores["score"]).rank(method="min").astype(int)
        scores["rank_low"], scores["rank_high"] = scores["rank"], scores["rank"]
        card["scores_from"] = f"cross-validation within {run.year} (no earlier year with enough picks to train on)"
        notes.append("No earlier year to train on: scores are out-of-fold predictions within this year, and rank intervals are not available.")
    per_nominee = (
        current[["nominee_id", "name", "category", "selected", "rank"]].rename(columns={"rank": "panel_rank"})
        .merge(scores, on="nominee_id")
        .merge(contributions.drop(columns="score"), on="nominee_id")
        .merge(assignment, on="nominee_id")
    )
    per_nominee["explanation"] = [influence.explain_in_words(row, families) for _, row in per_nominee.iterrows()]
    write_parquet_atomic(per_nominee, out / "nominees.parquet")
    write_text_atomic(coefficients.to_csv(index=False), out / "coefficients.csv")
    write_text_atomic(importance.to_csv(index=False), out / "importance.csv")
    write_text_atomic(effect.to_csv(index=False), out / "volume_effect.csv")
    write_text_atomic(profile.reset_index(names="cluster").to_csv(index=False), out / "archetypes.csv")
    write_text_atomic(influence.disagreements(current, scores).to_csv(index=False), out / "review.csv")
    write_text_atomic(influence.category_consistency(current, scores, seed=run.seed).to_csv(index=False), out / "categories.csv")
    card["importance"] = importance.set_index("family")["mean"].round(4).to_dict()
    card["top_coefficients"] = coefficients.head(5)[["feature", "coefficient", "low", "high"]].round(3).to_dict("records")
    card["limits"] = [
        "The label is one panel's decision, a noisy judgement; the model describes what it followed, not what influence is.",
        "Features cover the observation window of the exports only.",
        "Scores for people with few posts rest on little evidence; their intervals are wide.",
    ]
    card["notes"] = notes
    write_json_atomic(card, out / "card.json")
    return card
