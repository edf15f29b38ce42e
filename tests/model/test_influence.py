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
            row = {
                "nominee_id": f"P{person:03d}",
                "year": year,
                "name": f"Person {person}",
                "category": "nurse",
                "rank": pd.NA,
                "observation_days": 28,
            }
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
    predictions = evaluation.predictions.assign(
        person=lambda d: table["nominee_id"].to_numpy()[d["row"]]
    )
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
    assert (coefficients["low"] <= coefficients["coefficient"] + 1e-9).all() and (
        coefficients["coefficient"] <= coefficients["high"] + 1e-9
    ).all()


@pytest.mark.parametrize(
    "profile, name",
    [
        # One signature met: its name (thresholds at +-0.25 SD of the year's nominees).
        (
            {"volume": 1.5, "engagement": -0.8, "network": 0.3},
            "broadcaster",
        ),  # margins 1.25, 0.55 -> 0.55
        ({"passing on": 0.9, "engagement": -0.4, "volume": 0.1}, "amplifier"),  # 0.65, 0.15 -> 0.15
        (
            {"volume": -0.6, "engagement": 0.9, "network": 0.1},
            "quiet expert",
        ),  # 0.35, 0.65 -> 0.35 (network 0.1 < 0.25)
        (
            {"engagement": 1.0, "network": 0.7, "volume": 0.1},
            "influential voice",
        ),  # 0.75, 0.45 -> 0.45
        ({"conversation": 0.6, "volume": 0.0, "engagement": 0.1}, "conversationalist"),
        ({"audiences": 0.8, "engagement": 0.0}, "bridge"),
        (
            {"engagement": -0.7, "network": -0.6, "volume": 0.0},
            "low-engagement account",
        ),  # 0.45, 0.35 -> 0.35
        # Two met: the wider margin (what distinguishes the cluster most) names it.
        (
            {"volume": 1.0, "engagement": -0.9, "passing on": 0.4},
            "broadcaster",
        ),  # broadcaster 0.65 > amplifier 0.15
        (
            {"volume": 0.4, "engagement": -0.9, "passing on": 1.5},
            "amplifier",
        ),  # amplifier 0.65 > broadcaster 0.15
        (
            {"volume": -0.3, "engagement": 1.5, "network": 1.2},
            "influential voice",
        ),  # 0.95 > quiet expert 0.05
        (
            {"volume": -1.2, "engagement": 0.8, "network": 0.4},
            "quiet expert",
        ),  # 0.55 > influential voice 0.15
        (
            {"volume": 1.0, "engagement": -0.5, "passing on": 0.75},
            "broadcaster",
        ),  # a tie (0.25 each): the earlier rule
        # None met: near the average everywhere, or departing in no named pattern.
        (
            {"volume": 0.2, "engagement": -0.2, "network": 0.1, "audiences": -0.24},
            "typical nominee",
        ),
        ({"reach": 0.9, "volume": 0.0}, "mixed profile"),
        # An axis the table lacks makes a rule inapplicable (metrics-only tables have no conversation).
        ({"engagement": 1.0}, "mixed profile"),
        ({}, "typical nominee"),
    ],
)
def test_archetypes_are_named_from_what_distinguishes_the_profile(profile: dict, name: str) -> None:
    assert influence.name_archetype(profile) == name


def test_every_rule_reads_axes_of_the_profile_and_thresholds_are_symmetric() -> None:
    axes = set(influence.profile_axes(list(FEATURES)))
    assert axes == {
        "volume",
        "passing on",
        "reach",
        "engagement",
        "network",
        "audiences",
        "conversation",
        "influence",
    }
    for rule in influence.ARCHETYPE_RULES:
        assert {axis for axis, _ in rule.signature} <= axes and {
            side for _, side in rule.signature
        } <= {-1, 1}
        # Exactly at the threshold the rule fits (margin 0); just inside it does not.
        edge = {axis: side * influence.ARCHETYPE_THRESHOLD for axis, side in rule.signature}
        assert rule.margin(edge) == pytest.approx(0.0)
        assert rule.margin({axis: 0.9 * value for axis, value in edge.items()}) < 0
    names = [rule.name for rule in influence.ARCHETYPE_RULES]
    assert {"broadcaster", "conversationalist", "amplifier", "bridge", "quiet expert"} <= set(
        names
    ) and len(set(names)) == len(names)


def test_profile_axes_split_output_from_passing_on() -> None:
    axes = influence.profile_axes(
        ["posts_per_day", "repost_share", "burstiness", "applause_rate", "pagerank"]
    )
    assert axes == {
        "volume": ["posts_per_day"],
        "passing on": ["repost_share"],
        "engagement": ["applause_rate"],
        "network": ["pagerank"],
    }
    assert (
        influence.describe_profile({"volume": 1.94, "engagement": -0.71, "reach": 0.1})
        == "volume +1.9 SD; engagement -0.7 SD"
    )
    assert "within a quarter" in influence.describe_profile({"volume": 0.1})


