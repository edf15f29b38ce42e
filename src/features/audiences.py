"""New audiences: whom a nominee reaches, by the communities of the interaction graph.

Communities are detected once on the whole undirected, weighted interaction graph with
the Leiden algorithm (Traag, Waltman & van Eck 2019) optimising modularity, in igraph's
compiled core, seeded so the same graph gives the same partition. Nodes are in
:func:`src.features.network.canonical_order`, which follows the graph's structure and
the nominees' real ids, not the pseudonyms, so another pseudonym key gives the same
communities.

Per nominee (``k`` distinct engagers, or interactions for the participation coefficient):
outside-community share, Guimerà & Amaral's participation coefficient, entropy of the
engagers' communities, distinct engagers per post and the share of engagers who are new
against the previous year.
"""

from __future__ import annotations

import random

import igraph as ig
import numpy as np
import pandas as pd

from src.features.arrays import few_unique, isin, unique
from src.features.codes import encode_text
from src.features.network import SEED, InteractionGraph, engager_pairs

LEIDEN_ITERATIONS = 2  #: igraph's default; more passes moved no nominee's features on the sample


def communities(graph: InteractionGraph, g: ig.Graph, weight: np.ndarray) -> np.ndarray:
    """Leiden (modularity) community per node of ``g`` (the undirected graph), with edge
    weights ``weight``."""
    if graph.n == 0:
        return np.zeros(0, dtype=np.int64)
    ig.set_random_number_generator(random.Random(SEED))
    try:
        parts = g.community_leiden(
            objective_function="modularity",
            weights=weight.tolist() if len(weight) else None,
            n_iterations=LEIDEN_ITERATIONS,
        )
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(parts.membership, dtype=np.int64)


def main_nodes(graph: InteractionGraph) -> np.ndarray:
    """Per nominee: the node of their account with the most interactions received (-1 when
    none is in the graph)."""
    strength = np.bincount(graph.target, minlength=graph.n).astype(float)
    mine = np.flatnonzero(graph.owner >= 0)
    frame = pd.DataFrame(
        {"nominee": graph.owner[mine], "node": mine, "s": strength[mine]}
    ).sort_values(["nominee", "s", "node"], ascending=[True, False, True], kind="stable")
    first = frame.drop_duplicates("nominee")
    out = np.full(len(graph.nominees), -1, dtype=np.int64)
    out[first["nominee"].to_numpy()] = first["node"].to_numpy()
    return out


