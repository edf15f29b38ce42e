"""Figures for the reports, embedded as PNG data with alt text (no external files).

Every chart is drawn for reading at a phone's width as well as on a desk: 6.4 inches
wide with 11-point text, so that scaled to a phone (about 360 pixels) its labels stay
about 9 pixels high. Axes show plain numbers (0.1, 1, 10, 100 on a log scale, never
10⁰), every axis names its unit, and colours come from :mod:`src.report.palette`.
A chart that has nothing to draw (no positive value on a log axis, no row) is not drawn:
its builder returns None and the section says so in words.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib

matplotlib.use("Agg")  # reports are rendered headless; never open a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

from src.report.format import mpl_text  # noqa: E402
from src.report.html import esc  # noqa: E402
from src.report.palette import DARK, OTHER_COLOUR, SELECTED_COLOUR  # noqa: E402

#: Width of every chart, inches (see the module docstring).
WIDTH = 6.4
#: Matplotlib settings of every chart.
STYLE: dict[str, Any] = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "axes.edgecolor": "#425563",
    "text.color": DARK,
}


@contextmanager
def styled() -> Iterator[None]:
    """Draw inside this to get the reports' chart style."""
    with plt.rc_context(STYLE):  # type: ignore[arg-type]  # its stub lists keys as literals
        yield


def plain_number(value: float, _position: object = None) -> str:
    """A tick label in plain numbers: 0.01, 0.1, 1, 10, 100, 1,000 (never 10⁰)."""
    if value == 0 or not np.isfinite(value):
        return "0"
    if abs(value) >= 1:
        return f"{value:,.0f}"
    decimals = max(0, int(-np.floor(np.log10(abs(value)) + 1e-9)))
    return f"{value:.{decimals}f}"


def plain_log_axis(ax: Axes, which: str = "both") -> None:
    """Label a log axis in plain numbers at 1, 10, 100 (and 2 and 5 between, unlabelled)."""
    for axis in (ax.xaxis, ax.yaxis) if which == "both" else (getattr(ax, f"{which}axis"),):
        axis.set_major_locator(LogLocator(base=10))
        axis.set_major_formatter(FuncFormatter(plain_number))
        axis.set_minor_formatter(NullFormatter())


def engagement_per_own_post(features: pd.DataFrame) -> pd.Series:
    """Reposts + replies + likes received per own post (sum of Kaushik's three rates);
    missing where a nominee has none of the three (or the table lacks them)."""
    columns = [
        c for c in ("amplification_rate", "conversation_rate", "applause_rate") if c in features
    ]
    if not columns:
        return pd.Series(np.nan, index=features.index, dtype=float)
    return features[columns].astype(float).sum(axis=1, min_count=1)


def volume_vs_engagement(features: pd.DataFrame, year: int) -> Figure | None:
    """Scatter of posts per day against engagement per own post, selected nominees marked;
    None when fewer than two nominees have both figures above zero.

    Both axes are log scales (volume and engagement are heavy-tailed), so only nominees
    with both figures above zero are drawn; the caption says how many are left out.
    """
    if "posts_per_day" not in features:
        return None
    x = features["posts_per_day"].astype(float)
    y = engagement_per_own_post(features).astype(float)
    shown = (x > 0) & (y > 0)
    if int(shown.sum()) < 2:
        return None
    selected = features["selected"].fillna(False).astype(bool)
    with styled():
        fig, ax = plt.subplots(figsize=(WIDTH, 4.6), dpi=110)
        for mask, colour, label, marker, size in (
            (shown & ~selected, OTHER_COLOUR, "not selected", "o", 24),
            (shown & selected, SELECTED_COLOUR, "selected by the panel", "D", 34),
        ):
            ax.scatter(
                x[mask],
                y[mask],
                s=size,
                c=colour,
                marker=marker,
                alpha=0.85,
                label=f"{label} ({int(mask.sum())})",
                edgecolors=DARK if marker == "D" else "white",
                linewidths=0.5,
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        plain_log_axis(ax)
        ax.set_xlabel("Posts per day (log scale)")
        ax.set_ylabel("Reposts, replies and likes\nper own post (log scale)")
        ax.set_title(f"{year}: how much nominees posted against what each post earned")
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
    except Exception:  # pragma: no cover - Pillow comes with matplotlib; never lose a figure
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
    value_text: Callable[[float], str] = plain_number,
) -> Figure:
    """Horizontal dot-and-interval chart (forest plot), first label at the top.

    ``highlight`` (booleans) draws those rows in NHS blue and the others grey. A value or
    interval end beyond ``xlim`` is drawn at its edge with an arrow head and labelled with
    its true value (``value_text``), so a capped bar never hides how far it runs.
    """
    mean, low, high = (np.asarray(v, dtype=float) for v in (mean, low, high))
    n = len(labels)
    colours = [
        SELECTED_COLOUR if (highlight is None or h) else OTHER_COLOUR
        for h in (highlight if highlight is not None else [True] * n)
    ]
    with styled():
        fig, ax = plt.subplots(figsize=(WIDTH, 1.1 + 0.36 * max(n, 1)), dpi=110)
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
            beyond = max((v for v in (mean[i], high[i]) if np.isfinite(v)), default=float("nan"))
            if xlim is not None and np.isfinite(beyond) and beyond > xlim[1]:
                ax.plot([xlim[1]], [y[i]], marker=">", color=colours[i], markersize=7)
                ax.annotate(
                    f"to {value_text(beyond)}",
                    (xlim[1], y[i]),
                    xytext=(-4, 6),
                    textcoords="offset points",
                    ha="right",
                    fontsize=9,
                    color=DARK,
                )
        if reference is not None:
            ax.axvline(reference, color="#425563", linewidth=1, linestyle="--")
        ax.set_yticks(y)
        ax.set_yticklabels([mpl_text(label) for label in labels])
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        ax.xaxis.set_major_formatter(FuncFormatter(plain_number))
        if xlim is not None:
            ax.set_xlim(xlim[0], xlim[1] * 1.04)
        ax.grid(True, axis="x", alpha=0.3)
        fig.tight_layout()
    return fig


def volume_effect_chart(
    effect: pd.DataFrame, column: str, year: int, low: str | None = None, high: str | None = None
) -> Figure:
    """The average predicted probability of selection as volume alone varies (log axis
    when every level of volume is above zero)."""
    frame = effect.sort_values(column)
    x = frame[column].astype(float).to_numpy()
    y = frame["probability"].astype(float).to_numpy() * 100
    logged = bool(len(x)) and bool((x > 0).all())
    with styled():
        fig, ax = plt.subplots(figsize=(WIDTH, 4.0), dpi=110)
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
        if logged:
            ax.set_xscale("log")
            plain_log_axis(ax, "x")
        ax.set_xlabel("Posts per day" + (" (log scale)" if logged else ""))
        ax.set_ylabel("Probability of selection (%)")
        top = max(
            float(np.nanmax(y)) if len(y) else 0.0,
            float(np.nanmax(frame[high])) * 100 if high and len(frame) else 0.0,
        )
        ax.set_ylim(0, max(10.0, top * 1.15))
        ax.set_title(f"{year}: chance of selection against posting, all else held")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="best", frameon=False)
        fig.tight_layout()
    return fig
