"""Figures for the reports, embedded as PNG data with alt text (no external files)."""

from __future__ import annotations

import base64
import io
from typing import cast

import matplotlib

matplotlib.use("Agg")  # reports are rendered headless; never open a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from src.report.format import mpl_text  # noqa: E402
from src.report.html import esc  # noqa: E402

SELECTED_COLOUR = "#005EB8"  # NHS blue
OTHER_COLOUR = "#768692"  # NHS mid grey


def engagement_per_own_post(features: pd.DataFrame) -> pd.Series:
    """Reposts + replies + likes received per own post (sum of Kaushik's three rates)."""
    return features[["amplification_rate", "conversation_rate", "applause_rate"]].sum(
        axis=1, min_count=1
    )


def volume_vs_engagement(features: pd.DataFrame, year: int) -> Figure:
    """Scatter of posts per day against engagement per own post, selected nominees marked.

    Both axes are log scales: volume and engagement are heavy-tailed. Nominees with no
    own posts have no engagement rate and are left out (the caption says how many).
    """
    x = features["posts_per_day"].astype(float)
    y = engagement_per_own_post(features).astype(float)
    # log scales need positive values: show zeros at the floor of the axis
    floor_x = max(float(x[x > 0].min()) / 2 if (x > 0).any() else 0.01, 1e-3)
    floor_y = max(float(y[y > 0].min()) / 2 if (y > 0).any() else 0.01, 1e-3)
    shown = y.notna()
    selected = features["selected"].astype(bool)
    fig, ax = plt.subplots(figsize=(7.5, 5.0), dpi=110)
    for mask, colour, label, marker, size in (
        (shown & ~selected, OTHER_COLOUR, "not selected", "o", 22),
        (shown & selected, SELECTED_COLOUR, "selected by the panel", "D", 34),
    ):
        ax.scatter(
            np.maximum(x[mask], floor_x),
            np.maximum(y[mask], floor_y),
            s=size,
            c=colour,
            marker=marker,
            alpha=0.8,
            label=f"{label} ({int(mask.sum())})",
            edgecolors="white",
            linewidths=0.4,
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Posts per day (volume, log scale)")
    ax.set_ylabel("Reposts, replies and likes per own post (log scale)")
    ax.set_title(f"{year}: volume against engagement")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="best", frameon=False)
    fig.tight_layout()
    return fig


def _compact_png(data: bytes) -> bytes:
    """The PNG with at most 256 colours (octree, no dithering): a third of the bytes or less
    for charts, which have few colours; the original if that is not smaller."""
    try:
        from PIL import Image

        image = (
            Image.open(io.BytesIO(data))
            .convert("RGB")
            .quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        )
        # octree buckets average their colours: keep the page's white background white
        palette = image.getpalette() or []
        for i in range(0, len(palette) - 2, 3):
            if min(palette[i : i + 3]) >= 246:
                palette[i : i + 3] = [255, 255, 255]
        image.putpalette(palette)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
    except (
        Exception
    ):  # pragma: no cover - Pillow comes with matplotlib; never lose a figure over size
        return data
    return out.getvalue() if len(out.getvalue()) < len(data) else data


def figure_html(fig: Figure, alt: str, caption: str | None = None) -> str:
    """The figure as an inline PNG ``<img>`` with alt text, inside a ``<figure>``; closes it."""
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", metadata={"Software": None})
    finally:
        plt.close(fig)
    data = base64.b64encode(_compact_png(buffer.getvalue())).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="data:image/png;base64,{data}" alt="{esc(alt)}">{cap}</figure>'


#: Colours for communities in the network figure (NHS palette), then grey for the rest.
COMMUNITY_COLOURS = (
    "#005EB8",
    "#ED8B00",
    "#009639",
    "#7C2855",
    "#00A9CE",
    "#AE2573",
    "#FFB81C",
    "#330072",
)


