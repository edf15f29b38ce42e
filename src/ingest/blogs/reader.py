"""Reading saved feeds: each file's entries, the copies of a post merged, the feeds described.

:func:`read_feeds` reads a year's saved feed files into the ``blog_posts`` table (one row
per post, its latest copy: :mod:`src.ingest.blogs.copies`) and the ``blog_feeds`` table
(one row per feed: what its copies cover, :mod:`src.ingest.blogs.coverage`), cut to the
year's window, with what each rule did in the data-quality notes.
:func:`read_blog_feeds` is the posts alone, for any files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from src.errors import InputError, ParameterError
from src.ingest.blogs.copies import MergeCounts, SavedFeed, merge_copies
from src.ingest.blogs.coverage import CAP_MIN, feed_coverage
from src.ingest.blogs.entries import Copy, account_id, read_entry
from src.ingest.blogs.files import declares_complete, feed_time, parse_feed_file
from src.ingest.quality import DataQuality
from src.ingest.quarantine import Rejects
from src.ingest.window import Window
from src.schemas import BLOG_FEEDS, BLOG_POSTS, UTC_TIME

#: feedparser knows the slash namespace (``slash_comments`` under any prefix) but not the
#: threading one, which it keys by the prefix the file uses: look that prefix up.
THREAD_NAMESPACE = "http://purl.org/syndication/thread/1.0"
BLOG_POST_COLUMNS = list(BLOG_POSTS.columns)
BLOG_FEED_COLUMNS = list(BLOG_FEEDS.columns)
_TEXT_COLUMNS = ("post_id", "account_id", "feed_url", "title", "url", "author")
SOURCE = "blogs"


@dataclass
class BlogTables:
    """A year's blogs: ``posts`` (``blog_posts``) and ``feeds`` (``blog_feeds``)."""

    posts: pd.DataFrame
    feeds: pd.DataFrame


