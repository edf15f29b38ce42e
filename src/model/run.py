"""The model step for one year: everything issue 5 asks of it, written to ``model/``.

Reads the year's feature table and those of earlier years found beside it
(:func:`earlier_year_inputs` lists exactly which files), and writes (atomically) into
``data/processed/<year>/model/``:

- ``evaluation.csv``: cross-validated AUC, log loss and Brier score per model (mean and
  95% range across folds), grouped by person over this and earlier years;
- ``calibration.csv`` (full logistic model, out of fold), ``coefficients.csv``
  (bootstrap intervals), ``importance.csv`` (permutation importance by family, on the
  same pooled years as the evaluation), ``volume_effect.csv``;
- ``nominees.parquet``: per nominee the score with its interval, the rank with its
  interval, family contributions (from the model that produced the score), the
  explanation in words, archetype;
- ``archetypes.csv`` (each cluster's profile, name and what distinguishes it),
  ``review.csv`` (disagreements for the panel), ``categories.csv`` (consistency);
- ``card.json``: the model card (data, features, validation figures, limits, notes).

Whatever cannot be done (too few picks, no usable feature, no earlier year) is said in
``card.json`` notes, never raised at a stakeholder; files a previous run wrote that this
run could not are removed, so the report never shows a stale table as this year's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from threadpoolctl import threadpool_limits

from src.features.build import read_features
from src.features.dictionary import FEATURES
from src.io import write_json_atomic, write_parquet_atomic, write_text_atomic
from src.model import influence
from src.model.compare import MIN_PER_CLASS
from src.params import YearRun

#: Every table the model step may write besides ``card.json`` (removed when not rewritten).
OUTPUTS = (
    "evaluation.csv",
    "calibration.csv",
    "coefficients.csv",
    "importance.csv",
    "volume_effect.csv",
    "nominees.parquet",
    "archetypes.csv",
    "review.csv",
    "categories.csv",
)


def earlier_year_inputs(processed_dir: Path, year: int) -> list[Path]:
    """The files of other years that the model step for ``year`` reads, oldest year first.

    These are ``<processed_dir>/<y>/features.parquet`` for every ``y < year`` where the
    file exists (a year folder without features is skipped, not an error). The batch puts
    them in the step's resume key.
    """
    processed_dir = Path(processed_dir)
    if not processed_dir.is_dir():
        return []
    years = sorted(
        int(p.name)
        for p in processed_dir.iterdir()
        if p.is_dir() and p.name.isdigit() and int(p.name) < year
    )
    return [
        processed_dir / str(y) / "features.parquet"
        for y in years
        if (processed_dir / str(y) / "features.parquet").is_file()
    ]


def earlier_years(processed_dir: Path, year: int) -> list[pd.DataFrame]:
    """Feature tables of every earlier year that has one, oldest first."""
    return [read_features(path.parent) for path in earlier_year_inputs(processed_dir, year)]


def model_year(run: YearRun, *, n_repeats: int = 3, n_boot: int = 50) -> dict[str, Any]:
    """Run the year's models and write their outputs; return the model card.

    ``n_repeats`` repeats of grouped 5-fold cross-validation serve the evaluation and the
    permutation importance; ``n_boot`` bootstrap refits give the intervals on
    coefficients, scores, ranks and the volume effect.

    The fits are many and small, so the maths libraries run single-threaded: with a few
    hundred rows their threads cost more than they give (measured: a logistic fit took
    three times as long with two threads as with one).
    """
    with threadpool_limits(limits=1):
        return _model_year(run, n_repeats=n_repeats, n_boot=n_boot)


def _enough(table: pd.DataFrame | None) -> bool:
    if table is None or table.empty:
        return False
    selected = table["selected"].astype(bool)
    return min(int(selected.sum()), int((~selected).sum())) >= MIN_PER_CLASS


def score_year(
    current: pd.DataFrame, history: pd.DataFrame | None, *, seed: int = 0, n_boot: int = 50
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Score this year's nominees and explain each score: (scores, family contributions, how).

    With earlier years holding enough picks, a model trained on them scores this year
    (out of sample, bootstrap intervals) and the same model's contributions explain each
    score. Otherwise, with enough picks this year, scores are out of fold within the year
    (:func:`influence.score_within_year`) and contributions come from the model fitted on
    the whole year. Otherwise everything is fitted on all years together. ``how`` holds
    ``scores_from``, ``explanations_from`` and ``notes`` in words. Assumes the years
    together hold enough picks (the evaluation checks that first).
    """
    if _enough(history):
        years = ", ".join(str(y) for y in sorted(history["year"].unique()))
        scores = influence.score_from_earlier_years(history, current, seed=seed, n_boot=n_boot)
        contributions = influence.family_contributions(current, train=history, seed=seed)
        return (
            scores,
            contributions,
            {
                "scores_from": f"a model trained on {years} and applied to {int(current['year'].iloc[0])}",
                "explanations_from": "the same model as the scores (contributions add up to each nominee's score)",
                "notes": [],
            },
        )
    year = int(current["year"].iloc[0])
    if _enough(current):
        scores = influence.score_within_year(current, seed=seed)
        contributions = influence.family_contributions(current, seed=seed)
        return (
            scores,
            contributions,
            {
                "scores_from": f"cross-validation within {year} (no earlier year with enough picks to train on)",
                "explanations_from": f"the full logistic model fitted on all of {year}",
                "notes": [
                    "No earlier year with enough picks to train on: scores are out-of-fold predictions within this year (the mean over 20 repeats "
                    "of cross-validation), and their intervals show how much a score moves with the nominees the model learnt from."
                ],
            },
        )
    pooled = pd.concat([history, current], ignore_index=True) if history is not None else current
    years = ", ".join(str(y) for y in sorted(pooled["year"].unique()))
    scores = influence.score_from_earlier_years(pooled, current, seed=seed, n_boot=n_boot)
    contributions = influence.family_contributions(current, train=pooled, seed=seed)
    return (
        scores,
        contributions,
        {
            "scores_from": f"a model trained on {years} (this year included)",
            "explanations_from": "the same model as the scores",
            "notes": [
                "Neither the earlier years nor this year alone hold enough picks: scores come from a model fitted on all years together, this year included, so they are not out of sample."
            ],
        },
    )


