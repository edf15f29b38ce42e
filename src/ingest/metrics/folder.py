"""A year's metric tables read together: merged, cut to the year's window, noted.

The files of ``metrics/`` are read (:mod:`src.ingest.metrics.reader`), their rows merged
across files (:mod:`src.ingest.metrics.merge`: the latest retrieval wins, never the file
name's order), and periods wholly outside the year's window dropped (a snapshot of an
account's figures is kept whatever its date: it describes the account, not the year's
activity). What each rule did goes to the year's data-quality notes, with the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from src.ingest.metrics.merge import MergeCounts, merge_rows
from src.ingest.metrics.reader import MetricFile, account_metrics_frame, read_metric_file
from src.ingest.quality import DataQuality
from src.ingest.quarantine import Rejects
from src.ingest.window import Window
from src.metric_activity import NO_POSTS, SINGLE_SNAPSHOT, TOTAL_FELL, account_activity

SOURCE = "metrics"


def read_metric_folder(
    paths: Sequence[Path], rejects: Rejects, window: Window | None = None
) -> pd.DataFrame | None:
    """The ``account_metrics`` table of a year's metric files (None when no row survives).

    Args:
        paths: the CSV files (read in sorted order; the result does not depend on it).
        rejects: bad files and rows (strict: raise), and the data-quality notes.
        window: the year's window; None keeps every period.
    """
    files = [read_metric_file(path, rejects=rejects) for path in sorted(Path(p) for p in paths)]
    rows, counts = merge_rows([row for table in files for row in table.rows], rejects)
    _note_columns(files, rejects.quality)
    _note_merges(files, counts, rejects.quality)
    frame = account_metrics_frame(rows)
    if window is not None:
        frame = _cut_to_window(frame, window, [str(p) for p in paths], rejects.quality)
    if frame.empty:
        return None
    _note_posts(frame, window, [str(p) for p in paths], rejects.quality)
    return frame


def _note_columns(files: list[MetricFile], quality: DataQuality) -> None:
    unused = [
        (table.path, name) for table in files if table.columns for name in table.columns.unused
    ]
    if unused:
        listing = "; ".join(f"{name!r} ({path.name})" for path, name in unused)
        quality.note(
            SOURCE,
            "unused_columns",
            len(unused),
            f"{len(unused)} column(s) of the metric tables are not read (no field of the "
            f"table takes them): {listing}",
            files=sorted({str(path) for path, _ in unused}),
        )
    rates = [
        (table.path, table.columns.name(field))
        for table in files
        if table.columns
        for field in sorted(table.columns.rates)
    ]
    if rates:
        listing = "; ".join(f"{name!r} ({path.name})" for path, name in rates)
        quality.note(
            SOURCE,
            "per_day_averages",
            len(rates),
            f"{len(rates)} column(s) give per-day averages, read as the average times each "
            f"period's days (so the counts need not be whole): {listing}",
            files=sorted({str(path) for path, _ in rates}),
        )
    undated = [
        t.path for t in files if t.columns and t.columns.snapshots and not t.columns.time_field
    ]
    if undated:
        quality.note(
            SOURCE,
            "snapshot_time_from_file",
            len(undated),
            f"{len(undated)} table(s) of account figures carry no date: each is taken as a "
            "snapshot at the file's modification time (the last resort; add a retrieved_at "
            "or date column)",
            files=[str(p) for p in undated],
            severity="warning",
        )


def _note_merges(files: list[MetricFile], counts: MergeCounts, quality: DataQuality) -> None:
    merged = counts.identical + counts.by_retrieval + counts.by_file_time
    if not merged:
        return
    parts = [f"{counts.identical} identical"] if counts.identical else []
    if counts.by_retrieval:
        parts.append(f"{counts.by_retrieval} replaced by a later retrieval (retrieved_at)")
    if counts.by_file_time:
        parts.append(
            f"{counts.by_file_time} replaced by a later file (file modification time, the "
            "last resort: the exports carry no retrieval time)"
        )
    quality.note(
        SOURCE,
        "repeats_merged",
        merged,
        f"{merged} metric row(s) repeated an account and period already read and were "
        f"merged: {', '.join(parts)}",
        files=[str(t.path) for t in files if t.rows],
        severity="warning" if counts.by_file_time else "info",
    )


def _cut_to_window(
    frame: pd.DataFrame, window: Window, files: list[str], quality: DataQuality
) -> pd.DataFrame:
    periods = frame["period_end"] > frame["period_start"]
    outside = periods & (
        (frame["period_end"] <= window.start) | (frame["period_start"] >= window.end)
    )
    straddle = (
        periods
        & ~outside
        & ((frame["period_start"] < window.start) | (frame["period_end"] > window.end))
    )
    if outside.any():
        dates = frame.loc[outside, "period_start"]
        action = "kept (outside_window = keep)" if window.keep_outside else "excluded"
        quality.note(
            SOURCE,
            "outside_window",
            int(outside.sum()),
            f"{int(outside.sum())} metric period(s) lie wholly outside the window "
            f"{window.describe()} (starting {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}) "
            f"and were {action}",
            files=files,
            severity="warning",
        )
    if straddle.any():
        quality.note(
            SOURCE,
            "straddles_window",
            int(straddle.sum()),
            f"{int(straddle.sum())} metric period(s) reach across the edge of the window "
            f"{window.describe()}: kept whole (their counts cannot be split by day)",
            files=files,
        )
    if window.keep_outside:
        return frame
    return frame[~outside].reset_index(drop=True)


def _note_posts(
    frame: pd.DataFrame, window: Window | None, files: list[str], quality: DataQuality
) -> None:
    activity = account_activity(frame)
    problems = activity["problem"].value_counts()
    parts = []
    if problems.get(SINGLE_SNAPSHOT, 0):
        parts.append(
            f"{problems[SINGLE_SNAPSHOT]} have a lifetime total (statuses or tweet count) from a "
            "single snapshot"
        )
    if problems.get(TOTAL_FELL, 0):
        parts.append(
            f"{problems[TOTAL_FELL]} have a lifetime total that fell between snapshots "
            "(posts deleted)"
        )
    if problems.get(NO_POSTS, 0):
        parts.append(f"{problems[NO_POSTS]} have no posts figure at all")
    unknown = int(problems.sum())
    if unknown:
        quality.note(
            SOURCE,
            "posts_unknown",
            unknown,
            f"{unknown} account(s) of the metric tables have no per-period posts: "
            f"{'; '.join(parts)}. A lifetime total is not the period's posts, so their posts "
            "per day is missing: add a per-period posts column, or a second snapshot (another "
            "retrieval of the same accounts)",
            files=files,
            severity="warning",
        )
    from_snapshots = activity[activity["posts_from"] == "snapshots"]
    if len(from_snapshots):
        beyond = (
            int(
                (
                    (from_snapshots["span_start"] < window.start)
                    | (from_snapshots["span_end"] > window.end)
                ).sum()
            )
            if window is not None
            else 0
        )
        extra = (
            f"; for {beyond} of them the snapshots reach outside the window "
            f"{window.describe()}, so their rate covers other days too"
            if beyond and window is not None
            else ""
        )
        quality.note(
            SOURCE,
            "posts_from_snapshots",
            len(from_snapshots),
            f"{len(from_snapshots)} account(s) have their posts from the difference of two "
            f"snapshots of their lifetime total, over the days between them{extra}",
            files=files,
            severity="warning" if beyond else "info",
        )
