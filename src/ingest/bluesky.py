"""Bluesky (AT Protocol) exports: author feeds and profiles as the App View returns them.

Formats (lexicons in https://github.com/bluesky-social/atproto/tree/main/lexicons):

- ``app.bsky.feed.getAuthorFeed`` pages, ``{"feed": [feedViewPost, ...], "cursor": ...}``.
  A ``feedViewPost`` (``app.bsky.feed.defs``) holds ``post`` (a ``postView``: ``uri``,
  ``cid``, ``author`` (``profileViewBasic``: ``did``, ``handle``, ``displayName``),
  ``record`` (the ``app.bsky.feed.post`` record: ``text``, ``createdAt``, ``reply``
  ``{root, parent}`` strong refs, ``embed``, ``facets``, ``langs``, ``tags``),
  ``embed`` (the hydrated view), ``replyCount``, ``repostCount``, ``likeCount``,
  ``quoteCount``, ``indexedAt``), optionally ``reply`` (the parent and root post views)
  and ``reason`` (``#reasonRepost`` ``{by, uri, cid, indexedAt}`` or ``#reasonPin``).
- ``app.bsky.actor.getProfile`` (one ``profileViewDetailed``: ``did``, ``handle``,
  ``displayName``, ``description``, ``followersCount``, ``followsCount``,
  ``postsCount``, ``createdAt``) and ``app.bsky.actor.getProfiles``
  (``{"profiles": [...]}``).
- An XRPC error body (``{"error": ..., "message": ...}``, e.g. a deleted or suspended
  account) is counted in ``api_errors``, like an X page of errors only.

A ``.json`` file holds one response; a ``.jsonl`` (or ``.ndjson``) file one response per
line. Files are read in sorted path order, one at a time, ``.jsonl`` line by line.

Canonical rows:

- ``account_id`` ``"bluesky:" + did`` (the DID is permanent; handles change), ``handle``
  the handle (``handle.invalid``, the App View's marker for a handle that no longer
  verifies, becomes missing), ``listed`` missing (Bluesky has no lists count in
  profiles). Profiles give the counts; authors seen only inside posts (post authors,
  reposters, reply parents, quoted authors) get a row with handle and name but no counts.
  A profile is never replaced by a later post-author view; otherwise the copy read last
  wins.
- ``post_id`` ``"bluesky:" + at-uri``. ``kind``: a feed item with ``#reasonRepost`` is a
  **repost** by ``reason.by`` at ``reason.indexedAt``, with ``post_id`` the repost
  record's at-uri (``reason.uri``; older App Views omit it, then
  ``"bluesky:repost:<reposter did>:<post at-uri>"``) and ``referenced_post_id`` the
  reposted post. Otherwise ``record.reply`` makes a **reply** (to ``reply.parent``), an
  ``app.bsky.embed.record`` or ``app.bsky.embed.recordWithMedia`` embed of an
  ``app.bsky.feed.post`` record a **quote** (embedded feeds, lists or starter packs are
  not quotes), else **original**. A reply that also quotes is a reply, as in the X reader.
  ``#reasonPin`` items are the author's own posts.
- Counts: a repost row has likes, reposts, replies and quotes **0**. The feed item's
  counts belong to the reposted post (the repost record itself cannot be liked or
  replied to in the App View's counts), so copying them would credit the reposter with the
  original author's engagement once per repost; X's retweets carry the retweet's own
  metrics, which are not comparable. A repost row has no text, language, media or
  entities either: it is the act of sharing. Missing counts on a post are 0 (they are
  optional in the lexicon; ``quoteCount`` arrived in 2024). Impressions are missing.
- Entities from ``record.facets`` (``app.bsky.richtext.facet``): ``#mention`` DIDs,
  ``#link`` URIs, ``#tag`` tags, plus ``record.tags`` (extra hashtags not in the text)
  and an ``app.bsky.embed.external`` link card's URI. ``has_media``: an
  ``app.bsky.embed.images``, ``video`` or ``gallery`` embed, alone or as the media of a
  ``recordWithMedia``. A link card (``external``) is a URL, not media, as on X.
- ``lang``: the first of ``record.langs``.
- The replied-to and quoted authors come from the referenced at-uri's authority (a DID
  in strong refs), else from the hydrated ``reply.parent`` / embed view.
- Interactions: reply → parent author, quote → quoted author, repost → reposted author,
  mention → each mentioned DID; never to oneself, and a reply's mention of the account
  it answers is the reply itself (as in the X reader).

Duplicates: the responses carry no fetch time (``indexedAt`` is when the App View
indexed the post, the same in every copy), so the copy read last (files in sorted path
order, then line and item order) wins.

Bad input (strict by default, see :mod:`src.ingest.quarantine`): a file that is empty,
not UTF-8 or not JSON; a response that is not one of the above; a required field
missing or of the wrong type (ids, at-uris, DIDs, counts); a time that cannot be parsed
or has no zone. The message names the file, the line (``.jsonl``) or the item
(``.json``, e.g. ``feed[3]``) and the field path from the response root
(``feed[3].post.record.createdAt``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.tables import PlatformTables, accounts_frame, posts_and_interactions
from src.ingest.x_api import parse_time

PLATFORM = "bluesky"
POST_COLLECTION = "app.bsky.feed.post"
REASON_REPOST = "app.bsky.feed.defs#reasonRepost"
REASON_PIN = "app.bsky.feed.defs#reasonPin"
INVALID_HANDLE = "handle.invalid"
_MEDIA_EMBEDS = ("app.bsky.embed.images", "app.bsky.embed.video", "app.bsky.embed.gallery")
_EXTERNAL_EMBED = "app.bsky.embed.external"
_RECORD_EMBED = "app.bsky.embed.record"
_RECORD_WITH_MEDIA_EMBED = "app.bsky.embed.recordWithMedia"
_FACET_MENTION = "app.bsky.richtext.facet#mention"
_FACET_LINK = "app.bsky.richtext.facet#link"
_FACET_TAG = "app.bsky.richtext.facet#tag"
#: Suffixes read as one JSON document per line; anything else is one document per file.
LINE_SUFFIXES = (".jsonl", ".ndjson")


def account_id(did: str) -> str:
    """Canonical account id of a Bluesky DID."""
    return f"{PLATFORM}:{did}"


def post_id(at_uri: str) -> str:
    """Canonical post id of a Bluesky record at-uri."""
    return f"{PLATFORM}:{at_uri}"


# --- reading JSON documents (shared with src.ingest.mastodon) ---------------------------


@dataclass(frozen=True)
class Where:
    """Where a value sits: the file, the line (JSON lines) and the path from the document root."""

    path: Path
    line: int | None
    field: str = ""

    def __truediv__(self, key: str | int) -> Where:
        """The location of ``key`` (an object key or a list index) inside this one."""
        if isinstance(key, int):
            return Where(self.path, self.line, f"{self.field}[{key}]")
        return Where(self.path, self.line, f"{self.field}.{key}" if self.field else key)

    @property
    def record(self) -> int | str | None:
        """The line of a JSON lines file, else the top-level list item (``feed[3]``, ``[2]``).

        A ``.json`` document that is itself the record (one profile, one status) has no
        record part: the file and the field say where.
        """
        if self.line is not None:
            return self.line
        head, _, _ = self.field.partition(".")
        return head if head.endswith("]") else None

    def error(self, problem: str, *, whole: bool = False) -> InputError:
        """An :class:`InputError` at this location (``whole``: about the value, no field).

        The field is left out when it only repeats the record (a ``.json`` list item).
        """
        record = self.record
        omit = whole or not self.field or self.field == record
        return InputError(self.path, problem, record=record, field=None if omit else self.field)


def json_documents(path: Path, rejects: Rejects, expected: str) -> Iterator[tuple[int | None, Any]]:
    """Yield ``(line, document)`` for each JSON document of ``path``.

    ``.jsonl``/``.ndjson``: one document per non-blank line, ``line`` its number (blank
    lines count). Anything else: the whole file is one document, ``line`` ``None``. A
    leading UTF-8 byte-order mark is allowed. A file that is empty, a line or file that is
    not UTF-8 or not JSON goes to ``rejects``.
    ``expected`` describes the content for the empty-file message.
    """
    if path.suffix.lower() in LINE_SUFFIXES:
        seen_any = False
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                seen_any = True
                try:
                    text = raw.decode(
                        "utf-8-sig" if number == 1 else "utf-8"
                    )  # a byte-order mark is UTF-8 too
                except UnicodeDecodeError as exc:
                    rejects(
                        InputError(
                            path,
                            f"is not UTF-8 text ({exc.reason} at byte {exc.start})",
                            record=number,
                        )
                    )
                    continue
                try:
                    document = json.loads(text)
                except json.JSONDecodeError as exc:
                    rejects(
                        InputError(
                            path,
                            f"is not valid JSON ({exc.msg} at column {exc.colno})",
                            record=number,
                        )
                    )
                    continue
                yield number, document
        if not seen_any:
            rejects(InputError(path, f"is empty: expected {expected}, one JSON document per line"))
        return
    raw = path.read_bytes()
    if not raw.strip():
        rejects(InputError(path, f"is empty: expected {expected} as one JSON document"))
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        rejects(
            InputError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start})", record=line)
        )
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = (
            " (a .json file holds one JSON document; name JSON lines files .jsonl)"
            if exc.msg == "Extra data"
            else ""
        )
        rejects(
            InputError(
                path,
                f"is not valid JSON ({exc.msg} at column {exc.colno}){hint}",
                record=exc.lineno,
            )
        )
        return
    yield None, document


def require(
    obj: dict[str, Any],
    key: str,
    where: Where,
    kind: type | tuple[type, ...] = str,
    *,
    empty_ok: bool = False,
) -> Any:
    """``obj[key]``, which must be present (not null) and of ``kind`` (non-empty, for text)."""
    value = obj.get(key)
    if value is None or (isinstance(value, str) and value == "" and not empty_ok):
        raise (where / key).error("required field is missing")
    return check_type(value, where / key, kind)


def optional(
    obj: dict[str, Any], key: str, where: Where, kind: type | tuple[type, ...] = str
) -> Any:
    """``obj[key]`` or ``None``; when present it must be of ``kind``."""
    value = obj.get(key)
    return None if value is None else check_type(value, where / key, kind)


_TYPE_NAMES = {
    str: "text",
    dict: "an object",
    list: "a list",
    int: "a whole number",
    bool: "true or false",
}


def check_type(value: Any, where: Where, kind: type | tuple[type, ...]) -> Any:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int in Python, never in JSON's sense of a count.
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        wanted = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
        raise where.error(f"expected {wanted}, got {type(value).__name__} {_short(value)}")
    return value


def count(obj: dict[str, Any], key: str, where: Where, *, default: int | None = 0) -> int | None:
    """A count (whole number ≥ 0); ``default`` when absent or null."""
    value = obj.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise (where / key).error(f"expected a count (whole number ≥ 0), got {value!r}")
    return value


def time(obj: dict[str, Any], key: str, where: Where, *, required: bool = True) -> datetime | None:
    """An ISO 8601 / RFC 3339 time with a zone, as an aware UTC datetime."""
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise (where / key).error("required field is missing")
        return None
    return parse_time(value, where.path, where.record, (where / key).field)


def list_of_objects(obj: dict[str, Any], key: str, where: Where) -> list[dict[str, Any]]:
    """``obj[key]`` as a list of objects (absent or null: empty)."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise (where / key).error("expected a list of objects")
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- Bluesky specifics -------------------------------------------------------------------


