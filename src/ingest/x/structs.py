"""The shapes the typed path decodes a page of tweets into (msgspec structs).

Declared stricter than the reader, never looser (see :mod:`src.ingest.x.typed`): a
page they do not fit is read by the general path, whose checks name what is wrong.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

#: A count: a whole number ≥ 0 within int64.
Count = Annotated[int, Meta(ge=0, le=2**63 - 1)]


class Metrics(Struct, gc=False):
    """A tweet's ``public_metrics``: the four counts are required."""

    like_count: Count
    retweet_count: Count
    reply_count: Count
    quote_count: Count
    impression_count: Count | None = None


class Reference(Struct, gc=False):
    """One of ``referenced_tweets``."""

    type: str
    id: str


class Hashtag(Struct, gc=False):
    tag: str | None = None


class Mention(Struct, gc=False):
    id: str | None = None
    username: str | None = None


class Link(Struct, gc=False):
    url: str | None = None
    expanded_url: str | None = None


class Entities(Struct, gc=False):
    hashtags: list[Hashtag] | None = None
    mentions: list[Mention] | None = None
    urls: list[Link] | None = None


class Attachments(Struct, gc=False):
    media_keys: list[Any] | None = None


class Tweet(Struct, gc=False):
    """A tweet of ``data``: the fields :func:`typed_tweet_row` reads."""

    id: str
    author_id: str
    created_at: str
    text: str
    public_metrics: Metrics
    referenced_tweets: list[Reference] | None = None
    entities: Entities | None = None
    in_reply_to_user_id: str | None = None
    attachments: Attachments | None = None
    lang: str | None = None
    edit_history_tweet_ids: list[str] | None = None


class UserMetrics(Struct, forbid_unknown_fields=True, gc=False):
    """A user's ``public_metrics``; UNSET tells a missing field from a null one."""

    followers_count: Count | None | UnsetType = UNSET
    following_count: Count | None | UnsetType = UNSET
    listed_count: Count | None | UnsetType = UNSET
    tweet_count: Count | None | UnsetType = UNSET
    like_count: Any = UNSET
    media_count: Any = UNSET

    def has_fields(self) -> bool:
        """True when the object held at least one field (the reader's ``bool(metrics)``)."""
        return any(getattr(self, name) is not UNSET for name in self.__struct_fields__)


class User(Struct, gc=False):
    """A user of ``includes.users``: the fields :func:`typed_user_row` reads."""

    id: str
    username: str
    name: str | None = None
    description: str | None = None
    created_at: str | None = None
    public_metrics: UserMetrics | None = None


class IncludedTweet(Struct, gc=False):
    """A tweet of ``includes.tweets``: only its id, author and edit history are read."""

    id: str
    author_id: str | None = None
    edit_history_tweet_ids: list[str] | None = None


class Includes(Struct, gc=False):
    users: list[User] | None = None
    tweets: list[IncludedTweet] | None = None


class Twarc(Struct, gc=False):
    retrieved_at: str | None = None


class Page(Struct, gc=False):
    """A response page of tweets. ``data`` is None for pages this path does not read."""

    data: list[Tweet] | None = None
    includes: Includes | None = None
    errors: list[Any] | None = None
    twarc: Twarc | None = msgspec.field(default=None, name="__twarc")
