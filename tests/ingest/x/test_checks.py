"""The checked path of the X reader (src/ingest/x/checks.py) reads as before and as the typed rows.

The checked rows test each field with a cheap type test and look again only at a value
that fails it. The code they replaced checked every field in full; it is kept below
(``_reference_*``) and compared with them on generated tweets and users, well formed or
with odd and wrong values: the same row, or the same error with the same message. The
typed rows (src/ingest/x/typed.py) are compared with them too: whenever a typed row is
given, it is the checked row.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given

from src.errors import InputError
from src.ingest.json_input import parse_time, short_repr
from src.ingest.x import structs, typed
from src.ingest.x.checks import checked_tweet_row, checked_user_row
from src.ingest.x.rows import (
    KIND_BY_REFERENCE,
    KIND_ORDER,
    Record,
    Source,
    TweetRow,
    Unusual,
    user_row,
)
from tests.ingest.helpers import MANY, USER
from tests.ingest.x.helpers import TWEET

PATH = Path("page.jsonl")
SOURCE: Source = (("2024-06-01T00:00:00.000000", 1), PATH, 1)  # (order, file, line) of a page

# --- the checks as they were written before -------------------------------------------------


def _reference_require(
    obj: dict[str, Any], key: str, path: Path, record: Record, where: str
) -> Any:
    if not isinstance(obj, dict):
        raise InputError(
            path, f"expected an object, got {type(obj).__name__}", record=record, field=where
        )
    value = obj.get(key)
    if value is None or (isinstance(value, str) and value == ""):
        raise InputError(path, "required field is missing", record=record, field=f"{where}.{key}")
    return value


def _reference_as_id(value: Any, path: Path, record: Record, where: str) -> str:
    # Ids must arrive as strings; an integer id has already lost digits if it came via a float.
    if isinstance(value, str) and value.isdigit():
        return value
    raise InputError(
        path, f"expected a string of digits, got {value!r}", record=record, field=where
    )


def _reference_user_row(
    user: dict[str, Any], path: Path, number: Record, where: str
) -> tuple[str, str, dict[str, Any], bool]:
    """A user object's row, checking every field and naming the first that is wrong."""
    user_id = _reference_as_id(
        _reference_require(user, "id", path, number, where), path, number, f"{where}.id"
    )
    username = _reference_require(user, "username", path, number, where)
    if not isinstance(username, str):
        raise InputError(
            path, f"expected text, got {username!r}", record=number, field=f"{where}.username"
        )
    metrics = user.get("public_metrics") or {}
    if not isinstance(metrics, dict):
        raise InputError(
            path,
            f"expected an object, got {type(metrics).__name__}",
            record=number,
            field=f"{where}.public_metrics",
        )
    created = user.get("created_at")
    counts = (
        metrics.get("followers_count"),
        metrics.get("following_count"),
        metrics.get("listed_count"),
        metrics.get("tweet_count"),
    )
    when = parse_time(created, path, number, f"{where}.created_at") if created else None
    for value in counts:
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
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


