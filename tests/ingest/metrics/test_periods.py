"""Periods and dates of metric tables (src/ingest/metrics/periods.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from src.ingest.metrics import read_account_metrics
from tests.ingest.metrics.helpers import strict_error, utc, write_csv

# --- periods and dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2014-05", utc(2014, 5, 1), utc(2014, 6, 1)),
        ("2014-12", utc(2014, 12, 1), utc(2015, 1, 1)),
        ("2014-W18", utc(2014, 4, 28), utc(2014, 5, 5)),
        ("2014w18", utc(2014, 4, 28), utc(2014, 5, 5)),
        ("2015-W01", utc(2014, 12, 29), utc(2015, 1, 5)),  # ISO week 1 can start in the year before
        ("2015-W53", utc(2015, 12, 28), utc(2016, 1, 4)),
        ("2014-05-03", utc(2014, 5, 3), utc(2014, 5, 4)),
        ("03/05/2014", utc(2014, 5, 3), utc(2014, 5, 4)),
    ],
)
def test_period_forms(tmp_path: Path, period: str, start: pd.Timestamp, end: pd.Timestamp) -> None:
    row = read_account_metrics(
        write_csv(tmp_path, f"ada,{period},5", header="handle,period,followers")
    ).iloc[0]
    assert (row["period_start"], row["period_end"]) == (start, end)


@pytest.mark.parametrize(
    ("start", "end", "expected_start", "expected_end"),
    [
        (
            "01/05/2014",
            "31/05/2014",
            utc(2014, 5, 1),
            utc(2014, 6, 1),
        ),  # UK day-first, end inclusive
        ("1/5/2014", "7/5/2014", utc(2014, 5, 1), utc(2014, 5, 8)),
        ("01/05/2014 09:30", "08/05/2014 09:30", utc(2014, 5, 1, 9, 30), utc(2014, 5, 8, 9, 30)),
        ("2014-05-01T00:00:00Z", "2014-05-08T00:00:00Z", utc(2014, 5, 1), utc(2014, 5, 8)),
        (
            "2014-05-01 01:00+01:00",
            "2014-05-08 00:00",
            utc(2014, 5, 1),
            utc(2014, 5, 8),
        ),  # no zone: UTC
    ],
)
def test_date_forms(
    tmp_path: Path, start: str, end: str, expected_start: pd.Timestamp, expected_end: pd.Timestamp
) -> None:
    row = read_account_metrics(write_csv(tmp_path, f"ada,x,{start},{end},5,6")).iloc[0]
    assert (row["period_start"], row["period_end"]) == (expected_start, expected_end)


def test_period_and_dates_must_agree(tmp_path: Path) -> None:
    header = "handle,month,from,to,followers"
    assert (
        len(
            read_account_metrics(
                write_csv(tmp_path, "ada,2014-05,01/05/2014,31/05/2014,5", header=header)
            )
        )
        == 1
    )
    message = strict_error(
        write_csv(tmp_path, "ada,2014-05,02/05/2014,31/05/2014,5", header=header)
    )
    assert (
        ", line 2, field 'from': '02/05/2014' is not the start of period '2014-05' (2014-05-01)"
        in message
    )
    message = strict_error(
        write_csv(tmp_path, "ada,2014-05,01/05/2014,30/05/2014,5", header=header)
    )
    assert (
        ", line 2, field 'to': '30/05/2014' is not the end of period '2014-05' (last day "
        "2014-05-31)" in message
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("05/13/2014", "US month-first dates are not accepted"),
        ("31/02/2014", "is not a real date"),
        ("2014-02-30", "is not a real date or time"),
        ("2014/05/01", "unrecognised date '2014/05/01'"),
        ("1 May 2014", "unrecognised date '1 May 2014'"),
        ("01/05/14", "unrecognised date '01/05/14'"),
        ("2014-05-01T25:00:00Z", "is not a real date or time"),
        ("20140501", "unrecognised date '20140501'"),  # ISO basic format: not accepted
        ("01.05.2014", "unrecognised date '01.05.2014'"),
    ],
)
def test_bad_dates(tmp_path: Path, value: str, problem: str) -> None:
    message = strict_error(
        write_csv(
            tmp_path,
            "ada,x,2014-05-01,2014-05-31,5,6",
            f"bea,x,{value},2014-05-31,5,6",
            header="handle,platform,Period Start,period_end,followers,posts",
        )
    )
    assert ", line 3, field 'Period Start': " in message
    assert problem in message
    message = strict_error(
        write_csv(
            tmp_path,
            f"bea,x,2014-01-01,{value},5,6",
            header="handle,platform,period_start,End Date,followers,posts",
        )
    )
    assert ", line 2, field 'End Date': " in message
    assert problem in message


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2014-13", "is not a month (month 13)"),
        ("2014-W54", "2014 has no week 54"),
        ("2014-W53", "2014 has no week 53"),
        ("May 2014", "unrecognised period 'May 2014'"),
        ("2014-05-01T10:00:00Z", "not a time of day"),
    ],
)
def test_bad_periods(tmp_path: Path, value: str, problem: str) -> None:
    message = strict_error(write_csv(tmp_path, f"ada,{value},5", header="handle,Month,followers"))
    assert ", line 2, field 'Month': " in message and problem in message


def test_end_before_start(tmp_path: Path) -> None:
    message = strict_error(write_csv(tmp_path, "ada,x,31/05/2014,01/05/2014,5,6"))
    assert (
        ", line 2, field 'period_end': the period ends (2014-05-02 00:00, exclusive) before it "
        "starts (2014-05-31 00:00)" in message
    )


def test_blank_period_cells(tmp_path: Path) -> None:
    assert "line 2, field 'period_start': required field is empty" in strict_error(
        write_csv(tmp_path, "ada,x,,2014-05-31,5,6")
    )
    assert "line 2, field 'period_end': required field is empty" in strict_error(
        write_csv(tmp_path, "ada,x,2014-05-01,,5,6")
    )
    assert "line 2, field 'week': required field is empty" in strict_error(
        write_csv(tmp_path, "ada,,5", header="handle,week,followers")
    )
    # A blank end with a period beside it is fine: the period gives the end.
    row = read_account_metrics(
        write_csv(tmp_path, "ada,2014-05,2014-05-01,,5", header="handle,period,start,end,followers")
    ).iloc[0]
    assert row["period_end"] == utc(2014, 6, 1)


def test_duplicate_account_and_period(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "@Ada,x,2014-05-01,2014-05-31,5,6",
        "bea,x,2014-05-01,2014-05-31,5,6",
        "ada,twitter,01/05/2014,31/05/2014,7,8",
    )
    message = strict_error(path)
    # Nothing tells which row is later: both are named (never the account), none is chosen.
    assert (
        ", line 2, field 'followers': gives the same account and period as metrics.csv, "
        "line 4 with other values (followers differs) and no later retrieval time" in message
    )
    assert "ada" not in message.split(": ", 1)[1]


def test_same_handle_on_two_platforms_is_two_accounts(tmp_path: Path) -> None:
    frame = read_account_metrics(
        write_csv(
            tmp_path, "ada,x,2014-05-01,2014-05-31,5,6", "ada,mastodon,2014-05-01,2014-05-31,7,8"
        )
    )
    assert frame["account_id"].tolist() == ["mastodon:@ada", "x:@ada"]
