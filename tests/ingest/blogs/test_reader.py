"""Blog feeds read together: the same entry in several copies of a feed."""

from __future__ import annotations

from pathlib import Path

from src.ingest.blogs import read_blog_feed, read_blog_feeds
from src.ingest.quarantine import Rejects
from tests.ingest.blogs.helpers import (
    FEED,
    set_file_time,
    strict_error,
    utc,
    write_atom,
    write_rss,
)

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


def test_duplicate_entry_without_anything_to_choose_by_is_refused(tmp_path: Path) -> None:
    # The same post twice in one file, different, with no update date: nothing tells which
    # copy is later, so neither is taken (never the one listed last).
    items = (
        "<item><guid>g1</guid><title>Old</title><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<slash:comments>1</slash:comments></item>"
        "<item><guid>g2</guid><title>Other</title><pubDate>Fri, 02 May 2014 09:00:00 GMT</pubDate>"
        "</item>"
        "<item><guid>g1</guid><title>New</title><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<slash:comments>4</slash:comments></item>"
    )
    path = write_rss(tmp_path, items)
    message = strict_error(path)
    assert (
        ", entry 1 (id 'g1'), field 'title': is another copy of the post in feed.xml, entry 3, "
        "with a different title, and nothing tells which copy is later" in message
    )
    rejects = Rejects(strict=False)
    frame = read_blog_feed(path, FEED, rejects=rejects)
    assert frame["title"].tolist() == ["Other"]
    assert rejects.frame()["record"].tolist() == ["entry 1 (id 'g1')", "entry 3 (id 'g1')"]


def test_identical_duplicates_are_one_row(tmp_path: Path) -> None:
    item = (
        "<item><guid>g1</guid><title>Same</title><pubDate>Thu, 01 May 2014 09:00:00 GMT"
        "</pubDate></item>"
    )
    assert len(read_blog_feed(write_rss(tmp_path, item * 3), FEED)) == 1


def test_duplicates_across_saved_copies_of_a_feed(tmp_path: Path) -> None:
    # Two saved copies of the same feed: the same post, comments grown. Without update or
    # feed dates the later saved file wins (its modification time, the last resort),
    # whatever the names sort to and whatever the mapping's order.
    early = write_rss(
        tmp_path,
        "<item><guid>g1</guid><title>T</title><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<slash:comments>2</slash:comments></item>",
        "z-saved-first.xml",
    )
    late = write_rss(
        tmp_path,
        "<item><guid>g1</guid><title>T</title><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<slash:comments>9</slash:comments></item>",
        "a-saved-later.xml",
    )
    set_file_time(early, utc(2014, 6, 1))
    set_file_time(late, utc(2014, 7, 1))
    rejects = Rejects()
    assert read_blog_feeds({late: FEED, early: FEED}, rejects)["comments"].tolist() == [9]
    note = rejects.quality.notes[("blogs", "copies_merged")]
    assert note.count == 1 and note.severity == "warning"
    assert "1 older copies replaced by the file's modification time" in note.message
    # Different feeds: the same guid is two posts.
    assert len(read_blog_feeds({early: FEED, late: FEED + "2"})) == 2
