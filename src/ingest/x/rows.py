"""The rows the X reader keeps, and which copy wins when a tweet or user is read again.

A tweet is kept as a :class:`TweetRow` (a tuple: a third of a dict's memory), a user as
a dict in the shape of the accounts table. Both are made from a user or tweet object by
:mod:`src.ingest.x.checks` (any JSON object, checked field by field) or
:mod:`src.ingest.x.typed` (objects msgspec decoded), and kept in :class:`Seen` by
:func:`keep_tweet_row` and :func:`keep_user_row`: the copy retrieved last
(``__twarc.retrieved_at``, then file order) wins, as its metrics are the latest. Copies
are of one tweet id; the versions of an edited tweet (each under its own id) are merged
later, once every file is read (:mod:`src.ingest.x.edits`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from src.errors import InputError

PLATFORM = "x"
KIND_BY_REFERENCE = {"retweeted": "repost", "quoted": "quote", "replied_to": "reply"}
#: Precedence when a tweet references several (a quote that is also a reply is a reply
#: in the conversation sense: it answers someone; its quote is kept as ``TweetRow.quoted``).
KIND_ORDER = ("retweeted", "replied_to", "quoted")

#: The order of a copy: (``__twarc.retrieved_at`` as sortable text, position in the
#: files). The greatest is the latest.
Order = tuple[str, int]
#: Where a record sits in its file: the line of a JSON lines file, ``"item [i]"`` in a
#: ``.json`` array, or None for a ``.json`` file that is one document.
Record = int | str | None
#: Where a copy of a tweet was read: (its order, file, record).
Source = tuple[Order, Path, Record]
#: A user object as read: (id, username, accounts row, whether it had public_metrics).
UserRead = tuple[str, str, dict[str, Any], bool]


def account_id(native_id: str) -> str:
    """Canonical account id of an X user id."""
    return f"{PLATFORM}:{native_id}"


def post_id(native_id: str) -> str:
    """Canonical post id of an X tweet id."""
    return f"{PLATFORM}:{native_id}"


class TweetRow(NamedTuple):
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
    #: the quoted tweet of a reply that also quotes (its kind is "reply"), else None
    quoted: str | None
    #: ``edit_history_tweet_ids`` when it names more than this tweet (oldest first), else None
    edit_history: tuple[str, ...] | None
    source: Source  #: where this copy was read (not a column)


#: Builds a TweetRow from a tuple of its fields. NamedTuple's own constructor is a Python
#: function: one more call frame per tweet.
new_row = tuple.__new__


class Unusual(Exception):
    """The typed rows met something they do not settle; the checked path decides."""


def user_row(
    user_id: str,
    username: str,
    name: Any,
    description: Any,
    counts: tuple[Any, Any, Any, Any],
    created: datetime | None,
) -> dict[str, Any]:
    """A user's row of the accounts table; ``counts`` are followers, following, listed, tweets."""
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


@dataclass
class Seen:
    """Rows seen so far, keyed by native id, with the retrieval order that decides which wins."""

    tweets: dict[str, TweetRow] = field(default_factory=dict)  # tweet id -> the copy kept
    users: dict[str, tuple[Order, dict[str, Any]]] = field(default_factory=dict)
    referenced_authors: dict[str, str] = field(default_factory=dict)  # tweet id -> author id
    user_id_by_handle: dict[str, str] = field(default_factory=dict)  # lower-case username -> id
    #: edit chains met (in ``data`` or ``includes.tweets``): each a tuple of ids, oldest first
    edit_histories: set[tuple[str, ...]] = field(default_factory=set)
    pages: int = 0
    api_errors: int = 0
    files: list[str] = field(default_factory=list)
    #: files that held nothing (or only blank lines)
    empty_files: list[str] = field(default_factory=list)
    #: records that are not tweets or users but a recognised other output, skipped:
    #: (what it looks like, file) -> how many records
    not_tweets: Counter[tuple[str, str]] = field(default_factory=Counter)


def keep_user_row(read: UserRead, previous: Any, order: Order, seen: Seen) -> None:
    """Keep a user's row read at ``order`` unless ``previous`` (the copy kept so far) wins."""
    user_id, username, row, has_metrics = read
    seen.user_id_by_handle[username.lower()] = user_id
    # A later copy wins, but an expansion without public_metrics never replaces one with them.
    if previous is None or (
        order >= previous[0] and (has_metrics or previous[1]["followers"] is None)
    ):
        seen.users[user_id] = (order, row)


def counts_of(row: TweetRow) -> tuple[int, int, int, int]:
    """A tweet's likes, reposts, replies and quotes."""
    return (row.likes, row.reposts, row.replies, row.quotes)


def keep_tweet_row(row: TweetRow, index: int, source: Source, seen: Seen) -> None:
    """Keep the row of ``data[index]`` read at ``source`` unless a copy retrieved later is kept.

    Raises:
        InputError: a copy with the same retrieval time (or none) has other counts, so
            which is the latest cannot be told.
    """
    tweet_id = row.native_id
    if row.edit_history is not None:
        seen.edit_histories.add(row.edit_history)
    previous = seen.tweets.get(tweet_id)
    if previous is None:
        seen.tweets[tweet_id] = row
        return
    order, path, number = source
    kept_order, kept_path, kept_line = previous.source
    if kept_order[0] == order[0] and counts_of(previous) != counts_of(row):
        # Same retrieval time (or none given) and different counts: which copy is the
        # latest cannot be told, so the second copy is a bad record.
        raise InputError(
            path,
            f"tweet {tweet_id} appears again with different public_metrics {counts_of(row)} "
            f"(first at {place(kept_path, kept_line)}: {counts_of(previous)}) and no "
            "later __twarc.retrieved_at to tell which is newer",
            record=number,
            field=f"data[{index}].public_metrics",
        )
    if order >= kept_order:
        seen.tweets[tweet_id] = row


def place(path: Path, record: Record) -> str:
    """Where a record was read, in words: ``pages.jsonl line 3``, ``tweets.json item [2]``."""
    if record is None:
        return path.name
    return f"{path.name} line {record}" if isinstance(record, int) else f"{path.name} {record}"


def edit_history(value: Any) -> tuple[str, ...] | None:
    """``edit_history_tweet_ids`` as kept: a tuple when it names two or more tweets, else None.

    ``value`` has been checked (a list of ids, or None).
    """
    return tuple(value) if value and len(value) > 1 else None
