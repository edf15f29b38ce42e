"""Reading a metric table: each row's account, period and counts, checked, then the table."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from src.errors import InputError, ParameterError
from src.ingest.metrics.headers import COUNT_FIELDS, Columns, open_table, platform_name
from src.ingest.metrics.periods import parse_date_time, parse_period
from src.ingest.nominations import normalise_handle
from src.ingest.quarantine import Rejects
from src.schemas import ACCOUNT_METRICS, UTC_TIME

METRIC_COLUMNS = list(ACCOUNT_METRICS.columns)
_COUNT = re.compile(r"\A(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)\Z")


def account_id(platform: str, handle: str) -> str:
    """Canonical id of an account known only by its handle: ``<platform>:@<handle>``."""
    return f"{platform}:@{handle}"


def account_metrics_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Metric rows with the dtypes of :data:`src.schemas.ACCOUNT_METRICS`, by account, period."""
    frame = pd.DataFrame(list(rows), columns=METRIC_COLUMNS)
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).astype(UTC_TIME)
    for column in COUNT_FIELDS:
        frame[column] = pd.array(
            [None if pd.isna(v) else int(v) for v in frame[column]], dtype="Int64"
        )
    for column in ("account_id", "platform", "handle"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    if frame.empty:
        # pandera checks an empty object column against ``str`` by dtype alone, and under
        # pandas 3 that is the ``str`` dtype; a non-empty one is checked by its values.
        frame = frame.astype({column: "str" for column in ("account_id", "platform", "handle")})
    return frame.sort_values(["account_id", "period_start"], kind="stable").reset_index(drop=True)


def read_account_metrics(
    path: Path, platform_default: str = "x", rejects: Rejects | None = None
) -> pd.DataFrame:
    """Read a social-listening export into the ``account_metrics`` table.

    Args:
        path: the CSV file.
        platform_default: the platform of rows without one (the tool exported one network).
        rejects: what to do with a bad file or row (default: strict, raise). In
            quarantine mode a file-level problem skips the file (an empty table comes
            back) and a bad row is skipped alone; of two rows for the same account and
            period the first is kept.

    Raises:
        InputError: (strict) the file is missing, empty or not UTF-8, its header lacks a
            required column or names a field twice, a row has a bad handle, platform,
            date, period or count, or repeats an account and period. The message names
            the file, the line (as in the file) and the column as the header writes it.
        ParameterError: ``platform_default`` is not a platform.
    """
    path = Path(path)
    rejects = Rejects() if rejects is None else rejects
    default = platform_name(platform_default) if isinstance(platform_default, str) else None
    if default is None:
        raise ParameterError(
            "platform_default must be one of x, bluesky, mastodon (or twitter, bsky), "
            f"got {platform_default!r}"
        )
    try:
        reader, columns = open_table(path)
    except InputError as error:
        rejects(error)
        return account_metrics_frame([])
    rows = []
    rejected_before = len(rejects)
    first_line: dict[tuple[str, datetime], int] = {}
    try:
        for values in reader:
            line = reader.line_num  # the line on which the record ends, as the file counts them
            if not any(value.strip() for value in values):
                continue
            try:
                row = read_row(path, line, values, columns, default)
                key = (row["account_id"], row["period_start"])
                if key in first_line:
                    raise InputError(
                        path,
                        f"{row['account_id']} already has a row for the period starting "
                        f"{row['period_start']:%Y-%m-%d %H:%M} UTC "
                        f"(line {first_line[key]})",
                        record=line,
                        field=columns.start_header,
                    )
            except InputError as error:
                rejects(error)
                continue
            first_line[key] = line
            rows.append(row)
    except csv.Error as exc:
        rejects(InputError(path, f"is not readable CSV ({exc})", record=reader.line_num))
    if not rows and len(rejects) == rejected_before:
        rejects(InputError(path, "has a header but no rows"))
    return account_metrics_frame(rows)


def read_row(
    path: Path, line: int, values: list[str], columns: Columns, default: str
) -> dict[str, Any]:
    """The ``account_metrics`` row of one CSV record, or an error naming line and column."""
    if len(values) != len(columns.header):
        raise InputError(
            path, f"has {len(values)} fields but the header has {len(columns.header)}", record=line
        )

    def fail(field: str, problem: str) -> InputError:
        return InputError(path, problem, record=line, field=columns.name(field))

    raw_handle = columns.value(values, "handle")
    handle = normalise_handle(raw_handle)
    if handle is None:
        raise fail("handle", "required field is empty")
    if any(ch.isspace() for ch in handle) or "," in handle:
        raise fail(
            "handle",
            f"{raw_handle!r} is not a handle (it holds spaces or commas; is it a display name?)",
        )
    platform = default
    raw_platform = columns.value(values, "platform")
    if raw_platform is not None:
        named = platform_name(raw_platform)
        if named is None:
            raise fail(
                "platform",
                f"unknown platform {raw_platform!r}; expected X (Twitter), Bluesky or Mastodon",
            )
        platform = named

    period = None
    raw_period = columns.value(values, "period")
    if raw_period is not None:
        try:
            period = parse_period(raw_period)
        except ValueError as exc:
            raise fail("period", str(exc)) from None
    start = end = None
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

    counts: dict[str, int | None] = {}
    for field in COUNT_FIELDS:
        raw = columns.value(values, field)
        if raw is None:
            counts[field] = None
        elif _COUNT.match(raw):
            counts[field] = int(raw.replace(",", ""))
        else:
            raise fail(
                field, f"expected a whole number ≥ 0 (thousands may be written 1,234), got {raw!r}"
            )
    return {
        "account_id": account_id(platform, handle),
        "platform": platform,
        "handle": handle,
        "period_start": start,
        "period_end": end,
        **counts,
    }
