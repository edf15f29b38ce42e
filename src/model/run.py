"""The model step for one year: the comparison, scores and explanations, written to ``model/``.

Reads the year's feature table and those of earlier years found beside it (the files
:func:`src.pipeline.other_year_inputs` lists for the model step), and writes
(atomically) into ``data/processed/<year>/model/``:

- ``evaluation.csv``: cross-validated AUC, log loss and Brier score per model (mean and
  95% range across folds), grouped by person over this and earlier years; ``folds.csv``:
  the same per fold (model, repeat, fold, auc, log_loss, brier);
- ``calibration.csv`` (full logistic model, out of fold), ``coefficients.csv``
  (bootstrap intervals), ``importance.csv`` (permutation importance by family, on the
  same pooled years as the evaluation), ``volume_effect.csv``;
- ``nominees.parquet``: per nominee the score with its interval, the rank with its
  interval, family contributions (from the model that produced the score), the
  explanation in words, archetype;
- ``archetypes.csv`` (each cluster's profile, name and what distinguishes it),
  ``review.csv`` (disagreements for the panel), ``categories.csv`` (consistency);
- ``card.json``: the model card (data, features, validation figures, limits, notes), whose
  ``comparison`` is the headline record every report and the index show
  (:func:`src.model.validation.comparison_summary`).

Whatever cannot be done (too few picks, no usable feature, no earlier year) is said in
``card.json`` notes, never raised at a stakeholder; files a previous run wrote that this
run could not are removed (and so are the files of the within-year comparison older
versions wrote), so the report never shows a stale table as this year's.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from threadpoolctl import threadpool_limits

from src.features import read_features
from src.features.dictionary import FEATURES
from src.io import write_json_atomic, write_parquet_atomic, write_text_atomic
from src.model.archetypes import (
    ARCHETYPE_RULES,
    ARCHETYPE_THRESHOLD,
    MIXED_ARCHETYPE,
    RESIDUAL_ARCHETYPE,
    archetypes,
)
from src.model.explanations import (
    answer_in_words,
    bootstrap_coefficients,
    explain_in_words,
    family_contributions,
    permutation_importance_by_family,
    volume_effect,
)
from src.model.feature_sets import families_in
from src.model.names import FULL
from src.model.review import category_consistency, disagreements
from src.model.scoring import enough_picks, score_from_earlier_years, score_within_year
from src.model.validation import comparison_summary, evaluate
from src.params import YearRun
from src.pipeline import other_year_inputs

logger = logging.getLogger(__name__)

#: Every table the model step may write besides ``card.json`` (removed when not rewritten).
OUTPUTS = (
    "evaluation.csv",
    "folds.csv",
    "calibration.csv",
    "coefficients.csv",
    "importance.csv",
    "volume_effect.csv",
    "nominees.parquet",
    "archetypes.csv",
    "review.csv",
    "categories.csv",
)
#: Files of the within-year comparison (not grouped by person) that older versions wrote
#: beside these: always removed, so that nothing reads them as this run's.
RETIRED_OUTPUTS = ("summary.json", "cv_folds.csv", "scores.parquet")

#: What the card says a model's limits are.
LIMITS = [
    "The label is one panel's decision, a noisy judgement; the model describes what it "
    "followed, not what influence is.",
    "Features cover the observation window of the exports only.",
    "Scores for people with few posts rest on little evidence; their intervals are wide.",
    "Archetypes are clusters of this year's nominees named by fixed rules on their "
    "standardised profiles; they describe style, not merit.",
]


def earlier_year_inputs(processed_dir: Path, year: int) -> list[Path]:
    """The files of other years that the model step for ``year`` reads, oldest year first.

    ``<processed_dir>/<y>/features.parquet`` for every ``y < year`` where it exists (a
    year folder without features is skipped, not an error), as declared in
    :data:`src.pipeline.STEPS`. The batch puts them in the step's resume key.
    """
    return other_year_inputs("model", processed_dir, year)


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


def score_year(
    current: pd.DataFrame, history: pd.DataFrame | None, *, seed: int = 0, n_boot: int = 50
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Score this year's nominees and explain each score: (scores, family contributions, how).

    With earlier years holding enough picks, a model trained on them scores this year
    (out of sample, bootstrap intervals) and the same model's contributions explain each
    score. Otherwise, with enough picks this year, scores are out of fold within the year
    (:func:`src.model.scoring.score_within_year`) and contributions come from the model
    fitted on the whole year. Otherwise everything is fitted on all years together.
    ``how`` holds ``scores_from``, ``explanations_from`` and ``notes`` in words. Assumes
    the years together hold enough picks (the evaluation checks that first).
    """
    year = int(current["year"].iloc[0])
    if history is not None and enough_picks(history):
        years = ", ".join(str(y) for y in sorted(history["year"].unique()))
        how = {
            "scores_from": f"a model trained on {years} and applied to {year}",
            "explanations_from": (
                "the same model as the scores (contributions add up to each nominee's score)"
            ),
            "notes": [],
        }
        return (
            score_from_earlier_years(history, current, seed=seed, n_boot=n_boot),
            family_contributions(current, train=history, seed=seed),
            how,
        )
    if enough_picks(current):
        how = {
            "scores_from": (
                f"cross-validation within {year} (no earlier year with enough picks to train on)"
            ),
            "explanations_from": f"the full logistic model fitted on all of {year}",
            "notes": [
                "No earlier year with enough picks to train on: scores are out-of-fold "
                "predictions within this year (the mean over 20 repeats of cross-validation), "
                "and their intervals show how much a score moves with the nominees the model "
                "learnt from."
            ],
        }
        return (
            score_within_year(current, seed=seed),
            family_contributions(current, seed=seed),
            how,
        )
    pooled = pd.concat([history, current], ignore_index=True) if history is not None else current
    years = ", ".join(str(y) for y in sorted(pooled["year"].unique()))
    how = {
        "scores_from": f"a model trained on {years} (this year included)",
        "explanations_from": "the same model as the scores",
        "notes": [
            "Neither the earlier years nor this year alone hold enough picks: scores come from "
            "a model fitted on all years together, this year included, so they are not out of "
            "sample."
        ],
    }
    return (
        score_from_earlier_years(pooled, current, seed=seed, n_boot=n_boot),
        family_contributions(current, train=pooled, seed=seed),
        how,
    )


