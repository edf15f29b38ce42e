"""Write a simulated year's X activity as twarc2 writes X API v2 responses.

Shape follows the real files in ``shared/fixtures/x-api-v2`` (captured with twarc2): one
response page per line with ``data``, ``includes.users``, ``includes.tweets``, ``meta``
and ``__twarc``; string ids; ``created_at`` as ``2024-03-01T09:15:02.000Z``;
``public_metrics`` (with ``impression_count``, as the API has given since 2022);
``entities.mentions``/``hashtags``/``urls``; ``referenced_tweets``. Three files:

- ``x/timelines.jsonl``: each nominee's timeline (``GET /2/users/:id/tweets``), newest
  first, 100 tweets a page;
- ``x/engagement.jsonl``: a search for replies, quotes and retweets of the nominees
  (``GET /2/tweets/search/all``), 100 tweets a page;
- ``x/users.jsonl``: a user look-up of the nominees (``GET /2/users``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from src.simulate.events import CHAT_TAG, YearActivity, snowflake_ids

_TWARC_VERSION = "2.0.13"
_HASHTAGS = (
    "NHS",
    "nursing",
    "WeNurses",
    "patientsafety",
    "MentalHealth",
    "GPs",
    "AHPs",
    "QI",
    "carers",
    "NHSWorkforce",
)
_WORDS = (
    "handover",
    "ward",
    "rota",
    "patients",
    "team",
    "clinic",
    "safety",
    "learning",
    "pathway",
    "discharge",
    "winter",
    "pressures",
    "audit",
    "community",
    "care",
    "evidence",
    "staff",
    "wellbeing",
    "quality",
    "service",
)
_TIMELINE_URL = "https://api.twitter.com/2/users/{id}/tweets?max_results=100&expansions=author_id,referenced_tweets.id,referenced_tweets.id.author_id,entities.mentions.username&tweet.fields=created_at,public_metrics,entities,referenced_tweets,attachments,conversation_id,in_reply_to_user_id,lang"
_SEARCH_URL = "https://api.twitter.com/2/tweets/search/all?max_results=100&query=to%3A{handle}%20OR%20retweets_of%3A{handle}%20OR%20quotes_of%3A{handle}&expansions=author_id,referenced_tweets.id,referenced_tweets.id.author_id"
_USERS_URL = "https://api.twitter.com/2/users?user.fields=created_at,description,id,name,public_metrics,username"


def iso(seconds: int | float) -> str:
    """X API time text for Unix seconds."""
    return datetime.fromtimestamp(int(seconds), tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def user_object(
    user_id: str,
    handle: str,
    name: str,
    followers: int,
    *,
    following: int,
    listed: int,
    tweets: int,
    created: str,
    description: str,
) -> dict[str, Any]:
    """A v2 user object with ``public_metrics``."""
    return {
        "id": user_id,
        "username": handle,
        "name": name,
        "description": description,
        "created_at": created,
        "protected": False,
        "verified": False,
        "public_metrics": {
            "followers_count": int(followers),
            "following_count": int(following),
            "tweet_count": int(tweets),
            "listed_count": int(listed),
        },
    }


class _Text:
    """Invented post texts, drawn from a fixed pool so writing stays fast."""

    def __init__(self, rng: np.random.Generator, size: int = 400) -> None:
        self.sentences = [
            " ".join(rng.choice(_WORDS, size=int(rng.integers(6, 16)))).capitalize()
            for _ in range(size)
        ]
        self.rng = rng

    def make(
        self, mentions: list[str], hashtags: list[str], url: str | None
    ) -> tuple[str, dict[str, Any]]:
        """Text with its entities; offsets index into the text as the API's do."""
        tokens = [("mention", f"@{m}") for m in mentions] + [
            ("text", self.sentences[int(self.rng.integers(len(self.sentences)))])
        ]
        tokens += [("hashtag", f"#{t}") for t in hashtags] + ([("url", url)] if url else [])
        entities: dict[str, list[dict[str, Any]]] = {}
        cursor = 0
        for kind, token in tokens:
            span = {"start": cursor, "end": cursor + len(token)}
            if kind == "mention":
                entities.setdefault("mentions", []).append({**span, "username": token[1:]})
            elif kind == "hashtag":
                entities.setdefault("hashtags", []).append({**span, "tag": token[1:]})
            elif kind == "url":
                entities.setdefault("urls", []).append(
                    {
                        **span,
                        "url": token,
                        "expanded_url": token.replace(
                            "https://t.co/", "https://example.nhs.invalid/"
                        ),
                        "display_url": "example.nhs.invalid",
                    }
                )
            cursor += len(token) + 1
        return " ".join(token for _, token in tokens), entities


