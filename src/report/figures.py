"""Figures for the reports, embedded as PNG data with alt text (no external files)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # reports are rendered headless; never open a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from src.report.html import esc  # noqa: E402

SELECTED_COLOUR = "#005EB8"  # NHS blue
OTHER_COLOUR = "#768692"  # NHS mid grey


def engagement_per_own_post(features: pd.DataFrame) -> pd.Series:
    """Reposts + replies + likes received per own post (sum of Kaushik's three rates)."""
    return features[["amplification_rate", "conversation_rate", "applause_rate"]].sum(axis=1, min_count=1)


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
        ax.scatter(np.maximum(x[mask], floor_x), np.maximum(y[mask], floor_y), s=size, c=colour, marker=marker, alpha=0.8, label=f"{label} ({int(mask.sum())})", edgecolors="white", linewidths=0.4)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Posts per day (volume, log scale)")
    ax.set_ylabel("Reposts, replies and likes per own post (log scale)")
    ax.set_title(f"{year}: volume against engagement")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="best", frameon=False)
    fig.tight_layout()
    return fig


def figure_html(fig: Figure, alt: str, caption: str | None = None) -> str:
    """The figure as an inline PNG ``<img>`` with alt text, inside a ``<figure>``; closes it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f"<figure><img src=\"data:image/png;base64,{data}\" alt=\"{esc(alt)}\">{cap}</figure>"