def planted(seed: int = 0) -> tuple[pd.DataFrame, dict[str, str]]:
    """48 nominees in 6 planted groups of 8: each group's features sit at a fixed offset
    (in standard units, before the year's standardisation) on one or two axes.

    Log-scale features are given as expm1(value), so that the model's log(1 + x) returns
    the planted value. Expected names, by hand: standardising over the 48, an axis with
    offset +2 for one group (0 elsewhere) puts that group at +2.2 SD and the others at
    -0.45 SD; engagement offsets (-1 broadcaster, +1.5 quiet expert, -1 amplifier, 0
    else) put them at -1.1, +1.9, -1.1 and +0.1 SD. So the broadcaster group is at volume
    +1.9 / engagement -1.1 SD, the quiet experts at volume -1.6 / engagement +1.9 (and
    network -0.0 < 0.25: not an influential voice), and the conversationalists, bridges
    and amplifiers at +2.2 SD on their axis; the baseline group departs only by the
    -0.45 SD the others' offsets push it to, in no named pattern.
    """
    rng = np.random.default_rng(seed)
    offsets = {
        "broadcaster": {"volume": 2.0, "engagement": -1.0},
        "quiet expert": {"volume": -1.5, "engagement": 1.5},
        "conversationalist": {"conversation": 2.0},
        "bridge": {"audiences": 2.0},
        "amplifier": {"passing on": 2.0, "engagement": -1.0},
        "baseline": {},
    }
    axes = influence.profile_axes(list(FEATURES))
    axis_of = {feature: axis for axis, features in axes.items() for feature in features}
    rows, truth = [], {}
    for group, shift in offsets.items():
        for i in range(8):
            nominee = f"{group[:3]}{i}"
            truth[nominee] = group
            row = {
                "nominee_id": nominee,
                "year": 2024,
                "name": nominee,
                "category": "nurse",
                "selected": i < 2,
                "rank": pd.NA,
            }
            for feature, spec in FEATURES.items():
                value = shift.get(axis_of.get(feature, ""), 0.0) + rng.normal(0, 0.15)
                row[feature] = float(np.expm1(value + 3.0)) if spec.log_scale else value
            rows.append(row)
    return pd.DataFrame(rows), truth


def test_archetypes_find_and_name_planted_groups() -> None:
    table, truth = planted()
    assignment, profile = influence.archetypes(table, seed=0)
    assert (
        len(assignment) == len(table) and assignment["archetype"].notna().all()
    )  # every nominee assigned
    assignment["group"] = assignment["nominee_id"].map(truth)
    # Each planted group is one cluster, and the clusters are the groups.
    assert (assignment.groupby("group")["cluster"].nunique() == 1).all() and assignment[
        "cluster"
    ].nunique() == 6
    named = assignment.groupby("group")["archetype"].first().to_dict()
    assert named == {
        "broadcaster": "broadcaster",
        "quiet expert": "quiet expert",
        "conversationalist": "conversationalist",
        "bridge": "bridge",
        "amplifier": "amplifier",
        "baseline": "mixed profile",
    }
    by_name = profile.set_index("archetype")
    assert by_name.loc["broadcaster", "volume"] == pytest.approx(1.9, abs=0.15) and by_name.loc[
        "broadcaster", "engagement"
    ] == pytest.approx(-1.1, abs=0.15)
    assert by_name.loc["bridge", "audiences"] == pytest.approx(2.2, abs=0.15)
    assert set(profile["nominees"]) == {8} and by_name.loc[
        "broadcaster", "distinguished_by"
    ].startswith("volume +1.9 SD")


def test_archetypes_of_a_table_without_usable_features_are_all_typical() -> None:
    table = pd.DataFrame(
        {
            "nominee_id": ["a", "b", "c"],
            "posts_per_day": [1.0, 1.0, 1.0],
            "selected": [True, False, False],
        }
    )
    assignment, profile = influence.archetypes(table)
    assert list(assignment["archetype"]) == [influence.RESIDUAL_ARCHETYPE] * 3
    assert "no feature varies" in profile["distinguished_by"].iloc[0]


def test_explanations_in_words() -> None:
    row = pd.Series({"engagement": 1.2, "volume": -0.5, "reach": 0.1})
    text = influence.explain_in_words(row, ["engagement", "volume", "reach"])
    assert text.startswith("carried up by engagement (+1.2); held back by volume (-0.5)")
    assert "close to the average" in influence.explain_in_words(
        pd.Series({"volume": 0.1}), ["volume"]
    )