def _did(value: Any, where: Where) -> str:
    if not isinstance(value, str) or not value.startswith("did:") or len(value) < 8:
        raise where.error(f"expected a DID (did:plc:… or did:web:…), got {_short(value)}")
    return value


def _at_uri(value: Any, where: Where) -> tuple[str, str, str]:
    """Split an at-uri ``at://<authority>/<collection>/<rkey>``; return (uri, authority, collection)."""
    if not isinstance(value, str) or not value.startswith("at://"):
        raise where.error(f"expected an at-uri (at://…), got {_short(value)}")
    parts = value[len("at://") :].split("/")
    if len(parts) < 3 or not all(parts[:3]):
        raise where.error(
            f"expected an at-uri of a record (at://<did>/<collection>/<key>), got {_short(value)}"
        )
    return value, parts[0], parts[1]


def _author_of(authority: str) -> str | None:
    """The DID in an at-uri's authority (strong refs use DIDs; a handle cannot be trusted)."""
    return authority if authority.startswith("did:") else None


@dataclass
class _Seen:
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)  # dedup key -> row
    accounts: dict[str, tuple[bool, dict[str, Any]]] = field(
        default_factory=dict
    )  # did -> (is profile, row)
    records: int = 0
    api_errors: int = 0
    files: list[str] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)


