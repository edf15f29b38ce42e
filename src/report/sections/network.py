"""The network of nominees: who engaged with whom, the communities they sit in, the
strongest links, and who reaches across communities.

The graph and its communities come from :mod:`src.report.network` (the same graph and
Leiden communities as the audience features); each community is named by what its
nominees have in common, never by a number. Only nominees are named (each linked to
their evidence card): accounts that are not a nominee's are counted, never listed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.report.figures import figure_html
from src.report.format import MISSING, compact, percent, whole
from src.report.glossary import term_link
from src.report.html import paragraph, section, table
from src.report.load import YearReport, network_tables
from src.report.network import NomineeNetwork, layout, nominee_network, read_nominee_hashtags
from src.report.network_figure import network_chart
from src.report.sections.common import TITLES

#: Rows in the network tables.
TOP_LINKS = 15
TOP_BRIDGES = 15


def _median(values: pd.Series) -> str:
    """The median of ``values`` with one decimal, dropped when zero; an en dash when empty."""
    return compact(values.median()) if len(values) else MISSING


def _overview(report: YearReport, network: NomineeNetwork) -> str:
    """The graph in words, and the diagram of nominees who engaged with one another."""
    nodes, links = network.nominees, network.links
    selected = nodes["selected"].astype(bool)
    across = int(links["across"].sum()) if len(links) else 0
    in_graph = int(nodes["community"].notna().sum())
    held = len(network.communities)
    words = (
        f"The year's engagement network links {whole(network.accounts)} accounts by "
        f"{whole(network.interactions)} replies, mentions, reposts and quotes; "
        f"{whole(network.other_accounts)} of the accounts are not nominees: they are counted "
        "here but never named (they are pseudonymised). Communities (groups that engage "
        "mostly with each other, found by the Leiden method) in the whole network: "
        f"{network.community_count}; the {in_graph} "
        f"nominees who appear in the graph sit in {held} of them. Between nominees there are "
        f"{whole(len(links))} links (one nominee engaging with another), {whole(across)} of them "
        "across communities. The selected received a median of "
        f"{_median(nodes.loc[selected, 'received'])} interactions from all accounts, the others "
        f"{_median(nodes.loc[~selected, 'received'])}. "
        "A link says who engaged with whom in the exports, not who influenced whom."
    )
    body = paragraph(words) + (
        f"<p>See {term_link('community')} and {term_link('Leiden')} in the glossary.</p>"
    )
    placed = layout(network)
    if len(placed) < 2 or not len(links):
        return body + paragraph(
            "No nominee engaged with another this year, so there is no nominee network to draw."
        )
    top = placed.nlargest(5, "received")
    alt = (
        f"Network diagram of the {len(placed)} nominees who engaged with, or were engaged by, "
        f"another nominee in {report.run.year}, grouped by community, joined by {len(links)} "
        f"links ({across} across communities). Each dot is a nominee, its size the interactions "
        "received from all accounts, its colour the community; selected nominees "
        f"({int(placed['selected'].sum())} shown) are diamonds. Receiving most: "
        + "; ".join(
            f"{report.people.name(r.nominee_id, r.name)} ({int(r.received)} interactions, "
            f"{r.community_name if isinstance(r.community_name, str) else 'no community'}, "
            f"{'selected' if r.selected else 'not selected'})"
            for r in top.itertuples()
        )
        + "."
    )
    caption = (
        "Nominees who engaged with one another, grouped by community (one disc each, the "
        "community with most nominees at the top, then clockwise; the key names each by what "
        "its nominees have in common). Dot size: interactions received from all accounts; "
        "colour: community; diamonds: selected; a line: one engaged with the other. Named: the "
        f"five who received most. {int((~nodes['linked']).sum())} nominee(s) with no link to "
        "another nominee are not drawn."
    )
    placed = placed.assign(
        name=[
            report.people.name(i, n)
            for i, n in zip(placed["nominee_id"], placed["name"], strict=True)
        ]
    )
    return body + figure_html(network_chart(placed, links, report.run.year), alt, caption)


def _communities(network: NomineeNetwork) -> str:
    """The communities holding a nominee ("" when no nominee is in the graph)."""
    if not len(network.communities):
        return ""
    return '<h3 id="communities">Communities</h3>' + table(
        network.communities,
        [
            ("name", "Community (what its nominees have in common)"),
            ("nominees", "Nominees"),
            ("selected", "Selected"),
            ("accounts", "Accounts in it (all, counted)"),
            ("top_category", "Most common category"),
        ],
        caption="Communities holding a nominee, most nominees first; accounts that are not "
        "nominees are counted, never listed",
    )


def _strongest_links(report: YearReport, network: NomineeNetwork) -> str:
    """The nominee-to-nominee links with most interactions ("" without links)."""
    nodes, links = network.nominees, network.links
    if not len(links):
        return ""
    names = nodes.set_index("nominee_id")["name"]
    chosen = nodes.set_index("nominee_id")["selected"]
    community = nodes.set_index("nominee_id")["community_name"]
    strongest = links.head(TOP_LINKS).copy()

    def who(i: str) -> str:
        state = "selected" if chosen.get(i) else "not selected"
        return f"{report.people.link(i, names.get(i))} ({state})"

    strongest["from"] = [who(i) for i in strongest["source"]]
    strongest["to"] = [who(i) for i in strongest["target"]]
    strongest["where"] = [
        (f"from {community.get(a)} to {community.get(b)}" if x else f"within {community.get(a)}")
        for a, b, x in zip(
            strongest["source"], strongest["target"], strongest["across"], strict=True
        )
    ]
    return '<h3 id="strongest-links">Strongest links between nominees</h3>' + table(
        strongest,
        [
            ("from", "From (engaged)"),
            ("to", "To (engaged with)"),
            ("interactions", "Interactions"),
            ("kinds", "Of which"),
            ("where", "Communities"),
        ],
        caption=f"The {len(strongest)} nominee-to-nominee links with most interactions",
        hint="click a heading to sort",
        css_class="data links",
        sortable=True,
        html_columns=("from", "to"),
    )


def _across_communities(report: YearReport, network: NomineeNetwork) -> str:
    """The nominees with most engagers from other communities ("" when none has engagers)."""
    nodes, links = network.nominees, network.links
    reach = nodes[nodes["engagers"] > 0].copy()
    if not len(reach):
        return ""
    reach = reach.sort_values(["outside_engagers", "engagers"], ascending=False).head(TOP_BRIDGES)
    from_other = (
        links[links["across"]].groupby("target").size() if len(links) else pd.Series(dtype=int)
    )
    reach["nominees_across"] = reach["nominee_id"].map(from_other).fillna(0).astype(int)
    reach["panel"] = np.where(reach["selected"].astype(bool), "selected", "not selected")
    reach["share"] = [percent(v) for v in reach["outside_share"]]
    reach["community_text"] = [
        c if isinstance(c, str) else MISSING for c in reach["community_name"]
    ]
    reach["who"] = [
        report.people.link(i, n) for i, n in zip(reach["nominee_id"], reach["name"], strict=True)
    ]
    return (
        '<h3 id="across-communities">Who reaches across communities</h3>'
        + paragraph(
            "Nominees whose engagers come most from outside their own community (the community "
            "of their most engaged-with account): the count of such engagers, their share of all "
            "the nominee's engagers, how many communities the engagers come from, and how many "
            "nominees in other communities engaged with them."
        )
        + table(
            reach,
            [
                ("who", "Nominee"),
                ("panel", "Panel"),
                ("community_text", "Own community"),
                ("engagers", "Distinct engagers"),
                ("outside_engagers", "From other communities"),
                ("share", "Share from other communities"),
                ("communities_reached", "Communities reached"),
                ("nominees_across", "Nominees from other communities engaging"),
            ],
            caption=f"The {len(reach)} nominees with most engagers from other communities",
            hint="click a heading to sort",
            css_class="data bridges",
            sortable=True,
            sort_values={"share": "outside_share"},
            html_columns=("who",),
            column_classes={
                "outside_engagers": "screen-only",
                "nominees_across": "screen-only",
            },
        )
    )


def network_section(report: YearReport) -> str:
    """The nominee-to-nominee engagement graph, the strongest links, and who reaches across
    communities."""
    title, anchor = TITLES["network"], "network"
    interactions, accounts = network_tables(report)
    hashtags = read_nominee_hashtags(report.run.processed, accounts)
    network = nominee_network(report.features, interactions, accounts, hashtags)
    if network is None:
        return section(
            title,
            paragraph(
                f"No network can be drawn for {report.run.year}: the year's exports hold no "
                "interactions (replies, mentions, reposts, quotes) to build it from, for example "
                "when only account-level metric tables were supplied."
            ),
            anchor=anchor,
        )
    body = (
        _overview(report, network)
        + _communities(network)
        + _strongest_links(report, network)
        + _across_communities(report, network)
    )
    return section(title, body, anchor=anchor)
