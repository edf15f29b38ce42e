"""Dates, times and periods (a month, an ISO week or a day) as metric tables write them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_UK_DATE = re.compile(
    r"\A([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?\Z"
)
_ISO_DATE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_ISO_TIME = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]")
_MONTH = re.compile(r"\A([0-9]{4})-([0-9]{2})\Z")
_WEEK = re.compile(r"\A([0-9]{4})-?[Ww]([0-9]{2})\Z")
ACCEPTED_DATES = "ISO 8601 (2014-05-01, 2014-05-01T09:00:00Z) or DD/MM/YYYY"


def parse_date_time(text: str) -> tuple[datetime, bool]:
    """Parse a date or time to aware UTC; the flag says it was a date without a time of day."""
    match = _UK_DATE.match(text)
    if match:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        if month > 12:
            raise ValueError(
                f"{text!r} is not a DD/MM/YYYY date (month {month}); US month-first dates are "
                "not accepted"
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
            return datetime(day_value.year, day_value.month, day_value.day, tzinfo=UTC), True
        if _ISO_TIME.match(text):
            value = datetime.fromisoformat(text)
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
            return value, False
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date or time ({exc})") from None
    raise ValueError(f"unrecognised date {text!r}: expected {ACCEPTED_DATES}")


def parse_period(text: str) -> tuple[datetime, datetime]:
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
        start, date_only = parse_date_time(text)
    except ValueError:
        raise ValueError(
            f"unrecognised period {text!r}: expected a month (2014-05), an ISO week (2014-W18) "
            f"or a day ({ACCEPTED_DATES})"
        ) from None
    if not date_only:
        raise ValueError(f"a period is a month, a week or a day, not a time of day: {text!r}")
    return start, start + timedelta(days=1)
