"""Feature tables built for the model tests: one row per nominee-year, labels planted by hand.

- :func:`talent_table`: people nominated in several years, selected on a hidden talent that
  drives their applause rate (volume is noise);
- :func:`ranked_by_applause`: one year, the top nominees by applause rate selected;
- :func:`people` and :func:`write_year`: a year of the same people, written where the
  model step reads it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from src.features.dictionary import FEATURES


def talent_table(n_people: int = 60, years: int = 2, seed: int = 0) -> pd.DataFrame:
    """People nominated in several years; selection driven by applause rate, not volume."""
    rng = np.random.default_rng(seed)
    rows = []
    talent = rng.normal(size=n_people)
    for year in range(2023, 2023 + years):
        for person in range(n_people):
            row = {
                "nominee_id": f"P{person:03d}",
                "year": year,
                "name": f"Person {person}",
                "category": "nurse",
                "rank": pd.NA,
                "observation_days": 28,
            }
            for name, spec in FEATURES.items():
                row[name] = float(rng.lognormal(0, 1)) if spec.log_scale else float(rng.normal())
            row["applause_rate"] = float(np.exp(talent[person] + rng.normal(0, 0.3)))
            row["selected"] = bool(talent[person] + rng.normal(0, 0.5) > 0.6)
            rows.append(row)
    return pd.DataFrame(rows)


def ranked_by_applause(n: int = 100, selected: int = 25, seed: int = 7) -> pd.DataFrame:
    """Nominees whose label is decided by applause rate alone; volume is noise."""
    rng = np.random.default_rng(seed)
    table = pd.DataFrame({"nominee_id": [f"n{i:03d}" for i in range(n)]})
    for name in FEATURES:
        table[name] = (
            rng.lognormal(0.0, 1.0, n) if FEATURES[name].log_scale else rng.uniform(0, 1, n)
        )
    table["repost_share"] = rng.uniform(0, 1, n)
    order = np.argsort(-table["applause_rate"].to_numpy())
    label = np.zeros(n, dtype=bool)
    label[order[:selected]] = True
    table["selected"] = label
    table.loc[3, "conversation_rate"] = np.nan  # missing values are imputed, not fatal
    return table


def people(n: int = 40, year: int = 2024, picks: int = 10, seed: int = 0) -> pd.DataFrame:
    """A year of ``n`` nominees (the same people every year); the top ``picks`` by applause
    are selected."""
    rng = np.random.default_rng([seed, year])
    talent = np.random.default_rng(seed).normal(size=n)
    table = pd.DataFrame(
        {
            "nominee_id": [f"P{i:03d}" for i in range(n)],
            "year": year,
            "name": [f"Person {i}" for i in range(n)],
            "category": np.where(np.arange(n) % 2 == 0, "nurse", "doctor"),
            "rank": pd.array([pd.NA] * n, dtype="Int64"),
        }
    )
    for name, spec in FEATURES.items():
        table[name] = rng.lognormal(0, 1, n) if spec.log_scale else rng.normal(size=n)
    table["applause_rate"] = np.exp(talent + rng.normal(0, 0.3, n))
    selected = np.zeros(n, dtype=bool)
    selected[np.argsort(-(talent + rng.normal(0, 0.5, n)))[:picks]] = True
    table["selected"] = selected
    return table


def write_year(processed: Path, table: pd.DataFrame) -> None:
    """Write ``table`` as the features of its year under ``processed``."""
    folder = processed / str(int(table["year"].iloc[0]))
    folder.mkdir(parents=True, exist_ok=True)
    table.to_parquet(folder / "features.parquet", index=False)
