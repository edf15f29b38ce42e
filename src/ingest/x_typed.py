"""The fields of a twarc2 response page that the X reader uses, declared for msgspec.

Decoding a page straight into these structs (msgspec, https://jcristharif.com/msgspec/)
checks the types of the fields the reader keeps in C and skips the rest without building
Python objects for them: at 1M posts it replaces ``orjson.loads`` plus most of the
per-tweet type checks (about 10 s of 24 s). It is only a fast path. A page these
declarations do not fit (a wrong type anywhere, a user look-up or flattened page, a
count out of range) fails to decode, and :mod:`src.ingest.x_api` reads that line again
with orjson and its own checks, which name what is wrong. The declarations are therefore
stricter than the reader, never looser:

- every count is a whole number within int64 (orjson returns larger ones up to 2**64 - 1
  as ``int`` and beyond that floats; those rare values take the general path);
- a user's ``public_metrics`` may hold only the fields listed, so that "present but
  empty" (``{}``) can be told from "has fields" as the reader does (``bool(metrics)``);
- optional fields default to ``None`` where the reader treats missing and null alike.

msgspec does not check UTF-8 as orjson does, so :func:`decode_page` sends any line that
is not plain ASCII through a UTF-8 check first. One difference remains, on purpose: a
number beyond the range of a double (``1e400``, valid JSON) in a field the reader does
not use is skipped here, where orjson would refuse the whole line.
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
    """A tweet of ``data``: what :func:`src.ingest.x_api._fast_tweet_row` reads."""

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
    """A user of ``includes.users``: what :func:`src.ingest.x_api._fast_user_row` reads."""

    id: str
    username: str
    name: str | None = None
    description: str | None = None
    created_at: str | None = None
    public_metrics: UserMetrics | None = None


class IncludedTweet(Struct, gc=False):
    """A tweet of ``includes.tweets``: only its id and author are read."""

    id: str
    author_id: str | None = None


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


_decoder = msgspec.json.Decoder(Page)


def decode_page(raw: bytes) -> Page | None:
    """``raw`` (one line of a twarc2 file) as a :class:`Page` of tweets, or None when the
    line must be read by the general path (not a tweet page, or not well formed)."""
    if not raw.isascii():
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        page = _decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    return page if page.data is not None else None
