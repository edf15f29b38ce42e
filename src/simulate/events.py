"""One year's simulated X activity as tables of posts and engagement events (vectorised).

The writers turn these into the raw formats; the tables are also what the benchmarks
use at sizes where writing JSON would dominate. See :mod:`src.simulate.world` for the
generative model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from src.simulate.world import COMMUNITIES

TWITTER_EPOCH_MS = 1288834974657
CHAT_TAG = {
    "nurse": "NurseChat",
    "doctor": "MedChat",
    "organisation": "NHSChat",
    "manager": "LeadChat",
    "allied health professional": "AHPChat",
    "patient or carer": "CarersChat",
    "other": "HealthChat",
}


@dataclass
class YearActivity:
    """A year's activity: nominee posts, the audience's engagement events, the window."""

    year: int
    window_start: datetime
    window_end: datetime
    posts: pd.DataFrame  #: one row per nominee post (see :func:`simulate_year`)
    events: pd.DataFrame  #: one row per audience repost, reply or quote of a nominee post


def window(year: int, days: int) -> tuple[datetime, datetime]:
    """The observation window: ``days`` days ending on 1 June (lists are drawn up in summer)."""
    end = datetime(year, 6, 1, tzinfo=UTC)
    return end - timedelta(days=days), end


def snowflake_ids(seconds: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """X-style ids (as Python ints in an object array): ms since the X epoch << 22 | sequence."""
    ms = seconds.astype(np.int64) * 1000 + rng.integers(0, 1000, size=len(seconds))
    sequence = np.arange(len(seconds), dtype=np.int64) % (1 << 22)
    return ((ms - TWITTER_EPOCH_MS) << 22) | sequence


def _negative_binomial(
    rng: np.random.Generator, mean: np.ndarray, shape: float = 1.5
) -> np.ndarray:
    mean = np.maximum(mean, 1e-9)
    return rng.negative_binomial(shape, shape / (shape + mean))


def _pick_weighted(
    rng: np.random.Generator, pool: np.ndarray, cumulative: np.ndarray, count: int
) -> np.ndarray:
    return pool[
        np.searchsorted(cumulative, rng.random(count) * cumulative[-1], side="right").clip(
            0, len(pool) - 1
        )
    ]


def simulate_year(
    nominees: pd.DataFrame,
    audience: pd.DataFrame,
    window_days: int,
    year: int,
    rng: np.random.Generator,
    activity_scale: float = 1.0,
) -> YearActivity:
    """Draw a year's X posts by nominees and the audience's reposts, replies and quotes of them."""
    start, end = window(year, window_days)
    start_s = int(start.timestamp())
    n_nominees = len(nominees)
    activity = nominees["activity"].to_numpy(float)
    quality = nominees["quality"].to_numpy(float)
    conversation = nominees["conversation"].to_numpy(float)
    bridging = nominees["bridging"].to_numpy(float)
    followers = nominees["followers"].to_numpy(float)
    community = nominees["community"].to_numpy()
    feed = (nominees["archetype"] == "automated_feed").to_numpy()

    # --- nominee posts ---------------------------------------------------------------
    counts = rng.poisson(activity * window_days)
    author = np.repeat(np.arange(n_nominees), counts)
    n = len(author)
    base_activity = np.log(np.maximum(activity / activity_scale, 1e-6))
    p_repost = np.where(feed, 0.03, np.clip(0.18 + 0.07 * base_activity, 0.02, 0.5))[author]
    p_reply = (np.clip(0.12 + 0.1 * conversation, 0.01, 0.6) * np.where(feed, 0.1, 1.0))[author]
    u = rng.random(n)
    kind = np.where(
        u < p_repost,
        "repost",
        np.where(
            u < p_repost + p_reply,
            "reply",
            np.where(u < p_repost + p_reply + 0.05, "quote", "original"),
        ),
    )
    created = start_s + rng.integers(0, window_days * 86400, size=n)
    # Whom a reply, repost or quote is aimed at: another nominee (a fifth), else the audience.
    aims = kind != "original"
    at_nominee = aims & (rng.random(n) < 0.2) & (n_nominees > 1)
    posts = pd.DataFrame(
        {
            "author": author,
            "created": created,
            "kind": kind,
            "target_nominee": np.where(at_nominee, rng.integers(0, max(n_nominees, 1), size=n), -1),
            "target_audience": -1,
            "referenced_tweet": pd.array([None] * n, dtype=object),
            "chat": False,
        }
    )
    # Chats: each host posts a weekly chat question with the community's chat tag.
    hosts = np.flatnonzero(nominees["hosts_chat"].to_numpy())
    weeks = max(window_days // 7, 1)
    chat_rows = pd.DataFrame(
        {
            "author": np.repeat(hosts, weeks),
            "created": np.tile(
                start_s + 2 * 86400 + 20 * 3600 + np.arange(weeks) * 7 * 86400, len(hosts)
            ),
            "kind": "original",
            "target_nominee": -1,
            "target_audience": -1,
            "referenced_tweet": pd.array([None] * (len(hosts) * weeks), dtype=object),
            "chat": True,
        }
    )
    posts = pd.concat([posts, chat_rows], ignore_index=True)
    posts = posts.sort_values(["created", "author"], kind="stable").reset_index(drop=True)
    posts["tweet_id"] = snowflake_ids(posts["created"].to_numpy(), rng)
    own = posts["kind"].to_numpy() != "repost"
    a = posts["author"].to_numpy()

    # Engagement earned by own posts, before the audience events are drawn.
    scale = (
        0.015
        * followers[a] ** 0.7
        * np.exp(0.9 * quality[a])
        * np.where(posts["kind"] == "reply", 0.4, 1.0)
    )
    posts["likes"] = np.where(own, _negative_binomial(rng, scale), 0)
    reposts = np.where(own, _negative_binomial(rng, 0.15 * scale * np.exp(0.3 * quality[a])), 0)
    replies = np.where(
        own, _negative_binomial(rng, 0.12 * scale * np.exp(0.8 * conversation[a])), 0
    )
    replies = np.where(posts["chat"], rng.poisson(8 * np.exp(0.4 * conversation[a])), replies)
    quotes = np.where(own, rng.binomial(reposts, 0.08), 0)
    posts["impressions"] = np.where(
        own,
        np.round(followers[a] * np.exp(rng.normal(-1.2 + 0.4 * quality[a], 0.6))).astype(np.int64)
        + posts["likes"] * 20,
        0,
    )
    posts["has_media"] = own & (rng.random(len(posts)) < np.where(feed[a], 0.6, 0.35))
    posts["has_url"] = own & (feed[a] | (rng.random(len(posts)) < 0.2))
    posts["hashtag_count"] = rng.integers(0, 3, size=len(posts))
    posts["mention_audience"] = np.where(
        (posts["kind"].isin(["original", "quote"])) & (rng.random(len(posts)) < 0.25), 0, -1
    )

    # --- audience engagement events ---------------------------------------------------
    own_index = np.flatnonzero(own)
    event_kind = np.concatenate(
        [
            np.full(int(reposts[own_index].sum()), "repost"),
            np.full(int(replies[own_index].sum()), "reply"),
            np.full(int(quotes[own_index].sum()), "quote"),
        ]
    )
    event_post = np.concatenate(
        [
            np.repeat(own_index, reposts[own_index]),
            np.repeat(own_index, replies[own_index]),
            np.repeat(own_index, quotes[own_index]),
        ]
    )
    engager = _engagers(rng, audience, community[a[event_post]], bridging[a[event_post]])
    event_created = posts["created"].to_numpy()[event_post] + np.where(
        posts["chat"].to_numpy()[event_post],
        rng.integers(60, 3600, size=len(event_post)),
        rng.exponential(3 * 3600, size=len(event_post)).astype(np.int64) + 30,
    )
    events = pd.DataFrame(
        {"post": event_post, "kind": event_kind, "engager": engager, "created": event_created}
    )
    events = events.sort_values(["created", "post", "engager"], kind="stable").reset_index(
        drop=True
    )
    events["tweet_id"] = snowflake_ids(events["created"].to_numpy(), rng)

    # --- whom nominees' own replies, reposts, quotes and mentions aim at -----------------
    aimed = (posts["kind"].to_numpy() != "original") & (posts["target_nominee"].to_numpy() < 0)
    posts.loc[aimed, "target_audience"] = _engagers(
        rng, audience, community[a[aimed]], bridging[a[aimed]]
    )
    mention = posts["mention_audience"].to_numpy() >= 0
    posts.loc[mention, "mention_audience"] = _engagers(
        rng, audience, community[a[mention]], bridging[a[mention]]
    )
    # A nominee's reply, repost or quote of another nominee points at one of that
    # nominee's earlier own posts, and counts on it; with none earlier, it goes to the audience.
    own_by_author: dict[int, np.ndarray] = {
        k: v for k, v in posts[own].groupby("author").groups.items()
    }
    created_all = posts["created"].to_numpy()
    bump = {"repost": "reposts", "reply": "replies", "quote": "quotes"}
    reposts, replies, quotes = reposts.copy(), replies.copy(), quotes.copy()
    totals = {"reposts": reposts, "replies": replies, "quotes": quotes}
    for row in np.flatnonzero(posts["target_nominee"].to_numpy() >= 0):
        target = int(posts.at[row, "target_nominee"])
        candidates = own_by_author.get(target)
        earlier = (
            candidates[created_all[candidates] < created_all[row]]
            if candidates is not None and target != a[row]
            else np.array([], dtype=int)
        )
        if len(earlier) == 0:
            posts.at[row, "target_nominee"] = -1
            posts.at[row, "target_audience"] = int(
                _engagers(rng, audience, community[a[[row]]], bridging[a[[row]]])[0]
            )
            continue
        referenced = int(earlier[rng.integers(len(earlier))])
        posts.at[row, "referenced_tweet"] = int(posts.at[referenced, "tweet_id"])
        totals[bump[posts.at[row, "kind"]]][referenced] += 1
    posts["reposts"], posts["replies"], posts["quotes"] = reposts, replies, quotes
    # A repost shows the reposted post's repost count (X API v2); no likes of its own.
    return YearActivity(year=year, window_start=start, window_end=end, posts=posts, events=events)


def _engagers(
    rng: np.random.Generator,
    audience: pd.DataFrame,
    own_community: np.ndarray,
    bridging: np.ndarray,
) -> np.ndarray:
    """Audience accounts engaging with posts by authors of ``own_community``.

    With probability logistic(-1.4 + 0.9 × bridging) the engager comes from another
    community; within a community, engagers are drawn by their engagement weight.
    """
    count = len(own_community)
    result = np.empty(count, dtype=np.int64)
    if count == 0:
        return result
    outside = rng.random(count) < 1.0 / (1.0 + np.exp(-(-1.4 + 0.9 * bridging)))
    aud_community = audience["community"].to_numpy()
    weights = audience["engagement_weight"].to_numpy(float)
    communities = np.array(COMMUNITIES)
    # For an outside engager, any other community, by audience size.
    other_offset = rng.integers(1, len(communities), size=count)
    own_code = np.searchsorted(communities, own_community, sorter=np.argsort(communities))
    sorted_communities = communities[np.argsort(communities)]
    target_code = np.where(outside, (own_code + other_offset) % len(communities), own_code)
    for code, name in enumerate(sorted_communities):
        chosen = target_code == code
        if not chosen.any():
            continue
        pool = np.flatnonzero(aud_community == name)
        if len(pool) == 0:
            pool = np.arange(len(audience))
        result[chosen] = _pick_weighted(rng, pool, np.cumsum(weights[pool]), int(chosen.sum()))
    return result
