"""X (Twitter) API v2 exports as twarc2 writes them.

Format (https://developer.x.com/en/docs/x-api, twarc2 https://twarc-project.readthedocs.io):
one JSON response page per line, ``{"data": [...], "includes": {"users": [...],
"tweets": [...]}, "meta": {...}, "errors": [...], "__twarc": {"retrieved_at": ...}}``.
``data`` holds tweets (search, timeline pages) or users (user look-up pages). The
flattened form (``twarc2 flatten``: one tweet per line, expansions inline) is read too. Ids are
strings of up to 19 digits and stay strings: as floats they would lose digits.

A tweet's kind comes from ``referenced_tweets``: ``retweeted`` makes a repost,
``quoted`` a quote, ``replied_to`` a reply, none an original. The reposted, quoted or
replied-to author is found in ``includes.tweets`` (or ``in_reply_to_user_id``); mentioned
accounts in ``entities.mentions`` (by id where given, otherwise by username through
``includes.users``). When the same tweet or user appears more than once, the copy
retrieved last (``__twarc.retrieved_at``, then file order) wins: its metrics are the
latest.

Well-formed tweet pages are decoded by msgspec into the fields the reader uses
(:mod:`src.ingest.x_typed`); any line or item that does not fit goes through orjson and
the checks below, so both paths give the same tables and the same errors.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from sys import intern as _intern
from typing import Any, NamedTuple

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from src.errors import InputError
from src.ingest import x_typed
from src.ingest.quarantine import Rejects
from src.ingest.tables import (
    INTERACTION_COLUMNS,
    POST_COLUMNS,
    PlatformTables,
    accounts_frame,
    interactions_frame,
    posts_frame,
)

PLATFORM = "x"
_UTC = UTC
_KIND_BY_REFERENCE = {"retweeted": "repost", "quoted": "quote", "replied_to": "reply"}
# Precedence when a tweet references several (a quote that is also a reply is a reply
# in the conversation sense: it answers someone).
_KIND_ORDER = ("retweeted", "replied_to", "quoted")


def account_id(native_id: str) -> str:
    """Canonical account id of an X user id."""
    return f"{PLATFORM}:{native_id}"


def post_id(native_id: str) -> str:
    """Canonical post id of an X tweet id."""
    return f"{PLATFORM}:{native_id}"


def parse_time(value: Any, path: Path, record: int, field_name: str) -> datetime:
    """Parse an X API timestamp (``2021-05-18T19:24:56.000Z``) to an aware UTC datetime."""
    if not isinstance(value, str):
        raise InputError(
            path, f"expected an ISO 8601 time, got {value!r}", record=record, field=field_name
        )
    try:
        parsed = datetime.fromisoformat(value)  # Python 3.11+ reads "Z" and fractions
    except ValueError:
        raise InputError(
            path, f"unparseable time {value!r}", record=record, field=field_name
        ) from None
    if parsed.tzinfo is None:
        raise InputError(path, f"time {value!r} has no time zone", record=record, field=field_name)
    return parsed.astimezone(UTC)


def _retrieval_key(value: Any, path: Path, record: int) -> str:
    """``__twarc.retrieved_at`` as a sortable UTC string ("" when absent: oldest)."""
    if not value:
        return ""
    return parse_time(value, path, record, "__twarc.retrieved_at").strftime("%Y-%m-%dT%H:%M:%S.%f")


#: Where a copy of a tweet was read: ((retrieved_at as sortable text, position in the
#: files), file, line). The first part orders copies: the greatest is the latest.
_Source = tuple[tuple[str, int], Path, int]


@dataclass
class _Seen:
    """Rows seen so far, keyed by native id, with the retrieval order that decides which wins."""

    tweets: dict[str, _Row] = field(default_factory=dict)  # tweet id -> the copy kept
    users: dict[str, tuple[tuple[str, int], dict[str, Any]]] = field(default_factory=dict)
    referenced_authors: dict[str, str] = field(default_factory=dict)  # tweet id -> author id
    user_id_by_handle: dict[str, str] = field(default_factory=dict)  # lower-case username -> id
    pages: int = 0
    api_errors: int = 0
    files: list[str] = field(default_factory=list)


def _lines(path: Path, rejects: Rejects) -> Iterator[tuple[int, bytes]]:
    """Yield ``(line number, bytes)`` for each non-blank line of a file; an empty file goes to ``rejects``."""
    seen_any = False
    # A 1 MiB buffer: lines are pages of ~100 KB, and with the default 8 KiB buffer
    # splitting them into lines took twice as long (1.6 s against 0.8 s at 1.2 GB).
    with open(path, "rb", buffering=1 << 20) as handle:
        for number, raw in enumerate(handle, start=1):
            # isspace() stops at the first visible byte; strip() would copy the whole line
            # (pages are ~100 KB). Lines read from a file are never empty.
            if raw.isspace():
                continue
            seen_any = True
            yield number, raw
    if not seen_any:
        rejects(
            InputError(path, "is empty: expected twarc2 response pages, one JSON object per line")
        )


def _parse_line(path: Path, number: int, raw: bytes, rejects: Rejects) -> dict[str, Any] | None:
    """The JSON object on a line, or None (sent to ``rejects``) when it is not UTF-8, not JSON or not an object."""
    try:
        # orjson parses bytes directly (and checks UTF-8): about 3x the speed of json.
        page = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            rejects(
                InputError(
                    path, f"is not UTF-8 text ({bad.reason} at byte {bad.start})", record=number
                )
            )
            return None
        rejects(
            InputError(path, f"is not valid JSON ({exc.msg} at column {exc.colno})", record=number)
        )
        return None
    if not isinstance(page, dict):
        rejects(
            InputError(
                path, f"expected a JSON object per line, got {type(page).__name__}", record=number
            )
        )
        return None
    return page


def _require(obj: dict[str, Any], key: str, path: Path, record: int, where: str) -> Any:
    if not isinstance(obj, dict):
        raise InputError(
            path, f"expected an object, got {type(obj).__name__}", record=record, field=where
        )
    value = obj.get(key)
    if value is None or (isinstance(value, str) and value == ""):
        raise InputError(path, "required field is missing", record=record, field=f"{where}.{key}")
    return value


def _as_id(value: Any, path: Path, record: int, where: str) -> str:
    # Ids must arrive as strings; an integer id has already lost digits if it came via a float.
    if isinstance(value, str) and value.isdigit():
        return value
    raise InputError(
        path, f"expected a string of digits, got {value!r}", record=record, field=where
    )


def _unflatten(item: dict[str, Any]) -> dict[str, Any]:
    """A line of ``twarc2 flatten`` output (one tweet or user, expansions inline) as a page.

    ``flatten`` copies each expansion into the object that refers to it: ``author``,
    ``in_reply_to_user``, full user objects merged into ``entities.mentions`` and full
    tweets merged into ``referenced_tweets`` (each with its own ``author``). Those copies
    become ``includes`` again, so the rest of the reader is the same for both forms.
    """
    users: list[dict[str, Any]] = []
    tweets: list[dict[str, Any]] = []
    for key in ("author", "in_reply_to_user"):
        if isinstance(item.get(key), dict) and item[key].get("id"):
            users.append(item[key])
    mentions = (
        (item.get("entities") or {}).get("mentions")
        if isinstance(item.get("entities"), dict)
        else None
    )
    for mention in mentions or ():
        if (
            isinstance(mention, dict)
            and mention.get("id")
            and mention.get("username")
            and "public_metrics" in mention
        ):
            users.append({k: v for k, v in mention.items() if k not in ("start", "end")})
    for reference in item.get("referenced_tweets") or ():
        if isinstance(reference, dict) and reference.get("author_id"):
            tweets.append({k: v for k, v in reference.items() if k != "type"})
            if isinstance(reference.get("author"), dict) and reference["author"].get("id"):
                users.append(reference["author"])
    return {
        "data": [item],
        "includes": {"users": users, "tweets": tweets},
        "__twarc": item.get("__twarc") or {},
    }


def _read_page(
    path: Path,
    number: int,
    page: dict[str, Any],
    order: tuple[str, int],
    seen: _Seen,
    rejects: Rejects,
) -> None:
    if "data" not in page and "id" in page and ("text" in page or "username" in page):
        page = _unflatten(page)  # twarc2's flattened form: one tweet (or user) per line
    seen.pages += 1
    seen.api_errors += len(page.get("errors") or [])
    data = page.get("data")
    if data is None:
        if not page.get(
            "errors"
        ):  # a page of errors only (suspended or deleted accounts) is counted above
            rejects(InputError(path, "required field is missing", record=number, field="data"))
        return
    if isinstance(data, dict):
        data = [data]  # single-object look-ups (GET /2/tweets/:id) return one object
    if not isinstance(data, list):
        rejects(
            InputError(
                path, f"expected a list, got {type(data).__name__}", record=number, field="data"
            )
        )
        return
    includes = page.get("includes") or {}
    if not isinstance(includes, dict):
        rejects(
            InputError(
                path,
                f"expected an object, got {type(includes).__name__}",
                record=number,
                field="includes",
            )
        )
        return
    users, tweets = includes.get("users") or [], includes.get("tweets") or []
    for name, value in (("users", users), ("tweets", tweets)):
        if not isinstance(value, list):
            rejects(
                InputError(
                    path,
                    f"expected a list, got {type(value).__name__}",
                    record=number,
                    field=f"includes.{name}",
                )
            )
            return
    _read_included_users(users, path, number, order, seen, rejects)
    _read_included_tweets(tweets, path, number, seen, rejects)
    source = (order, path, number)
    for index, item in enumerate(data):
        try:
            if not isinstance(item, dict):
                raise InputError(
                    path,
                    f"expected an object, got {type(item).__name__}",
                    record=number,
                    field=f"data[{index}]",
                )
            if "username" in item and "text" not in item:
                _keep_user(item, path, number, f"data[{index}]", order, seen)
            else:
                _keep_tweet(item, index, source, seen)
        except InputError as error:
            rejects(error)


def _read_included_users(
    users: list[Any], path: Path, number: int, order: tuple[str, int], seen: _Seen, rejects: Rejects
) -> None:
    """Keep the ``includes.users`` of one page (expansions: the same users on every page)."""
    kept = seen.users
    for index, user in enumerate(users):
        # The cheap test of _keep_user, done here: most included users are repeats, and
        # skipping them before the call (and before naming the field) saves a third of it.
        previous = kept.get(user.get("id")) if isinstance(user, dict) else None
        if (
            previous is not None
            and previous[0][0] == order[0]
            and previous[1]["followers"] is not None
        ):
            continue
        try:
            _keep_user(user, path, number, f"includes.users[{index}]", order, seen)
        except InputError as error:
            rejects(error)


def _read_included_tweets(
    tweets: list[Any], path: Path, number: int, seen: _Seen, rejects: Rejects
) -> None:
    """Note the author of each tweet in ``includes.tweets`` (replied to, quoted, reposted)."""
    authors = seen.referenced_authors
    for index, tweet in enumerate(tweets):
        if type(tweet) is dict:
            tweet_id, author = tweet.get("id"), tweet.get("author_id")
            if (
                type(tweet_id) is str
                and type(author) is str
                and tweet_id.isdigit()
                and author.isdigit()
            ):
                authors[tweet_id] = author  # well formed: the checks below would pass
                continue
        _read_included_tweet(tweet, index, path, number, seen, rejects)


def _read_included_tweet(
    tweet: Any, index: int, path: Path, number: int, seen: _Seen, rejects: Rejects
) -> None:
    """Note the author of ``includes.tweets[index]``, checking its fields."""
    where = f"includes.tweets[{index}]"
    try:
        tweet_id = _as_id(_require(tweet, "id", path, number, where), path, number, f"{where}.id")
        author = tweet.get("author_id")
        if author is not None:
            seen.referenced_authors[tweet_id] = _as_id(author, path, number, f"{where}.author_id")
    except InputError as error:
        rejects(error)


def _keep_user(
    user: dict[str, Any], path: Path, number: int, where: str, order: tuple[str, int], seen: _Seen
) -> None:
    previous = seen.users.get(user.get("id")) if isinstance(user, dict) else None
    if previous is not None and previous[0][0] == order[0] and previous[1]["followers"] is not None:
        return  # the same snapshot again (expansions repeat users on every page)
    try:
        user_id, username, row, has_metrics = _fast_user_row(user)
    except _Unusual:
        user_id, username, row, has_metrics = _checked_user_row(user, path, number, where)
    _keep_user_row(user_id, username, row, has_metrics, previous, order, seen)


def _keep_user_row(
    user_id: str,
    username: str,
    row: dict[str, Any],
    has_metrics: bool,
    previous: Any,
    order: tuple[str, int],
    seen: _Seen,
) -> None:
    """Keep a user's row read at ``order`` unless ``previous`` (the copy kept so far) wins."""
    seen.user_id_by_handle[username.lower()] = user_id
    # A later copy wins, but an expansion without public_metrics never replaces one with them.
    if previous is None or (
        order >= previous[0] and (has_metrics or previous[1]["followers"] is None)
    ):
        seen.users[user_id] = (order, row)


