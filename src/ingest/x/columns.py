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
from src.ingest.x.edits import Merged, merge_edit_chains
from src.ingest.x.rows import PLATFORM, Seen, account_id


def platform_tables(seen: Seen) -> tuple[PlatformTables, Merged]:
    """The accounts, posts and interactions of everything ``seen`` kept (empties its tweets),
    and what merging the versions of edited tweets did (:mod:`src.ingest.x.edits`).

    ``PlatformTables.notes`` counts the versions merged and the references whose tweet's
    author the export does not give (reposts, quotes and replies without an interaction).
    """
    merged = merge_edit_chains(seen.tweets, seen.edit_histories)
    posts, interactions, authors, unresolved = _post_columns(
        _kept_columns(seen), seen.referenced_authors, seen.user_id_by_handle, merged.chain_of
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
    tables = PlatformTables(
        platform=PLATFORM,
        accounts=accounts,
        posts=posts_frame(posts),
        interactions=interactions_frame(interactions if len(interactions["post_id"]) else []),
        files=tuple(seen.files),
        records=seen.pages,
        api_errors=seen.api_errors,
        notes={
            "edit_versions_merged": merged.versions_merged,
            "references_unresolved": unresolved,
        },
    )
    return tables, merged


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
    chain_of: dict[str, str],
) -> tuple[dict[str, Sequence[Any]], dict[str, Sequence[Any]], set[str], int]:
    """The posts and interactions tables of the kept tweets as columns, the authors' ids,
    and how many references found no author.

    ``fields`` are the tweets' fields as columns (:func:`_kept_columns`), used as they
    are where a field is a column. The ids, times and interaction columns are built by
    Arrow (times and prefixed ids from the native values; an interaction's source, post
    and time by taking the posts' own columns at its post's position), so only the
    engagement is worked out per tweet. ``chain_of`` gives the chain id of every version
    of an edited tweet: a reference to any version points at the chain's post.
    """
    if not fields:  # (no tweets; empty lists: the frame builders give the dtypes of an empty table)
        return (
            {name: [] for name in POST_COLUMNS},
            {name: [] for name in INTERACTION_COLUMNS},
            set(),
            0,
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
        quoted,
        _edit_histories,
        _sources,
    ) = fields
    post_ids = _canonical_ids(native_ids)
    account_ids = _canonical_ids(authors)
    times = pa.array(created, type=pa.timestamp("us", tz="UTC"))  # every row's time is aware UTC
    tweet_authors = _TweetAuthors(referenced_authors, chain_of, native_ids, authors)
    reply_accounts, mentions, (positions, interaction_kinds, targets), unresolved = _engagement(
        (authors, kinds, referenced, quoted, reply_to_users, mention_ids),
        tweet_authors,
        user_id_by_handle,
    )
    referenced_posts = (
        [chain_of.get(native, native) if native else None for native in referenced]
        if chain_of
        else referenced
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
            ["x:" + native if native else None for native in referenced_posts]
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
    return posts, interactions, set(authors), unresolved


class _TweetAuthors:
    """The author of a referenced tweet: from ``includes.tweets``, else from the tweets of
    ``data`` (anywhere in the export: the API leaves out of ``includes.tweets`` a tweet that
    is already in the page's ``data``), for any version of an edited tweet."""

    def __init__(
        self,
        included: dict[str, str],
        chain_of: dict[str, str],
        native_ids: Sequence[str],
        authors: Sequence[str],
    ) -> None:
        self.included, self.chain_of = included, chain_of
        self._native_ids, self._authors = native_ids, authors
        self._others: dict[str, str] | None = None

    def not_included(self, tweet_id: str) -> str | None:
        """The author of ``tweet_id`` when ``includes.tweets`` does not give it (or None)."""
        if self._others is None:
            # Built once, on the first miss: the kept tweets' authors by id, and the
            # included authors by chain id, so that any version of a chain finds one.
            self._others = dict(zip(self._native_ids, self._authors, strict=True))
            for version, chain in self.chain_of.items():
                author = self.included.get(version)
                if author is not None:
                    self._others.setdefault(chain, author)
        return self._others.get(self.chain_of.get(tweet_id, tweet_id))


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
    columns: tuple[
        Sequence[str],
        Sequence[str],
        Sequence[str | None],
        Sequence[str | None],
        Sequence[str | None],
        Sequence[list[tuple[str | None, str | None]]],
    ],
    tweet_authors: _TweetAuthors,
    user_id_by_handle: dict[str, str],
) -> tuple[list[str | None], list[list[str]], tuple[list[int], list[str], list[str]], int]:
    """Per tweet: the account it replies to and the accounts it mentions; every interaction;
    and how many references found no author.

    ``columns`` are the tweets' authors, kinds, referenced tweets, quoted tweets (of a
    reply that also quotes), in-reply-to users and mentions. A reply, quote or repost is
    an interaction with the author of the tweet it refers to (``tweet_authors``, or
    ``in_reply_to_user_id`` for a reply); a reply that also quotes is a quote of the
    quoted author as well. Each mention is one too, except of oneself and, in a reply,
    of the account replied to (that is the reply itself). Interactions are three columns:
    the position of the tweet among the authors, the kind and the target account.
    """
    authors, kinds, referenced, quoted, reply_to_users, mention_ids = columns
    included = tweet_authors.included
    canonical = _Prefixed()
    by_username = _MentionedByUsername(canonical, user_id_by_handle)
    reply_accounts: list[str | None] = []
    mentions: list[list[str]] = []
    positions: list[int] = []
    interaction_kinds: list[str] = []
    targets: list[str] = []
    unresolved = 0
    for position, (
        author,
        kind,
        referenced_id,
        quoted_id,
        reply_to_user,
        mentioned_ids,
    ) in enumerate(
        zip(authors, kinds, referenced, quoted, reply_to_users, mention_ids, strict=True)
    ):
        reply_account = None
        if kind != "original":
            target = reply_to_user if kind == "reply" else None
            if target is None and referenced_id:
                target = included.get(referenced_id) or tweet_authors.not_included(referenced_id)
            if kind == "reply":
                reply_account = canonical[target] if target else None
            if target is None:
                unresolved += 1
            elif target != author:
                positions.append(position)
                interaction_kinds.append(kind)
                targets.append(canonical[target])
            if quoted_id is not None:  # a reply that also quotes: the quote counts too
                target = included.get(quoted_id) or tweet_authors.not_included(quoted_id)
                if target is None:
                    unresolved += 1
                elif target != author:
                    positions.append(position)
                    interaction_kinds.append("quote")
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
    return reply_accounts, mentions, (positions, interaction_kinds, targets), unresolved
