"""Figures: labels from the data are plain text; axes in plain numbers; capped values
labelled; charts with nothing to draw are not drawn."""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.report.figures import (
    figure_html,
    interval_chart,
    plain_number,
    volume_effect_chart,
    volume_vs_engagement,
)
from tests.report.helpers import features


def test_figure_labels_with_dollar_signs_are_plain_text() -> None:
    html = figure_html(
        interval_chart(
            ["Fin Costs $5 and $x^", "\\frac{"], [1, 2], [0, 1], [2, 3], xlabel="x", title="t"
        ),
        "alt text",
    )
    assert html.startswith("<figure><img")


def test_axes_read_in_plain_numbers_never_powers_of_ten() -> None:
    assert [plain_number(v) for v in (0.01, 0.1, 1, 10, 100, 1000, 0.5, 0)] == [
        "0.01",
        "0.1",
        "1",
        "10",
        "100",
        "1,000",
        "0.5",
        "0",
    ]
    figure = volume_vs_engagement(features(), 2014)
    assert figure is not None
    figure.canvas.draw()
    ticks = [
        t.get_text() for ax in figure.axes for t in ax.get_xticklabels() + ax.get_yticklabels()
    ]
    assert ticks and not any("^" in t or "10^" in t or "$" in t for t in ticks), ticks
    assert "Posts per day (log scale)" in figure.axes[0].get_xlabel()


def test_a_capped_interval_is_labelled_with_its_true_value() -> None:
    figure = interval_chart(
        ["doctor", "nurse"], [2.0, 0.8], [1.2, 0.2], [30.0, 2.5], xlabel="x", title="t",
        reference=1.0, xlim=(0.0, 4.0),
    )  # fmt: skip
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert texts == ["to 30"], texts


def test_charts_with_nothing_to_draw_are_not_drawn() -> None:
    frame = features().assign(applause_rate=0.0, amplification_rate=0.0, conversation_rate=0.0)
    assert volume_vs_engagement(frame, 2014) is None
    assert volume_vs_engagement(frame.assign(posts_per_day=np.nan), 2014) is None
    effect = pd.DataFrame({"posts_per_day": [0.0, 1.0], "probability": [0.2, 0.3]})
    assert figure_html(volume_effect_chart(effect, "posts_per_day", 2014), "a").startswith(
        "<figure>"
    )
