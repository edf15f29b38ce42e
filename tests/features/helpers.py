"""Tables shared by the feature tests (the general table builders are in tests/helpers.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from src.io import write_parquet_atomic
from src.schemas import validate
from tests.helpers import (
    accounts_frame,
    interactions_frame,
    nominees_frame,
    post_row,
    posts_frame,
)


def _on(platform: str, row: dict) -> dict:
    row["platform"] = platform
    return row


def two_platform_tables() -> dict[str, pd.DataFrame]:
    """a on X (x:a) and Bluesky (bluesky:a), b on X only, c on Mastodon without posts.

    Accounts (followers, following, listed): x:a 2000, 100, 10; bluesky:a 500, 50, none
    (Bluesky reports no lists); x:b 1000, 10, 5; mastodon:c 40, 4, none.
    a on X: original day 0 (likes 10, reposts 4, replies 2), original day 2 (nothing),
       repost day 4 (its 50 reposts are the source's).
    a on Bluesky: original day 1 (likes 6, reposts 2, replies 1), reply day 3 (nothing).
    b on X: original day 0 (likes 1). Window: day 0 to day 4, 5 days.
    Mentions: anon:1 of x:a; anon:2 of bluesky:a twice. anon:9 replies to b.
    """
    posts = posts_frame(
        [
            post_row("x:1", "x:a", "original", 0, likes=10, reposts=4, replies=2),
            post_row("x:2", "x:a", "original", 2),
            post_row("x:3", "x:a", "repost", 4, reposts=50),
            _on(
                "bluesky",
                post_row("bluesky:1", "bluesky:a", "original", 1, likes=6, reposts=2, replies=1),
            ),
            _on("bluesky", post_row("bluesky:2", "bluesky:a", "reply", 3)),
            post_row("x:4", "x:b", "original", 0, likes=1),
        ]
    )
    accounts = accounts_frame(
        [
            ("x:a", "a", 2000, 10),
            ("bluesky:a", "a", 500, None),
            ("x:b", "b", 1000, 5),
            ("mastodon:c", "c", 40, None),
            ("anon:1", None, 5, 0),
            ("anon:2", None, 5, 0),
        ]
    )
    accounts["platform"] = [
        a.split(":")[0] if not a.startswith("anon:") else "x" for a in accounts["account_id"]
    ]
    accounts["following"] = pd.array([100, 50, 10, 4, 1, 1], dtype="Int64")
    interactions = interactions_frame(
        [
            ("anon:1", "x:a", "mention", "x:m1"),
            ("anon:2", "bluesky:a", "mention", "bluesky:m1"),
            ("anon:2", "bluesky:a", "mention", "bluesky:m2"),
            ("anon:9", "x:b", "reply", "x:r9"),
        ]
    )
    tables = {
        "nominees": nominees_frame(["a", "b", "c"]),
        "accounts": accounts,
        "posts": posts,
        "interactions": interactions,
    }
    for name, frame in tables.items():
        validate(frame, name, source="hand-built")
    return tables


def wide_by_platform(by_platform: pd.DataFrame) -> pd.DataFrame:
    """The tidy per-platform table with one column per feature, by (nominee, platform)."""
    return by_platform.pivot(index=["nominee_id", "platform"], columns="feature", values="value")


def write_year(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Write ``tables`` as a processed year folder's Parquet files."""
    for name, frame in tables.items():
        write_parquet_atomic(frame, folder / f"{name}.parquet")


def big_world(rename=lambda account: account) -> dict[str, pd.DataFrame]:
    """Three nominees and 300 audience accounts in a seeded random interaction graph (more
    nodes than betweenness is computed exactly for); ``rename`` maps the audience's ids."""
    rng = np.random.default_rng(5)
    audience = [f"anon:{k:03d}" for k in range(300)]
    rows = []
    for i in range(900):
        source = audience[rng.integers(300)]
        target = (
            f"x:{'abc'[rng.integers(3)]}" if rng.random() < 0.4 else audience[rng.integers(300)]
        )
        rows.append(
            (
                rename(source),
                rename(target) if target.startswith("anon:") else target,
                "reply",
                f"x:i{i}",
            )
        )
    posts = posts_frame(
        [post_row(f"x:{w}{d}", f"x:{w}", "original", d) for w in "abc" for d in range(3)]
    )
    accounts = accounts_frame(
        [(f"x:{w}", w, 100, 1) for w in "abc"] + [(rename(a), None, 10, 0) for a in audience]
    )
    return {
        "nominees": nominees_frame(["a", "b", "c"]),
        "accounts": accounts,
        "posts": posts,
        "interactions": interactions_frame(rows),
    }
