"""Invented names for the simulated people: every name different from every other.

A person is a first name and a surname, an organisation a place and a kind ("Northvale
Trust"), each drawn from short fixed lists, then marked "(simulated)". Draws alone
repeat (twenty first names and twenty surnames give 400 names for the 330 people of the
bundled sample, so about a hundred people would share a name with someone), and a
report cannot tell two people of one name apart, so a name already taken is replaced,
without any further draw, by the next free one in a fixed order: the same first name
(or place) with the next surname (or kind), then with a double-barrelled surname.

The draws are exactly those the sample made before names were made unique (two integers
per person), so every later draw of the world, and so every trait, post and panel
decision, is the same as it was; only the repeated names change.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

FIRST_NAMES = (
    "Ada", "Bea", "Cal", "Dev", "Eli", "Fen", "Gus", "Hal", "Ida", "Jo",
    "Kit", "Lou", "Mo", "Nia", "Oli", "Pip", "Rae", "Sol", "Tam", "Viv",
)  # fmt: skip
#: Surnames drawn for people.
SURNAMES = (
    "Ashby", "Brook", "Carrow", "Dunmore", "Ellery", "Fairley", "Garside", "Holloway",
    "Inglis", "Jessop", "Kettle", "Lark", "Merriam", "Norland", "Oakes", "Pell",
    "Quarry", "Rook", "Sallow", "Thorne",
)  # fmt: skip
#: Surnames only given when a drawn name is taken (never drawn).
SPARE_SURNAMES = (
    "Abbott", "Birch", "Colley", "Darrow", "Eames", "Finch", "Gower", "Hearne",
    "Ivers", "Jowett", "Keble", "Lomax", "Mercer", "Nutley", "Orme", "Pryor",
    "Ramsden", "Scully", "Tapper", "Vane",
)  # fmt: skip
#: Kinds of organisation drawn.
ORGANISATION_KINDS = ("Trust", "Health Board", "Charity", "Network", "Union Branch", "ICB")
#: Kinds only given when a drawn organisation name is taken (never drawn).
SPARE_ORGANISATION_KINDS = (
    "Hospice", "Foundation Trust", "Partnership", "Federation", "Alliance", "Collaborative",
)  # fmt: skip
PLACES = (
    "Northvale", "Southmere", "Eastwick", "Westholm", "Midbury", "Ravensfield",
    "Lowmoor", "Highcross",
)  # fmt: skip
#: What marks every invented name.
MARK = " (simulated)"


def _alternatives(head: str, tails: Sequence[str], start: int) -> Iterator[str]:
    """Names with ``head`` and each tail in turn from ``start``, then double-barrelled ones."""
    for step in range(len(tails)):
        yield f"{head} {tails[(start + step) % len(tails)]}"
    for first in tails:
        for second in tails:
            if first != second:
                yield f"{head} {first}-{second}"


def _free(candidates: Iterator[str], taken: set[str]) -> str:
    """The first candidate not yet taken."""
    for name in candidates:
        if name not in taken:
            return name
    raise ValueError("every invented name is taken: add names to src/simulate/names.py")


def invent_names(is_organisation: Sequence[bool], rng: np.random.Generator) -> list[str]:
    """One distinct invented name per person, in order (organisations named by place and kind).

    Draws two integers from ``rng`` per person, whatever the name becomes.
    """
    taken: set[str] = set()
    names = []
    for organisation in is_organisation:
        tails: tuple[str, ...]
        if organisation:
            head = PLACES[rng.integers(len(PLACES))]
            tails, start = (
                ORGANISATION_KINDS + SPARE_ORGANISATION_KINDS,
                int(rng.integers(len(ORGANISATION_KINDS))),
            )
        else:
            head = FIRST_NAMES[rng.integers(len(FIRST_NAMES))]
            tails, start = SURNAMES + SPARE_SURNAMES, int(rng.integers(len(SURNAMES)))
        name = _free(_alternatives(head, tails, start), taken)
        taken.add(name)
        names.append(name + MARK)
    return names