def _keep_account(seen: _Seen, row: dict[str, Any], *, profile: bool) -> None:
    did = row["did"]
    previous = seen.accounts.get(did)
    if previous is None or profile or not previous[0]:
        seen.accounts[did] = (profile, row)


def _actor(view: Any, where: Where, seen: _Seen) -> str:
    """Read a ``profileViewBasic`` (post author, reposter, …), keep it, return its DID."""
    check_type(view, where, dict)
    did = _did(require(view, "did", where), where / "did")
    handle = require(view, "handle", where)
    _keep_account(
        seen,
        {
            "did": did,
            "handle": None if handle == INVALID_HANDLE else handle,
            "name": optional(view, "displayName", where) or None,
            "created_at": time(view, "createdAt", where, required=False),
        },
        profile=False,
    )
    return did


def _read_profile(view: Any, where: Where, seen: _Seen) -> None:
    """Read a ``profileViewDetailed`` (getProfile, getProfiles)."""
    check_type(view, where, dict)
    did = _did(require(view, "did", where), where / "did")
    handle = require(view, "handle", where)
    _keep_account(
        seen,
        {
            "did": did,
            "handle": None if handle == INVALID_HANDLE else handle,
            "name": optional(view, "displayName", where) or None,
            "description": optional(view, "description", where) or None,
            "followers": count(view, "followersCount", where, default=None),
            "following": count(view, "followsCount", where, default=None),
            "posts_total": count(view, "postsCount", where, default=None),
            "created_at": time(view, "createdAt", where, required=False),
        },
        profile=True,
    )