def nominee_user_objects(nominees: pd.DataFrame, rng: np.random.Generator) -> list[dict[str, Any]]:
    """The nominees' X user objects (profile and public_metrics), in nominee order."""
    users = []
    for row in nominees.itertuples():
        users.append(
            user_object(
                row.x_user_id,
                row.x_handle,
                row.name,
                row.followers,
                following=int(row.followers * np.exp(rng.normal(-0.3, 0.5))) + 10,
                listed=int(row.followers * 0.015 * np.exp(0.4 * row.quality + rng.normal(0, 0.3))),
                tweets=int(row.activity * 365 * (3 + rng.integers(0, 6))),
                created=f"{2009 + int(rng.integers(0, 8))}-{1 + int(rng.integers(0, 12)):02d}-01T00:00:00.000Z",
                description=f"Simulated {row.category} account for the bundled sample. Not a real person.",
            )
        )
    return users


def write_x(
    out_dir: Path,
    activity: YearActivity,
    nominees: pd.DataFrame,
    audience: pd.DataFrame,
    nominee_users: list[dict[str, Any]],
    rng: np.random.Generator,
) -> dict[str, int]:
    """Write ``x/timelines.jsonl``, ``x/engagement.jsonl`` and ``x/users.jsonl``; return counts."""
    x_dir = out_dir / "x"
    x_dir.mkdir(parents=True, exist_ok=True)
    retrieved = activity.window_end.replace(hour=3).isoformat().replace("+00:00", "+00:00")
    text = _Text(rng)
    aud_ids = audience["x_user_id"].to_numpy()
    aud_handles = audience["handle"].to_numpy()
    aud_followers = audience["followers"].to_numpy()

    def audience_user(i: int) -> dict[str, Any]:
        f = int(aud_followers[i])
        return user_object(
            aud_ids[i],
            aud_handles[i],
            f"Simulated user {i}",
            f,
            following=int(f * 0.8) + 20,
            listed=f // 200,
            tweets=f * 3 + 50,
            created="2015-01-01T00:00:00.000Z",
            description="Simulated account",
        )

    posts = activity.posts
    # Plain arrays: per-row pandas look-ups would dominate the writing time.
    cols = {name: posts[name].to_numpy() for name in posts.columns}
    tweet_json: dict[int, dict[str, Any]] = {}  # nominee tweet id -> its JSON (for includes)
    row_of_tweet = dict(zip(posts["tweet_id"].tolist(), range(len(posts))))
    # Audience posts that nominees reply to, quote or repost (for includes.tweets).
    aimed_rows = np.flatnonzero(posts["target_audience"].to_numpy() >= 0)
    parent_ids = snowflake_ids(
        posts["created"].to_numpy()[aimed_rows] - rng.integers(600, 86400, size=len(aimed_rows)),
        rng,
    )
    parents = {}
    for row, parent_id in zip(aimed_rows, parent_ids):
        target = int(cols["target_audience"][row])
        parent_text, parent_entities = text.make([], [], None)
        parents[row] = {
            "id": str(parent_id),
            "author_id": aud_ids[target],
            "created_at": iso(cols["created"][row] - 600),
            "text": parent_text,
            "conversation_id": str(parent_id),
            "lang": "en",
            "public_metrics": {
                "retweet_count": int(rng.poisson(2)),
                "reply_count": int(rng.poisson(1)) + 1,
                "like_count": int(rng.poisson(4)),
                "quote_count": 0,
                "impression_count": int(rng.poisson(300)),
            },
        }
    counts = {"tweets": 0, "pages": 0, "engagement_tweets": 0}
    by_author = posts.groupby("author", sort=True).groups
    communities = nominees["community"].to_numpy()
    with open(x_dir / "timelines.jsonl", "w", encoding="utf-8") as handle:
        for author in range(len(nominees)):
            if author not in by_author:
                continue
            rows = sorted(by_author[author], key=lambda r: (-cols["created"][r], r))
            me = nominee_users[author]
            page_tweets: list[dict[str, Any]] = []
            page_refs: dict[str, dict[str, Any]] = {}
            page_users: dict[str, dict[str, Any]] = {me["id"]: me}

            def flush() -> None:
                if not page_tweets:
                    return
                page = {
                    "data": list(page_tweets),
                    "includes": {
                        "users": list(page_users.values()),
                        "tweets": list(page_refs.values()),
                    },
                    "meta": {
                        "result_count": len(page_tweets),
                        "newest_id": page_tweets[0]["id"],
                        "oldest_id": page_tweets[-1]["id"],
                    },
                    "__twarc": {
                        "url": _TIMELINE_URL.format(id=me["id"]),
                        "version": _TWARC_VERSION,
                        "retrieved_at": retrieved,
                    },
                }
                handle.write(json.dumps(page, ensure_ascii=False) + "\n")
                counts["pages"] += 1
                page_tweets.clear(), page_refs.clear(), page_users.clear()
                page_users[me["id"]] = me

            for row in rows:
                tweet = _nominee_tweet(
                    row,
                    cols,
                    communities,
                    nominee_users,
                    audience_user,
                    parents,
                    tweet_json,
                    row_of_tweet,
                    text,
                    page_refs,
                    page_users,
                    rng,
                )
                tweet_json[int(cols["tweet_id"][row])] = tweet
                page_tweets.append(tweet)
                if len(page_tweets) == 100:
                    flush()
            flush()
            counts["tweets"] += len(rows)
    # The audience's replies, quotes and retweets of nominee posts, as a search export.
    events = activity.events.assign(
        target=posts["author"].to_numpy()[activity.events["post"].to_numpy()]
    )
    with open(x_dir / "engagement.jsonl", "w", encoding="utf-8") as handle:
        for target, group in events.groupby("target", sort=True):
            me = nominee_users[int(target)]
            rows = group.sort_values(["created", "tweet_id"], ascending=False, kind="stable")
            for start in range(0, len(rows), 100):
                chunk = rows.iloc[start : start + 100]
                data, users, refs = [], {me["id"]: me}, {}
                for event in chunk.itertuples():
                    original = tweet_json[int(cols["tweet_id"][event.post])]
                    refs[original["id"]] = original
                    user = audience_user(int(event.engager))
                    users[user["id"]] = user
                    data.append(_engagement_tweet(event, original, me, user, text, rng))
                page = {
                    "data": data,
                    "includes": {"users": list(users.values()), "tweets": list(refs.values())},
                    "meta": {
                        "result_count": len(data),
                        "newest_id": data[0]["id"],
                        "oldest_id": data[-1]["id"],
                    },
                    "__twarc": {
                        "url": _SEARCH_URL.format(handle=me["username"]),
                        "version": _TWARC_VERSION,
                        "retrieved_at": retrieved,
                    },
                }
                handle.write(json.dumps(page, ensure_ascii=False) + "\n")
                counts["pages"] += 1
                counts["engagement_tweets"] += len(data)
    with open(x_dir / "users.jsonl", "w", encoding="utf-8") as handle:
        for start in range(0, len(nominee_users), 100):
            page = {
                "data": nominee_users[start : start + 100],
                "__twarc": {
                    "url": _USERS_URL,
                    "version": _TWARC_VERSION,
                    "retrieved_at": retrieved,
                },
            }
            handle.write(json.dumps(page, ensure_ascii=False) + "\n")
            counts["pages"] += 1
    return counts


