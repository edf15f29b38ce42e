"""A year's metric tables together (src/ingest/metrics/folder.py and merge.py): the latest
snapshot wins by the time the tables carry, never by file name; ties and overlaps are
named; periods outside the window are excluded; what was not read is noted."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from src.errors import InputError
from src.ingest.metrics import read_metric_folder
from src.ingest.quarantine import Rejects
from src.ingest.window import year_window
from src.schemas import validate
from tests.ingest.metrics.helpers import set_file_time, utc

WINDOW = year_window(2024)
PROFILE = "username,retrieved_at,followers,tweet_count"


def _csv(folder: Path, name: str, header: str, *rows: str) -> Path:
    path = folder / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_latest_snapshot_wins_by_the_date_it_carries(tmp_path: Path) -> None:
    # "a-latest.csv" sorts first but holds the later retrieval, for ada; bea's latest is
    # in "b-older.csv". File order plays no part.
    latest = _csv(
        tmp_path,
        "a-latest.csv",
        "username,retrieved_at,followers,tweet_count,period start",
        "ada,2024-12-31,120,500,2024-12-01",
        "bea,2024-06-01,50,90,2024-06-01",
    )
    older = _csv(
        tmp_path,
        "b-older.csv",
        "username,retrieved_at,followers,tweet_count,period start",
        "ada,2024-06-01,100,400,2024-06-01",
        "bea,2024-12-31,70,130,2024-12-01",
    )
    rejects = Rejects()
    frame = read_metric_folder([older, latest], rejects, WINDOW)
    assert frame is not None
    validate(frame, "account_metrics", source="test")
    latest_rows = frame.sort_values("period_end").groupby("account_id").tail(1)
    assert dict(zip(latest_rows["account_id"], latest_rows["followers"], strict=True)) == {
        "x:@ada": 120,
        "x:@bea": 70,
    }
    # A table of snapshots: the retrieval time is each row's instant; the period start
    # column is not used (and is said so).
    assert (frame["period_start"] == frame["period_end"]).all()
    note = rejects.quality.notes[("metrics", "unused_columns")]
    assert note.count == 2 and "'period start' (a-latest.csv)" in note.message


def test_the_same_period_twice_the_later_retrieval_wins(tmp_path: Path) -> None:
    header = "handle,month,retrieved at,followers,posts"
    second = _csv(tmp_path, "1.csv", header, "ada,2024-05,2024-06-20,110,12")
    first = _csv(tmp_path, "2.csv", header, "ada,2024-05,2024-06-02,100,10")
    rejects = Rejects()
    frame = read_metric_folder([first, second], rejects, WINDOW)
    assert frame is not None and frame[["followers", "posts"]].values.tolist() == [[110, 12.0]]
    note = rejects.quality.notes[("metrics", "repeats_merged")]
    assert note.count == 1 and "1 replaced by a later retrieval" in note.message


def test_without_a_retrieval_time_the_file_time_decides_and_is_said(tmp_path: Path) -> None:
    header = "handle,month,followers,posts"
    later = _csv(tmp_path, "a.csv", header, "ada,2024-05,110,12")
    earlier = _csv(tmp_path, "b.csv", header, "ada,2024-05,100,10")
    set_file_time(later, utc(2024, 6, 20))
    set_file_time(earlier, utc(2024, 6, 2))
    rejects = Rejects()
    frame = read_metric_folder([earlier, later], rejects, WINDOW)
    assert frame is not None and frame["followers"].tolist() == [110]
    note = rejects.quality.notes[("metrics", "repeats_merged")]
    assert note.severity == "warning" and "file modification time, the last resort" in (
        note.message
    )


def test_identical_repeats_are_one_row(tmp_path: Path) -> None:
    header = "handle,month,followers,posts"
    paths = [_csv(tmp_path, f"{n}.csv", header, "ada,2024-05,110,12") for n in range(3)]
    rejects = Rejects()
    frame = read_metric_folder(paths, rejects, WINDOW)
    assert frame is not None and len(frame) == 1
    assert "2 identical" in rejects.quality.notes[("metrics", "repeats_merged")].message


def test_equal_times_with_different_values_are_named(tmp_path: Path) -> None:
    header = "handle,retrieved_at,followers"
    one = _csv(tmp_path, "one.csv", header, "ada,2024-12-31T09:00:00Z,110")
    two = _csv(tmp_path, "two.csv", header, "ada,2024-12-31T09:00:00Z,111", "bea,2024-12-31,5")
    for path in (one, two):
        set_file_time(path, utc(2025, 1, 2))
    with pytest.raises(InputError) as info:
        read_metric_folder([one, two], Rejects(), WINDOW)
    message = str(info.value)
    assert message.startswith(f"{one}, line 2, field 'followers': gives the same account")
    assert "as two.csv, line 2 with other values (followers differs)" in message
    rejects = Rejects(strict=False)
    frame = read_metric_folder([one, two], rejects, WINDOW)
    assert frame is not None and frame["account_id"].tolist() == ["x:@bea"]
    assert rejects.frame()["file"].tolist() == [str(one), str(two)]


def test_overlapping_periods_of_one_account_are_refused(tmp_path: Path) -> None:
    weekly = _csv(tmp_path, "weekly.csv", "handle,week,posts", "ada,2024-W19,5")
    monthly = _csv(tmp_path, "monthly.csv", "handle,month,posts", "ada,2024-05,30", "bea,2024-05,3")
    with pytest.raises(InputError, match="overlaps that of the same account in"):
        read_metric_folder([weekly, monthly], Rejects(), WINDOW)
    rejects = Rejects(strict=False)
    frame = read_metric_folder([weekly, monthly], rejects, WINDOW)
    assert frame is not None and frame["account_id"].tolist() == ["x:@bea"]
    assert len(rejects) == 2


def test_periods_outside_the_window(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "m.csv",
        "handle,period_start,period_end,posts,followers",
        "ada,2023-11-01,2023-11-30,5,10",  # wholly before: excluded
        "ada,2023-12-25,2024-01-07,6,11",  # across 1 January: kept whole
        "ada,2024-06-01,2024-06-30,7,12",
        "ada,2025-01-01,2025-01-31,8,13",  # wholly after: excluded
    )
    rejects = Rejects()
    frame = read_metric_folder([path], rejects, WINDOW)
    assert frame is not None and frame["posts"].tolist() == [6.0, 7.0]
    outside = rejects.quality.notes[("metrics", "outside_window")]
    assert outside.count == 2 and "starting 2023-11-01 to 2025-01-01" in outside.message
    assert rejects.quality.notes[("metrics", "straddles_window")].count == 1
    kept = read_metric_folder([path], Rejects(), replace(WINDOW, keep_outside=True))
    assert kept is not None and len(kept) == 4


def test_snapshots_are_kept_whatever_their_date(tmp_path: Path) -> None:
    # Figures of an account at an instant describe it, not the year's activity.
    path = _csv(tmp_path, "p.csv", PROFILE, "ada,2025-01-15,10,100")
    frame = read_metric_folder([path], Rejects(), WINDOW)
    assert frame is not None and len(frame) == 1


def test_notes_on_posts_that_cannot_be_had(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "p.csv",
        PROFILE,
        "ada,2024-03-01,10,1505",
        "bea,2023-06-01,10,100",
        "bea,2024-12-31,10,465",
    )
    rejects = Rejects()
    read_metric_folder([path], rejects, WINDOW)
    unknown = rejects.quality.notes[("metrics", "posts_unknown")]
    assert unknown.count == 1 and "1 have a lifetime total" in unknown.message
    assert "single snapshot" in unknown.message and unknown.severity == "warning"
    snapshots = rejects.quality.notes[("metrics", "posts_from_snapshots")]
    assert snapshots.count == 1 and "for 1 of them the snapshots reach outside" in (
        snapshots.message
    )


def test_per_day_averages_are_noted(tmp_path: Path) -> None:
    path = _csv(tmp_path, "r.csv", "handle,week,Avg daily posts", "ada,2024-W02,1.5")
    rejects = Rejects()
    frame = read_metric_folder([path], rejects, WINDOW)
    assert frame is not None and frame["posts"].tolist() == [10.5]
    assert (
        "'Avg daily posts' (r.csv)"
        in rejects.quality.notes[("metrics", "per_day_averages")].message
    )