def _hydrated_authors(
    item: dict[str, Any], post: dict[str, Any], where: Where, seen: _Seen
) -> dict[str, str]:
    """Authors of the post views the App View hydrated around an item: at-uri -> DID.

    Keeps each as an account (handle and name). Covers ``reply.parent``/``reply.root``
    (post views; ``notFoundPost``/``blockedPost`` carry no handle and are skipped) and the
    quoted record in ``post.embed`` (``app.bsky.embed.record#viewRecord``).
    """
    authors: dict[str, str] = {}
    reply = item.get("reply")
    if reply is not None:
        check_type(reply, where / "reply", dict)
        for key in ("parent", "root"):
            view = reply.get(key)
            if (
                isinstance(view, dict)
                and isinstance(view.get("author"), dict)
                and "handle" in view["author"]
            ):
                uri, _, _ = _at_uri(
                    require(view, "uri", where / "reply" / key), where / "reply" / key / "uri"
                )
                authors[uri] = _actor(view["author"], where / "reply" / key / "author", seen)
        grandparent = reply.get("grandparentAuthor")
        if grandparent is not None:
            _actor(grandparent, where / "reply" / "grandparentAuthor", seen)
    embed = post.get("embed")
    if isinstance(embed, dict):
        view_where = where / "post" / "embed"
        record_view = embed.get("record")
        if isinstance(record_view, dict) and isinstance(record_view.get("record"), dict):
            # recordWithMedia#view nests the record#view one level deeper.
            view_where, record_view = view_where / "record", record_view["record"]
        if (
            isinstance(record_view, dict)
            and isinstance(record_view.get("author"), dict)
            and "uri" in record_view
        ):
            uri, _, _ = _at_uri(record_view["uri"], view_where / "record" / "uri")
            authors[uri] = _actor(record_view["author"], view_where / "record" / "author", seen)
    return authors


