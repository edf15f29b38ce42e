"""The network figure: nominees who engaged with one another, grouped by community.

Drawn in the reports' chart style (:func:`src.report.figures.styled`); communities are
coloured from the colour-blind-safe group palette (:mod:`src.report.palette`) and named
in the legend by what their nominees have in common (:func:`src.report.network.community_names`),
never by number.
"""

from __future__ import annotations

from typing import cast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from src.report.figures import WIDTH, styled
from src.report.format import mpl_text
from src.report.palette import DARK, REST_COLOUR, group_colour

#: Communities given a colour of their own (the rest share a light grey).
COLOURED = 7


def network_chart(
    nodes: pd.DataFrame, links: pd.DataFrame, year: int, *, labelled: int = 5
) -> Figure:
    """Nominees grouped by community (:func:`src.report.network.layout`), linked where one
    engaged with the other.

    ``nodes`` needs nominee_id, name, x, y, community, received, selected, and may have
    community_name (else communities are "community 1", ...); ``links`` source, target,
    interactions. Dot area follows the interactions a nominee received
    from all accounts; colour is the community; the selected are diamonds with a dark
    edge. Only nominees are drawn; the ``labelled`` who received most are named.
    """
    with styled():
        return _network_chart(nodes, links, year, labelled)


def _network_chart(nodes: pd.DataFrame, links: pd.DataFrame, year: int, labelled: int) -> Figure:
    """:func:`network_chart`, drawn inside the reports' chart style."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    where = nodes.set_index("nominee_id")[["x", "y"]]
    fig, ax = plt.subplots(figsize=(WIDTH, 7.0), dpi=110)
    if not links.empty:
        a = where.reindex(links["source"]).to_numpy()
        b = where.reindex(links["target"]).to_numpy()
        ok = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
        widths = 0.4 + 0.6 * np.log1p(links["interactions"].to_numpy(dtype=float)[ok])
        ax.add_collection(
            LineCollection(
                list(np.stack([a[ok], b[ok]], axis=1)),  # one (2, 2) segment per link
                colors="#9aa5ad",
                linewidths=widths,
                alpha=0.45,
                zorder=1,
            )
        )
    communities = nodes["community"].astype("Int64")
    named = (
        nodes["community_name"]
        if "community_name" in nodes
        else communities.map(lambda c: f"community {c}" if pd.notna(c) else None)
    )
    colour = np.array(
        [
            group_colour(int(c) - 1) if pd.notna(c) and int(c) <= COLOURED else REST_COLOUR
            for c in communities
        ],
        dtype=object,
    )
    size = 12 + 10 * np.sqrt(nodes["received"].to_numpy(dtype=float))
    selected = nodes["selected"].astype(bool).to_numpy()
    for mask, marker, edge, width in (
        (~selected, "o", "white", 0.5),
        (selected, "D", DARK, 1.3),
    ):
        if mask.any():
            ax.scatter(
                nodes["x"].to_numpy()[mask],
                nodes["y"].to_numpy()[mask],
                s=size[mask],
                c=list(colour[mask]),
                marker=marker,
                edgecolors=edge,
                linewidths=width,
                alpha=0.9,
                zorder=2,
            )
    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.margins(0.06)
    shown = sorted({int(c) for c in communities.dropna() if int(c) <= COLOURED})
    name_of = {int(c): str(n) for c, n in zip(communities, named, strict=True) if pd.notna(c)}
    handles = [
        Line2D(
            [],
            [],
            marker="D",
            linestyle="",
            markerfacecolor="white",
            markeredgecolor=DARK,
            label="selected (diamond)",
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="white",
            markeredgecolor="#768692",
            label="not selected (circle)",
        ),
    ]
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor=group_colour(c - 1),
            markeredgecolor="none",
            label=mpl_text(name_of.get(c, f"community {c}")),
        )
        for c in shown
    ]
    if any(pd.isna(c) or int(c) > COLOURED for c in communities):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor=REST_COLOUR,
                markeredgecolor="none",
                label="other communities",
            )
        )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=2,
        frameon=False,
        fontsize=9,
    )
    ax.set_title(f"{year}: nominees who engaged with one another, by community")
    ax.set_axis_off()
    fig.tight_layout()
    # the equal aspect moves the axes at draw time: fix it before measuring labels
    ax.apply_aspect()
    renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()  # the backend is Agg (above)
    taken: list = []
    for row in nodes.nlargest(labelled, "received").itertuples():
        # the first of a few placements around the dot that overlaps no earlier label
        for dx, dy, ha, va in (
            (7, 7, "left", "bottom"),
            (7, -7, "left", "top"),
            (-7, 7, "right", "bottom"),
            (-7, -7, "right", "top"),
            (7, 20, "left", "bottom"),
            (7, -20, "left", "top"),
        ):
            label = ax.annotate(
                mpl_text(row.name),
                (row.x, row.y),
                xytext=(dx, dy),
                textcoords="offset points",
                fontsize=9,
                zorder=3,
                ha=ha,
                va=va,
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85),
            )
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in taken):
                break
            label.remove()
        else:
            label = ax.annotate(
                mpl_text(row.name),
                (row.x, row.y),
                xytext=(7, 7),
                textcoords="offset points",
                fontsize=9,
                zorder=3,
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85),
            )
            box = label.get_window_extent(renderer)
        taken.append(box)
    return fig