def test_permutation_importance_puts_the_driving_family_first() -> None:
    table = synthetic(years=1)
    importance = influence.permutation_importance_by_family(table, seed=0, n_permutations=2)
    assert importance.iloc[0]["family"] == "engagement" and importance.iloc[0]["mean"] > 0.1


def test_volume_effect_is_flat_when_volume_does_not_matter() -> None:
    effect = influence.volume_effect(synthetic(years=1), seed=0, n_boot=30)
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
    table = synthetic()
    evaluation = influence.evaluate(table, seed=1, n_repeats=2, boosted=False)
    importance = influence.permutation_importance_by_family(table, seed=0, n_permutations=1)
    effect = influence.volume_effect(table, seed=0, n_boot=10)
    sentences = influence.answer_in_words(evaluation, importance, effect)
    auc = evaluation.folds.groupby("model")["auc"].mean()
    assert len(sentences) == 3
    assert (
        f"ROC AUC of {auc['influence (logistic)']:.2f}" in sentences[0]
        and f"volume alone reaches {auc['volume only']:.2f}" in sentences[0]
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
        influence.answer_in_words(
            influence.Evaluation("not enough picks", ""), pd.DataFrame(), pd.DataFrame()
        )
        == []
    )


def test_scores_within_a_year_come_with_intervals_from_repeats() -> None:
    table = synthetic(years=1)
    scores = influence.score_within_year(table, seed=0, n_repeats=6)
    assert (
        list(scores["nominee_id"]) == list(table["nominee_id"])
        and scores["score"].between(0, 1).all()
    )
    assert (
        (scores["score_low"] <= scores["score"] + 1e-9)
        & (scores["score"] <= scores["score_high"] + 1e-9)
    ).all()
    assert (scores["rank_low"] <= scores["rank_high"]).all() and sorted(scores["rank"])[0] == 1
    merged = table.merge(scores, on="nominee_id")
    assert (
        merged.loc[merged["selected"], "score"].mean()
        > merged.loc[~merged["selected"], "score"].mean() + 0.1
    )
    with pytest.raises(ValueError, match="too few"):
        influence.score_within_year(table.assign(selected=False))


def test_scores_from_earlier_years_rank_the_talented_first_with_intervals() -> None:
    table = synthetic(years=3)
    history, current = table[table["year"] < 2025], table[table["year"] == 2025]
    scores = influence.score_from_earlier_years(history, current, seed=0, n_boot=30)
    assert len(scores) == len(current)
    assert (
        (scores["score_low"] <= scores["score"] + 1e-9)
        & (scores["score"] <= scores["score_high"] + 1e-9)
    ).mean() > 0.9
    assert (scores["rank_low"] <= scores["rank_high"]).all() and scores["rank"].min() == 1
    merged = current.merge(scores, on="nominee_id")
    # (The strong L2 penalty, C = 0.1, pulls probabilities towards the base rate.)
    assert (
        merged.loc[merged["selected"], "score"].mean()
        > merged.loc[~merged["selected"], "score"].mean() + 0.2
    )
    review = influence.disagreements(current, scores, n=3)
    assert list(review["review"].value_counts()) == [3, 3]
    with pytest.raises(ValueError, match="too few selected"):
        influence.score_from_earlier_years(history.assign(selected=False), current)


def test_category_consistency_flags_a_favoured_category() -> None:
    current = pd.DataFrame(
        {
            "nominee_id": [f"N{i}" for i in range(40)],
            "category": ["nurse"] * 20 + ["doctor"] * 20,
            "selected": [True] * 12 + [False] * 8 + [True] * 2 + [False] * 18,
        }
    )
    scores = pd.DataFrame({"nominee_id": current["nominee_id"], "score": 0.35})
    table = influence.category_consistency(current, scores, seed=0).set_index("category")
    assert table.loc["nurse", "selected"] == 12 and table.loc["nurse", "expected"] == pytest.approx(
        7.0
    )
    assert table.loc["nurse", "ratio_low"] > 1 > table.loc["doctor", "ratio_high"]


def test_explanations_add_up_to_the_very_score_they_explain() -> None:
    """A year scored by a model trained on earlier years is explained by that same model."""
    table = synthetic(years=3)
    history, current = (
        table[table["year"] < 2025].reset_index(drop=True),
        table[table["year"] == 2025].reset_index(drop=True),
    )
    scores = influence.score_from_earlier_years(history, current, seed=0, n_boot=5)
    contributions = influence.family_contributions(current, train=history, seed=0)
    np.testing.assert_allclose(
        contributions["score"].to_numpy(), scores["score"].to_numpy(), rtol=1e-9
    )
    families = [c for c in contributions.columns if c not in ("nominee_id", "score")]
    logit = np.log(scores["score"] / (1 - scores["score"]))
    offset = logit - contributions[families].sum(axis=1)
    assert np.allclose(offset, offset.iloc[0]), "contributions plus one intercept give each score"
