"""The interaction graph (src.features.network) on graphs big enough for pseudonyms to
matter: estimated betweenness, and the canonical node order by hand."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from src.features import build_features
from src.features.network import EXACT_BETWEENNESS_NODES, build_graph, canonical_order
from tests.features.helpers import big_world
from tests.helpers import interactions_frame


def test_estimated_betweenness_does_not_depend_on_pseudonyms() -> None:
    hidden = lambda account: "anon:" + hashlib.sha256(account.encode()).hexdigest()[:16]  # noqa: E731
    real, pseudonymised = build_features(big_world()), build_features(big_world(hidden))
    assert (
        real["distinct_engagers"].tolist() == pseudonymised["distinct_engagers"].tolist()
    )  # the same graph
    assert (
        len(
            set(
                a
                for r in big_world()["interactions"].itertuples()
                for a in (r.source_account_id, r.target_account_id)
            )
        )
        > EXACT_BETWEENNESS_NODES
    )
    pd.testing.assert_series_equal(real["betweenness"], pseudonymised["betweenness"], rtol=1e-9)


def test_canonical_order_by_hand() -> None:
    # Nominee accounts x:a, x:b; audience p (replied to a twice and b once), q, r (replied
    # to a once each), s (mentioned by a). Colour refinement separates a from b (real ids)
    # and p from s from {q, r}; q and r stay tied (interchangeable), ordered by id.
    rows = [
        ("anon:p", "x:a", "reply", "1"),
        ("anon:p", "x:a", "reply", "2"),
        ("anon:p", "x:b", "reply", "3"),
        ("anon:q", "x:a", "reply", "4"),
        ("anon:r", "x:a", "reply", "5"),
        ("x:a", "anon:s", "mention", "6"),
    ]
    nominee_of = pd.Series({"x:a": "a", "x:b": "b"})
    graph = build_graph(interactions_frame(rows), nominee_of, pd.Index(["a", "b"]))
    assert sorted(graph.names) == ["anon:p", "anon:q", "anon:r", "anon:s", "x:a", "x:b"]
    names = list(graph.names)
    assert names.index("anon:q") + 1 == names.index("anon:r")  # tied: adjacent, by id
    # Renaming the audience keeps every node's position (q and r swap, being interchangeable).
    renamed = [
        (
            f"anon:{ {'p': 'z', 'q': 'y', 'r': 'x', 's': 'w'}[s[-1]] }"
            if s.startswith("anon:")
            else s,
            f"anon:{ {'p': 'z', 'q': 'y', 'r': 'x', 's': 'w'}[t[-1]] }"
            if t.startswith("anon:")
            else t,
            k,
            i,
        )
        for s, t, k, i in rows
    ]
    other = build_graph(interactions_frame(renamed), nominee_of, pd.Index(["a", "b"]))
    assert (
        np.array_equal(graph.edges, other.edges)
        and np.array_equal(graph.weight, other.weight)
        and np.array_equal(graph.owner, other.owner)
    )
    assert [n for n in other.names if n.startswith("x:")] == [
        n for n in graph.names if n.startswith("x:")
    ]
    assert (
        other.names[names.index("anon:p")] == "anon:z"
        and other.names[names.index("anon:s")] == "anon:w"
    )
    # An empty graph and a graph of isolated nodes still get an order.
    assert (
        canonical_order(
            np.array([], dtype=object),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64),
        ).tolist()
        == []
    )
    assert sorted(
        canonical_order(
            np.array(["anon:b", "anon:a"], dtype=object),
            np.array([-1, -1]),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64),
        ).tolist()
    ) == [0, 1]
