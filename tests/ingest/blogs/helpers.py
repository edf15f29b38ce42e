"""Helpers of the blog feed tests: the fixtures and hand-written RSS and Atom files."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from src.errors import InputError
from src.ingest.blogs import read_blog_feed

DATA = Path(__file__).resolve().parents[1] / "data" / "blogs"
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


def utc(year: int, month: int, day: int, *time_of_day: int) -> pd.Timestamp:
    """An aware UTC time: the date, then hour, minute and second if given."""
    hour, minute, second = (*time_of_day, 0, 0, 0)[:3]
    return pd.Timestamp(datetime(year, month, day, hour, minute, second, tzinfo=UTC))


def expected_post_id(feed_url: str, entry_id: str) -> str:
    """The post id the reader should give an entry, worked out here."""
    return "blog:" + hashlib.sha256(f"{feed_url}\n{entry_id}".encode()).hexdigest()[:16]


def write_rss(tmp_path: Path, items: str, name: str = "feed.xml") -> Path:
    """An RSS 2.0 feed of ``items`` (the XML of its ``<item>`` elements) written to a file."""
    path = tmp_path / name
    path.write_text(RSS_HEAD + items + "\n</channel></rss>\n", encoding="utf-8")
    return path


def write_atom(
    tmp_path: Path, entries: str, name: str = "feed.atom", head: str = ATOM_HEAD
) -> Path:
    """An Atom feed of ``entries`` (the XML of its ``<entry>`` elements) written to a file."""
    path = tmp_path / name
    path.write_text(head + entries + "\n</feed>\n", encoding="utf-8")
    return path


def strict_error(path: Path, feed_url: str = FEED) -> str:
    """The message of the error a strict read of ``path`` raises (it names the file)."""
    with pytest.raises(InputError) as info:
        read_blog_feed(path, feed_url)
    message = str(info.value)
    assert message.startswith(str(path)), message
    return message


def set_file_time(path: Path, when: pd.Timestamp) -> None:
    """Give a saved file the modification time ``when`` (as if saved then)."""
    os.utime(path, (when.timestamp(), when.timestamp()))


def real_feeds_dir(fixtures_dir: Path) -> Path:
    """The real blog feeds of ``../shared/fixtures/blog-feeds`` (beside the X files that
    conftest's ``fixtures_dir`` locates)."""
    return fixtures_dir.parent / "blog-feeds"
