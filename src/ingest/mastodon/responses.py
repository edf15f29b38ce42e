"""What a Mastodon API response is, told from its content (a saved body carries no URL).

The reader reads an account's statuses (``GET /api/v1/accounts/:id/statuses``: a JSON
array of Status) and Accounts. Everything else a folder may hold is recognised here and
described in words, so the reader can skip it with a data-quality warning that says what
the file looks like: timelines (home, public, hashtag, list), trends and search results
(statuses by several accounts), single statuses (what fetching, posting, pinning or
boosting one returns), deleted statuses, edit histories and sources, notifications,
conversations (direct messages), thread contexts, lists, polls, relationships, instance
information, trending tags and links, and ActivityPub archives.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

#: Only these visibilities count: followers-only (``private``) and ``direct`` statuses,
#: and any other value (``limited``, a fork's own), are dropped before anything is read.
COUNTED_VISIBILITIES = ("public", "unlisted")


def is_account(obj: dict[str, Any]) -> bool:
    """An Account: only it has ``acct``/``username`` at its top level."""
    return "acct" in obj or "username" in obj


def is_status(obj: dict[str, Any]) -> bool:
    """A Status (possibly malformed: the reader then names the bad field)."""
    return (
        not is_account(obj)
        and other_entity(obj) is None
        and any(key in obj for key in ("content", "reblog", "account"))
    )


def other_entity(obj: dict[str, Any]) -> str | None:
    """What a Mastodon entity that is neither a Status nor an Account is, or None."""
    keys = set(obj)
    if not keys:
        return "an empty object (the body of a call that returns nothing)"
    if "account" in keys and "text" in keys and "content" not in keys:
        return (
            "a deleted status (the body DELETE /api/v1/statuses/:id returns, with its source text)"
        )
    if {"content", "account", "created_at"} <= keys and not keys & {"id", "uri"}:
        return "a version of a status from its edit history (GET /api/v1/statuses/:id/history)"
    if "type" in keys and "account" in keys and "content" not in keys:
        return "a notification (GET /api/v1/notifications)"
    if {"accounts", "last_status"} <= keys:
        return "a conversation of direct messages (GET /api/v1/conversations)"
    if {"ancestors", "descendants"} <= keys:
        return "a thread context (GET /api/v1/statuses/:id/context)"
    if {"accounts", "statuses"} <= keys:
        return "search results (GET /api/v2/search)"
    if "title" in keys and "version" in keys:
        return "instance information (GET /api/v2/instance)"
    if "title" in keys and keys & {"replies_policy", "exclusive"}:
        return "a list (GET /api/v1/lists)"
    if {"following", "followed_by"} <= keys or "showing_reblogs" in keys:
        return (
            "a relationship (the body of following, muting or GET /api/v1/accounts/relationships)"
        )
    if {"id", "text", "spoiler_text"} <= keys:
        return "the source of a status (GET /api/v1/statuses/:id/source)"
    if "options" in keys and keys & {"expires_at", "votes_count"}:
        return "a poll (GET /api/v1/polls/:id)"
    if {"name", "history"} <= keys:
        return "a trending hashtag (GET /api/v1/trends/tags)"
    if {"url", "history"} <= keys:
        return "a trending link (GET /api/v1/trends/links)"
    if "orderedItems" in keys or "@context" in keys:
        return (
            "an ActivityPub collection (such as outbox.json from Mastodon's account archive), "
            "not the REST API's statuses"
        )
    return None


def other_response(document: Any) -> str | None:
    """What a response that is not statuses or accounts is (None: statuses or accounts,
    an error body, or something the reader should refuse)."""
    if isinstance(document, dict):
        return None if is_account(document) else other_entity(document)
    if isinstance(document, list) and document and all(isinstance(i, dict) for i in document):
        kinds = [other_entity(item) for item in document]
        if all(kinds):
            first = kinds[0]
            assert first is not None
            return f"{len(document)} items; the first is {first}"
    return None


def status_author(status: dict[str, Any]) -> str | None:
    """``username@host`` of a Status's account, to tell authors apart, or None when the
    status is too malformed to say (reading it will name the field)."""
    account = status.get("account")
    if not isinstance(account, dict):
        return None
    username, url, acct = account.get("username"), account.get("url"), account.get("acct")
    host = urlparse(url).hostname if isinstance(url, str) else None
    if host is None and isinstance(acct, str) and "@" in acct:
        host = acct.rsplit("@", 1)[1]
    if not isinstance(username, str) or not host:
        return None
    return f"{username}@{host}".lower()


def timeline_description(authors: int) -> str:
    """What a page of statuses by several accounts is."""
    return (
        f"a timeline: statuses by {authors} accounts, not one account's statuses and boosts "
        "(a home, public, hashtag or list timeline, trends or search results)"
    )


SINGLE_STATUS = (
    "a single status (what GET /api/v1/statuses/:id, or posting, pinning, boosting or "
    "editing one returns), not a page of an account's statuses"
)
