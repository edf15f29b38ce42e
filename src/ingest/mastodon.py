"""Mastodon exports: statuses and accounts as the Mastodon REST API returns them.

Formats (https://docs.joinmastodon.org/entities/Status/, .../entities/Account/,
.../entities/Quote/, .../entities/ShallowQuote/, .../client/quotes/):

- ``GET /api/v1/accounts/:id/statuses``: a JSON array of Status (``id``, ``uri``,
  ``url``, ``created_at``, ``account``, ``content`` (HTML), ``language``,
  ``in_reply_to_id``, ``in_reply_to_account_id``, ``reblog``, ``quote``,
  ``replies_count``, ``reblogs_count``, ``favourites_count``, ``quotes_count``,
  ``mentions`` ``[{id, username, acct, url}]``, ``tags`` ``[{name, url}]``,
  ``media_attachments``). ``GET /api/v1/statuses/:id`` (one Status object) reads too.
- ``GET /api/v1/accounts/:id`` and ``/api/v1/accounts/lookup``: one Account (``id``,
  ``username``, ``acct``, ``display_name``, ``note`` (HTML), ``url``,
  ``followers_count``, ``following_count``, ``statuses_count``, ``created_at``), or an
  array of them (``GET /api/v1/accounts?id[]=``).
- An error body (``{"error": "Record not found"}``) is counted in ``api_errors``.

A ``.json`` file holds one response; a ``.jsonl`` (or ``.ndjson``) file one response per
line. Files are read in sorted path order, one at a time, ``.jsonl`` line by line.

Ids. Status and account ``id`` s are local to the server that answered (the same person
has a different id on every server) and must be strings (as numbers they lose digits).
So canonical ids never use them:

- ``account_id`` ``"mastodon:<username>@<host>"`` in lower case, ``handle``
  ``"<username>@<host>"`` (lower case). ``host`` is the host of the account's profile
  ``url`` (the same whichever server answered), else the domain in ``acct`` when it has
  one. Caveat: on a server whose web domain differs from its account domain
  (``WEB_DOMAIN``), the host is the web domain. Mentions resolve the same way from the
  mention's ``url`` (else ``acct``).
- ``post_id`` ``"mastodon:" + uri`` (the ActivityPub id, globally unique; a reblog has
  its own ``uri``).
- ``in_reply_to_id``, ``in_reply_to_account_id`` and a ShallowQuote's
  ``quoted_status_id`` are server-local, so they are resolved only against ids seen in
  the **same file** (one file = responses from one server): statuses (including
  reblogged and quoted ones), their authors and the statuses' mentions (Mastodon
  mentions the replied-to account in every reply). A reply whose parent is not in the
  file keeps ``kind`` reply with ``referenced_post_id`` missing; its account is still
  found through the mentions. The counts of what could not be resolved are in
  ``notes``.

Kinds: ``reblog`` set → **repost** of the nested status by the wrapper's account, at the
wrapper's ``created_at``; its likes, reposts, replies and quotes are 0 (the wrapper's
counts are 0 in the API, and the nested status's counts belong to its author), and it
has no text, language, media or entities (the wrapper's ``content`` is empty).
``in_reply_to_id`` → **reply**. A ``quote`` (Mastodon 4.4+, Quote or ShallowQuote) in
state ``accepted`` → **quote** (quoted status from ``quoted_status``, or ``status`` as the
entity page's example writes it, or a ShallowQuote's ``quoted_status_id``); other states
(pending, rejected, revoked, deleted, …) are ignored, as is an absent ``quote`` (older
servers). A reply that also quotes is a reply, as in the X reader.

Text: ``content`` HTML to plain text with :mod:`html.parser` (entities decoded; ``<br>``
and paragraph breaks become spaces; whitespace collapsed); the ``<p class="quote-inline">``
"RE: <link>" fallback that Mastodon prepends to quote posts is dropped. ``urls``: the
links in ``content`` that are not mentions or hashtags (Mastodon marks those
``class="mention"``/``"hashtag"``, ``rel="tag"``). ``hashtags``: ``tags[].name``.
``has_media``: ``media_attachments`` not empty. ``lang``: ``language``. Account
``description``: ``note`` as plain text. Counts of ``-1`` on an account (servers such
as glitch-soc report hidden follower counts so) are missing; any other negative count is
an error. ``listed`` and ``impressions`` are missing (Mastodon has neither).

Interactions: reply → replied-to account, quote → quoted author, repost → reblogged
author, mention → each mentioned account; never to oneself, and a reply's mention of the
account it answers is the reply itself (as in the X reader).

Duplicates: the API gives no fetch time, so the copy read last (files in sorted path
order, then line and item order) wins, for statuses (by ``uri``) and accounts.

Bad input (strict by default, see :mod:`src.ingest.quarantine`): a file that is empty,
not UTF-8 or not JSON; a response that is neither Status nor Account; a required field
missing or of the wrong type (string ids, counts, lists of objects); a time that cannot
be parsed or has no zone; an account or mention whose server cannot be told. The message
names the file, the line (``.jsonl``) or the item (``.json``, e.g. ``[3]``) and the
field path from the response root (``[3].account.url``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from src.errors import InputError
from src.ingest.bluesky import (
    Where,
    check_type,
    json_documents,
    list_of_objects,
    optional,
    require,
    time,
)
from src.ingest.quarantine import Rejects
from src.ingest.tables import PlatformTables, accounts_frame, posts_and_interactions

PLATFORM = "mastodon"
ACCEPTED = "accepted"
#: Account counts that mean "hidden by the account" rather than a number.
HIDDEN_COUNT = -1
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
)
_VOID_TAGS = frozenset(
    {
        "br",
        "img",
        "hr",
        "input",
        "meta",
        "link",
        "wbr",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
    }
)
_NOTE_KEYS = ("reply_parents_not_in_export", "reply_accounts_unresolved", "quotes_unresolved")


def account_id(handle: str) -> str:
    """Canonical account id of a ``username@host`` handle."""
    return f"{PLATFORM}:{handle.lower()}"


def post_id(uri: str) -> str:
    """Canonical post id of a status ``uri``."""
    return f"{PLATFORM}:{uri}"


# --- HTML --------------------------------------------------------------------------------


class _HTMLText(HTMLParser):
    """Plain text and link targets of Mastodon's status HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.urls: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, skipped) of open non-void elements

    @property
    def _skipping(self) -> bool:
        return any(skip for _, skip in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = values.get("class", "").split()
        if tag in _BLOCK_TAGS or tag == "br":
            self.parts.append(" ")
        if tag == "a" and not self._skipping:
            href = values.get("href", "")
            is_entity = (
                "mention" in classes
                or "hashtag" in classes
                or "tag" in values.get("rel", "").split()
            )
            if href and not is_entity and href not in self.urls:
                self.urls.append(href)
        if tag not in _VOID_TAGS:
            self._open.append((tag, "quote-inline" in classes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS or tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")
        for index in range(len(self._open) - 1, -1, -1):  # close up to the matching open tag
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_text(html: str) -> tuple[str, list[str]]:
    """Mastodon HTML (``content``, ``note``) as one line of plain text, and its links."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split()), parser.urls


# --- reading -----------------------------------------------------------------------------


@dataclass
class _File:
    """Server-local ids seen in one file, to resolve replies and shallow quotes."""

    statuses: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # local id -> (uri, account handle)
    accounts: dict[str, str] = field(default_factory=dict)  # local id -> account handle
    pending: list[dict[str, Any]] = field(default_factory=list)  # rows read from this file


@dataclass
class _Seen:
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)  # uri -> row
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)  # handle -> row
    records: int = 0
    api_errors: int = 0
    files: list[str] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)


def _local_id(value: Any, where: Where) -> str:
    if isinstance(value, str) and value:
        return value
    raise where.error(
        f"expected a string id (the Mastodon API sends ids as strings; as numbers they lose digits), got {value!r}"
    )


def _host(url: str | None, acct: str | None) -> str | None:
    if url:
        host = urlparse(url).hostname
        if host:
            return host
    if acct and "@" in acct:
        domain = acct.rsplit("@", 1)[1].strip().lower()
        return domain or None
    return None


def _handle(obj: dict[str, Any], where: Where) -> str:
    """``username@host`` (lower case) of an Account or a Mention."""
    username = require(obj, "username", where)
    url = optional(obj, "url", where)
    acct = optional(obj, "acct", where)
    host = _host(url, acct)
    if host is None:
        raise (where / "url").error(
            f"cannot tell the server of {username!r}: no url with a host and no domain in acct {acct!r}"
        )
    return f"{username}@{host}".lower()


def _account_count(obj: dict[str, Any], key: str, where: Where) -> int | None:
    value = obj.get(key)
    if value is None or (value == HIDDEN_COUNT and not isinstance(value, bool)):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise (where / key).error(
            f"expected a count (whole number ≥ 0, or -1 for hidden), got {value!r}"
        )
    return value


def _read_account(account: Any, where: Where, ctx: _File, seen: _Seen) -> str:
    """Read an Account, keep its row, register its local id; return its handle."""
    check_type(account, where, dict)
    handle = _handle(account, where)
    ctx.accounts[_local_id(account.get("id"), where / "id")] = handle
    note = optional(account, "note", where)
    seen.accounts[handle] = {
        "account_id": account_id(handle),
        "platform": PLATFORM,
        "handle": handle,
        "name": optional(account, "display_name", where) or None,
        "description": (html_text(note)[0] or None) if note else None,
        "followers": _account_count(account, "followers_count", where),
        "following": _account_count(account, "following_count", where),
        "listed": None,
        "posts_total": _account_count(account, "statuses_count", where),
        "created_at": time(account, "created_at", where, required=False),
    }
    return handle


def _status_count(status: dict[str, Any], key: str, where: Where, *, required: bool = True) -> int:
    value = status.get(key)
    if value is None:
        if required:
            raise (where / key).error("required field is missing")
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise (where / key).error(f"expected a count (whole number ≥ 0), got {value!r}")
    return value


def _read_referenced(status: Any, where: Where, ctx: _File, seen: _Seen) -> tuple[str, str]:
    """A reblogged or quoted Status: register it; return (uri, author handle)."""
    check_type(status, where, dict)
    uri = require(status, "uri", where)
    author = _read_account(require(status, "account", where, dict), where / "account", ctx, seen)
    ctx.statuses[_local_id(status.get("id"), where / "id")] = (uri, author)
    return uri, author


def _read_status(status: Any, where: Where, ctx: _File, seen: _Seen) -> None:
    check_type(status, where, dict)
    local = _local_id(status.get("id"), where / "id")
    uri = require(status, "uri", where)
    created = time(status, "created_at", where)
    author = _read_account(require(status, "account", where, dict), where / "account", ctx, seen)
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
        handle = _handle(mention, mention_where)
        if mention.get("id") is not None:
            ctx.accounts[_local_id(mention["id"], mention_where / "id")] = handle
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
        None if reply_parent is None else _local_id(reply_parent, where / "in_reply_to_id")
    )
    reply_account = status.get("in_reply_to_account_id")
    reply_account = (
        None
        if reply_account is None
        else _local_id(reply_account, where / "in_reply_to_account_id")
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
                quoted_local = _local_id(
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


def _resolve(ctx: _File, seen: _Seen) -> None:
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


def _is_account(obj: dict[str, Any]) -> bool:
    # Only an Account has these at its top level (a Status nests them under "account").
    return "acct" in obj or "username" in obj


def _is_status(obj: dict[str, Any]) -> bool:
    return not _is_account(obj) and any(key in obj for key in ("content", "reblog", "account"))


def _read_entity(obj: Any, where: Where, ctx: _File, seen: _Seen) -> None:
    if isinstance(obj, dict) and _is_account(obj):
        _read_account(obj, where, ctx, seen)
    elif isinstance(obj, dict) and _is_status(obj):
        _read_status(obj, where, ctx, seen)
    elif isinstance(obj, dict):
        raise where.error(
            "is neither a Mastodon Status (content, account, reblog) nor an Account (username, acct)"
        )
    else:
        raise where.error(f"expected a Status or Account object, got {type(obj).__name__}")


def _read_document(document: Any, where: Where, ctx: _File, seen: _Seen, rejects: Rejects) -> None:
    seen.records += 1
    if isinstance(document, list):
        for index, item in enumerate(document):
            try:
                _read_entity(item, where / index, ctx, seen)
            except InputError as error:
                rejects(error)
    elif (
        isinstance(document, dict)
        and "error" in document
        and not (_is_status(document) or _is_account(document))
    ):
        seen.api_errors += 1
    elif isinstance(document, dict):
        _read_entity(document, where, ctx, seen)
    else:
        raise where.error(
            f"expected a JSON array of statuses or accounts, or one object, got {type(document).__name__}",
            whole=True,
        )


def read_mastodon_exports(paths: Iterable[Path], rejects: Rejects | None = None) -> PlatformTables:
    """Read Mastodon REST API statuses and accounts into canonical frames.

    Streams: one file at a time, ``.jsonl`` line by line (memory grows with the number of
    distinct statuses and accounts, plus the local ids of the file being read).

    Args:
        paths: ``.json`` (one response) or ``.jsonl`` (one response per line) files; read
            in sorted order, so the result does not depend on the order given.
        rejects: what to do with a bad record (default: strict, raise).

    Raises:
        InputError: (strict) see the module docstring; the message names the file, the
            line or item, and the field.
    """
    rejects = Rejects() if rejects is None else rejects
    seen = _Seen()
    for path in sorted(Path(p) for p in paths):
        seen.files.append(str(path))
        ctx = _File()
        for line, document in json_documents(path, rejects, "Mastodon API statuses or accounts"):
            try:
                _read_document(document, Where(path, line), ctx, seen, rejects)
            except InputError as error:
                rejects(error)
        _resolve(ctx, seen)
    return _tables(seen)


def _tables(seen: _Seen) -> PlatformTables:
    posts, interactions = posts_and_interactions(seen.posts.values(), PLATFORM, account_id, post_id)
    return PlatformTables(
        platform=PLATFORM,
        accounts=accounts_frame(seen.accounts.values()),
        posts=posts,
        interactions=interactions,
        files=tuple(seen.files),
        records=seen.records,
        api_errors=seen.api_errors,
        notes={key: seen.notes[key] for key in _NOTE_KEYS},
    )
