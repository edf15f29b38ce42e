"""The network figure: draws without links; communities named in its key, never numbered."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src.report.figures import figure_html
from src.report.network_figure import network_chart
from tests.report.helpers import HOSTILE


def nodes(**extra: object) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nominee_id": ["a", "b"],
            "name": [HOSTILE, "Bea"],
            "x": [0.0, 1.0],
            "y": [0.0, 1.0],
            "community": pd.array([1, 2], dtype="Int64"),
            "received": [3, 1],
            "selected": [True, False],
            **extra,
        }
    )


def test_network_chart_draws_without_links(tmp_path: Path) -> None:
    assert figure_html(
        network_chart(nodes(), pd.DataFrame(columns=["source", "target", "interactions"]), 2014),
        "alt",
    ).startswith("<figure>")


def test_the_key_names_communities_by_what_they_have_in_common() -> None:
    figure = network_chart(
        nodes(community_name=["mostly nurses", "doctors and managers"]),
        pd.DataFrame({"source": ["a"], "target": ["b"], "interactions": [2]}),
        2014,
    )
    legend = figure.axes[0].get_legend()
    assert legend is not None
    key = [t.get_text() for t in legend.get_texts()]
    assert "mostly nurses" in key and "doctors and managers" in key
    assert not any(text.startswith("community ") for text in key)
