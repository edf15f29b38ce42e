"""A saved feed file parsed by feedparser, or an error naming what makes it unusable.

See :mod:`src.ingest.blogs` for what is refused (empty, not UTF-8 when it says so, not
well-formed XML, not RSS or Atom) and which of feedparser's ``bozo`` flags are tolerated.
"""

from __future__ import annotations

import io
import re
import xml.parsers.expat
import xml.sax
from datetime import datetime
from pathlib import Path

import feedparser

from src.errors import InputError
from src.ingest.blogs.entries import parse_feed_time

#: feedparser ``bozo`` exceptions that leave a usable parse (see the module docstring).
TOLERATED_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_DECLARATION = re.compile(rb"""\A\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")


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


def parse_feed_file(path: Path) -> feedparser.FeedParserDict:
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
            f"is not well-formed XML ({xml.parsers.expat.ErrorString(exc.code)} "
            f"at column {exc.offset + 1})",
            record=exc.lineno,
        )
    return InputError(path, f"is not well-formed XML ({problem.getMessage()})")


def feed_time(parsed: feedparser.FeedParserDict) -> tuple[datetime | None, bool]:
    """When the feed says it was last built: RSS ``lastBuildDate`` (else the channel's
    ``pubDate``, else ``dc:date``), Atom's feed ``updated``; as aware UTC.

    Returns the time (None when the feed gives none) and whether a date was given but
    could not be read (then the time is None too, and the file's time is the fallback).
    """
    # dict.get: feedparser's get() maps missing keys to others (updated to published).
    text = dict.get(parsed.feed, "updated") or dict.get(parsed.feed, "published")
    if not isinstance(text, str) or not text.strip():
        return None, False
    try:
        return parse_feed_time(text), False
    except ValueError:
        return None, True


#: RFC 5005 (Feed Paging and Archiving): ``<fh:complete/>`` says the feed holds every entry.
HISTORY_NAMESPACE = "http://purl.org/syndication/history/1.0"


def declares_complete(parsed: feedparser.FeedParserDict) -> bool:
    """Whether the feed says it holds all its entries (RFC 5005 ``fh:complete``).

    feedparser keys an element of a namespace it does not know by the prefix the file
    uses (``fh_complete``), so the prefix is looked up.
    """
    prefixes = [
        prefix
        for prefix, uri in (parsed.get("namespaces") or {}).items()
        if uri == HISTORY_NAMESPACE
    ]
    return any(f"{prefix}_complete" in parsed.feed for prefix in prefixes if prefix)
