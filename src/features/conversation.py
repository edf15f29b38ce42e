"""Conversation and innovation: threads others join, chats hosted, reciprocity, media,
platforms.

Threads are followed through ``referenced_post_id`` of replies in the whole ``posts``
table (nominees' and everyone else's posts; a reply's parent is found once, as a row
number, by :func:`src.features.codes.encode_posts`): each reply is attached to the root
of its chain by pointer jumping (vectorised; chains longer than 2^20 or cycles are cut). A
*thread started* is a nominee's own original or quote whose reply tree holds replies
from at least ``THREAD_MIN_OTHERS`` distinct accounts that are not the nominee's. A
*chat hosted* is a nominee's own original post with at least one hashtag whose reply
tree gets replies from at least ``CHAT_MIN_PARTICIPANTS`` distinct other accounts within
``CHAT_WINDOW`` of the post (the weekly tweet chat pattern: a question under a chat tag
answered by many within the hour). Both need a root's replies in one partition
(partition replies by root), then counts add.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.features.arrays import unique
from src.features.volume import _ns

THREAD_MIN_OTHERS = 3
CHAT_MIN_PARTICIPANTS = 5
CHAT_WINDOW = pd.Timedelta(minutes=60)
_MAX_JUMPS = 20


def thread_roots(posts: pd.DataFrame) -> np.ndarray:
    """Per row of ``posts``: the row of the root of its reply chain (itself when not a
    reply or the parent is unknown).

    ``posts`` is :attr:`src.features.codes.EncodedPosts.frame`: its ``parent`` column
    holds the row each reply answers (-1 for none).
    """
    n = len(posts)
    rows = np.arange(n)
    parent = posts["parent"].to_numpy()
    root = np.where(parent >= 0, parent, rows)
    for _ in range(_MAX_JUMPS):
        jumped = root[root]
        if np.array_equal(jumped, root):
            break
        root = jumped
    return root


def conversation_counts(
    posts: pd.DataFrame, row_nominee: np.ndarray, nominees: pd.Index
) -> pd.DataFrame:
    """Per nominee: ``threads_started`` and ``chats_hosted``.

    ``posts`` is every post of the year, once each, as :attr:`src.features.codes.EncodedPosts.frame`
    (``parent``, ``author``, ``kind``, ``has_hashtag``, ``created_at``); ``row_nominee``
    gives, per row, the position in ``nominees`` of the nominee who wrote it (-1 for
    other accounts).
    """
    n = len(posts)
    root = thread_roots(posts)
    kind = posts["kind"]
    is_reply = (kind == "reply").to_numpy()
    starts_thread = kind.isin(("original", "quote")).to_numpy()
    is_original = (kind == "original").to_numpy()
    reply_rows = np.flatnonzero(is_reply & (root != np.arange(n)))
    root_rows = root[reply_rows]
    # Only roots that are nominees' own originals or quotes, and replies by anyone else.
    owner = row_nominee[root_rows]
    keep = (owner >= 0) & starts_thread[root_rows] & (row_nominee[reply_rows] != owner)
    reply_rows, root_rows = reply_rows[keep], root_rows[keep]
    authors = int(posts["author"].max()) + 1 if n else 1
    pair = root_rows.astype(np.int64) * authors + posts["author"].to_numpy()[reply_rows]
    distinct_roots = unique(pair) // authors
    others = np.bincount(distinct_roots, minlength=n)
    started = np.flatnonzero(others >= THREAD_MIN_OTHERS)
    threads = np.bincount(row_nominee[started], minlength=len(nominees)).astype(float)

    seconds = _ns(posts["created_at"]) // 10**9
    delay = seconds[reply_rows] - seconds[root_rows]
    quick = (
        posts["has_hashtag"].to_numpy()[root_rows]
        & is_original[root_rows]
        & (delay <= CHAT_WINDOW.total_seconds())
        & (delay >= 0)
    )
    in_hour = np.bincount(unique(pair[quick]) // authors, minlength=n)
    hosted = np.flatnonzero(in_hour >= CHAT_MIN_PARTICIPANTS)
    chats = np.bincount(row_nominee[hosted], minlength=len(nominees)).astype(float)
    return pd.DataFrame({"threads_started": threads, "chats_hosted": chats}, index=nominees)


def platform_counts(nominee_posts: pd.DataFrame, blog_owners: pd.Series | None = None) -> pd.Series:
    """Per nominee: distinct platforms posted on, plus the blog when ``blog_owners``
    (nominee ids with blog posts) lists them."""
    pairs = nominee_posts[["nominee_id", "platform"]].drop_duplicates()
    if blog_owners is not None and len(blog_owners):
        pairs = pd.concat(
            [pairs, pd.DataFrame({"nominee_id": blog_owners.to_numpy(), "platform": "blog"})]
        ).drop_duplicates()
    return pairs.groupby("nominee_id", sort=True).size().rename("platforms_used")
