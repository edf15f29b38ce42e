"""Write simulated Mastodon activity as its REST API returns it.

``mastodon/<nominee_id>.statuses.json``: ``GET /api/v1/accounts/:id/statuses`` (a JSON
array of Status entities, newest first; a boost is a Status whose ``reblog`` holds the
boosted Status); ``mastodon/accounts.json``: the nominees' Account entities.
Entities: https://docs.joinmastodon.org/entities/Status/ and /Account/.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from src.simulate.events import YearActivity
from src.simulate.texts import PostTexts, iso

SERVERS = ("health.example", "med-mastodon.example", "nurses.example")


def mastodon_server(nominee_id: str) -> str:
    """The (reserved-domain) server a simulated nominee's Mastodon account lives on."""
    return SERVERS[int(nominee_id[1:]) % len(SERVERS)]


def _account(
    account_id: str, username: str, server: str, name: str, followers: int, note: str
) -> dict[str, Any]:
    return {
        "id": account_id,
        "username": username,
        "acct": username,
        "display_name": name,
        "locked": False,
        "bot": False,
        "created_at": "2022-11-07T00:00:00.000Z",
        "note": f"<p>{html.escape(note)}</p>",
        "url": f"https://{server}/@{username}",
        "followers_count": int(followers),
        "following_count": int(followers * 0.8) + 10,
        "statuses_count": int(followers * 2) + 5,
    }


def write_mastodon(
    out_dir: Path,
    activity: YearActivity,
    nominees: pd.DataFrame,
    audience: pd.DataFrame,
    rng: np.random.Generator,
) -> dict[str, int]:
    """Write statuses and accounts for the nominees on Mastodon; return counts."""
    members = nominees[nominees["on_mastodon"]]
    if members.empty:
        return {"mastodon_posts": 0}
    folder = out_dir / "mastodon"
    folder.mkdir(parents=True, exist_ok=True)
    text = PostTexts(rng, size=200)
    start = int(activity.window_start.timestamp())
    window_s = int((activity.window_end - activity.window_start).total_seconds())
    accounts, total = [], 0
    for row in members.itertuples():
        server = mastodon_server(row.nominee_id)
        followers = max(int(row.followers * 0.1), 3)
        me = _account(
            str(109_000_000_000_000_000 + int(row.nominee_id[1:])),
            row.x_handle,
            server,
            row.name,
            followers,
            f"Simulated {row.category} account. Not a real person.",
        )
        accounts.append(me)
        n = int(rng.poisson(0.3 * row.activity * window_s / 86400))
        times = np.sort(start + rng.integers(0, window_s, size=n))[::-1]
        scale = 0.015 * followers**0.7 * np.exp(0.9 * row.quality)
        statuses = []
        for index, (t, kind) in enumerate(
            zip(
                times,
                rng.choice(["original", "reply", "reblog"], size=n, p=[0.7, 0.2, 0.1]),
                strict=True,
            )
        ):
            status_id = str(110_000_000_000_000_000 + int(t) * 1000 + index)
            other_index = int(rng.integers(len(audience)))
            other_server = SERVERS[other_index % len(SERVERS)]
            other = _account(
                str(108_000_000_000_000_000 + other_index),
                audience.at[other_index, "handle"],
                other_server,
                f"Simulated user {other_index}",
                int(audience.at[other_index, "followers"]),
                "Simulated account",
            )
            other["acct"] = f"{other['username']}@{other_server}"
            status: dict[str, Any] = {
                "id": status_id,
                "uri": f"https://{server}/users/{me['username']}/statuses/{status_id}",
                "url": f"https://{server}/@{me['username']}/{status_id}",
                "created_at": iso(t),
                "in_reply_to_id": None,
                "in_reply_to_account_id": None,
                "reblog": None,
                "sensitive": False,
                "spoiler_text": "",
                "visibility": "public",
                "language": "en",
                "replies_count": 0,
                "reblogs_count": 0,
                "favourites_count": 0,
                "content": "",
                "mentions": [],
                "tags": [],
                "media_attachments": [],
                "account": me,
            }
            if kind == "reblog":
                boosted_id = str(int(status_id) - 5000)
                body, _ = text.make([], [], None)
                status["reblog"] = {
                    **status,
                    "id": boosted_id,
                    "uri": f"https://{other_server}/users/{other['username']}/statuses/{boosted_id}",
                    "url": f"https://{other_server}/@{other['username']}/{boosted_id}",
                    "created_at": iso(t - 3600),
                    "account": other,
                    "content": f"<p>{html.escape(body)}</p>",
                    "replies_count": int(rng.poisson(1)),
                    "reblogs_count": int(rng.poisson(2)) + 1,
                    "favourites_count": int(rng.poisson(4)),
                }
                statuses.append(status)
                continue
            mention = kind == "reply" or rng.random() < 0.2
            body, _ = text.make([], [], None)
            if mention:
                status["mentions"] = [
                    {
                        "id": other["id"],
                        "username": other["username"],
                        "url": other["url"],
                        "acct": other["acct"],
                    }
                ]
                link = (
                    f'<span class="h-card"><a href="{other["url"]}" class="u-url mention">'
                    f"@<span>{other['username']}</span></a></span> "
                )
            else:
                link = ""
            status["content"] = f"<p>{link}{html.escape(body)}</p>"
            if kind == "reply":
                status["in_reply_to_id"] = str(int(status_id) - 7000)
                status["in_reply_to_account_id"] = other["id"]
            status["favourites_count"] = int(rng.negative_binomial(1.5, 1.5 / (1.5 + scale)))
            status["reblogs_count"] = int(rng.negative_binomial(1.5, 1.5 / (1.5 + 0.15 * scale)))
            status["replies_count"] = int(
                rng.negative_binomial(
                    1.5, 1.5 / (1.5 + 0.12 * scale * np.exp(0.8 * row.conversation))
                )
            )
            statuses.append(status)
        (folder / f"{row.nominee_id}.statuses.json").write_text(
            json.dumps(statuses, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        total += len(statuses)
    (folder / "accounts.json").write_text(
        json.dumps(accounts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return {"mastodon_posts": total}
