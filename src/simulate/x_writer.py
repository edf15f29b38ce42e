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
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from src.simulate.events import YearActivity
from src.simulate.texts import PostTexts
from src.simulate.x_tweets import (
    AudienceUser,
    NomineeTweets,
    audience_parents,
    engagement_tweet,
)

_TWARC_VERSION = "2.0.13"
_PAGE_SIZE = 100  #: tweets per response page (the API's max_results)
#: The requests twarc2 would have made (written into each page's ``__twarc.url``).
_TIMELINE_URL = (
    "https://api.twitter.com/2/users/{id}/tweets?max_results=100"
    "&expansions=author_id,referenced_tweets.id,referenced_tweets.id.author_id,"
    "entities.mentions.username"
    "&tweet.fields=created_at,public_metrics,entities,referenced_tweets,attachments,"
    "conversation_id,in_reply_to_user_id,lang"
)
_SEARCH_URL = (
    "https://api.twitter.com/2/tweets/search/all?max_results=100"
    "&query=to%3A{handle}%20OR%20retweets_of%3A{handle}%20OR%20quotes_of%3A{handle}"
    "&expansions=author_id,referenced_tweets.id,referenced_tweets.id.author_id"
)
_USERS_URL = (
    "https://api.twitter.com/2/users"
    "?user.fields=created_at,description,id,name,public_metrics,username"
)


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
                created=(
                    f"{2009 + int(rng.integers(0, 8))}-{1 + int(rng.integers(0, 12)):02d}"
                    "-01T00:00:00.000Z"
                ),
                description=(
                    f"Simulated {row.category} account for the bundled sample. Not a real person."
                ),
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
    retrieved = activity.window_end.replace(hour=3).isoformat()
    text = PostTexts(rng)
    posts = activity.posts
    tweets = NomineeTweets(
        cols={name: posts[name].to_numpy() for name in posts.columns},
        communities=nominees["community"].to_numpy(),
        nominee_users=nominee_users,
        audience_user=_audience_users(audience),
        parents=audience_parents(posts, audience["x_user_id"].to_numpy(), text, rng),
        row_of_tweet=dict(zip(posts["tweet_id"].tolist(), range(len(posts)), strict=True)),
        text=text,
        rng=rng,
    )
    counts = {"tweets": 0, "pages": 0, "engagement_tweets": 0}
    with open(x_dir / "timelines.jsonl", "w", encoding="utf-8") as handle:
        _write_timelines(handle, tweets, posts, len(nominees), retrieved, counts)
    with open(x_dir / "engagement.jsonl", "w", encoding="utf-8") as handle:
        _write_engagement(handle, tweets, activity, retrieved, counts)
    with open(x_dir / "users.jsonl", "w", encoding="utf-8") as handle:
        _write_users(handle, nominee_users, retrieved, counts)
    return counts


def _audience_users(audience: pd.DataFrame) -> AudienceUser:
    """The audience members' user objects, made on demand by audience position."""
    ids = audience["x_user_id"].to_numpy()
    handles = audience["handle"].to_numpy()
    followers = audience["followers"].to_numpy()

    def audience_user(i: int) -> dict[str, Any]:
        f = int(followers[i])
        return user_object(
            ids[i],
            handles[i],
            f"Simulated user {i}",
            f,
            following=int(f * 0.8) + 20,
            listed=f // 200,
            tweets=f * 3 + 50,
            created="2015-01-01T00:00:00.000Z",
            description="Simulated account",
        )

    return audience_user


def _twarc(url: str, retrieved: str) -> dict[str, str]:
    """The ``__twarc`` block twarc2 adds to every page it writes."""
    return {"url": url, "version": _TWARC_VERSION, "retrieved_at": retrieved}


def _write_page(handle: IO[str], page: dict[str, Any]) -> None:
    handle.write(json.dumps(page, ensure_ascii=False) + "\n")


def _search_page(
    tweets: list[dict[str, Any]],
    users: dict[str, dict[str, Any]],
    referenced: dict[str, dict[str, Any]],
    url: str,
    retrieved: str,
) -> dict[str, Any]:
    """A page of tweets as the timeline and search endpoints return it."""
    return {
        "data": tweets,
        "includes": {"users": list(users.values()), "tweets": list(referenced.values())},
        "meta": {
            "result_count": len(tweets),
            "newest_id": tweets[0]["id"],
            "oldest_id": tweets[-1]["id"],
        },
        "__twarc": _twarc(url, retrieved),
    }


def _write_timelines(
    handle: IO[str],
    tweets: NomineeTweets,
    posts: pd.DataFrame,
    nominee_count: int,
    retrieved: str,
    counts: dict[str, int],
) -> None:
    """Each nominee's timeline (``GET /2/users/:id/tweets``), newest first, in pages."""
    created = tweets.cols["created"]
    by_author = posts.groupby("author", sort=True).groups
    for author in range(nominee_count):
        if author not in by_author:
            continue
        rows = sorted(by_author[author], key=lambda r: (-created[r], r))
        me = tweets.nominee_users[author]
        for start in range(0, len(rows), _PAGE_SIZE):
            page_refs: dict[str, dict[str, Any]] = {}
            page_users = {me["id"]: me}
            page_tweets = [
                tweets.tweet(row, page_refs, page_users) for row in rows[start : start + _PAGE_SIZE]
            ]
            url = _TIMELINE_URL.format(id=me["id"])
            _write_page(handle, _search_page(page_tweets, page_users, page_refs, url, retrieved))
            counts["pages"] += 1
        counts["tweets"] += len(rows)


def _write_engagement(
    handle: IO[str],
    tweets: NomineeTweets,
    activity: YearActivity,
    retrieved: str,
    counts: dict[str, int],
) -> None:
    """The audience's replies, quotes and retweets of nominee posts, as a search export
    (``GET /2/tweets/search/all``), newest first, in pages per nominee."""
    posts, events = activity.posts, activity.events
    events = events.assign(target=posts["author"].to_numpy()[events["post"].to_numpy()])
    for target, group in events.groupby("target", sort=True):
        me = tweets.nominee_users[int(target)]
        rows = group.sort_values(["created", "tweet_id"], ascending=False, kind="stable")
        for start in range(0, len(rows), _PAGE_SIZE):
            chunk = rows.iloc[start : start + _PAGE_SIZE]
            data, users, refs = [], {me["id"]: me}, {}
            for event in chunk.itertuples():
                original = tweets.written[int(tweets.cols["tweet_id"][event.post])]
                refs[original["id"]] = original
                user = tweets.audience_user(int(event.engager))
                users[user["id"]] = user
                data.append(engagement_tweet(event, original, me, user, tweets.text, tweets.rng))
            url = _SEARCH_URL.format(handle=me["username"])
            _write_page(handle, _search_page(data, users, refs, url, retrieved))
            counts["pages"] += 1
            counts["engagement_tweets"] += len(data)


def _write_users(
    handle: IO[str], nominee_users: list[dict[str, Any]], retrieved: str, counts: dict[str, int]
) -> None:
    """A user look-up of the nominees (``GET /2/users``), in pages."""
    for start in range(0, len(nominee_users), _PAGE_SIZE):
        page = {
            "data": nominee_users[start : start + _PAGE_SIZE],
            "__twarc": _twarc(_USERS_URL, retrieved),
        }
        _write_page(handle, page)
        counts["pages"] += 1
