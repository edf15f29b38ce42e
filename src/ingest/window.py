"""The year's window: the span of time a year's analysis covers.

Posts, interactions, blog posts and metric periods dated outside the window are
counted, reported in the data-quality notes and, by default, excluded, so that a year
folder holding older or later posts (a timeline export reaching back years, a date
typed wrong) does not stretch the year's rates over the wrong span.

The window is the nominations' year, 1 January to 31 December (UTC), unless the raw
year folder holds a ``settings.toml`` (TOML, https://toml.io) that sets it::

    window_start = 2023-06-01   # the first day included (a TOML date, or "2023-06-01")
    window_end = 2024-05-31     # the last day included
    outside_window = "exclude"  # the default; "keep" counts and reports them but keeps them

Either bound may be given alone (the other stays the year's). A key the file does not
know, a value that is not a date, a start after the end or an ``outside_window`` other
than ``exclude`` or ``keep`` is an error naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from src.errors import InputError
from src.ingest.quality import DataQuality

SETTINGS_FILE = "settings.toml"
#: The keys ``settings.toml`` may hold.
SETTINGS_KEYS = ("window_start", "window_end", "outside_window")
OUTSIDE_CHOICES = ("exclude", "keep")
_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class Window:
    """A span of time, ``[start, end)`` in UTC, and what to do with records outside it."""

    start: pd.Timestamp  #: the first instant included (UTC midnight)
    end: pd.Timestamp  #: the first instant after the window (exclusive)
    source: str  #: where it was set: "the nominations' year" or "settings.toml"
    keep_outside: bool = False  #: records outside are reported but kept

    @property
    def last_day(self) -> date:
        """The last day included."""
        return (self.end - pd.Timedelta(days=1)).date()

    @property
    def days(self) -> float:
        """The window's length in days."""
        return (self.end - self.start).total_seconds() / 86400

    def describe(self) -> str:
        """The window in words, e.g. ``2024-01-01 to 2024-12-31 (the nominations' year)``."""
        return f"{self.start.date()} to {self.last_day} ({self.source})"

    def inside(self, times: pd.Series) -> pd.Series:
        """Which of ``times`` (aware) fall inside the window."""
        return (times >= self.start) & (times < self.end)

    def record(self) -> dict[str, Any]:
        """The window for ``ingest_summary.json``."""
        return {
            "start": str(self.start.date()),
            "last_day": str(self.last_day),
            "source": self.source,
            "outside_window": "keep" if self.keep_outside else "exclude",
        }


def year_window(year: int) -> Window:
    """1 January to 31 December of ``year``, UTC."""
    return Window(
        pd.Timestamp(datetime(year, 1, 1, tzinfo=UTC)),
        pd.Timestamp(datetime(year + 1, 1, 1, tzinfo=UTC)),
        "the nominations' year",
    )


def _day(path: Path, key: str, value: object) -> date:
    """A window bound as a date: a TOML local date or a ``YYYY-MM-DD`` string."""
    if isinstance(value, datetime):  # (a datetime is also a date: test it first)
        raise InputError(
            path, f"{key} must be a date (YYYY-MM-DD), not a date and time: {value}", field=key
        )
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(
        path, f"{key} must be a date written YYYY-MM-DD (e.g. 2024-01-01), got {value!r}", field=key
    )


def read_window(raw_year: Path, year: int) -> Window:
    """The window of a raw year folder: its ``settings.toml``, else the nominations' year.

    Raises:
        InputError: ``settings.toml`` is not valid TOML or UTF-8, holds an unknown key,
            a bound that is not a date, a start after the end, or an unknown
            ``outside_window``; the message names the file (and the line or key).
    """
    default = year_window(year)
    path = Path(raw_year) / SETTINGS_FILE
    if not path.is_file():
        return default
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        line = _LINE.search(str(exc))
        raise InputError(
            path, f"is not valid TOML ({exc})", record=int(line.group(1)) if line else None
        ) from None
    unknown = sorted(set(settings) - set(SETTINGS_KEYS))
    if unknown:
        raise InputError(
            path,
            f"unknown setting(s) {', '.join(unknown)}; the settings are: "
            f"{', '.join(SETTINGS_KEYS)}",
            field=unknown[0],
        )
    outside = settings.get("outside_window", "exclude")
    if outside not in OUTSIDE_CHOICES:
        raise InputError(
            path,
            f"outside_window must be one of {', '.join(OUTSIDE_CHOICES)}, got {outside!r}",
            field="outside_window",
        )
    start = (
        _day(path, "window_start", settings["window_start"])
        if "window_start" in settings
        else default.start.date()
    )
    last = (
        _day(path, "window_end", settings["window_end"])
        if "window_end" in settings
        else default.last_day
    )
    if last < start:
        raise InputError(
            path,
            f"window_end ({last}) is before window_start ({start}); window_end is the last "
            "day included",
            field="window_end",
        )
    set_here = "window_start" in settings or "window_end" in settings
    return Window(
        pd.Timestamp(datetime(start.year, start.month, start.day, tzinfo=UTC)),
        pd.Timestamp(datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)),
        SETTINGS_FILE if set_here else default.source,
        keep_outside=outside == "keep",
    )


def cut_posts_to_window(
    posts: pd.DataFrame,
    interactions: pd.DataFrame,
    window: Window,
    nominee_accounts: set[str],
    quality: DataQuality,
    folders: dict[str, Path] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Posts and interactions dated inside ``window`` (all of them when it keeps them).

    What lies outside is counted per platform, with how many posts are the nominees',
    in the data-quality notes (source ``window``); ``folders`` (platform → export folder)
    names the folders concerned.
    """
    post_out = ~window.inside(posts["created_at"])
    interaction_out = ~window.inside(interactions["created_at"])
    if not post_out.any() and not interaction_out.any():
        return posts, interactions
    outside = posts[post_out]
    by_platform = outside.groupby("platform", sort=True).size()
    nominees_out = int(outside["account_id"].isin(nominee_accounts).sum())
    action = "kept (outside_window = keep)" if window.keep_outside else "excluded"
    per_platform = ", ".join(f"{name}: {count}" for name, count in by_platform.items())
    dates = (
        f" (dated {outside['created_at'].min():%Y-%m-%d} to {outside['created_at'].max():%Y-%m-%d})"
        if len(outside)
        else ""
    )
    quality.note(
        "window",
        "posts_outside",
        int(post_out.sum()),
        f"{int(post_out.sum())} post(s) ({per_platform or 'none'}; {nominees_out} by nominees)"
        f"{dates} and {int(interaction_out.sum())} interaction(s) lie outside the window "
        f"{window.describe()} and were {action}; to change the window, set window_start and "
        f"window_end in {SETTINGS_FILE}",
        files=[str(folders[p]) for p in by_platform.index if folders and p in folders],
        severity="warning" if nominees_out or window.keep_outside else "info",
    )
    if window.keep_outside:
        return posts, interactions
    return (
        posts[~post_out].reset_index(drop=True),
        interactions[~interaction_out].reset_index(drop=True),
    )
