"""One year's ingest (src.ingest.pipeline.ingest_year) on a copy of the small sample."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from src.errors import InputError
from src.ingest.pipeline import ingest_year, read_tables
from src.params import YearRun, year_run
from src.schemas import OPTIONAL_TABLES, TABLES, SchemaViolation, validate

#: Each test here takes a second or more (model fits, whole samples): not in make test-fast.
pytestmark = pytest.mark.slow

YEAR = 2024
KEY = b"k" * 32


def _copy_year(small_sample_root: Path, tmp_path: Path) -> YearRun:
    shutil.copytree(small_sample_root / "raw" / str(YEAR), tmp_path / "raw" / str(YEAR))
    return year_run(
        YEAR,
        raw_dir=tmp_path / "raw",
        processed_dir=tmp_path / "processed",
        reports_dir=tmp_path / "reports",
        require_raw=True,
    )


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _raw_people(raw_year: Path) -> tuple[set[str], set[str], set[str]]:
    """(nominee handles, other handles, other native ids) read straight from the raw files."""
    nominations = pd.read_csv(raw_year / "nominations.csv", dtype=str)
    nominee_handles = {h.lstrip("@").lower() for h in nominations["x_handle"].dropna()}
    handles: dict[str, str] = {}
    for path in (raw_year / "x").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            page = json.loads(line)
            items = page.get("data") or []
            users = list((page.get("includes") or {}).get("users") or []) + [
                i for i in items if "username" in i
            ]
            for user in users:
                handles[user["username"].lower()] = user["id"]
            for tweet in items:
                for mention in (tweet.get("entities") or {}).get("mentions") or []:
                    handles.setdefault(mention["username"].lower(), mention.get("id") or "")
    others = {h for h in handles if h not in nominee_handles}
    other_ids = {handles[h] for h in others if handles[h]}
    return nominee_handles, others, other_ids


@pytest.fixture
def ingested(small_sample_root: Path, tmp_path: Path) -> tuple[YearRun, dict]:
    run = _copy_year(small_sample_root, tmp_path)
    summary = ingest_year(run, key=KEY)
    return run, summary


def test_tables_validate_against_schemas(ingested: tuple[YearRun, dict]) -> None:
    run, summary = ingested
    tables = read_tables(run.processed)
    # The simulated sample has blogs and a metrics table, so the optional tables are there too.
    assert set(tables) == set(TABLES) | set(OPTIONAL_TABLES)
    for name, frame in tables.items():
        validate(frame, name, source=name)
        assert list(frame.columns) == list({**TABLES, **OPTIONAL_TABLES}[name].columns), name
    nominations = pd.read_csv(run.raw / "nominations.csv")
    assert summary["nominees"] == len(tables["nominees"]) == len(nominations)
    assert summary["selected"] == int(tables["nominees"]["selected"].sum())
    assert summary["nominee_accounts"] == int(tables["accounts"]["is_nominee"].sum())
    # Every nominee has at least their X account; some also Bluesky, Mastodon or a blog.
    assert tables["accounts"].loc[tables["accounts"]["is_nominee"], "nominee_id"].nunique() == len(
        nominations
    )
    assert set(tables["accounts"].loc[tables["accounts"]["is_nominee"], "platform"]) >= {
        "x",
        "blog",
    }
    assert summary["posts"] == len(tables["posts"]) > 0
    assert summary["interactions"] == len(tables["interactions"]) > 0
    assert summary["simulated"] is True
    expected = {
        str(p.relative_to(run.raw))
        for p in run.raw.rglob("*")
        if p.is_file() and p.name != "SIMULATED.md"
    }
    assert summary["files_read"] == sorted(expected)  # every file of the year folder, in order
    assert {
        "nominations.csv",
        "x/timelines.jsonl",
        "x/engagement.jsonl",
        "x/users.jsonl",
        "metrics/x_weekly.csv",
    } <= expected
    # Every nominee's account carries its nominee id; the others are pseudonyms.
    accounts = tables["accounts"]
    nominee_rows = accounts[accounts["is_nominee"]]
    x_rows = nominee_rows[nominee_rows["platform"] == "x"]
    assert sorted(x_rows["nominee_id"]) == sorted(tables["nominees"]["nominee_id"])
    assert x_rows["account_id"].str.match(r"^x:\d+$").all()
    prefixes = {
        "x": "x:",
        "bluesky": "bluesky:did:",
        "mastodon": "mastodon:",
        "blog": "blog:https://",
    }
    assert all(
        a.startswith(prefixes[p])
        for a, p in zip(nominee_rows["account_id"], nominee_rows["platform"], strict=True)
    )
    assert (
        accounts.loc[~accounts["is_nominee"], "account_id"].str.match(r"^anon:[0-9a-f]{16}$").all()
    )
    written = json.loads((run.processed / "ingest_summary.json").read_text(encoding="utf-8"))
    assert written == summary


def test_no_outsider_identity_in_processed_tables(ingested: tuple[YearRun, dict]) -> None:
    run, _ = ingested
    nominee_handles, others, other_ids = _raw_people(run.raw)
    assert len(nominee_handles) > 10 and len(others) > 10  # the check below means something
    cells: list[str] = []
    for name in (*TABLES, *OPTIONAL_TABLES):
        frame = pd.read_parquet(run.processed / f"{name}.parquet")
        for column in frame.columns:
            for value in frame[column]:
                if isinstance(value, str):
                    cells.append(value)
                elif hasattr(value, "__iter__") and not isinstance(value, (bytes, dict)):
                    cells.extend(str(v) for v in value)
    blob = "\n".join(cells).lower()
    assert any(handle in blob for handle in nominee_handles)  # nominees are kept
    leaked = sorted(h for h in others if h in blob)
    assert leaked == [], f"non-nominee handles in processed tables: {leaked[:5]}"
    leaked_ids = sorted(
        other_ids & set(re.findall(r"\d+", blob))
    )  # whole digit runs, not substrings
    assert leaked_ids == [], f"non-nominee X ids in processed tables: {leaked_ids[:5]}"


def test_rerun_gives_byte_identical_outputs(ingested: tuple[YearRun, dict]) -> None:
    run, summary = ingested
    before = _digests(run.processed)
    assert {f"{name}.parquet" for name in (*TABLES, *OPTIONAL_TABLES)} | {
        "ingest_summary.json"
    } == set(before)
    again = ingest_year(run, key=KEY)
    assert again == summary
    assert _digests(run.processed) == before


def test_missing_nominee_handle(small_sample_root: Path, tmp_path: Path) -> None:
    run = _copy_year(small_sample_root, tmp_path)
    path = run.raw / "nominations.csv"
    nominations = pd.read_csv(path, dtype=str, keep_default_na=False)
    nominee_id = nominations.loc[3, "nominee_id"]
    nominations.loc[3, "x_handle"] = "@nobody_by_this_name"
    nominations.to_csv(path, index=False)
    with pytest.raises(InputError) as info:
        ingest_year(run, key=KEY)
    message = str(info.value)
    assert "nominations.csv" in message
    assert "field 'x_handle'" in message
    assert f"nominee {nominee_id!r}" in message
    assert "@nobody_by_this_name" in message
    assert not run.processed.exists()  # nothing written on failure


def test_handle_given_to_two_nominees(small_sample_root: Path, tmp_path: Path) -> None:
    run = _copy_year(small_sample_root, tmp_path)
    path = run.raw / "nominations.csv"
    nominations = pd.read_csv(path, dtype=str, keep_default_na=False)
    nominations.loc[1, "x_handle"] = nominations.loc[0, "x_handle"].upper()
    nominations.to_csv(path, index=False)
    with pytest.raises(
        InputError, match=r"field 'x_handle': X handle @\S+ is also given for nominee"
    ):
        ingest_year(run, key=KEY)


def test_failure_leaves_previous_outputs_and_raw_unchanged(ingested: tuple[YearRun, dict]) -> None:
    run, _ = ingested
    processed_before = _digests(run.processed)
    timelines = run.raw / "x" / "timelines.jsonl"
    lines = timelines.read_bytes().count(b"\n")
    with open(timelines, "ab") as handle:
        handle.write(b'{"data": [{"id": "1", "text": "cut off mid-wri\n')
    raw_before = _digests(run.raw)
    with pytest.raises(InputError) as info:
        ingest_year(run, key=KEY)
    message = str(info.value)
    assert str(timelines) in message and f"line {lines + 1}" in message
    assert _digests(run.processed) == processed_before
    assert _digests(run.raw) == raw_before


def test_schema_violation_names_table_record_and_field(ingested: tuple[YearRun, dict]) -> None:
    run, _ = ingested
    posts = read_tables(run.processed)["posts"]
    broken = posts.copy()
    broken.loc[5, "likes"] = -3
    bad_id = broken.loc[5, "post_id"]
    with pytest.raises(SchemaViolation) as info:
        validate(broken, "posts", source="data/processed/2024/posts.parquet")
    message = str(info.value)
    assert "data/processed/2024/posts.parquet" in message
    assert "posts table" in message
    assert f"post_id={bad_id!r}" in message
    assert "field 'likes'" in message
    assert "-3" in message


def test_schema_violation_on_accounts(ingested: tuple[YearRun, dict]) -> None:
    run, _ = ingested
    accounts = read_tables(run.processed)["accounts"]
    broken = accounts.copy()
    broken.loc[0, "platform"] = "myspace"
    with pytest.raises(SchemaViolation) as info:
        validate(broken, "accounts", source="somewhere")
    message = str(info.value)
    assert "accounts table" in message
    assert f"account_id={broken.loc[0, 'account_id']!r}" in message
    assert "field 'platform'" in message


def test_missing_raw_folder(tmp_path: Path) -> None:
    run = year_run(YEAR, raw_dir=tmp_path / "raw", processed_dir=tmp_path / "processed")
    with pytest.raises(InputError, match="no raw data folder for 2024"):
        ingest_year(run, key=KEY)


def test_read_tables_before_ingest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="run the ingest step"):
        read_tables(tmp_path / "processed" / str(YEAR))
