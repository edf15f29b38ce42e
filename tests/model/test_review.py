"""What the panel might look at again (src.model.review)."""

from __future__ import annotations

import pandas as pd
import pytest

from src.model.review import category_consistency


def test_category_consistency_flags_a_favoured_category() -> None:
    current = pd.DataFrame(
        {
            "nominee_id": [f"N{i}" for i in range(40)],
            "category": ["nurse"] * 20 + ["doctor"] * 20,
            "selected": [True] * 12 + [False] * 8 + [True] * 2 + [False] * 18,
        }
    )
    scores = pd.DataFrame({"nominee_id": current["nominee_id"], "score": 0.35})
    table = category_consistency(current, scores, seed=0).set_index("category")
    assert table.loc["nurse", "selected"] == 12 and table.loc["nurse", "expected"] == pytest.approx(
        7.0
    )
    assert table.loc["nurse", "ratio_low"] > 1 > table.loc["doctor", "ratio_high"]
