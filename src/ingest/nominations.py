"""Nominations and the panel's decisions, as a CSV a researcher keeps.

One row per nominee and year. Required columns: ``year``, ``name``, ``category``,
``selected``. Optional: ``nominee_id`` (a stable id for the same person across years;
derived from the name when absent), ``x_handle``, ``bluesky_handle``,
``mastodon_handle``, ``blog_feed_url``, ``nominated_by`` (how many people nominated
them), ``rank`` (where the panel ranked its picks). Handles are matched to accounts
case-insensitively, with or without a leading ``@``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.schemas import CATEGORIES

REQUIRED = ("year", "name", "category", "selected")
OPTIONAL = (
    "nominee_id",
    "x_handle",
    "bluesky_handle",
    "mastodon_handle",
    "blog_feed_url",
    "nominated_by",
    "rank",
)
HANDLE_COLUMNS = ("x_handle", "bluesky_handle", "mastodon_handle")

_TRUE = {"1", "true", "yes", "y", "selected", "x"}
_FALSE = {"0", "false", "no", "n", "not selected", ""}
#: Words seen on real lists, mapped to the canonical categories of :data:`CATEGORIES`.
_CATEGORY_SYNONYMS = {
    "nursing": "nurse",
    "midwife": "nurse",
    "nurse or midwife": "nurse",
    "medic": "doctor",
    "clinician": "doctor",
    "ahp": "allied health professional",
    "allied health": "allied health professional",
    "management": "manager",
    "leader": "manager",
    "patient": "patient or carer",
    "carer": "patient or carer",
    "patient/carer": "patient or carer",
    "org": "organisation",
    "organization": "organisation",
    "trust": "organisation",
    "charity": "organisation",
    "union": "organisation",
}


def normalise_handle(value: object) -> str | None:
    """Lower-case a handle and drop a leading ``@``; blank or missing (None, NaN) means none."""
    if not isinstance(value, str):
        return None
    handle = value.strip().lstrip("@").strip().lower()
    return handle or None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def read_nominations(path: Path, year: int, rejects: Rejects | None = None) -> pd.DataFrame:
    """Read a year's nominations CSV into the ``nominees`` table.

    A bad row goes to ``rejects`` (strict by default: raise). Problems with the file as a
    whole (missing, empty, not UTF-8, a required column absent, no nominee left) always
    raise: there is nothing to analyse without the list.

    Raises:
        InputError: the file is missing, empty or not UTF-8; a required column is absent;
            a row has a bad year, category, decision, count or rank, or repeats a nominee.
            The message names the file, the row (as the line number in the file) and the
            field.
    """
    path = Path(path)
    rejects = Rejects() if rejects is None else rejects
    if not path.is_file():
        raise InputError(path, "not found: every year folder needs its nominations.csv")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not text.strip():
        raise InputError(path, "is empty: expected a header row and one row per nominee")
    reader = csv.DictReader(text.splitlines())
    header = [column.strip() for column in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise InputError(
            path,
            f"required column(s) missing: {', '.join(missing)} (found: {', '.join(header)})",
            record="header",
        )
    rows = []
    seen_ids: dict[str, int] = {}
    for raw in reader:
        # The reader skips blank lines and joins quoted line breaks, so count lines
        # as the file has them: the line on which this record ends.
        line = reader.line_num
        row = {key: (value or "").strip() for key, value in raw.items() if key is not None}
        if not any(row.values()):
            continue
        try:
            rows.append(_nominee(path, line, row, year, seen_ids))
        except InputError as error:
            rejects(error)
    if not rows:
        raise InputError(path, "has a header but no nominees")
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("int64")
    frame["nominated_by"] = pd.array(frame["nominated_by"].tolist(), dtype="Int64")
    frame["rank"] = pd.array(frame["rank"].tolist(), dtype="Int64")
    frame["selected"] = frame["selected"].astype(bool)
    return frame.sort_values("nominee_id", kind="stable").reset_index(drop=True)


def _nominee(
    path: Path, line: int, row: dict[str, str], year: int, seen_ids: dict[str, int]
) -> dict[str, object]:
    def fail(field: str, problem: str) -> InputError:
        return InputError(path, problem, record=line, field=field)

    try:
        row_year = int(row["year"])
    except ValueError:
        raise fail("year", f"expected a year, got {row['year']!r}") from None
    if row_year != year:
        raise fail("year", f"row is for {row_year} but the file is in the folder for {year}")
    name = row["name"]
    if not name:
        raise fail("name", "required field is empty")
    category = _CATEGORY_SYNONYMS.get(row["category"].lower(), row["category"].lower())
    if category not in CATEGORIES:
        raise fail(
            "category",
            f"unknown category {row['category']!r}; expected one of: {', '.join(CATEGORIES)}",
        )
    decision = row["selected"].lower()
    if decision in _TRUE:
        selected = True
    elif decision in _FALSE:
        selected = False
    else:
        raise fail("selected", f"expected yes/no (or true/false, 1/0), got {row['selected']!r}")
    counts: dict[str, int | None] = {}
    for field in ("nominated_by", "rank"):
        value = row.get(field, "")
        if value == "":
            counts[field] = None
            continue
        if not value.isdigit():
            raise fail(field, f"expected a whole number, got {value!r}")
        counts[field] = int(value)
    if counts["rank"] is not None and (counts["rank"] < 1 or not selected):
        raise fail("rank", "a rank must be 1 or more and only given to selected nominees")
    nominee_id = row.get("nominee_id") or _slug(name)
    if nominee_id in seen_ids:
        raise fail(
            "nominee_id",
            f"nominee {nominee_id!r} is listed twice (first on line {seen_ids[nominee_id]})",
        )
    seen_ids[nominee_id] = line
    handles = {column: normalise_handle(row.get(column)) for column in HANDLE_COLUMNS}
    if not any(handles.values()) and not row.get("blog_feed_url"):
        raise fail("x_handle", "a nominee needs at least one handle or blog feed to be measured")
    return {
        "nominee_id": nominee_id,
        "year": row_year,
        "name": name,
        "category": category,
        "nominated_by": counts["nominated_by"],
        "selected": selected,
        "rank": counts["rank"],
        **handles,
        "blog_feed_url": row.get("blog_feed_url") or None,
    }
