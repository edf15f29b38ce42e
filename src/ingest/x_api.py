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
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

import orjson
import pandas as pd

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.tables import PlatformTables, accounts_frame, interactions_frame, posts_frame

PLATFORM = "x"
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
        raise InputError(path, f"expected an ISO 8601 time, got {value!r}", record=record, field=field_name)
    try:
        parsed = datetime.fromisoformat(value)  # Python 3.11+ reads "Z" and fractions
    except ValueError:
        raise InputError(path, f"unparseable time {value!r}", record=record, field=field_name) from None
    if parsed.tzinfo is None:
        raise InputError(path, f"time {value!r} has no time zone", record=record, field=field_name)
    return parsed.astimezone(timezone.utc)


def _retrieval_key(value: Any, path: Path, record: int) -> str:
    """``__twarc.retrieved_at`` as a sortable UTC string ("" when absent: oldest)."""
    if not value:
        return ""
    return parse_time(value, path, record, "__twarc.retrieved_at").strftime("%Y-%m-%dT%H:%M:%S.%f")


@dataclass
class _Seen:
    """Rows seen so far, keyed by native id, with the retrieval order that decides which wins."""

    tweets: dict[str, tuple[tuple[str, int], "_Row"]] = field(default_factory=dict)
    users: dict[str, tuple[tuple[str, int], dict[str, Any]]] = field(default_factory=dict)
    tweet_lines: dict[str, tuple[Path, int]] = field(default_factory=dict)  # tweet id -> where its kept copy was read
    referenced_authors: dict[str, str] = field(default_factory=dict)  # tweet id -> author id
    user_id_by_handle: dict[str, str] = field(default_factory=dict)  # lower-case username -> id
    pages: int = 0
    api_errors: int = 0
    files: list[str] = field(default_factory=list)


