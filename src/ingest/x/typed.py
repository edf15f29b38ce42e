"""The typed path: well-formed tweet pages decoded by msgspec into the fields the reader uses.

Decoding a page straight into the structs of :mod:`src.ingest.x.structs` (msgspec, https://jcristharif.com/msgspec/)
checks the types of the fields the reader keeps in C and skips the rest without building
Python objects for them: at 1M posts it replaces ``orjson.loads`` plus most of the
per-tweet type checks (about 10 s of 24 s). It is only a fast path. A page these
declarations do not fit (a wrong type anywhere, a user look-up or flattened page, a
count out of range) fails to decode, and the reader reads that line again with orjson
and :mod:`src.ingest.x.pages`, whose checks name what is wrong. The declarations are
therefore stricter than the reader, never looser:

- every count is a whole number within int64 (orjson returns larger ones up to 2**64 - 1
  as ``int`` and beyond that floats; those rare values take the general path);
- a user's ``public_metrics`` may hold only the fields listed, so that "present but
  empty" (``{}``) can be told from "has fields" as the reader does (``bool(metrics)``);
- optional fields default to ``None`` where the reader treats missing and null alike.

msgspec does not check UTF-8 as orjson does, so :func:`decode_page` sends any line that
is not plain ASCII through a UTF-8 check first. One difference remains, on purpose: a
number beyond the range of a double (``1e400``, valid JSON) in a field the reader does
not use is skipped here, where orjson would refuse the whole line.

Within a decoded page, :func:`typed_tweet_row` and :func:`typed_user_row` give the rows
that :mod:`src.ingest.x.checks` would give; an item whose values they do not settle (an
id that is not digits, a time without a zone, a mention with neither id nor username)
is read from the orjson-parsed line by the checked path instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from sys import intern
from typing import Any

import msgspec
import orjson
from msgspec import UNSET

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.x.pages import keep_tweet, keep_user, read_included_tweet
from src.ingest.x.rows import (
    KIND_BY_REFERENCE,
    KIND_ORDER,
    Order,
    Record,
    Seen,
    Source,
    TweetRow,
    Unusual,
    UserRead,
    keep_tweet_row,
    keep_user_row,
    new_row,
    user_row,
)
from src.ingest.x.structs import Page, Tweet, User

_decoder = msgspec.json.Decoder(Page)


def decode_page(raw: bytes) -> Page | None:
    """``raw`` (one line of a twarc2 file) as a :class:`Page` of tweets, or None when the
    line must be read by the general path (not a tweet page, or not well formed)."""
    if not raw.isascii():
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        page = _decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    return page if page.data is not None else None


def read_typed_page(
    path: Path,
    number: Record,
    raw: bytes,
    page: Page,
    order: Order,
    seen: Seen,
    rejects: Rejects,
) -> None:
    """:func:`~src.ingest.x.pages.read_page` for a page decoded by :func:`decode_page`.

    Does what ``read_page`` does with the same page, in the same order. An item the typed
    rows do not settle is read from the line parsed by orjson, by the same functions
    ``read_page`` uses.
    """
    parsed: list[dict[str, Any]] = []

    def general() -> dict[str, Any]:
        if not parsed:
            parsed.append(orjson.loads(raw))
        return parsed[0]

    seen.pages += 1
    seen.api_errors += len(page.errors or ())
    includes = page.includes
    if includes is not None:
        kept = seen.users
        for index, user in enumerate(includes.users or ()):
            previous = kept.get(user.id)
            if (
                previous is not None
                and previous[0][0] == order[0]
                and previous[1]["followers"] is not None
            ):
                continue  # the same snapshot again (as in read_included_users)
            try:
                try:
                    read = typed_user_row(user)
                except Unusual:
                    keep_user(
                        general()["includes"]["users"][index],
                        path,
                        number,
                        f"includes.users[{index}]",
                        order,
                        seen,
                    )
                    continue
                keep_user_row(read, previous, order, seen)
            except InputError as error:
                rejects(error)
        authors = seen.referenced_authors
        for index, included in enumerate(includes.tweets or ()):
            tweet_id, author = included.id, included.author_id
            history = included.edit_history_tweet_ids
            if (
                author is not None
                and tweet_id.isdigit()
                and author.isdigit()
                and (history is None or history == [tweet_id])
            ):
                authors[tweet_id] = author  # (as in read_included_tweets)
            else:
                read_included_tweet(
                    general()["includes"]["tweets"][index], index, path, number, seen, rejects
                )
    source = (order, path, number)
    for index, tweet in enumerate(page.data or ()):
        try:
            try:
                row = typed_tweet_row(tweet, source)
            except Unusual:
                keep_tweet(general()["data"][index], index, source, seen)
                continue
            keep_tweet_row(row, index, source, seen)
        except InputError as error:
            rejects(error)


def typed_user_row(user: User) -> UserRead:
    """What :func:`~src.ingest.x.checks.checked_user_row` gives for a user msgspec decoded.

    Raises Unusual for a value the decoding let through that the checked path might
    refuse or read otherwise (an id that is not digits, a time without a zone).
    """
    user_id, username = user.id, user.username
    if not (user_id.isdigit() and username):
        raise Unusual
    metrics = user.public_metrics
    if metrics is None:
        counts: tuple[Any, Any, Any, Any] = (None, None, None, None)
        has_metrics = False
    else:
        unset = UNSET
        counts = tuple(
            None if value is unset else value
            for value in (
                metrics.followers_count,
                metrics.following_count,
                metrics.listed_count,
                metrics.tweet_count,
            )
        )  # type: ignore[assignment]
        has_metrics = metrics.has_fields()
    created, when = user.created_at, None
    if created:
        try:
            when = datetime.fromisoformat(created)
            if when.tzinfo is not UTC:
                if when.tzinfo is None:
                    raise Unusual
                when = when.astimezone(UTC)
        except ValueError:
            raise Unusual from None
    return (
        user_id,
        username,
        user_row(user_id, username, user.name, user.description, counts, when),
        has_metrics,
    )


def typed_tweet_row(tweet: Tweet, source: Source) -> TweetRow:
    """What :func:`~src.ingest.x.checks.checked_tweet_row` gives for a tweet msgspec decoded.

    Raises Unusual for a value the decoding let through that the checked path might
    refuse or read otherwise (an id that is not digits, a time without a zone, a mention
    with neither id nor username); otherwise returns the checked path's row.
    """
    try:
        tweet_id, author = tweet.id, tweet.author_id
        if not (tweet_id.isdigit() and author.isdigit()):
            raise Unusual
        when = datetime.fromisoformat(tweet.created_at)
        if when.tzinfo is not UTC:
            if when.tzinfo is None:
                raise Unusual
            when = when.astimezone(UTC)
        metrics = tweet.public_metrics
        kind, referenced, quoted = "original", None, None
        references = tweet.referenced_tweets
        if references:
            if len(references) == 1:
                reference = references[0]
                if reference.type in KIND_BY_REFERENCE:
                    kind, referenced = KIND_BY_REFERENCE[reference.type], reference.id
            else:
                by_type = {ref.type: ref.id for ref in references}
                for ref_type in KIND_ORDER:
                    if ref_type in by_type:
                        kind, referenced = KIND_BY_REFERENCE[ref_type], by_type[ref_type]
                        if ref_type == "replied_to" and "quoted" in by_type:
                            quoted = by_type["quoted"]
                            if not quoted.isdigit():
                                raise Unusual
                            quoted = intern(quoted)
                        break
            if referenced is not None and not referenced.isdigit():
                raise Unusual
        versions = tweet.edit_history_tweet_ids
        history: tuple[str, ...] | None = None
        if versions:
            for version in versions:
                if not version.isdigit():
                    raise Unusual
            if len(versions) > 1:
                history = tuple(versions)
        hashtags, mention_ids, urls = [], [], []
        entities = tweet.entities
        if entities is not None:
            for tag in entities.hashtags or ():
                if tag.tag:
                    hashtags.append(tag.tag)
            for mention in entities.mentions or ():
                mention_id, username = mention.id, mention.username
                if mention_id is None:
                    if username is None:
                        raise Unusual
                elif not mention_id.isdigit():
                    raise Unusual
                mention_ids.append(
                    (
                        mention_id and intern(mention_id),
                        intern(username) if username is not None else None,
                    )
                )
            for link in entities.urls or ():
                value = link.expanded_url or link.url
                if value:
                    urls.append(value)
        reply_to_user = tweet.in_reply_to_user_id
        if reply_to_user is not None:
            if not reply_to_user.isdigit():
                raise Unusual
            reply_to_user = intern(reply_to_user)
        attachments = tweet.attachments
        lang = tweet.lang
        if lang is not None:
            lang = intern(lang)
        author = intern(author)
        if referenced is not None:
            referenced = intern(referenced)
    except ValueError:
        raise Unusual from None
    return new_row(
        TweetRow,
        (
            tweet_id,
            author,
            when,
            kind,
            tweet.text,
            lang,
            referenced,
            reply_to_user,
            metrics.like_count,
            metrics.retweet_count,
            metrics.reply_count,
            metrics.quote_count,
            metrics.impression_count,
            attachments is not None and bool(attachments.media_keys),
            hashtags,
            mention_ids,
            urls,
            quoted,
            history,
            source,
        ),
    )
