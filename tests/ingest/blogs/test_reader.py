"""Blog feeds read together: the same entry in several copies of a feed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src.ingest.blogs import read_blog_feed, read_blog_feeds
from tests.ingest.blogs.helpers import FEED, write_atom, write_rss

# --- duplicates ----------------------------------------------------------------------


def test_duplicate_entry_latest_updated_wins(tmp_path: Path) -> None:
    path = write_atom(
        tmp_path,
        "<entry><id>e1</id><title>Second edit</title><published>2014-05-01T00:00:00Z</published>"
        "<updated>2014-05-03T00:00:00Z</updated><thr:total>7</thr:total></entry>"
        "<entry><id>e1</id><title>First edit</title><published>2014-05-01T00:00:00Z</published>"
        "<updated>2014-05-02T00:00:00Z</updated><thr:total>2</thr:total></entry>",
    )
    frame = read_blog_feed(path, FEED)
    assert frame["title"].tolist() == ["Second edit"]
    assert frame["comments"].tolist() == [7]


def test_duplicate_entry_without_updated_last_wins(tmp_path: Path) -> None:
    items = (
        "<item><guid>g1</guid><title>Old</title><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<slash:comments>1</slash:comments></item>"
        "<item><guid>g2</guid><title>Other</title><pubDate>Fri, 02 May 2014 09:00:00 GMT</pubDate>"
        "</item>"
        "<item><guid>g1</guid><title>New</title><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<slash:comments>4</slash:comments></item>"
    )
    frame = read_blog_feed(write_rss(tmp_path, items), FEED)
    assert frame["title"].tolist() == ["New", "Other"]
    assert frame["comments"].iloc[0] == 4 and pd.isna(frame["comments"].iloc[1])


def test_identical_duplicates_are_one_row(tmp_path: Path) -> None:
    item = (
        "<item><guid>g1</guid><title>Same</title><pubDate>Thu, 01 May 2014 09:00:00 GMT"
        "</pubDate></item>"
    )
    assert len(read_blog_feed(write_rss(tmp_path, item * 3), FEED)) == 1


def test_duplicates_across_saved_copies_of_a_feed(tmp_path: Path) -> None:
    # Two snapshots of the same feed: the same posts, counts grown. Without update
    # dates the file read last (sorted by path) wins, whatever the mapping's order.
    early = write_rss(
        tmp_path,
        "<item><guid>g1</guid><title>T</title><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<slash:comments>2</slash:comments></item>",
        "2014-05.xml",
    )
    late = write_rss(
        tmp_path,
        "<item><guid>g1</guid><title>T</title><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<slash:comments>9</slash:comments></item>",
        "2014-06.xml",
    )
    assert read_blog_feeds({late: FEED, early: FEED})["comments"].tolist() == [9]
    # Different feeds: the same guid is two posts.
    assert len(read_blog_feeds({early: FEED, late: FEED + "2"})) == 2
