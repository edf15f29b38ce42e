"""The nominee graph: links, communities, and other accounts only counted."""

from __future__ import annotations

from src.report.network import layout, nominee_network
from tests.report.helpers import features, network_tables


def test_the_nominee_network_counts_links_and_communities() -> None:
    interactions, accounts = network_tables()
    network = nominee_network(features(), interactions, accounts)
    assert network is not None
    frame = network.nominees.set_index("nominee_id")
    # a receives from b (reply + mention to her second account), c, and the 8 pseudonymised accounts
    assert (
        frame.loc["a", "received"] == 11
        and frame.loc["a", "received_from_nominees"] == 3
        and frame.loc["a", "engagers"] == 10
    )
    links = network.links.set_index(["source", "target"])
    assert (
        links.loc[("b", "a"), "interactions"] == 2
        and links.loc[("b", "a"), "kinds"] == "1 mention, 1 reply"
    )
    assert ("a", "a") not in links.index, "links between one nominee's own accounts are dropped"
    assert network.other_accounts == 8
    placed = layout(network)
    assert (
        set(placed["nominee_id"]) == {"a", "b", "c", "d", "e", "f"}
        and placed[["x", "y"]].notna().all().all()
    )
