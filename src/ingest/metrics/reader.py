"""Reading a metric table: each row's account, period (or instant) and counts, checked.

:func:`read_metric_file` reads one file into rows that keep where they came from (file,
line, retrieval time); :func:`read_account_metrics` merges one file's rows into the
table (:mod:`src.ingest.metrics.merge` says how repeated rows are merged).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from src.errors import InputError, ParameterError
from src.ingest.metrics.headers import (
    COUNT_FIELDS,
    PERIOD_FIELDS,
    SNAPSHOT_FIELDS,
    Columns,
    open_table,
    platform_name,
)
from src.ingest.metrics.merge import merge_rows
from src.ingest.metrics.periods import parse_date_time, parse_period
from src.ingest.nominations import normalise_handle
from src.ingest.quarantine import Rejects
from src.schemas import ACCOUNT_METRICS, UTC_TIME

METRIC_COLUMNS = list(ACCOUNT_METRICS.columns)
_TEXT_COLUMNS = ("account_id", "platform", "handle")
_NUMBER = r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)"
_COUNT = re.compile(rf"\A{_NUMBER}\Z")
_RATE = re.compile(rf"\A{_NUMBER}(?:\.[0-9]+)?\Z")
_WHOLE = "expected a whole number ≥ 0 (thousands may be written 1,234)"


def account_id(platform: str, handle: str) -> str:
    """Canonical id of an account known only by its handle: ``<platform>:@<handle>``."""
    return f"{platform}:@{handle}"


@dataclass
class MetricRow:
    """One row as read: its ``account_metrics`` values and where it came from."""

    values: dict[str, Any]
    path: Path
    line: int
    #: when the export says the figures were retrieved (a retrieval column), else None
    retrieved: datetime | None
    #: the file's modification time: the retrieval time of last resort
    file_time: datetime

    @property
    def key(self) -> tuple[str, datetime, datetime]:
        """What a repeat of the row shares: the account and the period."""
        v = self.values
        return (v["account_id"], v["period_start"], v["period_end"])

    def where(self) -> str:
        """``<file name>, line <n>``, for messages."""
        return f"{self.path.name}, line {self.line}"


@dataclass
class MetricFile:
    """One metric table as read: its rows and what its header said."""

    path: Path
    rows: list[MetricRow] = dataclass_field(default_factory=list)
    columns: Columns | None = None  #: None when the file could not be opened


def account_metrics_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Metric rows with the dtypes of :data:`src.schemas.ACCOUNT_METRICS`, sorted by account,
    period start and end."""
    frame = pd.DataFrame(list(rows), columns=METRIC_COLUMNS)
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).astype(UTC_TIME)
    for column in (*SNAPSHOT_FIELDS, *PERIOD_FIELDS):
        dtype = "Float64" if column in PERIOD_FIELDS else "Int64"
        frame[column] = pd.array(
            [
                None if pd.isna(v) else (float(v) if dtype == "Float64" else int(v))
                for v in frame[column]
            ],
            dtype=dtype,
        )
    for column in _TEXT_COLUMNS:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    if frame.empty:
        # pandera checks an empty object column against ``str`` by dtype alone, and under
        # pandas 3 that is the ``str`` dtype; a non-empty one is checked by its values.
        frame = frame.astype({column: "str" for column in _TEXT_COLUMNS})
    return frame.sort_values(
        ["account_id", "period_start", "period_end"], kind="stable"
    ).reset_index(drop=True)


def _default_platform(platform_default: object) -> str:
    default = platform_name(platform_default) if isinstance(platform_default, str) else None
    if default is None:
        raise ParameterError(
            "platform_default must be one of x, bluesky, mastodon (or twitter, bsky), "
            f"got {platform_default!r}"
        )
    return default


