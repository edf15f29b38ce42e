"""What saved feeds cover (src/ingest/blogs/coverage.py): capped feeds, the span blog
cadence is read over, gaps between copies, and posts outside the year's window."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from src.ingest.blogs import read_feeds
from src.ingest.blogs.coverage import CAP_MIN, calendar_months
from src.ingest.quarantine import Rejects
from src.ingest.window import year_window
from src.schemas import validate
from tests.ingest.blogs.helpers import FEED, set_file_time, utc, write_rss

WINDOW = year_window(2024)


def _items(times: list[pd.Timestamp], prefix: str = "p") -> str:
    return "".join(
        f"<item><guid>{prefix}{n}</guid><title>{n}</title>"
        f"<pubDate>{t:%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>"
        for n, t in enumerate(times)
    )


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (utc(2024, 1, 1), utc(2025, 1, 1), 12.0),
        (utc(2024, 10, 1), utc(2025, 1, 1), 3.0),
        (utc(2024, 4, 1), utc(2024, 4, 16), 0.5),  # 15 of April's 30 days
        (utc(2024, 1, 31), utc(2024, 3, 1), 1 / 31 + 1),  # 1 of 31 January days, all February
        (utc(2024, 5, 1), utc(2024, 5, 1), 0.0),
        (utc(2024, 6, 1), utc(2024, 5, 1), 0.0),
    ],
)
def test_calendar_months(start: pd.Timestamp, end: pd.Timestamp, months: float) -> None:
    assert calendar_months(start, end) == pytest.approx(months)


def test_a_capped_feed_is_measured_from_its_oldest_post(tmp_path: Path) -> None:
    # Ten posts, the oldest on 1 October: the feed serves its latest 10, so the span it
    # covers is 1 October to the window's end, three months.
    times = [utc(2024, 10, 1) + timedelta(days=9 * n) for n in range(CAP_MIN)]
    path = write_rss(tmp_path, _items(times))
    rejects = Rejects()
    tables = read_feeds({path: FEED}, rejects, WINDOW)
    validate(tables.feeds, "blog_feeds", source="test")
    feed = tables.feeds.iloc[0]
    assert (feed["account_id"], feed["copies"], feed["items"]) == ("blog:" + FEED, 1, 10)
    assert bool(feed["capped"]) and feed["oldest_item"] == utc(2024, 10, 1)
    assert (feed["cadence_start"], feed["cadence_end"]) == (utc(2024, 10, 1), utc(2025, 1, 1))
    assert feed["cadence_months"] == pytest.approx(3.0)
    note = rejects.quality.notes[("blogs", "capped_feeds")]
    assert (note.count, note.files, note.severity) == (1, (str(path),), "warning")


def test_fewer_posts_than_a_cap_are_the_whole_blog(tmp_path: Path) -> None:
    times = [utc(2024, 10, 1) + timedelta(days=9 * n) for n in range(CAP_MIN - 1)]
    rejects = Rejects()
    feed = read_feeds({write_rss(tmp_path, _items(times)): FEED}, rejects, WINDOW).feeds.iloc[0]
    assert not feed["capped"] and feed["cadence_months"] == pytest.approx(12.0)
    assert feed["cadence_start"] == utc(2024, 1, 1)
    assert ("blogs", "capped_feeds") not in rejects.quality.notes


def test_a_feed_reaching_back_before_the_window_covers_all_of_it(tmp_path: Path) -> None:
    times = [utc(2023, 12, 20) + timedelta(days=30 * n) for n in range(12)]
    rejects = Rejects()
    tables = read_feeds({write_rss(tmp_path, _items(times)): FEED}, rejects, WINDOW)
    feed = tables.feeds.iloc[0]
    assert not feed["capped"] and feed["cadence_months"] == pytest.approx(12.0)
    # The December 2023 post is outside the window: counted, reported and excluded.
    assert len(tables.posts) == 11 and tables.posts["created_at"].min() >= utc(2024, 1, 1)
    note = rejects.quality.notes[("blogs", "outside_window")]
    assert note.count == 1 and "2023-12-20 to 2023-12-20" in note.message
    assert "were excluded" in note.message


def test_copies_saved_apart_leave_a_gap(tmp_path: Path) -> None:
    spring = write_rss(
        tmp_path, _items([utc(2024, 3, 1) + timedelta(days=n) for n in range(10)], "a"), "1.xml"
    )
    winter = write_rss(
        tmp_path, _items([utc(2024, 11, 1) + timedelta(days=n) for n in range(10)], "b"), "2.xml"
    )
    set_file_time(spring, utc(2024, 3, 12))
    set_file_time(winter, utc(2025, 1, 2))
    rejects = Rejects()
    tables = read_feeds({spring: FEED, winter: FEED}, rejects, WINDOW)
    feed = tables.feeds.iloc[0]
    assert (feed["copies"], feed["items"], bool(feed["capped"])) == (2, 20, True)
    assert feed["cadence_start"] == utc(2024, 3, 1)  # the oldest post of any copy
    assert feed["cadence_months"] == pytest.approx(10.0)
    note = rejects.quality.notes[("blogs", "copy_gaps")]
    assert note.count == 1 and set(note.files) == {str(spring), str(winter)}


def test_a_capped_feed_covering_nothing_of_the_window(tmp_path: Path) -> None:
    times = [utc(2025, 2, 1) + timedelta(days=n) for n in range(10)]
    tables = read_feeds({write_rss(tmp_path, _items(times)): FEED}, Rejects(), WINDOW)
    feed = tables.feeds.iloc[0]
    assert bool(feed["capped"]) and feed["cadence_months"] == 0.0
    assert feed["cadence_start"] == feed["cadence_end"] == utc(2025, 1, 1)
    assert tables.posts.empty


def test_keeping_posts_outside_the_window(tmp_path: Path) -> None:
    from dataclasses import replace

    keep = replace(WINDOW, keep_outside=True)
    path = write_rss(tmp_path, _items([utc(2023, 5, 1), utc(2024, 5, 1)]))
    rejects = Rejects()
    assert len(read_feeds({path: FEED}, rejects, keep).posts) == 2
    note = rejects.quality.notes[("blogs", "outside_window")]
    assert "kept (outside_window = keep)" in note.message and note.severity == "warning"


def test_a_feed_that_says_it_is_complete_is_not_capped(tmp_path: Path) -> None:
    # RFC 5005: <fh:complete/> says the feed holds every entry (the blog began in October).
    times = [utc(2024, 10, 1) + timedelta(days=9 * n) for n in range(CAP_MIN)]
    path = write_rss(
        tmp_path,
        '<fh:complete xmlns:fh="http://purl.org/syndication/history/1.0"/>' + _items(times),
    )
    feed = read_feeds({path: FEED}, Rejects(), WINDOW).feeds.iloc[0]
    assert not feed["capped"] and feed["cadence_months"] == pytest.approx(12.0)
