"""Each response page (parsed by orjson) read item by item.

This is the general path for pages: it reads any record, names what is wrong with it
(not UTF-8, not JSON, not an object, fields of the wrong shape) and reads the items of
``data`` and ``includes`` with :mod:`src.ingest.x.checks`. A line of ``twarc2 flatten``
output (one tweet or user, expansions inline) is turned back into a page first; a
record of another twarc2 output (counts, lists, compliance) is skipped and counted
(:mod:`src.ingest.x.shapes`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from src.errors import InputError
from src.ingest.json_input import parse_time
from src.ingest.quarantine import Rejects
from src.ingest.x.checks import (
    as_id,
    checked_edit_history,
    checked_tweet_row,
    checked_user_row,
    require,
)
from src.ingest.x.rows import Order, Record, Seen, Source, keep_tweet_row, keep_user_row
from src.ingest.x.shapes import foreign_format, not_tweets


def parse_line(path: Path, number: Record, raw: bytes, rejects: Rejects) -> dict[str, Any] | None:
    """The JSON object on a line, or None (the error sent to ``rejects``).

    None when the line is not UTF-8, not JSON or not an object.
    """
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


def retrieval_key(value: Any, path: Path, record: Record) -> str:
    """``__twarc.retrieved_at`` as a sortable UTC string ("" when absent: oldest)."""
    if not value:
        return ""
    return parse_time(value, path, record, "__twarc.retrieved_at").strftime("%Y-%m-%dT%H:%M:%S.%f")


def unflatten(item: dict[str, Any]) -> dict[str, Any]:
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


def read_page(
    path: Path,
    number: Record,
    page: dict[str, Any],
    order: Order,
    seen: Seen,
    rejects: Rejects,
) -> None:
    """Read a response page (or a flattened line) parsed from record ``number`` of ``path``."""
    if "data" not in page:
        foreign = foreign_format(page)
        if foreign is not None:
            rejects(InputError(path, foreign, record=number))
            return
        if "id" in page and ("text" in page or "username" in page):
            page = unflatten(page)  # twarc2's flattened form: one tweet (or user) per line
    other = not_tweets(page)
    if other is not None:
        seen.not_tweets[other, str(path)] += 1
        return
    seen.pages += 1
    seen.api_errors += len(page.get("errors") or [])
    data = page.get("data")
    if data is None:
        if not page.get(
            "errors"
        ):  # a page of errors only (suspended or deleted accounts) is counted above
            rejects(
                InputError(
                    path,
                    "required field is missing (not a twarc2 page of tweets or users)",
                    record=number,
                    field="data",
                )
            )
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
    read_included_users(users, path, number, order, seen, rejects)
    read_included_tweets(tweets, path, number, seen, rejects)
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
                keep_user(item, path, number, f"data[{index}]", order, seen)
            else:
                keep_tweet(item, index, source, seen)
        except InputError as error:
            rejects(error)


def read_included_users(
    users: list[Any], path: Path, number: Record, order: Order, seen: Seen, rejects: Rejects
) -> None:
    """Keep the ``includes.users`` of one page (expansions: the same users on every page)."""
    kept = seen.users
    for index, user in enumerate(users):
        # The cheap test of keep_user, done here: most included users are repeats, and
        # skipping them before the call (and before naming the field) saves a third of it.
        user_id: Any = user.get("id") if isinstance(user, dict) else None
        previous = kept.get(user_id)
        if (
            previous is not None
            and previous[0][0] == order[0]
            and previous[1]["followers"] is not None
        ):
            continue
        try:
            keep_user(user, path, number, f"includes.users[{index}]", order, seen)
        except InputError as error:
            rejects(error)


def read_included_tweets(
    tweets: list[Any], path: Path, number: Record, seen: Seen, rejects: Rejects
) -> None:
    """Note the author (and edit history) of each tweet in ``includes.tweets`` (replied to,
    quoted, reposted, or an earlier version of an edited tweet)."""
    authors = seen.referenced_authors
    for index, tweet in enumerate(tweets):
        if type(tweet) is dict:
            tweet_id, author = tweet.get("id"), tweet.get("author_id")
            history = tweet.get("edit_history_tweet_ids")
            if (
                type(tweet_id) is str
                and type(author) is str
                and tweet_id.isdigit()
                and author.isdigit()
                and (history is None or (type(history) is list and history == [tweet_id]))
            ):
                authors[tweet_id] = author  # well formed: the checks below would pass
                continue
        read_included_tweet(tweet, index, path, number, seen, rejects)


def read_included_tweet(
    tweet: Any, index: int, path: Path, number: Record, seen: Seen, rejects: Rejects
) -> None:
    """Note the author and edit history of ``includes.tweets[index]``, checking its fields."""
    where = f"includes.tweets[{index}]"
    try:
        tweet_id = as_id(require(tweet, "id", path, number, where), path, number, f"{where}.id")
        history = tweet.get("edit_history_tweet_ids")
        if history is not None:
            history = checked_edit_history(history, path, number, f"{where}.edit_history_tweet_ids")
            if history is not None:
                seen.edit_histories.add(history)
        author = tweet.get("author_id")
        if author is not None:
            seen.referenced_authors[tweet_id] = as_id(author, path, number, f"{where}.author_id")
    except InputError as error:
        rejects(error)


def keep_user(user: Any, path: Path, number: Record, where: str, order: Order, seen: Seen) -> None:
    """Keep the user object at ``where`` of a page read at ``order`` unless a later copy is kept."""
    user_id: Any = user.get("id") if isinstance(user, dict) else None
    previous = seen.users.get(user_id)
    if previous is not None and previous[0][0] == order[0] and previous[1]["followers"] is not None:
        return  # the same snapshot again (expansions repeat users on every page)
    keep_user_row(checked_user_row(user, path, number, where), previous, order, seen)


def keep_tweet(tweet: Any, index: int, source: Source, seen: Seen) -> None:
    """Keep ``data[index]`` of the page read at ``source`` unless a copy retrieved later is kept."""
    keep_tweet_row(checked_tweet_row(tweet, source, f"data[{index}]"), index, source, seen)
