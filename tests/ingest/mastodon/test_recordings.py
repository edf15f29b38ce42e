"""The Mastodon reader on real REST API recordings (``../shared/fixtures/mastodon-api``).

The recordings are the bodies a real Mastodon 4.x server returned to the Mastodon.py test
suite, one response per file, listed in ``SOURCES.tsv`` in the order they were recorded:
pages of an account's statuses, accounts, and much that is not an account's statuses
(single statuses returned by posting, pinning or boosting, deleted statuses, edit
histories, polls, lists, relationships, instance information, trends). Expected values
are computed here from the raw files with ``json`` and ``urllib``, independently of the
reader. Copies are dated in the recorded order, as a folder of retrievals would be.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import pytest

from src.ingest.mastodon import read_mastodon_exports
from src.ingest.quarantine import Rejects
from src.schemas import validate
from tests.ingest.mastodon.helpers import dated_copies, write_documents

COUNTED = ("public", "unlisted")


# --- independent reading of the recordings -----------------------------------------------


def _recorded_order(folder: Path) -> list[Path]:
    """The recordings in the order SOURCES.tsv lists them (each recording's calls in order)."""
    lines = (folder / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()
    return [folder / line.split("\t")[0] for line in lines if line.strip()]


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _is_status(obj: Any) -> bool:
    return isinstance(obj, dict) and {"uri", "content", "account"} <= set(obj) and "acct" not in obj


def _handle(account: dict[str, Any]) -> str:
    return f"{account['username']}@{urlparse(account['url']).hostname}".lower()


def _is_page(document: Any) -> bool:
    """A page of one account's statuses (boosts by it included)."""
    return (
        isinstance(document, list)
        and bool(document)
        and all(_is_status(s) for s in document)
        and len({_handle(s["account"]) for s in document}) == 1
    )


def _is_accounts(document: Any) -> bool:
    items = document if isinstance(document, list) else [document]
    return bool(items) and all(isinstance(a, dict) and "acct" in a for a in items)


def _is_error(document: Any) -> bool:
    return isinstance(document, dict) and set(document) == {"error"}


def _expected(paths: list[Path]) -> dict[str, Any]:
    """What the counting rules say the recordings hold, the later file's copy winning."""
    statuses: dict[str, dict[str, Any]] = {}
    accounts: dict[str, dict[str, Any]] = {}
    skipped: list[str] = []
    errors = 0
    for path in paths:
        document = _load(path)
        if _is_page(document):
            for status in document:
                if status["visibility"] not in COUNTED:
                    continue
                statuses[status["uri"]] = status
                nested = [status["account"]]
                if status["reblog"]:
                    nested.append(status["reblog"]["account"])
                quote = status.get("quote") or {}
                if quote.get("state") == "accepted" and quote.get("quoted_status"):
                    nested.append(quote["quoted_status"]["account"])
                accounts.update((_handle(a), a) for a in nested)
        elif _is_accounts(document):
            items = document if isinstance(document, list) else [document]
            accounts.update((_handle(a), a) for a in items)
        elif _is_error(document):
            errors += 1
        elif document != []:
            skipped.append(path.name)
    return {"statuses": statuses, "accounts": accounts, "skipped": skipped, "errors": errors}


# --- all the recordings, as one folder ------------------------------------------------------


def test_every_recording_read_together(mastodon_recordings: Path, tmp_path: Path) -> None:
    ordered = _recorded_order(mastodon_recordings)
    assert sorted(p.name for p in ordered) == sorted(
        p.name for p in mastodon_recordings.glob("*.json")
    )
    paths = dated_copies(tmp_path, ordered)
    expected = _expected(paths)
    rejects = Rejects()  # strict: skipping what is not statuses never stops a run
    tables = read_mastodon_exports(paths, rejects=rejects)

    statuses = expected["statuses"]
    own = [s for s in statuses.values() if s["reblog"] is None]
    posts = tables.posts
    assert sorted(posts["post_id"]) == sorted(f"mastodon:{uri}" for uri in statuses)
    assert int(posts["likes"].sum()) == sum(s["favourites_count"] for s in own)
    assert int(posts["reposts"].sum()) == sum(s["reblogs_count"] for s in own)
    assert int(posts["replies"].sum()) == sum(s["replies_count"] for s in own)
    assert int(posts["quotes"].sum()) == sum(s["quotes_count"] for s in own)
    assert int((posts["kind"] == "repost").sum()) == len(statuses) - len(own)
    assert (tables.records, tables.api_errors) == (len(paths), expected["errors"])

    frame = tables.accounts.set_index("account_id")
    assert sorted(frame.index) == sorted(f"mastodon:{h}" for h in expected["accounts"])
    for handle, account in expected["accounts"].items():
        row = frame.loc[f"mastodon:{handle}"]
        # statuses_count and followers change between calls: the latest retrieval wins
        assert row["posts_total"] == account["statuses_count"], handle
        assert row["followers"] == account["followers_count"], handle
    assert not frame["hide_from_logged_out"].any()  # Mastodon has no such setting

    note = rejects.quality.notes[("mastodon", "not_statuses_skipped")]
    assert note.count == len(expected["skipped"]) and note.severity == "warning"
    assert sorted(Path(f).name for f in note.files) == sorted(expected["skipped"])
    for what in ("a single status", "a deleted status", "edit history", "a poll", "a list"):
        assert what in note.message, what
    assert ("mastodon", "not_public_dropped") not in rejects.quality.notes  # none recorded

    validate(posts, "posts", "mastodon recordings")
    validate(tables.interactions, "interactions", "mastodon recordings")
    validate(
        tables.accounts.assign(is_nominee=False, nominee_id=None), "accounts", "mastodon recordings"
    )


def test_pages_that_overlap_give_each_status_once(mastodon_recordings: Path) -> None:
    # Paging with max_id and then min_id returns some statuses twice.
    names = [f"test_fetch_next_previous_{n}.json" for n in (12, 13, 14)]
    pages = [_load(mastodon_recordings / n) for n in names]
    uris = {s["uri"] for page in pages for s in page if s["visibility"] in COUNTED}
    assert sum(len(page) for page in pages) > len(uris)
    tables = read_mastodon_exports([mastodon_recordings / n for n in names])
    assert sorted(tables.posts["post_id"]) == sorted(f"mastodon:{u}" for u in uris)


# --- each rule, on real statuses ------------------------------------------------------------


def _status(folder: Path, name: str) -> dict[str, Any]:
    document = _load(folder / name)
    return document[0] if isinstance(document, list) else document


def test_statuses_by_several_accounts_are_a_timeline_and_skipped(
    mastodon_recordings: Path, tmp_path: Path
) -> None:
    # A home timeline: statuses by three accounts, none a boost by one of them.
    timeline = [
        _status(mastodon_recordings, name)
        for name in ("test_polls_1.json", "test_status_edit_1.json", "test_account_pinned_1.json")
    ]
    assert len({_handle(s["account"]) for s in timeline}) == 3
    path = write_documents(tmp_path / "home.json", timeline)
    for rejects in (Rejects(strict=True), Rejects(strict=False)):
        tables = read_mastodon_exports([path], rejects=rejects)
        assert tables.posts.empty and tables.accounts.empty and len(rejects) == 0
        note = rejects.quality.notes[("mastodon", "not_statuses_skipped")]
        assert "a timeline: statuses by 3 accounts" in note.message
        assert note.files == (str(path),)


def test_pinned_statuses_repeat_the_timeline_and_count_once(
    mastodon_recordings: Path, tmp_path: Path
) -> None:
    # The account's statuses, then the pinned endpoint (GET …/statuses?pinned=true).
    timeline = [
        _status(mastodon_recordings, n)
        for n in ("test_account_pinned_2.json", "test_account_pinned_1.json")
    ]
    pinned = _load(mastodon_recordings / "test_account_pinned_5.json")
    assert pinned[0]["uri"] == timeline[1]["uri"] and pinned[0]["pinned"]
    path = write_documents(tmp_path / "amy.jsonl", timeline, pinned)
    posts = read_mastodon_exports([path]).posts
    assert sorted(posts["post_id"]) == sorted(f"mastodon:{s['uri']}" for s in timeline)


def test_edited_status_is_one_post_with_the_version_exported(
    mastodon_recordings: Path, tmp_path: Path
) -> None:
    first = _status(mastodon_recordings, "test_status_edit_1.json")
    edited = _status(mastodon_recordings, "test_status_edit_4.json")
    assert first["uri"] == edited["uri"] and edited["edited_at"] and not first["edited_at"]
    older = write_documents(tmp_path / "b_before.json", [first])
    newer = write_documents(tmp_path / "a_after.json", [edited])
    history = mastodon_recordings / "test_status_edit_5.json"  # GET …/history
    paths = dated_copies(tmp_path / "dated", [older, newer, history])
    rejects = Rejects()
    posts = read_mastodon_exports(paths, rejects=rejects).posts
    (row,) = posts.itertuples()
    assert row.text == "the best editor? why, of course it is the KDE Advanced Text Editor, Kate"
    assert row.created_at == pd.Timestamp(first["created_at"])  # when first posted
    assert rejects.quality.notes[("mastodon", "edited")].count == 1
    skipped = rejects.quality.notes[("mastodon", "not_statuses_skipped")]
    assert skipped.count == 1 and "edit history" in skipped.message


def test_poll_is_part_of_its_status(mastodon_recordings: Path, tmp_path: Path) -> None:
    status = _status(mastodon_recordings, "test_polls_1.json")
    assert status["poll"]["options"]
    path = write_documents(tmp_path / "admin.json", [status])
    poll = mastodon_recordings / "test_polls_3.json"  # GET /api/v1/polls/:id
    rejects = Rejects()
    tables = read_mastodon_exports([path, poll], rejects=rejects)
    (row,) = tables.posts.itertuples()
    assert (row.text, row.likes, row.replies) == ("nice", 0, 0)  # votes are not engagement
    assert "a poll" in rejects.quality.notes[("mastodon", "not_statuses_skipped")].message


def test_content_warning_comes_first_in_the_text(mastodon_recordings: Path, tmp_path: Path) -> None:
    status = _status(mastodon_recordings, "test_status_post_Content_warning_public__1.json")
    assert status["spoiler_text"] == "Content warning"
    rejects = Rejects()
    posts = read_mastodon_exports(
        [write_documents(tmp_path / "cw.json", [status])], rejects=rejects
    ).posts
    assert posts["text"].tolist() == ["[CW: Content warning] Toot!"]
    assert rejects.quality.notes[("mastodon", "content_warnings")].count == 1


def test_boost_and_quotes_on_real_statuses(mastodon_recordings: Path, tmp_path: Path) -> None:
    boost = _status(mastodon_recordings, "test_status_reblog_unreblog_2.json")
    quote = _status(mastodon_recordings, "test_status_post_with_quote_2.json")
    revoked = _status(mastodon_recordings, "test_status_quote_revoke_3.json")
    path = write_documents(tmp_path / "p.jsonl", [boost, quote], [revoked])
    posts = read_mastodon_exports([path]).posts.set_index("post_id")
    row = posts.loc[f"mastodon:{boost['uri']}"]
    assert (row["kind"], row["referenced_post_id"]) == (
        "repost",
        f"mastodon:{boost['reblog']['uri']}",
    )
    assert (row["likes"], row["text"]) == (0, None)
    row = posts.loc[f"mastodon:{quote['uri']}"]
    assert (row["kind"], row["referenced_post_id"], row["text"]) == (
        "quote",
        f"mastodon:{quote['quote']['quoted_status']['uri']}",
        "yoooooooo",  # the "RE: <link>" fallback dropped
    )
    assert revoked["quote"]["state"] == "revoked"
    assert posts.loc[f"mastodon:{revoked['uri']}", "kind"] == "original"


@pytest.mark.parametrize("count", ["replies_count", "quotes_count"])
def test_a_count_an_older_server_lacks_is_missing(
    mastodon_recordings: Path, tmp_path: Path, count: str
) -> None:
    # Servers before Mastodon 2.5 send no replies_count, before 4.5 no quotes_count.
    page = _load(mastodon_recordings / "test_fetch_next_previous_12.json")
    for status in page:
        del status[count]
    rejects = Rejects()
    tables = read_mastodon_exports([write_documents(tmp_path / "old.json", page)], rejects=rejects)
    column = count.removesuffix("_count")
    assert len(tables.posts) == len(page) and len(rejects) == 0
    assert tables.posts[column].isna().all()
    assert int(tables.posts["likes"].sum()) == sum(s["favourites_count"] for s in page)
    note = rejects.quality.notes[("mastodon", "counts_missing")]
    assert note.count == len(page) and f"lack {count}" in note.message
    validate(tables.posts, "posts", "old server")
