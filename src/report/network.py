"""The network of nominees for the report: who engages with whom, and who reaches across
communities.

Built from the year's canonical ``interactions`` (engager → engaged account) and the
nominee accounts in ``accounts``, with the same graph and the same Leiden communities as
the audience features (:mod:`src.features.network`, :mod:`src.features.audiences`), so
the words here agree with the feature table. Only nominees are ever named: accounts that
are not a nominee's enter as counts (how many engaged, from how many communities), never
as rows, labels or names. Only the ids, kinds and the nominee flag of accounts are read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

#: columns read from the canonical tables (no names, handles or bios of anybody)
INTERACTION_COLUMNS = ["source_account_id", "target_account_id", "kind", "post_id"]
ACCOUNT_COLUMNS = ["account_id", "is_nominee", "nominee_id"]


@dataclass(frozen=True)
class NomineeNetwork:
    """One year's nominee graph, ready for the report."""

    #: per nominee: nominee_id, name, category, selected, community (1 = the community
    #: holding most nominees; <NA> when the nominee has no interaction), received
    #: (interactions towards their accounts from anyone), received_from_nominees,
    #: engagers (distinct accounts), outside_engagers (from other communities),
    #: communities_reached (distinct communities among engagers), linked (in any
    #: nominee-to-nominee link), community_name
    nominees: pd.DataFrame
    #: nominee → nominee links: source, target (nominee ids), interactions, kinds (words),
    #: across (bool)
    links: pd.DataFrame
    #: per community holding a nominee: community, name (what its nominees have in common,
    #: :func:`community_names`), nominees, selected, accounts (all, counted), top_category
    communities: pd.DataFrame
    accounts: int  #: accounts in the interaction graph
    other_accounts: int  #: accounts in it that are not a nominee's (never named)
    interactions: int  #: interactions kept (self-loops and a nominee's own accounts dropped)
    community_count: int  #: communities found in the whole graph


def read_network_inputs(processed_year: Path) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The id columns of ``interactions`` and ``accounts`` (None where a table is absent or
    unreadable)."""
    out: list[pd.DataFrame | None] = []
    for file, columns in (
        ("interactions.parquet", INTERACTION_COLUMNS),
        ("accounts.parquet", ACCOUNT_COLUMNS),
    ):
        path = Path(processed_year) / file
        try:
            out.append(pd.read_parquet(path, columns=columns) if path.is_file() else None)
        except (OSError, ValueError, KeyError):
            out.append(None)
    return out[0], out[1]


def read_nominee_hashtags(
    processed_year: Path, accounts: pd.DataFrame | None
) -> pd.DataFrame | None:
    """Hashtags in the nominees' own posts: (nominee_id, hashtag, posts), or None without
    posts. Only nominees' posts are read (``accounts`` says which accounts are theirs)."""
    path = Path(processed_year) / "posts.parquet"
    if accounts is None or not path.is_file() or not set(ACCOUNT_COLUMNS) <= set(accounts):
        return None
    mine = accounts[accounts["is_nominee"].fillna(False).astype(bool)]
    owner = dict(zip(mine["account_id"], mine["nominee_id"].astype(str), strict=True))
    if not owner:
        return None
    try:
        posts = pd.read_parquet(
            path, columns=["account_id", "hashtags"], filters=[("account_id", "in", list(owner))]
        )
    except (OSError, ValueError, KeyError):
        return None
    tags = posts.explode("hashtags").dropna(subset=["hashtags"])
    if tags.empty:
        return pd.DataFrame(columns=["nominee_id", "hashtag", "posts"])
    tags = tags.assign(
        nominee_id=tags["account_id"].map(owner), hashtag=tags["hashtags"].astype(str).str.lower()
    )
    return tags.groupby(["nominee_id", "hashtag"]).size().rename("posts").reset_index()


