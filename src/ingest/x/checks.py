"""Rows of tweets and users given as JSON objects, checking every field, naming the first wrong.

This is the general path: it reads whatever a line holds (orjson's dicts and lists) and
gives the row, or raises an :class:`~src.errors.InputError` naming the file, the line and
the field. Each check costs little when the value is well formed (a type test), and
only a value that fails it is looked at again to say what is wrong: well-formed tweets
that the typed decoding does not cover (flattened files, user look-ups) are read here at
nearly the speed of a check-free parser.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from sys import intern
from typing import Any

from src.errors import InputError
from src.ingest.json_input import parse_time, short_repr
from src.ingest.x.rows import (
    KIND_BY_REFERENCE,
    KIND_ORDER,
    Record,
    Source,
    TweetRow,
    UserRead,
    edit_history,
    new_row,
    user_row,
)

_COUNT_KEYS = ("like_count", "retweet_count", "reply_count", "quote_count")


def require(obj: Any, key: str, path: Path, record: Record, where: str) -> Any:
    """``obj[key]``, which must be there and not null or empty text (``obj`` an object)."""
    if not isinstance(obj, dict):
        raise InputError(
            path, f"expected an object, got {type(obj).__name__}", record=record, field=where
        )
    value = obj.get(key)
    if value is None or (isinstance(value, str) and value == ""):
        raise InputError(path, "required field is missing", record=record, field=f"{where}.{key}")
    return value


def as_id(value: Any, path: Path, record: Record, where: str) -> str:
    """``value``, which must be an id: a string of digits."""
    # Ids must arrive as strings; an integer id has already lost digits if it came via a float.
    if isinstance(value, str) and value.isdigit():
        return value
    raise InputError(
        path, f"expected a string of digits, got {value!r}", record=record, field=where
    )


def checked_id(obj: Any, key: str, path: Path, record: Record, where: str) -> str:
    """``obj[key]``, which must be an id (``where`` names ``obj`` in the error)."""
    value = obj.get(key) if type(obj) is dict else None
    if type(value) is str and value.isdigit():
        return value
    return as_id(require(obj, key, path, record, where), path, record, f"{where}.{key}")


def checked_time(obj: dict[str, Any], key: str, path: Path, record: Record, where: str) -> datetime:
    """``obj[key]``, which must be an ISO 8601 time with a zone, as an aware UTC datetime."""
    value = obj.get(key)
    if type(value) is str:
        try:
            when = datetime.fromisoformat(value)  # Python 3.11+ reads "Z" and fractions
        except ValueError:
            pass
        else:
            if when.tzinfo is UTC:  # ("Z", "+00:00" and "-00:00" give timezone.utc itself)
                return when
            if when.tzinfo is not None:
                return when.astimezone(UTC)
    return parse_time(require(obj, key, path, record, where), path, record, f"{where}.{key}")


def checked_user_row(user: Any, path: Path, number: Record, where: str) -> UserRead:
    """``(id, username, accounts row, has public_metrics)`` of the user object at ``where``."""
    user_id = checked_id(user, "id", path, number, where)
    username = user.get("username")
    if not (type(username) is str and username):
        username = require(user, "username", path, number, where)  # (raises when missing)
        raise InputError(
            path, f"expected text, got {username!r}", record=number, field=f"{where}.username"
        )
    metrics = user.get("public_metrics") or {}
    if type(metrics) is not dict:
        raise InputError(
            path,
            f"expected an object, got {type(metrics).__name__}",
            record=number,
            field=f"{where}.public_metrics",
        )
    when = checked_time(user, "created_at", path, number, where) if user.get("created_at") else None
    counts = (
        metrics.get("followers_count"),
        metrics.get("following_count"),
        metrics.get("listed_count"),
        metrics.get("tweet_count"),
    )
    for value in counts:
        if value is not None and not (type(value) is int and value >= 0):
            raise InputError(
                path,
                f"expected a count (whole number ≥ 0), got {value!r}",
                record=number,
                field=f"{where}.public_metrics",
            )
    return (
        user_id,
        username,
        user_row(user_id, username, user.get("name"), user.get("description"), counts, when),
        bool(metrics),
    )


def checked_tweet_row(tweet: Any, source: Source, where: str) -> TweetRow:
    """The row of the tweet object at ``where`` of the page read at ``source``."""
    _, path, number = source
    tweet_id = checked_id(tweet, "id", path, number, where)
    author = checked_id(tweet, "author_id", path, number, where)
    created = checked_time(tweet, "created_at", path, number, where)
    text = tweet.get("text")
    if type(text) is not str:
        raise InputError(
            path, "required field is missing or not text", record=number, field=f"{where}.text"
        )
    metrics = tweet.get("public_metrics")
    if type(metrics) is not dict:
        raise InputError(
            path,
            "required field is missing (request tweet.fields=public_metrics)",
            record=number,
            field=f"{where}.public_metrics",
        )
    counts = _counts(metrics, path, number, where)
    impressions = metrics.get("impression_count")
    if impressions is not None and not (type(impressions) is int and impressions >= 0):
        raise InputError(
            path,
            f"expected a count (whole number ≥ 0), got {impressions!r}",
            record=number,
            field=f"{where}.public_metrics.impression_count",
        )
    kind, referenced, quoted = _kind(tweet.get("referenced_tweets"), path, number, where)
    history = tweet.get("edit_history_tweet_ids")
    if history is not None:
        history = checked_edit_history(history, path, number, f"{where}.edit_history_tweet_ids")
    hashtags, mentions, links = _entities(tweet.get("entities"), path, number, where)
    mention_ids = _mention_ids(mentions, path, number, where)
    reply_to_user = tweet.get("in_reply_to_user_id")
    if reply_to_user is not None:
        if not (type(reply_to_user) is str and reply_to_user.isdigit()):
            reply_to_user = as_id(reply_to_user, path, number, f"{where}.in_reply_to_user_id")
        reply_to_user = intern(reply_to_user)
    attachments = tweet.get("attachments") or {}
    if type(attachments) is not dict:
        raise InputError(
            path,
            f"expected an object, got {type(attachments).__name__}",
            record=number,
            field=f"{where}.attachments",
        )
    lang = tweet.get("lang")
    if type(lang) is str:
        lang = intern(lang)  # a few dozen codes: one string each, not one per tweet
    return new_row(
        TweetRow,
        (
            tweet_id,
            # Authors, the accounts replied to and the tweets answered recur (nominees'
            # above all): one string each saves memory and makes the columns built from
            # them at the end quicker to read.
            intern(author),
            created,
            kind,
            text,
            lang,
            referenced,
            reply_to_user,
            *counts,
            impressions,
            bool(attachments.get("media_keys")),
            [tag["tag"] for tag in hashtags if tag.get("tag")],
            mention_ids,
            [
                link.get("expanded_url") or link.get("url")
                for link in links
                if link.get("expanded_url") or link.get("url")
            ],
            quoted,
            history,
            source,
        ),
    )


def checked_edit_history(
    value: Any, path: Path, number: Record, where: str
) -> tuple[str, ...] | None:
    """``edit_history_tweet_ids`` (ids, oldest first) as kept (see ``rows.edit_history``)."""
    if type(value) is list:
        for item in value:
            if not (type(item) is str and item.isdigit()):
                break
        else:
            return edit_history(value)
    raise InputError(
        path,
        f"expected a list of tweet ids (strings of digits), got {short_repr(value)}",
        record=number,
        field=where,
    )


def _counts(
    metrics: dict[str, Any], path: Path, number: Record, where: str
) -> tuple[int, int, int, int]:
    """Likes, reposts, replies and quotes from ``public_metrics`` (a count left out is 0)."""
    counts = likes, reposts, replies, quotes = (
        metrics.get("like_count", 0),
        metrics.get("retweet_count", 0),
        metrics.get("reply_count", 0),
        metrics.get("quote_count", 0),
    )
    if not (
        type(likes) is int
        and type(reposts) is int
        and type(replies) is int
        and type(quotes) is int
        and likes >= 0
        and reposts >= 0
        and replies >= 0
        and quotes >= 0
    ):
        for value, key in zip(counts, _COUNT_KEYS, strict=True):
            if not (type(value) is int and value >= 0):
                raise InputError(
                    path,
                    f"expected a count (whole number ≥ 0), got {value!r}",
                    record=number,
                    field=f"{where}.public_metrics.{key}",
                )
    return counts


def _kind(
    references: Any, path: Path, number: Record, where: str
) -> tuple[str, str | None, str | None]:
    """The tweet's kind, the id of the tweet it reposts, answers or quotes, and the id of
    the tweet it quotes when it is a reply that also quotes (else None)."""
    if not references:
        return "original", None, None
    by_type = {ref.get("type"): ref.get("id") for ref in references if type(ref) is dict}
    for ref_type in KIND_ORDER:
        if ref_type in by_type:
            referenced = by_type[ref_type]
            if not (type(referenced) is str and referenced.isdigit()):
                referenced = as_id(referenced, path, number, f"{where}.referenced_tweets")
            quoted = by_type.get("quoted") if ref_type == "replied_to" else None
            if quoted is not None:
                if not (type(quoted) is str and quoted.isdigit()):
                    quoted = as_id(quoted, path, number, f"{where}.referenced_tweets")
                quoted = intern(quoted)
            return KIND_BY_REFERENCE[ref_type], intern(referenced), quoted
    return "original", None, None


def _entities(
    entities: Any, path: Path, number: Record, where: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The hashtags, mentions and urls of ``entities``, each a list of objects."""
    entities = entities or {}
    if type(entities) is not dict:
        raise InputError(
            path,
            f"expected an object, got {type(entities).__name__}",
            record=number,
            field=f"{where}.entities",
        )
    found = (
        entities.get("hashtags") or [],
        entities.get("mentions") or [],
        entities.get("urls") or [],
    )
    for entity_kind, items in zip(("hashtags", "mentions", "urls"), found, strict=True):
        if type(items) is list:
            for item in items:
                if type(item) is not dict:
                    break
            else:
                continue
        raise InputError(
            path,
            "expected a list of objects",
            record=number,
            field=f"{where}.entities.{entity_kind}",
        )
    return found


def _mention_ids(
    mentions: list[dict[str, Any]], path: Path, number: Record, where: str
) -> list[tuple[str | None, str | None]]:
    """(id, username) of each mention; either may be missing, not both."""
    mention_ids: list[tuple[str | None, str | None]] = []
    for index, mention in enumerate(mentions):
        mention_id, username = mention.get("id"), mention.get("username")
        if type(username) is str:
            username = intern(username)  # the same few accounts are mentioned over and over
        elif mention_id is None:
            raise InputError(
                path,
                "a mention needs an id or a username",
                record=number,
                field=f"{where}.entities.mentions[{index}]",
            )
        else:
            username = None
        if mention_id is not None:
            if not (type(mention_id) is str and mention_id.isdigit()):
                mention_id = as_id(
                    mention_id, path, number, f"{where}.entities.mentions[{index}].id"
                )
            mention_id = intern(mention_id)
        mention_ids.append((mention_id, username))
    return mention_ids
