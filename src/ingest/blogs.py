"""Blog posts from RSS 2.0 and Atom feeds saved from a blog.

Formats: RSS 2.0 (https://www.rssboard.org/rss-specification), Atom (RFC 4287), the
Atom threading extension (RFC 4685, namespace ``http://purl.org/syndication/thread/1.0``)
and the RSS slash module (``http://purl.org/rss/1.0/modules/slash/``) that WordPress,
Blogger and Movable Type use for comment counts. Files are parsed with feedparser; older
RSS (0.9x, 1.0/RDF) and Atom 0.3 read the same way.

One row per entry, the ``blog_posts`` table of :mod:`src.schemas`:

- ``post_id``: ``"blog:"`` + the first 16 hex digits of sha256(feed URL + ``"\\n"`` +
  entry id); the entry id is the ``guid`` (RSS) or ``atom:id``, else the entry's link.
- ``account_id``: ``"blog:"`` + the feed URL as given (the nominee's ``blog_feed_url``).
- ``created_at``: ``pubDate`` / ``atom:published``, else the update date (``dc:date``,
  ``atom:updated``); aware UTC. Dates are read strictly, as the formats define them:
  RFC 822 with a zone (RSS: ``Thu, 01 May 2014 09:30:00 +0100``, ``GMT``, ``EST``...)
  or ISO 8601 / RFC 3339 with an offset (Atom, ``dc:date``); a bare ISO date
  (``2014-05-01``, allowed by W3CDTF) is midnight UTC. A time without a zone, an
  impossible date (31 February, month 13) or any other form is an error, never guessed.
- ``title``: plain text (tags of an HTML title are dropped); ``url``: the entry's
  alternate link (for RSS, a permalink ``guid`` when there is no ``link``); ``author``:
  the author's name (never the e-mail address RSS ``<author>`` carries; an Atom entry
  without an author takes the feed's, RFC 4287 §4.2.1); ``categories``: the category
  terms, in order, without repeats.
- ``comments``: ``slash:comments``, else the ``thr:total`` element, else the largest
  ``thr:count`` on the entry's ``rel="replies"`` links (RFC 4685 §4: counts on different
  replies links may cover the same replies, so they are never added up). Missing when the
  feed gives no count; a count that is not a whole number ≥ 0 is an error.

Bad input. A file that is missing, empty, not well-formed XML (feedparser's ``bozo`` with
an XML syntax error, including truncated files and undeclared namespace prefixes), or XML
but not RSS/Atom, is an error naming the file (and the parser's line and column). So is a
file that declares UTF-8, or declares no encoding (which in XML means UTF-8), but is not
UTF-8: feedparser would quietly re-read it as windows-1252. Other ``bozo`` flags are
tolerated when the feed still parses into entries: ``CharacterEncodingOverride`` for a
file that declares another encoding (say us-ascii) its bytes do not fit, which
feedparser re-reads in the encoding that does fit; ``NonXMLContentType`` (only raised for
HTTP responses). Any other ``bozo`` exception, or a tolerated one with no entries, is an
error. A well-formed feed with no entries is not an error: it gives no rows.

Per entry: an entry with neither a publication nor an update date, a date that cannot
be read as above, or neither an id nor a link is an error naming the file, the entry (its
position, 1 = first in the file, and its id) and the element.

The same entry (same ``post_id``) seen more than once, in one file or in several saved
copies of the same feed: identical copies are one row; copies that differ keep the one
with the latest update date when both have one and they differ, else the one read last
(files in sorted path order, entries in file order).
"""

from __future__ import annotations

import hashlib
import io
import re
import xml.parsers.expat
import xml.sax
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pandas as pd

from src.errors import InputError, ParameterError
from src.ingest.quarantine import Rejects
from src.schemas import BLOG_POSTS, UTC_TIME

PLATFORM = "blog"
#: feedparser knows the slash namespace (``slash_comments`` under any prefix) but not the
#: threading one, which it keys by the prefix the file uses: look that prefix up.
THREAD_NAMESPACE = "http://purl.org/syndication/thread/1.0"
BLOG_POST_COLUMNS = list(BLOG_POSTS.columns)
#: feedparser ``bozo`` exceptions that leave a usable parse (see the module docstring).
TOLERATED_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)

