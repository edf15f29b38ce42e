"""Blog feeds, RSS 2.0 and Atom (src.ingest.blogs.read_blog_feed / read_blog_feeds)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from src.errors import InputError, ParameterError
from src.ingest.blogs import post_id, read_blog_feed, read_blog_feeds
from src.ingest.quarantine import Rejects
from src.schemas import BLOG_POSTS, validate

DATA = Path(__file__).parent / "data" / "blogs"
RSS_FILE, ATOM_FILE, WP_FILE = (
    DATA / "rss2_slash.xml",
    DATA / "atom_thr.xml",
    DATA / "wordpress.xml",
)
RSS_URL = "https://wardnotes.example.org/feed.rss"
ATOM_URL = "https://boardroom.example.net/atom.xml"
WP_URL = "https://midwifemusings.example.com/feed/"
FEED = "https://feed.example/rss"

RSS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
    "<channel><title>T</title><link>https://feed.example/</link><description>d</description>\n"
)
ATOM_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">\n'
    "<title>T</title><id>urn:feed</id><updated>2014-06-01T00:00:00Z</updated>\n"
)


def utc(*parts: int) -> pd.Timestamp:
    return pd.Timestamp(datetime(*parts, tzinfo=UTC))


def expected_post_id(feed_url: str, entry_id: str) -> str:
    return "blog:" + hashlib.sha256(f"{feed_url}\n{entry_id}".encode()).hexdigest()[:16]


def _rss(tmp_path: Path, items: str, name: str = "feed.xml") -> Path:
    path = tmp_path / name
    path.write_text(RSS_HEAD + items + "\n</channel></rss>\n", encoding="utf-8")
    return path


def _atom(tmp_path: Path, entries: str, name: str = "feed.atom", head: str = ATOM_HEAD) -> Path:
    path = tmp_path / name
    path.write_text(head + entries + "\n</feed>\n", encoding="utf-8")
    return path


def _error(path: Path, feed_url: str = FEED) -> str:
    with pytest.raises(InputError) as info:
        read_blog_feed(path, feed_url)
    message = str(info.value)
    assert message.startswith(str(path)), message
    return message


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
    frame = read_blog_feed(_rss(tmp_path, items), FEED)
    assert frame["post_id"].tolist() == sorted(expected_post_id(FEED, f"id-{n}") for n in range(5))


def test_no_mapping_and_no_entries_give_empty_tables(tmp_path: Path) -> None:
    empty = read_blog_feeds({})
    validate(empty, "blog_posts", source="none")
    assert len(empty) == 0 and list(empty.columns) == list(BLOG_POSTS.columns)
    no_items = read_blog_feed(
        _rss(tmp_path, ""), FEED
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
    atom = _atom(
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
    frame = read_blog_feed(_rss(tmp_path, items), FEED)
    assert frame["created_at"].tolist() == [
        utc(2014, 5, 1, 9, 30),
        utc(2014, 5, 1, 14, 30),
        utc(2014, 5, 2),
        pd.Timestamp("2014-05-03T08:00:00.250Z"),
    ]


# --- duplicates ----------------------------------------------------------------------


def test_duplicate_entry_latest_updated_wins(tmp_path: Path) -> None:
    path = _atom(
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
    frame = read_blog_feed(_rss(tmp_path, items), FEED)
    assert frame["title"].tolist() == ["New", "Other"]
    assert frame["comments"].iloc[0] == 4 and pd.isna(frame["comments"].iloc[1])


def test_identical_duplicates_are_one_row(tmp_path: Path) -> None:
    item = "<item><guid>g1</guid><title>Same</title><pubDate>Thu, 01 May 2014 09:00:00 "
    "GMT</pubDate></item>"
    assert len(read_blog_feed(_rss(tmp_path, item * 3), FEED)) == 1


def test_duplicates_across_saved_copies_of_a_feed(tmp_path: Path) -> None:
    # Two snapshots of the same feed: the same posts, counts grown. Without update
    # dates the file read last (sorted by path) wins, whatever the mapping's order.
    early = _rss(
        tmp_path,
        "<item><guid>g1</guid><title>T</title><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<slash:comments>2</slash:comments></item>",
        "2014-05.xml",
    )
    late = _rss(
        tmp_path,
        "<item><guid>g1</guid><title>T</title><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
        "<slash:comments>9</slash:comments></item>",
        "2014-06.xml",
    )
    assert read_blog_feeds({late: FEED, early: FEED})["comments"].tolist() == [9]
    # Different feeds: the same guid is two posts.
    assert len(read_blog_feeds({early: FEED, late: FEED + "2"})) == 2


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(content)
    assert "is empty" in _error(path)


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in _error(tmp_path / "nothing.xml")


@pytest.mark.parametrize(
    ("content", "line", "expected"),
    [
        (b"hello, this is not a feed\n", 1, "syntax error"),
        (
            b"<html>\n<head><title>My blog</title></head>\n<body><p>hello</body></html>\n",
            3,
            "mismatched tag",
        ),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', 1, "not well-formed"),
    ],
)
def test_not_xml(tmp_path: Path, content: bytes, line: int, expected: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(content)
    message = _error(path)
    assert f"line {line}:" in message
    assert "is not well-formed XML" in message and expected in message


def test_truncated_feed_is_an_error_even_with_entries(tmp_path: Path) -> None:
    # feedparser recovers two entries from this; the file is still broken.
    path = tmp_path / "feed.xml"
    path.write_text(
        RSS_HEAD
        + "<item><guid>a</guid><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate></item>\n<item>"
        "<guid>b</gu",
        encoding="utf-8",
    )
    message = _error(path)
    assert "line 5:" in message
    assert "is not well-formed XML (unclosed token" in message


def test_undeclared_namespace_prefix(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>\n<item><guid>a</guid>'
        "<slash:comments>3</slash:comments></item></channel></rss>",
        encoding="utf-8",
    )
    message = _error(path)
    assert "line 3:" in message and "unbound prefix" in message


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>',
        encoding="utf-8",
    )
    assert "is XML but not an RSS or Atom feed" in _error(path)


@pytest.mark.parametrize(
    ("declaration", "said"),
    [
        ('<?xml version="1.0" encoding="UTF-8"?>', "declares UTF-8"),
        ('<?xml version="1.0"?>', "declares no encoding"),
    ],
)
def test_not_utf8_when_utf8_is_declared(tmp_path: Path, declaration: str, said: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(
        (
            declaration + '\n<rss version="2.0"><channel><title>T</title>\n'
            "<item><guid>a</guid><title>Caf\xe9</title><pubDate>Thu, 01 May 2014 09:00:00 "
            "GMT</pubDate></item>\n"
            "</channel></rss>"
        ).encode("latin-1")
    )
    message = _error(path)
    assert "line 3:" in message
    assert said in message and "but is not UTF-8" in message


def test_tolerated_bozo_without_entries_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(
        '<?xml version="1.0" encoding="us-ascii"?><rss version="2.0"><channel>'
        "<title>Caf\xe9</title></channel></rss>".encode()
    )
    message = _error(path)
    assert "has no entries and the parser reported" in message
    assert "us-ascii" in message


@pytest.mark.parametrize(
    ("items", "record", "field", "problem"),
    [
        (
            "<item><guid>a</guid><title>no date</title></item>",
            "entry 1 (id 'a')",
            "pubDate",
            "the entry has no date",
        ),
        (
            "<item><guid>b</guid><pubDate>Blursday</pubDate></item>",
            "entry 1 (id 'b')",
            "pubDate",
            "unparseable date 'Blursday'",
        ),
        (
            "<item><guid>c</guid><pubDate>Mon, 31 Feb 2014 09:00:00 GMT</pubDate></item>",
            "entry 1 (id 'c')",
            "pubDate",
            "unparseable date",
        ),
        (
            "<item><guid>d</guid><pubDate>Thu, 01 May 2014 09:00:00</pubDate></item>",
            "entry 1 (id 'd')",
            "pubDate",
            "no time zone",
        ),
        (
            "<item><guid>d2</guid><pubDate>Thu, 01 May 2014 09:00:00 BST</pubDate></item>",
            "entry 1 (id 'd2')",
            "pubDate",
            "no time zone",
        ),
        (
            "<item><guid>d3</guid><dc:date>2014-05-01T10:00:00</dc:date></item>",
            "entry 1 (id 'd3')",
            "dc:date",
            "no time zone",
        ),
        (
            "<item><guid>e</guid><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
            "<dc:date>soon</dc:date></item>",
            "entry 1 (id 'e')",
            "dc:date",
            "unparseable date 'soon'",
        ),
        (
            "<item><guid>f</guid><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate></item><item>"
            "<title>anonymous</title></item>",
            "entry 2",
            "guid",
            "no id and no link",
        ),
        (
            "<item><guid>g</guid><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
            "<slash:comments>many</slash:comments></item>",
            "entry 1 (id 'g')",
            "slash:comments",
            "got 'many'",
        ),
        (
            "<item><guid>h</guid><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
            "<slash:comments>-1</slash:comments></item>",
            "entry 1 (id 'h')",
            "slash:comments",
            "got '-1'",
        ),
        (
            "<item><guid>i</guid><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate><slash:comments>"
            "</slash:comments></item>",
            "entry 1 (id 'i')",
            "slash:comments",
            "got ''",
        ),
        (
            "<item><guid>j</guid><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate>"
            "<slash:comments>1,234</slash:comments></item>",
            "entry 1 (id 'j')",
            "slash:comments",
            "got '1,234'",
        ),
    ],
)
def test_bad_rss_entry(tmp_path: Path, items: str, record: str, field: str, problem: str) -> None:
    path = _rss(tmp_path, items)
    message = _error(path)
    assert f"{path}, {record}, field '{field}': " in message
    assert problem in message


@pytest.mark.parametrize(
    ("entries", "record", "field", "problem"),
    [
        (
            "<entry><id>x1</id><title>no date</title></entry>",
            "entry 1 (id 'x1')",
            "published",
            "the entry has no date",
        ),
        (
            "<entry><id>x2</id><published>yesterday</published></entry>",
            "entry 1 (id 'x2')",
            "published",
            "unparseable date 'yesterday'",
        ),
        # feedparser itself would roll this over to 2015-01-01.
        (
            "<entry><id>x3</id><published>2014-05-01T00:00:00Z</published><updated>2014-13-45T00:00:00Z</updated></entry>",
            "entry 1 (id 'x3')",
            "updated",
            "unparseable date '2014-13-45T00:00:00Z'",
        ),
        (
            "<entry><id>x4</id><updated>2014-05-01T00:00:00Z</updated><thr:total>3.5</thr:total></entry>",
            "entry 1 (id 'x4')",
            "thr:total",
            "got '3.5'",
        ),
        (
            '<entry><id>x5</id><updated>2014-05-01T00:00:00Z</updated><link rel="replies" '
            'href="https://a.example/c" thr:count="lots"/></entry>',
            "entry 1 (id 'x5')",
            "link[rel=replies]/@thr:count",
            "got 'lots'",
        ),
        # An invalid count is an error even when a valid one of higher precedence is there.
        (
            "<entry><id>x6</id><updated>2014-05-01T00:00:00Z</updated><thr:total>3</thr:total>"
            '<link rel="replies" href="https://a.example/c" thr:count="x"/></entry>',
            "entry 1 (id 'x6')",
            "link[rel=replies]/@thr:count",
            "got 'x'",
        ),
        (
            "<entry><id>ok</id><updated>2014-05-01T00:00:00Z</updated></entry><entry><title>no "
            "id</title><updated>2014-05-01T00:00:00Z</updated></entry>",
            "entry 2",
            "id",
            "no id and no link",
        ),
    ],
)
def test_bad_atom_entry(
    tmp_path: Path, entries: str, record: str, field: str, problem: str
) -> None:
    path = _atom(tmp_path, entries)
    message = _error(path)
    assert f"{path}, {record}, field '{field}': " in message
    assert problem in message


def test_bad_feed_url(tmp_path: Path) -> None:
    path = _rss(tmp_path, "")
    with pytest.raises(ParameterError, match="feed URL"):
        read_blog_feed(path, "  ")


def test_quarantine_skips_bad_entries_and_files(tmp_path: Path) -> None:
    good = _rss(
        tmp_path,
        "<item><guid>a</guid><pubDate>Thu, 01 May 2014 09:00:00 GMT</pubDate></item>"
        "<item><guid>b</guid><pubDate>Blursday</pubDate></item>"
        "<item><guid>c</guid><pubDate>Fri, 02 May 2014 09:00:00 GMT</pubDate></item>",
        "a.xml",
    )
    broken = tmp_path / "b.xml"
    broken.write_text("not a feed", encoding="utf-8")
    rejects = Rejects(strict=False)
    frame = read_blog_feeds({good: FEED, broken: FEED + "2"}, rejects=rejects)
    assert frame["post_id"].tolist() == [expected_post_id(FEED, "a"), expected_post_id(FEED, "c")]
    rejected = rejects.frame()
    assert rejected["file"].tolist() == [str(good), str(broken)]
    assert rejected["record"].tolist() == ["entry 2 (id 'b')", "line 1"]
    assert rejected["field"].tolist() == ["pubDate", ""]
