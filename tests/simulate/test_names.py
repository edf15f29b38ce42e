"""Invented names: distinct within a year and across people, and drawn as they always were."""

from __future__ import annotations

import numpy as np

from src.simulate.names import (
    FIRST_NAMES,
    MARK,
    ORGANISATION_KINDS,
    PLACES,
    SURNAMES,
    invent_names,
)
from src.simulate.world import SimulationSize, make_people, nominees_for_year


def test_no_two_people_share_a_name_in_the_bundled_sample() -> None:
    size = SimulationSize.preset("standard")
    rng = np.random.default_rng(20130601)
    people = make_people(size, rng)
    assert people["name"].is_unique, people["name"][people["name"].duplicated()].tolist()
    assert people["name"].str.endswith(MARK).all()
    for index, year in enumerate((2023, 2024, 2025)):
        nominees = nominees_for_year(people, size, year, index, rng)
        assert nominees["name"].is_unique, f"{year}: two nominees share a name"


def test_a_taken_name_becomes_the_next_free_one_without_another_draw() -> None:
    organisation = [False] * 900 + [True] * 200
    rng = np.random.default_rng(1)
    names = invent_names(organisation, rng)
    assert len(set(names)) == len(names) == 1100, "more people than simple names still differ"
    # two integers per person, whatever the name becomes: every later draw is unchanged
    same = np.random.default_rng(1)
    for is_organisation in organisation:
        same.integers(len(PLACES) if is_organisation else len(FIRST_NAMES))
        same.integers(len(ORGANISATION_KINDS) if is_organisation else len(SURNAMES))
    assert rng.random() == same.random()


def test_names_keep_the_first_word_the_handles_are_made_from() -> None:
    rng_a, rng_b = np.random.default_rng(7), np.random.default_rng(7)
    names = invent_names([False] * 400, rng_a)
    firsts = [rng_b.integers(20) for _ in range(800)][::2]
    assert [name.split()[0] for name in names] == [FIRST_NAMES[i] for i in firsts]
