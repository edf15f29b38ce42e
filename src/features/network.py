"""Network position in the interaction graph (engager → author, weighted).

The graph is built once per year from ``interactions`` (every reply, mention, repost
and quote is an edge from the account that engaged to the account engaged with) and
held as integer arrays (account ids encoded once, :func:`src.features.codes.encode_interactions`);
PageRank is a sparse power iteration, betweenness and communities run in igraph's
compiled core.
The per-interaction sums (distinct engagers, engagement from other nominees, standing-
weighted engagement, mentions received) are counts over rows of interactions that
combine across partitions by adding (distinct engagers: a union of (nominee, engager)
pairs); PageRank, betweenness and communities need the whole graph.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd

from src.features.arrays import isin, unique
from src.features.codes import EncodedInteractions, encode_interactions
from src.schemas import INTERACTION_KINDS

#: Up to this many nodes betweenness is exact; above, it is estimated from PIVOTS
#: nominee-account sources.
EXACT_BETWEENNESS_NODES = 200
PIVOTS = 16
SEED = 20140501
REPLY, MENTION = INTERACTION_KINDS.index("reply"), INTERACTION_KINDS.index("mention")


@dataclass
class InteractionGraph:
    """One year's interactions as integer arrays over accounts (nodes in
    :func:`canonical_order`)."""

    names: np.ndarray  #: account id per node
    owner: np.ndarray  #: nominee index per node, -1 for accounts that are not a nominee's
    nominees: pd.Index  #: nominee ids, the values ``owner`` indexes
    source: np.ndarray  #: per kept interaction: engager node
    target: np.ndarray  #: per kept interaction: engaged node
    #: per kept interaction: code of its kind in INTERACTION_KINDS (reply, mention, repost, quote)
    kind: np.ndarray
    edges: np.ndarray  #: (m, 2) distinct directed edges
    weight: np.ndarray  #: interactions per edge
    _pairs: tuple[np.ndarray, np.ndarray] | None = None  #: cache of :func:`engager_pairs`

    @property
    def n(self) -> int:
        return len(self.names)


def build_graph(
    interactions: pd.DataFrame | EncodedInteractions | None,
    nominee_of: pd.Series,
    nominees: pd.Index,
) -> InteractionGraph:
    """The interaction graph; ``nominee_of`` maps a nominee's ``account_id`` to its ``nominee_id``.

    ``interactions`` is the canonical table (encoded here, repeated records dropped) or
    already :func:`src.features.codes.encode_interactions`. Self-loops and interactions
    between two accounts of the same nominee are dropped.
    """
    coded = (
        interactions
        if isinstance(interactions, EncodedInteractions)
        else encode_interactions(interactions)
    )
    names = coded.names
    s, t = coded.source, coded.target
    owner_ids = pd.Series(names, dtype=object).map(nominee_of)
    owner = (
        nominees.get_indexer(owner_ids.to_numpy(dtype=object))
        if len(names)
        else np.zeros(0, dtype=np.int64)
    )
    owner = np.where(owner_ids.notna().to_numpy(), owner, -1).astype(np.int64)
    keep = (s != t) & ~((owner[s] >= 0) & (owner[s] == owner[t]))
    s, t = s[keep], t[keep]
    kind = coded.kind[keep]
    n = len(names)
    if n:  # renumber nodes so that nothing downstream depends on the pseudonyms' order
        order = canonical_order(names, owner, s, t)
        position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n, dtype=np.int64)
        names, owner, s, t = names[order], owner[order], position[s], position[t]
    keys, weight = unique(s * max(n, 1) + t, return_counts=True)
    edges = (
        np.column_stack([keys // max(n, 1), keys % max(n, 1)])
        if len(keys)
        else np.zeros((0, 2), dtype=np.int64)
    )
    return InteractionGraph(names, owner, nominees, s, t, kind, edges, weight)


_MIX_1, _MIX_2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on uint64 values (wrapping arithmetic): a cheap, well-spread hash."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX_1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX_2
    return x ^ (x >> np.uint64(31))


def _id_hash(ids: np.ndarray) -> np.ndarray:
    """A stable 64-bit hash of each text id (BLAKE2b), the same in every run and process."""
    return np.array(
        [
            int.from_bytes(hashlib.blake2b(str(i).encode(), digest_size=8).digest(), "little")
            for i in ids
        ],
        dtype=np.uint64,
    )


def canonical_order(
    names: np.ndarray,
    owner: np.ndarray,
    source: np.ndarray,
    target: np.ndarray,
    max_rounds: int = 12,
) -> np.ndarray:
    """Node indices in an order that pseudonymisation cannot change (position -> node).

    Leiden's partition (and the float sums of PageRank) depend on the order of nodes, and
    sorting accounts by id would order non-nominees by their keyed hashes, so another
    pseudonym key would move community features. Instead nodes are ordered by colour
    refinement (1-dimensional Weisfeiler-Leman): nominee accounts start coloured by their
    real ids, every other account alike; each round a node's colour becomes a hash of its
    colour and the multiset of (neighbour colour, direction) over its interactions, until
    the number of colours stops growing. Ties are broken by id. Nodes left tied are
    nearly always interchangeable (two accounts that each replied once to the same
    nominee), and swapping those changes no nominee's features. The order depends on
    neither the order of rows nor the pseudonym key: on the standard sample, features
    built from tables pseudonymised under two keys are identical (they were not when nodes
    were sorted by id: 64 and 38 nominees' community features moved in 2023 and 2024).
    """
    n = len(names)
    colour = np.zeros(n, dtype=np.uint64)
    mine = np.flatnonzero(owner >= 0)
    colour[mine] = _id_hash(np.asarray(names, dtype=object)[mine])
    out_tag, in_tag = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xD6E8FEB86659FD93)
    distinct = len(np.unique(colour))
    with np.errstate(over="ignore"):
        for _ in range(max_rounds):
            signature = _mix(colour)
            np.add.at(signature, source, _mix(colour[target] ^ out_tag))
            np.add.at(signature, target, _mix(colour[source] ^ in_tag))
            refined = _mix(signature)
            count = len(np.unique(refined))
            colour = refined
            if count <= distinct:
                break
            distinct = count
    return np.lexsort((np.arange(n), colour))


def engager_pairs(graph: InteractionGraph) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (nominee index, engager node) pairs: someone engaged with the nominee's accounts."""
    if graph._pairs is None:
        nominee = graph.owner[graph.target]
        mine = nominee >= 0
        keys = unique(nominee[mine] * max(graph.n, 1) + graph.source[mine])
        graph._pairs = (keys // max(graph.n, 1), keys % max(graph.n, 1))
    return graph._pairs


def _per_nominee(
    graph: InteractionGraph, nominee: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    return np.bincount(nominee, weights=weights, minlength=len(graph.nominees)).astype(float)


def pagerank(
    graph: InteractionGraph,
    damping: float = 0.85,
    tolerance: float = 1e-12,
    max_iterations: int = 200,
) -> np.ndarray:
    """Weighted PageRank per node, times the number of nodes (1 = the average account).

    Power iteration on a sparse matrix (scipy): a node with no out-edges spreads its
    rank evenly over all nodes, as igraph's PRPACK does (the tests compare the two);
    building an igraph graph of millions of edges from Python costs more than the
    iteration itself.
    """
    from scipy import sparse

    n = graph.n
    if n == 0:
        return np.zeros(0)
    src, dst = graph.edges[:, 0], graph.edges[:, 1]
    weight = graph.weight.astype(float)
    out = np.bincount(src, weights=weight, minlength=n)
    matrix = sparse.csr_matrix((weight / out[src], (dst, src)), shape=(n, n))
    dangling = out == 0
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iterations):
        new = damping * (matrix @ rank) + (damping * rank[dangling].sum() + 1.0 - damping) / n
        new /= new.sum()
        done = np.abs(new - rank).sum() < tolerance
        rank = new
        if done:
            break
    return rank * n


def undirected(graph: InteractionGraph) -> tuple[np.ndarray, np.ndarray]:
    """Distinct undirected edges (u < v) and their summed weights."""
    if len(graph.edges) == 0:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    u = np.minimum(graph.edges[:, 0], graph.edges[:, 1])
    v = np.maximum(graph.edges[:, 0], graph.edges[:, 1])
    keys, inverse = unique(u * graph.n + v, return_inverse=True)
    weight = np.bincount(inverse, weights=graph.weight.astype(float))
    return np.column_stack([keys // graph.n, keys % graph.n]), weight


def undirected_igraph(graph: InteractionGraph, edges: np.ndarray) -> ig.Graph:
    """The undirected simple graph of :func:`undirected` edges, in igraph (built once)."""
    return ig.Graph(
        n=graph.n,
        edges=list(zip(edges[:, 0].tolist(), edges[:, 1].tolist(), strict=True)),
        directed=False,
    )


def betweenness(graph: InteractionGraph, g: ig.Graph) -> np.ndarray:
    """Normalised undirected betweenness per node of ``g`` (:func:`undirected_igraph`):
    exact for small graphs, pivot-sampled above."""
    n = graph.n
    if n < 3:
        return np.zeros(n)
    if n <= EXACT_BETWEENNESS_NODES:
        raw = np.asarray(g.betweenness(directed=False))
    else:
        pivots = betweenness_pivots(graph)
        raw = np.asarray(g.betweenness(directed=False, sources=pivots.tolist())) * n / len(pivots)
    return raw / ((n - 1) * (n - 2) / 2)


def betweenness_pivots(graph: InteractionGraph) -> np.ndarray:
    """Node indices of the pivot sources for estimated betweenness (:data:`PIVOTS` of them).

    Drawn (seeded) from the nominees' own accounts taken in order of their real ids, which
    pseudonymisation never changes, so the estimate is the same whatever the pseudonym key
    (drawing from all nodes by position would depend on the hashed ids' order). Paths from
    nominees are the ones the bridging question is about. With fewer nominee accounts
    than pivots, all of them are used; with none in the graph, pivots come from every node.
    """
    nominee_nodes = np.flatnonzero(graph.owner >= 0)
    if len(nominee_nodes) == 0:
        return np.sort(
            np.random.default_rng(SEED).choice(graph.n, size=min(PIVOTS, graph.n), replace=False)
        )
    by_real_id = nominee_nodes[
        np.argsort(np.asarray(graph.names, dtype=object)[nominee_nodes].astype(str), kind="stable")
    ]
    size = min(PIVOTS, len(by_real_id))
    return np.sort(
        by_real_id[np.random.default_rng(SEED).choice(len(by_real_id), size=size, replace=False)]
    )


def node_values_per_nominee(graph: InteractionGraph, values: np.ndarray, how: str) -> np.ndarray:
    """Sum or max of a per-node value over each nominee's nodes (0 for nominees without one)."""
    mine = graph.owner >= 0
    out = np.zeros(len(graph.nominees))
    if how == "sum":
        out += np.bincount(graph.owner[mine], weights=values[mine], minlength=len(graph.nominees))
    else:
        np.maximum.at(out, graph.owner[mine], values[mine])
    return out


def network_features(
    graph: InteractionGraph, followers: pd.Series, ranks: np.ndarray, between: np.ndarray
) -> pd.DataFrame:
    """Network features per nominee.

    ``followers`` maps ``account_id`` to followers (missing: unknown); ``ranks`` and
    ``between`` are :func:`pagerank` and :func:`betweenness` per node.
    """
    nominee_pair, _ = engager_pairs(graph)
    received = graph.owner[graph.target]
    mine = received >= 0
    from_nominee = mine & (graph.owner[graph.source] >= 0)
    standing = (
        np.log10(1.0 + pd.Series(graph.names).map(followers).astype(float).fillna(0.0).to_numpy())
        if graph.n
        else np.zeros(0)
    )
    return pd.DataFrame(
        {
            "pagerank": node_values_per_nominee(graph, ranks, "sum"),
            "distinct_engagers": _per_nominee(graph, nominee_pair),
            "engagement_from_nominees": _per_nominee(graph, received[from_nominee]),
            "standing_weighted_engagement": _per_nominee(
                graph, received[mine], standing[graph.source[mine]]
            ),
            "betweenness": node_values_per_nominee(graph, between, "max"),
        },
        index=graph.nominees,
    )


def mentions_received(graph: InteractionGraph) -> pd.Series:
    """Per nominee: interactions of kind mention towards their accounts."""
    received = graph.owner[graph.target]
    mine = (received >= 0) & (graph.kind == MENTION)
    return pd.Series(_per_nominee(graph, received[mine]), index=graph.nominees)


def reciprocity(graph: InteractionGraph) -> pd.Series:
    """Share of a nominee's distinct engagers that the nominee replied to (missing when
    nobody engaged)."""
    nominee, engager = engager_pairs(graph)
    n = max(graph.n, 1)
    author = graph.owner[graph.source]
    back = (author >= 0) & (graph.kind == REPLY)
    replied = unique(author[back] * n + graph.target[back])
    answered = isin(nominee * n + engager, replied)
    total = _per_nominee(graph, nominee)
    hits = _per_nominee(graph, nominee[answered])
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(
            np.where(total > 0, hits / np.where(total > 0, total, 1), np.nan), index=graph.nominees
        )
