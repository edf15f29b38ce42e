"""The Bluesky reader on real XRPC recordings (``../shared/fixtures/bluesky-xrpc``).

The recordings are response bodies the real Bluesky App View returned to the bskyr
package's tests, 2023 to 2025 (``SOURCES.tsv`` lists them in the order recorded): an
author feed of 2025 and one of 2023 (before ``quoteCount`` existed), two getProfiles
responses of the same account two years apart, and, for contrast, a home timeline and a
list feed. Expected values are computed here from the raw files with ``json``,
independently of the reader.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from src.ingest.bluesky import read_bluesky_exports
from src.ingest.quarantine import Rejects
from src.schemas import validate
from tests.ingest.bluesky.helpers import REPOST, dated_copies, write_documents

AUTHOR_FEEDS = ("bskyr_vcr_autfeed_1.json", "bskyr_2023_getAuthorFeed.json")
PROFILES = ("bskyr_2023_getProfiles.json", "bskyr_vcr_profiles_1.json")
KENNY = "did:plc:wpe35pganb6d4pg4ekmfy6u5"
COUNTS = {"likes": "likeCount", "reposts": "repostCount", "replies": "replyCount",
          "quotes": "quoteCount"}  # fmt: skip


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _recorded_order(folder: Path) -> list[Path]:
    lines = (folder / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()
    return [folder / line.split("\t")[0] for line in lines if line.strip()]


def _is_repost(item: dict[str, Any]) -> bool:
    return (item.get("reason") or {}).get("$type") == REPOST


def _unique(feed: list[dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    """Feed items by what they are (a post, or an account's repost of it); last copy wins."""
    unique: dict[Any, dict[str, Any]] = {}
    for item in feed:
        uri = item["post"]["uri"]
        unique[("repost", item["reason"]["by"]["did"], uri) if _is_repost(item) else uri] = item
    return unique


def _kind(item: dict[str, Any]) -> str:
    record = item["post"]["record"]
    embed = record.get("embed") or {}
    quoted = embed.get("record", {}).get("record", embed.get("record", {})).get("uri", "")
    if _is_repost(item):
        return "repost"
    if record.get("reply"):
        return "reply"
    if embed.get("$type") in ("app.bsky.embed.record", "app.bsky.embed.recordWithMedia") and (
        "/app.bsky.feed.post/" in quoted
    ):
        return "quote"
    return "original"


def _actors(item: dict[str, Any]) -> set[str]:
    """DIDs of the actor views the reader keeps: post author, reposter, reply parent, root
    and grandparent authors, and the quoted post's author."""
    views = [item["post"]["author"], (item.get("reason") or {}).get("by")]
    reply = item.get("reply") or {}
    views += [(reply.get(k) or {}).get("author") for k in ("parent", "root")]
    views.append(reply.get("grandparentAuthor"))
    embed = item["post"].get("embed") or {}
    record: dict[str, Any] = embed.get("record") or {}
    quoted: dict[str, Any] = record.get("record") or {} if "record" in record else record
    views.append(quoted.get("author"))
    return {v["did"] for v in views if isinstance(v, dict) and "handle" in v}


@pytest.mark.parametrize("name", AUTHOR_FEEDS)
def test_author_feed_counted_against_the_raw_file(bluesky_recordings: Path, name: str) -> None:
    feed = _load(bluesky_recordings / name)["feed"]
    unique = _unique(feed)
    posts_of = [i["post"] for i in unique.values() if not _is_repost(i)]
    rejects = Rejects()
    tables = read_bluesky_exports([bluesky_recordings / name], rejects=rejects)

    posts = tables.posts
    assert len(posts) == len(unique) and not rejects.quality.notes.get(
        ("bluesky", "not_author_feeds_skipped")
    )
    assert (
        posts["kind"].value_counts().to_dict()
        == pd.Series([_kind(i) for i in unique.values()]).value_counts().to_dict()
    )
    for column, field in COUNTS.items():
        assert int(posts[column].sum()) == sum(p.get(field, 0) for p in posts_of), column
        lacking = sum(1 for p in posts_of if field not in p)
        assert int(posts[column].isna().sum()) == lacking, column  # missing, not 0
    expected = set().union(*(_actors(i) for i in feed))
    assert sorted(tables.accounts["account_id"]) == sorted(f"bluesky:{d}" for d in expected)
    validate(posts, "posts", name)
    validate(tables.interactions, "interactions", name)
    validate(tables.accounts.assign(is_nominee=False, nominee_id=None), "accounts", name)


def test_2023_feed_has_no_quote_counts(bluesky_recordings: Path) -> None:
    name = "bskyr_2023_getAuthorFeed.json"
    originals = [i for i in _load(bluesky_recordings / name)["feed"] if not _is_repost(i)]
    assert originals and all("quoteCount" not in i["post"] for i in originals)
    rejects = Rejects()
    posts = read_bluesky_exports([bluesky_recordings / name], rejects=rejects).posts
    own = posts[posts["kind"] != "repost"]
    assert own["quotes"].isna().all() and own["likes"].notna().all()
    note = rejects.quality.notes[("bluesky", "counts_missing")]
    assert note.count == len(originals) and f"{len(originals)} lack quoteCount" in note.message


@pytest.mark.parametrize(
    "name, looks_like",
    [
        ("bskyr_vcr_timeline_1.json", "a home timeline (app.bsky.feed.getTimeline"),
        ("bskyr_vcr_listfeed_1.json", "a list or custom feed (app.bsky.feed.getListFeed"),
    ],
)
def test_timeline_and_list_feed_are_named_and_skipped(
    bluesky_recordings: Path, name: str, looks_like: str
) -> None:
    feed = _load(bluesky_recordings / name)["feed"]
    authors = {(i["reason"]["by"] if _is_repost(i) else i["post"]["author"])["did"] for i in feed}
    for rejects in (Rejects(strict=True), Rejects(strict=False)):
        tables = read_bluesky_exports([bluesky_recordings / name], rejects=rejects)
        assert tables.posts.empty and tables.accounts.empty and len(rejects) == 0
        note = rejects.quality.notes[("bluesky", "not_author_feeds_skipped")]
        assert note.severity == "warning" and note.files == (str(bluesky_recordings / name),)
        assert f"a feed of posts by {len(authors)} accounts" in note.message
        assert looks_like in note.message


@pytest.mark.parametrize("reverse", [False, True])
def test_every_recording_together_and_the_latest_profile_wins(
    bluesky_recordings: Path, tmp_path: Path, reverse: bool
) -> None:
    ordered = _recorded_order(bluesky_recordings)
    assert sorted(p.name for p in ordered) == sorted(
        p.name for p in bluesky_recordings.glob("*.json")
    )
    # Retrieved in the recorded order (2023's profile before 2025's), or the other way.
    paths = dated_copies(tmp_path, list(reversed(ordered)) if reverse else ordered)
    rejects = Rejects()
    tables = read_bluesky_exports(paths, rejects=rejects)
    unique: dict[Any, Any] = {}
    for name in AUTHOR_FEEDS:
        unique |= _unique(_load(bluesky_recordings / name)["feed"])
    assert len(tables.posts) == len(unique)
    profiles = [p for name in PROFILES for p in _load(bluesky_recordings / name)["profiles"]]
    latest = [p for p in profiles if p["did"] == KENNY][0 if reverse else -1]
    row = tables.accounts.set_index("account_id").loc[f"bluesky:{KENNY}"]
    assert (row["followers"], row["posts_total"]) == (
        latest["followersCount"],
        latest["postsCount"],
    )
    assert rejects.quality.notes[("bluesky", "not_author_feeds_skipped")].count == 2
    assert ("bluesky", "latest_copy_by_file_time") in rejects.quality.notes


# --- the atproto SDK's model_dump() shape -----------------------------------------------------


def _sdk_key(key: str) -> str:
    return "py_type" if key == "$type" else re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


_OPTIONAL_NULLS = {
    "post": ("like_count", "repost_count", "reply_count", "quote_count", "embed", "labels"),
    "item": ("reason", "reply", "feed_context", "req_id"),
    "record": ("embed", "facets", "reply", "langs", "tags", "labels", "entities"),
}
#: The model each role is read into, as its ``py_type`` (the SDK writes it for every model).
_PY_TYPES = {
    "item": "app.bsky.feed.defs#feedViewPost",
    "post": "app.bsky.feed.defs#postView",
    "author": "app.bsky.actor.defs#profileViewBasic",
    "profile": "app.bsky.actor.defs#profileViewDetailed",
}
_ITEM_ROLES = {"feed": "item", "profiles": "profile"}


def _to_sdk(value: Any, role: str = "") -> Any:
    """By hand, what ``model_dump()`` of the SDK's models gives for an XRPC response:
    snake_case field names, ``py_type`` for ``$type`` (on every model), absent optional
    fields as null."""
    if isinstance(value, list):
        return [_to_sdk(v, _ITEM_ROLES.get(role, "")) for v in value]
    if not isinstance(value, dict):
        return value
    out = {_sdk_key(k): _to_sdk(v, k) for k, v in value.items()}
    for field in _OPTIONAL_NULLS.get(role, ()):
        out.setdefault(field, None)
    if role in _PY_TYPES:
        out.setdefault("py_type", _PY_TYPES[role])
    return out


@pytest.mark.parametrize("names", [AUTHOR_FEEDS, PROFILES])
def test_sdk_model_dump_reads_as_the_raw_json(
    bluesky_recordings: Path, tmp_path: Path, names: tuple[str, ...]
) -> None:
    raw = dated_copies(tmp_path / "raw", [bluesky_recordings / n for n in names])
    (tmp_path / "sdk").mkdir()
    dumped = [write_documents(tmp_path / "sdk" / p.name, _to_sdk(_load(p))) for p in raw]
    for path in dumped:
        text = path.read_text(encoding="utf-8")
        assert '"py_type"' in text and '"indexed_at"' in text and '"$type"' not in text
    from_raw = read_bluesky_exports(raw)
    from_sdk = read_bluesky_exports(dated_copies(tmp_path / "sdk_dated", dumped))
    for table in ("posts", "accounts", "interactions"):
        pd.testing.assert_frame_equal(getattr(from_sdk, table), getattr(from_raw, table))
    assert not from_raw.posts.empty or not from_raw.accounts.empty
