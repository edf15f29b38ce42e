"""Saved copies of a feed (src/ingest/blogs/copies.py): one post per entry id, link or date,
the latest copy winning by the entry's date, the feed's date, then the file's time."""

from __future__ import annotations

from pathlib import Path

import pytest

from src.errors import InputError
from src.ingest.blogs import read_blog_feeds
from src.ingest.quarantine import Rejects
from tests.ingest.blogs.helpers import (
    ATOM_HEAD,
    FEED,
    expected_post_id,
    set_file_time,
    utc,
    write_atom,
    write_rss,
)


def _rss_copy(tmp_path: Path, name: str, built: str | None, comments: int, title: str = "T"):
    """A saved copy of one feed holding post g1, with ``comments`` and the channel date."""
    head = f"<lastBuildDate>{built}</lastBuildDate>" if built else ""
    return write_rss(
        tmp_path,
        f"{head}<item><guid>g1</guid><link>https://feed.example/p1</link><title>{title}</title>"
        f"<pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        f"<slash:comments>{comments}</slash:comments></item>",
        name,
    )


def test_the_feeds_own_date_decides_before_file_time_and_names(tmp_path: Path) -> None:
    # "a.xml" says it was built in July, "b.xml" in June; their file times say the opposite
    # (copied over later): the feed's own date wins, and names play no part.
    july = _rss_copy(tmp_path, "a.xml", "Tue, 01 Jul 2014 10:00:00 +0000", 9, "Edited")
    june = _rss_copy(tmp_path, "b.xml", "Sun, 01 Jun 2014 10:00:00 +0000", 2)
    set_file_time(july, utc(2014, 8, 1))
    set_file_time(june, utc(2014, 9, 1))
    rejects = Rejects()
    frame = read_blog_feeds({june: FEED, july: FEED}, rejects)
    assert (frame["title"].tolist(), frame["comments"].tolist()) == (["Edited"], [9])
    note = rejects.quality.notes[("blogs", "copies_merged")]
    assert note.count == 1 and note.severity == "info"
    assert "by the feed's own date" in note.message


def test_the_entrys_update_date_decides_before_the_feeds_date(tmp_path: Path) -> None:
    entry = (
        "<entry><id>e1</id><title>{title}</title><published>2014-05-01T00:00:00Z</published>"
        "<updated>{updated}</updated><thr:total>{n}</thr:total></entry>"
    )
    newer_entry = write_atom(
        tmp_path,
        entry.format(title="Second", updated="2014-05-09T00:00:00Z", n=5),
        "old-feed.atom",
        head=ATOM_HEAD.replace("2014-06-01", "2014-05-10"),
    )
    older_entry = write_atom(
        tmp_path,
        entry.format(title="First", updated="2014-05-02T00:00:00Z", n=1),
        "new-feed.atom",
        head=ATOM_HEAD.replace("2014-06-01", "2014-07-01"),
    )
    frame = read_blog_feeds({older_entry: FEED, newer_entry: FEED})
    assert frame["title"].tolist() == ["Second"] and frame["comments"].tolist() == [5]


def test_an_unreadable_feed_date_falls_back_to_the_file_time(tmp_path: Path) -> None:
    early = _rss_copy(tmp_path, "a.xml", "yesterday", 1)
    late = _rss_copy(tmp_path, "b.xml", "Sun, 01 Jun 2014 10:00:00 +0000", 3)
    set_file_time(early, utc(2014, 6, 2))
    set_file_time(late, utc(2014, 6, 1))
    rejects = Rejects()
    # Not every copy has a readable feed date, so the file times decide: a.xml is later.
    assert read_blog_feeds({early: FEED, late: FEED}, rejects)["comments"].tolist() == [1]
    assert rejects.quality.notes[("blogs", "feed_date_unreadable")].files == (str(early),)


def test_copies_tied_at_the_latest_time_are_refused(tmp_path: Path) -> None:
    first = _rss_copy(tmp_path, "a.xml", "Sun, 01 Jun 2014 10:00:00 +0000", 2)
    second = _rss_copy(tmp_path, "b.xml", "Sun, 01 Jun 2014 10:00:00 +0000", 3)
    for path in (first, second):
        set_file_time(path, utc(2014, 6, 2))
    with pytest.raises(InputError) as info:
        read_blog_feeds({first: FEED, second: FEED})
    assert str(info.value).startswith(f"{first}, entry 1 (id 'g1'), field 'comments': ")
    assert "is another copy of the post in b.xml, entry 1, with a different comments" in str(
        info.value
    )
    rejects = Rejects(strict=False)
    assert read_blog_feeds({first: FEED, second: FEED}, rejects).empty
    assert rejects.frame()["file"].tolist() == [str(first), str(second)]


def test_an_edited_post_is_one_post(tmp_path: Path) -> None:
    # Same guid and link, the title and date edited: one post (the later copy's).
    old = write_rss(
        tmp_path,
        "<lastBuildDate>Sun, 01 Jun 2014 10:00:00 +0000</lastBuildDate>"
        "<item><guid>g1</guid><link>https://feed.example/p1</link><title>Draft</title>"
        "<pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate></item>",
        "old.xml",
    )
    new = write_rss(
        tmp_path,
        "<lastBuildDate>Tue, 01 Jul 2014 10:00:00 +0000</lastBuildDate>"
        "<item><guid>g1</guid><link>https://feed.example/p1</link><title>Final</title>"
        "<pubDate>Fri, 02 May 2014 09:00:00 GMT</pubDate></item>",
        "new.xml",
    )
    frame = read_blog_feeds({old: FEED, new: FEED})
    assert frame["title"].tolist() == ["Final"]
    assert frame["post_id"].tolist() == [expected_post_id(FEED, "g1")]


def test_distinct_posts_sharing_a_guid_are_kept_apart(tmp_path: Path) -> None:
    # A feed that reuses its guid: different links and dates, so two posts.
    path = write_rss(
        tmp_path,
        "<item><guid isPermaLink='false'>post</guid><link>https://feed.example/a</link>"
        "<title>A</title><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate></item>"
        "<item><guid isPermaLink='false'>post</guid><link>https://feed.example/b</link>"
        "<title>B</title><pubDate>Fri, 02 May 2014 09:00:00 GMT</pubDate></item>",
    )
    rejects = Rejects()
    frame = read_blog_feeds({path: FEED}, rejects)
    assert frame["title"].tolist() == ["A", "B"]
    assert frame["post_id"].tolist() == [
        expected_post_id(FEED, "post\n2014-05-01T09:00:00+00:00\nhttps://feed.example/a"),
        expected_post_id(FEED, "post\n2014-05-02T09:00:00+00:00\nhttps://feed.example/b"),
    ]
    assert rejects.quality.notes[("blogs", "shared_ids_kept_apart")].count == 1


def test_identical_copies_in_many_files_are_one_post(tmp_path: Path) -> None:
    paths = [_rss_copy(tmp_path, f"{n}.xml", None, 4) for n in range(3)]
    rejects = Rejects()
    frame = read_blog_feeds(dict.fromkeys(paths, FEED), rejects)
    assert frame["comments"].tolist() == [4]
    note = rejects.quality.notes[("blogs", "copies_merged")]
    assert note.count == 2 and "2 identical" in note.message
