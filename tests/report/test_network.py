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


def test_communities_are_named_by_what_their_nominees_have_in_common() -> None:
    import pandas as pd

    from src.report.network import community_names

    nominees = pd.DataFrame(
        {
            "nominee_id": ["a", "b", "c", "d", "e"],
            "name": ["A", "B", "C", "D", "E"],
            "category": ["nurse", "nurse", "doctor", "nurse", "nurse"],
            "community": [1, 1, 1, 2, 2],
            "received": [5, 1, 1, 3, 2],
        }
    )
    communities = pd.DataFrame({"community": [1, 2]})
    hashtags = pd.DataFrame(
        {
            "nominee_id": ["a", "b", "d", "e", "a"],
            "hashtag": ["nursechat", "nursechat", "winter", "winter", "nhs"],
            "posts": [4, 3, 5, 4, 1],
        }
    )
    names = community_names(nominees, communities, hashtags)
    # both are mostly nurses: their most distinctive hashtags tell them apart
    assert names == {1: "mostly nurses (#nursechat)", 2: "mostly nurses (#winter)"}
    assert community_names(nominees, communities, None) == {
        1: "mostly nurses, around A",
        2: "mostly nurses, around D",
    }
