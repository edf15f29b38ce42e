"""What a year's data covered, in words: platforms, dates, the observation window, the
nominees with no data, and what was set aside (from the ingest summary and the features)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from src.report.format import is_number, whole
from src.report.load import YearReport
from src.report.people import PLATFORM_WORDS


def day(text: Any) -> str | None:
    """An ISO time as a day in words ("4 May 2024"), or None."""
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return f"{moment.day} {moment:%B %Y}"


def _platforms(report: YearReport) -> str | None:
    """The platforms read, each with how many nominees it covered where that is known."""
    platforms = report.ingest.get("platforms") or {}
    handles = report.handles
    per_platform: dict[str, int] = {}
    if handles is not None and len(handles):
        per_platform = handles.groupby("platform")["nominee_id"].nunique().to_dict()
    names = list(platforms) + [p for p in per_platform if p not in platforms]
    if report.ingest.get("blog_posts") and "blog" not in names:
        names.append("blog")
    if not names:
        return None
    order = {p: i for i, p in enumerate(PLATFORM_WORDS)}
    parts = []
    for name in sorted(names, key=lambda p: (order.get(p, len(order)), p)):
        words = "blogs" if name == "blog" else PLATFORM_WORDS.get(name, name)
        count = per_platform.get(name)
        parts.append(f"{words} ({count} nominees)" if count else words)
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def _no_data(features: pd.DataFrame, ingest: dict[str, Any]) -> list[str]:
    """The nominees the data says little or nothing about, in words."""
    out = []
    missing = ingest.get("nominees_without_accounts") or []
    if missing:
        out.append(f"{len(missing)} with no account found in any export")
    if "posts_per_day" in features:
        silent = int((features["posts_per_day"].fillna(0) <= 0).sum())
        if silent:
            out.append(f"{silent} with no posts in the window")
    if "own_posts_per_day" in features and "posts_per_day" in features:
        reposts_only = int(
            ((features["own_posts_per_day"].fillna(0) <= 0) & (features["posts_per_day"] > 0)).sum()
        )
        if reposts_only:
            out.append(f"{reposts_only} who only passed on others' posts")
    return out


def coverage_sentences(report: YearReport) -> list[str]:
    """What the year's data covered, as a few sentences."""
    features, ingest = report.features, report.ingest
    selected = int(features["selected"].fillna(False).astype(bool).sum()) if len(features) else 0
    categories = features["category"].nunique() if "category" in features else 0
    out = [
        f"{len(features)} nominees ({selected} selected by the panel)"
        + (f" in {categories} categories." if categories else ".")
    ]
    first, last = day(ingest.get("first_post")), day(ingest.get("last_post"))
    days = (
        features["observation_days"].dropna()
        if "observation_days" in features
        else pd.Series(dtype=float)
    )
    window = f"a {int(days.iloc[0])}-day observation window" if len(days) else ""
    platforms = _platforms(report)
    if first and last:
        out.append(
            f"Posts from {first} to {last}"
            + (f" ({window})" if window else "")
            + (f" on {platforms}." if platforms else ".")
        )
    elif platforms or window:
        out.append(
            "Activity"
            + (f" over {window}" if window else "")
            + (f" on {platforms}" if platforms else "")
            + "."
        )
    metric_rows = ingest.get("metric_rows")
    if is_number(metric_rows) and metric_rows:
        out.append(f"Account-level metric tables: {whole(metric_rows)} rows.")
    gaps = _no_data(features, ingest)
    out.append(
        ("Nominees the data says little about: " + "; ".join(gaps) + ".")
        if gaps
        else "Every nominee has posts in the window."
    )
    rejected = ingest.get("rejected_records")
    if is_number(rejected) and rejected:
        out.append(
            f"{whole(rejected)} records were set aside as unreadable (listed with reasons in "
            "the data-quality part of the appendix)."
        )
    return out