def _user_row(
    user_id: str,
    username: str,
    name: Any,
    description: Any,
    counts: tuple[Any, Any, Any, Any],
    created: datetime | None,
) -> dict[str, Any]:
    followers, following, listed, posts_total = counts
    return {
        "account_id": account_id(user_id),
        "platform": PLATFORM,
        "handle": username,
        "name": name,
        "description": description,
        "followers": followers,
        "following": following,
        "listed": listed,
        "posts_total": posts_total,
        "created_at": created,
    }


def _fast_user_row(user: dict[str, Any]) -> tuple[str, str, dict[str, Any], bool]:
    """``(id, username, accounts row, has public_metrics)`` of a well-formed user object.

    Raises _Unusual for anything not plainly well-formed; :func:`_checked_user_row` then
    names what is wrong. Real exports retrieve every page at its own time, so each page's
    expansions are read in full: this path is taken about once per tweet.
    """
    try:
        user_id, username = user["id"], user["username"]
        if not (type(user_id) is str and user_id.isdigit() and type(username) is str and username):
            raise _Unusual
        metrics = user.get("public_metrics") or {}
        counts = (
            metrics.get("followers_count"),
            metrics.get("following_count"),
            metrics.get("listed_count"),
            metrics.get("tweet_count"),
        )
        for value in counts:
            if value is not None and not (type(value) is int and value >= 0):
                raise _Unusual
        created = user.get("created_at")
        when = None
        if created:
            if type(created) is not str:
                raise _Unusual
            when = datetime.fromisoformat(created)
            if when.tzinfo is not _UTC:
                if when.tzinfo is None:
                    raise _Unusual
                when = when.astimezone(_UTC)
    except (KeyError, TypeError, AttributeError, ValueError):
        raise _Unusual from None
    return (
        user_id,
        username,
        _user_row(user_id, username, user.get("name"), user.get("description"), counts, when),
        bool(metrics),
    )


