"""Header names of metric tables, matched to fields, and the columns of one file.

A header is matched case-insensitively with spaces, underscores and punctuation ignored
(:func:`header_key`) against the names in :data:`COLUMN_SYNONYMS`; a ``public_metrics.``
prefix (twarc-csv's flattened user objects) is dropped first. A header that names a
per-period count as a per-day average (:func:`rate_field`: ``posts per day``, ``avg daily
posts``, ...) gives that count as a rate.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from src.errors import InputError

#: Figures that describe the account at an instant (the end of the row's period).
SNAPSHOT_FIELDS = ("followers", "following", "listed", "posts_total")
#: Figures that count what happened during the row's period.
PERIOD_FIELDS = ("posts", "mentions_received", "reposts_received", "mentions_sent", "reposts_sent")
#: The count columns of the table, in its order (``posts_total`` comes last, see the schema).
COUNT_FIELDS = (
    "followers",
    "following",
    "listed",
    "posts",
    "mentions_received",
    "reposts_received",
    "mentions_sent",
    "reposts_sent",
)
#: Header names accepted for each field (compared after :func:`header_key`).
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "handle": (
        "handle",
        "account",
        "username",
        "screen name",
        "account handle",
        "twitter handle",
        "acct",
    ),
    "platform": ("platform", "network", "social network", "channel"),
    "period_start": (
        "period start",
        "start",
        "start date",
        "date",
        "from",
        "week starting",
        "week commencing",
        "week beginning",
        "w/c",
    ),
    "period_end": ("period end", "end", "end date", "to", "until"),
    "period": ("period", "month", "week"),
    "retrieved_at": (
        "retrieved at",
        "retrieved",
        "date retrieved",
        "retrieval date",
        "collected at",
        "collection date",
        "exported at",
        "export date",
        "downloaded at",
        "fetched at",
        "snapshot date",
        "as of",
        "as at",
        "__twarc.retrieved_at",
    ),
    "followers": ("followers", "followers count", "audience", "total followers"),
    "following": ("following", "following count", "friends", "friends count", "follows count"),
    "listed": ("listed", "listed count", "lists"),
    # Lifetime totals, as profiles report them (X tweet_count, Mastodon statuses_count,
    # Bluesky postsCount): a snapshot of the account, never the posts of a period.
    "posts_total": (
        "tweet count",
        "tweets count",
        "statuses count",
        "statuses",
        "post count",
        "posts count",
        "posts total",
        "total posts",
        "total tweets",
        "total statuses",
        "lifetime posts",
    ),
    "posts": (
        "posts",
        "tweets",
        "posts in period",
        "tweets in period",
        "new posts",
        "new tweets",
        "posts published",
        "published posts",
        "posts sent",
        "tweets sent",
        "toots",
    ),
    "mentions_received": ("mentions received", "mentions"),
    "reposts_received": ("reposts received", "retweets received", "shares received"),
    "mentions_sent": ("mentions sent",),
    "reposts_sent": ("reposts sent", "retweets sent", "shares sent"),
}
#: Platform names seen in exports (compared after :func:`header_key`).
PLATFORM_SYNONYMS = {
    "x": "x",
    "twitter": "x",
    "xtwitter": "x",
    "twitterx": "x",
    "bluesky": "bluesky",
    "bsky": "bluesky",
    "mastodon": "mastodon",
}
#: Prefixes of flattened API objects, dropped before matching (twarc-csv, jq exports).
_PREFIXES = ("authorpublicmetrics", "userpublicmetrics", "publicmetrics")
#: How a header says a count is a per-day average, around the count's own name.
_RATE_FORMS = (
    "{}perday",
    "{}day",  # "posts/day"
    "{}perdayaverage",
    "{}perdayavg",
    "{}dailyaverage",
    "{}dailyavg",
    "avgdaily{}",
    "averagedaily{}",
    "dailyaverage{}",
    "dailyavg{}",
    "meandaily{}",
    "avg{}perday",
    "average{}perday",
    "mean{}perday",
)


def header_key(name: str) -> str:
    """A header name as compared: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


FIELD_BY_KEY = {
    header_key(name): field for field, names in COLUMN_SYNONYMS.items() for name in names
}
RATE_BY_KEY = {
    form.format(header_key(name)): field
    for field in PERIOD_FIELDS
    for name in COLUMN_SYNONYMS[field]
    for form in _RATE_FORMS
}


def platform_name(value: str) -> str | None:
    """The canonical platform of a name in an export (``Twitter`` → ``x``), or None."""
    return PLATFORM_SYNONYMS.get(header_key(value))


def _without_prefix(key: str) -> str:
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


def header_field(name: str) -> str | None:
    """The field a header names (a count, an id or a time), or None."""
    key = header_key(name)
    return FIELD_BY_KEY.get(key) or FIELD_BY_KEY.get(_without_prefix(key))


