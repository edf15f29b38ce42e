"""Engagement features (src.features.engagement): the h-indices by hand and against their
definition."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from src.features import build_features
from tests.helpers import (
    accounts_frame,
    event,
    nominees_frame,
    post_row,
    posts_frame,
    random_world,
)

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_h_index_by_hand() -> None:
    # a: reposts 2, 2, 2 (h = 2: not 3 posts with 3), likes 1, 1, 0 (h = 1); b: one post
    # reposted 5 times (h = 1), never liked (h = 0).
    rows = [
        post_row(f"x:a{i}", "x:a", "original", i, likes=like, reposts=2)
        for i, like in enumerate((1, 1, 0))
    ]
    rows.append(post_row("x:b0", "x:b", "original", 0, reposts=5))
    tables = {
        "nominees": nominees_frame(["a", "b"]),
        "accounts": accounts_frame([("x:a", "a", 10, 0), ("x:b", "b", 10, 0)]),
        "posts": posts_frame(rows),
    }
    table = build_features(tables).set_index("nominee_id")
    assert table.loc["a", "repost_h_index"] == 2 and table.loc["a", "like_h_index"] == 1
    assert table.loc["b", "repost_h_index"] == 1 and table.loc["b", "like_h_index"] == 0


def _h_index(values: list[int]) -> int:
    """The definition: the largest h with at least h values of at least h."""
    return max([h for h in range(len(values) + 1) if sum(v >= h for v in values) >= h])


@SETTINGS
@given(spec=st.lists(event, max_size=12))
def test_h_index_matches_its_definition(spec: list[tuple]) -> None:
    tables = random_world(spec)
    table = build_features(tables).set_index("nominee_id")
    posts = tables["posts"]
    for who in table.index:
        own = posts[(posts["account_id"] == f"x:{who}") & (posts["kind"] != "repost")]
        assert table.loc[who, "repost_h_index"] == _h_index(own["reposts"].tolist()), who
        assert table.loc[who, "like_h_index"] == _h_index(own["likes"].tolist()), who
