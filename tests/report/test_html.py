"""HTML building blocks: escaping, tables and their sort values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.report.html import esc, table


def test_sort_values_put_the_number_behind_a_text_cell() -> None:
    html = table(
        pd.DataFrame({"shown": ["0.42 (0.30 to 0.55)", "x"], "value": [0.42, np.nan]}),
        [("shown", "Score")],
        sort_values={"shown": "value"},
    )
    assert (
        '<td class="num" data-sort="0.42">0.42 (0.30 to 0.55)</td>' in html
        and '<td class="num">x</td>' in html
    )


def test_esc_and_tables_handle_missing_values() -> None:
    assert esc(None) == "–" and esc(float("nan")) == "–" and esc(pd.NA) == "–"
    html = table(pd.DataFrame({"a": ["<b>"], "n": [2.5]}), [("a", "A<"), ("n", "N")])
    assert (
        "&lt;b&gt;" in html
        and "A&lt;" in html
        and '<td class="num" data-sort="2.5">2.50</td>' in html
    )
