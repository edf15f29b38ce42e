"""Bad blog feeds: each message names the file, the entry or line, and the element."""

from __future__ import annotations

from pathlib import Path

import pytest

from src.errors import ParameterError
from src.ingest.blogs import read_blog_feed, read_blog_feeds
from src.ingest.quarantine import Rejects
from tests.ingest.blogs.helpers import (
    FEED,
    RSS_HEAD,
    expected_post_id,
    strict_error,
    write_atom,
    write_rss,
)

# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(content)
    assert "is empty" in strict_error(path)


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in strict_error(tmp_path / "nothing.xml")


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
    message = strict_error(path)
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
    message = strict_error(path)
    assert "line 5:" in message
    assert "is not well-formed XML (unclosed token" in message


def test_undeclared_namespace_prefix(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>\n<item><guid>a</guid>'
        "<slash:comments>3</slash:comments></item></channel></rss>",
        encoding="utf-8",
    )
    message = strict_error(path)
    assert "line 3:" in message and "unbound prefix" in message


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>',
        encoding="utf-8",
    )
    assert "is XML but not an RSS or Atom feed" in strict_error(path)


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
    message = strict_error(path)
    assert "line 3:" in message
    assert said in message and "but is not UTF-8" in message


def test_tolerated_bozo_without_entries_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(
        '<?xml version="1.0" encoding="us-ascii"?><rss version="2.0"><channel>'
        "<title>Caf\xe9</title></channel></rss>".encode()
    )
    message = strict_error(path)
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
    path = write_rss(tmp_path, items)
    message = strict_error(path)
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
    path = write_atom(tmp_path, entries)
    message = strict_error(path)
    assert f"{path}, {record}, field '{field}': " in message
    assert problem in message


def test_bad_feed_url(tmp_path: Path) -> None:
    path = write_rss(tmp_path, "")
    with pytest.raises(ParameterError, match="feed URL"):
        read_blog_feed(path, "  ")


def test_quarantine_skips_bad_entries_and_files(tmp_path: Path) -> None:
    good = write_rss(
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
