"""What the saved copies of a feed cover: capped feeds, and the span blog cadence is read over.

Most blog platforms serve only their latest posts in the feed (WordPress 10 by default,
Blogger 25, Squarespace 20; the real feeds in ``../shared/fixtures/blog-feeds`` hold 8 to
43). A saved copy that holds :data:`CAP_MIN` entries or more and does not reach back to
the start of the year's window is taken as **capped**: posts older than its oldest entry
may exist and are not in it. A copy with fewer entries, or one that says it holds every
entry (RFC 5005's ``<fh:complete/>``), is taken as the whole blog. A site set to serve
fewer than 10 (one of the real feeds serves 8) is not recognised as capped.

The cadence of a feed (blog posts per month) is read over the span its copies cover
inside the window: the whole window, unless the feed is capped and none of its copies
reaches back to the window's start; then from its oldest entry to the window's end. The
copies are taken as saved after the window's end (as README asks). Consecutive copies
(in the order of their times) leave a **gap** when a capped copy's oldest entry is
newer than the previous copy's newest: posts in between may be missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from src.ingest.blogs.copies import SavedFeed
from src.ingest.window import Window

#: Entries from which a copy that does not reach back to the window's start is capped.
CAP_MIN = 10


@dataclass(frozen=True)
class FeedCoverage:
    """One feed's copies, as the ``blog_feeds`` row describes them."""

    capped: bool
    oldest_item: pd.Timestamp | None
    cadence_start: pd.Timestamp
    cadence_end: pd.Timestamp
    cadence_months: float
    gaps: int  #: gaps between consecutive copies


def calendar_months(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Months from ``start`` to ``end`` (exclusive): each calendar month counts the share of
    its days the span covers.

    1 January to 1 January of the next year is exactly 12; 1 to 16 April is 15/30 = 0.5;
    19 September to 1 January is 12/30 of September plus 3.
    """
    total = 0.0
    cursor = start
    while cursor < end:
        month_start = cursor.normalize().replace(day=1)
        next_month = month_start + pd.DateOffset(months=1)
        stop = min(end, next_month)
        total += (stop - cursor) / (next_month - month_start)
        cursor = stop
    return total


def is_capped(copy: SavedFeed, window: Window) -> bool:
    """Whether a saved copy may have lost older posts of the window (see the module)."""
    times = copy.item_times
    return not copy.complete and len(times) >= CAP_MIN and min(times) > window.start


def _gaps(copies: list[SavedFeed]) -> int:
    ordered = sorted((c for c in copies if c.item_times), key=lambda c: (c.time, str(c.path)))
    return sum(
        1
        for before, after in zip(ordered, ordered[1:], strict=False)
        if len(after.item_times) >= CAP_MIN and min(after.item_times) > max(before.item_times)
    )


def feed_coverage(copies: list[SavedFeed], window: Window) -> FeedCoverage:
    """The coverage of one feed's saved copies inside ``window``."""
    times = [t for copy in copies for t in copy.item_times]
    oldest = pd.Timestamp(min(times)) if times else None
    capped = any(is_capped(copy, window) for copy in copies)
    reaches_back = oldest is not None and oldest <= window.start
    start = window.start
    if capped and not reaches_back and oldest is not None:
        start = min(max(window.start, oldest), window.end)
    return FeedCoverage(
        capped=capped,
        oldest_item=oldest,
        cadence_start=start,
        cadence_end=window.end,
        cadence_months=calendar_months(start, window.end),
        gaps=_gaps(copies),
    )