def _reference_tweet_row(tweet: dict[str, Any], source: Source, where: str) -> TweetRow:
    """The row of a tweet read at ``source``, checking every field, naming the first wrong."""
    _, path, number = source
    tweet_id = _reference_as_id(
        _reference_require(tweet, "id", path, number, where), path, number, f"{where}.id"
    )
    author = _reference_as_id(
        _reference_require(tweet, "author_id", path, number, where),
        path,
        number,
        f"{where}.author_id",
    )
    created = parse_time(
        _reference_require(tweet, "created_at", path, number, where),
        path,
        number,
        f"{where}.created_at",
    )
    text = tweet.get("text")
    if not isinstance(text, str):
        raise InputError(
            path, "required field is missing or not text", record=number, field=f"{where}.text"
        )
    metrics = tweet.get("public_metrics")
    if not isinstance(metrics, dict):
        raise InputError(
            path,
            "required field is missing (request tweet.fields=public_metrics)",
            record=number,
            field=f"{where}.public_metrics",
        )
    counts = {}
    for name, key in (
        ("likes", "like_count"),
        ("reposts", "retweet_count"),
        ("replies", "reply_count"),
        ("quotes", "quote_count"),
    ):
        value = metrics.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(
                path,
                f"expected a count (whole number ≥ 0), got {value!r}",
                record=number,
                field=f"{where}.public_metrics.{key}",
            )
        counts[name] = value
    impressions = metrics.get("impression_count")
    if impressions is not None and (
        isinstance(impressions, bool) or not isinstance(impressions, int) or impressions < 0
    ):
        raise InputError(
            path,
            f"expected a count (whole number ≥ 0), got {impressions!r}",
            record=number,
            field=f"{where}.public_metrics.impression_count",
        )
    references = {
        ref.get("type"): ref.get("id")
        for ref in tweet.get("referenced_tweets") or []
        if isinstance(ref, dict)
    }
    kind, referenced, quoted = "original", None, None
    for ref_type in KIND_ORDER:
        if ref_type in references:
            kind = KIND_BY_REFERENCE[ref_type]
            referenced = _reference_as_id(
                references[ref_type], path, number, f"{where}.referenced_tweets"
            )
            # A reply that also quotes keeps the quoted tweet (its quote is an interaction).
            if ref_type == "replied_to" and references.get("quoted") is not None:
                quoted = _reference_as_id(
                    references["quoted"], path, number, f"{where}.referenced_tweets"
                )
            break
    history = tweet.get("edit_history_tweet_ids")
    if history is not None:
        if not isinstance(history, list) or not all(
            isinstance(version, str) and version.isdigit() for version in history
        ):
            raise InputError(
                path,
                f"expected a list of tweet ids (strings of digits), got {short_repr(history)}",
                record=number,
                field=f"{where}.edit_history_tweet_ids",
            )
        # Kept only when it links this tweet to other versions.
        history = tuple(history) if len(history) > 1 else None
    entities = tweet.get("entities") or {}
    if not isinstance(entities, dict):
        raise InputError(
            path,
            f"expected an object, got {type(entities).__name__}",
            record=number,
            field=f"{where}.entities",
        )
    for entity_kind in ("hashtags", "mentions", "urls"):
        items = entities.get(entity_kind) or []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise InputError(
                path,
                "expected a list of objects",
                record=number,
                field=f"{where}.entities.{entity_kind}",
            )
    mention_ids = []
    for index, mention in enumerate(entities.get("mentions") or []):
        mention_id, username = mention.get("id"), mention.get("username")
        if mention_id is None and not isinstance(username, str):
            raise InputError(
                path,
                "a mention needs an id or a username",
                record=number,
                field=f"{where}.entities.mentions[{index}]",
            )
        if mention_id is not None:
            mention_id = _reference_as_id(
                mention_id, path, number, f"{where}.entities.mentions[{index}].id"
            )
        mention_ids.append((mention_id, username if isinstance(username, str) else None))
    reply_to_user = tweet.get("in_reply_to_user_id")
    if reply_to_user is not None:
        reply_to_user = _reference_as_id(
            reply_to_user, path, number, f"{where}.in_reply_to_user_id"
        )
    attachments = tweet.get("attachments") or {}
    if not isinstance(attachments, dict):
        raise InputError(
            path,
            f"expected an object, got {type(attachments).__name__}",
            record=number,
            field=f"{where}.attachments",
        )
    return TweetRow(
        native_id=tweet_id,
        author=author,
        created_at=created,
        kind=kind,
        text=text,
        lang=tweet.get("lang"),
        referenced=referenced,
        in_reply_to_user_id=reply_to_user,
        **counts,
        impressions=impressions,
        has_media=bool(attachments.get("media_keys")),
        hashtags=[tag["tag"] for tag in entities.get("hashtags") or [] if tag.get("tag")],
        mention_ids=mention_ids,
        urls=[
            u.get("expanded_url") or u.get("url")
            for u in entities.get("urls") or []
            if u.get("expanded_url") or u.get("url")
        ],
        quoted=quoted,
        edit_history=history,
        source=source,
    )


# --- the checked rows against the reference ---------------------------------------------------


def _row_or_error(read: Any, *args: Any) -> Any:
    try:
        return tuple(read(*args))
    except InputError as error:
        return f"InputError: {error}"


@pytest.mark.slow
@MANY
@given(tweet=TWEET)
def test_checked_tweet_row_reads_as_the_reference(tweet: dict[str, Any]) -> None:
    checked = _row_or_error(checked_tweet_row, tweet, SOURCE, "data[0]")
    assert checked == _row_or_error(_reference_tweet_row, tweet, SOURCE, "data[0]")
    if not isinstance(checked, str):
        assert checked[2].utcoffset() == timedelta(0)


@pytest.mark.slow
@MANY
@given(user=USER)
def test_checked_user_row_reads_as_the_reference(user: dict[str, Any]) -> None:
    assert _row_or_error(checked_user_row, user, PATH, 1, "includes.users[0]") == _row_or_error(
        _reference_user_row, user, PATH, 1, "includes.users[0]"
    )


# --- the typed rows give the checked row, or decline -------------------------------------------


def _decoded(value: dict[str, Any], kind: type) -> Any:
    """``value`` as the typed decoding reads it from a page, or None where it does not fit."""
    try:
        return msgspec.json.decode(msgspec.json.encode(value), type=kind)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


@pytest.mark.slow
@MANY
@given(tweet=TWEET)
def test_typed_tweet_row_is_the_checked_row_or_declines(tweet: dict[str, Any]) -> None:
    decoded = _decoded(tweet, structs.Tweet)
    if decoded is None:
        return
    checked = _row_or_error(checked_tweet_row, tweet, SOURCE, "data[0]")
    try:
        row = typed.typed_tweet_row(decoded, SOURCE)
    except Unusual:
        return
    assert not isinstance(checked, str), (
        f"the typed row accepts a tweet the checks refuse: {checked}"
    )
    assert tuple(row) == checked


@pytest.mark.slow
@MANY
@given(user=USER)
def test_typed_user_row_is_the_checked_row_or_declines(user: dict[str, Any]) -> None:
    decoded = _decoded(user, structs.User)
    if decoded is None:
        return
    checked = _row_or_error(checked_user_row, user, PATH, 1, "includes.users[0]")
    try:
        read = typed.typed_user_row(decoded)
    except Unusual:
        return
    assert not isinstance(checked, str), (
        f"the typed row accepts a user the checks refuse: {checked}"
    )
    assert read == checked