def blog_posts_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Blog posts with the dtypes of :data:`src.schemas.BLOG_POSTS`, sorted by time, ``post_id``."""
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


def blog_feeds_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Feeds with the dtypes of :data:`src.schemas.BLOG_FEEDS`, sorted by ``account_id``."""
    frame = pd.DataFrame(list(rows), columns=BLOG_FEED_COLUMNS)
    for column in ("oldest_item", "cadence_start", "cadence_end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).astype(UTC_TIME)
    frame = frame.astype(
        {"copies": "int64", "items": "int64", "capped": bool, "cadence_months": float}
    )
    if frame.empty:
        frame = frame.astype({"account_id": "str", "feed_url": "str"})
    return frame.sort_values("account_id", kind="stable").reset_index(drop=True)


def _check_urls(files: list[tuple[Path, str]]) -> None:
    for path, feed_url in files:
        if not isinstance(feed_url, str) or not feed_url.strip():
            raise ParameterError(
                f"{path}: the feed URL must be a non-empty string, got {feed_url!r}"
            )


def _read_copy(path: Path, feed_url: str, rejects: Rejects) -> tuple[SavedFeed, list[Copy]] | None:
    """One saved file's entries (None when the file cannot be read at all)."""
    try:
        parsed = parse_feed_file(path)
    except InputError as error:
        rejects(error)
        return None
    when, unreadable = feed_time(parsed)
    saved = SavedFeed(
        path,
        feed_url,
        when,
        unreadable,
        datetime.fromtimestamp(path.stat().st_mtime, tz=UTC),
        complete=declares_complete(parsed),
    )
    thread_prefixes = sorted(
        prefix
        for prefix, uri in (parsed.get("namespaces") or {}).items()
        if uri == THREAD_NAMESPACE
    )
    copies = []
    for index, entry in enumerate(parsed.entries, start=1):
        try:
            copy = read_entry(path, feed_url, parsed, index, entry, thread_prefixes)
        except InputError as error:
            rejects(error)
            continue
        copy.source = saved
        saved.item_times.append(copy.row["created_at"])
        copies.append(copy)
    return saved, copies


def read_feeds(
    paths_to_feed_urls: Mapping[Path, str],
    rejects: Rejects | None = None,
    window: Window | None = None,
) -> BlogTables:
    """Read saved RSS/Atom files, each with the URL of the feed it was saved from.

    Args:
        paths_to_feed_urls: file → feed URL (as in ``nominations.csv``). Several files
            may be copies of the same feed saved at different times. Files are read in
            sorted path order; the result does not depend on it.
        rejects: what to do with a bad file or entry (default: strict, raise). In
            quarantine mode a bad file is skipped whole and a bad entry alone. The
            data-quality notes go to ``rejects.quality``.
        window: the year's window: posts outside it are excluded (unless the window
            keeps them) and the feeds' coverage is measured inside it. None: every post
            is kept, and ``feeds`` is empty.

    Raises:
        InputError: (strict) see :mod:`src.ingest.blogs`; the message names the file, the
            entry (or the line, for XML errors) and the element.
        ParameterError: a feed URL is not a non-empty string.
    """
    rejects = Rejects() if rejects is None else rejects
    files = sorted((Path(path), url) for path, url in paths_to_feed_urls.items())
    _check_urls(files)
    saved: list[SavedFeed] = []
    copies: list[Copy] = []
    for path, feed_url in files:
        read = _read_copy(path, feed_url, rejects)
        if read is not None:
            saved.append(read[0])
            copies += read[1]
    rows, counts = merge_copies(copies, rejects)
    _note_merges(counts, saved, rejects.quality)
    posts = blog_posts_frame(rows)
    if window is None:
        return BlogTables(posts, blog_feeds_frame([]))
    feeds = _feeds(saved, posts, window, rejects.quality)
    return BlogTables(_cut_to_window(posts, window, saved, rejects.quality), feeds)


def read_blog_feeds(
    paths_to_feed_urls: Mapping[Path, str], rejects: Rejects | None = None
) -> pd.DataFrame:
    """The ``blog_posts`` table of saved feed files (every post, whatever its date).

    See :func:`read_feeds`. Returns the table (empty, with the right columns, when no
    file has entries).
    """
    return read_feeds(paths_to_feed_urls, rejects).posts


def read_blog_feed(path: Path, feed_url: str, rejects: Rejects | None = None) -> pd.DataFrame:
    """Read one saved feed file into the ``blog_posts`` table. See :func:`read_blog_feeds`."""
    return read_blog_feeds({Path(path): feed_url}, rejects=rejects)


def _feeds(
    saved: list[SavedFeed], posts: pd.DataFrame, window: Window, quality: DataQuality
) -> pd.DataFrame:
    """The ``blog_feeds`` rows of the saved copies, and the notes on capped feeds and gaps."""
    by_feed: dict[str, list[SavedFeed]] = {}
    for copy in saved:
        by_feed.setdefault(copy.feed_url, []).append(copy)
    items = posts.groupby("feed_url").size() if len(posts) else pd.Series(dtype="int64")
    rows, capped_files, gap_files, gaps = [], [], [], 0
    for feed_url, copies in sorted(by_feed.items()):
        coverage = feed_coverage(copies, window)
        if coverage.capped:
            capped_files += [str(c.path) for c in copies]
        if coverage.gaps:
            gaps += coverage.gaps
            gap_files += [str(c.path) for c in copies]
        rows.append(
            {
                "account_id": account_id(feed_url),
                "feed_url": feed_url,
                "copies": len(copies),
                "items": int(items.get(feed_url, 0)),
                "capped": coverage.capped,
                "oldest_item": coverage.oldest_item,
                "cadence_start": coverage.cadence_start,
                "cadence_end": coverage.cadence_end,
                "cadence_months": coverage.cadence_months,
            }
        )
    feeds = blog_feeds_frame(rows)
    capped = int(feeds["capped"].sum())
    if capped:
        quality.note(
            SOURCE,
            "capped_feeds",
            capped,
            f"{capped} blog feed(s) hold {CAP_MIN} or more posts and do not reach back to the "
            f"start of the window {window.describe()}: the feed holds only its latest posts, so "
            "blog cadence is measured from its oldest post to the window's end, not over the "
            "whole window (save the feed more often, or keep older copies, to cover more)",
            files=capped_files,
            severity="warning",
        )
    if gaps:
        quality.note(
            SOURCE,
            "copy_gaps",
            gaps,
            f"{gaps} gap(s) between saved copies of a capped feed: a copy's oldest post is newer "
            "than the previous copy's newest, so posts in between may be missing from the "
            "blog cadence",
            files=gap_files,
            severity="warning",
        )
    return feeds


def _cut_to_window(
    posts: pd.DataFrame, window: Window, saved: list[SavedFeed], quality: DataQuality
) -> pd.DataFrame:
    outside = ~window.inside(posts["created_at"])
    if not outside.any():
        return posts
    dates = posts.loc[outside, "created_at"]
    urls = set(posts.loc[outside, "feed_url"])
    action = "kept (outside_window = keep)" if window.keep_outside else "excluded"
    quality.note(
        SOURCE,
        "outside_window",
        int(outside.sum()),
        f"{int(outside.sum())} blog post(s) dated outside the window {window.describe()} "
        f"({dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}) were {action}",
        files=[str(c.path) for c in saved if c.feed_url in urls],
        severity="warning" if window.keep_outside else "info",
    )
    return posts if window.keep_outside else posts[~outside].reset_index(drop=True)


def _note_merges(counts: MergeCounts, saved: list[SavedFeed], quality: DataQuality) -> None:
    replaced = counts.by_item_date + counts.by_feed_date + counts.by_file_time
    if replaced or counts.identical:
        parts = [f"{counts.identical} identical"] if counts.identical else []
        for n, how in (
            (counts.by_item_date, "by the entry's update date"),
            (counts.by_feed_date, "by the feed's own date (lastBuildDate, updated)"),
            (
                counts.by_file_time,
                "by the file's modification time (the last resort: no update date and no "
                "feed date tells them apart)",
            ),
        ):
            if n:
                parts.append(f"{n} older copies replaced {how}")
        quality.note(
            SOURCE,
            "copies_merged",
            replaced + counts.identical,
            f"{replaced + counts.identical} blog entries were further copies of a post already "
            f"read (the same feed saved more than once, or listed twice): {'; '.join(parts)}",
            files=sorted(counts.files) or [str(c.path) for c in saved],
            severity="warning" if counts.by_file_time else "info",
        )
    if counts.shared_ids:
        quality.note(
            SOURCE,
            "shared_ids_kept_apart",
            counts.shared_ids,
            f"{counts.shared_ids} blog post(s) share their id (guid) with another post of the "
            "same feed but differ in both link and date: kept apart as distinct posts",
            files=sorted(counts.files),
        )
    unreadable = [str(c.path) for c in saved if c.feed_time_unreadable]
    if unreadable:
        quality.note(
            SOURCE,
            "feed_date_unreadable",
            len(unreadable),
            f"{len(unreadable)} saved feed(s) give a date of their own (lastBuildDate, updated) "
            "that cannot be read: their copies are ordered by the file's time instead",
            files=unreadable,
        )