def _checked_user_row(
    user: dict[str, Any], path: Path, number: int, where: str
) -> tuple[str, str, dict[str, Any], bool]:
    """What :func:`_fast_user_row` gives, checking every field and naming the first that is wrong."""
    user_id = _as_id(_require(user, "id", path, number, where), path, number, f"{where}.id")
    username = _require(user, "username", path, number, where)
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
        _user_row(user_id, username, user.get("name"), user.get("description"), counts, when),
        bool(metrics),
    )


def _metrics(row: _Row) -> tuple[int, int, int, int]:
    return (row.likes, row.reposts, row.replies, row.quotes)


class _Row(NamedTuple):
    """One tweet as the reader keeps it (a tuple: a third of a dict's memory)."""

    native_id: str
    author: str
    created_at: datetime
    kind: str
    text: str
    lang: str | None
    referenced: str | None
    in_reply_to_user_id: str | None
    likes: int
    reposts: int
    replies: int
    quotes: int
    impressions: int | None
    has_media: bool
    hashtags: list[str]
    mention_ids: list[tuple[str | None, str | None]]
    urls: list[str]
    source: _Source  #: where this copy was read (not a column)


_COUNT_KEYS = (
    ("likes", "like_count"),
    ("reposts", "retweet_count"),
    ("replies", "reply_count"),
    ("quotes", "quote_count"),
)


