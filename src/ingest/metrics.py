"""Account-level metric tables, as social-listening tools export them.

A comma-separated file (UTF-8, a byte-order mark allowed) with a header row and one row
per account and period: the account's followers, following, listed and posts in the
period, and the mentions and reposts it received and sent. It is for users who have
these aggregates but not the posts themselves.

Headers. Tools name columns differently, so a header is matched case-insensitively with
spaces, underscores and punctuation ignored (``Screen Name``, ``screen_name`` and
``screen-name`` are the same), against these names (:data:`COLUMN_SYNONYMS`):

============================  ================================================================
field                         header names accepted
============================  ================================================================
handle (required)             handle, account, username, screen name, account handle,
                              twitter handle
platform                      platform, network, social network, channel
period_start                  period start, start, start date, date, from, week starting,
                              week commencing, week beginning, w/c
period_end                    period end, end, end date, to, until
period                        period, month, week
followers                     followers, followers count, audience, total followers
following                     following, following count, friends, friends count
listed                        listed, listed count, lists
posts                         posts, post count, tweets, tweet count, statuses, statuses count
mentions_received             mentions received, mentions
reposts_received              reposts received, retweets received, shares received
mentions_sent                 mentions sent
reposts_sent                  reposts sent, retweets sent, shares sent
============================  ================================================================

Other columns (engagement rates, impressions, ...) are ignored. Two columns that mean
the same field are an error, as is a file without a handle column, without a way to
tell the period (below), or without any count column.

Periods. ``period_end`` in the table is exclusive. Each row needs its start and its end:

- the start from ``period_start``, else from ``period``;
- the end from ``period_end``, else from ``period``. No end is ever guessed from the
  next row: a row whose end cannot be read from the row itself is an error.
- ``period`` is a month (``2014-05``), an ISO week (``2014-W18``: Monday to Monday) or
  one day (a date as below).
- A ``period_end`` that is a date (no time of day) is the *last day included*, as tools
  print "From 01/05/2014 To 31/05/2014"; it becomes the next midnight. A ``period_end``
  with a time of day is taken as the exclusive end instant.
- When a row gives both a start (or end) and a period, they must agree.

Dates: ISO 8601 (``2014-05-01``, ``2014-05-01T09:00:00Z``, ``2014-05-01 09:00+01:00``)
or ``DD/MM/YYYY`` with an optional ``HH:MM[:SS]`` (as UK tools write them). Nothing else
(``05/01/14``, ``2014/05/01``, ``1 May 2014``) is guessed at; a slashed date whose
middle number is over 12 is rejected as US month-first. Times without a zone, and
dates, are UTC.

Accounts. There is no native id in these tables: ``account_id`` is
``<platform>:@<handle>`` with the handle lower-cased and without a leading ``@``
(``x:@ada_ashby``), and ``handle`` holds the same normalised handle. Nominees are
matched to these accounts by handle, exactly as ``nominations.csv`` gives them
(:func:`src.ingest.nominations.normalise_handle`). ``platform`` is ``x`` (also written
``Twitter``), ``bluesky`` (``bsky``) or ``mastodon``; a blank or absent platform is the
reader's ``platform_default``.

Counts are whole numbers ≥ 0; thousands separated by commas (``1,234``) are accepted,
a blank cell is missing. Anything else (``-``, ``n/a``, ``12.5``, ``-3``, ``1,23``) is an
error naming the file, the line (as in the file) and the column as its header writes it.
The same account and period start twice is an error (the second row).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from src.errors import InputError, ParameterError
from src.ingest.nominations import normalise_handle
from src.ingest.quarantine import Rejects
from src.schemas import ACCOUNT_METRICS, UTC_TIME

METRIC_COLUMNS = list(ACCOUNT_METRICS.columns)
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

_UK_DATE = re.compile(
    r"\A([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?\Z"
)
_ISO_DATE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_ISO_TIME = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]")
_MONTH = re.compile(r"\A([0-9]{4})-([0-9]{2})\Z")
_WEEK = re.compile(r"\A([0-9]{4})-?[Ww]([0-9]{2})\Z")
_COUNT = re.compile(r"\A(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)\Z")
_ACCEPTED_DATES = "ISO 8601 (2014-05-01, 2014-05-01T09:00:00Z) or DD/MM/YYYY"


def header_key(name: str) -> str:
    """A header name as compared: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


_FIELD_BY_KEY = {
    header_key(name): field for field, names in COLUMN_SYNONYMS.items() for name in names
}


def platform_name(value: str) -> str | None:
    """The canonical platform of a name in an export (``Twitter`` → ``x``), or None."""
    return PLATFORM_SYNONYMS.get(header_key(value))


def account_id(platform: str, handle: str) -> str:
    """Canonical id of an account known only by its handle: ``<platform>:@<handle>``."""
    return f"{platform}:@{handle}"


