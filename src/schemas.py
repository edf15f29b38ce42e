"""The canonical tables, declared once, and the check applied at every boundary.

Readers build these tables from raw exports; features, models and reports read them.
Each is a pandera schema; :func:`validate` runs it and turns the first violations into
one :class:`SchemaViolation` that names the table, where it came from, the record (by
its key) and the field.

Times are UTC (``datetime64[us, UTC]``). Account ids are ``<platform>:<native id>`` for
nominees and ``anon:<hash>`` for everyone else (see :mod:`src.ingest.pseudonymise`).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from src.errors import PipelineError

UTC_TIME = pd.DatetimeTZDtype("us", "UTC")

PLATFORMS = ("x", "bluesky", "mastodon", "blog")
POST_KINDS = ("original", "reply", "repost", "quote")
INTERACTION_KINDS = ("reply", "mention", "repost", "quote")
#: Nominee categories, as the panel's lists group them.
CATEGORIES = (
    "nurse",
    "doctor",
    "allied health professional",
    "manager",
    "patient or carer",
    "organisation",
    "other",
)

#: The check of every count column: a count is never negative.
NON_NEGATIVE = pa.Check.ge(0)
#: The engagement counts of a post. A platform may lack one (a Mastodon server before 2.5
#: sends no ``replies_count``, Bluesky's App View sent no ``quoteCount`` before 2024): it is
#: then missing, never 0. A column with no missing value may stay ``int64`` (the X reader's
#: and the simulated sample's); one with missing values is the nullable ``Int64``.
ENGAGEMENT_COUNTS = ("likes", "reposts", "replies", "quotes")
#: Whether a column holds whole numbers (``int64``, or ``Int64`` with missing values).
WHOLE_NUMBERS = pa.Check(
    lambda column: pd.api.types.is_integer_dtype(column.dtype),
    element_wise=False,
    error="whole numbers (int64, or Int64 where a count may be missing)",
)


def _engagement_count() -> pa.Column:
    return pa.Column(None, nullable=True, checks=[WHOLE_NUMBERS, NON_NEGATIVE])


ACCOUNTS = pa.DataFrameSchema(
    {
        "account_id": pa.Column(str, unique=True),
        "platform": pa.Column(str, pa.Check.isin(PLATFORMS)),
        "handle": pa.Column(str, nullable=True),
        "name": pa.Column(str, nullable=True),
        "description": pa.Column(str, nullable=True),
        "followers": pa.Column("Int64", nullable=True, checks=NON_NEGATIVE),
        "following": pa.Column("Int64", nullable=True, checks=NON_NEGATIVE),
        "listed": pa.Column("Int64", nullable=True, checks=NON_NEGATIVE),
        "posts_total": pa.Column("Int64", nullable=True, checks=NON_NEGATIVE),
        "created_at": pa.Column(UTC_TIME, nullable=True),
        #: The account asks not to be shown to logged-out viewers (Bluesky's
        #: ``!no-unauthenticated`` self-label): reports must not name or quote it. False on
        #: platforms without such a setting. Optional, so tables written before it read.
        "hide_from_logged_out": pa.Column(bool, required=False),
        "is_nominee": pa.Column(bool),
        "nominee_id": pa.Column(str, nullable=True),
    },
    strict=True,
    ordered=True,
    name="accounts",
)

POSTS = pa.DataFrameSchema(
    {
        "post_id": pa.Column(str, unique=True),
        "account_id": pa.Column(str),
        "platform": pa.Column(str, pa.Check.isin(PLATFORMS)),
        "created_at": pa.Column(UTC_TIME),
        "kind": pa.Column(str, pa.Check.isin(POST_KINDS)),
        "text": pa.Column(str, nullable=True),
        "lang": pa.Column(str, nullable=True),
        "referenced_post_id": pa.Column(str, nullable=True),
        "reply_to_account_id": pa.Column(str, nullable=True),
        **{count: _engagement_count() for count in ENGAGEMENT_COUNTS},
        "impressions": pa.Column("Int64", nullable=True, checks=NON_NEGATIVE),
        "has_media": pa.Column(bool),
        "hashtags": pa.Column(object),
        "mentions": pa.Column(object),
        "urls": pa.Column(object),
    },
    strict=True,
    ordered=True,
    name="posts",
)

INTERACTIONS = pa.DataFrameSchema(
    {
        "source_account_id": pa.Column(str),
        "target_account_id": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(INTERACTION_KINDS)),
        "post_id": pa.Column(str),
        "created_at": pa.Column(UTC_TIME),
    },
    strict=True,
    ordered=True,
    name="interactions",
)

NOMINEES = pa.DataFrameSchema(
    {
        "nominee_id": pa.Column(str, unique=True),
        "year": pa.Column("int64"),
        "name": pa.Column(str),
        "category": pa.Column(str, pa.Check.isin(CATEGORIES)),
        "nominated_by": pa.Column("Int64", nullable=True, checks=NON_NEGATIVE),
        "selected": pa.Column(bool),
        "rank": pa.Column("Int64", nullable=True, checks=pa.Check.ge(1)),
        "x_handle": pa.Column(str, nullable=True),
        "bluesky_handle": pa.Column(str, nullable=True),
        "mastodon_handle": pa.Column(str, nullable=True),
        "blog_feed_url": pa.Column(str, nullable=True),
    },
    strict=True,
    ordered=True,
    name="nominees",
)

BLOG_POSTS = pa.DataFrameSchema(
    {
        #: "blog:" + first 16 hex of sha256(feed URL + entry id)
        "post_id": pa.Column(str, unique=True),
        "account_id": pa.Column(str),  #: "blog:" + the feed URL as given in nominations.csv
        "feed_url": pa.Column(str),
        "created_at": pa.Column(UTC_TIME),  #: published (or updated, when no published date)
        "title": pa.Column(str, nullable=True),
        "url": pa.Column(str, nullable=True),
        "author": pa.Column(str, nullable=True),
        #: slash:comments / thr:total; missing when the feed has none
        "comments": pa.Column("Int64", nullable=True, checks=NON_NEGATIVE),
        "categories": pa.Column(object),
    },
    strict=True,
    ordered=True,
    name="blog_posts",
)

#: A saved blog feed, one row per feed (all its saved copies merged): what the copies
#: cover, so that a feed holding only its latest items is not read as a blog that posts
#: little. See :mod:`src.ingest.blogs`.
BLOG_FEEDS = pa.DataFrameSchema(
    {
        "account_id": pa.Column(str, unique=True),  #: "blog:" + the feed URL
        "feed_url": pa.Column(str),
        "copies": pa.Column("int64", checks=pa.Check.ge(1)),  #: saved files read
        "items": pa.Column("int64", checks=NON_NEGATIVE),  #: distinct posts, all copies
        #: a copy holds 10 items or more and does not reach back to the window's start
        "capped": pa.Column(bool),
        "oldest_item": pa.Column(UTC_TIME, nullable=True),  #: oldest post in any copy
        #: the span the copies cover inside the year's window (end exclusive); blog
        #: cadence is measured over it; empty (start = end) when they cover none of it
        "cadence_start": pa.Column(UTC_TIME),
        "cadence_end": pa.Column(UTC_TIME),
        "cadence_months": pa.Column(float, checks=NON_NEGATIVE),  #: calendar months
    },
    strict=True,
    ordered=True,
    name="blog_feeds",
)


def _period_count() -> pa.Column:
    """A count of a period (an export may give a per-day average instead: read as the
    average times the period's days, so not always whole)."""
    return pa.Column("Float64", nullable=True, checks=NON_NEGATIVE, coerce=True)


#: Account-level metrics per account and period, as social-listening tools export them.
#: A row whose period is empty (``period_start == period_end``) is a snapshot: the
#: account's figures at that instant. Followers, following, listed and ``posts_total``
#: (the lifetime total of posts, a snapshot) are as of ``period_end``.
ACCOUNT_METRICS = pa.DataFrameSchema(
    {
        "account_id": pa.Column(str),
        "platform": pa.Column(str, pa.Check.isin(PLATFORMS)),
        "handle": pa.Column(str, nullable=True),
        "period_start": pa.Column(UTC_TIME),
        "period_end": pa.Column(UTC_TIME),  #: exclusive
        "followers": pa.Column("Int64", nullable=True, checks=NON_NEGATIVE),
        "following": pa.Column("Int64", nullable=True, checks=NON_NEGATIVE),
        "listed": pa.Column("Int64", nullable=True, checks=NON_NEGATIVE),
        "posts": _period_count(),  #: posts in the period
        "mentions_received": _period_count(),
        "reposts_received": _period_count(),
        "mentions_sent": _period_count(),
        "reposts_sent": _period_count(),
        #: lifetime posts (statuses_count, tweet_count, postsCount): a snapshot, never
        #: the period's posts; absent from tables written before it was read
        "posts_total": pa.Column("Int64", nullable=True, checks=NON_NEGATIVE, required=False),
    },
    strict=True,
    ordered=True,
    unique=["account_id", "period_start", "period_end"],
    name="account_metrics",
)

TABLES: dict[str, pa.DataFrameSchema] = {
    "accounts": ACCOUNTS,
    "posts": POSTS,
    "interactions": INTERACTIONS,
    "nominees": NOMINEES,
}

#: The column that names a record in error messages, per table.
RECORD_KEYS = {
    "accounts": "account_id",
    "posts": "post_id",
    "interactions": "post_id",
    "nominees": "nominee_id",
    "blog_posts": "post_id",
    "account_metrics": "account_id",
    "blog_feeds": "account_id",
}
#: Tables that a year may lack (the platform or source was not exported that year).
OPTIONAL_TABLES: dict[str, pa.DataFrameSchema] = {
    "blog_posts": BLOG_POSTS,
    "account_metrics": ACCOUNT_METRICS,
    "blog_feeds": BLOG_FEEDS,
}


class SchemaViolation(PipelineError, ValueError):
    """A canonical table breaks its declared schema."""


def empty_frame(table: str) -> pd.DataFrame:
    """A zero-row frame with the table's columns and dtypes."""
    schema = TABLES[table]
    return pd.DataFrame(
        {
            name: pd.Series([], dtype=column.dtype.type if column.dtype else _untyped(name))
            for name, column in schema.columns.items()
        }
    )


def _untyped(name: str) -> str:
    """The dtype an empty frame gives a column declared without one."""
    return "int64" if name in ENGAGEMENT_COUNTS else "object"


def _conform_empty(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """An empty frame's text columns as text: with no values, pandas cannot infer them
    (under pandas 3 they stay ``object``, which a ``str`` column rejects)."""
    frame = frame.copy()
    for name, column in schema.columns.items():
        if (
            name in frame.columns
            and str(column.dtype) in ("str", "string", "string[pyarrow]", "string[python]")
            and frame[name].dtype == object
        ):
            frame[name] = frame[name].astype(str)
    return frame


def validate(frame: pd.DataFrame, table: str, source: str) -> pd.DataFrame:
    """Check ``frame`` against the schema of ``table``; return it when it passes.

    The frame comes back unchanged, except that an empty frame's text columns are given
    the text dtype (which pandas cannot infer from no values).

    Args:
        frame: the table.
        table: one of :data:`TABLES`.
        source: where the table came from (a file or folder), named in the error.

    Raises:
        SchemaViolation: naming the table, ``source``, up to five failing records (by
            their key) with the field and the check each one failed.
    """
    schema = TABLES.get(table) or OPTIONAL_TABLES[table]
    if frame.empty:
        frame = _conform_empty(frame, schema)
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        key = RECORD_KEYS[table]
        lines = []
        for case in cases.head(5).to_dict("records"):
            index = case.get("index")
            record = "the whole column"
            if (
                index is not None
                and not pd.isna(index)
                and key in frame.columns
                and index in frame.index
            ):
                record = f"record {key}={frame.at[index, key]!r}"
            elif index is not None and not pd.isna(index):
                record = f"row {index}"
            lines.append(
                f"  {record}, field '{case.get('column')}': fails {case.get('check')}"
                f" (found {case.get('failure_case')!r})"
            )
        more = len(cases) - 5
        tail = f"\n  … and {more} more" if more > 0 else ""
        raise SchemaViolation(
            f"{source}: the {table} table breaks its schema:\n" + "\n".join(lines) + tail
        ) from None
