"""Write an account-level metric table, as a social-listening tool exports one.

``metrics/x_weekly.csv``: one row per nominee X account and week of the window, with
followers, following, listed, posts, mentions and reposts received, mentions and reposts
sent, computed from the same simulated activity the posts come from, so that the
aggregates-only path can be checked against the posts path.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from src.simulate.events import YearActivity

# Headers as a social-listening export prints them; "To" is the last day included.
COLUMNS = (
    "Network",
    "Handle",
    "From",
    "To",
    "Followers",
    "Following",
    "Listed",
    "Posts",
    "Mentions received",
    "Reposts received",
    "Mentions sent",
    "Reposts sent",
)


def write_metrics(
    out_dir: Path, activity: YearActivity, nominees: pd.DataFrame, users: list[dict]
) -> dict[str, int]:
    """Write weekly metrics for every nominee's X account; return the number of rows."""
    folder = out_dir / "metrics"
    folder.mkdir(parents=True, exist_ok=True)
    start = activity.window_start
    weeks = max(int((activity.window_end - start).days // 7), 1)
    posts, events = activity.posts, activity.events
    week_of_post = (
        ((posts["created"] - int(start.timestamp())) // (7 * 86400)).clip(0, weeks - 1).to_numpy()
    )
    author = posts["author"].to_numpy()
    event_target = author[events["post"].to_numpy()]
    week_of_event = (
        ((events["created"] - int(start.timestamp())) // (7 * 86400)).clip(0, weeks - 1).to_numpy()
    )
    shape = (len(nominees), weeks)

    def tally(mask: np.ndarray, who: np.ndarray, week: np.ndarray) -> np.ndarray:
        grid = np.zeros(shape, dtype=np.int64)
        np.add.at(grid, (who[mask], week[mask]), 1)
        return grid

    kind = posts["kind"].to_numpy()
    mentions_sent = tally(
        (kind == "reply") | (posts["mention_audience"].to_numpy() >= 0), author, week_of_post
    )
    reposts_sent = tally(kind == "repost", author, week_of_post)
    all_posts = tally(np.ones(len(posts), dtype=bool), author, week_of_post)
    event_kind = events["kind"].to_numpy()
    mentions_received = tally(event_kind != "repost", event_target, week_of_event)
    reposts_received = tally(event_kind == "repost", event_target, week_of_event)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i, user in enumerate(users):
        metrics = user["public_metrics"]
        for week in range(weeks):
            begin = start + timedelta(days=7 * week)
            # Followers grow through the window to the figure the user look-up reports.
            share = (week + 1) / weeks
            writer.writerow(
                [
                    "X",
                    "@" + user["username"],
                    f"{begin:%d/%m/%Y}",
                    f"{begin + timedelta(days=6):%d/%m/%Y}",
                    int(round(metrics["followers_count"] * (0.97 + 0.03 * share))),
                    metrics["following_count"],
                    metrics["listed_count"],
                    all_posts[i, week],
                    mentions_received[i, week],
                    reposts_received[i, week],
                    mentions_sent[i, week],
                    reposts_sent[i, week],
                ]
            )
    (folder / "x_weekly.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return {"metric_rows": len(users) * weeks}