def _embed(record: dict[str, Any], where: Where) -> tuple[str | None, bool, list[str]]:
    """From a post record's ``embed``: (quoted post at-uri, has media, link-card URLs)."""
    embed = record.get("embed")
    if embed is None:
        return None, False, []
    check_type(embed, where, dict)
    embed_type = require(embed, "$type", where)
    quoted, media, urls = None, False, []
    if embed_type == _RECORD_WITH_MEDIA_EMBED:
        inner = require(embed, "record", where, dict)
        quoted = _strong_ref(inner, where / "record")
        media_embed = require(embed, "media", where, dict)
        media_type = require(media_embed, "$type", where / "media")
        media = media_type in _MEDIA_EMBEDS
        if media_type == _EXTERNAL_EMBED:
            urls = _external(media_embed, where / "media")
    elif embed_type == _RECORD_EMBED:
        quoted = _strong_ref(embed, where)
    elif embed_type in _MEDIA_EMBEDS:
        media = True
    elif embed_type == _EXTERNAL_EMBED:
        urls = _external(embed, where)
    return quoted, media, urls


def _strong_ref(embed: dict[str, Any], where: Where) -> str | None:
    """The at-uri in an ``app.bsky.embed.record``'s strong ref, when it is a post."""
    ref = require(embed, "record", where, dict)
    uri, _, collection = _at_uri(require(ref, "uri", where / "record"), where / "record" / "uri")
    return uri if collection == POST_COLLECTION else None


def _external(embed: dict[str, Any], where: Where) -> list[str]:
    card = require(embed, "external", where, dict)
    return [require(card, "uri", where / "external")]


def _facets(record: dict[str, Any], where: Where) -> tuple[list[str], list[str], list[str]]:
    """(mentioned DIDs, link URIs, tags) from ``record.facets``, in text order, without repeats."""
    mentions: list[str] = []
    links: list[str] = []
    tags: list[str] = []
    for index, facet in enumerate(list_of_objects(record, "facets", where)):
        facet_where = where / "facets" / index
        for number, feature in enumerate(list_of_objects(facet, "features", facet_where)):
            feature_where = facet_where / "features" / number
            feature_type = feature.get("$type")
            if feature_type == _FACET_MENTION:
                value, bucket = _did(feature.get("did"), feature_where / "did"), mentions
            elif feature_type == _FACET_LINK:
                value, bucket = require(feature, "uri", feature_where), links
            elif feature_type == _FACET_TAG:
                value, bucket = require(feature, "tag", feature_where), tags
            else:
                continue  # other facet features (future lexicon additions) carry no entity
            if value not in bucket:
                bucket.append(value)
    return mentions, links, tags


def _read_feed_item(item: Any, where: Where, seen: _Seen) -> None:
    check_type(item, where, dict)
    post = require(item, "post", where, dict)
    post_where = where / "post"
    uri, _, collection = _at_uri(require(post, "uri", post_where), post_where / "uri")
    author = _actor(require(post, "author", post_where, dict), post_where / "author", seen)
    record = require(post, "record", post_where, dict)
    record_where = post_where / "record"
    record_type = require(record, "$type", record_where)
    if record_type != POST_COLLECTION or collection != POST_COLLECTION:
        raise (record_where / "$type").error(
            f"expected a {POST_COLLECTION} record, got {record_type!r} at {uri}"
        )
    text = require(
        record, "text", record_where, empty_ok=True
    )  # may be "" when the post has embeds
    created = time(record, "createdAt", record_where)
    hydrated = _hydrated_authors(item, post, where, seen)

    reason = item.get("reason")
    if reason is not None:
        check_type(reason, where / "reason", dict)
        reason_type = require(reason, "$type", where / "reason")
        if reason_type == REASON_REPOST:
            _keep_repost(reason, where / "reason", uri, author, seen)
            return
        if reason_type != REASON_PIN:
            raise (where / "reason" / "$type").error(
                f"unknown feed reason {reason_type!r} (expected {REASON_REPOST} or {REASON_PIN})"
            )

    counts = {
        name: count(post, key, post_where)
        for name, key in (
            ("likes", "likeCount"),
            ("reposts", "repostCount"),
            ("replies", "replyCount"),
            ("quotes", "quoteCount"),
        )
    }
    quoted, has_media, card_urls = _embed(record, record_where / "embed")
    mentions, links, tags = _facets(record, record_where)
    for index, tag in enumerate(optional(record, "tags", record_where, list) or []):
        check_type(tag, record_where / "tags" / index, str)
        if tag not in tags:
            tags.append(tag)
    langs = optional(record, "langs", record_where, list) or []
    lang = langs[0] if langs and isinstance(langs[0], str) else None

    kind, referenced, target = "original", None, None
    reply = optional(record, "reply", record_where, dict)
    if reply is not None:
        parent = require(reply, "parent", record_where / "reply", dict)
        referenced, authority, _ = _at_uri(
            require(parent, "uri", record_where / "reply" / "parent"),
            record_where / "reply" / "parent" / "uri",
        )
        kind, target = "reply", _author_of(authority) or hydrated.get(referenced)
        if target is None:
            seen.notes["reply_targets_unresolved"] += 1
    elif quoted is not None:
        _, authority, _ = _at_uri(quoted, record_where / "embed")
        kind, referenced, target = "quote", quoted, _author_of(authority) or hydrated.get(quoted)
    seen.posts[uri] = {
        "post_id": post_id(uri),
        "author": author,
        "created_at": created,
        "kind": kind,
        "text": text,
        "lang": lang,
        "referenced": referenced,
        "target": target,
        **counts,
        "has_media": has_media,
        "hashtags": tags,
        "mentions": mentions,
        "urls": links + [url for url in card_urls if url not in links],
    }


