"""Blogs: how often a nominee blogs, and how much discussion the posts draw.

Inputs are the ``blog_posts`` table and, when the year has it, the ``blog_feeds`` table
(one row per saved feed: the span of the year's window its copies cover, see
:mod:`src.ingest.blogs.coverage`); ``owner`` maps a blog ``account_id`` to its nominee.

- Cadence (``blog_posts_per_month``): a feed's posts inside the span its copies cover,
  divided by the span's calendar months (the whole window for a feed that holds all its
  posts; from the oldest post for a feed that serves only its latest ones, so a capped
  feed is not read as a blog that posts little). Missing for a feed whose copies cover
  none of the window. A nominee's cadence adds up their feeds'.
- Comments per post (``blog_comments_per_post``): the comment counts the feed gives
  (``slash:comments``, ``thr:total``), summed over the nominee's posts in the same span
  that carry one, divided by those posts. Missing when no post carries a count: a feed
  that does not report comments says nothing about them.

Without a ``blog_feeds`` table (tables from before it existed, hand-built tables), the
span is the 365 days ending at ``window_end`` and a month is a twelfth of it.
Everything here is a group-by over a small table (a few thousand posts).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Columns of :func:`blog_features`.
BLOG_COLUMNS = ["blog_posts", "blog_posts_per_month", "blog_comments_per_post"]


def _spans(
    blog_posts: pd.DataFrame, blog_feeds: pd.DataFrame | None, window_end: pd.Timestamp
) -> pd.DataFrame:
    """Per blog account: the span cadence is read over and its months."""
    accounts = pd.Index(sorted(pd.unique(blog_posts["account_id"])), dtype=object)
    fallback = pd.DataFrame(
        {
            "start": window_end - pd.Timedelta(days=365),
            "end": window_end,
            "months": 12.0,
        },
        index=accounts,
    )
    if blog_feeds is None or blog_feeds.empty:
        return fallback
    feeds = blog_feeds.set_index("account_id")
    spans = pd.DataFrame(
        {
            "start": feeds["cadence_start"],
            "end": feeds["cadence_end"],
            "months": feeds["cadence_months"].astype(float),
        }
    )
    return pd.concat([spans, fallback[~fallback.index.isin(spans.index)]])


def blog_features(
    blog_posts: pd.DataFrame,
    blog_feeds: pd.DataFrame | None,
    owner: pd.Series,
    index: pd.Index,
    window_end: pd.Timestamp,
) -> pd.DataFrame:
    """Per nominee of ``index``: :data:`BLOG_COLUMNS` (posts inside the span, cadence,
    comments per post), 0 posts and 0 per month for nominees without blog posts.

    ``window_end`` is used only without a ``blog_feeds`` table (see the module).
    """
    out = pd.DataFrame(
        {
            "blog_posts": 0.0,
            "blog_posts_per_month": 0.0,
            "blog_comments_per_post": np.nan,
        },
        index=index,
    )
    if blog_posts.empty:
        return out
    spans = _spans(blog_posts, blog_feeds, window_end)
    span = spans.reindex(blog_posts["account_id"].to_numpy()).reset_index(drop=True)
    created = blog_posts["created_at"].reset_index(drop=True)
    inside = (created >= span["start"]) & (created < span["end"])
    posts = blog_posts[inside.to_numpy()]
    comments = posts["comments"].astype("Float64").astype(float)
    per_feed = (
        pd.DataFrame(
            {
                "account_id": posts["account_id"].to_numpy(),
                "posts": 1.0,
                "counted": comments.notna().to_numpy(dtype=float),
                "comments": comments.fillna(0).to_numpy(),
            }
        )
        .groupby("account_id", sort=True)
        .sum()
    )
    per_feed = per_feed.reindex(spans.index, fill_value=0.0)
    months = spans["months"]
    with np.errstate(divide="ignore", invalid="ignore"):
        per_feed["cadence"] = (per_feed["posts"] / months).where(months > 0)
    per_feed["nominee_id"] = per_feed.index.map(owner)
    per_feed = per_feed.dropna(subset=["nominee_id"])
    grouped = per_feed.groupby("nominee_id", sort=True)
    sums = grouped[["posts", "counted", "comments"]].sum()
    cadence = grouped["cadence"].sum(min_count=1)
    mine = sums.index[sums.index.isin(index)]
    out.loc[mine, "blog_posts"] = sums.loc[mine, "posts"]
    out.loc[mine, "blog_posts_per_month"] = cadence.loc[mine]
    with np.errstate(divide="ignore", invalid="ignore"):
        out.loc[mine, "blog_comments_per_post"] = (
            sums.loc[mine, "comments"] / sums.loc[mine, "counted"]
        ).where(sums.loc[mine, "counted"] > 0)
    return out