def account_metrics_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Metric rows with the canonical dtypes of :data:`src.schemas.ACCOUNT_METRICS`, sorted by account then period."""
    frame = pd.DataFrame(list(rows), columns=METRIC_COLUMNS)
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).astype(UTC_TIME)
    for column in COUNT_FIELDS:
        frame[column] = pd.array(
            [None if pd.isna(v) else int(v) for v in frame[column]], dtype="Int64"
        )
    for column in ("account_id", "platform", "handle"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    if frame.empty:
        # pandera checks an empty object column against ``str`` by dtype alone, and under
        # pandas 3 that is the ``str`` dtype; a non-empty one is checked by its values.
        frame = frame.astype({column: "str" for column in ("account_id", "platform", "handle")})
    return frame.sort_values(["account_id", "period_start"], kind="stable").reset_index(drop=True)


def read_account_metrics(
    path: Path, platform_default: str = "x", rejects: Rejects | None = None
) -> pd.DataFrame:
    """Read a social-listening export into the ``account_metrics`` table.

    Args:
        path: the CSV file.
        platform_default: the platform of rows without one (the tool exported one network).
        rejects: what to do with a bad file or row (default: strict, raise). In
            quarantine mode a file-level problem skips the file (an empty table comes
            back) and a bad row is skipped alone; of two rows for the same account and
            period the first is kept.

    Raises:
        InputError: (strict) the file is missing, empty or not UTF-8, its header lacks a
            required column or names a field twice, a row has a bad handle, platform,
            date, period or count, or repeats an account and period. The message names
            the file, the line (as in the file) and the column as the header writes it.
        ParameterError: ``platform_default`` is not a platform.
    """
    path = Path(path)
    rejects = Rejects() if rejects is None else rejects
    default = platform_name(platform_default) if isinstance(platform_default, str) else None
    if default is None:
        raise ParameterError(
            f"platform_default must be one of x, bluesky, mastodon (or twitter, bsky), got {platform_default!r}"
        )
    try:
        reader, columns = _open(path)
    except InputError as error:
        rejects(error)
        return account_metrics_frame([])
    rows = []
    rejected_before = len(rejects)
    first_line: dict[tuple[str, datetime], int] = {}
    try:
        for values in reader:
            line = reader.line_num  # the line on which the record ends, as the file counts them
            if not any(value.strip() for value in values):
                continue
            try:
                row = _row(path, line, values, columns, default)
                key = (row["account_id"], row["period_start"])
                if key in first_line:
                    raise InputError(
                        path,
                        f"{row['account_id']} already has a row for the period starting {row['period_start']:%Y-%m-%d %H:%M} UTC "
                        f"(line {first_line[key]})",
                        record=line,
                        field=columns.start_header,
                    )
            except InputError as error:
                rejects(error)
                continue
            first_line[key] = line
            rows.append(row)
    except csv.Error as exc:
        rejects(InputError(path, f"is not readable CSV ({exc})", record=reader.line_num))
    if not rows and len(rejects) == rejected_before:
        rejects(InputError(path, "has a header but no rows"))
    return account_metrics_frame(rows)


class _Columns:
    """Which column (by position, and as the header writes it) holds each field."""

    def __init__(self, header: list[str]) -> None:
        self.header = header
        self.index: dict[str, int] = {}

    def name(self, field: str) -> str:
        return self.header[self.index[field]]

    def value(self, values: list[str], field: str) -> str | None:
        """The stripped cell of ``field`` (None when the column is absent or the cell blank)."""
        if field not in self.index:
            return None
        return values[self.index[field]].strip() or None

    @property
    def start_header(self) -> str:
        return self.name("period_start") if "period_start" in self.index else self.name("period")


def _open(path: Path) -> tuple[Any, _Columns]:
    """A CSV reader positioned after the header, and the file's columns; file-level problems raise."""
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
    columns = _Columns(header)
    for position, name in enumerate(header):
        field = _FIELD_BY_KEY.get(header_key(name))
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