def _keep_repost(
    reason: dict[str, Any], where: Where, subject: str, subject_author: str, seen: _Seen
) -> None:
    reposter = _actor(require(reason, "by", where, dict), where / "by", seen)
    created = time(reason, "indexedAt", where)
    repost_uri = reason.get("uri")
    if repost_uri is not None:
        repost_uri, _, _ = _at_uri(repost_uri, where / "uri")
    key = f"repost:{reposter}:{subject}"
    previous = seen.posts.get(key)
    if repost_uri is None and previous is not None and previous["repost_uri"] is not None:
        repost_uri = previous["repost_uri"]  # an older copy named the repost record: keep its id
    seen.posts[key] = {
        "post_id": post_id(repost_uri) if repost_uri else f"{PLATFORM}:{key}",
        "repost_uri": repost_uri,
        "author": reposter,
        "created_at": created,
        "kind": "repost",
        "text": None,
        "lang": None,
        "referenced": subject,
        "target": subject_author,
        "likes": 0,
        "reposts": 0,
        "replies": 0,
        "quotes": 0,
        "has_media": False,
        "hashtags": [],
        "mentions": [],
        "urls": [],
    }


def _read_document(document: Any, where: Where, seen: _Seen, rejects: Rejects) -> None:
    seen.records += 1
    if not isinstance(document, dict):
        raise where.error(
            f"expected a JSON object (a getAuthorFeed page or a getProfile(s) response), got {type(document).__name__}",
            whole=True,
        )
    if "feed" in document:
        feed = document["feed"]
        if not isinstance(feed, list):
            raise (where / "feed").error(f"expected a list, got {type(feed).__name__}")
        for index, item in enumerate(feed):
            try:
                _read_feed_item(item, where / "feed" / index, seen)
            except InputError as error:
                rejects(error)
    elif "profiles" in document:
        profiles = document["profiles"]
        if not isinstance(profiles, list):
            raise (where / "profiles").error(f"expected a list, got {type(profiles).__name__}")
        for index, profile in enumerate(profiles):
            try:
                _read_profile(profile, where / "profiles" / index, seen)
            except InputError as error:
                rejects(error)
    elif "did" in document or "handle" in document:
        _read_profile(document, where, seen)
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
    distinct posts and accounts, not with the number or size of files).

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
        for line, document in json_documents(
            path,
            rejects,
            "app.bsky.feed.getAuthorFeed pages or app.bsky.actor.getProfile(s) responses",
        ):
            try:
                _read_document(document, Where(path, line), seen, rejects)
            except InputError as error:
                rejects(error)
    return _tables(seen)


def _tables(seen: _Seen) -> PlatformTables:
    posts, interactions = posts_and_interactions(seen.posts.values(), PLATFORM, account_id, post_id)
    accounts = accounts_frame(
        {
            "account_id": account_id(did),
            "platform": PLATFORM,
            "listed": None,
            **{k: v for k, v in row.items() if k != "did"},
        }
        for did, (_, row) in seen.accounts.items()
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
