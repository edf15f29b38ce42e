"""The X reader's data-quality notes: what its counting rules did, and what the export lacks.

Each note names files and counts, never an account (see :mod:`src.ingest.quality`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from src.ingest.quality import DataQuality
from src.ingest.tables import PlatformTables
from src.ingest.x.edits import Merged
from src.ingest.x.rows import PLATFORM, Seen
from src.ingest.x.shapes import NOT_TWEETS

#: How to request the users' counts again, for the note on users without them.
REQUEST_USER_METRICS = (
    "collect again with twarc2's default fields (leave out --minimal-fields), or add "
    "public_metrics to --user-fields (for example --user-fields "
    "id,username,name,created_at,description,public_metrics, with --expansions including "
    "author_id for the authors of tweets); with the API itself, request "
    "user.fields=public_metrics"
)


def note_quality(
    quality: DataQuality,
    seen: Seen,
    merged: Merged,
    users_without_metrics: tuple[int, int, list[str]],
    tables: PlatformTables,
) -> None:
    """Record the X reader's notes in ``quality`` (only those with something to say)."""
    if seen.empty_files:
        names = _names(seen.empty_files)
        quality.note(
            PLATFORM,
            "empty_files",
            len(seen.empty_files),
            f"{names}: {'is' if len(seen.empty_files) == 1 else 'are'} empty "
            "(no records); nothing read",
            files=seen.empty_files,
            severity="warning",
        )
    by_kind: dict[str, dict[str, int]] = defaultdict(dict)
    for (kind, path), records in seen.not_tweets.items():
        by_kind[kind][path] = records
    for kind, per_file in sorted(by_kind.items()):
        files = sorted(per_file)
        records = sum(per_file.values())
        quality.note(
            PLATFORM,
            f"not_tweets_{kind}",
            records,
            f"{_names(files)}: {'looks' if len(files) == 1 else 'look'} like "
            f"{NOT_TWEETS[kind]}, not tweets; skipped ({_records(records)})",
            files=files,
            severity="warning",
        )
    if merged.versions_merged:
        quality.note(
            PLATFORM,
            "edit_versions_merged",
            merged.versions_merged,
            f"{merged.versions_merged} earlier {_plural(merged.versions_merged, 'version')} "
            f"of {merged.posts_merged} edited {_plural(merged.posts_merged, 'tweet')} merged "
            "into the latest version read: one post per edit chain, with the latest "
            "version's text and counts, under the id of the chain's first version",
            files=sorted(merged.files),
        )
    missing, users, files = users_without_metrics
    if missing:
        quality.note(
            PLATFORM,
            "users_without_public_metrics",
            missing,
            f"{missing} of {users} X {_plural(users, 'user')} in {_names(files)} "
            "have no public_metrics: the export did not request user.fields=public_metrics, "
            "so their followers, following, listed and tweet counts are missing (not 0). "
            f"To get them, {REQUEST_USER_METRICS}",
            files=files,
            severity="warning",
        )
    unresolved = tables.notes.get("references_unresolved", 0)
    if unresolved:
        quality.note(
            PLATFORM,
            "references_unresolved",
            unresolved,
            f"{unresolved} "
            f"{_plural(unresolved, 'repost, quote or reply', 'reposts, quotes or replies')} "
            "refer to a tweet whose author the export does not give (neither in "
            "includes.tweets nor among the tweets read, nor in_reply_to_user_id): no "
            "interaction is counted for them",
            files=list(seen.files),
        )


def _names(paths: list[str]) -> str:
    """The files' names, joined."""
    return ", ".join(Path(path).name for path in paths)


def _records(count: int) -> str:
    return f"{count} {_plural(count, 'record')}"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return one if count == 1 else (many or one + "s")
