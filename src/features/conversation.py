"""Conversation and innovation: threads others join, chats hosted, reciprocity, media,
platforms.

Threads are followed through ``referenced_post_id`` of replies in the whole ``posts``
table (nominees' and everyone else's posts): each reply is attached to the root of its
chain by pointer jumping (vectorised; chains longer than 2^20 or cycles are cut). A
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

from src.features.volume import _ns

THREAD_MIN_OTHERS = 3
CHAT_MIN_PARTICIPANTS = 5
CHAT_WINDOW = pd.Timedelta(minutes=60)
_MAX_JUMPS = 20


def thread_roots(posts: pd.DataFrame) -> np.ndarray:
    """Per row of ``posts``: the row of the root of its reply chain (itself when not a reply or the parent is unknown)."""
    n = len(posts)
    parent = np.arange(n)
    if n == 0:
        return parent
    kind = posts["kind"].to_numpy()
    replies = (kind == "reply") & posts["referenced_post_id"].notna().to_numpy()
    rows = np.flatnonzero(replies)
    if len(rows):
        # A parent is a reply or a post that starts a thread (an original or a quote):
        # reposts never do, so they stay out of the look-up.
        candidates = np.flatnonzero(kind != "repost")
        lookup = pd.Index(posts["post_id"].to_numpy()[candidates])
        found = lookup.get_indexer(posts["referenced_post_id"].to_numpy()[rows])
        ok = found >= 0
        parent[rows[ok]] = candidates[found[ok]]
    root = parent
    for _ in range(_MAX_JUMPS):
        jumped = root[root]
        if np.array_equal(jumped, root):
            break
        root = jumped
    return root


def conversation_counts(posts: pd.DataFrame, row_nominee: np.ndarray, nominees: pd.Index) -> pd.DataFrame:
    """Per nominee: ``threads_started`` and ``chats_hosted``.

    ``posts`` is the whole posts table (duplicates removed); ``row_nominee`` gives, per
    row, the position in ``nominees`` of the nominee who wrote it (-1 for other accounts).
    """
    root = thread_roots(posts)
    kind = posts["kind"].to_numpy()
    reply_rows = np.flatnonzero((kind == "reply") & (root != np.arange(len(posts))))
    root_rows = root[reply_rows]
    # Only roots that are nominees' own originals or quotes, and replies by anyone else.
    owner = row_nominee[root_rows]
    keep = (owner >= 0) & np.isin(kind[root_rows], ("original", "quote")) & (row_nominee[reply_rows] != owner)
    reply_rows, root_rows, owner = reply_rows[keep], root_rows[keep], owner[keep]
    replier = posts["account_id"].to_numpy(dtype=object)[reply_rows]
    frame = pd.DataFrame({"root": root_rows, "replier": replier})
    first = ~frame.duplicated(["root", "replier"]).to_numpy()
    others = np.bincount(root_rows[first], minlength=len(posts)) if len(root_rows) else np.zeros(len(posts), dtype=np.int64)
    started = np.flatnonzero(others >= THREAD_MIN_OTHERS)
    threads = np.bincount(row_nominee[started], minlength=len(nominees)).astype(float)

    tags = posts["hashtags"].to_numpy(dtype=object)
    roots = np.unique(root_rows)
    has_tag = (pd.Series(tags[roots], dtype=object).str.len().fillna(0).to_numpy() > 0) if len(roots) else np.zeros(0, dtype=bool)
    tagged = has_tag[np.searchsorted(roots, root_rows)] if len(root_rows) else np.zeros(0, dtype=bool)
    seconds = _ns(posts["created_at"]) // 10**9
    delay = seconds[reply_rows] - seconds[root_rows]
    quick = tagged & (kind[root_rows] == "original") & (delay <= CHAT_WINDOW.total_seconds()) & (delay >= 0)
    quick_pairs = frame[quick].drop_duplicates(["root", "replier"])
    in_hour = np.bincount(quick_pairs["root"].to_numpy(), minlength=len(posts)) if len(quick_pairs) else np.zeros(len(posts), dtype=np.int64)
    hosted = np.flatnonzero(in_hour >= CHAT_MIN_PARTICIPANTS)
    chats = np.bincount(row_nominee[hosted], minlength=len(nominees)).astype(float)
    return pd.DataFrame({"threads_started": threads, "chats_hosted": chats}, index=nominees)


def platform_counts(nominee_posts: pd.DataFrame, blog_owners: pd.Series | None = None) -> pd.Series:
    """Per nominee: distinct platforms posted on, plus the blog when ``blog_owners`` (nominee ids with blog posts) lists them."""
    pairs = nominee_posts[["nominee_id", "platform"]].drop_duplicates()
    if blog_owners is not None and len(blog_owners):
        pairs = pd.concat([pairs, pd.DataFrame({"nominee_id": blog_owners.to_numpy(), "platform": "blog"})]).drop_duplicates()
    return pairs.groupby("nominee_id", sort=True).size().rename("platforms_used")
