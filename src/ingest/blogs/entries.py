"""One feed entry as a ``blog_posts`` row: ids, date, title, link, author, categories, comments."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from src.errors import InputError

PLATFORM = "blog"
_COUNT = re.compile(r"\A[0-9]+\Z")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_ISO_LIKE = re.compile(r"\A\d{4}-?\d{2}")


def account_id(feed_url: str) -> str:
    """Canonical account id of a blog: ``blog:`` + its feed URL."""
    return f"{PLATFORM}:{feed_url}"


def post_id(feed_url: str, entry_id: str) -> str:
    """Canonical post id of a feed entry.

    ``blog:`` + the first 16 hex digits of sha256(feed URL, newline, entry id).
    """
    digest = hashlib.sha256(f"{feed_url}\n{entry_id}".encode()).hexdigest()
    return f"{PLATFORM}:{digest[:16]}"


@dataclass
class Copy:
    """One entry as read from one saved file, with what tells copies of a post apart.

    ``entry_id`` is the entry's id (``guid``, ``atom:id``) or, without one, its link;
    ``published`` its publication date (None when the feed gives only an update date);
    ``updated`` its update date; ``source`` the saved file it came from (set by the
    reader) and ``index`` its position there (from 1).
    """

    row: dict[str, Any]
    entry_id: str
    published: datetime | None
    updated: datetime | None
    index: int = 0
    source: Any = None


def read_entry(
    path: Path, feed_url: str, parsed: Any, index: int, entry: Any, thread_prefixes: list[str]
) -> Copy:
    """Entry ``index`` (from 1) of the feed ``parsed`` from ``path``, as a row to keep.

    Raises:
        InputError: the entry has no id or link, no date, a date or comment count that
            cannot be read (see :mod:`src.ingest.blogs`).
    """
    rss = parsed.version.startswith("rss")
    # dict.get, not entry.get: feedparser's get() maps some missing keys to others
    # ("updated" to "published"), which would hide what the feed really holds.
    raw_id = (dict.get(entry, "id") or "").strip()
    link = _alternate_link(entry, rss)
    entry_id = raw_id or link
    record = f"entry {index} (id {entry_id!r})" if entry_id else f"entry {index}"
    if not entry_id:
        raise InputError(
            path,
            "the entry has no id and no link to tell it by",
            record=record,
            field="guid" if rss else "id",
        )
    names = (
        {"published": "pubDate", "updated": "dc:date"}
        if rss
        else {"published": "published", "updated": "updated"}
    )
    times = {}
    for key in ("published", "updated"):
        text = dict.get(entry, key)
        try:
            times[key] = parse_feed_time(text) if text is not None else None
        except ValueError as exc:
            raise InputError(path, str(exc), record=record, field=names[key]) from None
    created = times["published"] or times["updated"]
    if created is None:
        raise InputError(
            path,
            f"the entry has no date: expected {names['published']} (or {names['updated']})",
            record=record,
            field=names["published"],
        )
    row = {
        "post_id": post_id(feed_url, entry_id),
        "account_id": account_id(feed_url),
        "feed_url": feed_url,
        "created_at": created,
        "title": _title(entry),
        "url": link,
        "author": _author(entry, parsed, rss),
        "comments": _comments(path, record, entry, thread_prefixes),
        "categories": _categories(entry),
    }
    return Copy(
        row=row,
        entry_id=entry_id,
        published=times["published"],
        updated=times["updated"],
        index=index,
    )


def parse_feed_time(text: str) -> datetime:
    """An RFC 822 (RSS) or ISO 8601 / RFC 3339 (Atom, dc:date) time, as aware UTC.

    feedparser's own ``*_parsed`` values are not used: they roll impossible dates over
    (2014-13-45 becomes 2015-01-01) and read times without a zone as UTC.
    """
    value = text.strip()
    if _ISO_LIKE.match(value):
        try:
            if len(value) in (8, 10) and value.replace("-", "").isdigit():
                return datetime.fromisoformat(value).replace(tzinfo=UTC)  # a date: midnight UTC
            parsed = datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
        except ValueError as exc:
            raise ValueError(f"unparseable date {text!r} ({exc})") from None
    else:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError) as exc:
            raise ValueError(
                f"unparseable date {text!r} (expected RFC 822, as Thu, 01 May 2014 09:30:00 "
                f"+0100, or ISO 8601; {exc})"
            ) from None
        if parsed.tzinfo is None and value.endswith("-0000"):
            parsed = parsed.replace(tzinfo=UTC)  # RFC 2822 §3.3: UTC, local zone unknown
    if parsed.tzinfo is None:
        raise ValueError(
            f"unparseable date {text!r}: no time zone (or one RFC 822 does not define), "
            "so it cannot be placed in UTC"
        )
    return parsed.astimezone(UTC)


def _alternate_link(entry: Any, rss: bool) -> str | None:
    for link in dict.get(entry, "links") or []:
        if link.get("rel", "alternate") == "alternate" and (link.get("href") or "").strip():
            return link["href"].strip()
    # RSS: a guid is the item's permalink unless isPermaLink="false". (feedparser also
    # copies an Atom id into "link"; that is not a link, so only RSS uses it.)
    guid = dict.get(entry, "id") or ""
    if rss and dict.get(entry, "guidislink") and guid.strip():
        return guid.strip()
    return None


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _title(entry: Any) -> str | None:
    title = dict.get(entry, "title")
    if not isinstance(title, str):
        return None
    detail = dict.get(entry, "title_detail") or {}
    if detail.get("type") in _HTML_TYPES:
        parser = _TextOnly()
        parser.feed(title)
        parser.close()
        title = "".join(parser.parts)
    title = " ".join(title.split())
    return title or None


def _author(entry: Any, parsed: Any, rss: bool) -> str | None:
    detail = dict.get(entry, "author_detail")
    if detail is None and not dict.get(entry, "authors") and not rss:
        detail = dict.get(
            parsed.feed, "author_detail"
        )  # RFC 4287 §4.2.1: the feed's author applies
    name = (detail or {}).get("name")
    if not isinstance(name, str):
        return None
    return " ".join(name.split()) or None


def _categories(entry: Any) -> list[str]:
    terms: list[str] = []
    for tag in dict.get(entry, "tags") or []:
        term = " ".join((tag.get("term") or "").split())
        if term and term not in terms:
            terms.append(term)
    return terms


def _count(path: Path, record: str, field: str, raw: Any) -> int:
    text = raw.strip() if isinstance(raw, str) else raw
    if not isinstance(text, str) or not _COUNT.match(text):
        raise InputError(
            path,
            f"expected a whole number of comments (0 or more), got {raw!r}",
            record=record,
            field=field,
        )
    return int(text)


def _comments(path: Path, record: str, entry: Any, thread_prefixes: list[str]) -> int | None:
    slash = dict.get(entry, "slash_comments")
    totals = [dict.get(entry, f"{prefix}_total") for prefix in thread_prefixes]
    replies = [
        link.get(f"{prefix}:count")
        for link in dict.get(entry, "links") or []
        if link.get("rel") == "replies"
        for prefix in thread_prefixes
    ]
    # Check every count the entry gives, even those a higher-precedence one overrides.
    slash_count = _count(path, record, "slash:comments", slash) if slash is not None else None
    total_counts = [_count(path, record, "thr:total", t) for t in totals if t is not None]
    reply_counts = [
        _count(path, record, "link[rel=replies]/@thr:count", c) for c in replies if c is not None
    ]
    if slash_count is not None:
        return slash_count
    if total_counts:
        return total_counts[-1]
    return max(reply_counts) if reply_counts else None
