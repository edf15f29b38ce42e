"""Write simulated X activity as twarc2 writes X API v2 responses.

Shape follows the real files in ``shared/fixtures/x-api-v2`` (captured with twarc2):
one response page per line with ``data``, ``includes.users``, ``includes.tweets``,
``meta`` and ``__twarc``; string ids; ``created_at`` as ``2014-03-01T09:15:02.000Z``;
``public_metrics``; ``entities.mentions``/``hashtags``/``urls``; ``referenced_tweets``.
Timelines are paged newest first, 100 tweets a page, as ``GET /2/users/:id/tweets``
returns them; nominees' profiles come as user look-up pages (``GET /2/users``).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

TWITTER_EPOCH_MS = 1288834974657
_TWARC = {"version": "2.0.13"}
_HASHTAGS = ("NHS", "nursing", "WeNurses", "patientsafety", "MentalHealth", "GPs", "AHPs", "QI", "carers", "NHSChangeDay")
_WORDS = (
    "handover", "ward", "rota", "patients", "team", "clinic", "safety", "learning", "pathway", "discharge",
    "winter", "pressures", "audit", "community", "care", "evidence", "staff", "wellbeing", "quality", "service",
)
_USER_FIELDS_URL = "https://api.twitter.com/2/users?user.fields=created_at,description,id,name,public_metrics,username"


def snowflake(created: datetime, sequence: int) -> str:
    """An X-style id for a time: milliseconds since the X epoch shifted left 22 bits."""
    ms = int(created.timestamp() * 1000)
    return str(((ms - TWITTER_EPOCH_MS) << 22) | (sequence & 0x3FFFFF))


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def user_object(user_id: str, handle: str, name: str, followers: int, *, following: int, listed: int, tweets: int, created: datetime, description: str) -> dict[str, Any]:
    """A v2 user object with ``public_metrics``."""
    return {
        "id": user_id,
        "username": handle,
        "name": name,
        "description": description,
        "created_at": _iso(created),
        "protected": False,
        "verified": False,
        "public_metrics": {"followers_count": int(followers), "following_count": int(following), "tweet_count": int(tweets), "listed_count": int(listed)},
    }


def _text(rng: np.random.Generator, mentions: list[str], hashtags: list[str], url: str | None) -> tuple[str, dict[str, Any]]:
    words = " ".join(rng.choice(_WORDS, size=int(rng.integers(6, 16))))
    parts: list[str] = [f"@{m}" for m in mentions]
    parts.append(words.capitalize())
    parts += [f"#{tag}" for tag in hashtags]
    if url:
        parts.append(url)
    text = " ".join(parts)
    entities: dict[str, Any] = {}
    cursor = 0
    mention_entities, tag_entities = [], []
    for token in text.split(" "):
        if token.startswith("@"):
            mention_entities.append({"start": cursor, "end": cursor + len(token), "username": token[1:]})
        elif token.startswith("#"):
            tag_entities.append({"start": cursor, "end": cursor + len(token), "tag": token[1:]})
        cursor += len(token) + 1
    if mention_entities:
        entities["mentions"] = mention_entities
    if tag_entities:
        entities["hashtags"] = tag_entities
    if url:
        start = text.rindex(url)
        entities["urls"] = [{"start": start, "end": start + len(url), "url": url, "expanded_url": url.replace("https://t.co/", "https://example.nhs.invalid/"), "display_url": "example.nhs.invalid"}]
    return text, entities


def write_year(
    out_dir: Path,
    year: int,
    nominees: pd.DataFrame,
    audience: pd.DataFrame,
    window_days: int,
    rng: np.random.Generator,
) -> dict[str, int]:
    """Write one year's timelines and user look-ups under ``out_dir/x``; return counts."""
    x_dir = out_dir / "x"
    x_dir.mkdir(parents=True, exist_ok=True)
    window_end = datetime(year, 6, 1, tzinfo=timezone.utc)  # lists are drawn up in early summer
    window_start = window_end - timedelta(days=window_days)
    retrieved = _iso(window_end + timedelta(days=1, hours=3)).replace(".000Z", "+00:00")
    audience_users = {
        row.x_user_id: user_object(row.x_user_id, row.handle, f"Simulated user {i}", row.followers, following=int(row.followers * 0.8) + 20,
                                   listed=int(row.followers // 200), tweets=int(row.followers * 3 + 50), created=datetime(2010, 1, 1, tzinfo=timezone.utc),
                                   description="Simulated account")
        for i, row in enumerate(audience.itertuples())
    }
    audience_ids = audience["x_user_id"].to_numpy()
    audience_p = audience["engagement_weight"].to_numpy() / audience["engagement_weight"].sum()
    nominee_users: dict[str, dict[str, Any]] = {}
    for row in nominees.itertuples():
        nominee_users[row.x_user_id] = user_object(
            row.x_user_id, row.x_handle, row.name, row.followers,
            following=int(row.followers * np.exp(rng.normal(-0.3, 0.5))) + 10,
            listed=int(row.followers * 0.015 * np.exp(0.4 * row.quality + rng.normal(0, 0.3))),
            tweets=int(row.activity * 365 * (3 + rng.integers(0, 6))),
            created=datetime(2009 + int(rng.integers(0, 4)), 1 + int(rng.integers(0, 12)), 1, tzinfo=timezone.utc),
            description=f"Simulated {row.category} account for the bundled sample. Not a real person.",
        )
    nominee_ids = nominees["x_user_id"].to_numpy()
    sequence = 0
    counts = {"tweets": 0, "pages": 0}
    with open(x_dir / "timelines.jsonl", "w", encoding="utf-8") as timeline_file:
        for row in nominees.itertuples():
            n_posts = int(rng.poisson(row.activity * window_days))
            if n_posts == 0:
                continue
            # Prolific people pass on more of others' posts; feeds only post their own.
            p_repost = 0.03 if row.archetype == "automated_feed" else float(np.clip(0.18 + 0.07 * np.log(row.activity), 0.02, 0.5))
            p_reply = float(np.clip(0.12 + 0.1 * row.conversation, 0.01, 0.6)) * (0.1 if row.archetype == "automated_feed" else 1.0)
            p_quote = 0.05
            kinds = rng.choice(["repost", "reply", "quote", "original"], size=n_posts, p=[p_repost, p_reply, p_quote, 1 - p_repost - p_reply - p_quote])
            seconds = np.sort(rng.integers(0, window_days * 86400, size=n_posts))[::-1]
            base_likes = 0.02 * row.followers**0.7 * np.exp(0.9 * row.quality)
            tweets: list[dict[str, Any]] = []
            referenced_by_id: dict[str, dict[str, Any]] = {}
            include_users = {row.x_user_id: nominee_users[row.x_user_id]}
            # Draw every random choice for this timeline at once (a per-tweet
            # weighted choice over the audience would be quadratic in practice).
            other_nominees = nominee_ids[nominee_ids != row.x_user_id]
            to_nominee = (rng.random(n_posts) < 0.25) & (len(other_nominees) > 0)
            nominee_pick = rng.choice(other_nominees, size=n_posts) if len(other_nominees) else np.array([""] * n_posts)
            audience_pick = rng.choice(audience_ids, size=n_posts, p=audience_p)
            mention_pick = rng.choice(audience_ids, size=n_posts, p=audience_p)
            has_mention = rng.random(n_posts) < 0.25
            for i, (kind, offset) in enumerate(zip(kinds, seconds)):
                created = window_start + timedelta(seconds=int(offset))
                sequence += 1
                tweet_id = snowflake(created, sequence)
                # The other party: mostly audience, sometimes another nominee.
                other = str(nominee_pick[i]) if to_nominee[i] else str(audience_pick[i])
                other_user = nominee_users[other] if to_nominee[i] else audience_users[other]
                mentions = []
                if kind in ("original", "quote") and has_mention[i]:
                    mention = str(mention_pick[i])
                    mentions.append(audience_users[mention]["username"])
                    include_users[mention] = audience_users[mention]
                hashtags = list(rng.choice(_HASHTAGS, size=int(rng.integers(0, 3)), replace=False))
                url = f"https://t.co/{tweet_id[-8:]}" if (row.archetype == "automated_feed" or rng.random() < 0.2) else None
                tweet: dict[str, Any] = {"id": tweet_id, "author_id": row.x_user_id, "created_at": _iso(created), "conversation_id": tweet_id, "lang": "en", "reply_settings": "everyone", "possibly_sensitive": False}
                if kind == "repost":
                    source_created = created - timedelta(hours=float(rng.uniform(0.1, 48)))
                    source_id = snowflake(source_created, sequence + 2_000_000)
                    source_text, source_entities = _text(rng, [], hashtags, None)
                    likes = int(rng.negative_binomial(1.5, 1.5 / (1.5 + 0.02 * other_user["public_metrics"]["followers_count"] ** 0.7 + 1)))
                    source = {"id": source_id, "author_id": other, "created_at": _iso(source_created), "text": source_text, "conversation_id": source_id, "lang": "en",
                              "public_metrics": {"retweet_count": int(likes * 0.3) + 1, "reply_count": int(likes * 0.05), "like_count": likes, "quote_count": 0}}
                    if source_entities:
                        source["entities"] = source_entities
                    referenced_by_id[source_id] = source
                    include_users[other] = other_user
                    tweet["text"] = f"RT @{other_user['username']}: {source_text}"
                    tweet["entities"] = {"mentions": [{"start": 3, "end": 4 + len(other_user["username"]), "username": other_user["username"]}]}
                    tweet["referenced_tweets"] = [{"type": "retweeted", "id": source_id}]
                    # In API v2 a retweet carries the source tweet's counts, and its likes are 0.
                    tweet["public_metrics"] = {"retweet_count": source["public_metrics"]["retweet_count"], "reply_count": 0, "like_count": 0, "quote_count": 0}
                else:
                    scale = base_likes * (0.4 if kind == "reply" else 1.0)
                    likes = int(rng.negative_binomial(1.5, 1.5 / (1.5 + scale)))
                    reposts = int(rng.negative_binomial(1.5, 1.5 / (1.5 + 0.3 * scale * np.exp(0.3 * row.quality))))
                    replies = int(rng.negative_binomial(1.5, 1.5 / (1.5 + 0.12 * scale * np.exp(0.8 * row.conversation))))
                    quotes = int(rng.binomial(reposts, 0.08)) if reposts else 0
                    text_mentions = list(mentions)
                    if kind == "reply":
                        text_mentions.insert(0, other_user["username"])
                    text, entities = _text(rng, text_mentions, hashtags, url)
                    tweet["text"] = text
                    if entities:
                        tweet["entities"] = entities
                    tweet["public_metrics"] = {"retweet_count": reposts, "reply_count": replies, "like_count": likes, "quote_count": quotes}
                    if kind in ("reply", "quote"):
                        parent_created = created - timedelta(minutes=float(rng.uniform(1, 600)))
                        parent_id = snowflake(parent_created, sequence + 3_000_000)
                        parent = {"id": parent_id, "author_id": other, "created_at": _iso(parent_created), "text": "Simulated post", "conversation_id": parent_id, "lang": "en",
                                  "public_metrics": {"retweet_count": 0, "reply_count": 1, "like_count": 1, "quote_count": 0}}
                        referenced_by_id[parent_id] = parent
                        include_users[other] = other_user
                        tweet["referenced_tweets"] = [{"type": "replied_to" if kind == "reply" else "quoted", "id": parent_id}]
                        if kind == "reply":
                            tweet["in_reply_to_user_id"] = other
                            tweet["conversation_id"] = parent_id
                    if rng.random() < (0.35 if row.archetype != "automated_feed" else 0.6):
                        tweet["attachments"] = {"media_keys": [f"3_{tweet_id}"]}
                tweets.append(tweet)
            for start in range(0, len(tweets), 100):
                page_tweets = tweets[start : start + 100]
                page_refs = [referenced_by_id[ref["id"]] for t in page_tweets for ref in t.get("referenced_tweets", [])]
                authors = {row.x_user_id} | {t["author_id"] for t in page_refs}
                mentioned = {m["username"] for t in page_tweets for m in t.get("entities", {}).get("mentions", [])}
                users = [u for uid, u in include_users.items() if uid in authors or u["username"] in mentioned]
                page = {
                    "data": page_tweets,
                    "includes": {"users": users, "tweets": page_refs},
                    "meta": {"result_count": len(page_tweets), "newest_id": page_tweets[0]["id"], "oldest_id": page_tweets[-1]["id"]},
                    "__twarc": {"url": f"https://api.twitter.com/2/users/{row.x_user_id}/tweets?max_results=100&tweet.fields=created_at,public_metrics,entities,referenced_tweets,attachments", **_TWARC, "retrieved_at": retrieved},
                }
                timeline_file.write(json.dumps(page, ensure_ascii=False) + "\n")
                counts["pages"] += 1
            counts["tweets"] += len(tweets)
    with open(x_dir / "users.jsonl", "w", encoding="utf-8") as users_file:
        ordered = [nominee_users[uid] for uid in nominees["x_user_id"]]
        for start in range(0, len(ordered), 100):
            page = {"data": ordered[start : start + 100], "__twarc": {"url": _USER_FIELDS_URL, **_TWARC, "retrieved_at": retrieved}}
            users_file.write(json.dumps(page, ensure_ascii=False) + "\n")
            counts["pages"] += 1
    return counts
