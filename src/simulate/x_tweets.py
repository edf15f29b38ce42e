"""The tweets of the simulated X export, as X API v2 tweet objects.

A nominee's tweets (:class:`NomineeTweets`: originals, replies, quotes and retweets,
with the audience posts they answer as ``includes.tweets``) and the audience's
engagement with them (:func:`engagement_tweet`); :mod:`src.simulate.x_writer` puts them
on response pages. Every draw comes from the generator passed in, in the order the
writer calls: the same seed gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from src.simulate.events import CHAT_TAG, snowflake_ids
from src.simulate.texts import PostTexts, iso

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

#: An audience member's user object by audience position.
AudienceUser = Callable[[int], dict[str, Any]]


def audience_parents(
    posts: pd.DataFrame,
    audience_ids: np.ndarray,
    text: PostTexts,
    rng: np.random.Generator,
) -> dict[int, dict[str, Any]]:
    """The audience posts that nominees reply to, quote or repost (for
    ``includes.tweets``), by the row of the nominee's post in ``posts``."""
    created = posts["created"].to_numpy()
    target_audience = posts["target_audience"].to_numpy()
    aimed_rows = np.flatnonzero(target_audience >= 0)
    parent_ids = snowflake_ids(
        created[aimed_rows] - rng.integers(600, 86400, size=len(aimed_rows)), rng
    )
    parents: dict[int, dict[str, Any]] = {}
    for row, parent_id in zip(aimed_rows.tolist(), parent_ids, strict=True):
        target = int(target_audience[row])
        parent_text, _ = text.make([], [], None)
        parents[row] = {
            "id": str(parent_id),
            "author_id": audience_ids[target],
            "created_at": iso(created[row] - 600),
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
    return parents


@dataclass
class NomineeTweets:
    """Makes the nominees' tweets of a year, one post (a row of the posts) at a time.

    ``cols`` are the year's nominee posts as plain arrays by column (per-row pandas
    look-ups would dominate the writing time); ``parents`` the audience posts they answer
    (:func:`audience_parents`). ``written`` collects every tweet made, by tweet id, so a
    later tweet can include the nominee post it references.
    """

    cols: dict[str, np.ndarray]
    communities: np.ndarray  #: community per nominee (chat hashtags)
    nominee_users: list[dict[str, Any]]  #: user object per nominee
    audience_user: AudienceUser
    parents: dict[int, dict[str, Any]]
    row_of_tweet: dict[int, int]  #: row in ``cols`` by tweet id
    text: PostTexts
    rng: np.random.Generator
    written: dict[int, dict[str, Any]] = field(default_factory=dict)

    def tweet(
        self, row: int, page_refs: dict[str, dict[str, Any]], page_users: dict[str, dict[str, Any]]
    ) -> dict[str, Any]:
        """The tweet of post ``row`` (kept in ``written``); the tweets and users it
        references are added to its page's ``page_refs`` and ``page_users``."""
        tweet = self._make(row, page_refs, page_users)
        self.written[int(self.cols["tweet_id"][row])] = tweet
        return tweet

    def _make(
        self, row: int, page_refs: dict[str, dict[str, Any]], page_users: dict[str, dict[str, Any]]
    ) -> dict[str, Any]:
        cols, rng = self.cols, self.rng
        post = {name: values[row] for name, values in cols.items()}
        author = int(post["author"])
        kind = post["kind"]
        tweet_id = str(int(post["tweet_id"]))
        tweet: dict[str, Any] = {
            "id": tweet_id,
            "author_id": self.nominee_users[author]["id"],
            "created_at": iso(post["created"]),
            "conversation_id": tweet_id,
            "lang": "en",
            "reply_settings": "everyone",
            "possibly_sensitive": False,
        }
        # The other party of a reply, repost or quote: an audience post or another
        # nominee's post.
        if kind != "original":
            if int(post["target_nominee"]) >= 0:
                target_user = self.nominee_users[int(post["target_nominee"])]
                referenced = self.written.get(int(post["referenced_tweet"])) or minimal_tweet(
                    cols, self.row_of_tweet[int(post["referenced_tweet"])], target_user
                )
            else:
                target_user = self.audience_user(int(post["target_audience"]))
                referenced = self.parents[row]
            page_refs[referenced["id"]] = referenced
            page_users[target_user["id"]] = target_user
        mentions = []
        if int(post["mention_audience"]) >= 0:
            mentioned = self.audience_user(int(post["mention_audience"]))
            page_users[mentioned["id"]] = mentioned
            mentions.append(mentioned["username"])
        hashtags = (
            [CHAT_TAG[self.communities[author]]]
            if post["chat"]
            else [
                _HASHTAGS[i]
                for i in rng.choice(len(_HASHTAGS), size=int(post["hashtag_count"]), replace=False)
            ]
        )
        if kind == "repost":
            _as_retweet(tweet, target_user, referenced)
            return tweet
        url = f"https://t.co/{tweet_id[-8:]}" if post["has_url"] else None
        lead = [target_user["username"]] if kind == "reply" else []
        body, entities = self.text.make(lead + mentions, hashtags, url)
        tweet["text"] = body
        if entities:
            tweet["entities"] = entities
        tweet["public_metrics"] = _metrics_of(post)
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


def _metrics_of(post: dict[str, Any]) -> dict[str, int]:
    """A nominee post's ``public_metrics``."""
    return {
        "retweet_count": int(post["reposts"]),
        "reply_count": int(post["replies"]),
        "like_count": int(post["likes"]),
        "quote_count": int(post["quotes"]),
        "impression_count": int(post["impressions"]),
    }


def _as_retweet(
    tweet: dict[str, Any], target_user: dict[str, Any], referenced: dict[str, Any]
) -> None:
    """Fill ``tweet`` as a retweet of ``referenced`` (by ``target_user``)."""
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


def minimal_tweet(cols: dict[str, np.ndarray], row: int, author: dict[str, Any]) -> dict[str, Any]:
    """A nominee post as an ``includes.tweets`` expansion, before its own page is written."""
    post = {name: values[row] for name, values in cols.items()}
    return {
        "id": str(int(post["tweet_id"])),
        "author_id": author["id"],
        "created_at": iso(post["created"]),
        "text": "Simulated post",
        "public_metrics": _metrics_of(post),
    }


def engagement_tweet(
    event: Any,
    original: dict[str, Any],
    nominee: dict[str, Any],
    user: dict[str, Any],
    text: PostTexts,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """An audience member's (``user``) reply, quote or retweet of a nominee's tweet
    (``original``); ``event`` is its row of the year's engagement events."""
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
