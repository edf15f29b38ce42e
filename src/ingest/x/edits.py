"""Edited tweets: one post per edit chain.

X keeps each version of an edited tweet under its own id, and every version carries
``edit_history_tweet_ids``: the ids of its chain, oldest first, as far as the chain had
grown when it was retrieved (https://developer.x.com/en/docs/x-api/edit-tweets). A
timeline or search can hold several versions, an earlier version alone, or the latest
alone. The rule:

- the versions of a chain (linked through any history that names them, in ``data`` or
  ``includes.tweets``, in any file) make one post;
- it carries the chain's id: the id of its first version (the oldest, the first id of
  every history of the chain), which does not change whichever versions an export
  holds or however often the tweet was edited after;
- it has the latest version's text, counts, entities and references (the latest of the
  versions read: ids grow with time, so the greatest id), and the time of the earliest
  version read (when the tweet was first published, as far as the export shows);
- a reference to any version (a reply, quote or repost of an earlier version) points
  at the chain's id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from src.ingest.x.rows import TweetRow


@dataclass
class Merged:
    """What merging the versions of edited tweets did."""

    #: every version id of a chain of two or more ids -> the chain's id
    chain_of: dict[str, str] = field(default_factory=dict)
    versions_merged: int = 0  #: versions read and merged into another version of their chain
    posts_merged: int = 0  #: posts that merged two or more versions
    files: set[str] = field(default_factory=set)  #: files that held the merged versions


def edit_chains(histories: Iterable[tuple[str, ...]]) -> dict[str, str]:
    """Version id -> chain id (the oldest id) for every id of a chain of two or more ids.

    Histories that share an id are one chain (a later retrieval's history extends an
    earlier one's).
    """
    parent: dict[str, str] = {}

    def find(tweet_id: str) -> str:
        while parent[tweet_id] != tweet_id:
            parent[tweet_id] = parent[parent[tweet_id]]
            tweet_id = parent[tweet_id]
        return tweet_id

    for history in histories:
        for tweet_id in history:
            parent.setdefault(tweet_id, tweet_id)
        root = find(history[0])
        for tweet_id in history[1:]:
            other = find(tweet_id)
            if other == root:
                continue
            # The chain's id is its oldest: the smallest id (ids grow with time).
            if int(other) < int(root):
                parent[root] = other
                root = other
            else:
                parent[other] = root
    return {tweet_id: find(tweet_id) for tweet_id in parent}


def merge_edit_chains(tweets: dict[str, TweetRow], histories: Iterable[tuple[str, ...]]) -> Merged:
    """Replace the versions of each edit chain in ``tweets`` (id -> row) by one row.

    See the module's rule. ``tweets`` is changed in place.
    """
    merged = Merged(chain_of=edit_chains(histories))
    if not merged.chain_of:
        return merged
    versions_of: dict[str, list[str]] = {}
    for version, chain in merged.chain_of.items():
        if version in tweets:
            versions_of.setdefault(chain, []).append(version)
    for chain, versions in versions_of.items():
        rows = [tweets.pop(version) for version in versions]
        latest = max(rows, key=lambda row: int(row.native_id))
        if len(rows) > 1:
            merged.versions_merged += len(rows) - 1
            merged.posts_merged += 1
            merged.files.update(str(row.source[1]) for row in rows)
        tweets[chain] = latest._replace(
            native_id=chain, created_at=min(row.created_at for row in rows)
        )
    return merged
