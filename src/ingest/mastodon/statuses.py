"""Mastodon statuses as post rows: originals, replies, quotes and reblogs.

Replies and shallow quotes name their parent by a server-local id, so they are resolved
once a file has been read (:func:`resolve_file`), against the ids seen in that file.
"""

from __future__ import annotations

from typing import Any

from src.ingest.json_input import Where, check_type, list_of_objects, optional, require, time
from src.ingest.mastodon.accounts import FileIds, Seen, handle_of, local_id, post_id, read_account
from src.ingest.mastodon.text import html_text

ACCEPTED = "accepted"


def _status_count(status: dict[str, Any], key: str, where: Where, *, required: bool = True) -> int:
    value = status.get(key)
    if value is None:
        if required:
            raise (where / key).error("required field is missing")
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise (where / key).error(f"expected a count (whole number ≥ 0), got {value!r}")
    return value


def _read_referenced(status: Any, where: Where, ctx: FileIds, seen: Seen) -> tuple[str, str]:
    """A reblogged or quoted Status: register it; return (uri, author handle)."""
    check_type(status, where, dict)
    uri = require(status, "uri", where)
    author = read_account(require(status, "account", where, dict), where / "account", ctx, seen)
    ctx.statuses[local_id(status.get("id"), where / "id")] = (uri, author)
    return uri, author


def read_status(status: Any, where: Where, ctx: FileIds, seen: Seen) -> None:
    """Read a Status at ``where``: keep its row and register its ids in ``ctx``."""
    check_type(status, where, dict)
    local = local_id(status.get("id"), where / "id")
    uri = require(status, "uri", where)
    created = time(status, "created_at", where)
    author = read_account(require(status, "account", where, dict), where / "account", ctx, seen)
    ctx.statuses[local] = (uri, author)

    reblog = status.get("reblog")
    if reblog is not None:
        original, original_author = _read_referenced(reblog, where / "reblog", ctx, seen)
        row = _row(uri, author, created, "repost", text=None, lang=None)
        row.update(referenced=original, target=original_author)
        seen.posts[uri] = row
        return

    text, urls = html_text(require(status, "content", where, empty_ok=True))
    counts = {
        "replies": _status_count(status, "replies_count", where),
        "reposts": _status_count(status, "reblogs_count", where),
        "likes": _status_count(status, "favourites_count", where),
        "quotes": _status_count(status, "quotes_count", where, required=False),  # Mastodon 4.5+
    }
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
                quoted, quoted_author = _read_referenced(
                    nested, where / "quote" / nested_key, ctx, seen
                )
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
    )
    if kind == "quote":
        row.update(referenced=quoted, target=quoted_author)
    seen.posts[uri] = row
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