def rate_field(name: str) -> str | None:
    """The per-period count a header gives as a per-day average (``posts per day`` →
    ``posts``), or None."""
    key = header_key(name)
    return RATE_BY_KEY.get(key) or RATE_BY_KEY.get(_without_prefix(key))


class Columns:
    """Which column (by position, and as the header writes it) holds each field.

    ``rates``: the period counts given as per-day averages. ``snapshots``: the table has
    no periods, only an account's figures at an instant (``time_field`` tells which
    column gives the instant; None: the file's modification time). ``unused``: the
    headers no field takes.
    """

    def __init__(self, header: list[str]) -> None:
        self.header = header
        self.index: dict[str, int] = {}
        self.rates: set[str] = set()
        self.unused: list[str] = []
        self.snapshots = False
        self.time_field: str | None = None

    def name(self, field: str) -> str:
        """The header of ``field``'s column, as the file writes it."""
        return self.header[self.index[field]]

    def value(self, values: list[str], field: str) -> str | None:
        """The stripped cell of ``field`` (None when the column is absent or the cell blank)."""
        if field not in self.index:
            return None
        return values[self.index[field]].strip() or None

    @property
    def start_header(self) -> str:
        """The header of the column that gives each row's period start (or instant)."""
        if self.snapshots:
            return self.name(self.time_field) if self.time_field else "(file time)"
        return self.name("period_start") if "period_start" in self.index else self.name("period")


def _listing(field: str) -> str:
    return ", ".join(COLUMN_SYNONYMS[field])


def _match_columns(path: Path, header: list[str]) -> Columns:
    """Each header to its field (or unused); two columns for one field are an error."""
    columns = Columns(header)
    for position, name in enumerate(header):
        field = header_field(name)
        rate = rate_field(name) if field is None else None
        if rate is not None:
            field = rate
            columns.rates.add(rate)
        if field is None:
            if name:
                columns.unused.append(name)
            continue
        if field in columns.index:
            raise InputError(
                path,
                f"columns {columns.name(field)!r} and {name!r} both mean {field}; keep one",
                record="header",
                field=name,
            )
        columns.index[field] = position
    return columns


def _settle_times(path: Path, columns: Columns) -> list[str]:
    """Decide whether rows are periods or snapshots; return what is missing."""
    index = columns.index
    has_periods = "period" in index or ("period_start" in index and "period_end" in index)
    period_counts = [f for f in PERIOD_FIELDS if f in index]
    missing = []
    if not has_periods and not period_counts:
        # Only figures of an instant: each row is a snapshot, at the time its row gives.
        columns.snapshots = True
        columns.time_field = next(
            (f for f in ("retrieved_at", "period_start", "period_end") if f in index), None
        )
        for field in ("period_start", "period_end"):
            if field in index and field != columns.time_field:
                columns.unused.append(columns.name(field))
                del index[field]
    elif not has_periods:
        if "period_start" not in index:
            missing.append(f"a period start ({_listing('period_start')}) or a period (month, week)")
        if "period_end" not in index:
            missing.append(f"a period end ({_listing('period_end')}) or a period (month, week)")
        missing[-1] += (
            f" for the counts of a period ({', '.join(columns.name(f) for f in period_counts)})"
        )
    return missing


def open_table(path: Path) -> tuple[Any, Columns]:
    """A CSV reader positioned after the header, and the columns; a problem of the file raises."""
    if not path.is_file():
        raise InputError(path, "not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"is not UTF-8 text ({exc.reason} at byte {exc.start}); save the export as CSV UTF-8",
        ) from None
    if not text.strip():
        raise InputError(path, "is empty: expected a header row and one row per account and period")
    # newline="": lines end only at \n, \r\n or \r, so the reader's line numbers are the file's.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next((values for values in reader if any(value.strip() for value in values)), None)
    except csv.Error as exc:
        raise InputError(path, f"is not readable CSV ({exc})", record=reader.line_num) from None
    if header is None:
        raise InputError(path, "is empty: expected a header row and one row per account and period")
    header = [name.strip() for name in header]
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        separator = "';'" if ";" in header[0] else "tabs"
        raise InputError(
            path,
            f"is separated by {separator}, not commas: export as comma-separated CSV",
            record="header",
        )
    columns = _match_columns(path, header)
    missing = []
    if "handle" not in columns.index:
        missing.append(f"a handle ({_listing('handle')})")
    missing += _settle_times(path, columns)
    if not any(field in columns.index for field in (*COUNT_FIELDS, "posts_total")):
        missing.append("at least one count (" + ", ".join((*COUNT_FIELDS, "posts_total")) + ")")
    if missing:
        raise InputError(
            path,
            f"required column(s) missing: {'; '.join(missing)} (found: {', '.join(header)})",
            record="header",
        )
    return reader, columns