#: Plural words of the nominee categories, for naming communities.
CATEGORY_PLURAL = {
    "nurse": "nurses",
    "doctor": "doctors",
    "organisation": "organisations",
    "manager": "managers",
    "allied health professional": "allied health professionals",
    "patient or carer": "patients and carers",
    "other": "others",
}
#: A hashtag names a community only when its nominees used it at least this often.
MIN_HASHTAG_POSTS = 3


def _distinctive_hashtags(members: pd.Index, hashtags: pd.DataFrame | None, n: int) -> list[str]:
    """The ``n`` hashtags most over-used by ``members`` against all nominees (each used at
    least :data:`MIN_HASHTAG_POSTS` times by them)."""
    if hashtags is None or hashtags.empty:
        return []
    overall = hashtags.groupby("hashtag")["posts"].sum()
    own = hashtags[hashtags["nominee_id"].isin(members)].groupby("hashtag")["posts"].sum()
    own = own[own >= MIN_HASHTAG_POSTS]
    if own.empty:
        return []
    lift = (own / own.sum()) / (overall[own.index] / overall.sum())
    order = sorted(own.index, key=lambda t: (-lift[t], -own[t], t))
    return ["#" + t for t in order[:n]]


def community_names(
    nominees: pd.DataFrame, communities: pd.DataFrame, hashtags: pd.DataFrame | None
) -> dict[int, str]:
    """community -> a name saying what its nominees have in common: their most common
    category ("mostly nurses" or "nurses and doctors"), then its most distinctive hashtags
    where two names would be the same, then the nominee it centres on. Never a number."""
    names: dict[int, str] = {}
    details: dict[int, list[str]] = {}
    for community in communities["community"]:
        group = nominees[nominees["community"] == community]
        counts = group["category"].dropna().astype(str).value_counts()
        if counts.empty:
            base = "nominees"
        elif counts.iloc[0] * 2 > len(group) or len(counts) == 1:
            base = "mostly " + CATEGORY_PLURAL.get(counts.index[0], counts.index[0])
        else:
            base = " and ".join(CATEGORY_PLURAL.get(c, c) for c in counts.index[:2])
        names[int(community)] = base
        top = group.sort_values(["received", "nominee_id"], ascending=[False, True])
        details[int(community)] = [
            " ".join(_distinctive_hashtags(pd.Index(group["nominee_id"]), hashtags, 2)),
            f"around {top['name'].iloc[0]}" if len(top) else "",
        ]
    for level in range(2):
        taken = pd.Series(names).value_counts()
        for community, name in list(names.items()):
            extra = details[community][level]
            if taken[name] > 1 and extra:
                names[community] = f"{name} ({extra})" if level == 0 else f"{name}, {extra}"
    return names


def _kind_names(kind: np.ndarray) -> np.ndarray:
    """Kinds of interaction as words, whether the graph holds them as words or as codes
    into :data:`src.schemas.INTERACTION_KINDS`."""
    kind = np.asarray(kind)
    if kind.dtype.kind in "iu":
        from src.schemas import INTERACTION_KINDS

        names = np.array([*INTERACTION_KINDS, "other"], dtype=object)
        return names[np.clip(kind, 0, len(INTERACTION_KINDS))]
    return kind.astype(object)


PLURAL = {"reply": "replies", "mention": "mentions", "repost": "reposts", "quote": "quotes"}


