"""The year's window (src/ingest/window.py): the nominations' year or settings.toml, checked;
posts and interactions outside it counted, reported and excluded, in the ingest step too."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from src.errors import InputError
from src.ingest.pipeline import ingest_year, read_tables
from src.ingest.quality import DataQuality
from src.ingest.tables import interactions_frame, posts_frame
from src.ingest.window import cut_posts_to_window, read_window, year_window
from src.params import YearRun, year_run

YEAR = 2024
KEY = b"k" * 32


def utc(year: int, month: int, day: int) -> pd.Timestamp:
    return pd.Timestamp(datetime(year, month, day, tzinfo=UTC))


def _settings(tmp_path: Path, text: str) -> Path:
    (tmp_path / "settings.toml").write_text(text, encoding="utf-8")
    return tmp_path


# --- the window ------------------------------------------------------------------------------


def test_the_default_window_is_the_nominations_year(tmp_path: Path) -> None:
    window = read_window(tmp_path, 2024)
    assert (window.start, window.end) == (utc(2024, 1, 1), utc(2025, 1, 1))
    assert str(window.last_day) == "2024-12-31" and window.days == 366
    assert window.describe() == "2024-01-01 to 2024-12-31 (the nominations' year)"
    assert not window.keep_outside


def test_settings_set_the_window(tmp_path: Path) -> None:
    folder = _settings(
        tmp_path,
        '# a list drawn up in June\nwindow_start = 2023-06-01\nwindow_end = "2024-05-31"\n'
        'outside_window = "keep"\n',
    )
    window = read_window(folder, 2024)
    assert (window.start, window.end) == (utc(2023, 6, 1), utc(2024, 6, 1))
    assert window.source == "settings.toml" and window.keep_outside
    assert window.record() == {
        "start": "2023-06-01",
        "last_day": "2024-05-31",
        "source": "settings.toml",
        "outside_window": "keep",
    }
    # One bound alone: the other stays the year's.
    window = read_window(_settings(tmp_path, "window_end = 2024-06-30\n"), 2024)
    assert (window.start, window.end) == (utc(2024, 1, 1), utc(2024, 7, 1))


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("window_start = 2024-01-01\nwindow_end = \n", ", line 2: ", "is not valid TOML"),
        ("window_begin = 2024-01-01\n", ", field 'window_begin': ", "unknown setting(s)"),
        (
            "window_start = 2024-01-01T00:00:00Z\n",
            ", field 'window_start': ",
            "must be a date (YYYY-MM-DD), not a date and time",
        ),
        (
            'window_end = "31/12/2024"\n',
            ", field 'window_end': ",
            "must be a date written YYYY-MM-DD (e.g. 2024-01-01), got '31/12/2024'",
        ),
        ("window_end = 2024\n", ", field 'window_end': ", "must be a date written YYYY-MM-DD"),
        (
            "window_start = 2024-06-01\nwindow_end = 2024-05-31\n",
            ", field 'window_end': ",
            "window_end (2024-05-31) is before window_start (2024-06-01)",
        ),
        (
            'outside_window = "drop"\n',
            ", field 'outside_window': ",
            "outside_window must be one of exclude, keep, got 'drop'",
        ),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, text: str, where: str, problem: str) -> None:
    with pytest.raises(InputError) as info:
        read_window(_settings(tmp_path, text), 2024)
    message = str(info.value)
    assert message.startswith(str(tmp_path / "settings.toml") + where), message
    assert problem in message


def test_settings_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_bytes("# caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="is not UTF-8 text"):
        read_window(tmp_path, 2024)


# --- posts outside the window -----------------------------------------------------------------


def _post(post_id: str, account: str, when: pd.Timestamp, platform: str = "x") -> dict:
    return {
        "post_id": post_id,
        "account_id": account,
        "platform": platform,
        "created_at": when,
        "kind": "original",
        "has_media": False,
    }


def test_posts_outside_the_window_are_counted_and_excluded() -> None:
    posts = posts_frame(
        [
            _post("x:1", "x:nominee", utc(2010, 3, 2)),
            _post("x:2", "x:nominee", utc(2024, 5, 1)),
            _post("x:3", "x:other", utc(2023, 12, 31)),
            _post("m:1", "mastodon:nominee", utc(9999, 12, 31), "mastodon"),
            _post("m:2", "mastodon:nominee", utc(2024, 12, 31), "mastodon"),
        ]
    )
    interactions = interactions_frame([("x:other", "x:nominee", "reply", "x:3", utc(2023, 12, 31))])
    quality = DataQuality()
    kept, kept_interactions = cut_posts_to_window(
        posts,
        interactions,
        year_window(2024),
        {"x:nominee", "mastodon:nominee"},
        quality,
        folders={"x": Path("raw/x"), "mastodon": Path("raw/mastodon")},
    )
    assert kept["post_id"].tolist() == ["x:2", "m:2"]
    assert kept_interactions.empty
    note = quality.notes[("window", "posts_outside")]
    assert note.count == 3 and note.severity == "warning"
    assert note.message.startswith(
        "3 post(s) (mastodon: 1, x: 2; 2 by nominees) (dated 2010-03-02 to 9999-12-31) and 1 "
        "interaction(s) lie outside the window 2024-01-01 to 2024-12-31 (the nominations' year) "
        "and were excluded"
    )
    assert set(note.files) == {"raw/x", "raw/mastodon"}


def test_nothing_outside_no_note() -> None:
    posts = posts_frame([_post("x:2", "x:a", utc(2024, 5, 1))])
    quality = DataQuality()
    kept, _ = cut_posts_to_window(
        posts, interactions_frame([]), year_window(2024), {"x:a"}, quality
    )
    assert len(kept) == 1 and len(quality) == 0


# --- in the ingest step ------------------------------------------------------------------------


@pytest.fixture()
def run(small_sample_root: Path, tmp_path: Path) -> YearRun:
    shutil.copytree(small_sample_root / "raw" / str(YEAR), tmp_path / "raw" / str(YEAR))
    return year_run(
        YEAR, raw_dir=tmp_path / "raw", processed_dir=tmp_path / "processed", require_raw=True
    )


@pytest.mark.slow
def test_the_sample_lies_inside_its_years(run: YearRun) -> None:
    summary = ingest_year(run, key=KEY)
    assert summary["window"] == {
        "start": "2024-01-01",
        "last_day": "2024-12-31",
        "source": "the nominations' year",
        "outside_window": "exclude",
    }
    assert not any(note["source"] == "window" for note in summary["data_quality"])


@pytest.mark.slow
def test_a_post_dated_9999_never_reaches_the_tables(run: YearRun) -> None:
    path = run.raw / "x" / "timelines.jsonl"
    text = path.read_text(encoding="utf-8")
    stamps = re.findall(r'"created_at": "(2024-[^"]+)"', text)
    text = text.replace(stamps[0], "9999-12-31T23:59:59.000Z", 1)
    text = text.replace(stamps[1], "2010-03-02T09:00:00.000Z", 1)
    path.write_text(text, encoding="utf-8")
    summary = ingest_year(run, key=KEY)
    posts = read_tables(run.processed)["posts"]
    assert posts["created_at"].between(utc(2024, 1, 1), utc(2025, 1, 1)).all()
    assert summary["first_post"] >= "2024-01-01" and summary["last_post"] < "2025"
    (note,) = [n for n in summary["data_quality"] if n["source"] == "window"]
    assert note["count"] == 2 and note["files"] == ["x"]
    assert "(dated 2010-03-02 to 9999-12-31)" in note["message"]


@pytest.mark.slow
def test_a_window_from_settings_cuts_the_year(run: YearRun) -> None:
    (run.raw / "settings.toml").write_text(
        "window_start = 2024-05-10\nwindow_end = 2024-05-19\n", encoding="utf-8"
    )
    summary = ingest_year(run, key=KEY)
    tables = read_tables(run.processed)
    for name, column in (("posts", "created_at"), ("interactions", "created_at")):
        assert tables[name][column].between(utc(2024, 5, 10), utc(2024, 5, 20)).all(), name
    assert tables["blog_posts"]["created_at"].between(utc(2024, 5, 10), utc(2024, 5, 20)).all()
    metrics = tables["account_metrics"]
    assert (metrics["period_end"] > utc(2024, 5, 10)).all()
    assert (metrics["period_start"] < utc(2024, 5, 20)).all()
    sources = {note["source"] for note in summary["data_quality"]}
    assert {"window", "blogs", "metrics"} <= sources
    written = json.loads((run.processed / "ingest_summary.json").read_text(encoding="utf-8"))
    assert written["window"]["source"] == "settings.toml"