def data_notes(current: pd.DataFrame) -> list[str]:
    """What the year's feature table lacks: absent, constant and infinite features, in words."""
    notes = []
    absent = [name for name in FEATURES if name not in current.columns]
    constant = [
        name
        for name in FEATURES
        if name in current.columns and current[name].nunique(dropna=True) <= 1
    ]
    if absent:
        notes.append(f"Not in this year's feature table, so not used: {', '.join(absent)}.")
    if constant:
        notes.append(
            "The same for every nominee (or missing for all) this year, so not used this "
            f"year: {', '.join(constant)}."
        )
    infinite = {}
    for name in FEATURES:
        if name in current.columns and pd.api.types.is_numeric_dtype(current[name]):
            count = int(np.isinf(current[name].to_numpy(dtype=float, na_value=np.nan)).sum())
            if count:
                infinite[name] = count
    if infinite:
        listed = ", ".join(f"{name} ({count} nominees)" for name, count in infinite.items())
        notes.append(f"Infinite values, treated as missing: {listed}.")
    return notes


def _archetype_counts(assignment: pd.DataFrame) -> dict[str, int]:
    return {
        str(name): int(count)
        for name, count in assignment["archetype"].value_counts().sort_index().items()
    }


def _finish(card: dict[str, Any], notes: list[str], out: Path, written: set[str]) -> dict[str, Any]:
    """Remove what this run did not write (and the retired files), then write the card."""
    card["notes"] = notes
    for name in (*OUTPUTS, *RETIRED_OUTPUTS):
        if name not in written and (out / name).exists():
            (out / name).unlink()
            logger.info("removed %s (not written by this run)", out / name)
    write_json_atomic(card, out / "card.json")
    return card


class _Writer:
    """Writes the step's tables into ``model/`` atomically and remembers which it wrote."""

    def __init__(self, out: Path):
        self.out = out
        self.written: set[str] = set()

    def __call__(self, frame: pd.DataFrame, name: str) -> None:
        if name.endswith(".parquet"):
            write_parquet_atomic(frame, self.out / name)
        else:
            write_text_atomic(frame.to_csv(index=False), self.out / name)
        self.written.add(name)


def _model_year(run: YearRun, *, n_repeats: int, n_boot: int) -> dict[str, Any]:
    current = read_features(run.processed)
    history_frames = earlier_years(run.processed.parent, run.year)
    history = pd.concat(history_frames, ignore_index=True) if history_frames else None
    out = run.processed / "model"
    write = _Writer(out)
    notes: list[str] = []
    card: dict[str, Any] = {
        "year": run.year,
        "nominees": int(len(current)),
        "selected": int(current["selected"].sum()),
        "earlier_years": sorted(int(f["year"].iloc[0]) for f in history_frames if not f.empty),
        "families": families_in(current),
    }
    # Said last in the notes (after what the model could and could not do).
    table_notes = data_notes(current)
    pooled = pd.concat([history, current], ignore_index=True) if history is not None else current
    logger.info("%s: evaluating the models on %d nominee-years", run.year, len(pooled))
    evaluation = evaluate(pooled, seed=run.seed, n_repeats=n_repeats)
    card["comparison"] = comparison_summary(evaluation)
    card["validation"] = {"status": evaluation.status, "message": evaluation.message}
    if evaluation.status != "ok" or evaluation.folds.empty:
        if evaluation.status == "ok":
            card["validation"] = {
                "status": "no folds",
                "message": "No cross-validation fold held both selected and unselected nominees.",
            }
        notes.append(
            card["validation"]["message"] + " No model-based score or explanation is given "
            "this year; archetypes (which do not use the panel's decision) are."
        )
        assignment, profile = archetypes(current, seed=run.seed)
        write(profile.reset_index(names="cluster"), "archetypes.csv")
        card["archetypes"] = _archetype_counts(assignment)
        return _finish(card, notes + table_notes, out, write.written)
    write(evaluation.summary(), "evaluation.csv")
    write(evaluation.folds, "folds.csv")
    write(evaluation.calibration(FULL), "calibration.csv")
    pooled_years = sorted({*card["earlier_years"], run.year})
    card["validation"].update(
        auc=card["comparison"].get("models", {}),
        pooled_years=pooled_years,
        calibration=evaluation.calibration_slope(FULL),
    )
    _explain_year(run, card, notes, write, current, history, pooled, n_repeats, n_boot)
    return _finish(card, notes + table_notes, out, write.written)


