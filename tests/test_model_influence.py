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
