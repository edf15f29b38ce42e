"""The Bluesky reader's data-quality notes: what its counting rules skipped, kept as
missing or chose, with counts and files (never an account)."""

from __future__ import annotations

from src.ingest.bluesky.accounts import Seen
from src.ingest.quality import DataQuality
from src.ingest.snapshots import note_latest_copies

SOURCE = "bluesky"
_COUNT_FIELDS = (
    ("quotes", "quoteCount"),
    ("replies", "replyCount"),
    ("reposts", "repostCount"),
    ("likes", "likeCount"),
)


def note_quality(seen: Seen, quality: DataQuality) -> None:
    """Record the notes of a finished read in ``quality``."""
    if seen.skipped:
        total = sum(seen.skipped.values())
        kinds = "; ".join(f"{count} × {what}" for what, count in sorted(seen.skipped.items()))
        quality.note(
            SOURCE,
            "not_author_feeds_skipped",
            total,
            f"{total} responses are not an account's author feed or profiles and were "
            f"skipped: {kinds}. Export each nominee's posts with "
            "app.bsky.feed.getAuthorFeed.",
            files=sorted(seen.skipped_files),
            severity="warning",
        )
    own = [row for row in seen.posts.values() if row["kind"] != "repost"]
    lacking = [
        (field, sum(1 for row in own if row[column] is None)) for column, field in _COUNT_FIELDS
    ]
    lacking = [(field, n) for field, n in lacking if n]
    if lacking:
        parts = " and ".join(f"{n} lack {field}" for field, n in lacking)
        quality.note(
            SOURCE,
            "counts_missing",
            sum(n for _, n in lacking),
            f"Of {len(own)} posts, {parts} (App View responses before 2024 carry no "
            "quoteCount): those counts are missing, not 0.",
            files=sorted(seen.count_missing_files),
        )
    if seen.hidden:
        quality.note(
            SOURCE,
            "hide_from_logged_out",
            len(seen.hidden),
            f"{len(seen.hidden)} accounts carry the !no-unauthenticated label (they ask not "
            "to be shown to logged-out viewers): flagged hide_from_logged_out, so reports do "
            "not name or quote them.",
        )
    note_latest_copies(
        quality,
        SOURCE,
        {
            "profiles": ("profile", "profiles", seen.profiles),
            "actors": ("account view", "account views", seen.actors),
            "posts": ("post", "posts", seen.posts),
        },
    )
