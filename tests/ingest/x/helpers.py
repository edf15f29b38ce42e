"""Helpers shared by the X reader's tests: generated tweets that carry the fields the X
rules read beyond the shared strategies (edit histories), and generated response pages
(copies and versions of a few tweets, odd expansions, records of other outputs)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.ingest.helpers import DIGITS, USER
from tests.ingest.helpers import TWEET as _TWEET

#: ``edit_history_tweet_ids`` as exports give it (a list of ids, oldest first) or odd.
_HISTORY = st.one_of(
    st.none(),
    st.lists(st.sampled_from(["101", "102", "103"]), max_size=3),
    st.lists(DIGITS, max_size=3),
    st.sampled_from([[], "101", [101, 102], ["12a"], ["101", 102], {}, [None]]),
)


def _with_history(
    tweet: dict[str, Any], history: Any, own_last: bool, absent: bool
) -> dict[str, Any]:
    if absent:
        return tweet
    if own_last and isinstance(history, list):
        history = [*history, tweet.get("id")]  # (the tweet's own id closes its history)
    return {**tweet, "edit_history_tweet_ids": history}


#: A tweet object as the shared strategy gives it, with or without an edit history.
TWEET = st.builds(_with_history, _TWEET, _HISTORY, st.booleans(), st.booleans())


_VERSION = st.sampled_from(["101", "102", "103", "104"])
_INCLUDED_TWEET = st.one_of(
    st.fixed_dictionaries({"id": DIGITS, "author_id": DIGITS}),
    st.fixed_dictionaries({"id": DIGITS}),
    st.fixed_dictionaries(
        {"id": st.sampled_from(["", "12a", None, 5])},
        optional={"author_id": st.sampled_from(["7", "x7", 7])},
    ),
    # versions of edited tweets (their histories link the versions of data's tweets)
    st.fixed_dictionaries(
        {"id": _VERSION, "author_id": st.sampled_from(["7", "8"])},
        optional={
            "edit_history_tweet_ids": st.one_of(
                st.lists(_VERSION, max_size=3), st.sampled_from([[1], "101", ["x"]])
            )
        },
    ),
)
#: Records of twarc2 outputs that are not tweets, and lines that are nothing known.
_OTHER_RECORDS: list[dict[str, Any]] = [
    {
        "data": [
            {
                "start": "2024-06-01T00:00:00.000Z",
                "end": "2024-06-02T00:00:00.000Z",
                "tweet_count": 4,
            }
        ],
        "meta": {"total_tweet_count": 4},
    },
    {"data": [{"id": "5", "name": "NHS voices", "owner_id": "7", "member_count": 3}]},
    {"data": {"id": "9", "type": "tweets", "status": "complete", "download_url": "u"}},
    {"id": "101", "action": "delete", "reason": "deleted", "created_at": "2024"},
    {"id_str": "5", "text": "v1.1", "user": {}},
    {"data": [{"id": "5", "name": "no username"}]},
]
_OTHER_RECORD = st.sampled_from(_OTHER_RECORDS)
_RETRIEVED = st.sampled_from(
    [None, "2024-06-01T10:00:00.000Z", "2024-06-02T10:00:00+00:00", "not a time", ""]
)


@st.composite
def _page(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.integers(0, 9)) == 0:
        return draw(_OTHER_RECORD)
    tweets = draw(st.lists(TWEET, max_size=4))
    for tweet in tweets:  # a few ids, so that copies (and versions) of one tweet meet
        if isinstance(tweet, dict) and draw(st.booleans()):
            tweet["id"] = draw(st.sampled_from(["101", "102", "103"]))
    page: dict[str, Any] = {"data": tweets}
    if draw(st.booleans()):
        page["includes"] = {
            "users": draw(st.lists(USER, max_size=3)),
            "tweets": draw(st.lists(_INCLUDED_TWEET, max_size=3)),
        }
    if draw(st.booleans()):
        page["errors"] = [{"title": "Not Found Error", "value": "1"}]
    retrieved = draw(_RETRIEVED)
    if retrieved is not None:
        page["__twarc"] = {"retrieved_at": retrieved}
    return page


#: A response page (or another record) as twarc2 might write it, well formed or not.
PAGE = _page()
