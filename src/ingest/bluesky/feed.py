"""Feed items (``feedViewPost``) as post rows: originals, replies, quotes and reposts.

See :mod:`src.ingest.bluesky` for how kinds, counts, entities and targets are read.
"""

from __future__ import annotations

from typing import Any

from src.ingest.bluesky.accounts import Seen, actor
from src.ingest.bluesky.ids import (
    PLATFORM,
    POST_COLLECTION,
    as_did,
    author_of,
    post_id,
    split_at_uri,
)
from src.ingest.json_input import Where, check_type, count, list_of_objects, optional, require, time

REASON_REPOST = "app.bsky.feed.defs#reasonRepost"
REASON_PIN = "app.bsky.feed.defs#reasonPin"
_MEDIA_EMBEDS = ("app.bsky.embed.images", "app.bsky.embed.video", "app.bsky.embed.gallery")
_EXTERNAL_EMBED = "app.bsky.embed.external"
_RECORD_EMBED = "app.bsky.embed.record"
_RECORD_WITH_MEDIA_EMBED = "app.bsky.embed.recordWithMedia"
_FACET_MENTION = "app.bsky.richtext.facet#mention"
_FACET_LINK = "app.bsky.richtext.facet#link"
_FACET_TAG = "app.bsky.richtext.facet#tag"


def _hydrated_authors(
    item: dict[str, Any], post: dict[str, Any], where: Where, seen: Seen
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
                uri, _, _ = split_at_uri(
                    require(view, "uri", where / "reply" / key), where / "reply" / key / "uri"
                )
                authors[uri] = actor(view["author"], where / "reply" / key / "author", seen)
        grandparent = reply.get("grandparentAuthor")
        if grandparent is not None:
            actor(grandparent, where / "reply" / "grandparentAuthor", seen)
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
            uri, _, _ = split_at_uri(record_view["uri"], view_where / "record" / "uri")
            authors[uri] = actor(record_view["author"], view_where / "record" / "author", seen)
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
    uri, _, collection = split_at_uri(
        require(ref, "uri", where / "record"), where / "record" / "uri"
    )
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
                value, bucket = as_did(feature.get("did"), feature_where / "did"), mentions
            elif feature_type == _FACET_LINK:
                value, bucket = require(feature, "uri", feature_where), links
            elif feature_type == _FACET_TAG:
                value, bucket = require(feature, "tag", feature_where), tags
            else:
                continue  # other facet features (future lexicon additions) carry no entity
            if value not in bucket:
                bucket.append(value)
    return mentions, links, tags


def read_feed_item(item: Any, where: Where, seen: Seen) -> None:
    """Read a ``feedViewPost`` at ``where``: keep its post (or repost) and the accounts in it."""
    check_type(item, where, dict)
    post = require(item, "post", where, dict)
    post_where = where / "post"
    uri, _, collection = split_at_uri(require(post, "uri", post_where), post_where / "uri")
    author = actor(require(post, "author", post_where, dict), post_where / "author", seen)
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
        # Optional in the lexicon (quoteCount arrived in 2024): a count not sent is missing.
        name: count(post, key, post_where, default=None)
        for name, key in (
            ("likes", "likeCount"),
            ("reposts", "repostCount"),
            ("replies", "replyCount"),
            ("quotes", "quoteCount"),
        )
    }
    if None in counts.values():
        seen.count_missing_files.add(str(where.path))
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
        referenced, authority, _ = split_at_uri(
            require(parent, "uri", record_where / "reply" / "parent"),
            record_where / "reply" / "parent" / "uri",
        )
        kind, target = "reply", author_of(authority) or hydrated.get(referenced)
        if target is None:
            seen.notes["reply_targets_unresolved"] += 1
    elif quoted is not None:
        _, authority, _ = split_at_uri(quoted, record_where / "embed")
        kind, referenced, target = "quote", quoted, author_of(authority) or hydrated.get(quoted)
    row = {
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
    seen.posts.offer(uri, row, seen.retrieval)


def _keep_repost(
    reason: dict[str, Any], where: Where, subject: str, subject_author: str, seen: Seen
) -> None:
    reposter = actor(require(reason, "by", where, dict), where / "by", seen)
    created = time(reason, "indexedAt", where)
    repost_uri = reason.get("uri")
    if repost_uri is not None:
        repost_uri, _, _ = split_at_uri(repost_uri, where / "uri")
    key = f"repost:{reposter}:{subject}"
    previous = seen.posts.get(key)
    if repost_uri is None and previous is not None and previous["repost_uri"] is not None:
        repost_uri = previous["repost_uri"]  # an older copy named the repost record: keep its id
    row: dict[str, Any] = {
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
    if not seen.posts.offer(key, row, seen.retrieval) and repost_uri is not None:
        kept = seen.posts.get(key)
        if kept["repost_uri"] is None:  # the newer copy did not name the repost record
            kept.update(repost_uri=repost_uri, post_id=post_id(repost_uri))
