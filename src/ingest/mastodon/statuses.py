"""Mastodon statuses as post rows: originals, replies, quotes and reblogs.

A status whose ``visibility`` is not public or unlisted is dropped before anything in it
is read (:func:`read_status`): no post, account, mention or local id comes from it.
Replies and shallow quotes name their parent by a server-local id, so they are resolved
once a file has been read (:func:`resolve_file`), against the ids seen in that file.
"""

from __future__ import annotations

from typing import Any

from src.ingest.json_input import Where, check_type, list_of_objects, optional, require, time
from src.ingest.mastodon.accounts import FileIds, Seen, handle_of, local_id, post_id, read_account
from src.ingest.mastodon.responses import COUNTED_VISIBILITIES
from src.ingest.mastodon.text import html_text
from src.ingest.snapshots import Retrieval

ACCEPTED = "accepted"


def _status_count(
    status: dict[str, Any], key: str, where: Where, *, required: bool = True
) -> int | None:
    """A status's count; None (missing, not 0) when an optional count is absent."""
    value = status.get(key)
    if value is None:
        if required:
            raise (where / key).error("required field is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise (where / key).error(f"expected a count (whole number ≥ 0), got {value!r}")
    return value


def counted(status: dict[str, Any]) -> bool:
    """Whether a status's visibility counts (public or unlisted)."""
    return status.get("visibility") in COUNTED_VISIBILITIES


def _read_referenced(
    status: Any, where: Where, retrieval: Retrieval, ctx: FileIds, seen: Seen
) -> tuple[str, str] | None:
    """A reblogged or quoted Status: register it; return (uri, author handle).

    None when it says it is not public or unlisted (only its author could boost it, and a
    quote of it shows only to its followers): nothing of it is read.
    """
    check_type(status, where, dict)
    if status.get("visibility") is not None and not counted(status):
        return None
    uri = require(status, "uri", where)
    author = read_account(
        require(status, "account", where, dict), where / "account", retrieval, ctx, seen
    )
    ctx.statuses[local_id(status.get("id"), where / "id")] = (uri, author)
    return uri, author


def _content_text(status: dict[str, Any], where: Where) -> tuple[str, list[str], bool]:
    """The status's text (its content warning first, as ``[CW: …]``), its links, and
    whether it carries a content warning."""
    text, urls = html_text(require(status, "content", where, empty_ok=True))
    warning = " ".join((optional(status, "spoiler_text", where) or "").split())
    if warning:
        text = f"[CW: {warning}] {text}".rstrip()
    return text, urls, bool(warning)


def read_status(
    status: dict[str, Any], where: Where, retrieval: Retrieval, ctx: FileIds, seen: Seen
) -> None:
    """Read a Status at ``where``: keep its row (if it is the latest copy) and register its
    ids in ``ctx``. A status that is not public or unlisted is counted and nothing else."""
    if not counted(status):
        visibility = status.get("visibility")
        seen.dropped[visibility if isinstance(visibility, str) else "missing"] += 1
        seen.dropped_files.add(str(where.path))
        return
    local = local_id(status.get("id"), where / "id")
    uri = require(status, "uri", where)
    created = time(status, "created_at", where)
    author = read_account(
        require(status, "account", where, dict), where / "account", retrieval, ctx, seen
    )
    ctx.statuses[local] = (uri, author)

    reblog = status.get("reblog")
    if reblog is not None:
        original = _read_referenced(reblog, where / "reblog", retrieval, ctx, seen)
        row = _row(uri, author, created, "repost", text=None, lang=None)
        if original is not None:
            row.update(referenced=original[0], target=original[1])
        seen.posts.offer(uri, row, retrieval)
        return

    text, urls, warned = _content_text(status, where)
    counts = {
        # Servers before Mastodon 2.5 send no replies_count, before 4.5 no quotes_count.
        "replies": _status_count(status, "replies_count", where, required=False),
        "reposts": _status_count(status, "reblogs_count", where),
        "likes": _status_count(status, "favourites_count", where),
        "quotes": _status_count(status, "quotes_count", where, required=False),
    }
    if counts["replies"] is None or counts["quotes"] is None:
        seen.count_missing_files.add(str(where.path))
    mentions: list[str] = []
    for index, mention in enumerate(list_of_objects(status, "mentions", where)):
        mention_where = where / "mentions" / index
        handle = handle_of(mention, mention_where)
        if mention.get("id") is not None:
            ctx.accounts[local_id(mention["id"], mention_where / "id")] = handle
        if handle not in mentions:
            mentions.append(handle)
    tags = []
    for index, tag in enumerate(list_of_objects(status, "tags", where)):
        name = require(tag, "name", where / "tags" / index)
        if name not in tags:
            tags.append(name)
    media = list_of_objects(status, "media_attachments", where)
    reply_parent = status.get("in_reply_to_id")
    reply_parent = (
        None if reply_parent is None else local_id(reply_parent, where / "in_reply_to_id")
    )
    reply_account = status.get("in_reply_to_account_id")
    reply_account = (
        None if reply_account is None else local_id(reply_account, where / "in_reply_to_account_id")
    )

    quoted, quoted_author, quoted_local, is_quote = None, None, None, False
    quote = status.get("quote")
    if quote is not None:
        check_type(quote, where / "quote", dict)
        if require(quote, "state", where / "quote") == ACCEPTED:
            is_quote = True
            nested_key = "quoted_status" if quote.get("quoted_status") is not None else "status"
            nested = quote.get(nested_key)
            if nested is not None:
                found = _read_referenced(nested, where / "quote" / nested_key, retrieval, ctx, seen)
                quoted, quoted_author = found if found is not None else (None, None)
            elif quote.get("quoted_status_id") is not None:
                quoted_local = local_id(
                    quote["quoted_status_id"], where / "quote" / "quoted_status_id"
                )

    kind = "reply" if reply_parent is not None else "quote" if is_quote else "original"
    row = _row(
        uri, author, created, kind, text=text, lang=optional(status, "language", where) or None
    )
    row.update(
        counts,
        has_media=bool(media),
        hashtags=tags,
        mentions=mentions,
        urls=urls,
        reply_parent=reply_parent,
        reply_account=reply_account,
        quoted_local=quoted_local if kind == "quote" else None,
        edited=status.get("edited_at") is not None,
        content_warning=warned,
    )
    if kind == "quote":
        row.update(referenced=quoted, target=quoted_author)
    seen.posts.offer(uri, row, retrieval)
    ctx.pending.append(row)


def _row(
    uri: str, author: str, created: Any, kind: str, *, text: str | None, lang: str | None
) -> dict[str, Any]:
    return {
        "post_id": post_id(uri),
        "author": author,
        "created_at": created,
        "kind": kind,
        "text": text,
        "lang": lang,
        "referenced": None,
        "target": None,
        "likes": 0,
        "reposts": 0,
        "replies": 0,
        "quotes": 0,
        "has_media": False,
        "hashtags": [],
        "mentions": [],
        "urls": [],
        "reply_parent": None,
        "reply_account": None,
        "quoted_local": None,
    }


def resolve_file(ctx: FileIds, seen: Seen) -> None:
    """Turn the server-local reply and shallow-quote ids of one file's rows into canonical ones."""
    for row in ctx.pending:
        if row["kind"] == "reply":
            parent = ctx.statuses.get(row["reply_parent"])
            if parent is not None:
                row["referenced"] = parent[0]
            else:
                seen.notes["reply_parents_not_in_export"] += 1
            target = ctx.accounts.get(row["reply_account"]) if row["reply_account"] else None
            if target is None and parent is not None:
                target = parent[1]
            if target is None:
                seen.notes["reply_accounts_unresolved"] += 1
            row["target"] = target
        elif row["kind"] == "quote" and row["referenced"] is None:
            quoted = ctx.statuses.get(row["quoted_local"]) if row["quoted_local"] else None
            if quoted is not None:
                row["referenced"], row["target"] = quoted
            else:
                seen.notes["quotes_unresolved"] += 1
