"""What the ingest step writes for a year, and reading it back.

Each table is written atomically as Parquet; a table the year no longer has is removed,
so none lingers from an earlier run. ``rejected.csv`` lists the quarantined records (and
is removed after a strict run); ``ingest_summary.json`` says what was read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from src.errors import InputError
from src.ingest.quarantine import REJECTED_COLUMNS, Rejects
from src.io import write_json_atomic, write_parquet_atomic, write_text_atomic
from src.schemas import OPTIONAL_TABLES, TABLES, validate

REJECTED_FILE = "rejected.csv"
SUMMARY_FILE = "ingest_summary.json"


def write_outputs(
    processed_year: Path,
    tables: dict[str, pd.DataFrame],
    summary: dict[str, Any],
    rejects: Rejects,
    *,
    quarantine: bool,
    raw_year: Path,
) -> None:
    """Write ``tables``, ``rejected.csv`` (quarantine) and the summary to ``processed_year``."""
    processed_year.mkdir(parents=True, exist_ok=True)
    for name in (*TABLES, *OPTIONAL_TABLES):
        path = processed_year / f"{name}.parquet"
        if name in tables:
            write_parquet_atomic(tables[name], path)
        elif path.exists():
            path.unlink()  # a table this year no longer has must not linger from an earlier run
    rejected_path = processed_year / REJECTED_FILE
    if quarantine:
        write_text_atomic(rejects.frame(str(raw_year)).to_csv(index=False), rejected_path)
    elif rejected_path.exists():
        rejected_path.unlink()
    write_json_atomic(summary, processed_year / SUMMARY_FILE)


def read_tables(processed_year: Path) -> dict[str, pd.DataFrame]:
    """Read a year's canonical tables back, checked against their schemas.

    The optional tables (``blog_posts``, ``blog_feeds``, ``account_metrics``) are included
    when the year has them.
    """
    tables = {}
    for name in (*TABLES, *OPTIONAL_TABLES):
        path = Path(processed_year) / f"{name}.parquet"
        if not path.exists():
            if name in OPTIONAL_TABLES:
                continue
            raise InputError(
                path,
                "not found: run the ingest step (notebooks/01_ingest.ipynb) for this year first",
            )
        frame = pd.read_parquet(path)
        for column in ("hashtags", "mentions", "urls", "categories"):
            if column in frame.columns:
                frame[column] = pd.Series(
                    [list(v) if v is not None else [] for v in frame[column]],
                    index=frame.index,
                    dtype=object,
                )
        tables[name] = validate(frame, name, source=str(path))
    return tables


def read_rejected(processed_year: Path) -> pd.DataFrame:
    """The records quarantined for a year (empty when the ingest ran strict)."""
    path = Path(processed_year) / REJECTED_FILE
    return (
        pd.read_csv(path, dtype=str, keep_default_na=False)
        if path.exists()
        else pd.DataFrame(columns=REJECTED_COLUMNS)
    )
