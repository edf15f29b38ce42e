"""The X tables (accounts, posts, interactions) from the rows kept, built column by column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from src.ingest.tables import (
    INTERACTION_COLUMNS,
    POST_COLUMNS,
    PlatformTables,
    accounts_frame,
    interactions_frame,
    posts_frame,
)
from src.ingest.x.rows import PLATFORM, Seen, account_id


def platform_tables(seen: Seen) -> PlatformTables:
    """The accounts, posts and interactions of everything ``seen`` kept (empties its tweets)."""
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
    """Username (as a mention gives it) -> canonical id of the account, each worked out once.

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


def _kept_columns(seen: Seen) -> list[tuple[Any, ...]]:
    """The kept tweets' fields as columns, a tuple per :class:`TweetRow` field; empties the kept.

    Transposing is done in C. Emptying the tweets (and dropping the rows) as soon as they
    are transposed gives their memory back to the allocator for the tables built next
    (at 1M posts: a lower peak, and fewer fresh pages to fault in).
    """
    rows = list(seen.tweets.values())
    seen.tweets.clear()
    return list(zip(*rows, strict=True))


def _post_columns(
    fields: list[tuple[Any, ...]],
    referenced_authors: dict[str, str],
    user_id_by_handle: dict[str, str],
) -> tuple[dict[str, Sequence[Any]], dict[str, Sequence[Any]], set[str]]:
    """The posts and interactions tables of the kept tweets as columns, and the authors' ids.

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
        zip(authors, kinds, referenced, reply_to_users, mention_ids, strict=True)
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
                # (a mention without an id has a username: the rows are checked)
                mentioned = (
                    canonical[mention_id] if mention_id else by_username[cast(str, username)]
                )
                if mentioned not in mentioned_here:  # each account once per tweet, in order
                    mentioned_here.append(mentioned)
                    if mentioned != author_id and mentioned != reply_account:
                        positions.append(position)
                        interaction_kinds.append("mention")
                        targets.append(mentioned)
        reply_accounts.append(reply_account)
        mentions.append(mentioned_here)
    return reply_accounts, mentions, (positions, interaction_kinds, targets)