def _entropy_and_concentration(
    nominee: np.ndarray, community: np.ndarray, count: int, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per nominee: total, Shannon entropy (bits) and Σ p² of the distribution over communities."""
    if len(nominee) == 0:
        return np.zeros(count), np.full(count, np.nan), np.full(count, np.nan)
    c = int(community.max()) + 1
    keys, inverse = few_unique(nominee * c + community)  # (nominee, community) pairs: few
    k_s = np.bincount(inverse, weights=weights).astype(float)
    who = keys // c
    total = np.bincount(who, weights=k_s, minlength=count)
    p = k_s / total[who]
    entropy = np.bincount(who, weights=-p * np.log2(p), minlength=count) + 0.0
    square = np.bincount(who, weights=p * p, minlength=count)
    has = total > 0
    return total, np.where(has, entropy, np.nan), np.where(has, square, np.nan)


def audience_features(
    graph: InteractionGraph,
    membership: np.ndarray,
    own_posts: pd.Series,
    previous_engagers: pd.DataFrame | None = None,
    observed: np.ndarray | None = None,
) -> pd.DataFrame:
    """Audience features per nominee.

    ``own_posts`` is indexed by nominee; ``previous_engagers`` holds the previous
    year's (``nominee_id``, ``account_id``) engager pairs, or None when that year's
    interactions are absent (``new_engager_share`` is then missing). ``observed`` says,
    per nominee, whether their accounts were collected in the previous year (they posted
    in it); ``new_engager_share`` is missing for the others, whose engagers that year
    were never looked for. None: every nominee was.
    """
    count = len(graph.nominees)
    nominee, engager = engager_pairs(graph)
    main = main_nodes(graph)
    own_community = np.where(main >= 0, membership[np.maximum(main, 0)] if graph.n else -1, -1)
    engagers = np.bincount(nominee, minlength=count).astype(float)
    outside = (
        np.bincount(
            nominee,
            weights=(membership[engager] != own_community[nominee]).astype(float),
            minlength=count,
        )
        if len(nominee)
        else np.zeros(count)
    )
    _, entropy, _ = _entropy_and_concentration(
        nominee, membership[engager] if len(engager) else engager, count
    )

    # Participation: every kept interaction touching a nominee's account, both directions.
    into, out_of = graph.owner[graph.target], graph.owner[graph.source]
    side_nominee = np.concatenate([into[into >= 0], out_of[out_of >= 0]])
    side_community = (
        np.concatenate([membership[graph.source[into >= 0]], membership[graph.target[out_of >= 0]]])
        if graph.n
        else np.zeros(0, dtype=np.int64)
    )
    links, _, square = _entropy_and_concentration(side_nominee, side_community, count)

    if previous_engagers is None:
        new_share = np.full(count, np.nan)
    else:
        prev = pd.DataFrame(
            {
                "nominee": _positions(graph.nominees, previous_engagers["nominee_id"]),
                "node": _positions(
                    pd.Index(graph.names, dtype=object), previous_engagers["account_id"]
                ),
            }
        )
        prev = prev[(prev["nominee"] >= 0) & (prev["node"] >= 0)]
        n = max(graph.n, 1)
        seen = isin(nominee * n + engager, prev["nominee"].to_numpy() * n + prev["node"].to_numpy())
        returning = np.bincount(nominee[seen], minlength=count).astype(float)
        seen_before = (
            np.ones(count, dtype=bool) if observed is None else np.asarray(observed, dtype=bool)
        )
        new_share = np.where(
            (engagers > 0) & seen_before,
            (engagers - returning) / np.where(engagers > 0, engagers, 1),
            np.nan,
        )

    own = own_posts.reindex(graph.nominees, fill_value=0).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "distinct_engagers_per_post": np.where(
                    own > 0, engagers / np.where(own > 0, own, 1), np.nan
                ),
                "outside_engager_share": np.where(
                    engagers > 0, outside / np.where(engagers > 0, engagers, 1), np.nan
                ),
                "participation_coefficient": np.where(links > 0, 1.0 - square, np.nan),
                "engager_community_entropy": entropy,
                "new_engager_share": new_share,
            },
            index=graph.nominees,
        )


def previous_engager_pairs(interactions: pd.DataFrame, nominee_of: pd.Series) -> pd.DataFrame:
    """(``nominee_id``, ``account_id``) of everyone who engaged with a nominee in a year's
    interactions, once each.

    ``interactions`` needs ``source_account_id`` and ``target_account_id`` (text or
    categoricals); ``nominee_of`` maps this year's nominee accounts to their nominee
    (account ids are stable across years: nominees' are platform ids, everyone else's
    keyed pseudonyms). Both columns of the result are categoricals.
    """
    (source, target), names = encode_text(
        interactions["source_account_id"], interactions["target_account_id"]
    )
    owner_code, owners = pd.factorize(pd.Series(names, dtype=object).map(nominee_of))
    count = max(len(names), 1)
    target_owner = owner_code[target] if len(target) else np.zeros(0, dtype=np.int64)
    source_owner = owner_code[source] if len(source) else np.zeros(0, dtype=np.int64)
    keep = (target_owner >= 0) & (source != target) & (source_owner != target_owner)
    keys = unique(target_owner[keep] * count + source[keep])
    return pd.DataFrame(
        {
            "nominee_id": pd.Categorical.from_codes(
                keys // count, categories=pd.Index(np.asarray(owners, dtype=object))
            ),
            "account_id": pd.Categorical.from_codes(
                keys % count, categories=pd.Index(names, dtype=object)
            ),
        }
    )


def _positions(index: pd.Index, values: pd.Series) -> np.ndarray:
    """``index.get_indexer(values)``, through the categories when ``values`` is categorical."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        found = index.get_indexer(values.cat.categories)
        return (
            np.where(codes >= 0, found[np.maximum(codes, 0)], -1)
            if len(found)
            else np.full(len(codes), -1)
        )
    return index.get_indexer(values)
