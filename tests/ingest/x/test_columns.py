"""The X tables from the rows kept (src/ingest/x/rows.py, columns.py): copies, engagement, ids.

Each test reads hand-written pages with the whole reader and checks the tables built at
the end: mentions resolved by username through users read later, interactions, the copy
retrieved last winning, the posts' order, and ids that stay exact text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from src.ingest.x import read_x_exports


def _page(data: list[dict[str, Any]], retrieved: str | None = None, **includes: Any) -> str:
    page: dict[str, Any] = {"data": data, "includes": includes}
    if retrieved:
        page["__twarc"] = {"retrieved_at": retrieved}
    return json.dumps(page)


def _tweet(tid: str, author: str, likes: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "id": tid,
        "author_id": author,
        "created_at": "2024-05-01T10:00:00.000Z",
        "text": f"t{tid}",
        "public_metrics": {
            "retweet_count": 0,
            "reply_count": 0,
            "like_count": likes,
            "quote_count": 0,
        },
        **extra,
    }


def test_engagement_resolves_names_from_users_read_later(tmp_path: Path) -> None:
    # The mention of @Bob is read before any user object named bob; the users file comes
    # later (sorted order). A reply's mention of the account replied to is the reply itself.
    (tmp_path / "a.jsonl").write_text(
        _page(
            [
                _tweet(
                    "10",
                    "1",
                    entities={
                        "mentions": [
                            {"username": "Bob"},
                            {"username": "bob"},
                            {"username": "nobody"},
                        ]
                    },
                ),
                _tweet(
                    "11",
                    "1",
                    referenced_tweets=[{"type": "replied_to", "id": "10"}],
                    in_reply_to_user_id="2",
                    entities={"mentions": [{"username": "bob", "id": "2"}]},
                ),
            ]
        )
        + "\n"
    )
    (tmp_path / "b.jsonl").write_text(_page([{"id": "2", "username": "BOB", "name": "Bob"}]) + "\n")
    result = read_x_exports([tmp_path / "b.jsonl", tmp_path / "a.jsonl"])
    assert result.posts.set_index("post_id")["mentions"].to_dict() == {
        "x:10": ["x:2", "x:@nobody"],
        "x:11": ["x:2"],
    }
    assert result.interactions[["post_id", "target_account_id", "kind"]].values.tolist() == [
        ["x:10", "x:2", "mention"],
        ["x:10", "x:@nobody", "mention"],
        ["x:11", "x:2", "reply"],
    ]
    assert sorted(result.accounts["account_id"]) == [
        "x:1",
        "x:2",
    ]  # x:1 has no user object, still an account
    assert [
        str(result.posts[c].dtype)
        for c in ("post_id", "account_id", "reply_to_account_id", "likes")
    ] == ["str", "str", "object", "int64"]


def test_latest_copy_wins_across_three_files_and_notations(tmp_path: Path) -> None:
    times = {
        "a": "2024-06-01T10:00:00Z",
        "b": "2024-06-01T11:30:00+01:00",
        "c": "2024-06-01T10:20:00.000000+00:00",
    }
    for name, likes in (("a", 1), ("b", 2), ("c", 3)):  # b is 10:30Z: the latest
        (tmp_path / f"{name}.jsonl").write_text(
            _page([_tweet("5", "1", likes=likes)], retrieved=times[name]) + "\n"
        )
    assert read_x_exports(list(tmp_path.glob("*.jsonl"))).posts["likes"].tolist() == [2]


def test_posts_sort_by_time_then_id_as_text(tmp_path: Path) -> None:
    tweets = [_tweet(tid, "1") for tid in ("9", "10", "100", "2")]
    tweets[3]["created_at"] = "2024-05-01T09:00:00.000Z"
    (tmp_path / "p.jsonl").write_text(_page(tweets) + "\n")
    assert read_x_exports([tmp_path / "p.jsonl"]).posts["post_id"].tolist() == [
        "x:2",
        "x:10",
        "x:100",
        "x:9",
    ]


def test_ids_stay_exact_text_at_full_length(tmp_path: Path) -> None:
    big = "9" * 19
    (tmp_path / "p.jsonl").write_text(
        _page(
            [_tweet(big, big, referenced_tweets=[{"type": "quoted", "id": big}])],
            tweets=[{"id": big, "author_id": "7"}],
        )
        + "\n"
    )
    result = read_x_exports([tmp_path / "p.jsonl"])
    assert result.posts[["post_id", "account_id", "referenced_post_id"]].values.tolist() == [
        [f"x:{big}"] * 3
    ]
    assert result.interactions["target_account_id"].tolist() == ["x:7"]
    assert np.all([isinstance(v, str) for v in result.posts["post_id"]])
