"""Header names of metric tables, matched to fields, and the columns of one file.

A header is matched case-insensitively with spaces, underscores and punctuation ignored
(:func:`header_key`) against the names in :data:`COLUMN_SYNONYMS`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from src.errors import InputError

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
    "handle": ("handle", "account", "username", "screen name", "account handle", "twitter handle"),
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
    "followers": ("followers", "followers count", "audience", "total followers"),
    "following": ("following", "following count", "friends", "friends count"),
    "listed": ("listed", "listed count", "lists"),
    "posts": ("posts", "post count", "tweets", "tweet count", "statuses", "statuses count"),
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


def header_key(name: str) -> str:
    """A header name as compared: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


FIELD_BY_KEY = {
    header_key(name): field for field, names in COLUMN_SYNONYMS.items() for name in names
}


def platform_name(value: str) -> str | None:
    """The canonical platform of a name in an export (``Twitter`` → ``x``), or None."""
    return PLATFORM_SYNONYMS.get(header_key(value))


class Columns:
    """Which column (by position, and as the header writes it) holds each field."""

    def __init__(self, header: list[str]) -> None:
        self.header = header
        self.index: dict[str, int] = {}

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
        """The header of the column that gives each row's period start."""
        return self.name("period_start") if "period_start" in self.index else self.name("period")


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
    columns = Columns(header)
    for position, name in enumerate(header):
        field = FIELD_BY_KEY.get(header_key(name))
        if field is None:
            continue
        if field in columns.index:
            raise InputError(
                path,
                f"columns {columns.name(field)!r} and {name!r} both mean {field}; keep one",
                record="header",
                field=name,
            )
        columns.index[field] = position
    missing = []
    if "handle" not in columns.index:
        missing.append("a handle (" + ", ".join(COLUMN_SYNONYMS["handle"]) + ")")
    if "period_start" not in columns.index and "period" not in columns.index:
        missing.append(
            "a period start ("
            + ", ".join(COLUMN_SYNONYMS["period_start"])
            + ") or a period (month, week)"
        )
    if "period_end" not in columns.index and "period" not in columns.index:
        missing.append(
            "a period end ("
            + ", ".join(COLUMN_SYNONYMS["period_end"])
            + ") or a period (month, week)"
        )
    if not any(field in columns.index for field in COUNT_FIELDS):
        missing.append("at least one count (" + ", ".join(COUNT_FIELDS) + ")")
    if missing:
        raise InputError(
            path,
            f"required column(s) missing: {'; '.join(missing)} (found: {', '.join(header)})",
            record="header",
        )
    return reader, columns