def read_metric_file(
    path: Path, platform_default: str = "x", rejects: Rejects | None = None
) -> MetricFile:
    """The rows of one metric table, checked, each with its file, line and retrieval time.

    A file-level problem goes to ``rejects`` and gives a :class:`MetricFile` without rows
    or columns; a bad row goes to ``rejects`` alone. Repeated rows are kept here (see
    :mod:`src.ingest.metrics.merge`).
    """
    path = Path(path)
    rejects = Rejects() if rejects is None else rejects
    default = _default_platform(platform_default)
    try:
        reader, columns = open_table(path)
    except InputError as error:
        rejects(error)
        return MetricFile(path)
    file_time = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    result = MetricFile(path, columns=columns)
    rejected_before = len(rejects)
    try:
        for values in reader:
            line = reader.line_num  # the line on which the record ends, as the file counts them
            if not any(value.strip() for value in values):
                continue
            try:
                row, retrieved = read_row(path, line, values, columns, default, file_time)
            except InputError as error:
                rejects(error)
                continue
            result.rows.append(MetricRow(row, path, line, retrieved, file_time))
    except csv.Error as exc:
        rejects(InputError(path, f"is not readable CSV ({exc})", record=reader.line_num))
    if not result.rows and len(rejects) == rejected_before:
        rejects(InputError(path, "has a header but no rows"))
    return result


def read_account_metrics(
    path: Path, platform_default: str = "x", rejects: Rejects | None = None
) -> pd.DataFrame:
    """Read one social-listening export into the ``account_metrics`` table.

    Args:
        path: the CSV file.
        platform_default: the platform of rows without one (the tool exported one network).
        rejects: what to do with a bad file or row (default: strict, raise). In
            quarantine mode a file-level problem skips the file (an empty table comes
            back) and a bad row is skipped alone; two rows for the same account and
            period that differ, with nothing to tell which is later, are both skipped.

    Raises:
        InputError: (strict) the file is missing, empty or not UTF-8, its header lacks a
            required column or names a field twice, a row has a bad handle, platform,
            date, period or count, or repeats an account and period with other values
            and no later retrieval time. The message names the file, the line (as in the
            file) and the column as the header writes it.
        ParameterError: ``platform_default`` is not a platform.
    """
    rejects = Rejects() if rejects is None else rejects
    table = read_metric_file(path, platform_default, rejects)
    rows, _ = merge_rows(table.rows, rejects)
    return account_metrics_frame(rows)


def _fail(path: Path, line: int, columns: Columns, field: str, problem: str) -> InputError:
    return InputError(path, problem, record=line, field=columns.name(field))


def _row_times(
    path: Path, line: int, values: list[str], columns: Columns, file_time: datetime
) -> tuple[datetime, datetime, datetime | None]:
    """The row's period ``[start, end)`` (an instant for a snapshot) and retrieval time."""

    def fail(field: str, problem: str) -> InputError:
        return _fail(path, line, columns, field, problem)

    retrieved = None
    raw_retrieved = columns.value(values, "retrieved_at")
    if raw_retrieved is not None:
        try:
            retrieved, _ = parse_date_time(raw_retrieved)
        except ValueError as exc:
            raise fail("retrieved_at", str(exc)) from None
    if columns.snapshots:
        if columns.time_field is None:
            return file_time, file_time, retrieved
        raw = columns.value(values, columns.time_field)
        if raw is None:
            raise fail(columns.time_field, "required field is empty: the snapshot needs its date")
        try:
            instant, _ = parse_date_time(raw)
        except ValueError as exc:
            raise fail(columns.time_field, str(exc)) from None
        return instant, instant, retrieved

    period = None
    raw_period = columns.value(values, "period")
    if raw_period is not None:
        try:
            period = parse_period(raw_period)
        except ValueError as exc:
            raise fail("period", str(exc)) from None
    raw_start = columns.value(values, "period_start")
    if raw_start is not None:
        try:
            start, _ = parse_date_time(raw_start)
        except ValueError as exc:
            raise fail("period_start", str(exc)) from None
        if period is not None and start != period[0]:
            raise fail(
                "period_start",
                f"{raw_start!r} is not the start of period {raw_period!r} ({period[0]:%Y-%m-%d})",
            )
    elif period is not None:
        start = period[0]
    else:
        field = "period_start" if "period_start" in columns.index else "period"
        raise fail(field, "required field is empty: the row needs its period start")
    raw_end = columns.value(values, "period_end")
    if raw_end is not None:
        try:
            end, date_only = parse_date_time(raw_end)
        except ValueError as exc:
            raise fail("period_end", str(exc)) from None
        if date_only:
            end += timedelta(days=1)  # the last day included → the exclusive end
        if period is not None and end != period[1]:
            raise fail(
                "period_end",
                f"{raw_end!r} is not the end of period {raw_period!r} "
                f"(last day {period[1] - timedelta(days=1):%Y-%m-%d})",
            )
    elif period is not None:
        end = period[1]
    else:
        field = "period_end" if "period_end" in columns.index else "period"
        raise fail(
            field,
            "required field is empty: the row needs its period end (or a period such as "
            "2014-05 or 2014-W18)",
        )
    if end <= start:
        field = "period_end" if raw_end is not None else "period"
        raise fail(
            field,
            f"the period ends ({end:%Y-%m-%d %H:%M}, exclusive) before it starts "
            f"({start:%Y-%m-%d %H:%M})",
        )
    return start, end, retrieved