def _pages(path: Path, rejects: Rejects) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, page)`` for each non-blank line of a JSON lines file.

    A line that is not UTF-8, not JSON or not an object goes to ``rejects``.
    """
    seen_any = False
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            seen_any = True
            try:
                # orjson parses bytes directly (and checks UTF-8): about 3x the speed of json.
                page = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as bad:
                    rejects(InputError(path, f"is not UTF-8 text ({bad.reason} at byte {bad.start})", record=number))
                    continue
                rejects(InputError(path, f"is not valid JSON ({exc.msg} at column {exc.colno})", record=number))
                continue
            if not isinstance(page, dict):
                rejects(InputError(path, f"expected a JSON object per line, got {type(page).__name__}", record=number))
                continue
            yield number, page
    if not seen_any:
        rejects(InputError(path, "is empty: expected twarc2 response pages, one JSON object per line"))


def _require(obj: dict[str, Any], key: str, path: Path, record: int, where: str) -> Any:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and value == ""):
        raise InputError(path, "required field is missing", record=record, field=f"{where}.{key}")
    return value


def _as_id(value: Any, path: Path, record: int, where: str) -> str:
    # Ids must arrive as strings; an integer id has already lost digits if it came via a float.
    if isinstance(value, str) and value.isdigit():
        return value
    raise InputError(path, f"expected a string of digits, got {value!r}", record=record, field=where)


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
    mentions = (item.get("entities") or {}).get("mentions") if isinstance(item.get("entities"), dict) else None
    for mention in mentions or ():
        if isinstance(mention, dict) and mention.get("id") and mention.get("username") and "public_metrics" in mention:
            users.append({k: v for k, v in mention.items() if k not in ("start", "end")})
    for reference in item.get("referenced_tweets") or ():
        if isinstance(reference, dict) and reference.get("author_id"):
            tweets.append({k: v for k, v in reference.items() if k != "type"})
            if isinstance(reference.get("author"), dict) and reference["author"].get("id"):
                users.append(reference["author"])
    return {"data": [item], "includes": {"users": users, "tweets": tweets}, "__twarc": item.get("__twarc") or {}}


def _read_page(path: Path, number: int, page: dict[str, Any], order: tuple[str, int], seen: _Seen, rejects: Rejects) -> None:
    if "data" not in page and "id" in page and ("text" in page or "username" in page):
        page = _unflatten(page)  # twarc2's flattened form: one tweet (or user) per line
    seen.pages += 1
    seen.api_errors += len(page.get("errors") or [])
    data = page.get("data")
    if data is None:
        if not page.get("errors"):  # a page of errors only (suspended or deleted accounts) is counted above
            rejects(InputError(path, "required field is missing", record=number, field="data"))
        return
    if isinstance(data, dict):
        data = [data]  # single-object look-ups (GET /2/tweets/:id) return one object
    if not isinstance(data, list):
        rejects(InputError(path, f"expected a list, got {type(data).__name__}", record=number, field="data"))
        return
    includes = page.get("includes") or {}
    for index, user in enumerate(includes.get("users") or []):
        try:
            _keep_user(user, path, number, f"includes.users[{index}]", order, seen)
        except InputError as error:
            rejects(error)
    for index, tweet in enumerate(includes.get("tweets") or []):
        where = f"includes.tweets[{index}]"
        try:
            tweet_id = _as_id(_require(tweet, "id", path, number, where), path, number, f"{where}.id")
            author = tweet.get("author_id")
            if author is not None:
                seen.referenced_authors[tweet_id] = _as_id(author, path, number, f"{where}.author_id")
        except InputError as error:
            rejects(error)
    for index, item in enumerate(data):
        where = f"data[{index}]"
        try:
            if not isinstance(item, dict):
                raise InputError(path, f"expected an object, got {type(item).__name__}", record=number, field=where)
            if "username" in item and "text" not in item:
                _keep_user(item, path, number, where, order, seen)
            else:
                _keep_tweet(item, path, number, where, order, seen)
        except InputError as error:
            rejects(error)


def _keep_user(user: dict[str, Any], path: Path, number: int, where: str, order: tuple[str, int], seen: _Seen) -> None:
    previous = seen.users.get(user.get("id")) if isinstance(user, dict) else None
    if previous is not None and previous[0][0] == order[0] and previous[1]["followers"] is not None:
        return  # the same snapshot again (expansions repeat users on every page)
    user_id = _as_id(_require(user, "id", path, number, where), path, number, f"{where}.id")
    username = _require(user, "username", path, number, where)
    metrics = user.get("public_metrics") or {}
    created = user.get("created_at")
    row = {
        "account_id": account_id(user_id),
        "platform": PLATFORM,
        "handle": username,
        "name": user.get("name"),
        "description": user.get("description"),
        "followers": metrics.get("followers_count"),
        "following": metrics.get("following_count"),
        "listed": metrics.get("listed_count"),
        "posts_total": metrics.get("tweet_count"),
        "created_at": parse_time(created, path, number, f"{where}.created_at") if created else None,
    }
    for key in ("followers", "following", "listed", "posts_total"):
        value = row[key]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise InputError(path, f"expected a count (whole number ≥ 0), got {value!r}", record=number, field=f"{where}.public_metrics")
    seen.user_id_by_handle[username.lower()] = user_id
    # A later copy wins, but an expansion without public_metrics never replaces one with them.
    has_metrics = bool(metrics)
    if previous is None or (order >= previous[0] and (has_metrics or previous[1]["followers"] is None)):
        seen.users[user_id] = (order, row)


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


_COUNT_KEYS = (("likes", "like_count"), ("reposts", "retweet_count"), ("replies", "reply_count"), ("quotes", "quote_count"))


class _Unusual(Exception):
    """The fast path met something it does not handle; the checked path decides."""


def _fast_tweet_row(tweet: dict[str, Any]) -> _Row:
    """The row of a well-formed tweet, without the per-field checks' overhead.

    Raises _Unusual for anything not plainly well-formed; :func:`_checked_tweet_row` then
    reads the tweet again and names what is wrong.
    """
    try:
        tweet_id, author, created, text, metrics = tweet["id"], tweet["author_id"], tweet["created_at"], tweet["text"], tweet["public_metrics"]
        if not (type(tweet_id) is str and tweet_id.isdigit() and type(author) is str and author.isdigit() and type(text) is str and type(created) is str):
            raise _Unusual
        when = datetime.fromisoformat(created)
        if when.tzinfo is None:
            raise _Unusual
        if when.utcoffset():
            when = when.astimezone(timezone.utc)
        likes, reposts = metrics.get("like_count", 0), metrics.get("retweet_count", 0)
        replies, quotes = metrics.get("reply_count", 0), metrics.get("quote_count", 0)
        if not (type(likes) is int and type(reposts) is int and type(replies) is int and type(quotes) is int and min(likes, reposts, replies, quotes) >= 0):
            raise _Unusual
        kind, referenced = "original", None
        references = tweet.get("referenced_tweets")
        if references:
            by_type = {ref["type"]: ref["id"] for ref in references}
            for ref_type in _KIND_ORDER:
                if ref_type in by_type:
                    kind, referenced = _KIND_BY_REFERENCE[ref_type], by_type[ref_type]
                    if not (type(referenced) is str and referenced.isdigit()):
                        raise _Unusual
                    break
        hashtags, mention_ids, urls = [], [], []
        entities = tweet.get("entities")
        if entities:
            for tag in entities.get("hashtags") or ():
                if tag.get("tag"):
                    hashtags.append(tag["tag"])
            for mention in entities.get("mentions") or ():
                mention_id, username = mention.get("id"), mention.get("username")
                if mention_id is None and type(username) is not str:
                    raise _Unusual
                if mention_id is not None and not (type(mention_id) is str and mention_id.isdigit()):
                    raise _Unusual
                mention_ids.append((mention_id, username if type(username) is str else None))
            for link in entities.get("urls") or ():
                value = link.get("expanded_url") or link.get("url")
                if value:
                    urls.append(value)
        reply_to_user = tweet.get("in_reply_to_user_id")
        if reply_to_user is not None and not (type(reply_to_user) is str and reply_to_user.isdigit()):
            raise _Unusual
        attachments = tweet.get("attachments")
    except (KeyError, TypeError, AttributeError, ValueError):
        raise _Unusual from None
    return _Row(
        tweet_id, author, when, kind, text, tweet.get("lang"), referenced, reply_to_user, likes, reposts, replies, quotes,
        metrics.get("impression_count"), bool(attachments and attachments.get("media_keys")), hashtags, mention_ids, urls,
    )


def _keep_tweet(tweet: dict[str, Any], path: Path, number: int, where: str, order: tuple[str, int], seen: _Seen) -> None:
    try:
        row = _fast_tweet_row(tweet)
    except _Unusual:
        row = _checked_tweet_row(tweet, path, number, where)
    tweet_id = row.native_id
    previous = seen.tweets.get(tweet_id)
    if previous is not None and previous[0][0] == order[0] and _metrics(previous[1]) != _metrics(row):
        # Same retrieval time (or none given) and different counts: which copy is the
        # latest cannot be told, so the second copy is a bad record.
        first_path, first_line = seen.tweet_lines.get(tweet_id, (path, "?"))
        first_seen = f"{first_path.name} line {first_line}"
        raise InputError(
            path,
            f"tweet {tweet_id} appears again with different public_metrics {_metrics(row)} "
            f"(first at {first_seen}: {_metrics(previous[1])}) and no later __twarc.retrieved_at to tell which is newer",
            record=number,
            field=f"{where}.public_metrics",
        )
    if previous is None or order >= previous[0]:
        seen.tweets[tweet_id] = (order, row)
        seen.tweet_lines[tweet_id] = (path, number)


def _checked_tweet_row(tweet: dict[str, Any], path: Path, number: int, where: str) -> _Row:
    """The row of a tweet, checking every field and naming the first that is wrong."""
    tweet_id = _as_id(_require(tweet, "id", path, number, where), path, number, f"{where}.id")
    author = _as_id(_require(tweet, "author_id", path, number, where), path, number, f"{where}.author_id")
    created = parse_time(_require(tweet, "created_at", path, number, where), path, number, f"{where}.created_at")
    text = tweet.get("text")
    if not isinstance(text, str):
        raise InputError(path, "required field is missing or not text", record=number, field=f"{where}.text")
    metrics = tweet.get("public_metrics")
    if not isinstance(metrics, dict):
        raise InputError(path, "required field is missing (request tweet.fields=public_metrics)", record=number, field=f"{where}.public_metrics")
    counts = {}
    for name, key in (("likes", "like_count"), ("reposts", "retweet_count"), ("replies", "reply_count"), ("quotes", "quote_count")):
        value = metrics.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(path, f"expected a count (whole number ≥ 0), got {value!r}", record=number, field=f"{where}.public_metrics.{key}")
        counts[name] = value
    impressions = metrics.get("impression_count")
    references = {ref.get("type"): ref.get("id") for ref in tweet.get("referenced_tweets") or [] if isinstance(ref, dict)}
    kind, referenced = "original", None
    for ref_type in _KIND_ORDER:
        if ref_type in references:
            kind = _KIND_BY_REFERENCE[ref_type]
            referenced = _as_id(references[ref_type], path, number, f"{where}.referenced_tweets")
            break
    entities = tweet.get("entities") or {}
    if not isinstance(entities, dict):
        raise InputError(path, f"expected an object, got {type(entities).__name__}", record=number, field=f"{where}.entities")
    for entity_kind in ("hashtags", "mentions", "urls"):
        items = entities.get(entity_kind) or []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise InputError(path, "expected a list of objects", record=number, field=f"{where}.entities.{entity_kind}")
    mention_ids = []
    for index, mention in enumerate(entities.get("mentions") or []):
        mention_id, username = mention.get("id"), mention.get("username")
        if mention_id is None and not isinstance(username, str):
            raise InputError(path, "a mention needs an id or a username", record=number, field=f"{where}.entities.mentions[{index}]")
        if mention_id is not None:
            mention_id = _as_id(mention_id, path, number, f"{where}.entities.mentions[{index}].id")
        mention_ids.append((mention_id, username if isinstance(username, str) else None))
    reply_to_user = tweet.get("in_reply_to_user_id")
    if reply_to_user is not None:
        reply_to_user = _as_id(reply_to_user, path, number, f"{where}.in_reply_to_user_id")
    attachments = tweet.get("attachments") or {}
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
        urls=[u.get("expanded_url") or u.get("url") for u in entities.get("urls") or [] if u.get("expanded_url") or u.get("url")],
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
    seen = _Seen()
    # The reader allocates millions of small containers that all survive; Python's cyclic
    # garbage collector would rescan them again and again (measured: parsing took three
    # times as long). None of them form cycles, so collection waits until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for file_index, path in enumerate(sorted(Path(p) for p in paths)):
            seen.files.append(str(path))
            for number, page in _pages(path, rejects):
                try:
                    retrieved = _retrieval_key((page.get("__twarc") or {}).get("retrieved_at"), path, number)
                except InputError as error:
                    rejects(error)
                    continue
                _read_page(path, number, page, (retrieved, file_index * 10_000_000 + number), seen, rejects)
        return _tables(seen)
    finally:
        if collecting:
            gc.enable()


def _tables(seen: _Seen) -> PlatformTables:
    columns: dict[str, list[Any]] = {name: [] for name in (
        "post_id", "account_id", "platform", "created_at", "kind", "text", "lang", "referenced_post_id", "reply_to_account_id",
        "likes", "reposts", "replies", "quotes", "impressions", "has_media", "hashtags", "mentions", "urls")}
    append = {name: values.append for name, values in columns.items()}
    interactions: list[tuple[str, str, str, str, datetime]] = []
    referenced_authors, by_handle = seen.referenced_authors, seen.user_id_by_handle
    for _, row in seen.tweets.values():
        kind, created = row.kind, row.created_at
        author = "x:" + row.author
        pid = "x:" + row.native_id
        referenced = row.referenced
        reply_to = None
        if kind != "original":
            target_native = referenced_authors.get(referenced) if referenced else None
            if kind == "reply":
                reply_to = row.in_reply_to_user_id or target_native
                target_native = reply_to
            if target_native is not None and "x:" + target_native != author:
                interactions.append((author, "x:" + target_native, kind, pid, created))
        mentions: list[str] = []
        for mention_id, username in row.mention_ids:
            native = mention_id or (by_handle.get(username.lower()) if username else None)
            mentioned = "x:" + native if native else f"{PLATFORM}:@{username.lower()}"
            if mentioned not in mentions:
                mentions.append(mentioned)
        reply_account = "x:" + reply_to if reply_to else None
        for mentioned in mentions:
            # A reply's leading @-mention of the account it answers is the reply itself.
            if mentioned != author and mentioned != reply_account:
                interactions.append((author, mentioned, "mention", pid, created))
        append["post_id"](pid)
        append["account_id"](author)
        append["platform"](PLATFORM)
        append["created_at"](created)
        append["kind"](kind)
        append["text"](row.text)
        append["lang"](row.lang)
        append["referenced_post_id"]("x:" + referenced if referenced else None)
        append["reply_to_account_id"](reply_account)
        append["likes"](row.likes)
        append["reposts"](row.reposts)
        append["replies"](row.replies)
        append["quotes"](row.quotes)
        append["impressions"](row.impressions)
        append["has_media"](row.has_media)
        append["hashtags"](row.hashtags)
        append["mentions"](mentions)
        append["urls"](row.urls)
    posts = columns
    accounts = accounts_frame(row for _, row in seen.users.values())
    posts_table = posts_frame(posts)
    # Authors seen only through their tweets (no user object in the export) still get a row.
    missing = sorted(set(posts_table["account_id"]) - set(accounts["account_id"]))
    if missing:
        accounts = accounts_frame([*accounts.to_dict("records"), *({"account_id": a, "platform": PLATFORM} for a in missing)])
    return PlatformTables(
        platform=PLATFORM,
        accounts=accounts,
        posts=posts_table,
        interactions=interactions_frame(interactions),
        files=tuple(seen.files),
        records=seen.pages,
        api_errors=seen.api_errors,
    )
