"""What a record that holds no tweets or users looks like: another twarc2 output, or another format.

twarc2 writes more than tweets, in the same JSON lines shape (``data``, ``meta``,
``__twarc``): ``twarc2 counts`` (tweet counts per period,
https://developer.x.com/en/docs/x-api/tweets/counts), ``twarc2 lists`` and list look-ups
(list objects), compliance jobs and their results (batch compliance,
https://developer.x.com/en/docs/x-api/compliance/batch-compliance), Spaces. These are
not exports of posts: a record of them is skipped and counted in data quality with
what it looks like (:data:`NOT_TWEETS`). Other formats that hold posts this reader does
not read (API v1.1 tweets, another platform's export) are refused with what they look
like (:func:`foreign_format`), as a record that cannot be read.
"""

from __future__ import annotations

from typing import Any

#: What each skipped output looks like, by the key its data-quality note is named after.
NOT_TWEETS = {
    "counts": "twarc2 counts output (tweet counts per period)",
    "lists": "twarc2 lists output (X list objects)",
    "compliance_jobs": "X compliance jobs (twarc2 compliance-job)",
    "compliance_results": "X batch compliance results (twarc2 compliance-job download)",
    "spaces": "twarc2 spaces output (X Spaces)",
    "stream_rules": "X filtered-stream rules (twarc2 stream-rules)",
    "dm_events": "X direct message events",
}


_LIST_FIELDS = frozenset({"owner_id", "member_count", "follower_count", "private"})


def not_tweets(page: dict[str, Any]) -> str | None:
    """The :data:`NOT_TWEETS` key of a response page (or line) of another twarc2 output, or None.

    Looks at the first item of ``data`` (an object or a list of objects) or, without
    ``data``, at the line itself (compliance results are one object per line).
    """
    data = page.get("data")
    if data is None:
        if {"id", "action", "reason"} <= page.keys():
            return "compliance_results"  # {"id", "action", "created_at", "redacted_at", "reason"}
        meta = page.get("meta")
        if isinstance(meta, dict) and "total_tweet_count" in meta:
            return "counts"
        return None
    item = data[0] if isinstance(data, list) and data else data
    if not isinstance(item, dict):
        return None
    keys = item.keys()
    if "event_type" in keys and ("dm_conversation_id" in keys or "sender_id" in keys):
        return "dm_events"  # (a message has text, and is never a post)
    if "text" in keys or "username" in keys:
        return None
    if {"start", "end", "tweet_count"} <= keys:
        return "counts"
    if "upload_url" in keys or "download_url" in keys:
        return "compliance_jobs"
    if "state" in keys and ("host_ids" in keys or "creator_id" in keys):
        return "spaces"
    if "value" in keys and "id" in keys and "author_id" not in keys:
        return "stream_rules"
    if "name" in keys and not _LIST_FIELDS.isdisjoint(keys) and "author_id" not in keys:
        # Users always carry a username; a list object has an id, a name and (as twarc2
        # requests every list field) its owner, members, followers or privacy.
        return "lists"
    return None


def foreign_format(page: dict[str, Any]) -> str | None:
    """What a line without ``data`` looks like when it is posts or accounts in a format not
    read here (the problem to report), or None."""
    if "id_str" in page and ("user" in page or "full_text" in page or "text" in page):
        return (
            "looks like an X API v1.1 tweet (twarc 1 or the v1.1 API), which this reader "
            "does not read: collect with twarc2 (API v2)"
        )
    if "acct" in page or ("account" in page and "content" in page):
        return (
            "looks like a Mastodon status or account: Mastodon exports belong in the "
            "mastodon folder"
        )
    post = page.get("post")
    if (
        "did" in page
        or isinstance(page.get("feed"), list)
        or (isinstance(post, dict) and "cid" in post)
    ):
        return "looks like a Bluesky feed or profile: Bluesky exports belong in the bluesky folder"
    return None
