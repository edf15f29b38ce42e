"""Reading saved feeds: each file's entries in order, one row per entry (its latest copy)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from src.errors import InputError, ParameterError
from src.ingest.blogs.entries import Copy, read_entry, replaces
from src.ingest.blogs.files import parse_feed_file
from src.ingest.quarantine import Rejects
from src.schemas import BLOG_POSTS, UTC_TIME

#: feedparser knows the slash namespace (``slash_comments`` under any prefix) but not the
#: threading one, which it keys by the prefix the file uses: look that prefix up.
THREAD_NAMESPACE = "http://purl.org/syndication/thread/1.0"
BLOG_POST_COLUMNS = list(BLOG_POSTS.columns)
_TEXT_COLUMNS = ("post_id", "account_id", "feed_url", "title", "url", "author")


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
    kept: dict[str, Copy] = {}
    order = 0
    for path, feed_url in files:
        try:
            parsed = parse_feed_file(path)
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
                copy = read_entry(path, feed_url, parsed, index, entry, thread_prefixes)
            except InputError as error:
                rejects(error)
                continue
            order += 1
            copy.order = order
            previous = kept.get(copy.row["post_id"])
            if previous is None or replaces(copy, previous):
                kept[copy.row["post_id"]] = copy
    return blog_posts_frame(copy.row for copy in kept.values())
