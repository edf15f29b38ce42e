"""X (Twitter) API v2 exports as twarc2 writes them.

Format (https://developer.x.com/en/docs/x-api, twarc2 https://twarc-project.readthedocs.io):
one JSON response page per line, ``{"data": [...], "includes": {"users": [...],
"tweets": [...]}, "meta": {...}, "errors": [...], "__twarc": {"retrieved_at": ...}}``.
``data`` holds tweets (search, timeline pages) or users (user look-up pages). Ids are
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

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
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

    tweets: dict[str, tuple[tuple[str, int], dict[str, Any]]] = field(default_factory=dict)
    users: dict[str, tuple[tuple[str, int], dict[str, Any]]] = field(default_factory=dict)
    tweet_lines: dict[str, str] = field(default_factory=dict)  # tweet id -> where its kept copy was read
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
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                rejects(InputError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start})", record=number))
                continue
            try:
                page = json.loads(text)
            except json.JSONDecodeError as exc:
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


def _read_page(path: Path, number: int, page: dict[str, Any], order: tuple[str, int], seen: _Seen, rejects: Rejects) -> None:
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
    previous = seen.users.get(user_id)
    # A later copy wins, but an expansion without public_metrics never replaces one with them.
    has_metrics = bool(metrics)
    if previous is None or (order >= previous[0] and (has_metrics or previous[1]["followers"] is None)):
        seen.users[user_id] = (order, row)


def _metrics(row: dict[str, Any]) -> tuple[int, int, int, int]:
    return (row["likes"], row["reposts"], row["replies"], row["quotes"])


def _keep_tweet(tweet: dict[str, Any], path: Path, number: int, where: str, order: tuple[str, int], seen: _Seen) -> None:
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
    row = {
        "native_id": tweet_id,
        "author": author,
        "created_at": created,
        "kind": kind,
        "text": text,
        "lang": tweet.get("lang"),
        "referenced": referenced,
        "in_reply_to_user_id": reply_to_user,
        **counts,
        "impressions": impressions,
        "has_media": bool(attachments.get("media_keys")),
        "hashtags": [tag["tag"] for tag in entities.get("hashtags") or [] if tag.get("tag")],
        "mention_ids": mention_ids,
        "urls": [u.get("expanded_url") or u.get("url") for u in entities.get("urls") or [] if u.get("expanded_url") or u.get("url")],
    }
    previous = seen.tweets.get(tweet_id)
    if previous is not None and previous[0][0] == order[0] and _metrics(previous[1]) != _metrics(row):
        # Same retrieval time (or none given) and different counts: which copy is the
        # latest cannot be told, so the second copy is a bad record.
        first_seen = seen.tweet_lines.get(tweet_id, "an earlier line")
        raise InputError(
            path,
            f"tweet {tweet_id} appears again with different public_metrics {_metrics(row)} "
            f"(first at {first_seen}: {_metrics(previous[1])}) and no later __twarc.retrieved_at to tell which is newer",
            record=number,
            field=f"{where}.public_metrics",
        )
    if previous is None or order >= previous[0]:
        seen.tweets[tweet_id] = (order, row)
        seen.tweet_lines[tweet_id] = f"{path.name} line {number}"


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


def _tables(seen: _Seen) -> XTables:
    tweet_rows = [row for _, row in seen.tweets.values()]
    posts, interactions = [], []
    for row in tweet_rows:
        author = account_id(row["author"])
        pid = post_id(row["native_id"])
        referenced = row["referenced"]
        target_native = seen.referenced_authors.get(referenced) if referenced else None
        reply_to = row["in_reply_to_user_id"] if row["kind"] == "reply" else None
        if row["kind"] == "reply" and reply_to is None:
            reply_to = target_native
        if row["kind"] in ("repost", "quote", "reply"):
            target = reply_to if row["kind"] == "reply" else target_native
            if target is not None and account_id(target) != author:
                interactions.append((author, account_id(target), row["kind"], pid, row["created_at"]))
        mentions = []
        for mention_id, username in row["mention_ids"]:
            native = mention_id or (seen.user_id_by_handle.get(username.lower()) if username else None)
            mentioned = account_id(native) if native else f"{PLATFORM}:@{username.lower()}"
            if mentioned not in mentions:
                mentions.append(mentioned)
        for mentioned in mentions:
            # A reply's leading @-mention of the account it answers is the reply itself.
            if mentioned != author and not (row["kind"] == "reply" and reply_to and mentioned == account_id(reply_to)):
                interactions.append((author, mentioned, "mention", pid, row["created_at"]))
        posts.append(
            {
                "post_id": pid,
                "account_id": author,
                "platform": PLATFORM,
                "created_at": row["created_at"],
                "kind": row["kind"],
                "text": row["text"],
                "lang": row["lang"],
                "referenced_post_id": post_id(referenced) if referenced else None,
                "reply_to_account_id": account_id(reply_to) if reply_to else None,
                "likes": row["likes"],
                "reposts": row["reposts"],
                "replies": row["replies"],
                "quotes": row["quotes"],
                "impressions": row["impressions"],
                "has_media": row["has_media"],
                "hashtags": row["hashtags"],
                "mentions": mentions,
                "urls": row["urls"],
            }
        )
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