def _nominee_tweet(
    row,
    cols,
    communities,
    nominee_users,
    audience_user,
    parents,
    tweet_json,
    row_of_tweet,
    text,
    page_refs,
    page_users,
    rng,
) -> dict[str, Any]:
    post = {name: values[row] for name, values in cols.items()}
    author = int(post["author"])
    kind = post["kind"]
    tweet_id = str(int(post["tweet_id"]))
    tweet: dict[str, Any] = {
        "id": tweet_id,
        "author_id": nominee_users[author]["id"],
        "created_at": iso(post["created"]),
        "conversation_id": tweet_id,
        "lang": "en",
        "reply_settings": "everyone",
        "possibly_sensitive": False,
    }
    # The other party of a reply, repost or quote: an audience post or another nominee's post.
    if kind != "original":
        if int(post["target_nominee"]) >= 0:
            target_user = nominee_users[int(post["target_nominee"])]
            referenced = tweet_json.get(int(post["referenced_tweet"])) or _minimal_tweet(
                cols, row_of_tweet[int(post["referenced_tweet"])], target_user
            )
        else:
            target_user = audience_user(int(post["target_audience"]))
            referenced = parents[row]
        page_refs[referenced["id"]] = referenced
        page_users[target_user["id"]] = target_user
    mentions = []
    if int(post["mention_audience"]) >= 0:
        mentioned = audience_user(int(post["mention_audience"]))
        page_users[mentioned["id"]] = mentioned
        mentions.append(mentioned["username"])
    community = communities[author]
    hashtags = (
        [CHAT_TAG[community]]
        if post["chat"]
        else [
            _HASHTAGS[i]
            for i in rng.choice(len(_HASHTAGS), size=int(post["hashtag_count"]), replace=False)
        ]
    )
    if kind == "repost":
        body = referenced.get("text", "")
        tweet["text"] = f"RT @{target_user['username']}: {body}"
        tweet["entities"] = {
            "mentions": [
                {
                    "start": 3,
                    "end": 4 + len(target_user["username"]),
                    "username": target_user["username"],
                }
            ]
        }
        tweet["referenced_tweets"] = [{"type": "retweeted", "id": referenced["id"]}]
        metrics = referenced.get("public_metrics", {})
        # In API v2 a retweet carries the source tweet's retweet count; its own likes are 0.
        tweet["public_metrics"] = {
            "retweet_count": int(metrics.get("retweet_count", 0)),
            "reply_count": 0,
            "like_count": 0,
            "quote_count": 0,
            "impression_count": 0,
        }
        return tweet
    url = f"https://t.co/{tweet_id[-8:]}" if post["has_url"] else None
    lead = [target_user["username"]] if kind == "reply" else []
    body, entities = text.make(lead + mentions, hashtags, url)
    tweet["text"] = body
    if entities:
        tweet["entities"] = entities
    tweet["public_metrics"] = {
        "retweet_count": int(post["reposts"]),
        "reply_count": int(post["replies"]),
        "like_count": int(post["likes"]),
        "quote_count": int(post["quotes"]),
        "impression_count": int(post["impressions"]),
    }
    if kind in ("reply", "quote"):
        tweet["referenced_tweets"] = [
            {"type": "replied_to" if kind == "reply" else "quoted", "id": referenced["id"]}
        ]
        if kind == "reply":
            tweet["in_reply_to_user_id"] = target_user["id"]
            tweet["conversation_id"] = referenced.get("conversation_id", referenced["id"])
    if post["has_media"]:
        tweet["attachments"] = {"media_keys": [f"3_{tweet_id}"]}
    return tweet