def nominee_network(
    features: pd.DataFrame,
    interactions: pd.DataFrame | None,
    accounts: pd.DataFrame | None,
    hashtags: pd.DataFrame | None = None,
) -> NomineeNetwork | None:
    """The nominee graph of a year, or None when the year has no interactions to build it from."""
    if interactions is None or accounts is None or interactions.empty or features.empty:
        return None
    if not set(INTERACTION_COLUMNS[:3]) <= set(interactions.columns) or not set(
        ACCOUNT_COLUMNS
    ) <= set(accounts.columns):
        return None
    from src.features.audiences import communities, main_nodes
    from src.features.network import build_graph, engager_pairs, undirected, undirected_igraph

    key = [c for c in INTERACTION_COLUMNS if c in interactions.columns]
    interactions = interactions[key].drop_duplicates()
    mine = accounts.loc[
        accounts["is_nominee"].fillna(False).astype(bool) & accounts["nominee_id"].notna(),
        ["account_id", "nominee_id"],
    ]
    nominee_of = pd.Series(
        mine["nominee_id"].to_numpy(), index=mine["account_id"].to_numpy(), dtype=object
    )
    index = pd.Index(sorted(features["nominee_id"].astype(str)), name="nominee_id")
    graph = build_graph(interactions, nominee_of, index)
    if graph.n == 0 or len(graph.source) == 0:
        return None
    edges, weight = undirected(graph)
    membership = communities(graph, undirected_igraph(graph, edges), weight)
    main = main_nodes(graph)
    own = np.where(main >= 0, membership[np.maximum(main, 0)], -1)

    count = len(index)
    into, out_of = graph.owner[graph.target], graph.owner[graph.source]
    received = np.bincount(into[into >= 0], minlength=count)
    between = (into >= 0) & (out_of >= 0)
    from_nominees = np.bincount(into[between], minlength=count)
    nominee, engager = engager_pairs(graph)
    engagers = np.bincount(nominee, minlength=count)
    outside = (membership[engager] != own[nominee]) if len(nominee) else np.zeros(0, dtype=bool)
    outside_engagers = np.bincount(nominee[outside], minlength=count)
    reached = (
        pd.DataFrame({"n": nominee, "c": membership[engager] if len(engager) else engager})
        .drop_duplicates()
        .groupby("n")
        .size()
    )
    communities_reached = reached.reindex(range(count), fill_value=0).to_numpy()

    # communities numbered by how many nominees they hold (1 = most), ties by their id
    held = pd.Series(own[own >= 0]).value_counts()
    order = sorted(held.index, key=lambda c: (-held[c], c))
    label_of = {c: i + 1 for i, c in enumerate(order)}
    label = pd.array([label_of.get(c) if c >= 0 else None for c in own], dtype="Int64")

    info = (
        features.assign(nominee_id=features["nominee_id"].astype(str))
        .set_index("nominee_id")
        .reindex(index)
    )
    frame = pd.DataFrame(
        {
            "nominee_id": index,
            "name": info["name"].to_numpy() if "name" in info else index,
            "category": info["category"].to_numpy() if "category" in info else None,
            "selected": info["selected"].fillna(False).astype(bool).to_numpy()
            if "selected" in info
            else False,
            "community": label,
            "received": received,
            "received_from_nominees": from_nominees,
            "engagers": engagers,
            "outside_engagers": outside_engagers,
            "communities_reached": communities_reached,
        }
    )
    frame["outside_share"] = np.where(
        frame["engagers"] > 0,
        frame["outside_engagers"] / frame["engagers"].where(frame["engagers"] > 0, 1),
        np.nan,
    )

    pairs = pd.DataFrame(
        {
            "source": index.to_numpy()[out_of[between]],
            "target": index.to_numpy()[into[between]],
            "kind": _kind_names(graph.kind[between]),
        }
    )
    if pairs.empty:
        links = pd.DataFrame(columns=["source", "target", "interactions", "kinds", "across"])
    else:
        links = (
            pairs.groupby(["source", "target"], sort=True)
            .size()
            .rename("interactions")
            .reset_index()
        )
        # the kinds of each link in words, from one count over (source, target, kind)
        by_kind = (
            pairs.groupby(["source", "target", "kind"], sort=False).size().rename("n").reset_index()
        )
        by_kind = by_kind.assign(order=-by_kind["n"]).sort_values(
            ["source", "target", "order", "kind"], kind="stable"
        )
        plural = by_kind["kind"].map(PLURAL).fillna(by_kind["kind"]).astype(object)
        by_kind["text"] = (
            by_kind["n"].astype(str)
            + " "
            + plural.where(by_kind["n"] != 1, by_kind["kind"].astype(object)).astype(str)
        )
        words = by_kind.groupby(["source", "target"], sort=False)["text"].agg(", ".join)
        links["kinds"] = (
            words.reindex(pd.MultiIndex.from_frame(links[["source", "target"]]))
            .fillna("")
            .to_numpy()
        )
        community_of = frame.set_index("nominee_id")["community"]
        cs, ct = (
            community_of.reindex(links["source"]).to_numpy(),
            community_of.reindex(links["target"]).to_numpy(),
        )
        links["across"] = [
            bool(pd.notna(a) and pd.notna(b) and a != b) for a, b in zip(cs, ct, strict=True)
        ]
        links = links.sort_values(
            ["interactions", "source", "target"], ascending=[False, True, True], ignore_index=True
        )
    frame["linked"] = frame["nominee_id"].isin(set(links["source"]) | set(links["target"]))

    # per community holding a nominee: sizes counted over every account (never listed)
    node_count = pd.Series(membership).value_counts()
    rows = []
    for c in order:
        group = frame[frame["community"] == label_of[c]]
        top = (
            group["category"].value_counts()
            if "category" in group and group["category"].notna().any()
            else pd.Series(dtype=int)
        )
        rows.append(
            {
                "community": label_of[c],
                "nominees": len(group),
                "selected": int(group["selected"].sum()),
                "accounts": int(node_count.get(c, 0)),
                "top_category": f"{top.index[0]} ({int(top.iloc[0])})" if len(top) else None,
            }
        )
    table = pd.DataFrame(
        rows, columns=["community", "nominees", "selected", "accounts", "top_category"]
    )
    names = community_names(frame, table, hashtags)
    table.insert(1, "name", table["community"].map(names))
    frame["community_name"] = frame["community"].map(names)
    return NomineeNetwork(
        nominees=frame,
        links=links,
        communities=table,
        accounts=int(graph.n),
        other_accounts=int((graph.owner < 0).sum()),
        interactions=int(len(graph.source)),
        community_count=int(len(np.unique(membership))) if len(membership) else 0,
    )


