"""Figures: labels from the data are plain text; charts draw from edge cases."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src.report.figures import figure_html, interval_chart, network_chart
from tests.report.helpers import HOSTILE


def test_figure_labels_with_dollar_signs_are_plain_text() -> None:
    html = figure_html(
        interval_chart(
            ["Fin Costs $5 and $x^", "\\frac{"], [1, 2], [0, 1], [2, 3], xlabel="x", title="t"
        ),
        "alt text",
    )
    assert html.startswith("<figure><img")


def test_network_chart_draws_without_links(tmp_path: Path) -> None:
    nodes = pd.DataFrame(
        {
            "nominee_id": ["a"],
            "name": [HOSTILE],
            "x": [0.0],
            "y": [0.0],
            "community": pd.array([1], dtype="Int64"),
            "received": [3],
            "selected": [True],
        }
    )
    assert figure_html(
        network_chart(nodes, pd.DataFrame(columns=["source", "target", "interactions"]), 2014),
        "alt",
    ).startswith("<figure>")
