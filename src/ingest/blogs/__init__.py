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

Saved copies. A feed may be saved several times (``blogs/<nominee_id>/*.xml``): entries
of one feed with the same id are one post when they share its link or its publication
date; entries sharing an id but differing in both are distinct posts, kept apart (their
``post_id`` then hashes the id, the date and the link). Of the copies of a post, identical
copies are one row and the latest copy wins: by the entry's update date, else by the
feed's own date (``lastBuildDate``, Atom ``updated``), else by the file's modification
time (the last resort, said in the data-quality notes); copies tied at the latest time
with different content are an error naming them (:mod:`~src.ingest.blogs.copies`).

Feeds. Each feed gets a ``blog_feeds`` row: its copies, posts, whether it is capped (a
copy holds 10 entries or more and does not reach back to the window's start: the feed
serves only its latest posts) and the span of the year's window its copies cover, over
which blog cadence is measured (:mod:`~src.ingest.blogs.coverage`). Posts outside the
window are excluded (:mod:`src.ingest.window`).

Modules: :mod:`~src.ingest.blogs.files` (a saved file to a parsed feed, or a named error),
:mod:`~src.ingest.blogs.entries` (an entry to a row: ids, dates, comments),
:mod:`~src.ingest.blogs.copies` (saved copies merged), :mod:`~src.ingest.blogs.coverage`
(capped feeds, the cadence span) and :mod:`~src.ingest.blogs.reader` (files in order, the
tables, the notes).
"""

from src.ingest.blogs.entries import PLATFORM, account_id, post_id
from src.ingest.blogs.reader import (
    BlogTables,
    blog_feeds_frame,
    blog_posts_frame,
    read_blog_feed,
    read_blog_feeds,
    read_feeds,
)

__all__ = [
    "PLATFORM",
    "BlogTables",
    "account_id",
    "blog_feeds_frame",
    "blog_posts_frame",
    "post_id",
    "read_blog_feed",
    "read_blog_feeds",
    "read_feeds",
]