_DECLARATION = re.compile(rb"""\A\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_COUNT = re.compile(r"\A[0-9]+\Z")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_COLUMNS = ("post_id", "account_id", "feed_url", "title", "url", "author")
_ISO_LIKE = re.compile(r"\A\d{4}-?\d{2}")


def account_id(feed_url: str) -> str:
    """Canonical account id of a blog: ``blog:`` + its feed URL."""
    return f"{PLATFORM}:{feed_url}"


def post_id(feed_url: str, entry_id: str) -> str:
    """Canonical post id of a feed entry: ``blog:`` + 16 hex digits of sha256(feed URL, newline, entry id)."""
    digest = hashlib.sha256(f"{feed_url}\n{entry_id}".encode()).hexdigest()
    return f"{PLATFORM}:{digest[:16]}"


def blog_posts_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Blog posts with the canonical dtypes of :data:`src.schemas.BLOG_POSTS`, sorted by time then ``post_id``."""
    frame = pd.DataFrame(list(rows), columns=BLOG_POST_COLUMNS)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(UTC_TIME)
    frame["comments"] = pd.array(
        [None if pd.isna(v) else int(v) for v in frame["comments"]], dtype="Int64"
    )
    frame["categories"] = pd.Series(
        [list(v) if isinstance(v, (list, tuple)) else [] for v in frame["categories"]],
        index=frame.index,
        dtype=object,
    )
    for column in _TEXT_COLUMNS:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    if frame.empty:
        # pandera checks an empty object column against ``str`` by dtype alone, and under
        # pandas 3 that is the ``str`` dtype; a non-empty one is checked by its values.
        frame = frame.astype({column: "str" for column in _TEXT_COLUMNS})
    return frame.sort_values(["created_at", "post_id"], kind="stable").reset_index(drop=True)


def read_blog_feed(path: Path, feed_url: str, rejects: Rejects | None = None) -> pd.DataFrame:
    """Read one saved feed file into the ``blog_posts`` table. See :func:`read_blog_feeds`."""
    return read_blog_feeds({Path(path): feed_url}, rejects=rejects)


def read_blog_feeds(
    paths_to_feed_urls: Mapping[Path, str], rejects: Rejects | None = None
) -> pd.DataFrame:
    """Read saved RSS/Atom files, each with the URL of the feed it was saved from.

    Args:
        paths_to_feed_urls: file → feed URL (as in ``nominations.csv``). Several files
            may be copies of the same feed saved at different times. Files are read in
            sorted path order, so the result does not depend on the mapping's order.
        rejects: what to do with a bad file or entry (default: strict, raise). In
            quarantine mode a bad file is skipped whole and a bad entry alone.

    Returns:
        The ``blog_posts`` table (empty, with the right columns, when no file has entries).

    Raises:
        InputError: (strict) see the module docstring; the message names the file, the
            entry (or the line, for XML errors) and the element.
        ParameterError: a feed URL is not a non-empty string.
    """
    rejects = Rejects() if rejects is None else rejects
    files = sorted((Path(path), url) for path, url in paths_to_feed_urls.items())
    for path, feed_url in files:
        if not isinstance(feed_url, str) or not feed_url.strip():
            raise ParameterError(
                f"{path}: the feed URL must be a non-empty string, got {feed_url!r}"
            )
    kept: dict[str, _Copy] = {}
    order = 0
    for path, feed_url in files:
        try:
            parsed = _parse(path)
        except InputError as error:
            rejects(error)
            continue
        thread_prefixes = sorted(
            prefix
            for prefix, uri in (parsed.get("namespaces") or {}).items()
            if uri == THREAD_NAMESPACE
        )
        for index, entry in enumerate(parsed.entries, start=1):
            try:
                copy = _entry(path, feed_url, parsed, index, entry, thread_prefixes)
            except InputError as error:
                rejects(error)
                continue
            order += 1
            copy.order = order
            previous = kept.get(copy.row["post_id"])
            if previous is None or _replaces(copy, previous):
                kept[copy.row["post_id"]] = copy
    return blog_posts_frame(copy.row for copy in kept.values())


@dataclass
class _Copy:
    """One entry as read, with what decides between copies of the same entry."""

    row: dict[str, Any]
    updated: datetime | None
    order: int = 0


def _replaces(new: _Copy, old: _Copy) -> bool:
    if new.row == old.row:
        return False  # an identical copy: nothing to choose
    if new.updated is not None and old.updated is not None and new.updated != old.updated:
        return new.updated > old.updated
    return new.order > old.order


def _declared_encoding(data: bytes) -> str | None:
    """The encoding the XML says it is in: a byte-order mark, else the declaration, else None."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if (
        data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))
        or data[:1] == b"\x00"
        or data[1:2] == b"\x00"
    ):
        return "utf-16/32"  # wide encodings: feedparser detects them; nothing to check here
    match = _DECLARATION.match(data)
    return match.group(1).decode("ascii").lower() if match else None


def _parse(path: Path) -> feedparser.FeedParserDict:
    """Parse a feed file, raising :class:`InputError` for a file that is not a usable feed."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise InputError(path, "is empty: expected an RSS 2.0 or Atom feed")
    declared = _declared_encoding(data)
    if declared is None or declared.replace("_", "-") in ("utf-8", "utf8"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            said = (
                f"declares {declared.upper()}"
                if declared
                else "declares no encoding (so XML reads it as UTF-8)"
            )
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                path, f"{said} but is not UTF-8 ({exc.reason} at byte {exc.start})", record=line
            ) from None
    # A stream, never the bytes themselves: feedparser would try a bytes string as a file name.
    parsed = feedparser.parse(io.BytesIO(data))
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, xml.sax.SAXParseException):
        raise _not_well_formed(path, data, problem)
    if problem is not None and not isinstance(problem, TOLERATED_BOZO):
        raise InputError(path, f"cannot be read as a feed ({type(problem).__name__}: {problem})")
    version = parsed.get("version") or ""
    if not version.startswith(("rss", "atom")):
        kind = f" (feedparser reads it as {version!r})" if version else ""
        raise InputError(path, f"is XML but not an RSS or Atom feed{kind}")
    if problem is not None and not parsed.entries:
        raise InputError(path, f"has no entries and the parser reported: {problem}")
    return parsed


