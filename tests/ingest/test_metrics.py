"""Account-level metric tables from social-listening tools (src.ingest.metrics)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from src.errors import InputError, ParameterError
from src.ingest.metrics import COLUMN_SYNONYMS, COUNT_FIELDS, read_account_metrics
from src.ingest.quarantine import Rejects
from src.schemas import ACCOUNT_METRICS, validate

DATA = Path(__file__).parent / "data" / "metrics"
HEADER = "handle,platform,period_start,period_end,followers,posts"


def utc(*parts: int) -> pd.Timestamp:
    return pd.Timestamp(datetime(*parts, tzinfo=UTC))


def _csv(tmp_path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "metrics.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    return path


def _error(path: Path, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        read_account_metrics(path, **kwargs)
    message = str(info.value)
    assert message.startswith(str(path)), message
    return message


def _counts(row: dict) -> dict:
    return {field: (None if pd.isna(row[field]) else int(row[field])) for field in COUNT_FIELDS}


# --- the fixture files -----------------------------------------------------------------


def test_export_with_api_style_headers() -> None:
    path = DATA / "export_iso.csv"
    frame = read_account_metrics(path)
    validate(frame, "account_metrics", source=str(path))
    assert list(frame.columns) == list(ACCOUNT_METRICS.columns)
    assert len(frame) == 5
    assert str(frame["period_start"].dtype) == "datetime64[us, UTC]"
    assert all(str(frame[c].dtype) == "Int64" for c in COUNT_FIELDS)
    # Sums against the file (blank cells are missing, not zero; "1,204" is 1204).
    assert frame["followers"].sum() == 1204 + 1262 + 15230 + 15310 + 880
    assert frame["following"].sum() == 310 + 315 + 1877 + 1880 + 120
    assert frame["listed"].sum() == 45 + 47 + 612 + 615
    assert frame["posts"].sum() == 212 + 198 + 95 + 54
    assert frame["mentions_received"].sum() == 1050 + 987 + 640 + 702 + 33
    assert frame["reposts_received"].sum() == 388 + 402 + 1200 + 21
    assert frame["mentions_sent"].sum() == 96 + 88 + 12 + 14 + 5
    assert frame["reposts_sent"].sum() == 41 + 39 + 8 + 9 + 2
    assert frame[list(COUNT_FIELDS)].isna().sum().to_dict() == {
        "followers": 0,
        "following": 0,
        "listed": 1,
        "posts": 1,
        "mentions_received": 0,
        "reposts_received": 1,
        "mentions_sent": 0,
        "reposts_sent": 0,
    }
    rows = frame.to_dict("records")
    assert [r["account_id"] for r in rows] == [
        "mastodon:@nurse_cal@mastodon.example",
        "x:@ada_ashby",
        "x:@ada_ashby",
        "x:@beabrook",
        "x:@beabrook",
    ]
    cal, ada_may, ada_june, bea_may, bea_june = rows
    # "+01:00" start → UTC; the end date 2014-05-31 is the last day included.
    assert (cal["platform"], cal["handle"]) == ("mastodon", "nurse_cal@mastodon.example")
    assert (cal["period_start"], cal["period_end"]) == (utc(2014, 4, 30, 23), utc(2014, 6, 1))
    assert _counts(cal) == {
        "followers": 880,
        "following": 120,
        "listed": None,
        "posts": 54,
        "mentions_received": 33,
        "reposts_received": 21,
        "mentions_sent": 5,
        "reposts_sent": 2,
    }
    # "@Ada_Ashby" on "twitter": x, lower case, no @.
    assert (ada_may["platform"], ada_may["handle"]) == ("x", "ada_ashby")
    assert (ada_may["period_start"], ada_may["period_end"]) == (utc(2014, 5, 1), utc(2014, 6, 1))
    assert _counts(ada_may) == {
        "followers": 1204,
        "following": 310,
        "listed": 45,
        "posts": 212,
        "mentions_received": 1050,
        "reposts_received": 388,
        "mentions_sent": 96,
        "reposts_sent": 41,
    }
    assert (ada_june["period_start"], ada_june["period_end"]) == (utc(2014, 6, 1), utc(2014, 7, 1))
    assert _counts(ada_june) == {
        "followers": 1262,
        "following": 315,
        "listed": 47,
        "posts": 198,
        "mentions_received": 987,
        "reposts_received": 402,
        "mentions_sent": 88,
        "reposts_sent": 39,
    }
    assert (bea_may["platform"], bea_may["handle"]) == ("x", "beabrook")  # "X"
    assert (bea_may["period_start"], bea_may["period_end"]) == (utc(2014, 5, 1), utc(2014, 6, 1))
    assert _counts(bea_may) == {
        "followers": 15230,
        "following": 1877,
        "listed": 612,
        "posts": 95,
        "mentions_received": 640,
        "reposts_received": 1200,
        "mentions_sent": 12,
        "reposts_sent": 8,
    }
    # An end with a time of day is the exclusive end instant, not a last day.
    assert (bea_june["period_start"], bea_june["period_end"]) == (utc(2014, 6, 1), utc(2014, 7, 1))
    assert _counts(bea_june) == {
        "followers": 15310,
        "following": 1880,
        "listed": 615,
        "posts": None,
        "mentions_received": 702,
        "reposts_received": None,
        "mentions_sent": 14,
        "reposts_sent": 9,
    }


def test_export_with_spreadsheet_style_headers() -> None:
    path = DATA / "uk_tool_weekly.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()
    frame = read_account_metrics(path)
    validate(frame, "account_metrics", source=str(path))
    assert len(frame) == 4
    assert frame["followers"].sum() == 1190 + 1204 + 23456 + 23512
    assert frame["listed"].sum() == 44 + 45 + 1015 + 1019
    assert frame["posts"].sum() == 51 + 49 + 80 + 77
    assert frame["mentions_received"].sum() == 240 + 255 + 1320
    assert int(frame["mentions_received"].isna().sum()) == 1
    assert frame["reposts_received"].sum() == 90 + 97 + 610 + 602
    assert frame["reposts_sent"].sum() == 10 + 9 + 44 + 40
    assert frame["account_id"].tolist() == [
        "x:@ada_ashby",
        "x:@ada_ashby",
        "x:@northvalenhs",
        "x:@northvalenhs",
    ]
    assert set(frame["platform"]) == {"x"}  # "Twitter", and a blank network takes the default
    # Week commencing 28/04/2014 (DD/MM/YYYY) is ISO week 2014-W18: Monday to Monday.
    assert frame["period_start"].tolist() == [utc(2014, 4, 28), utc(2014, 5, 5)] * 2
    assert frame["period_end"].tolist() == [utc(2014, 5, 5), utc(2014, 5, 12)] * 2
    rows = frame.to_dict("records")
    assert _counts(rows[0]) == {
        "followers": 1190,
        "following": 309,
        "listed": 44,
        "posts": 51,
        "mentions_received": 240,
        "reposts_received": 90,
        "mentions_sent": 22,
        "reposts_sent": 10,
    }
    assert _counts(rows[1]) == {
        "followers": 1204,
        "following": 310,
        "listed": 45,
        "posts": 49,
        "mentions_received": 255,
        "reposts_received": 97,
        "mentions_sent": 25,
        "reposts_sent": 9,
    }
    assert _counts(rows[2]) == {
        "followers": 23456,
        "following": 2101,
        "listed": 1015,
        "posts": 80,
        "mentions_received": 1320,
        "reposts_received": 610,
        "mentions_sent": 30,
        "reposts_sent": 44,
    }
    assert _counts(rows[3]) == {
        "followers": 23512,
        "following": 2104,
        "listed": 1019,
        "posts": 77,
        "mentions_received": None,
        "reposts_received": 602,
        "mentions_sent": 28,
        "reposts_sent": 40,
    }


def test_both_styles_describe_the_same_account_alike() -> None:
    iso = read_account_metrics(DATA / "export_iso.csv")
    uk = read_account_metrics(DATA / "uk_tool_weekly.csv")
    assert "x:@ada_ashby" in set(iso["account_id"]) & set(uk["account_id"])


# --- headers -----------------------------------------------------------------------------


@pytest.mark.parametrize("field", COUNT_FIELDS)
def test_every_count_synonym(tmp_path: Path, field: str) -> None:
    for number, name in enumerate(COLUMN_SYNONYMS[field]):
        # Written as a tool might: capitals, underscores for spaces.
        written = name.upper().replace(" ", "_") if number % 2 else name.title()
        path = _csv(
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
        path = _csv(tmp_path, ",".join(values.values()) + ",7", header=header)
        row = read_account_metrics(path).iloc[0]
        assert (row["account_id"], row["period_start"], row["period_end"], row["followers"]) == (
            "bluesky:@ada",
            utc(2014, 5, 1),
            utc(2014, 6, 1),
            7,
        ), (field, name)


def test_header_punctuation_is_ignored(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "ada,01/05/2014,31/05/2014,5,6",
        header="Screen-Name,Week (starting),End.Date,FOLLOWERS__COUNT,Retweets/Received",
    )
    row = read_account_metrics(path).iloc[0]
    assert (row["handle"], row["followers"], row["reposts_received"]) == ("ada", 5, 6)


def test_two_columns_for_one_field(tmp_path: Path) -> None:
    message = _error(_csv(tmp_path, "ada,2014-05,1,2", header="handle,period,Tweets,Posts"))
    assert "header, field 'Posts'" in message
    assert "columns 'Tweets' and 'Posts' both mean posts" in message


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("name,period,followers", "a handle"),
        ("handle,followers", "a period start"),
        ("handle,period_start,followers", "a period end"),
        ("handle,period,engagement rate", "at least one count"),
    ],
)
def test_missing_columns(tmp_path: Path, header: str, missing: str) -> None:
    message = _error(_csv(tmp_path, "x,y,z", header=header))
    assert ", header: required column(s) missing: " in message
    assert missing in message
    assert f"(found: {header.replace(',', ', ')})" in message


# --- platforms and handles --------------------------------------------------------------


def test_platform_default(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Ada.bsky.social,2014-05,5", header="handle,month,followers")
    assert read_account_metrics(path, platform_default="bluesky")["account_id"].tolist() == [
        "bluesky:@ada.bsky.social"
    ]
    assert read_account_metrics(path, platform_default="Twitter")["account_id"].tolist() == [
        "x:@ada.bsky.social"
    ]
    assert read_account_metrics(path)["platform"].tolist() == ["x"]


@pytest.mark.parametrize("value", ["facebook", 3, ""])
def test_bad_platform_default(tmp_path: Path, value) -> None:
    path = _csv(tmp_path, "ada,2014-05,5", header="handle,month,followers")
    with pytest.raises(ParameterError, match="platform_default"):
        read_account_metrics(path, platform_default=value)


def test_unknown_platform(tmp_path: Path) -> None:
    message = _error(
        _csv(
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
    message = _error(
        _csv(tmp_path, "ada,2014-05,5", f'"{cell}",2014-06,6', header="Screen Name,month,followers")
    )
    assert ", line 3, field 'Screen Name': " in message and problem in message


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
        _csv(tmp_path, f"ada,{period},5", header="handle,period,followers")
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
    row = read_account_metrics(_csv(tmp_path, f"ada,x,{start},{end},5,6")).iloc[0]
    assert (row["period_start"], row["period_end"]) == (expected_start, expected_end)


def test_period_and_dates_must_agree(tmp_path: Path) -> None:
    header = "handle,month,from,to,followers"
    assert (
        len(
            read_account_metrics(
                _csv(tmp_path, "ada,2014-05,01/05/2014,31/05/2014,5", header=header)
            )
        )
        == 1
    )
    message = _error(_csv(tmp_path, "ada,2014-05,02/05/2014,31/05/2014,5", header=header))
    assert (
        ", line 2, field 'from': '02/05/2014' is not the start of period '2014-05' (2014-05-01)"
        in message
    )
    message = _error(_csv(tmp_path, "ada,2014-05,01/05/2014,30/05/2014,5", header=header))
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
    message = _error(
        _csv(
            tmp_path,
            "ada,x,2014-05-01,2014-05-31,5,6",
            f"bea,x,{value},2014-05-31,5,6",
            header="handle,platform,Period Start,period_end,followers,posts",
        )
    )
    assert ", line 3, field 'Period Start': " in message
    assert problem in message
    message = _error(
        _csv(
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
    message = _error(_csv(tmp_path, f"ada,{value},5", header="handle,Month,followers"))
    assert ", line 2, field 'Month': " in message and problem in message


def test_end_before_start(tmp_path: Path) -> None:
    message = _error(_csv(tmp_path, "ada,x,31/05/2014,01/05/2014,5,6"))
    assert (
        ", line 2, field 'period_end': the period ends (2014-05-02 00:00, exclusive) before it "
        "starts (2014-05-31 00:00)" in message
    )


def test_blank_period_cells(tmp_path: Path) -> None:
    assert "line 2, field 'period_start': required field is empty" in _error(
        _csv(tmp_path, "ada,x,,2014-05-31,5,6")
    )
    assert "line 2, field 'period_end': required field is empty" in _error(
        _csv(tmp_path, "ada,x,2014-05-01,,5,6")
    )
    assert "line 2, field 'week': required field is empty" in _error(
        _csv(tmp_path, "ada,,5", header="handle,week,followers")
    )
    # A blank end with a period beside it is fine: the period gives the end.
    row = read_account_metrics(
        _csv(tmp_path, "ada,2014-05,2014-05-01,,5", header="handle,period,start,end,followers")
    ).iloc[0]
    assert row["period_end"] == utc(2014, 6, 1)


def test_duplicate_account_and_period(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "@Ada,x,2014-05-01,2014-05-31,5,6",
        "bea,x,2014-05-01,2014-05-31,5,6",
        "ada,twitter,01/05/2014,31/05/2014,7,8",
    )
    message = _error(path)
    assert (
        ", line 4, field 'period_start': x:@ada already has a row for the period starting "
        "2014-05-01 00:00 UTC (line 2)" in message
    )


def test_same_handle_on_two_platforms_is_two_accounts(tmp_path: Path) -> None:
    frame = read_account_metrics(
        _csv(tmp_path, "ada,x,2014-05-01,2014-05-31,5,6", "ada,mastodon,2014-05-01,2014-05-31,7,8")
    )
    assert frame["account_id"].tolist() == ["mastodon:@ada", "x:@ada"]


# --- counts ---------------------------------------------------------------------------------


def test_thousands_separators_and_blanks(tmp_path: Path) -> None:
    frame = read_account_metrics(
        _csv(
            tmp_path,
            'ada,x,2014-05-01,2014-05-31,"1,234,567", ',
            "bea,x,2014-05-01,2014-05-31,0,12",
        )
    )
    assert frame["followers"].tolist() == [1234567, 0]
    assert pd.isna(frame.loc[0, "posts"]) and frame.loc[1, "posts"] == 12


@pytest.mark.parametrize(
    "cell", ["-3", "12.5", "1.234", "n/a", "-", "1,23", "1,2345", "12 000", "+5", "1e3"]
)
def test_bad_counts(tmp_path: Path, cell: str) -> None:
    path = _csv(
        tmp_path,
        "ada,x,2014-05-01,2014-05-31,5,6",
        f'bea,x,2014-05-01,2014-05-31,7,"{cell}"',
        header="handle,platform,period_start,period_end,followers,Tweet Count",
    )
    message = _error(path)
    assert (
        f", line 3, field 'Tweet Count': expected a whole number ≥ 0 (thousands may be written "
        f"1,234), got {cell!r}" in message
    )


# --- the file as a whole -------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n  \n", ",,,\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "metrics.csv"
    path.write_text(content, encoding="utf-8")
    assert "is empty" in _error(path)


def test_header_only(tmp_path: Path) -> None:
    assert "has a header but no rows" in _error(_csv(tmp_path))


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in _error(tmp_path / "metrics.csv")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "metrics.csv"
    path.write_bytes((HEADER + "\nzo\xeb,x,2014-05-01,2014-05-31,5,6\n").encode("latin-1"))
    message = _error(path)
    assert "is not UTF-8 text" in message and f"at byte {len(HEADER) + 3}" in message


@pytest.mark.parametrize(("separator", "name"), [(";", "';'"), ("\t", "tabs")])
def test_not_comma_separated(tmp_path: Path, separator: str, name: str) -> None:
    path = _csv(
        tmp_path,
        separator.join(["ada", "2014-05", "5"]),
        header=separator.join(["handle", "month", "followers"]),
    )
    assert f", header: is separated by {name}, not commas" in _error(path)


@pytest.mark.parametrize(
    ("row", "fields"),
    [("ada,x,2014-05-01,2014-05-31,5", 5), ("ada,x,2014-05-01,2014-05-31,5,6,7", 7)],
)
def test_wrong_number_of_fields(tmp_path: Path, row: str, fields: int) -> None:
    message = _error(_csv(tmp_path, row))
    assert f", line 2: has {fields} fields but the header has 6" in message


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "metrics.csv"
    path.write_text(
        "\n"  # line 1: blank, before the header
        f"{HEADER},notes\n"  # line 2
        'ada,x,2014-05-01,2014-05-31,5,6,"a note\nover two lines"\n'  # lines 3-4
        "\n"  # line 5
        ",,,,,,\n"  # line 6: an empty row
        "bea,x,2014-05-01,2014-05-31,many,6,\n",  # line 7
        encoding="utf-8",
    )
    message = _error(path)
    assert ", line 7, field 'followers': " in message


def test_quarantine(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "ada,x,2014-05-01,2014-05-31,5,6",
        "bea,x,2014-05-01,2014-05-31,lots,6",
        "ada,x,2014-05-01,2014-05-31,9,9",
        "cal,x,2014-05-01,2014-05-31,1,2",
    )
    rejects = Rejects(strict=False)
    frame = read_account_metrics(path, rejects=rejects)
    assert frame["account_id"].tolist() == ["x:@ada", "x:@cal"]
    assert frame["followers"].tolist() == [5, 1]  # of two rows for one period the first stays
    rejected = rejects.frame()
    assert rejected["record"].tolist() == ["line 3", "line 4"]
    assert rejected["field"].tolist() == ["followers", "period_start"]
    # A file-level problem skips the file.
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    frame = read_account_metrics(empty, rejects=rejects)
    assert len(frame) == 0
    validate(frame, "account_metrics", source=str(empty))
    assert rejects.frame()["file"].tolist()[-1] == str(empty)
