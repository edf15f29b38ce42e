"""Reposts, quotes and replies find the author they engage with wherever the export gives it.

The API leaves out of ``includes.tweets`` a referenced tweet that is already in the
page's ``data`` (a search that matches both an original and its retweets); twarc2
pages, files and re-runs split them further. A referenced tweet's author is taken from
``includes.tweets`` or, failing that, from the tweets read anywhere in the export. A
reply that also quotes is a reply (its kind) and keeps both interactions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from src.ingest.quarantine import Rejects
from src.ingest.x import read_x_exports
from tests.ingest.helpers import write_lines, x_page, x_tweet, x_user

ORIGINAL = x_tweet("700", "2", created="2024-05-01T09:00:00.000Z")
REPOST = x_tweet("701", "1", referenced_tweets=[{"type": "retweeted", "id": "700"}])
QUOTE = x_tweet("702", "3", referenced_tweets=[{"type": "quoted", "id": "700"}])
USERS = [x_user("1", "amy"), x_user("2", "bob"), x_user("3", "cat")]


def _interactions(tables: object) -> list[tuple[str, str, str, str]]:
    frame = tables.interactions  # type: ignore[attr-defined]
    return sorted(
        frame[["post_id", "kind", "source_account_id", "target_account_id"]].itertuples(
            index=False, name=None
        )
    )


EXPECTED = [("x:701", "repost", "x:1", "x:2"), ("x:702", "quote", "x:3", "x:2")]


def test_referenced_tweet_in_the_same_pages_data(tmp_path: Path) -> None:
    # No includes.tweets at all: the original is in data beside its repost and quote.
    page = x_page([REPOST, ORIGINAL, QUOTE], users=USERS)
    rejects = Rejects()
    tables = read_x_exports([write_lines(tmp_path / "p.jsonl", page)], rejects)
    assert _interactions(tables) == EXPECTED
    assert rejects.quality.records() == []  # every reference found its author


@pytest.mark.parametrize("original_first", [True, False])
def test_referenced_tweet_on_another_page_or_file(tmp_path: Path, original_first: bool) -> None:
    original = write_lines(tmp_path / "a.jsonl", x_page([ORIGINAL], users=USERS))
    engagement = write_lines(
        tmp_path / ("b.jsonl" if original_first else "0.jsonl"),
        x_page([REPOST], users=USERS),
        x_page([QUOTE], users=USERS),
    )
    assert _interactions(read_x_exports([original, engagement])) == EXPECTED


def test_a_reference_nobody_gives_the_author_of_is_counted_in_data_quality(
    tmp_path: Path,
) -> None:
    lost = x_tweet("703", "1", referenced_tweets=[{"type": "retweeted", "id": "999"}])
    rejects = Rejects()
    tables = read_x_exports(
        [write_lines(tmp_path / "p.jsonl", x_page([lost, REPOST, ORIGINAL]))], rejects
    )
    assert _interactions(tables) == EXPECTED[:1]
    (note,) = rejects.quality.records()
    assert (note["kind"], note["count"]) == ("references_unresolved", 1)
    assert note["message"].startswith("1 repost, quote or reply refer")


def test_a_reply_that_quotes_keeps_both_interactions(tmp_path: Path) -> None:
    both = x_tweet(
        "704",
        "1",
        referenced_tweets=[{"type": "quoted", "id": "700"}, {"type": "replied_to", "id": "705"}],
        in_reply_to_user_id="3",
    )
    parent = x_tweet("705", "3")
    tables = read_x_exports(
        [write_lines(tmp_path / "p.jsonl", x_page([both, ORIGINAL, parent], users=USERS))]
    )
    post = tables.posts.set_index("post_id").loc["x:704"]
    assert (post["kind"], post["referenced_post_id"], post["reply_to_account_id"]) == (
        "reply",
        "x:705",
        "x:3",
    )
    assert [row for row in _interactions(tables) if row[0] == "x:704"] == [
        ("x:704", "quote", "x:1", "x:2"),
        ("x:704", "reply", "x:1", "x:3"),
    ]


def test_a_reply_quoting_the_account_it_answers_is_both_a_reply_and_a_quote(
    tmp_path: Path,
) -> None:
    both = x_tweet(
        "706",
        "1",
        referenced_tweets=[{"type": "replied_to", "id": "700"}, {"type": "quoted", "id": "707"}],
        in_reply_to_user_id="2",
    )
    own_quote = x_tweet(
        "708",
        "1",
        referenced_tweets=[{"type": "replied_to", "id": "700"}, {"type": "quoted", "id": "709"}],
        in_reply_to_user_id="2",
    )
    page = x_page(
        [both, own_quote, ORIGINAL],
        tweets=[{"id": "707", "author_id": "2"}, {"id": "709", "author_id": "1"}],
    )
    tables = read_x_exports([write_lines(tmp_path / "p.jsonl", page)])
    assert [row[:2] for row in _interactions(tables)] == [
        ("x:706", "quote"),
        ("x:706", "reply"),
        ("x:708", "reply"),  # quoting oneself is no interaction
    ]


def test_a_quote_id_that_is_not_an_id_is_named(tmp_path: Path) -> None:
    bad = x_tweet(
        "710",
        "1",
        referenced_tweets=[{"type": "replied_to", "id": "700"}, {"type": "quoted", "id": 700}],
    )
    rejects = Rejects(strict=False)
    read_x_exports([write_lines(tmp_path / "p.jsonl", x_page([bad]))], rejects)
    (error,) = rejects.errors
    assert (error.record, error.field) == (1, "data[0].referenced_tweets")
    assert "expected a string of digits, got 700" in error.problem
