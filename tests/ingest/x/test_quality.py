"""The X reader's data-quality notes (src/ingest/x/quality.py): users without public_metrics.

A user look-up or expansion made without ``user.fields=public_metrics`` gives users with
no counts at all: their followers, following, listed and tweet counts stay missing
(never 0), and a warning names the export and says how to request the field.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src.ingest.quarantine import Rejects
from src.ingest.x import read_x_exports
from tests.ingest.helpers import write_lines, x_page, x_tweet, x_user


def test_users_without_public_metrics_stay_missing_with_a_warning(tmp_path: Path) -> None:
    bare = [{"id": "1", "username": "amy", "name": "Amy"}, {"id": "2", "username": "bob"}]
    lookup = write_lines(tmp_path / "users.jsonl", {"data": bare})
    tweets = write_lines(
        tmp_path / "tweets.jsonl",
        x_page([x_tweet("10", "3")], users=[x_user("3", "cat", followers=0)]),
    )
    for strict in (True, False):
        rejects = Rejects(strict=strict)
        tables = read_x_exports([lookup, tweets], rejects)
        accounts = tables.accounts.set_index("account_id")
        for column in ("followers", "following", "listed", "posts_total"):
            assert accounts.loc[["x:1", "x:2"], column].isna().all(), column
        assert accounts.loc["x:3", "followers"] == 0  # a real 0 stays 0
        (note,) = rejects.quality.records(relative_to=tmp_path)
        assert (note["kind"], note["severity"], note["count"], note["files"]) == (
            "users_without_public_metrics",
            "warning",
            2,
            ["users.jsonl"],
        )
        message = note["message"]
        assert message.startswith("2 of 3 X users in users.jsonl have no public_metrics")
        assert "missing (not 0)" in message
        assert "--user-fields" in message and "--minimal-fields" in message
        assert "user.fields=public_metrics" in message
        assert rejects.errors == []


def test_a_later_copy_with_metrics_settles_it(tmp_path: Path) -> None:
    # An expansion without metrics, then the same user with them: no gap is left.
    path = write_lines(
        tmp_path / "p.jsonl",
        x_page([x_tweet("10", "1")], users=[{"id": "1", "username": "amy"}]),
        x_page([x_user("1", "amy", followers=7)], retrieved="2014-06-03T00:00:00+00:00"),
    )
    rejects = Rejects()
    tables = read_x_exports([path], rejects)
    assert tables.accounts["followers"].tolist() == [7]
    assert rejects.quality.records() == []


def test_authors_without_a_user_object_are_not_this_gap(tmp_path: Path) -> None:
    # (an author known only from a tweet has an accounts row with missing counts, but
    # the export did not leave out public_metrics: it has no user object for them)
    rejects = Rejects()
    tables = read_x_exports(
        [write_lines(tmp_path / "p.jsonl", x_page([x_tweet("10", "1")]))], rejects
    )
    assert pd.isna(tables.accounts["followers"].iloc[0])
    assert rejects.quality.records() == []
