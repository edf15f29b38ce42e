"""Metric table headers, platforms and handles (src/ingest/metrics/headers.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from src.errors import ParameterError
from src.ingest.metrics import COLUMN_SYNONYMS, COUNT_FIELDS, read_account_metrics
from tests.ingest.metrics.helpers import strict_error, utc, write_csv

# --- headers -----------------------------------------------------------------------------


@pytest.mark.parametrize("field", COUNT_FIELDS)
def test_every_count_synonym(tmp_path: Path, field: str) -> None:
    for number, name in enumerate(COLUMN_SYNONYMS[field]):
        # Written as a tool might: capitals, underscores for spaces.
        written = name.upper().replace(" ", "_") if number % 2 else name.title()
        path = write_csv(
            tmp_path, "ada,2014-05,1,2", header=f"handle,period,{written},posts_ignored_here"
        )
        frame = read_account_metrics(path)
        assert frame.loc[0, field] == 1, (field, written)
        assert all(pd.isna(frame.loc[0, other]) for other in COUNT_FIELDS if other != field), (
            field,
            written,
        )


@pytest.mark.parametrize("field", ["handle", "platform", "period_start", "period_end", "period"])
def test_every_other_synonym(tmp_path: Path, field: str) -> None:
    base = {
        "handle": "handle",
        "platform": "platform",
        "period_start": "from",
        "period_end": "to",
        "period": None,
    }
    for name in COLUMN_SYNONYMS[field]:
        columns = dict(base)
        columns[field] = name
        if field == "period":
            columns.pop("period_start"), columns.pop("period_end")
            values = {"handle": "@Ada", "platform": "bluesky", "period": "2014-05"}
        else:
            columns.pop("period")
            values = {
                "handle": "@Ada",
                "platform": "bluesky",
                "period_start": "2014-05-01",
                "period_end": "2014-05-31",
            }
        header = ",".join(f" {columns[key]} " for key in values) + ",followers"
        path = write_csv(tmp_path, ",".join(values.values()) + ",7", header=header)
        row = read_account_metrics(path).iloc[0]
        assert (row["account_id"], row["period_start"], row["period_end"], row["followers"]) == (
            "bluesky:@ada",
            utc(2014, 5, 1),
            utc(2014, 6, 1),
            7,
        ), (field, name)


def test_header_punctuation_is_ignored(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "ada,01/05/2014,31/05/2014,5,6",
        header="Screen-Name,Week (starting),End.Date,FOLLOWERS__COUNT,Retweets/Received",
    )
    row = read_account_metrics(path).iloc[0]
    assert (row["handle"], row["followers"], row["reposts_received"]) == ("ada", 5, 6)


def test_two_columns_for_one_field(tmp_path: Path) -> None:
    message = strict_error(
        write_csv(tmp_path, "ada,2014-05,1,2", header="handle,period,Tweets,Posts")
    )
    assert "header, field 'Posts'" in message
    assert "columns 'Tweets' and 'Posts' both mean posts" in message


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("name,period,followers", "a handle"),
        # Counts of a period need a period (a table of followers alone is of snapshots).
        ("handle,posts", "a period start"),
        ("handle,period_start,posts", "a period end"),
        ("handle,period,engagement rate", "at least one count"),
    ],
)
def test_missing_columns(tmp_path: Path, header: str, missing: str) -> None:
    message = strict_error(write_csv(tmp_path, "x,y,z", header=header))
    assert ", header: required column(s) missing: " in message
    assert missing in message
    assert f"(found: {header.replace(',', ', ')})" in message


# --- platforms and handles --------------------------------------------------------------


def test_platform_default(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Ada.bsky.social,2014-05,5", header="handle,month,followers")
    assert read_account_metrics(path, platform_default="bluesky")["account_id"].tolist() == [
        "bluesky:@ada.bsky.social"
    ]
    assert read_account_metrics(path, platform_default="Twitter")["account_id"].tolist() == [
        "x:@ada.bsky.social"
    ]
    assert read_account_metrics(path)["platform"].tolist() == ["x"]


@pytest.mark.parametrize("value", ["facebook", 3, ""])
def test_bad_platform_default(tmp_path: Path, value) -> None:
    path = write_csv(tmp_path, "ada,2014-05,5", header="handle,month,followers")
    with pytest.raises(ParameterError, match="platform_default"):
        read_account_metrics(path, platform_default=value)


def test_unknown_platform(tmp_path: Path) -> None:
    message = strict_error(
        write_csv(
            tmp_path,
            "ada,Twitter,2014-05,5",
            "bea,Facebook,2014-05,6",
            header="handle,Network,month,followers",
        )
    )
    assert ", line 3, field 'Network': unknown platform 'Facebook'" in message


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("", "required field is empty"),
        ("@", "required field is empty"),
        ("Ada Ashby", "is not a handle"),
    ],
)
def test_bad_handle(tmp_path: Path, cell: str, problem: str) -> None:
    message = strict_error(
        write_csv(
            tmp_path, "ada,2014-05,5", f'"{cell}",2014-06,6', header="Screen Name,month,followers"
        )
    )
    assert ", line 3, field 'Screen Name': " in message and problem in message
