"""New audiences (src.features.audiences): communities that do not depend on pseudonyms
or on the order of the interactions, and the share of new engagers as a share."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from src.features import PreviousYear, build_features
from tests.features.helpers import big_world
from tests.helpers import event, interactions_frame, random_world

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GRAPH_FEATURES = [
    "outside_engager_share",
    "participation_coefficient",
    "engager_community_entropy",
    "pagerank",
    "betweenness",
    "distinct_engagers",
]


@pytest.mark.parametrize("salt", ["one key", "another key", "a third key"])
def test_communities_do_not_depend_on_pseudonyms(salt: str) -> None:
    # Before the canonical node order, Leiden ran on nodes sorted by id, and these moved by
    # up to 0.21 bits (entropy) and 0.07 (shares) for some nominee with each of these keys.
    hidden = lambda account: "anon:" + hashlib.sha256((salt + account).encode()).hexdigest()[:16]  # noqa: E731
    real, pseudonymised = build_features(big_world()), build_features(big_world(hidden))
    assert (
        real["outside_engager_share"].between(0.01, 0.99).any()
    )  # communities were found and matter here
    pd.testing.assert_frame_equal(
        real[GRAPH_FEATURES], pseudonymised[GRAPH_FEATURES], check_exact=True
    )


def test_communities_do_not_depend_on_the_order_of_interactions() -> None:
    tables = big_world()
    shuffled = dict(
        tables,
        interactions=tables["interactions"].sample(frac=1.0, random_state=3).reset_index(drop=True),
    )
    pd.testing.assert_frame_equal(
        build_features(tables)[GRAPH_FEATURES],
        build_features(shuffled)[GRAPH_FEATURES],
        check_exact=True,
    )


@SETTINGS
@given(
    spec=st.lists(event, max_size=12),
    before=st.lists(st.tuples(st.integers(0, 6), st.sampled_from(["a", "b", "c"])), max_size=10),
    posted=st.sets(st.sampled_from(["a", "b", "c"])),
)
@pytest.mark.slow
def test_new_engager_share_is_a_share(spec: list[tuple], before: list[tuple], posted: set) -> None:
    previous = PreviousYear(
        interactions_frame(
            [(f"anon:{r}", f"x:{who}", "reply", f"x:old{i}") for i, (r, who) in enumerate(before)]
        ),
        pd.Index([f"x:{p}" for p in sorted(posted)]),
    )
    table = build_features(random_world(spec), previous).set_index("nominee_id")
    share = table["new_engager_share"]
    assert ((share.dropna() >= 0) & (share.dropna() <= 1)).all()
    for who in table.index:
        if f"x:{who}" not in previous.posting_accounts or table.loc[who, "distinct_engagers"] == 0:
            assert pd.isna(share[who]), who
        else:
            assert share[who] == share[who], who
