"""What the features step reads from the year before, for ``new_engager_share``.

``new_engager_share`` compares this year's engagers with the previous year's. Which
files of the previous year the step reads is declared once, in the pipeline's table of
steps (:data:`src.pipeline.STEPS`: the features step's ``other_years``).
:func:`previous_year_inputs` lists them from there (the batch puts them in the step's
resume key and runs the previous year's ingest first), :func:`read_previous_year` reads
them into a :class:`PreviousYear`, which the notebook passes to
:func:`src.features.build_feature_tables` explicitly. Without a previous year the feature
is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq

from src.features.inputs import account_ids
from src.pipeline import other_year_inputs

#: The pipeline step whose other-year reads these are (:mod:`src.pipeline`).
STEP = "features"


@dataclass(frozen=True)
class PreviousYear:
    """What the features step reads from the year before, for ``new_engager_share``.

    ``interactions`` is that year's interactions table (``source_account_id`` and
    ``target_account_id`` are used); ``posting_accounts`` the accounts with at least one
    post in that year's posts table: a nominee's engagers that year were collected only
    if their accounts were (they were a nominee then and their timeline was read).
    """

    interactions: pd.DataFrame
    posting_accounts: pd.Index

    @classmethod
    def from_tables(cls, interactions: pd.DataFrame, posts: pd.DataFrame) -> PreviousYear:
        """From the previous year's canonical interactions and posts tables."""
        return cls(interactions, pd.Index(pd.unique(posts["account_id"].dropna())))


def previous_year_inputs(processed_year: Path) -> list[Path]:
    """The previous year's files that the features step of ``processed_year`` reads,
    whether they exist or not (the previous year's interactions and posts tables).

    ``processed_year`` is ``<processed_dir>/<year>``; a folder not named by a year has no
    previous year (``[]``). The files are those the step table declares
    (:func:`src.pipeline.other_year_inputs`).
    """
    folder = Path(processed_year)
    try:
        year = int(folder.name)
    except ValueError:
        return []
    return other_year_inputs(STEP, folder.parent, year)


def _previous_tables(processed_year: Path) -> dict[str, Path]:
    """The previous year's files that the step reads, by table name (the file's stem)."""
    return {path.stem: path for path in previous_year_inputs(processed_year)}


def read_previous_interactions(processed_year: Path) -> pd.DataFrame | None:
    """The previous year's processed interactions next to ``processed_dir/<year>`` (in
    full), or None when absent."""
    path = _previous_tables(processed_year).get("interactions")
    return pd.read_parquet(path) if path is not None and path.exists() else None


def read_previous_year(processed_year: Path) -> PreviousYear | None:
    """The previous year's inputs for ``processed_dir/<year>``
    (:func:`previous_year_inputs`), or None when any of them is absent.

    Reads the interactions' account columns and the posting accounts only.
    """
    tables = _previous_tables(processed_year)
    if not tables or not all(path.exists() for path in tables.values()):
        return None
    return previous_year_from_files(tables["interactions"], tables["posts"])


def previous_year_from_files(interactions_path: Path, posts_path: Path) -> PreviousYear:
    """:class:`PreviousYear` from a year's ``interactions.parquet`` and ``posts.parquet``
    (account ids as codes, the posting accounts only: a fraction of the tables' memory)."""
    table = pq.read_table(interactions_path, columns=["source_account_id", "target_account_id"])
    interactions = pd.DataFrame(
        dict(zip(table.column_names, account_ids(*table.columns), strict=True))
    )
    del table
    accounts = pc.unique(pq.read_table(posts_path, columns=["account_id"]).column("account_id"))
    return PreviousYear(interactions, pd.Index(accounts.drop_null().to_pylist(), dtype=object))
