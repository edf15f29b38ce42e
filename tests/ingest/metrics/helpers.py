"""Helpers of the metric table tests: the fixtures and hand-written CSV files."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from src.errors import InputError
from src.ingest.metrics import COUNT_FIELDS, read_account_metrics

DATA = Path(__file__).resolve().parents[1] / "data" / "metrics"
HEADER = "handle,platform,period_start,period_end,followers,posts"


def utc(year: int, month: int, day: int, *time_of_day: int) -> pd.Timestamp:
    """An aware UTC time: the date, then hour, minute and second if given."""
    hour, minute, second = (*time_of_day, 0, 0, 0)[:3]
    return pd.Timestamp(datetime(year, month, day, hour, minute, second, tzinfo=UTC))


def write_csv(tmp_path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    """A metrics CSV of ``rows`` under ``header``."""
    path = tmp_path / "metrics.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    return path


def strict_error(path: Path, **kwargs) -> str:
    """The message of the error a strict read of ``path`` raises (it names the file)."""
    with pytest.raises(InputError) as info:
        read_account_metrics(path, **kwargs)
    message = str(info.value)
    assert message.startswith(str(path)), message
    return message


def counts_of(row: dict) -> dict:
    """The count fields of a row (and the lifetime total), as whole numbers or None."""
    fields = (*COUNT_FIELDS, "posts_total")
    return {field: (None if pd.isna(row[field]) else int(row[field])) for field in fields}


def set_file_time(path: Path, when: pd.Timestamp) -> None:
    """Give a file the modification time ``when`` (as if saved then)."""
    os.utime(path, (when.timestamp(), when.timestamp()))
