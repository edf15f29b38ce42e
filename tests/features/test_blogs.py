"""Blog features (src/features/blogs.py) on hand-built tables: cadence over the span the
saved feeds cover (a capped feed is not read as low volume), comments per post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from src.features import build_features
from src.features.blogs import blog_features
from src.ingest.blogs import blog_feeds_frame, blog_posts_frame
from src.schemas import validate
from tests.helpers import accounts_frame, conversation_tables

FULL, CAPPED = "https://full.example/feed", "https://capped.example/feed"


def utc(year: int, month: int, day: int) -> pd.Timestamp:
    return pd.Timestamp(datetime(year, month, day, tzinfo=UTC))


def _posts(feed: str, times: list[pd.Timestamp], comments: list[int | None]) -> list[dict]:
    return [
        {
            "post_id": f"blog:{feed[8:12]}{n}",
            "account_id": "blog:" + feed,
            "feed_url": feed,
            "created_at": when,
            "comments": count,
        }
        for n, (when, count) in enumerate(zip(times, comments, strict=True))
    ]


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Feed FULL (nominee a): 6 posts in 2024, comment counts 2, 4, none, 0, 6, none.
    Feed CAPPED (nominee b): its latest 10 posts, from 1 October 2024, no comment counts."""
    full = _posts(FULL, [utc(2024, m, 1) for m in (1, 3, 5, 7, 9, 11)], [2, 4, None, 0, 6, None])
    capped = _posts(
        CAPPED, [utc(2024, 10, 1) + timedelta(days=9 * n) for n in range(10)], [None] * 10
    )
    posts = validate(blog_posts_frame([*full, *capped]), "blog_posts", source="test")
    feeds = blog_feeds_frame(
        [
            {
                "account_id": "blog:" + FULL,
                "feed_url": FULL,
                "copies": 1,
                "items": 6,
                "capped": False,
                "oldest_item": utc(2024, 1, 1),
                "cadence_start": utc(2024, 1, 1),
                "cadence_end": utc(2025, 1, 1),
                "cadence_months": 12.0,
            },
            {
                "account_id": "blog:" + CAPPED,
                "feed_url": CAPPED,
                "copies": 1,
                "items": 10,
                "capped": True,
                "oldest_item": utc(2024, 10, 1),
                "cadence_start": utc(2024, 10, 1),
                "cadence_end": utc(2025, 1, 1),
                "cadence_months": 3.0,
            },
        ]
    )
    return posts, validate(feeds, "blog_feeds", source="test")


OWNER = pd.Series({"blog:" + FULL: "a", "blog:" + CAPPED: "b"})
INDEX = pd.Index(["a", "b", "c"], name="nominee_id")


def test_cadence_over_the_span_covered_and_comments_per_post() -> None:
    posts, feeds = _tables()
    out = blog_features(posts, feeds, OWNER, INDEX, utc(2025, 1, 1))
    a, b, c = (out.loc[n] for n in INDEX)
    assert a["blog_posts_per_month"] == pytest.approx(6 / 12)
    assert a["blog_comments_per_post"] == pytest.approx((2 + 4 + 0 + 6) / 4)
    # The capped feed: 10 posts in the 3 months it covers, not 10 in 12.
    assert b["blog_posts_per_month"] == pytest.approx(10 / 3)
    assert np.isnan(b["blog_comments_per_post"])  # its feed reports no comments
    assert (c["blog_posts"], c["blog_posts_per_month"]) == (0, 0)
    assert np.isnan(c["blog_comments_per_post"])


def test_a_capped_feed_covering_none_of_the_window_has_no_cadence() -> None:
    posts, feeds = _tables()
    feeds.loc[feeds["feed_url"] == CAPPED, ["cadence_start", "cadence_months"]] = [
        utc(2025, 1, 1),
        0.0,
    ]
    out = blog_features(posts, feeds, OWNER, INDEX, utc(2025, 1, 1))
    assert np.isnan(out.loc["b", "blog_posts_per_month"]) and out.loc["b", "blog_posts"] == 0


def test_without_a_feeds_table_the_365_days_to_the_window_end() -> None:
    posts, _ = _tables()
    out = blog_features(posts, None, OWNER, INDEX, utc(2024, 12, 1))
    # Full: the posts of 1 January to 1 November (the December one is after the end).
    assert out.loc["a", "blog_posts_per_month"] == pytest.approx(6 / 12)
    # Capped: 1 October to 30 November, every 9 days: 7 posts before 1 December.
    assert out.loc["b", "blog_posts_per_month"] == pytest.approx(7 / 12)


def test_blog_features_in_the_feature_table() -> None:
    posts, feeds = _tables()
    tables = conversation_tables()
    blog_accounts = accounts_frame(
        [("blog:" + FULL, "a", None, None), ("blog:" + CAPPED, "b", None, None)]
    ).assign(platform="blog")
    tables["accounts"] = pd.concat([tables["accounts"], blog_accounts], ignore_index=True)
    tables["blog_posts"], tables["blog_feeds"] = posts, feeds
    table = build_features(tables).set_index("nominee_id")
    assert table.loc["a", "blog_comments_per_post"] == pytest.approx(3.0)
    assert table.loc["b", "blog_posts_per_month"] == pytest.approx(10 / 3)
    assert table.loc["a", "platforms_used"] == 2  # X and the blog
