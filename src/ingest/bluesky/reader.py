"""Reading Bluesky export files: each response (author feed page, profiles, error, or
something else, skipped), then the tables and the data-quality notes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from src.errors import InputError
from src.ingest.bluesky.accounts import Seen, read_profile
from src.ingest.bluesky.feed import read_feed_item
from src.ingest.bluesky.ids import PLATFORM, account_id, post_id
from src.ingest.bluesky.quality import note_quality
from src.ingest.bluesky.responses import (
    feed_actors,
    feed_description,
    from_sdk_dump,
    is_sdk_dump,
    other_response,
)
from src.ingest.json_input import Where, json_documents
from src.ingest.quarantine import Rejects
from src.ingest.snapshots import file_time, unwrap
from src.ingest.tables import PlatformTables, accounts_frame, posts_and_interactions


def _read_document(document: Any, where: Where, seen: Seen, rejects: Rejects) -> None:
    seen.records += 1
    if not isinstance(document, dict):
        raise where.error(
            "expected a JSON object (a getAuthorFeed page or a getProfile(s) response), "
            f"got {type(document).__name__}",
            whole=True,
        )
    if is_sdk_dump(document):
        document = from_sdk_dump(document)
    other = other_response(document)
    if other is not None:
        seen.skip(where.path, other)
    elif "feed" in document:
        feed = document["feed"]
        if not isinstance(feed, list):
            raise (where / "feed").error(f"expected a list, got {type(feed).__name__}")
        if len(feed_actors(feed)) > 1:
            seen.skip(where.path, feed_description(feed))
            return
        for index, item in enumerate(feed):
            try:
                read_feed_item(item, where / "feed" / index, seen)
            except InputError as error:
                rejects(error)
    elif "profiles" in document:
        profiles = document["profiles"]
        if not isinstance(profiles, list):
            raise (where / "profiles").error(f"expected a list, got {type(profiles).__name__}")
        for index, profile in enumerate(profiles):
            try:
                read_profile(profile, where / "profiles" / index, seen)
            except InputError as error:
                rejects(error)
    elif "did" in document or "handle" in document:
        read_profile(document, where, seen)
    elif "error" in document:
        seen.api_errors += 1
    else:
        raise where.error(
            "is not an app.bsky.feed.getAuthorFeed page ('feed'), an app.bsky.actor.getProfiles "
            "response ('profiles'), a profile ('did', 'handle') or an XRPC error ('error')",
            whole=True,
        )


def read_bluesky_exports(paths: Iterable[Path], rejects: Rejects | None = None) -> PlatformTables:
    """Read Bluesky getAuthorFeed pages and getProfile(s) responses into canonical frames.

    Streams: one file at a time, ``.jsonl`` line by line (memory grows with the number of
    distinct posts and accounts, not with the number or size of files). What the counting
    rules skipped, kept as missing or chose is noted in ``rejects.quality`` (see
    :mod:`src.ingest.bluesky.quality`).

    Args:
        paths: ``.json`` (one response) or ``.jsonl`` (one response per line) files, as the
            XRPC API returns them or as the atproto SDK's ``model_dump()`` writes them;
            read in sorted order, so the result does not depend on the order given.
        rejects: what to do with a bad record (default: strict, raise).

    Raises:
        InputError: (strict) see the module docstring; the message names the file, the
            line or item, and the field.
    """
    rejects = Rejects() if rejects is None else rejects
    seen = Seen()
    for path in sorted(Path(p) for p in paths):
        seen.files.append(str(path))
        modified = file_time(path)
        for line, document in json_documents(
            path,
            rejects,
            "app.bsky.feed.getAuthorFeed pages or app.bsky.actor.getProfile(s) responses",
        ):
            where = Where(path, line)
            try:
                response, seen.retrieval = unwrap(document, where, modified)
                _read_document(response, where, seen, rejects)
            except InputError as error:
                rejects(error)
    note_quality(seen, rejects.quality)
    return _tables(seen)


def _tables(seen: Seen) -> PlatformTables:
    posts, interactions = posts_and_interactions(seen.posts.values(), PLATFORM, account_id, post_id)
    accounts = accounts_frame(
        {
            "account_id": account_id(row["did"]),
            "platform": PLATFORM,
            "listed": None,
            **{k: v for k, v in row.items() if k != "did"},
        }
        for row in seen.accounts()
    )
    return PlatformTables(
        platform=PLATFORM,
        accounts=accounts,
        posts=posts,
        interactions=interactions,
        files=tuple(seen.files),
        records=seen.records,
        api_errors=seen.api_errors,
        notes={"reply_targets_unresolved": seen.notes["reply_targets_unresolved"]},
    )
