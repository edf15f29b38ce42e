"""Saved copies of a feed merged: which entries are one post, and which copy of it wins.

A blog's feed is often saved more than once (a folder of copies saved at different
times), and every copy repeats the posts it still lists. Entries of one feed with the
same id (``guid``, ``atom:id``, else the link) are copies of one post when they share
its link or its publication date; entries that share an id but differ in both are
distinct posts (a feed that reuses guids) and are kept apart.

Of the copies of one post that differ (identical copies are one), the latest wins:

1. by the entry's own update date (``atom:updated``, ``dc:date``), when every copy has one;
2. else by the time the copy's feed gives (RSS ``lastBuildDate``, Atom feed ``updated``),
   when every copy's feed has one;
3. else by the saved file's modification time (the last resort, said in the notes).

Copies still tied at the latest time with different content are an error naming them
(strict), or are all skipped (quarantine): no copy is chosen by file name or order.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from src.errors import InputError
from src.ingest.blogs.entries import Copy, post_id
from src.ingest.quarantine import Rejects


@dataclass
class SavedFeed:
    """One saved file of a feed: when it was made, and the dates of its entries."""

    path: Path
    feed_url: str
    feed_time: datetime | None  #: the time the feed gives (lastBuildDate, updated)
    feed_time_unreadable: bool  #: the feed gives a time that cannot be read
    file_time: datetime  #: the file's modification time
    item_times: list[datetime] = field(default_factory=list)  #: the entries' dates, as read
    complete: bool = False  #: the feed says it holds every entry (RFC 5005 fh:complete)

    @property
    def time(self) -> datetime:
        """The copy's time: the feed's own, else the file's."""
        return self.feed_time if self.feed_time is not None else self.file_time


@dataclass
class MergeCounts:
    """What merging did, for the data-quality notes."""

    identical: int = 0  #: copies dropped as identical to one kept
    by_item_date: int = 0  #: older copies replaced, decided by the entries' update dates
    by_feed_date: int = 0  #: ... by the feeds' own dates
    by_file_time: int = 0  #: ... by the files' modification times (last resort)
    shared_ids: int = 0  #: posts kept apart from another post with the same id
    ties: int = 0  #: copies refused: tied at the latest time with different content
    files: set[str] = field(default_factory=set)  #: files of the copies replaced or refused


def _same_post(a: Copy, b: Copy) -> bool:
    """Two entries with one id are one post when they share the link or the publication date."""
    link_a, link_b = a.row["url"], b.row["url"]
    return (link_a is not None and link_a == link_b) or (
        a.published is not None and a.published == b.published
    )


def _posts_of(copies: list[Copy]) -> list[list[Copy]]:
    """The entries of one feed and id, grouped into posts (in the order read)."""
    posts: list[list[Copy]] = []
    for copy in copies:
        home = next((p for p in posts if any(_same_post(copy, other) for other in p)), None)
        if home is None:
            posts.append([copy])
        else:
            home.append(copy)
    return posts


def _distinct(copies: list[Copy]) -> list[Copy]:
    kept: list[Copy] = []
    for copy in copies:
        if not any(copy.row == other.row for other in kept):
            kept.append(copy)
    return kept


def _latest(copies: list[Copy], time: Callable[[Copy], datetime | None]) -> list[Copy] | None:
    times = [time(copy) for copy in copies]
    if any(t is None for t in times):
        return None
    latest = max(t for t in times if t is not None)
    return _distinct([c for c, t in zip(copies, times, strict=True) if t == latest])


def _winner(copies: list[Copy], counts: MergeCounts) -> Copy | list[Copy]:
    """The copy of one post to keep, or the copies tied at the latest time."""
    distinct = _distinct(copies)
    counts.identical += len(copies) - len(distinct)
    if len(distinct) == 1:
        return distinct[0]
    counts.files |= {str(c.source.path) for c in distinct}
    levels: tuple[tuple[str, Callable[[Copy], datetime | None]], ...] = (
        ("by_item_date", lambda c: c.updated),
        ("by_feed_date", lambda c: c.source.feed_time),
        ("by_file_time", lambda c: c.source.file_time),
    )
    candidates = distinct
    for level, time in levels:
        latest = _latest(candidates, time)
        if latest is None:
            continue
        if len(latest) == 1:
            setattr(counts, level, getattr(counts, level) + len(distinct) - 1)
            return latest[0]
        candidates = latest
    return candidates


def _tie_errors(copies: list[Copy]) -> list[InputError]:
    errors = []
    for copy in copies:
        others = "; ".join(
            f"{o.source.path.name}, entry {o.index}" for o in copies if o is not copy
        )
        differing = next(
            (k for k in copy.row if any(copy.row[k] != o.row[k] for o in copies)), "content"
        )
        errors.append(
            InputError(
                copy.source.path,
                f"is another copy of the post in {others}, with a different {differing}, and "
                "nothing tells which copy is later (no update date, the same feed date and "
                "file time): keep one copy, or keep the files' modification times",
                record=f"entry {copy.index} (id {copy.entry_id!r})",
                field=differing,
            )
        )
    return errors


def _shared_id_post_id(feed_url: str, copy: Copy) -> str:
    """The id of a post that shares its entry id with another post: the entry id, the
    date and the link, hashed (as :func:`src.ingest.blogs.entries.post_id`)."""
    key = f"{copy.entry_id}\n{copy.row['created_at'].isoformat()}\n{copy.row['url'] or ''}"
    return post_id(feed_url, key)


def merge_copies(copies: list[Copy], rejects: Rejects) -> tuple[list[dict[str, Any]], MergeCounts]:
    """One row per post of the entries read from every saved copy (see the module docstring)."""
    counts = MergeCounts()
    by_id: dict[tuple[str, str], list[Copy]] = defaultdict(list)
    for copy in copies:
        by_id[(copy.row["feed_url"], copy.entry_id)].append(copy)
    rows: list[dict[str, Any]] = []
    for (feed_url, _), same_id in by_id.items():
        posts = _posts_of(same_id)
        counts.shared_ids += len(posts) - 1 if len(posts) > 1 else 0
        if len(posts) > 1:
            counts.files |= {str(c.source.path) for c in same_id}
        for post in posts:
            chosen = _winner(post, counts)
            if isinstance(chosen, list):
                counts.ties += len(chosen)
                for error in _tie_errors(chosen):
                    rejects(error)
                continue
            row = dict(chosen.row)
            if len(posts) > 1:
                row["post_id"] = _shared_id_post_id(feed_url, chosen)
            rows.append(row)
    seen: dict[str, int] = defaultdict(int)
    for row in rows:  # (two posts apart whose winners agree on id, date and link: rare)
        seen[row["post_id"]] += 1
        if seen[row["post_id"]] > 1:
            digest = hashlib.sha256(f"{row['post_id']}#{seen[row['post_id']]}".encode())
            row["post_id"] = "blog:" + digest.hexdigest()[:16]
    return rows, counts