def layout(network: NomineeNetwork) -> pd.DataFrame:
    """Positions (x, y) of the linked nominees, grouped by community.

    Communities sit on a circle (community 1 at the top, then clockwise), each a disc
    whose area follows its number of nominees; inside a disc nominees lie on a sunflower
    spiral, those who received most at the centre. Deterministic (no random layout), so
    links within a community are short and links across communities span the figure.
    Nominees outside every community come last, as a group of their own.
    """
    nodes = network.nominees[network.nominees["linked"]].reset_index(drop=True)
    if nodes.empty:
        return nodes.assign(x=pd.Series(dtype=float), y=pd.Series(dtype=float))
    group = nodes["community"].astype("Int64").fillna(0).astype(int)
    labels = sorted(set(group), key=lambda g: (g == 0, g))
    k = len(labels)
    largest = max(int((group == g).sum()) for g in labels)
    room = 0.8 * math.sin(math.pi / k) if k > 1 else 1.0
    x = np.zeros(len(nodes))
    y = np.zeros(len(nodes))
    golden = math.pi * (3 - math.sqrt(5))
    for position, g in enumerate(labels):
        angle = math.pi / 2 - 2 * math.pi * position / k
        cx, cy = (math.cos(angle), math.sin(angle)) if k > 1 else (0.0, 0.0)
        members = nodes.index[group == g]
        order = (
            nodes.loc[members]
            .sort_values(["received", "nominee_id"], ascending=[False, True])
            .index
        )
        n = len(order)
        radius = room * math.sqrt(n / largest)
        for i, row in enumerate(order):
            r = radius * math.sqrt((i + 0.5) / n)
            x[row] = cx + r * math.cos(i * golden)
            y[row] = cy + r * math.sin(i * golden)
    return nodes.assign(x=x, y=y)