class _Unusual(Exception):
    """The fast path met something it does not handle; the checked path decides."""


#: Builds a _Row from a tuple of its fields. NamedTuple's own constructor is a Python
#: function: one more call frame per tweet.
_new_row = tuple.__new__


def _fast_tweet_row(tweet: dict[str, Any], source: _Source) -> _Row:
    """The row of a well-formed tweet read at ``source``, without the per-field checks' overhead.

    Raises _Unusual for anything not plainly well-formed; :func:`_checked_tweet_row` then
    reads the tweet again and names what is wrong. Whenever this returns, it returns the
    row the checked path would.
    """
    try:
        tweet_id, author, created, text, metrics = (
            tweet["id"],
            tweet["author_id"],
            tweet["created_at"],
            tweet["text"],
            tweet["public_metrics"],
        )
        if not (
            type(tweet_id) is str
            and tweet_id.isdigit()
            and type(author) is str
            and author.isdigit()
            and type(text) is str
            and type(created) is str
        ):
            raise _Unusual
        when = datetime.fromisoformat(created)
        if when.tzinfo is not _UTC:  # ("Z", "+00:00" and "-00:00" give timezone.utc itself)
            if when.tzinfo is None:
                raise _Unusual
            when = when.astimezone(_UTC)
        # Subscripts, not .get(key, 0): a count the API left out sends the tweet to the checked path.
        likes, reposts, replies, quotes = (
            metrics["like_count"],
            metrics["retweet_count"],
            metrics["reply_count"],
            metrics["quote_count"],
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
            raise _Unusual
        impressions = metrics.get("impression_count")
        if impressions is not None and not (type(impressions) is int and impressions >= 0):
            raise _Unusual
        kind, referenced = "original", None
        references = tweet.get("referenced_tweets")
        if references:
            if len(references) == 1:  # the usual case: no precedence to settle
                reference = references[0]
                ref_type, ref_id = reference["type"], reference["id"]
                if ref_type in _KIND_BY_REFERENCE:
                    kind, referenced = _KIND_BY_REFERENCE[ref_type], ref_id
            else:
                by_type = {ref["type"]: ref["id"] for ref in references}
                for ref_type in _KIND_ORDER:
                    if ref_type in by_type:
                        kind, referenced = _KIND_BY_REFERENCE[ref_type], by_type[ref_type]
                        break
            if kind != "original" and not (type(referenced) is str and referenced.isdigit()):
                raise _Unusual
        hashtags, mention_ids, urls = [], [], []
        entities = tweet.get("entities")
        if entities:
            for tag in entities.get("hashtags") or ():
                if tag.get("tag"):
                    hashtags.append(tag["tag"])
            for mention in entities.get("mentions") or ():
                mention_id, username = mention.get("id"), mention.get("username")
                if mention_id is None:
                    if type(username) is not str:
                        raise _Unusual
                elif not (type(mention_id) is str and mention_id.isdigit()):
                    raise _Unusual
                # (interned: the same few accounts are mentioned over and over)
                mention_ids.append(
                    (
                        mention_id and _intern(mention_id),
                        _intern(username) if type(username) is str else None,
                    )
                )
            for link in entities.get("urls") or ():
                value = link.get("expanded_url") or link.get("url")
                if value:
                    urls.append(value)
        reply_to_user = tweet.get("in_reply_to_user_id")
        if reply_to_user is not None and not (
            type(reply_to_user) is str and reply_to_user.isdigit()
        ):
            raise _Unusual
        attachments = tweet.get("attachments")
        has_media = bool(attachments and attachments.get("media_keys"))
        lang = tweet.get("lang")
        if type(lang) is str:
            lang = _intern(lang)  # a few dozen codes: one string each, not one per tweet
        # Authors, the accounts replied to and the tweets answered recur (nominees' above
        # all): one string each saves memory and makes the columns built from them at the
        # end quicker to read.
        author = _intern(author)
        if reply_to_user is not None:
            reply_to_user = _intern(reply_to_user)
        if referenced is not None:
            referenced = _intern(referenced)
    except (KeyError, TypeError, AttributeError, ValueError):
        raise _Unusual from None
    return _new_row(
        _Row,
        (
            tweet_id,
            author,
            when,
            kind,
            text,
            lang,
            referenced,
            reply_to_user,
            likes,
            reposts,
            replies,
            quotes,
            impressions,
            has_media,
            hashtags,
            mention_ids,
            urls,
            source,
        ),
    )


def _keep_tweet(tweet: dict[str, Any], index: int, source: _Source, seen: _Seen) -> None:
    """Keep ``data[index]`` of the page read at ``source`` unless a copy retrieved later is already kept."""
    try:
        row = _fast_tweet_row(tweet, source)
    except _Unusual:
        row = _checked_tweet_row(tweet, source, f"data[{index}]")
    _keep_row(row, index, source, seen)


def _keep_row(row: _Row, index: int, source: _Source, seen: _Seen) -> None:
    """Keep the row of ``data[index]`` read at ``source`` unless a copy retrieved later is already kept."""
    tweet_id = row.native_id
    previous = seen.tweets.get(tweet_id)
    if previous is None:
        seen.tweets[tweet_id] = row
        return
    order, path, number = source
    kept_order, kept_path, kept_line = previous.source
    if kept_order[0] == order[0] and _metrics(previous) != _metrics(row):
        # Same retrieval time (or none given) and different counts: which copy is the
        # latest cannot be told, so the second copy is a bad record.
        raise InputError(
            path,
            f"tweet {tweet_id} appears again with different public_metrics {_metrics(row)} "
            f"(first at {kept_path.name} line {kept_line}: {_metrics(previous)}) and no later __twarc.retrieved_at to tell which is newer",
            record=number,
            field=f"data[{index}].public_metrics",
        )
    if order >= kept_order:
        seen.tweets[tweet_id] = row


def _checked_tweet_row(tweet: dict[str, Any], source: _Source, where: str) -> _Row:
    """The row of a tweet read at ``source``, checking every field and naming the first that is wrong."""
    _, path, number = source
    tweet_id = _as_id(_require(tweet, "id", path, number, where), path, number, f"{where}.id")
    author = _as_id(
        _require(tweet, "author_id", path, number, where), path, number, f"{where}.author_id"
    )
    created = parse_time(
        _require(tweet, "created_at", path, number, where), path, number, f"{where}.created_at"
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
    kind, referenced = "original", None
    for ref_type in _KIND_ORDER:
        if ref_type in references:
            kind = _KIND_BY_REFERENCE[ref_type]
            referenced = _as_id(references[ref_type], path, number, f"{where}.referenced_tweets")
            break
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
            mention_id = _as_id(mention_id, path, number, f"{where}.entities.mentions[{index}].id")
        mention_ids.append((mention_id, username if isinstance(username, str) else None))
    reply_to_user = tweet.get("in_reply_to_user_id")
    if reply_to_user is not None:
        reply_to_user = _as_id(reply_to_user, path, number, f"{where}.in_reply_to_user_id")
    attachments = tweet.get("attachments") or {}
    if not isinstance(attachments, dict):
        raise InputError(
            path,
            f"expected an object, got {type(attachments).__name__}",
            record=number,
            field=f"{where}.attachments",
        )
    return _Row(
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
        source=source,
    )


#: Kept for readers of earlier code: the X reader returns the shared structure.
XTables = PlatformTables


def read_x_exports(paths: Iterable[Path], rejects: Rejects | None = None) -> PlatformTables:
    """Read twarc2 JSON lines files into accounts, posts and interactions.

    Streams each file line by line (memory grows with the number of distinct tweets and
    users, not with the number or size of files).

    Args:
        paths: the files; read in sorted order, so the result does not depend on the
            order given.
        rejects: what to do with a bad record (default: strict, raise).

    Raises:
        InputError: (strict) a line is not JSON or not UTF-8, a file is empty, a required
            field is missing or has the wrong type, a time cannot be parsed, the same
            tweet appears twice with different counts and nothing tells which is newer.
            The message names the file, the line and the field.
    """
    rejects = Rejects() if rejects is None else rejects
    with _paused_gc():
        return _tables(_read(sorted(Path(p) for p in paths), rejects))


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Cyclic garbage collection off for the duration.

    The reader allocates millions of small containers that all survive; Python's cyclic
    garbage collector would rescan them again and again (measured: parsing took three
    times as long). None of them form cycles, so collection waits until the end.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _read(files: list[Path], rejects: Rejects) -> _Seen:
    """Every page of ``files``, in order, kept in a :class:`_Seen`."""
    seen = _Seen()
    for file_index, path in enumerate(files):
        seen.files.append(str(path))
        misses = 0  # lines in a row the typed decoding did not fit
        for number, raw in _lines(path, rejects):
            typed = x_typed.decode_page(raw) if misses < _TYPED_MISSES else None
            if typed is None:
                misses += 1
                page = _parse_line(path, number, raw, rejects)
                if page is None:
                    continue
                twarc = page.get("__twarc") or {}
                if not isinstance(twarc, dict):
                    rejects(
                        InputError(
                            path,
                            f"expected an object, got {type(twarc).__name__}",
                            record=number,
                            field="__twarc",
                        )
                    )
                    continue
                retrieved_at = twarc.get("retrieved_at")
            else:
                misses = 0
                retrieved_at = typed.twarc.retrieved_at if typed.twarc is not None else None
            try:
                retrieved = _retrieval_key(retrieved_at, path, number)
            except InputError as error:
                rejects(error)
                continue
            order = (retrieved, file_index * 10_000_000 + number)
            if typed is None:
                _read_page(path, number, page, order, seen, rejects)
            else:
                _read_typed_page(path, number, raw, typed, order, seen, rejects)
    return seen


#: After this many lines in a row that the typed decoding does not fit (a flattened or
#: user look-up file), the rest of the file is read by orjson alone.
_TYPED_MISSES = 8


def _read_typed_page(
    path: Path,
    number: int,
    raw: bytes,
    page: x_typed.Page,
    order: tuple[str, int],
    seen: _Seen,
    rejects: Rejects,
) -> None:
    """:func:`_read_page` for a page decoded by :func:`src.ingest.x_typed.decode_page`.

    Does what :func:`_read_page` does with the same page, in the same order. An item the
    typed rows do not settle (anything :func:`_fast_tweet_row` or :func:`_fast_user_row`
    would leave to the checked path) is read from the line parsed by orjson, by the same
    functions :func:`_read_page` uses.
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
                continue  # the same snapshot again (as in _read_included_users)
            try:
                try:
                    user_id, username, row, has_metrics = _typed_user_row(user)
                except _Unusual:
                    _keep_user(
                        general()["includes"]["users"][index],
                        path,
                        number,
                        f"includes.users[{index}]",
                        order,
                        seen,
                    )
                    continue
                _keep_user_row(user_id, username, row, has_metrics, previous, order, seen)
            except InputError as error:
                rejects(error)
        authors = seen.referenced_authors
        for index, included in enumerate(includes.tweets or ()):
            tweet_id, author = included.id, included.author_id
            if author is not None and tweet_id.isdigit() and author.isdigit():
                authors[tweet_id] = author
            else:
                _read_included_tweet(
                    general()["includes"]["tweets"][index], index, path, number, seen, rejects
                )
    source = (order, path, number)
    for index, tweet in enumerate(page.data or ()):
        try:
            try:
                row = _typed_tweet_row(tweet, source)
            except _Unusual:
                _keep_tweet(general()["data"][index], index, source, seen)
                continue
            _keep_row(row, index, source, seen)
        except InputError as error:
            rejects(error)


def _typed_user_row(user: x_typed.User) -> tuple[str, str, dict[str, Any], bool]:
    """:func:`_fast_user_row` of a user decoded by msgspec (the types are checked already)."""
    user_id, username = user.id, user.username
    if not (user_id.isdigit() and username):
        raise _Unusual
    metrics = user.public_metrics
    if metrics is None:
        counts: tuple[Any, Any, Any, Any] = (None, None, None, None)
        has_metrics = False
    else:
        unset = x_typed.UNSET
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
            if when.tzinfo is not _UTC:
                if when.tzinfo is None:
                    raise _Unusual
                when = when.astimezone(_UTC)
        except ValueError:
            raise _Unusual from None
    return (
        user_id,
        username,
        _user_row(user_id, username, user.name, user.description, counts, when),
        has_metrics,
    )


def _typed_tweet_row(tweet: x_typed.Tweet, source: _Source) -> _Row:
    """:func:`_fast_tweet_row` of a tweet decoded by msgspec (the types are checked already).

    Raises _Unusual wherever :func:`_fast_tweet_row` would; otherwise returns the same row.
    """
    try:
        tweet_id, author = tweet.id, tweet.author_id
        if not (tweet_id.isdigit() and author.isdigit()):
            raise _Unusual
        when = datetime.fromisoformat(tweet.created_at)
        if when.tzinfo is not _UTC:
            if when.tzinfo is None:
                raise _Unusual
            when = when.astimezone(_UTC)
        metrics = tweet.public_metrics
        kind, referenced = "original", None
        references = tweet.referenced_tweets
        if references:
            if len(references) == 1:
                reference = references[0]
                if reference.type in _KIND_BY_REFERENCE:
                    kind, referenced = _KIND_BY_REFERENCE[reference.type], reference.id
            else:
                by_type = {ref.type: ref.id for ref in references}
                for ref_type in _KIND_ORDER:
                    if ref_type in by_type:
                        kind, referenced = _KIND_BY_REFERENCE[ref_type], by_type[ref_type]
                        break
            if kind != "original" and not referenced.isdigit():
                raise _Unusual
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
                        raise _Unusual
                elif not mention_id.isdigit():
                    raise _Unusual
                mention_ids.append(
                    (
                        mention_id and _intern(mention_id),
                        _intern(username) if username is not None else None,
                    )
                )
            for link in entities.urls or ():
                value = link.expanded_url or link.url
                if value:
                    urls.append(value)
        reply_to_user = tweet.in_reply_to_user_id
        if reply_to_user is not None:
            if not reply_to_user.isdigit():
                raise _Unusual
            reply_to_user = _intern(reply_to_user)
        attachments = tweet.attachments
        lang = tweet.lang
        if lang is not None:
            lang = _intern(lang)
        author = _intern(author)
        if referenced is not None:
            referenced = _intern(referenced)
    except ValueError:
        raise _Unusual from None
    return _new_row(
        _Row,
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
            source,
        ),
    )


def _tables(seen: _Seen) -> PlatformTables:
    posts, interactions, authors = _post_columns(
        _kept_columns(seen), seen.referenced_authors, seen.user_id_by_handle
    )
    accounts = accounts_frame(row for _, row in seen.users.values())
    # Authors seen only through their tweets (no user object in the export) still get a row.
    missing = sorted(account_id(native) for native in authors - seen.users.keys())
    if missing:
        accounts = accounts_frame(
            [
                *accounts.to_dict("records"),
                *({"account_id": a, "platform": PLATFORM} for a in missing),
            ]
        )
    return PlatformTables(
        platform=PLATFORM,
        accounts=accounts,
        posts=posts_frame(posts),
        interactions=interactions_frame(interactions if len(interactions["post_id"]) else []),
        files=tuple(seen.files),
        records=seen.pages,
        api_errors=seen.api_errors,
    )


class _Prefixed(dict[str, str]):
    """Native id -> canonical id (``x:<id>``), each made once: the same accounts are
    mentioned and answered thousands of times, and one shared string is less memory."""

    def __missing__(self, native: str) -> str:
        self[native] = canonical = account_id(native)
        return canonical


class _MentionedByUsername(dict[str, str]):
    """Username (as a mention gives it) -> canonical id of the account mentioned, each worked out once.

    The id comes from a user object with that username (case-insensitive); a username no
    user object gives stays a name: ``x:@<lower-case username>``.
    """

    def __init__(self, canonical: _Prefixed, user_id_by_handle: dict[str, str]) -> None:
        super().__init__()
        self._canonical, self._user_id_by_handle = canonical, user_id_by_handle

    def __missing__(self, username: str) -> str:
        native = self._user_id_by_handle.get(username.lower()) if username else None
        self[username] = mentioned = (
            self._canonical[native] if native else f"{PLATFORM}:@{username.lower()}"
        )
        return mentioned


def _kept_columns(seen: _Seen) -> list[tuple[Any, ...]]:
    """The kept tweets' fields as columns, one tuple per :class:`_Row` field; empties ``seen.tweets``.

    Transposing is done in C. Emptying the tweets (and dropping the rows) as soon as they
    are transposed gives their memory back to the allocator for the tables built next
    (at 1M posts: a lower peak, and fewer fresh pages to fault in).
    """
    rows = list(seen.tweets.values())
    seen.tweets.clear()
    return list(zip(*rows))


def _post_columns(
    fields: list[tuple[Any, ...]],
    referenced_authors: dict[str, str],
    user_id_by_handle: dict[str, str],
) -> tuple[dict[str, Sequence[Any]], dict[str, Sequence[Any]], set[str]]:
    """The posts and interactions tables of the kept tweets, as columns; and the authors' native ids.

    ``fields`` are the tweets' fields as columns (:func:`_kept_columns`), used as they
    are where a field is a column. The ids, times and interaction columns are built by
    Arrow (times and prefixed ids from the native values; an interaction's source, post
    and time by taking the posts' own columns at its post's position), so only the
    engagement is worked out per tweet.
    """
    if not fields:  # (no tweets; empty lists: the frame builders give the dtypes of an empty table)
        return (
            {name: [] for name in POST_COLUMNS},
            {name: [] for name in INTERACTION_COLUMNS},
            set(),
        )
    (
        native_ids,
        authors,
        created,
        kinds,
        texts,
        langs,
        referenced,
        reply_to_users,
        likes,
        reposts,
        replies,
        quotes,
        impressions,
        has_media,
        hashtags,
        mention_ids,
        urls,
        _sources,
    ) = fields
    post_ids = _canonical_ids(native_ids)
    account_ids = _canonical_ids(authors)
    times = pa.array(created, type=pa.timestamp("us", tz="UTC"))  # every row's time is aware UTC
    reply_accounts, mentions, (positions, interaction_kinds, targets) = _engagement(
        authors,
        kinds,
        referenced,
        reply_to_users,
        mention_ids,
        referenced_authors,
        user_id_by_handle,
    )
    posts = {
        "post_id": post_ids,
        "account_id": account_ids,
        "platform": pd.Series(
            pd.array(
                pa.repeat(pa.scalar(PLATFORM, pa.large_string()), len(native_ids)), dtype="str"
            )
        ),
        "created_at": pd.Series(times.to_pandas()),
        "kind": kinds,
        # Text and these ids are str (or None), and the entity columns lists, by
        # construction: handed over as the object columns the table holds, so posts_frame
        # need not look at every value.
        "text": _objects(texts),
        "lang": langs,
        "referenced_post_id": _objects(
            ["x:" + native if native else None for native in referenced]
        ),
        "reply_to_account_id": _objects(reply_accounts),
        "likes": likes,
        "reposts": reposts,
        "replies": replies,
        "quotes": quotes,
        "impressions": impressions,
        "has_media": has_media,
        "hashtags": _objects(hashtags),
        "mentions": _objects(mentions),
        "urls": _objects(urls),
    }
    taken = np.fromiter(positions, dtype=np.int64, count=len(positions))
    interactions = {
        "source_account_id": pd.Series(account_ids.array.take(taken)),
        "target_account_id": targets,
        "kind": interaction_kinds,
        "post_id": pd.Series(post_ids.array.take(taken)),
        "created_at": pd.Series(times.take(taken).to_pandas()),
    }
    return posts, interactions, set(authors)


def _objects(values: Sequence[Any]) -> pd.Series:
    """``values`` as an object column, as they are."""
    return pd.Series(np.fromiter(values, dtype=object, count=len(values)), dtype=object, copy=False)


def _canonical_ids(natives: Sequence[str]) -> pd.Series:
    """``x:<id>`` for each native id, as pandas' Arrow-backed ``str`` (what it infers for text)."""
    canonical = pc.utf8_replace_slice(
        pa.array(natives, type=pa.large_string()), start=0, stop=0, replacement=f"{PLATFORM}:"
    )
    return pd.Series(pd.array(canonical, dtype="str"))


def _engagement(
    authors: Sequence[str],
    kinds: Sequence[str],
    referenced: Sequence[str | None],
    reply_to_users: Sequence[str | None],
    mention_ids: Sequence[list[tuple[str | None, str | None]]],
    referenced_authors: dict[str, str],
    user_id_by_handle: dict[str, str],
) -> tuple[list[str | None], list[list[str]], tuple[list[int], list[str], list[str]]]:
    """Per tweet: the account it replies to and the accounts it mentions; and every interaction.

    A reply, quote or repost is an interaction with the author of the tweet it refers to
    (known from ``includes.tweets``, or ``in_reply_to_user_id`` for a reply); each
    mention is one too, except of oneself and, in a reply, of the account replied to
    (that is the reply itself). Interactions are three columns: the position of the
    tweet among ``authors``, the kind and the target account.
    """
    canonical = _Prefixed()
    by_username = _MentionedByUsername(canonical, user_id_by_handle)
    reply_accounts: list[str | None] = []
    mentions: list[list[str]] = []
    positions: list[int] = []
    interaction_kinds: list[str] = []
    targets: list[str] = []
    for position, (author, kind, referenced_id, reply_to_user, mentioned_ids) in enumerate(
        zip(authors, kinds, referenced, reply_to_users, mention_ids)
    ):
        reply_account = None
        if kind != "original":
            target = referenced_authors.get(referenced_id) if referenced_id else None
            if kind == "reply":
                target = reply_to_user or target
                reply_account = canonical[target] if target else None
            if target is not None and target != author:
                positions.append(position)
                interaction_kinds.append(kind)
                targets.append(canonical[target])
        mentioned_here: list[str] = []
        if mentioned_ids:
            author_id = canonical[author]
            for mention_id, username in mentioned_ids:
                mentioned = canonical[mention_id] if mention_id else by_username[username]
                if mentioned not in mentioned_here:  # each account once per tweet, in order
                    mentioned_here.append(mentioned)
                    if mentioned != author_id and mentioned != reply_account:
                        positions.append(position)
                        interaction_kinds.append("mention")
                        targets.append(mentioned)
        reply_accounts.append(reply_account)
        mentions.append(mentioned_here)
    return reply_accounts, mentions, (positions, interaction_kinds, targets)
