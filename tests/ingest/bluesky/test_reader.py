"""The Bluesky reader (src.ingest.bluesky) on hand-written feed pages and profiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from src.ingest.bluesky import read_bluesky_exports
from tests.ingest.bluesky.helpers import (
    CARER,
    GP,
    WARD,
    aid,
    at,
    feed_item,
    feed_page,
    pid,
    write_documents,
)

# --- hand-written pages ------------------------------------------------------------------


def test_reply_to_a_handle_uri_uses_the_hydrated_parent(tmp_path: Path) -> None:
    parent = at("carer.example.com", "3kparent")
    item = feed_item(
        "3kreply",
        WARD,
        reply={"root": {"uri": parent, "cid": "c"}, "parent": {"uri": parent, "cid": "c"}},
    )
    view = {
        "$type": "app.bsky.feed.defs#postView",
        **feed_item("3kparent", CARER)["post"],
        "uri": parent,
    }
    item["reply"] = {"root": view, "parent": view}
    tables = read_bluesky_exports([write_documents(tmp_path / "p.jsonl", feed_page(item))])
    assert tables.posts["reply_to_account_id"].tolist() == [aid(CARER)]
    assert tables.interactions[["target_account_id", "kind"]].values.tolist() == [
        [aid(CARER), "reply"]
    ]
    assert tables.notes["reply_targets_unresolved"] == 0


def test_quote_with_a_link_card_has_a_url_not_media(tmp_path: Path) -> None:
    embed = {
        "$type": "app.bsky.embed.recordWithMedia",
        "record": {"$type": "app.bsky.embed.record", "record": {"uri": at(GP, "3kq"), "cid": "c"}},
        "media": {
            "$type": "app.bsky.embed.external",
            "external": {"uri": "https://news.example.net/a", "title": "t", "description": "d"},
        },
    }
    tables = read_bluesky_exports(
        [write_documents(tmp_path / "p.jsonl", feed_page(feed_item("3kw", WARD, embed=embed)))]
    )
    row = tables.posts.iloc[0]
    assert (row["kind"], row["referenced_post_id"], row["has_media"]) == (
        "quote",
        pid(GP, "3kq"),
        False,
    )
    assert list(row["urls"]) == ["https://news.example.net/a"]


def test_reply_that_quotes_is_a_reply(tmp_path: Path) -> None:
    embed = {"$type": "app.bsky.embed.record", "record": {"uri": at(GP, "3kq"), "cid": "c"}}
    item = feed_item(
        "3kr",
        WARD,
        reply={
            "root": {"uri": at(CARER, "3kp"), "cid": "c"},
            "parent": {"uri": at(CARER, "3kp"), "cid": "c"},
        },
        embed=embed,
    )
    tables = read_bluesky_exports([write_documents(tmp_path / "p.jsonl", feed_page(item))])
    assert tables.posts["kind"].tolist() == ["reply"]
    assert tables.interactions["kind"].tolist() == ["reply"]


@pytest.mark.parametrize("name", ["bom.json", "bom.jsonl"])
def test_utf8_byte_order_mark_is_accepted(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(
        b"\xef\xbb\xbf" + json.dumps(feed_page(feed_item("3k1", WARD))).encode() + b"\n"
    )
    assert read_bluesky_exports([path]).posts["post_id"].tolist() == [pid(WARD, "3k1")]


def test_error_body_is_counted_not_rejected(tmp_path: Path) -> None:
    path = write_documents(
        tmp_path / "p.jsonl",
        {"error": "InvalidRequest", "message": "Profile not found"},
        feed_page(feed_item("3k1", WARD)),
    )
    tables = read_bluesky_exports([path])
    assert (tables.api_errors, tables.records, len(tables.posts)) == (1, 2, 1)
