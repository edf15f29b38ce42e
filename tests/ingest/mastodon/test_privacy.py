"""Followers-only and direct Mastodon statuses leave no trace, through the whole ingest.

An export made with a nominee's own login holds their followers-only (``private``) statuses
and direct messages. They are dropped before anything in them is read: their text, the
accounts they mention, their ids and their authors' rows appear in no table, no summary
and no rejection; only their number does, in the data-quality notes. Built on a real page
of statuses (``../shared/fixtures/mastodon-api``) with a direct message and a private
status added the way the API returns them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pandas as pd

from src.ingest.mastodon import read_mastodon_exports
from src.ingest.pipeline import ingest_year
from src.ingest.quarantine import Rejects
from src.params import year_run
from tests.ingest.mastodon.helpers import write_documents

SECRETS = ("SECRET-DM-TEXT", "SECRET-PRIVATE-TEXT", "confidant", "hidden.example", "99900000000")
YEAR = 2026  # the recording's statuses are dated 2026


def _page_with_secrets(recordings: Path) -> list[dict[str, Any]]:
    """A real page of one account's statuses, plus a direct message, a private status, a
    public reply to the direct message, and a boost of the private status by its author."""
    page = json.loads((recordings / "test_fetch_next_previous_12.json").read_text("utf-8"))
    base = page[0]
    confidant = {
        "id": "424242",
        "username": "confidant",
        "acct": "confidant@hidden.example",
        "url": "https://hidden.example/@confidant",
    }

    def status(local: str, visibility: str, text: str, **extra: Any) -> dict[str, Any]:
        made = copy.deepcopy(base)
        made.update(
            id=local,
            uri=base["uri"].rsplit("/", 1)[0] + "/" + local,
            url=base["url"].rsplit("/", 1)[0] + "/" + local,
            visibility=visibility,
            content=f"<p>{text}</p>",
            **extra,
        )
        return made

    direct = status("999000000000001", "direct", "@confidant SECRET-DM-TEXT", mentions=[confidant])
    private = status("999000000000002", "private", "SECRET-PRIVATE-TEXT", mentions=[confidant])
    reply = status(
        "117020580000000001",
        "public",
        "a public reply to a direct message",
        in_reply_to_id=direct["id"],
        in_reply_to_account_id=confidant["id"],
    )
    boost = status("999000000000003", "private", "", reblog=copy.deepcopy(private))
    return [direct, private, reply, boost, *page]


def _no_secret_in(frame: pd.DataFrame, name: str) -> None:
    for column in frame.columns:
        for value in frame[column]:
            text = json.dumps(value.tolist() if hasattr(value, "tolist") else value, default=str)
            for secret in SECRETS:
                assert secret not in text, f"{secret!r} in {name}.{column}"


def test_reader_drops_them_before_reading_anything(
    mastodon_recordings: Path, tmp_path: Path
) -> None:
    page = _page_with_secrets(mastodon_recordings)
    rejects = Rejects()
    tables = read_mastodon_exports([write_documents(tmp_path / "amy.json", page)], rejects)
    public = [s for s in page if s["visibility"] in ("public", "unlisted")]
    assert sorted(tables.posts["post_id"]) == sorted(f"mastodon:{s['uri']}" for s in public)
    for name in ("posts", "accounts", "interactions"):
        _no_secret_in(getattr(tables, name), name)
    reply = tables.posts.set_index("post_id").loc[f"mastodon:{page[2]['uri']}"]
    # The parent is a direct message: not resolved, and its account is not known.
    assert reply["kind"] == "reply" and reply["referenced_post_id"] is None
    assert reply["reply_to_account_id"] is None
    note = rejects.quality.notes[("mastodon", "not_public_dropped")]
    assert note.count == 3 and "direct 1, private 2" in note.message
    assert not any(secret in note.message for secret in SECRETS)


def test_whole_ingest_keeps_no_trace(mastodon_recordings: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw" / str(YEAR)
    (raw / "mastodon").mkdir(parents=True)
    write_documents(raw / "mastodon" / "amy.json", _page_with_secrets(mastodon_recordings))
    (raw / "nominations.csv").write_text(
        "year,name,category,selected,mastodon_handle\n"
        f"{YEAR},Amy Test,nurse,yes,mastodonpy_test@localhost\n",
        encoding="utf-8",
    )
    run = year_run(YEAR, raw_dir=tmp_path / "raw", processed_dir=tmp_path / "processed")
    summary = ingest_year(run, key=b"p" * 32)
    assert summary["nominee_posts"] > 0
    for path in sorted(run.processed.iterdir()):
        if path.suffix == ".parquet":
            _no_secret_in(pd.read_parquet(path), path.name)
        else:
            text = path.read_text(encoding="utf-8")
            assert not any(secret in text for secret in SECRETS), path.name
    (note,) = [n for n in summary["data_quality"] if n["kind"] == "not_public_dropped"]
    assert note["count"] == 3 and note["files"] == ["mastodon/amy.json"]