def _interval_errors(mean: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Error-bar lengths below and above ``mean`` (never negative; missing ends draw no bar)."""
    below = np.nan_to_num(np.clip(mean - low, 0, None), nan=0.0)
    above = np.nan_to_num(np.clip(high - mean, 0, None), nan=0.0)
    return np.vstack([below, above])


def interval_chart(
    labels: list[str],
    mean,
    low,
    high,
    *,
    xlabel: str,
    title: str,
    reference: float | None = 0.0,
    highlight=None,
    xlim: tuple[float, float] | None = None,
) -> Figure:
    """Horizontal dot-and-interval chart (forest plot), first label at the top.

    ``highlight`` (booleans) draws those rows in NHS blue and the others grey; values
    beyond ``xlim`` are drawn at its edge with an arrow-head marker.
    """
    mean, low, high = (np.asarray(v, dtype=float) for v in (mean, low, high))
    n = len(labels)
    colours = [
        SELECTED_COLOUR if (highlight is None or h) else OTHER_COLOUR
        for h in (highlight if highlight is not None else [True] * n)
    ]
    fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.32 * max(n, 1)), dpi=110)
    y = np.arange(n)[::-1]
    shown_mean, shown_low, shown_high = mean.copy(), low.copy(), high.copy()
    if xlim is not None:
        shown_mean, shown_low, shown_high = (
            np.clip(v, xlim[0], xlim[1]) for v in (mean, low, high)
        )
    errors = _interval_errors(shown_mean, shown_low, shown_high)
    for i in range(n):
        ax.errorbar(
            shown_mean[i],
            y[i],
            xerr=errors[:, i : i + 1],
            fmt="o",
            color=colours[i],
            ecolor=colours[i],
            elinewidth=2,
            capsize=3,
            markersize=6,
        )
        if xlim is not None and np.isfinite(high[i]) and high[i] > xlim[1]:
            ax.plot([xlim[1]], [y[i]], marker=">", color=colours[i], markersize=7)
    if reference is not None:
        ax.axvline(reference, color="#425563", linewidth=1, linestyle="--")
    ax.set_yticks(y)
    ax.set_yticklabels([mpl_text(label) for label in labels])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    if xlim is not None:
        ax.set_xlim(xlim[0], xlim[1] * 1.04)
    ax.grid(True, axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def volume_effect_chart(
    effect: pd.DataFrame, column: str, year: int, low: str | None = None, high: str | None = None
) -> Figure:
    """The average predicted probability of selection as volume alone varies (log axis)."""
    frame = effect.sort_values(column)
    x = frame[column].astype(float).to_numpy()
    y = frame["probability"].astype(float).to_numpy() * 100
    fig, ax = plt.subplots(figsize=(7.5, 4.2), dpi=110)
    if low and high:
        ax.fill_between(
            x,
            frame[low].astype(float) * 100,
            frame[high].astype(float) * 100,
            color=SELECTED_COLOUR,
            alpha=0.15,
            linewidth=0,
            label="95% interval",
        )
    ax.plot(
        x,
        y,
        color=SELECTED_COLOUR,
        marker="o",
        linewidth=2,
        label="average probability of selection",
    )
    if (x > 0).all():
        ax.set_xscale("log")
    ax.set_xlabel("Posts per day (volume" + (", log scale)" if (x > 0).all() else ")"))
    ax.set_ylabel("Probability of selection (%)")
    top = max(
        float(np.nanmax(y)) if len(y) else 0.0, float(np.nanmax(frame[high])) * 100 if high else 0.0
    )
    ax.set_ylim(0, max(10.0, top * 1.15))
    ax.set_title(f"{year}: selection odds against volume, influence held fixed")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", frameon=False)
    fig.tight_layout()
    return fig


def network_chart(
    nodes: pd.DataFrame, links: pd.DataFrame, year: int, *, labelled: int = 5
) -> Figure:
    """Nominees grouped by community (:func:`src.report.network.layout`), linked where one
    engaged with the other.

    ``nodes`` needs nominee_id, name, x, y, community, received, selected; ``links``
    source, target, interactions. Dot area follows the interactions a nominee received
    from all accounts; colour is the community; the selected are diamonds with a dark
    edge. Only nominees are drawn; the ``labelled`` who received most are named.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    where = nodes.set_index("nominee_id")[["x", "y"]]
    fig, ax = plt.subplots(figsize=(7.5, 6.5), dpi=110)
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
    colour = np.array(
        [
            COMMUNITY_COLOURS[int(c) - 1]
            if pd.notna(c) and int(c) <= len(COMMUNITY_COLOURS)
            else "#aeb7bd"
            for c in communities
        ],
        dtype=object,
    )
    size = 12 + 10 * np.sqrt(nodes["received"].to_numpy(dtype=float))
    selected = nodes["selected"].astype(bool).to_numpy()
    for mask, marker, edge, width in (
        (~selected, "o", "white", 0.5),
        (selected, "D", "#231f20", 1.3),
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
    shown = sorted({int(c) for c in communities.dropna() if int(c) <= len(COMMUNITY_COLOURS)})
    handles = [
        Line2D(
            [],
            [],
            marker="D",
            linestyle="",
            markerfacecolor="white",
            markeredgecolor="#231f20",
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
            markerfacecolor=COMMUNITY_COLOURS[c - 1],
            markeredgecolor="none",
            label=f"community {c}",
        )
        for c in shown
    ]
    if any(pd.isna(c) or int(c) > len(COMMUNITY_COLOURS) for c in communities):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor="#aeb7bd",
                markeredgecolor="none",
                label="other communities",
            )
        )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=4,
        frameon=False,
        fontsize=8,
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
                fontsize=8,
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
                fontsize=8,
                zorder=3,
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85),
            )
            box = label.get_window_extent(renderer)
        taken.append(box)
    return fig
