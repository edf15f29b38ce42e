"""What the panel might look at again: where its picks and the evidence part ways.

- :func:`disagreements`: the selected nominees the evidence backs least, and the
  unselected it backs most;
- :func:`category_consistency`: selections per nominee category against what the model
  expects, with bootstrap intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def disagreements(
    current: pd.DataFrame, scores: pd.DataFrame, *, n: int = 10, label: str = "selected"
) -> pd.DataFrame:
    """The selected nominees the evidence backs least and the unselected it backs most."""
    merged = current[["nominee_id", "name", "category", label]].merge(scores, on="nominee_id")
    backed_least = (
        merged[merged[label]]
        .nsmallest(n, "score")
        .assign(review="selected, least backed by the evidence")
    )
    backed_most = (
        merged[~merged[label]]
        .nlargest(n, "score")
        .assign(review="not selected, most backed by the evidence")
    )
    return pd.concat([backed_least, backed_most], ignore_index=True)


def category_consistency(
    current: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    seed: int = 0,
    label: str = "selected",
    n_boot: int = 1000,
) -> pd.DataFrame:
    """Selections per category against what the model expects, with a bootstrap interval.

    Expected = the sum of the model's probabilities in the category. A ratio of selected
    to expected well above 1 (interval above 1) means the panel picked that category more
    often than its evidence predicts.
    """
    merged = current[["nominee_id", "category", label]].merge(
        scores[["nominee_id", "score"]], on="nominee_id"
    )
    rng = np.random.default_rng(seed)
    rows = []
    for category, group in merged.groupby("category", sort=True):
        selected, expected = int(group[label].sum()), float(group["score"].sum())
        samples = rng.integers(0, len(group), size=(n_boot, len(group)))
        s = group[label].to_numpy()[samples].sum(axis=1)
        e = group["score"].to_numpy()[samples].sum(axis=1)
        ratio = np.divide(s, e, out=np.full(n_boot, np.nan), where=e > 0)
        rows.append(
            {
                "category": category,
                "nominees": len(group),
                "selected": selected,
                "expected": expected,
                "ratio": selected / expected if expected > 0 else np.nan,
                "ratio_low": float(np.nanquantile(ratio, 0.025)),
                "ratio_high": float(np.nanquantile(ratio, 0.975)),
            }
        )
    return pd.DataFrame(rows)
