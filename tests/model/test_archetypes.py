"""Archetypes (src.model.archetypes): names from profiles, planted groups found and named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from src.features.dictionary import FEATURES
from src.model.archetypes import (
    ARCHETYPE_RULES,
    ARCHETYPE_THRESHOLD,
    RESIDUAL_ARCHETYPE,
    archetypes,
    describe_profile,
    name_archetype,
    profile_axes,
)


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
        # An axis the table lacks makes a rule inapplicable (metrics-only tables have no
        # conversation).
        ({"engagement": 1.0}, "mixed profile"),
        ({}, "typical nominee"),
    ],
)
def test_archetypes_are_named_from_what_distinguishes_the_profile(profile: dict, name: str) -> None:
    assert name_archetype(profile) == name


def test_every_rule_reads_axes_of_the_profile_and_thresholds_are_symmetric() -> None:
    axes = set(profile_axes(list(FEATURES)))
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
    for rule in ARCHETYPE_RULES:
        assert {axis for axis, _ in rule.signature} <= axes and {
            side for _, side in rule.signature
        } <= {-1, 1}
        # Exactly at the threshold the rule fits (margin 0); just inside it does not.
        edge = {axis: side * ARCHETYPE_THRESHOLD for axis, side in rule.signature}
        assert rule.margin(edge) == pytest.approx(0.0)
        assert rule.margin({axis: 0.9 * value for axis, value in edge.items()}) < 0
    names = [rule.name for rule in ARCHETYPE_RULES]
    assert {"broadcaster", "conversationalist", "amplifier", "bridge", "quiet expert"} <= set(
        names
    ) and len(set(names)) == len(names)


def test_profile_axes_split_output_from_passing_on() -> None:
    axes = profile_axes(
        ["posts_per_day", "repost_share", "burstiness", "applause_rate", "pagerank"]
    )
    assert axes == {
        "volume": ["posts_per_day"],
        "passing on": ["repost_share"],
        "engagement": ["applause_rate"],
        "network": ["pagerank"],
    }
    assert (
        describe_profile({"volume": 1.94, "engagement": -0.71, "reach": 0.1})
        == "volume +1.9 SD; engagement -0.7 SD"
    )
    assert "within a quarter" in describe_profile({"volume": 0.1})


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
    axes = profile_axes(list(FEATURES))
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
    assignment, profile = archetypes(table, seed=0)
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
    assignment, profile = archetypes(table)
    assert list(assignment["archetype"]) == [RESIDUAL_ARCHETYPE] * 3
    assert "no feature varies" in profile["distinguished_by"].iloc[0]
