"""Blog feeds, RSS 2.0 and Atom (src.ingest.blogs), on the hand-written fixture files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src.ingest.blogs import post_id, read_blog_feed, read_blog_feeds
from src.schemas import BLOG_POSTS, validate
from tests.ingest.blogs.helpers import (
    ATOM_FILE,
    ATOM_HEAD,
    ATOM_URL,
    DATA,
    FEED,
    RSS_FILE,
    RSS_URL,
    WP_FILE,
    WP_URL,
    expected_post_id,
    utc,
    write_atom,
    write_rss,
)

# --- the fixture files -------------------------------------------------------------


def test_rss2_with_slash_comments() -> None:
    frame = read_blog_feed(RSS_FILE, RSS_URL)
    validate(frame, "blog_posts", source=str(RSS_FILE))
    assert list(frame.columns) == list(BLOG_POSTS.columns)
    assert len(frame) == 4
    assert frame["comments"].sum() == 14 + 0 + 3
    assert int(frame["comments"].isna().sum()) == 1
    assert str(frame["comments"].dtype) == "Int64"
    assert str(frame["created_at"].dtype) == "datetime64[us, UTC]"
    assert set(frame["account_id"]) == {"blog:" + RSS_URL}
    assert set(frame["feed_url"]) == {RSS_URL}
    rows = frame.to_dict("records")
    # Sorted by time: the file lists newest first.
    assert [r["title"] for r in rows] == [
        "First post",
        "Night shift & sleep",
        "Patient safety huddles",
        "Handover that works",
    ]
    first, night, huddles, handover = rows

    # No guid: the link identifies the entry.
    assert first["post_id"] == expected_post_id(
        RSS_URL, "https://wardnotes.example.org/2014/04/first-post"
    )
    assert first["url"] == "https://wardnotes.example.org/2014/04/first-post"
    assert first["created_at"] == utc(2014, 4, 1, 12, 0)
    assert first["comments"] == 3  # " 3 " in the file
    assert first["author"] is None and first["categories"] == []

    # A permalink guid and no <link>: the guid is both the id and the url; -0400 → UTC.
    assert night["post_id"] == expected_post_id(
        RSS_URL, "https://wardnotes.example.org/2014/04/night-shift"
    )
    assert night["url"] == "https://wardnotes.example.org/2014/04/night-shift"
    assert night["created_at"] == utc(2014, 5, 1, 3, 30)
    assert pd.isna(night["comments"])
    assert night["author"] is None

    assert huddles["post_id"] == expected_post_id(RSS_URL, "tag:wardnotes.example.org,2014:post-3")
    assert huddles["url"] == "https://wardnotes.example.org/2014/05/huddles"
    assert huddles["created_at"] == utc(2014, 5, 8, 7, 0)
    assert huddles["author"] == "Ada Ashby"  # dc:creator
    assert huddles["categories"] == ["Nursing", "Patient safety"]  # the repeat dropped
    assert huddles["comments"] == 0

    # <author> is "e-mail (name)": the name is kept, the e-mail address never.
    assert handover["author"] == "Sister Ada Ashby"
    assert handover["created_at"] == utc(2014, 5, 20, 17, 45)  # +0100
    assert handover["categories"] == ["Nursing", "Handover"]
    assert handover["comments"] == 14
    assert handover["post_id"] == expected_post_id(RSS_URL, "tag:wardnotes.example.org,2014:post-4")
    assert not frame.astype(str).apply(lambda c: c.str.contains("@example.org")).any().any()


def test_atom_with_thread_counts() -> None:
    frame = read_blog_feed(ATOM_FILE, ATOM_URL)
    validate(frame, "blog_posts", source=str(ATOM_FILE))
    assert len(frame) == 4
    assert frame["comments"].sum() == 12 + 4 + 9
    assert int(frame["comments"].isna().sum()) == 1
    rows = frame.to_dict("records")
    assert [r["title"] for r in rows] == [
        "Board papers, April",
        "Listening well",
        "Our staff survey, in full",
        "Budgets and beds",
    ]
    april, listening, survey, budgets = rows
    for row, number in ((april, 4), (listening, 5), (survey, 6), (budgets, 7)):
        assert row["post_id"] == expected_post_id(
            ATOM_URL, f"tag:boardroom.example.net,2014:/posts/{number}"
        )
        assert row["account_id"] == "blog:" + ATOM_URL

    # thr:total (12) wins over the replies link's thr:count (11); -01:00 → UTC; no
    # alternate link, so no url (the atom:id is not a link).
    assert april["comments"] == 12
    assert april["created_at"] == utc(2014, 5, 1, 0, 59, 59)
    assert april["url"] is None
    assert april["author"] == "Northvale Comms Team"  # inherited from the feed (RFC 4287 §4.2.1)

    # XHTML title as plain text; a link without rel is the alternate link; no count.
    assert listening["url"] == "https://boardroom.example.net/posts/5"
    assert pd.isna(listening["comments"])
    assert listening["categories"] == ["listening"]
    assert listening["author"] == "Dr Bea Brook"

    # Only <updated>: it is the creation time. Two replies links, 4 and 2: the larger.
    assert survey["created_at"] == utc(2014, 5, 21, 16, 0)
    assert survey["comments"] == 4
    assert survey["author"] == "Northvale Comms Team"
    assert survey["categories"] == []

    # HTML title as plain text; published (not updated) is the creation time; terms not labels.
    assert budgets["created_at"] == utc(2014, 6, 2, 8, 15)
    assert budgets["comments"] == 9
    assert budgets["url"] == "https://boardroom.example.net/posts/7"
    assert budgets["author"] == "Dr Bea Brook"
    assert budgets["categories"] == ["leadership", "finance"]


def test_wordpress_feed() -> None:
    frame = read_blog_feed(WP_FILE, WP_URL)
    validate(frame, "blog_posts", source=str(WP_FILE))
    assert len(frame) == 3
    assert frame["comments"].sum() == 21 + 5 + 1
    assert frame["comments"].notna().all()
    assert set(frame["author"]) == {"cal"}
    rows = frame.to_dict("records")
    assert [r["post_id"] for r in rows] == [
        expected_post_id(WP_URL, f"https://midwifemusings.example.com/?p={p}")
        for p in (187, 198, 212)
    ]
    assert [r["title"] for r in rows] == [
        "Student midwives\u2019 questions answered",
        "Why I blog",
        "Continuity of carer: a year on",
    ]
    assert [r["url"] for r in rows] == [
        "https://midwifemusings.example.com/2014/04/25/student-questions/",
        "https://midwifemusings.example.com/2014/05/12/why-i-blog/",
        "https://midwifemusings.example.com/2014/06/01/continuity/",
    ]
    assert [r["created_at"] for r in rows] == [
        utc(2014, 4, 25, 13, 0),
        utc(2014, 5, 12, 6, 30),
        utc(2014, 6, 1, 20, 5, 41),
    ]
    assert [r["comments"] for r in rows] == [1, 5, 21]
    assert [r["categories"] for r in rows] == [
        ["Midwifery", "Education"],
        ["Uncategorized"],
        ["Midwifery", "Maternity"],
    ]


def test_several_feeds_sorted_and_independent_of_order() -> None:
    mapping = {RSS_FILE: RSS_URL, ATOM_FILE: ATOM_URL, WP_FILE: WP_URL}
    frame = read_blog_feeds(mapping)
    validate(frame, "blog_posts", source=str(DATA))
    assert len(frame) == 11
    assert frame["comments"].sum() == 17 + 25 + 27
    assert frame.groupby("account_id").size().to_dict() == {
        "blog:" + ATOM_URL: 4,
        "blog:" + WP_URL: 3,
        "blog:" + RSS_URL: 4,
    }
    assert frame["created_at"].is_monotonic_increasing
    assert frame["post_id"].is_unique
    reversed_mapping = dict(reversed(list(mapping.items())))
    pd.testing.assert_frame_equal(read_blog_feeds(reversed_mapping), frame)
    # One file read on its own gives the same rows as in the combined table.
    alone = read_blog_feed(WP_FILE, WP_URL)
    together = frame[frame["feed_url"] == WP_URL].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, together)


def test_post_id() -> None:
    assert post_id("https://a.example/feed", "guid-1") == expected_post_id(
        "https://a.example/feed", "guid-1"
    )
    assert len(post_id("u", "i")) == len("blog:") + 16
    # The same entry id in two feeds is two posts.
    assert post_id("https://a.example/feed", "1") != post_id("https://b.example/feed", "1")


def test_ties_in_time_sort_by_post_id(tmp_path: Path) -> None:
    items = "".join(
        f"<item><guid>id-{n}</guid><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate></item>"
        for n in range(5)
    )
    frame = read_blog_feed(write_rss(tmp_path, items), FEED)
    assert frame["post_id"].tolist() == sorted(expected_post_id(FEED, f"id-{n}") for n in range(5))


def test_no_mapping_and_no_entries_give_empty_tables(tmp_path: Path) -> None:
    empty = read_blog_feeds({})
    validate(empty, "blog_posts", source="none")
    assert len(empty) == 0 and list(empty.columns) == list(BLOG_POSTS.columns)
    no_items = read_blog_feed(
        write_rss(tmp_path, ""), FEED
    )  # a well-formed feed of a blog with no posts
    validate(no_items, "blog_posts", source="none")
    assert len(no_items) == 0


def test_namespace_prefixes_other_than_slash_and_thr(tmp_path: Path) -> None:
    rss = tmp_path / "rss.xml"
    rss.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:s="http://purl.org/rss/1.0/modules/slash/"><channel><title>T</title>'
        "<item><guid>a</guid><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<s:comments>6</s:comments></item></channel></rss>",
        encoding="utf-8",
    )
    assert read_blog_feed(rss, FEED)["comments"].tolist() == [6]
    head = ATOM_HEAD.replace('xmlns:thr="http://purl.org/syndication/thread/1.0"', "")
    atom = write_atom(
        tmp_path,
        '<entry xmlns:t="http://purl.org/syndication/thread/1.0"><id>e1</id><updated>2014-05-01T00:00:00Z</updated>'
        '<link rel="replies" href="https://feed.example/c" t:count="2"/><t:total>3</t:total>'
        "</entry>"
        '<entry xmlns:t="http://purl.org/syndication/thread/1.0"><id>e2</id><updated>2014-05-02T00:00:00Z</updated>'
        '<link rel="replies" href="https://feed.example/c2" t:count="2"/></entry>',
        head=head,
    )
    assert read_blog_feed(atom, FEED)["comments"].tolist() == [3, 2]


def test_slash_comments_win_over_thread_counts(tmp_path: Path) -> None:
    path = tmp_path / "both.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/" '
        'xmlns:thr="http://purl.org/syndication/thread/1.0"><channel><title>T</title>'
        "<item><guid>a</guid><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<slash:comments>6</slash:comments>"
        "<thr:total>8</thr:total></item></channel></rss>",
        encoding="utf-8",
    )
    assert read_blog_feed(path, FEED)["comments"].tolist() == [6]


def test_declared_encoding_that_fits_is_read(tmp_path: Path) -> None:
    path = tmp_path / "latin1.xml"
    path.write_bytes(
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>T</title>'
        "<item><guid>a</guid><title>Caf\xe9 culture</title><pubDate>Thu, 01 May 2014 09:00:00 "
        "GMT</pubDate></item>"
        "</channel></rss>".encode("latin-1")
    )
    assert read_blog_feed(path, FEED)["title"].tolist() == ["Caf\xe9 culture"]


def test_tolerated_encoding_override(tmp_path: Path) -> None:
    # Declared us-ascii, written in UTF-8: feedparser flags bozo (CharacterEncodingOverride)
    # and re-reads it as UTF-8, which is right; the reader accepts it.
    path = tmp_path / "ascii.xml"
    path.write_bytes(
        '<?xml version="1.0" encoding="us-ascii"?><rss version="2.0"><channel><title>T</title>'
        "<item><guid>a</guid><title>Caf\xe9 culture</title><pubDate>Thu, 01 May 2014 09:00:00 "
        "GMT</pubDate></item>"
        "</channel></rss>".encode()
    )
    assert read_blog_feed(path, FEED)["title"].tolist() == ["Caf\xe9 culture"]


def test_date_forms(tmp_path: Path) -> None:
    items = (
        # a: RFC 2822 -0000 is UTC; b: a two-digit year and a named zone
        "<item><guid>a</guid><pubDate>Thu, 01 May 2014 09:30:00 -0000</pubDate></item>"
        "<item><guid>b</guid><pubDate>01 May 14 09:30 EST</pubDate></item>"
        "<item><guid>c</guid><dc:date>2014-05-02</dc:date></item>"  # W3CDTF date: midnight UTC
        "<item><guid>d</guid><dc:date>2014-05-03T10:00:00.250+02:00</dc:date></item>"
    )
    frame = read_blog_feed(write_rss(tmp_path, items), FEED)
    assert frame["created_at"].tolist() == [
        utc(2014, 5, 1, 9, 30),
        utc(2014, 5, 1, 14, 30),
        utc(2014, 5, 2),
        pd.Timestamp("2014-05-03T08:00:00.250Z"),
    ]