def _minimal_tweet(cols: dict[str, np.ndarray], row: int, author: dict[str, Any]) -> dict[str, Any]:
    """A nominee post as an ``includes.tweets`` expansion, before its own page is written."""
    post = {name: values[row] for name, values in cols.items()}
    return {
        "id": str(int(post["tweet_id"])),
        "author_id": author["id"],
        "created_at": iso(post["created"]),
        "text": "Simulated post",
        "public_metrics": {
            "retweet_count": int(post["reposts"]),
            "reply_count": int(post["replies"]),
            "like_count": int(post["likes"]),
            "quote_count": int(post["quotes"]),
            "impression_count": int(post["impressions"]),
        },
    }


def _engagement_tweet(
    event,
    original: dict[str, Any],
    nominee: dict[str, Any],
    user: dict[str, Any],
    text: _Text,
    rng: np.random.Generator,
) -> dict[str, Any]:
    tweet_id = str(int(event.tweet_id))
    tweet: dict[str, Any] = {
        "id": tweet_id,
        "author_id": user["id"],
        "created_at": iso(event.created),
        "conversation_id": original.get("conversation_id", original["id"]),
        "lang": "en",
    }
    if event.kind == "repost":
        tweet["text"] = f"RT @{nominee['username']}: {original['text']}"
        tweet["entities"] = {
            "mentions": [
                {"start": 3, "end": 4 + len(nominee["username"]), "username": nominee["username"]}
            ]
        }
        tweet["referenced_tweets"] = [{"type": "retweeted", "id": original["id"]}]
        tweet["public_metrics"] = {
            "retweet_count": original["public_metrics"]["retweet_count"],
            "reply_count": 0,
            "like_count": 0,
            "quote_count": 0,
            "impression_count": 0,
        }
        return tweet
    body, entities = text.make([nominee["username"]] if event.kind == "reply" else [], [], None)
    tweet["text"] = body
    if entities:
        tweet["entities"] = entities
    tweet["referenced_tweets"] = [
        {"type": "replied_to" if event.kind == "reply" else "quoted", "id": original["id"]}
    ]
    if event.kind == "reply":
        tweet["in_reply_to_user_id"] = nominee["id"]
    else:
        tweet["conversation_id"] = tweet_id
    tweet["public_metrics"] = {
        "retweet_count": 0,
        "reply_count": 0,
        "like_count": int(rng.poisson(0.8)),
        "quote_count": 0,
        "impression_count": int(rng.poisson(60)),
    }
    return tweet