def _not_well_formed(path: Path, data: bytes, problem: xml.sax.SAXParseException) -> InputError:
    """The XML error, placed in the file as it is.

    feedparser parses a re-encoded copy (with an XML declaration added when the file has
    none), so its line numbers can be off by one; expat on the file's own bytes gives the
    line and column (from 1) as an editor shows them.
    """
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        return InputError(
            path,
            f"is not well-formed XML ({xml.parsers.expat.ErrorString(exc.code)} at column {exc.offset + 1})",
            record=exc.lineno,
        )
    return InputError(path, f"is not well-formed XML ({problem.getMessage()})")


def _entry(
    path: Path, feed_url: str, parsed: Any, index: int, entry: Any, thread_prefixes: list[str]
) -> _Copy:
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
            times[key] = _time(text) if text is not None else None
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
    return _Copy(row=row, updated=times["updated"])


def _time(text: str) -> datetime:
    """An RFC 822 (RSS) or ISO 8601 / RFC 3339 (Atom, dc:date) time, as aware UTC.

    feedparser's own ``*_parsed`` values are not used: they roll impossible dates over
    (2014-13-45 becomes 2015-01-01) and read times without a zone as UTC.
    """
    value = text.strip()
    if _ISO_LIKE.match(value):
        try:
            if len(value) in (8, 10) and value.replace("-", "").isdigit():
                return datetime.fromisoformat(value).replace(
                    tzinfo=UTC
                )  # a date: midnight UTC
            parsed = datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
        except ValueError as exc:
            raise ValueError(f"unparseable date {text!r} ({exc})") from None
    else:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError) as exc:
            raise ValueError(
                f"unparseable date {text!r} (expected RFC 822, as Thu, 01 May 2014 09:30:00 +0100, or ISO 8601; {exc})"
            ) from None
        if parsed.tzinfo is None and value.endswith("-0000"):
            parsed = parsed.replace(tzinfo=UTC)  # RFC 2822 §3.3: UTC, local zone unknown
    if parsed.tzinfo is None:
        raise ValueError(
            f"unparseable date {text!r}: no time zone (or one RFC 822 does not define), so it cannot be placed in UTC"
        )
    return parsed.astimezone(UTC)


def _alternate_link(entry: Any, rss: bool) -> str | None:
    for link in dict.get(entry, "links") or []:
        if link.get("rel", "alternate") == "alternate" and (link.get("href") or "").strip():
            return link["href"].strip()
    # RSS: a guid is the item's permalink unless isPermaLink="false". (feedparser also
    # copies an Atom id into "link"; that is not a link, so only RSS uses it.)
    if rss and dict.get(entry, "guidislink") and (dict.get(entry, "id") or "").strip():
        return dict.get(entry, "id").strip()
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
