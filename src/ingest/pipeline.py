"""One year's ingest: read what the raw year folder holds, validate, protect, write.

Raw folder layout (``data/raw/<year>/``)::

    nominations.csv     nominees and the panel's decisions (required)
    x/*.jsonl           X API v2 pages as twarc2 writes them: timelines or searches,
                        and user look-ups (public_metrics) of the nominees
    SIMULATED.md        present only in the bundled simulated sample

Outputs (``data/processed/<year>/``), each written atomically: ``nominees``,
``accounts``, ``posts``, ``interactions`` as Parquet, and ``ingest_summary.json`` with
what was read. The same inputs give byte-identical outputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from src.errors import InputError
from src.ingest.nominations import normalise_handle, read_nominations
from src.ingest.pseudonymise import load_or_create_key, pseudonymise_tables
from src.ingest.x_api import read_x_exports
from src.io import write_json_atomic, write_parquet_atomic
from src.params import YearRun
from src.schemas import ACCOUNTS, TABLES, validate

NOMINATIONS_FILE = "nominations.csv"
X_FOLDER = "x"


def x_export_files(raw_year: Path) -> list[Path]:
    """The X export files of a raw year folder, in a fixed order."""
    folder = raw_year / X_FOLDER
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def match_nominees(nominees: pd.DataFrame, accounts: pd.DataFrame, nominations_path: Path, export_folder: Path) -> pd.DataFrame:
    """Attach ``is_nominee`` and ``nominee_id`` to X accounts by handle (case-insensitive).

    Raises:
        InputError: a nominee's X handle is in no export of the year, or two nominees
            claim the same handle.
    """
    by_handle = {str(h).lower(): i for i, h in zip(accounts.index, accounts["handle"]) if isinstance(h, str)}
    accounts = accounts.assign(is_nominee=False, nominee_id=pd.Series([None] * len(accounts), dtype=object, index=accounts.index))
    claimed: dict[int, str] = {}
    for nominee_id, handle in zip(nominees["nominee_id"], nominees["x_handle"]):
        handle = normalise_handle(handle)
        if handle is None:
            continue
        if handle not in by_handle:
            raise InputError(
                nominations_path,
                f"X handle @{handle} is in no X export of this year (looked in {export_folder}); "
                "add the nominee's timeline and user look-up, or correct the handle",
                record=f"nominee {nominee_id!r}",
                field="x_handle",
            )
        index = by_handle[handle]
        if index in claimed:
            raise InputError(nominations_path, f"X handle @{handle} is also given for nominee {claimed[index]!r}", record=f"nominee {nominee_id!r}", field="x_handle")
        claimed[index] = nominee_id
        accounts.loc[index, "is_nominee"] = True
        accounts.loc[index, "nominee_id"] = nominee_id
    return accounts


def ingest_year(run: YearRun, key: bytes | None = None) -> dict[str, Any]:
    """Read ``run.raw``, write the canonical tables to ``run.processed``; return a summary.

    Nothing is written unless every input reads and validates: a bad file leaves the
    previous good tables in place.
    """
    if not run.raw.is_dir():
        raise InputError(run.raw, f"no raw data folder for {run.year}")
    nominations_path = run.raw / NOMINATIONS_FILE
    nominees = read_nominations(nominations_path, run.year)
    files = x_export_files(run.raw)
    if not files:
        raise InputError(run.raw / X_FOLDER, "no X exports found (expected twarc2 JSON lines files, *.jsonl)")
    x = read_x_exports(files)
    accounts = match_nominees(nominees, x.accounts, nominations_path, run.raw / X_FOLDER)
    accounts = accounts[list(ACCOUNTS.columns)]
    nominee_accounts = set(accounts.loc[accounts["is_nominee"], "account_id"])
    accounts, posts, interactions = pseudonymise_tables(
        accounts, x.posts, x.interactions, keep=nominee_accounts, key=load_or_create_key() if key is None else key
    )
    tables = {"nominees": nominees, "accounts": accounts, "posts": posts, "interactions": interactions}
    for name, frame in tables.items():
        validate(frame, name, source=str(run.raw))
    nominee_posts = posts[posts["account_id"].isin(nominee_accounts)]
    summary = {
        "year": run.year,
        "simulated": run.is_simulated,
        "raw_folder": str(run.raw),
        "files_read": [str(Path(f).relative_to(run.raw)) for f in x.files] + [NOMINATIONS_FILE],
        "x_pages": x.pages,
        "x_api_errors": x.api_errors,
        "nominees": int(len(nominees)),
        "selected": int(nominees["selected"].sum()),
        "accounts": int(len(accounts)),
        "nominee_accounts": len(nominee_accounts),
        "pseudonymised_accounts": int((~accounts["is_nominee"]).sum()),
        "posts": int(len(posts)),
        "nominee_posts": int(len(nominee_posts)),
        "interactions": int(len(interactions)),
        "first_post": nominee_posts["created_at"].min().isoformat() if len(nominee_posts) else None,
        "last_post": nominee_posts["created_at"].max().isoformat() if len(nominee_posts) else None,
        "rejected_records": 0,
    }
    run.processed.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        write_parquet_atomic(tables[name], run.processed / f"{name}.parquet")
    write_json_atomic(summary, run.processed / "ingest_summary.json")
    return summary


def read_tables(processed_year: Path) -> dict[str, pd.DataFrame]:
    """Read a year's canonical tables back, checked against their schemas."""
    tables = {}
    for name in TABLES:
        path = Path(processed_year) / f"{name}.parquet"
        if not path.exists():
            raise InputError(path, "not found: run the ingest step (notebooks/01_ingest.ipynb) for this year first")
        frame = pd.read_parquet(path)
        if name in ("posts",):
            for column in ("hashtags", "mentions", "urls"):
                frame[column] = [list(v) if v is not None else [] for v in frame[column]]
        tables[name] = validate(frame, name, source=str(path))
    return tables
