"""Helpers shared by the X reader's tests: generated tweets that carry the fields the X
rules read beyond the shared strategies (edit histories, replies that quote)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.ingest.helpers import DIGITS
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