def _archetype_counts(assignment: pd.DataFrame) -> dict[str, int]:
    return {
        str(name): int(count)
        for name, count in assignment["archetype"].value_counts().sort_index().items()
    }


def _finish(card: dict[str, Any], notes: list[str], out: Path, written: set[str]) -> dict[str, Any]:
    card["notes"] = notes
    for name in OUTPUTS:
        if name not in written and (out / name).exists():
            (out / name).unlink()
    write_json_atomic(card, out / "card.json")
    return card


def _model_year(run: YearRun, *, n_repeats: int, n_boot: int) -> dict[str, Any]:
    current = read_features(run.processed)
    history_frames = earlier_years(run.processed.parent, run.year)
    history = pd.concat(history_frames, ignore_index=True) if history_frames else None
    out = run.processed / "model"
    notes: list[str] = []
    written: set[str] = set()

    def write(frame: pd.DataFrame, name: str) -> None:
        if name.endswith(".parquet"):
            write_parquet_atomic(frame, out / name)
        else:
            write_text_atomic(frame.to_csv(index=False), out / name)
        written.add(name)

    card: dict[str, Any] = {
        "year": run.year,
        "nominees": int(len(current)),
        "selected": int(current["selected"].sum()),
        "earlier_years": sorted(int(f["year"].iloc[0]) for f in history_frames if not f.empty),
        "families": influence.families_in(current),
    }
    absent = [name for name in FEATURES if name not in current.columns]
    constant = [
        name
        for name in FEATURES
        if name in current.columns and current[name].nunique(dropna=True) <= 1
    ]
    # Said last in the notes (after what the model could and could not do).
    data_notes = []
    if absent:
        data_notes.append(f"Not in this year's feature table, so not used: {', '.join(absent)}.")
    if constant:
        data_notes.append(
            f"The same for every nominee (or missing for all) this year, so not used this year: {', '.join(constant)}."
        )
    infinite = [
        name
        for name in FEATURES
        if name in current.columns
        and pd.api.types.is_numeric_dtype(current[name])
        and np.isinf(current[name].to_numpy(dtype=float, na_value=np.nan)).any()
    ]
    if infinite:
        data_notes.append(
            f"Infinite values, treated as missing: {', '.join(f'{name} ({int(np.isinf(current[name].to_numpy(dtype=float, na_value=np.nan)).sum())} nominees)' for name in infinite)}."
        )
    pooled = pd.concat([history, current], ignore_index=True) if history is not None else current
    evaluation = influence.evaluate(pooled, seed=run.seed, n_repeats=n_repeats)
    card["validation"] = {"status": evaluation.status, "message": evaluation.message}
    if evaluation.status != "ok" or evaluation.folds.empty:
        if evaluation.status == "ok":
            card["validation"] = {
                "status": "no folds",
                "message": "No cross-validation fold held both selected and unselected nominees.",
            }
        notes.append(
            card["validation"]["message"]
            + " No model-based score or explanation is given this year; archetypes (which do not use the panel's decision) are."
        )
        assignment, profile = influence.archetypes(current, seed=run.seed)
        write(profile.reset_index(names="cluster"), "archetypes.csv")
        card["archetypes"] = _archetype_counts(assignment)
        return _finish(card, notes + data_notes, out, written)
    summary = evaluation.summary()
    write(summary, "evaluation.csv")
    write(evaluation.calibration("influence (logistic)"), "calibration.csv")
    card["validation"]["auc"] = {
        row.model: {"mean": row.mean, "low": row.low, "high": row.high}
        for row in summary[summary["metric"] == "auc"].itertuples()
    }
    card["validation"]["pooled_years"] = sorted({*card["earlier_years"], run.year})
    card["validation"]["calibration"] = evaluation.calibration_slope("influence (logistic)")

    # This year's fits explain this year's panel; with too few picks this year, they are
    # fitted on the pooled years instead (and the card says so).
    fit_table = current
    if not _enough(current):
        fit_table = pooled
        notes.append(
            f"This year's panel selected {card['selected']} of {card['nominees']}: too few (or too many) to fit on this year alone, "
            f"so coefficients and the volume effect describe the pooled years {', '.join(map(str, card['validation']['pooled_years']))}."
        )
    coefficients = influence.bootstrap_coefficients(fit_table, seed=run.seed, n_boot=n_boot)
    importance = influence.permutation_importance_by_family(
        pooled, seed=run.seed, n_permutations=2, n_repeats=n_repeats
    )
    effect = influence.volume_effect(fit_table, seed=run.seed, n_boot=n_boot)
    assignment, profile = influence.archetypes(current, seed=run.seed)

    scores, contributions, how = score_year(current, history, seed=run.seed, n_boot=n_boot)
    card["scores_from"], card["explanations_from"] = how["scores_from"], how["explanations_from"]
    notes.extend(how["notes"])
    families = [c for c in contributions.columns if c not in ("nominee_id", "score")]
    per_nominee = (
        current[["nominee_id", "name", "category", "selected", "rank"]]
        .rename(columns={"rank": "panel_rank"})
        .merge(scores, on="nominee_id")
        .merge(contributions.drop(columns="score"), on="nominee_id")
        .merge(assignment, on="nominee_id")
    )
    per_nominee["explanation"] = [
        influence.explain_in_words(row, families) for _, row in per_nominee.iterrows()
    ]
    write(per_nominee, "nominees.parquet")
    write(coefficients, "coefficients.csv")
    write(importance, "importance.csv")
    write(effect, "volume_effect.csv")
    write(profile.reset_index(names="cluster"), "archetypes.csv")
    write(influence.disagreements(current, scores), "review.csv")
    write(influence.category_consistency(current, scores, seed=run.seed), "categories.csv")

    card["answer"] = influence.answer_in_words(evaluation, importance, effect)
    card["importance"] = (
        importance.set_index("family")["mean"].round(4).to_dict() if not importance.empty else {}
    )
    card["importance_from"] = (
        f"the boosted model, cross-validated over {', '.join(map(str, card['validation']['pooled_years']))}"
    )
    card["top_coefficients"] = (
        coefficients.head(5)[["feature", "coefficient", "low", "high"]].round(3).to_dict("records")
    )
    card["archetypes"] = _archetype_counts(assignment)
    card["archetype_rules"] = {rule.name: rule.meaning for rule in influence.ARCHETYPE_RULES} | {
        influence.RESIDUAL_ARCHETYPE: f"within {influence.ARCHETYPE_THRESHOLD} standard deviations of the year's average on every axis of the profile",
        influence.MIXED_ARCHETYPE: "departs from the average (see archetypes.csv, distinguished_by) but in no pattern the other names describe",
    }
    ranked = per_nominee[per_nominee["panel_rank"].notna()]
    if len(ranked) >= 5 and ranked["score"].nunique() > 1:
        rho = spearmanr(-ranked["panel_rank"].astype(float), ranked["score"]).statistic
        card["panel_rank_agreement"] = {
            "spearman": round(float(rho), 3),
            "ranked": int(len(ranked)),
            "meaning": "rank correlation between the panel's ranking and the model's score among the nominees the panel ranked (1 = same order)",
        }
    card["limits"] = [
        "The label is one panel's decision, a noisy judgement; the model describes what it followed, not what influence is.",
        "Features cover the observation window of the exports only.",
        "Scores for people with few posts rest on little evidence; their intervals are wide.",
        "Archetypes are clusters of this year's nominees named by fixed rules on their standardised profiles; they describe style, not merit.",
    ]
    if not np.isfinite(per_nominee["score"]).all():
        notes.append(
            "Some nominees could not be scored (no fold held them out); their scores are missing."
        )
    return _finish(card, notes + data_notes, out, written)
