"""Issue 5 building blocks (src.model.influence) on small synthetic tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from src.features.dictionary import FEATURES
from src.model import influence


def synthetic(n_people: int = 60, years: int = 2, seed: int = 0) -> pd.DataFrame:
    """People nominated in several years; selection driven by applause rate, not volume."""
    rng = np.random.default_rng(seed)
    rows = []
    talent = rng.normal(size=n_people)
    for year in range(2023, 2023 + years):
        for person in range(n_people):
            row = {"nominee_id": f"P{person:03d}", "year": year, "name": f"Person {person}", "category": "nurse", "rank": pd.NA, "observation_days": 28}
            for name, spec in FEATURES.items():
                row[name] = float(rng.lognormal(0, 1)) if spec.log_scale else float(rng.normal())
            row["applause_rate"] = float(np.exp(talent[person] + rng.normal(0, 0.3)))
            row["selected"] = bool(talent[person] + rng.normal(0, 0.5) > 0.6)
            rows.append(row)
    return pd.DataFrame(rows)


def test_a_person_never_sits_on_both_sides_of_a_split() -> None:
    table = synthetic()
    evaluation = influence.evaluate(table, seed=1, n_repeats=2, boosted=False)
    assert evaluation.status == "ok"
    predictions = evaluation.predictions.assign(person=lambda d: table["nominee_id"].to_numpy()[d["row"]])
    # Within a repeat, all of a person's years are predicted in the same fold (held out together).
    folds_per_person = predictions.groupby(["model", "repeat", "person"])["fold"].nunique()
    assert (folds_per_person == 1).all()
    # And every nominee-year is predicted once per repeat and model.
    assert (predictions.groupby(["model", "repeat"])["row"].nunique() == len(table)).all()


def test_the_driving_family_beats_volume_and_the_summary_has_every_metric() -> None:
    table = synthetic()
    summary = influence.evaluate(table, seed=1, n_repeats=2).summary()
    auc = summary[summary["metric"] == "auc"].set_index("model")["mean"]
    assert auc["influence (logistic)"] > 0.8 > auc["volume only"] + 0.2
    assert {"auc", "log_loss", "brier"} == set(summary["metric"])
    assert "influence (boosted)" in set(summary["model"])


def test_too_few_picks_is_said_not_raised() -> None:
    table = synthetic().assign(selected=False)
    table.loc[:2, "selected"] = True
    evaluation = influence.evaluate(table, seed=1)
    assert evaluation.status == "not enough picks" and "3 selected" in evaluation.message


def test_family_contributions_add_up_to_the_model_score() -> None:
    table = synthetic(years=1)
    contributions = influence.family_contributions(table, seed=0)
    families = [c for c in contributions.columns if c not in ("nominee_id", "score")]
    logit = np.log(contributions["score"] / (1 - contributions["score"]))
    offset = logit - contributions[families].sum(axis=1)
    assert np.allclose(offset, offset.iloc[0]), "the rest is the intercept, the same for everyone"
    assert contributions["engagement"].corr(table["applause_rate"].apply(np.log)) > 0.8


def test_bootstrap_intervals_bracket_the_coefficient_and_find_the_driver() -> None:
    table = synthetic(years=1)
    coefficients = influence.bootstrap_coefficients(table, seed=0, n_boot=60)
    top = coefficients.iloc[0]
    assert top["feature"] == "applause_rate" and top["low"] > 0
    assert (coefficients["low"] <= coefficients["coefficient"] + 1e-9).all() and (coefficients["coefficient"] <= coefficients["high"] + 1e-9).all()


@pytest.mark.parametrize(
    "profile, name",
    [
        ({"volume": 1.5, "engagement": -0.8}, "broadcaster or automated feed"),
        ({"volume": -0.6, "engagement": 0.9}, "quiet expert"),
        ({"volume": 0.0, "engagement": 0.1, "conversation": 0.6}, "conversationalist"),
        ({"volume": 0.0, "engagement": 0.0}, None),
    ],
)
def test_archetype_rules_name_profiles(profile: dict, name: str | None) -> None:
    found = next((label for label, rule in influence.ARCHETYPE_RULES if rule(profile)), None)
    assert found == name


def test_explanations_in_words() -> None:
    row = pd.Series({"engagement": 1.2, "volume": -0.5, "reach": 0.1})
    text = influence.explain_in_words(row, ["engagement", "volume", "reach"])
    assert text.startswith("carried up by engagement (+1.2); held back by volume (-0.5)")
    assert "close to the average" in influence.explain_in_words(pd.Series({"volume": 0.1}), ["volume"])


def test_permutation_importance_puts_the_driving_family_first() -> None:
    table = synthetic(years=1)
    importance = influence.permutation_importance_by_family(table, seed=0, n_permutations=2)
    assert importance.iloc[0]["family"] == "engagement" and importance.iloc[0]["mean"] > 0.1


def test_volume_effect_is_flat_when_volume_does_not_matter() -> None:
    effect = influence.volume_effect(synthetic(years=1), seed=0)
    assert len(effect) >= 5 and effect["probability"].between(0, 1).all()
    assert effect["probability"].max() - effect["probability"].min() < 0.15


def test_scores_from_earlier_years_rank_the_talented_first_with_intervals() -> None:
    table = synthetic(years=3)
    history, current = table[table["year"] < 2025], table[table["year"] == 2025]
    scores = influence.score_from_earlier_years(history, current, seed=0, n_boot=30)
    assert len(scores) == len(current)
    assert ((scores["score_low"] <= scores["score"] + 1e-9) & (scores["score"] <= scores["score_high"] + 1e-9)).mean() > 0.9
    assert (scores["rank_low"] <= scores["rank_high"]).all() and scores["rank"].min() == 1
    merged = current.merge(scores, on="nominee_id")
    assert merged.loc[merged["selected"], "score"].mean() > merged.loc[~merged["selected"], "score"].mean() + 0.3
    review = influence.disagreements(current, scores, n=3)
    assert list(review["review"].value_counts()) == [3, 3]
    with pytest.raises(ValueError, match="too few selected"):
        influence.score_from_earlier_years(history.assign(selected=False), current)


def test_category_consistency_flags_a_favoured_category() -> None:
    current = pd.DataFrame({"nominee_id": [f"N{i}" for i in range(40)], "category": ["nurse"] * 20 + ["doctor"] * 20,
                            "selected": [True] * 12 + [False] * 8 + [True] * 2 + [False] * 18})
    scores = pd.DataFrame({"nominee_id": current["nominee_id"], "score": 0.35})
    table = influence.category_consistency(current, scores, seed=0).set_index("category")
    assert table.loc["nurse", "selected"] == 12 and table.loc["nurse", "expected"] == pytest.approx(7.0)
    assert table.loc["nurse", "ratio_low"] > 1 > table.loc["doctor", "ratio_high"]