def _count(
    path: Path, line: int, columns: Columns, field: str, raw: str, days: float
) -> float | int:
    """A count cell: a whole number, or for a per-day average the average times ``days``."""
    if field in columns.rates:
        if not _RATE.match(raw):
            raise _fail(
                path,
                line,
                columns,
                field,
                f"expected a per-day average ≥ 0 written with a decimal point (e.g. 3.25), "
                f"got {raw!r}",
            )
        return float(raw.replace(",", "")) * days
    if _COUNT.match(raw):
        return int(raw.replace(",", ""))
    hint = ""
    if field in PERIOD_FIELDS and _RATE.match(raw):
        hint = (
            f": if {columns.name(field)!r} is a per-day average, name the column "
            f"'{field.replace('_', ' ')} per day' (or 'avg daily {field.replace('_', ' ')}') "
            "so it is read as one, or multiply it by the period's days to give the count"
        )
    raise _fail(path, line, columns, field, f"{_WHOLE}, got {raw!r}{hint}")


def read_row(
    path: Path,
    line: int,
    values: list[str],
    columns: Columns,
    default: str,
    file_time: datetime,
) -> tuple[dict[str, Any], datetime | None]:
    """The ``account_metrics`` row of one CSV record and its retrieval time, or an error
    naming line and column."""
    if len(values) != len(columns.header):
        raise InputError(
            path, f"has {len(values)} fields but the header has {len(columns.header)}", record=line
        )
    raw_handle = columns.value(values, "handle")
    handle = normalise_handle(raw_handle)
    if handle is None:
        raise _fail(path, line, columns, "handle", "required field is empty")
    if any(ch.isspace() for ch in handle) or "," in handle:
        raise _fail(
            path,
            line,
            columns,
            "handle",
            f"{raw_handle!r} is not a handle (it holds spaces or commas; is it a display name?)",
        )
    platform = default
    raw_platform = columns.value(values, "platform")
    if raw_platform is not None:
        named = platform_name(raw_platform)
        if named is None:
            raise _fail(
                path,
                line,
                columns,
                "platform",
                f"unknown platform {raw_platform!r}; expected X (Twitter), Bluesky or Mastodon",
            )
        platform = named
    start, end, retrieved = _row_times(path, line, values, columns, file_time)
    days = (end - start).total_seconds() / 86400
    counts: dict[str, float | int | None] = {}
    for field in (*COUNT_FIELDS, "posts_total"):
        raw = columns.value(values, field)
        counts[field] = None if raw is None else _count(path, line, columns, field, raw, days)
    return {
        "account_id": account_id(platform, handle),
        "platform": platform,
        "handle": handle,
        "period_start": start,
        "period_end": end,
        **counts,
    }, retrieved
