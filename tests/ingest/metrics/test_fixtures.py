"""Account-level metric tables (src.ingest.metrics) read from the hand-written fixture files."""

from __future__ import annotations

from src.ingest.metrics import PERIOD_FIELDS, SNAPSHOT_FIELDS, read_account_metrics
from src.schemas import ACCOUNT_METRICS, validate
from tests.ingest.metrics.helpers import DATA, counts_of, utc

# --- the fixture files -----------------------------------------------------------------


def test_export_with_api_style_headers() -> None:
    path = DATA / "export_iso.csv"
    frame = read_account_metrics(path)
    validate(frame, "account_metrics", source=str(path))
    assert list(frame.columns) == list(ACCOUNT_METRICS.columns)
    assert len(frame) == 5
    assert str(frame["period_start"].dtype) == "datetime64[us, UTC]"
    # Counts of an instant are whole; counts of a period may come from per-day averages.
    assert all(str(frame[c].dtype) == "Int64" for c in SNAPSHOT_FIELDS)
    assert all(str(frame[c].dtype) == "Float64" for c in PERIOD_FIELDS)
    # Sums against the file (blank cells are missing, not zero; "1,204" is 1204).
    assert frame["followers"].sum() == 1204 + 1262 + 15230 + 15310 + 880
    assert frame["following"].sum() == 310 + 315 + 1877 + 1880 + 120
    assert frame["listed"].sum() == 45 + 47 + 612 + 615
    # statuses_count is the lifetime total (a snapshot), never the posts of the period.
    assert frame["posts_total"].sum() == 212 + 198 + 95 + 54
    assert frame["posts"].isna().all()
    assert frame["mentions_received"].sum() == 1050 + 987 + 640 + 702 + 33
    assert frame["reposts_received"].sum() == 388 + 402 + 1200 + 21
    assert frame["mentions_sent"].sum() == 96 + 88 + 12 + 14 + 5
    assert frame["reposts_sent"].sum() == 41 + 39 + 8 + 9 + 2
    assert frame[[*SNAPSHOT_FIELDS, *PERIOD_FIELDS]].isna().sum().to_dict() == {
        "followers": 0,
        "following": 0,
        "listed": 1,
        "posts_total": 1,
        "posts": 5,
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
    assert counts_of(cal) == {
        "followers": 880,
        "following": 120,
        "listed": None,
        "posts": None,
        "posts_total": 54,
        "mentions_received": 33,
        "reposts_received": 21,
        "mentions_sent": 5,
        "reposts_sent": 2,
    }
    # "@Ada_Ashby" on "twitter": x, lower case, no @.
    assert (ada_may["platform"], ada_may["handle"]) == ("x", "ada_ashby")
    assert (ada_may["period_start"], ada_may["period_end"]) == (utc(2014, 5, 1), utc(2014, 6, 1))
    assert counts_of(ada_may) == {
        "followers": 1204,
        "following": 310,
        "listed": 45,
        "posts": None,
        "posts_total": 212,
        "mentions_received": 1050,
        "reposts_received": 388,
        "mentions_sent": 96,
        "reposts_sent": 41,
    }
    assert (ada_june["period_start"], ada_june["period_end"]) == (utc(2014, 6, 1), utc(2014, 7, 1))
    assert counts_of(ada_june) == {
        "followers": 1262,
        "following": 315,
        "listed": 47,
        "posts": None,
        "posts_total": 198,
        "mentions_received": 987,
        "reposts_received": 402,
        "mentions_sent": 88,
        "reposts_sent": 39,
    }
    assert (bea_may["platform"], bea_may["handle"]) == ("x", "beabrook")  # "X"
    assert (bea_may["period_start"], bea_may["period_end"]) == (utc(2014, 5, 1), utc(2014, 6, 1))
    assert counts_of(bea_may) == {
        "followers": 15230,
        "following": 1877,
        "listed": 612,
        "posts": None,
        "posts_total": 95,
        "mentions_received": 640,
        "reposts_received": 1200,
        "mentions_sent": 12,
        "reposts_sent": 8,
    }
    # An end with a time of day is the exclusive end instant, not a last day.
    assert (bea_june["period_start"], bea_june["period_end"]) == (utc(2014, 6, 1), utc(2014, 7, 1))
    assert counts_of(bea_june) == {
        "followers": 15310,
        "following": 1880,
        "listed": 615,
        "posts": None,
        "posts_total": None,
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
    assert counts_of(rows[0]) == {
        "followers": 1190,
        "following": 309,
        "listed": 44,
        "posts": 51,
        "mentions_received": 240,
        "reposts_received": 90,
        "mentions_sent": 22,
        "reposts_sent": 10,
        "posts_total": None,
    }
    assert counts_of(rows[1]) == {
        "followers": 1204,
        "following": 310,
        "listed": 45,
        "posts": 49,
        "mentions_received": 255,
        "reposts_received": 97,
        "mentions_sent": 25,
        "reposts_sent": 9,
        "posts_total": None,
    }
    assert counts_of(rows[2]) == {
        "followers": 23456,
        "following": 2101,
        "listed": 1015,
        "posts": 80,
        "mentions_received": 1320,
        "reposts_received": 610,
        "mentions_sent": 30,
        "reposts_sent": 44,
        "posts_total": None,
    }
    assert counts_of(rows[3]) == {
        "followers": 23512,
        "following": 2104,
        "listed": 1019,
        "posts": 77,
        "mentions_received": None,
        "reposts_received": 602,
        "mentions_sent": 28,
        "reposts_sent": 40,
        "posts_total": None,
    }


def test_both_styles_describe_the_same_account_alike() -> None:
    iso = read_account_metrics(DATA / "export_iso.csv")
    uk = read_account_metrics(DATA / "uk_tool_weekly.csv")
    assert "x:@ada_ashby" in set(iso["account_id"]) & set(uk["account_id"])
