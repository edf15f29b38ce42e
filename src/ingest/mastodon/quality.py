"""The Mastodon reader's data-quality notes: what its counting rules dropped, skipped,
kept as missing or chose, with counts and files (never an account)."""

from __future__ import annotations

from collections import Counter

from src.ingest.mastodon.accounts import Seen
from src.ingest.quality import DataQuality
from src.ingest.snapshots import note_latest_copies

SOURCE = "mastodon"


def _breakdown(counts: Counter) -> str:
    return ", ".join(f"{what} {count}" for what, count in sorted(counts.items()))


def note_quality(seen: Seen, quality: DataQuality) -> None:
    """Record the notes of a finished read in ``quality``."""
    if seen.dropped:
        total = sum(seen.dropped.values())
        unknown = seen.dropped.get("missing", 0)
        quality.note(
            SOURCE,
            "not_public_dropped",
            total,
            f"{total} statuses were not public or unlisted ({_breakdown(seen.dropped)}) and "
            "were dropped before anything in them was read: no post, mention, interaction "
            "or account comes from them"
            + (f"; {unknown} had no visibility, so could not be told public" if unknown else "")
            + ".",
            files=sorted(seen.dropped_files),
            severity="warning" if unknown else "info",
        )
    if seen.skipped:
        total = sum(seen.skipped.values())
        kinds = "; ".join(f"{count} × {what}" for what, count in sorted(seen.skipped.items()))
        quality.note(
            SOURCE,
            "not_statuses_skipped",
            total,
            f"{total} responses are not an account's statuses or accounts and were skipped: "
            f"{kinds}. Export each nominee's statuses with GET /api/v1/accounts/:id/statuses.",
            files=sorted(seen.skipped_files),
            severity="warning",
        )
    own = [row for row in seen.posts.values() if row["kind"] != "repost"]
    replies = sum(1 for row in own if row["replies"] is None)
    quotes = sum(1 for row in own if row["quotes"] is None)
    if replies or quotes:
        parts = []
        if replies:
            parts.append(f"{replies} lack replies_count (servers before Mastodon 2.5)")
        if quotes:
            parts.append(f"{quotes} lack quotes_count (servers before Mastodon 4.5)")
        quality.note(
            SOURCE,
            "counts_missing",
            replies + quotes,
            f"Of {len(own)} statuses, {' and '.join(parts)}: those counts are missing, not 0.",
            files=sorted(seen.count_missing_files),
        )
    edited = sum(1 for row in own if row.get("edited"))
    if edited:
        quality.note(
            SOURCE,
            "edited",
            edited,
            f"{edited} statuses were edited after posting (edited_at): each is one post, "
            "dated when first posted, with the text and counts of the version exported.",
        )
    warned = sum(1 for row in own if row.get("content_warning"))
    if warned:
        quality.note(
            SOURCE,
            "content_warnings",
            warned,
            f"{warned} statuses carry a content warning (spoiler_text): their text starts "
            "with it, as [CW: …], before the content.",
        )
    note_latest_copies(
        quality,
        SOURCE,
        {
            "accounts": ("account", "accounts", seen.accounts),
            "posts": ("status", "statuses", seen.posts),
        },
    )
