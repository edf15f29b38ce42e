"""What a Bluesky response is, and the atproto Python SDK's shape of it.

Feeds. ``app.bsky.feed.getAuthorFeed`` returns one account's feed: its posts, its
reposts (``reason.by`` is the account) and its pinned post. ``getTimeline`` (the
exporting account's home timeline), ``getListFeed``, ``getFeed`` (custom feeds) and
``getActorLikes`` return the same ``{"feed": [...]}`` shape with posts by many
accounts. A page is taken as an author feed when one account made all of its items
(:func:`feed_actors`); otherwise it is skipped, described by :func:`feed_description`.
A feed whose items are all by one account cannot be told from that account's author
feed, and its items are that account's posts and reposts either way.

Other responses recognised and skipped by their top-level key: threads, posts without
feed context, likes, reposts, follows, lists, notifications, search results, repository
records (:data:`OTHER_RESPONSES`).

The SDK (``atproto``, https://atproto.blue) reads responses into pydantic models whose
fields are snake_case with the lexicon's ``$type`` as ``py_type``; a model's
``model_dump()`` (or ``model_dump(mode="json")``) keeps that shape and writes absent
optional fields as null. :func:`from_sdk_dump` turns such a dump back into the XRPC
JSON shape (camelCase keys, ``$type``); nulls read as absent.
"""

from __future__ import annotations

from typing import Any

from src.ingest.bluesky.feed import REASON_REPOST

#: Responses that are not author feeds or profiles, by their top-level key.
OTHER_RESPONSES = {
    "thread": "a post thread (app.bsky.feed.getPostThread)",
    "posts": "posts without their feed context (app.bsky.feed.getPosts or searchPosts)",
    "likes": "the likes of a post (app.bsky.feed.getLikes)",
    "repostedBy": "the reposters of a post (app.bsky.feed.getRepostedBy)",
    "followers": "an account's followers (app.bsky.graph.getFollowers)",
    "follows": "the accounts an account follows (app.bsky.graph.getFollows)",
    "notifications": "notifications (app.bsky.notification.listNotifications)",
    "actors": "account search results (app.bsky.actor.searchActors)",
    "lists": "lists (app.bsky.graph.getLists)",
    "items": "a list and its members (app.bsky.graph.getList)",
    "feeds": "feed generators (app.bsky.feed.getActorFeeds or getFeedGenerators)",
    "starterPacks": "starter packs (app.bsky.graph.getActorStarterPacks)",
    "records": "repository records without counts (com.atproto.repo.listRecords)",
}


def other_response(document: dict[str, Any]) -> str | None:
    """What a response that is neither a feed nor profiles is, or None."""
    if "feed" in document or "profiles" in document or "did" in document:
        return None
    for key, what in OTHER_RESPONSES.items():
        if key in document:
            return what
    return None


def _item_actor(item: Any) -> tuple[str | None, bool]:
    """(DID of the account that made a feed item, whether the exporting account follows it)."""
    if not isinstance(item, dict):
        return None, False
    reason = item.get("reason")
    post = item.get("post")
    if isinstance(reason, dict) and reason.get("$type") == REASON_REPOST:
        view = reason.get("by")
    else:
        view = post.get("author") if isinstance(post, dict) else None
    if not isinstance(view, dict):
        return None, False  # too malformed to say: reading the item names the field
    did, viewer = view.get("did"), view.get("viewer")
    if not isinstance(did, str) or not did.startswith("did:"):
        return None, False
    return did, isinstance(viewer, dict) and bool(viewer.get("following"))


def feed_actors(feed: list[Any]) -> set[str]:
    """The DIDs of the accounts that made a feed page's items: the author of each post, or
    the reposter of a repost (items too malformed to say are left to the reader)."""
    return {did for did, _ in map(_item_actor, feed) if did is not None}


def feed_description(feed: list[Any]) -> str:
    """What a feed page by several accounts looks like, in words."""
    followed = sum(1 for item in feed if _item_actor(item)[1])
    guess = (
        "a home timeline (app.bsky.feed.getTimeline: posts of the accounts the exporting "
        "account follows)"
        if followed * 2 >= len(feed)
        else "a list or custom feed (app.bsky.feed.getListFeed or getFeed)"
    )
    return (
        f"a feed of posts by {len(feed_actors(feed))} accounts, not one account's "
        f"app.bsky.feed.getAuthorFeed: it looks like {guess}"
    )


# --- the atproto SDK's model_dump() shape ---------------------------------------------------


def _xrpc_key(key: str) -> str:
    """The XRPC JSON name of an SDK field: ``py_type`` → ``$type``, snake → camel case."""
    if key == "py_type":
        return "$type"
    if "_" not in key or key.startswith("$"):
        return key
    head, *rest = key.rstrip("_").split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def from_sdk_dump(value: Any) -> Any:
    """An SDK ``model_dump()`` as the XRPC JSON it was read from (keys renamed, values kept)."""
    if isinstance(value, dict):
        return {_xrpc_key(key): from_sdk_dump(item) for key, item in value.items()}
    if isinstance(value, list):
        return [from_sdk_dump(item) for item in value]
    return value


def _sample_objects(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The objects whose keys tell the shape: the response, its first item and post."""
    objects = [document]
    for key in ("feed", "profiles"):
        items = document.get(key)
        if isinstance(items, list) and items and isinstance(items[0], dict):
            objects.append(items[0])
            if isinstance(items[0].get("post"), dict):
                objects.append(items[0]["post"])
    return objects


def is_sdk_dump(document: dict[str, Any]) -> bool:
    """Whether a response is in the SDK's shape (``py_type`` or snake_case field names)."""
    return any(
        key == "py_type" or ("_" in key and not key.startswith("$"))
        for obj in _sample_objects(document)
        for key in obj
    )