def _row(
    path: Path, line: int, values: list[str], columns: _Columns, default: str
) -> dict[str, Any]:
    if len(values) != len(columns.header):
        raise InputError(
            path, f"has {len(values)} fields but the header has {len(columns.header)}", record=line
        )

    def fail(field: str, problem: str) -> InputError:
        return InputError(path, problem, record=line, field=columns.name(field))

    raw_handle = columns.value(values, "handle")
    handle = normalise_handle(raw_handle)
    if handle is None:
        raise fail("handle", "required field is empty")
    if any(ch.isspace() for ch in handle) or "," in handle:
        raise fail(
            "handle",
            f"{raw_handle!r} is not a handle (it holds spaces or commas; is it a display name?)",
        )
    platform = default
    raw_platform = columns.value(values, "platform")
    if raw_platform is not None:
        platform = platform_name(raw_platform)
        if platform is None:
            raise fail(
                "platform",
                f"unknown platform {raw_platform!r}; expected X (Twitter), Bluesky or Mastodon",
            )

    period = None
    raw_period = columns.value(values, "period")
    if raw_period is not None:
        try:
            period = _period(raw_period)
        except ValueError as exc:
            raise fail("period", str(exc)) from None
    start = end = None
    raw_start = columns.value(values, "period_start")
    if raw_start is not None:
        try:
            start, _ = _time(raw_start)
        except ValueError as exc:
            raise fail("period_start", str(exc)) from None
        if period is not None and start != period[0]:
            raise fail(
                "period_start",
                f"{raw_start!r} is not the start of period {raw_period!r} ({period[0]:%Y-%m-%d})",
            )
    elif period is not None:
        start = period[0]
    else:
        field = "period_start" if "period_start" in columns.index else "period"
        raise fail(field, "required field is empty: the row needs its period start")
    raw_end = columns.value(values, "period_end")
    if raw_end is not None:
        try:
            end, date_only = _time(raw_end)
        except ValueError as exc:
            raise fail("period_end", str(exc)) from None
        if date_only:
            end += timedelta(days=1)  # the last day included → the exclusive end
        if period is not None and end != period[1]:
            raise fail(
                "period_end",
                f"{raw_end!r} is not the end of period {raw_period!r} (last day {period[1] - timedelta(days=1):%Y-%m-%d})",
            )
    elif period is not None:
        end = period[1]
    else:
        field = "period_end" if "period_end" in columns.index else "period"
        raise fail(
            field,
            "required field is empty: the row needs its period end (or a period such as 2014-05 or 2014-W18)",
        )
    if end <= start:
        field = "period_end" if raw_end is not None else "period"
        raise fail(
            field,
            f"the period ends ({end:%Y-%m-%d %H:%M}, exclusive) before it starts ({start:%Y-%m-%d %H:%M})",
        )

    counts: dict[str, int | None] = {}
    for field in COUNT_FIELDS:
        raw = columns.value(values, field)
        if raw is None:
            counts[field] = None
        elif _COUNT.match(raw):
            counts[field] = int(raw.replace(",", ""))
        else:
            raise fail(
                field, f"expected a whole number ≥ 0 (thousands may be written 1,234), got {raw!r}"
            )
    return {
        "account_id": account_id(platform, handle),
        "platform": platform,
        "handle": handle,
        "period_start": start,
        "period_end": end,
        **counts,
    }


def _time(text: str) -> tuple[datetime, bool]:
    """Parse a date or time to aware UTC; the flag says it was a date without a time of day."""
    match = _UK_DATE.match(text)
    if match:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        if month > 12:
            raise ValueError(
                f"{text!r} is not a DD/MM/YYYY date (month {month}); US month-first dates are not accepted"
            )
        hour, minute, second = (int(match[i]) if match[i] else 0 for i in (4, 5, 6))
        try:
            value = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a real date ({exc})") from None
        return value, match[4] is None
    try:
        if _ISO_DATE.match(text):
            day_value = date.fromisoformat(text)
            return datetime(
                day_value.year, day_value.month, day_value.day, tzinfo=UTC
            ), True
        if _ISO_TIME.match(text):
            value = datetime.fromisoformat(text)
            value = (
                value.replace(tzinfo=UTC)
                if value.tzinfo is None
                else value.astimezone(UTC)
            )
            return value, False
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date or time ({exc})") from None
    raise ValueError(f"unrecognised date {text!r}: expected {_ACCEPTED_DATES}")


def _period(text: str) -> tuple[datetime, datetime]:
    """A month (2014-05), an ISO week (2014-W18) or a day, as [start, end) in UTC."""
    month = _MONTH.match(text)
    if month:
        year, number = int(month[1]), int(month[2])
        if not 1 <= number <= 12:
            raise ValueError(f"{text!r} is not a month (month {number})")
        start = datetime(year, number, 1, tzinfo=UTC)
        end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)
        return start, end
    week = _WEEK.match(text)
    if week:
        try:
            monday = date.fromisocalendar(int(week[1]), int(week[2]), 1)
        except ValueError:
            raise ValueError(
                f"{text!r} is not an ISO week: {week[1]} has no week {int(week[2])}"
            ) from None
        start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
        return start, start + timedelta(days=7)
    try:
        start, date_only = _time(text)
    except ValueError:
        raise ValueError(
            f"unrecognised period {text!r}: expected a month (2014-05), an ISO week (2014-W18) or a day ({_ACCEPTED_DATES})"
        ) from None
    if not date_only:
        raise ValueError(f"a period is a month, a week or a day, not a time of day: {text!r}")
    return start, start + timedelta(days=1)
