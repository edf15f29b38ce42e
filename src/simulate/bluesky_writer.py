"""Write simulated Bluesky activity as the AT Protocol's XRPC responses.

``bluesky/<handle>.feed.jsonl``: ``app.bsky.feed.getAuthorFeed`` pages, one per line
(``{"feed": [FeedViewPost...], "cursor": ...}``); reposts carry ``reason``
(``app.bsky.feed.defs#reasonRepost``), replies ``record.reply`` and the ``reply`` post
views, mentions ``record.facets`` (``app.bsky.richtext.facet#mention``).
``bluesky/profiles.json``: ``app.bsky.actor.getProfiles`` (``{"profiles": [...]}``).
Lexicons: https://github.com/bluesky-social/atproto/tree/main/lexicons/app/bsky
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from src.simulate.events import YearActivity
from src.simulate.texts import PostTexts, iso

_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def did(seed: str) -> str:
    """A did:plc-shaped identifier (24 base32 characters) derived from ``seed``."""
    digest = hashlib.sha256(seed.encode()).digest()
    return "did:plc:" + "".join(_ALPHABET[b % 32] for b in digest[:24])


def _tid(seconds: int, sequence: int) -> str:
    """A record key shaped like an AT Protocol TID (13 base32 characters, time-ordered)."""
    value = (int(seconds) * 1_000_000 + sequence % 1_000_000) << 10
    out = ""
    for _ in range(13):
        out = _ALPHABET[value & 31] + out
        value >>= 5
    return out


def _cid(uri: str) -> str:
    return "bafyrei" + hashlib.sha256(uri.encode()).hexdigest()[:52]


def bluesky_handle(x_handle: str) -> str:
    """The simulated nominee's Bluesky handle."""
    return x_handle.replace("_", "-") + ".bsky.social"


def write_bluesky(
    out_dir: Path,
    activity: YearActivity,
    nominees: pd.DataFrame,
    audience: pd.DataFrame,
    rng: np.random.Generator,
) -> dict[str, int]:
    """Write the year's Bluesky feeds and profiles for nominees on Bluesky; return counts."""
    members = nominees[nominees["on_bluesky"]]
    if members.empty:
        return {"bluesky_posts": 0}
    folder = out_dir / "bluesky"
    folder.mkdir(parents=True, exist_ok=True)
    text = PostTexts(rng, size=200)
    start = int(activity.window_start.timestamp())
    window_s = int((activity.window_end - activity.window_start).total_seconds())

    def audience_basic(i: int) -> dict[str, Any]:
        return {
            "did": did(f"audience-{i}"),
            "handle": audience.at[i, "handle"].replace("_", "-") + ".bsky.social",
            "displayName": f"Simulated user {i}",
        }

    profiles, total, sequence = [], 0, 0
    for row in members.itertuples():
        me = {
            "did": did(row.nominee_id),
            "handle": bluesky_handle(row.x_handle),
            "displayName": row.name,
        }
        followers = max(int(row.followers * 0.2), 5)
        profiles.append(
            {
                **me,
                "description": f"Simulated {row.category} account. Not a real person.",
                "followersCount": followers,
                "followsCount": int(followers * 0.7) + 5,
                "postsCount": int(row.activity * 200),
                "createdAt": "2023-11-01T00:00:00.000Z",
                "indexedAt": "2023-11-01T00:00:00.000Z",
            }
        )
        n = int(rng.poisson(0.5 * row.activity * window_s / 86400))
        times = np.sort(start + rng.integers(0, window_s, size=n))[::-1]
        kinds = rng.choice(["original", "reply", "repost"], size=n, p=[0.7, 0.15, 0.15])
        scale = 0.015 * followers**0.7 * np.exp(0.9 * row.quality)
        items = []
        for t, kind in zip(times, kinds, strict=True):
            sequence += 1
            other = audience_basic(int(rng.integers(len(audience))))
            if kind == "repost":
                uri = f"at://{other['did']}/app.bsky.feed.post/{_tid(t - 3600, sequence)}"
                body, _ = text.make([], [], None)
                post = {
                    "uri": uri,
                    "cid": _cid(uri),
                    "author": other,
                    "record": {
                        "$type": "app.bsky.feed.post",
                        "text": body,
                        "createdAt": iso(t - 3600),
                        "langs": ["en"],
                    },
                    "replyCount": 0,
                    "repostCount": int(rng.poisson(2)) + 1,
                    "likeCount": int(rng.poisson(5)),
                    "quoteCount": 0,
                    "indexedAt": iso(t - 3600),
                }
                items.append(
                    {
                        "post": post,
                        "reason": {
                            "$type": "app.bsky.feed.defs#reasonRepost",
                            "by": me,
                            "indexedAt": iso(t),
                        },
                    }
                )
                continue
            uri = f"at://{me['did']}/app.bsky.feed.post/{_tid(t, sequence)}"
            mentions = [other] if kind == "reply" or rng.random() < 0.2 else []
            body, _ = text.make([m["handle"] for m in mentions], [], None)
            record: dict[str, Any] = {
                "$type": "app.bsky.feed.post",
                "text": body,
                "createdAt": iso(t),
                "langs": ["en"],
            }
            if mentions:
                handle_bytes = len(("@" + mentions[0]["handle"]).encode("utf-8"))
                record["facets"] = [
                    {
                        "index": {"byteStart": 0, "byteEnd": handle_bytes},
                        "features": [
                            {"$type": "app.bsky.richtext.facet#mention", "did": mentions[0]["did"]}
                        ],
                    }
                ]
            item: dict[str, Any] = {}
            if kind == "reply":
                parent_uri = f"at://{other['did']}/app.bsky.feed.post/{_tid(t - 1800, sequence)}"
                ref = {"uri": parent_uri, "cid": _cid(parent_uri)}
                record["reply"] = {"root": ref, "parent": ref}
                parent_view = {
                    **ref,
                    "author": other,
                    "record": {
                        "$type": "app.bsky.feed.post",
                        "text": "Simulated post",
                        "createdAt": iso(t - 1800),
                    },
                    "replyCount": 1,
                    "repostCount": 0,
                    "likeCount": 1,
                    "quoteCount": 0,
                    "indexedAt": iso(t - 1800),
                }
                item["reply"] = {"root": parent_view, "parent": parent_view}
            likes = int(rng.negative_binomial(1.5, 1.5 / (1.5 + scale)))
            post = {
                "uri": uri,
                "cid": _cid(uri),
                "author": me,
                "record": record,
                "replyCount": int(
                    rng.negative_binomial(
                        1.5, 1.5 / (1.5 + 0.12 * scale * np.exp(0.8 * row.conversation))
                    )
                ),
                "repostCount": int(rng.negative_binomial(1.5, 1.5 / (1.5 + 0.15 * scale))),
                "likeCount": likes,
                "quoteCount": 0,
                "indexedAt": iso(t),
            }
            items.insert(len(items), {"post": post, **item})
        with open(folder / f"{me['handle']}.feed.jsonl", "w", encoding="utf-8") as handle:
            for page_start in range(0, max(len(items), 1), 50):
                page = items[page_start : page_start + 50]
                response: dict[str, Any] = {"feed": page}
                if page_start + 50 < len(items):
                    response["cursor"] = iso(times[page_start + 49])
                handle.write(json.dumps(response, ensure_ascii=False) + "\n")
        total += len(items)
    (folder / "profiles.json").write_text(
        json.dumps({"profiles": profiles}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return {"bluesky_posts": total}
