"""Shared test helpers: small canonical tables built by hand, and hypothesis strategies.

Tests import what they share from here, never from another test file. The builders make
tables that pass the schemas of :mod:`src.schemas` (one X account per nominee unless a
test says otherwise), so a test can state its case in a few rows and compare with values
computed by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
from hypothesis import strategies as st

from src.schemas import UTC_TIME, validate

T0 = datetime(2014, 5, 1, 10, 0, tzinfo=UTC)


def post_row(
    post_id: str,
    account: str,
    kind: str,
    day: float,
    likes: int = 0,
    reposts: int = 0,
    replies: int = 0,
    quotes: int = 0,
) -> dict:
    return {
        "post_id": post_id,
        "account_id": account,
        "platform": "x",
        "created_at": T0 + timedelta(days=day),
        "kind": kind,
        "text": "text",
        "lang": "en",
        "referenced_post_id": None,
        "reply_to_account_id": None,
        "likes": likes,
        "reposts": reposts,
        "replies": replies,
        "quotes": quotes,
        "impressions": None,
        "has_media": False,
        "hashtags": [],
        "mentions": [],
        "urls": [],
    }


def posts_frame(rows: list[dict]) -> pd.DataFrame:
    columns = list(post_row("p", "a", "original", 0))
    frame = pd.DataFrame(rows, columns=columns)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(UTC_TIME)
    for column in ("likes", "reposts", "replies", "quotes"):
        frame[column] = frame[column].astype("int64")
    frame["impressions"] = pd.array([None] * len(frame), dtype="Int64")
    frame["has_media"] = frame["has_media"].astype(bool)
    for column in ("text", "lang", "referenced_post_id", "reply_to_account_id"):
        frame[column] = frame[column].astype(object)
    return frame


def accounts_frame(rows: list[tuple[str, str | None, int | None, int | None]]) -> pd.DataFrame:
    """rows of (account_id, nominee_id or None, followers, listed)."""
    return pd.DataFrame(
        {
            "account_id": [r[0] for r in rows],
            "platform": "x",
            "handle": [r[0].replace(":", "_") for r in rows],
            "name": None,
            "description": None,
            "followers": pd.array([r[2] for r in rows], dtype="Int64"),
            "following": pd.array([1] * len(rows), dtype="Int64"),
            "listed": pd.array([r[3] for r in rows], dtype="Int64"),
            "posts_total": pd.array([10] * len(rows), dtype="Int64"),
            "created_at": pd.Series([T0] * len(rows)).astype(UTC_TIME),
            "is_nominee": [r[1] is not None for r in rows],
            "nominee_id": pd.Series([r[1] for r in rows], dtype=object),
        }
    ).astype({"name": object, "description": object})


def nominees_frame(ids: list[str], selected: list[bool] | None = None) -> pd.DataFrame:
    selected = selected or [i % 2 == 0 for i in range(len(ids))]
    return pd.DataFrame(
        {
            "nominee_id": ids,
            "year": pd.Series([2014] * len(ids), dtype="int64"),
            "name": [f"Name {i}" for i in ids],
            "category": "nurse",
            "nominated_by": pd.array([1] * len(ids), dtype="Int64"),
            "selected": selected,
            "rank": pd.array([None] * len(ids), dtype="Int64"),
            "x_handle": [f"h_{i}" for i in ids],
            "bluesky_handle": None,
            "mastodon_handle": None,
            "blog_feed_url": None,
        }
    ).astype({"bluesky_handle": object, "mastodon_handle": object, "blog_feed_url": object})


MIN = 1 / 24 / 60  # a minute, in days


def reply_row(post_id: str, account: str, parent: str, day: float, **counts: int) -> dict:
    row = post_row(post_id, account, "reply", day, **counts)
    row["referenced_post_id"] = parent
    return row


def interactions_frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """rows of (source, target, kind, post_id)."""
    frame = pd.DataFrame(
        rows, columns=["source_account_id", "target_account_id", "kind", "post_id"]
    )
    frame["created_at"] = pd.Series([T0] * len(frame), dtype=object)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(UTC_TIME)
    return (
        frame.astype(
            {c: str for c in ["source_account_id", "target_account_id", "kind", "post_id"]}
        )
        if len(frame)
        else frame
    )


def metrics_frame(rows: list[tuple]) -> pd.DataFrame:
    """rows of (account_id, start day, end day, followers, posts, reposts_received,
    mentions_received)."""
    frame = pd.DataFrame(
        {
            "account_id": [r[0] for r in rows],
            "platform": "x",
            "handle": None,
            "period_start": pd.Series([T0 + timedelta(days=r[1]) for r in rows]).astype(UTC_TIME),
            "period_end": pd.Series([T0 + timedelta(days=r[2]) for r in rows]).astype(UTC_TIME),
            "followers": pd.array([r[3] for r in rows], dtype="Int64"),
            "following": pd.array([10] * len(rows), dtype="Int64"),
            "listed": pd.array([1] * len(rows), dtype="Int64"),
            "posts": pd.array([r[4] for r in rows], dtype="Int64"),
            "mentions_received": pd.array([r[6] for r in rows], dtype="Int64"),
            "reposts_received": pd.array([r[5] for r in rows], dtype="Int64"),
            "mentions_sent": pd.array([0] * len(rows), dtype="Int64"),
            "reposts_sent": pd.array([0] * len(rows), dtype="Int64"),
        }
    ).astype({"handle": object})
    return validate(frame, "account_metrics", source="hand-built")


def conversation_tables() -> dict[str, pd.DataFrame]:
    """Nominees a and b; audience anon:1 … anon:5.

    a: p1 original day 0 (likes 5, reposts 3, replies 4, media, #NurseChat), p2 original
       day 1 (likes 2, reposts 2), p3 reply day 2 to anon:1's r1 (likes 1), p4 repost day 3.
    Replies to p1: anon:1 +10 min (r1), anon:2 +20 (r2), anon:3 to r1 +30 (r3), x:b +40 (r5),
       anon:5 +50 (r6), anon:4 +2 h (r4). b also posts p5 original on day 1.
    Interactions: each reply above (r3 targets anon:1), a's reply back to anon:1, a mention
       of a by anon:2, a repost of b by anon:1.
    Followers: a 1000, b 100, anon:1 9, anon:2 99, anon:3 0, anon:4 unknown, anon:5 0.
    """
    p1 = post_row("x:p1", "x:a", "original", 0, likes=5, reposts=3, replies=4)
    p1["has_media"], p1["hashtags"] = True, ["NurseChat"]
    posts = posts_frame(
        [
            p1,
            post_row("x:p2", "x:a", "original", 1, likes=2, reposts=2),
            reply_row("x:p3", "x:a", "x:r1", 2, likes=1),
            post_row("x:p4", "x:a", "repost", 3, reposts=40),
            reply_row("x:r1", "anon:1", "x:p1", 10 * MIN),
            reply_row("x:r2", "anon:2", "x:p1", 20 * MIN),
            reply_row("x:r3", "anon:3", "x:r1", 30 * MIN),
            reply_row("x:r5", "x:b", "x:p1", 40 * MIN),
            reply_row("x:r6", "anon:5", "x:p1", 50 * MIN),
            reply_row("x:r4", "anon:4", "x:p1", 120 * MIN),
            post_row("x:p5", "x:b", "original", 1),
        ]
    )
    interactions = interactions_frame(
        [
            ("anon:1", "x:a", "reply", "x:r1"),
            ("anon:2", "x:a", "reply", "x:r2"),
            ("anon:3", "anon:1", "reply", "x:r3"),
            ("x:b", "x:a", "reply", "x:r5"),
            ("anon:5", "x:a", "reply", "x:r6"),
            ("anon:4", "x:a", "reply", "x:r4"),
            ("x:a", "anon:1", "reply", "x:p3"),
            ("anon:2", "x:a", "mention", "x:m1"),
            ("anon:1", "x:b", "repost", "x:rp1"),
        ]
    )
    accounts = accounts_frame(
        [
            ("x:a", "a", 1000, 10),
            ("x:b", "b", 100, 1),
            ("anon:1", None, 9, 0),
            ("anon:2", None, 99, 0),
            ("anon:3", None, 0, 0),
            ("anon:4", None, None, 0),
            ("anon:5", None, 0, 0),
        ]
    )
    tables = {
        "nominees": nominees_frame(["a", "b"]),
        "accounts": accounts,
        "posts": posts,
        "interactions": interactions,
    }
    for name, frame in tables.items():
        validate(frame, name, source="hand-built")
    return tables


event = st.tuples(
    st.sampled_from(["a", "b", "c"]),  # nominee posting
    st.sampled_from(["original", "reply", "repost", "quote"]),
    st.integers(0, 200),  # minutes
    st.integers(0, 30),
    st.integers(0, 8),
    st.integers(0, 5),
    st.integers(0, 3),
    st.lists(st.integers(0, 6), max_size=6),  # audience accounts replying
    st.booleans(),  # media
)


def random_world(spec: list[tuple], rename=None) -> dict[str, pd.DataFrame]:
    name = rename or (lambda account: account)
    rows, interactions = [], []
    for i, (who, kind, minute, likes, reposts, replies, quotes, repliers, media) in enumerate(spec):
        row = post_row(f"x:{i}", f"x:{who}", kind, minute * MIN, likes, reposts, replies, quotes)
        row["has_media"], row["hashtags"] = media, (["Chat"] if i % 2 == 0 else [])
        rows.append(row)
        for k, r in enumerate(repliers):
            rid = f"x:{i}r{k}"
            rows.append(reply_row(rid, name(f"anon:{r}"), f"x:{i}", (minute + 1 + k) * MIN))
            interactions.append((name(f"anon:{r}"), f"x:{who}", "reply", rid))
            if r % 3 == 0:  # the nominee answers
                interactions.append((f"x:{who}", name(f"anon:{r}"), "reply", f"x:{i}a{k}"))
    accounts = accounts_frame(
        [(f"x:{w}", w, 100 * (j + 1), j) for j, w in enumerate("abc")]
        + [(name(f"anon:{k}"), None, 10 * k, 0) for k in range(7)]
    )
    return {
        "nominees": nominees_frame(["a", "b", "c"]),
        "accounts": accounts,
        "posts": posts_frame(rows),
        "interactions": interactions_frame(interactions),
    }
