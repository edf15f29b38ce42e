"""Edited tweets (src/ingest/x/edits.py): one post per edit chain, whatever versions are read.

X keeps each version of an edited tweet under its own id, linked by
``edit_history_tweet_ids`` (oldest first). The chain counts once: the latest version's
text and counts, under the id of the chain's first version, at the time of the earliest
version read; references to any version point at that post.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.x import read_x_exports
from src.ingest.x.edits import edit_chains
from tests.ingest.helpers import write_lines, x_page, x_tweet, x_user

# Three versions of one tweet by account 1: 501 (first), 502, 503 (latest).
V1, V2, V3 = "1700000000000000501", "1700000000000000502", "1700000000000000503"


def _version(tweet_id: str, history: list[str], likes: int, minute: int) -> dict[str, Any]:
    return x_tweet(
        tweet_id,
        "1",
        likes=likes,
        created=f"2024-05-01T10:{minute:02d}:00.000Z",
        text=f"version {tweet_id[-1]}",
        edit_history_tweet_ids=history,
    )


#: What each version says about its chain when retrieved after the last edit.
FIRST = _version(V1, [V1, V2, V3], likes=5, minute=0)
SECOND = _version(V2, [V1, V2, V3], likes=2, minute=10)
LATEST = _version(V3, [V1, V2, V3], likes=7, minute=20)


def _read(tmp_path: Path, *pages: dict[str, Any], rejects: Rejects | None = None) -> Any:
    return read_x_exports([write_lines(tmp_path / "p.jsonl", *pages)], rejects)


def _the_post(tables: Any) -> dict[str, Any]:
    (post,) = tables.posts.to_dict("records")
    return post


@pytest.mark.parametrize("order", list(itertools.permutations([FIRST, SECOND, LATEST])))
def test_three_versions_in_any_order_make_one_post(
    tmp_path: Path, order: tuple[dict[str, Any], ...]
) -> None:
    rejects = Rejects()
    post = _the_post(_read(tmp_path, x_page(list(order)), rejects=rejects))
    assert post["post_id"] == f"x:{V1}"  # the chain's first id
    assert post["text"] == "version 3" and post["likes"] == 7  # the latest version's
    assert post["created_at"] == pd.Timestamp("2024-05-01T10:00:00Z")  # first published
    (note,) = rejects.quality.records()
    assert (note["kind"], note["count"], note["severity"]) == ("edit_versions_merged", 2, "info")
    assert note["message"].startswith("2 earlier versions of 1 edited tweet merged")


@pytest.mark.parametrize("latest_read_first", [True, False])
def test_versions_on_different_pages_and_files_make_one_post(
    tmp_path: Path, latest_read_first: bool
) -> None:
    earlier, later = (LATEST, FIRST) if latest_read_first else (FIRST, LATEST)
    a = write_lines(tmp_path / "a.jsonl", x_page([earlier]), x_page([x_tweet("9", "2")]))
    b = write_lines(tmp_path / "b.json", x_page([later]))
    rejects = Rejects()
    tables = read_x_exports([b, a], rejects)
    posts = tables.posts.set_index("post_id")
    assert sorted(posts.index) == sorted(["x:9", f"x:{V1}"])
    assert posts.loc[f"x:{V1}", "text"] == "version 3"
    (note,) = rejects.quality.records(relative_to=tmp_path)
    assert note["files"] == ["a.jsonl", "b.json"] and note["count"] == 1


def test_histories_that_grew_between_retrievals_link_up(tmp_path: Path) -> None:
    # The first version retrieved before any edit knows only itself; the second before
    # the third; only the latest names all three. Still one chain.
    early = _version(V1, [V1], likes=1, minute=0)
    middle = _version(V2, [V1, V2], likes=2, minute=10)
    late = _version(V3, [V1, V2, V3], likes=3, minute=20)
    post = _the_post(_read(tmp_path, x_page([late]), x_page([early]), x_page([middle])))
    assert (post["post_id"], post["likes"]) == (f"x:{V1}", 3)


def test_a_chain_seen_only_in_part_is_one_post(tmp_path: Path) -> None:
    # Only the first version: it is the post (its history names versions not in the export).
    rejects = Rejects()
    post = _the_post(_read(tmp_path, x_page([FIRST]), rejects=rejects))
    assert (post["post_id"], post["text"], post["likes"]) == (f"x:{V1}", "version 1", 5)
    assert rejects.quality.records() == []  # nothing was merged
    # Only the latest version: the post still carries the chain's first id.
    post = _the_post(_read(tmp_path, x_page([LATEST])))
    assert (post["post_id"], post["text"]) == (f"x:{V1}", "version 3")
    # The first and second, not the latest: the second is the latest read.
    post = _the_post(_read(tmp_path, x_page([SECOND, FIRST])))
    assert (post["post_id"], post["text"], post["likes"]) == (f"x:{V1}", "version 2", 2)


def test_an_unedited_tweet_keeps_its_id(tmp_path: Path) -> None:
    tweet = x_tweet("600", "1", edit_history_tweet_ids=["600"])
    assert _the_post(_read(tmp_path, x_page([tweet])))["post_id"] == "x:600"


def test_references_to_any_version_resolve_to_the_kept_post(tmp_path: Path) -> None:
    reply = x_tweet(
        "801",
        "2",
        referenced_tweets=[{"type": "replied_to", "id": V1}],
        in_reply_to_user_id="1",
    )
    quote = x_tweet("802", "3", referenced_tweets=[{"type": "quoted", "id": V2}])
    repost = x_tweet("803", "4", referenced_tweets=[{"type": "retweeted", "id": V1}])
    page = x_page(
        [LATEST, reply, quote, repost],
        users=[x_user(uid, f"u{uid}") for uid in "1234"],
        # The earlier versions as the edit_history_tweet_ids expansion includes them.
        tweets=[{"id": V1, "author_id": "1", "edit_history_tweet_ids": [V1, V2, V3]}],
    )
    tables = _read(tmp_path, page)
    posts = tables.posts.set_index("post_id")
    assert list(posts.loc[["x:801", "x:802", "x:803"], "referenced_post_id"]) == [f"x:{V1}"] * 3
    assert f"x:{V1}" in posts.index and len(posts) == 4
    got = sorted(
        tables.interactions[["post_id", "kind", "target_account_id"]].itertuples(
            index=False, name=None
        )
    )
    assert got == [("x:801", "reply", "x:1"), ("x:802", "quote", "x:1"), ("x:803", "repost", "x:1")]


def test_a_reference_to_a_version_known_only_from_includes_points_at_the_chain(
    tmp_path: Path,
) -> None:
    # Neither version is a post of the export; the expansion says they are one chain.
    quote = x_tweet("804", "3", referenced_tweets=[{"type": "quoted", "id": V2}])
    page = x_page(
        [quote], tweets=[{"id": V2, "author_id": "1", "edit_history_tweet_ids": [V1, V2]}]
    )
    tables = _read(tmp_path, page)
    assert tables.posts["referenced_post_id"].tolist() == [f"x:{V1}"]
    assert tables.interactions["target_account_id"].tolist() == ["x:1"]


def test_edit_chains_take_the_oldest_id_as_the_chains_id() -> None:
    assert edit_chains([("5", "9"), ("9", "12"), ("30", "31")]) == {
        "5": "5",
        "9": "5",
        "12": "5",
        "30": "30",
        "31": "30",
    }
    assert edit_chains([("12", "9")]) == {"12": "9", "9": "9"}  # (order given wrongly)
    assert edit_chains([]) == {}


@pytest.mark.parametrize("history", [[101, 102], "101", ["12a"], [None], {"ids": ["1"]}], ids=repr)
def test_an_edit_history_of_the_wrong_shape_is_named(tmp_path: Path, history: Any) -> None:
    bad = x_tweet("101", "1", edit_history_tweet_ids=history)
    page = x_page([x_tweet("100", "1"), bad])
    with pytest.raises(InputError) as error:
        _read(tmp_path, page)
    message = str(error.value)
    assert "p.jsonl, line 1, field 'data[1].edit_history_tweet_ids'" in message
    assert "expected a list of tweet ids (strings of digits)" in message
    # In quarantine that tweet is rejected with the same reason and the rest is read.
    rejects = Rejects(strict=False)
    tables = _read(tmp_path, page, rejects=rejects)
    assert tables.posts["post_id"].tolist() == ["x:100"]
    assert [str(e) for e in rejects.errors] == [message]


def test_an_included_edit_history_of_the_wrong_shape_is_named(tmp_path: Path) -> None:
    page = x_page(
        [x_tweet("100", "1")], tweets=[{"id": "7", "author_id": "2", "edit_history_tweet_ids": 7}]
    )
    with pytest.raises(InputError) as error:
        _read(tmp_path, page)
    assert "field 'includes.tweets[0].edit_history_tweet_ids'" in str(error.value)
    rejects = Rejects(strict=False)
    assert len(_read(tmp_path, page, rejects=rejects).posts) == 1 and len(rejects) == 1
