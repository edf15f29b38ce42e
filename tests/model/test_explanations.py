"""Explanations of the full model (src.model.explanations) on small synthetic tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.model.explanations import (
    answer_in_words,
    bootstrap_coefficients,
    explain_in_words,
    family_contributions,
    permutation_importance_by_family,
    volume_effect,
)
from src.model.names import BASELINE, FULL
from src.model.scoring import score_from_earlier_years
from src.model.validation import Evaluation, comparison_summary, evaluate
from tests.model.helpers import talent_table


def test_family_contributions_add_up_to_the_model_score() -> None:
    table = talent_table(years=1)
    contributions = family_contributions(table, seed=0)
    families = [c for c in contributions.columns if c not in ("nominee_id", "score")]
    logit = np.log(contributions["score"] / (1 - contributions["score"]))
    offset = logit - contributions[families].sum(axis=1)
    assert np.allclose(offset, offset.iloc[0]), "the rest is the intercept, the same for everyone"
    assert contributions["engagement"].corr(table["applause_rate"].apply(np.log)) > 0.8


def test_bootstrap_intervals_bracket_the_coefficient_and_find_the_driver() -> None:
    table = talent_table(years=1)
    coefficients = bootstrap_coefficients(table, seed=0, n_boot=60)
    top = coefficients.iloc[0]
    assert top["feature"] == "applause_rate" and top["low"] > 0
    assert (coefficients["low"] <= coefficients["coefficient"] + 1e-9).all() and (
        coefficients["coefficient"] <= coefficients["high"] + 1e-9
    ).all()


def test_explanations_in_words() -> None:
    row = pd.Series({"engagement": 1.2, "volume": -0.5, "reach": 0.1})
    text = explain_in_words(row, ["engagement", "volume", "reach"])
    assert text.startswith("carried up by engagement (+1.2); held back by volume (-0.5)")
    assert "close to the average" in explain_in_words(pd.Series({"volume": 0.1}), ["volume"])


def test_permutation_importance_puts_the_driving_family_first() -> None:
    table = talent_table(years=1)
    importance = permutation_importance_by_family(table, seed=0, n_permutations=2)
    assert importance.iloc[0]["family"] == "engagement" and importance.iloc[0]["mean"] > 0.1


def test_volume_effect_is_flat_when_volume_does_not_matter() -> None:
    effect = volume_effect(talent_table(years=1), seed=0, n_boot=30)
    assert (
        len(effect) >= 5
        and effect["probability"].between(0, 1).all()
        and effect["probability_boosted"].between(0, 1).all()
    )
    assert effect["probability"].max() - effect["probability"].min() < 0.15
    inside = (effect["probability_low"] <= effect["probability"] + 1e-9) & (
        effect["probability"] <= effect["probability_high"] + 1e-9
    )
    assert (
        inside.mean() > 0.8 and (effect["probability_high"] - effect["probability_low"]).min() > 0
    )


def test_the_answer_in_words_carries_the_numbers() -> None:
    table = talent_table()
    evaluation = evaluate(table, seed=1, n_repeats=2, boosted=False)
    importance = permutation_importance_by_family(table, seed=0, n_permutations=1)
    effect = volume_effect(table, seed=0, n_boot=10)
    sentences = answer_in_words(comparison_summary(evaluation), importance, effect)
    auc = evaluation.folds.groupby("model")["auc"].mean()
    assert len(sentences) == 3
    assert (
        f"ROC AUC of {auc[FULL]:.2f}" in sentences[0]
        and f"volume alone reaches {auc[BASELINE]:.2f}" in sentences[0]
    )
    assert (
        sentences[1].startswith("The families that carry most")
        and f"{importance.iloc[0]['family']} ({importance.iloc[0]['mean']:.2f})" in sentences[1]
    )
    assert (
        f"from {effect['probability'].iloc[0]:.0%} to {effect['probability'].iloc[-1]:.0%}"
        in sentences[2]
    )
    assert (
        answer_in_words(
            comparison_summary(Evaluation("not enough picks", "")), pd.DataFrame(), pd.DataFrame()
        )
        == []
    )


def test_explanations_add_up_to_the_very_score_they_explain() -> None:
    """A year scored by a model trained on earlier years is explained by that same model."""
    table = talent_table(years=3)
    history, current = (
        table[table["year"] < 2025].reset_index(drop=True),
        table[table["year"] == 2025].reset_index(drop=True),
    )
    scores = score_from_earlier_years(history, current, seed=0, n_boot=5)
    contributions = family_contributions(current, train=history, seed=0)
    np.testing.assert_allclose(
        contributions["score"].to_numpy(), scores["score"].to_numpy(), rtol=1e-9
    )
    families = [c for c in contributions.columns if c not in ("nominee_id", "score")]
    logit = np.log(scores["score"] / (1 - scores["score"]))
    offset = logit - contributions[families].sum(axis=1)
    assert np.allclose(offset, offset.iloc[0]), "contributions plus one intercept give each score"