def _explain_year(
    run: YearRun,
    card: dict[str, Any],
    notes: list[str],
    write: _Writer,
    current: pd.DataFrame,
    history: pd.DataFrame | None,
    pooled: pd.DataFrame,
    n_repeats: int,
    n_boot: int,
) -> None:
    """Coefficients, importance, volume effect, scores, explanations, archetypes, review:
    written to ``model/`` and summarised in ``card`` (and ``notes``)."""
    pooled_years = card["validation"]["pooled_years"]
    # This year's fits explain this year's panel; with too few picks this year, they are
    # fitted on the pooled years instead (and the card says so).
    fit_table = current
    if not enough_picks(current):
        fit_table = pooled
        notes.append(
            f"This year's panel selected {card['selected']} of {card['nominees']}: too few (or "
            "too many) to fit on this year alone, so coefficients and the volume effect "
            f"describe the pooled years {', '.join(map(str, pooled_years))}."
        )
    logger.info("%s: explaining the full model", run.year)
    coefficients = bootstrap_coefficients(fit_table, seed=run.seed, n_boot=n_boot)
    importance = permutation_importance_by_family(
        pooled, seed=run.seed, n_permutations=2, n_repeats=n_repeats
    )
    effect = volume_effect(fit_table, seed=run.seed, n_boot=n_boot)
    assignment, profile = archetypes(current, seed=run.seed)

    logger.info("%s: scoring the nominees", run.year)
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
        explain_in_words(row, families) for _, row in per_nominee.iterrows()
    ]
    write(per_nominee, "nominees.parquet")
    write(coefficients, "coefficients.csv")
    write(importance, "importance.csv")
    write(effect, "volume_effect.csv")
    write(profile.reset_index(names="cluster"), "archetypes.csv")
    write(disagreements(current, scores), "review.csv")
    write(category_consistency(current, scores, seed=run.seed), "categories.csv")

    card["answer"] = answer_in_words(card["comparison"], importance, effect)
    card["importance"] = (
        importance.set_index("family")["mean"].round(4).to_dict() if not importance.empty else {}
    )
    card["importance_from"] = (
        f"the boosted model, cross-validated over {', '.join(map(str, pooled_years))}"
    )
    card["top_coefficients"] = (
        coefficients.head(5)[["feature", "coefficient", "low", "high"]].round(3).to_dict("records")
    )
    card["archetypes"] = _archetype_counts(assignment)
    card["archetype_rules"] = {rule.name: rule.meaning for rule in ARCHETYPE_RULES}
    card["archetype_rules"].update(
        {
            RESIDUAL_ARCHETYPE: (
                f"within {ARCHETYPE_THRESHOLD} standard deviations of the "
                "year's average on every axis of the profile"
            ),
            MIXED_ARCHETYPE: (
                "departs from the average (see archetypes.csv, distinguished_by) but in no "
                "pattern the other names describe"
            ),
        }
    )
    ranked = per_nominee[per_nominee["panel_rank"].notna()]
    if len(ranked) >= 5 and ranked["score"].nunique() > 1:
        rho = spearmanr(-ranked["panel_rank"].astype(float), ranked["score"]).statistic
        card["panel_rank_agreement"] = {
            "spearman": round(float(rho), 3),
            "ranked": int(len(ranked)),
            "meaning": "rank correlation between the panel's ranking and the model's score "
            "among the nominees the panel ranked (1 = same order)",
        }
    card["limits"] = LIMITS
    if not np.isfinite(per_nominee["score"]).all():
        notes.append(
            "Some nominees could not be scored (no fold held them out); their scores are missing."
        )


def written_table(run: YearRun, name: str) -> pd.DataFrame | str:
    """A table the model step wrote for ``run``'s year (``name`` in ``model/``), or a sentence
    saying it was not written (for the notebook to show either way)."""
    path = run.processed / "model" / name
    if not path.is_file():
        return f"{name} was not written this year (see the notes above)."
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
