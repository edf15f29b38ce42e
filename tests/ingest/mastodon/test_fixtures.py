"""The Mastodon reader (src.ingest.mastodon) on the hand-written REST API fixtures.

Counts, sums and the set of accounts are computed here from the fixture files with
``json`` and ``urllib``, independently of the reader; text, kinds, references and
interactions are checked against values worked out by hand from the files (see
tests/ingest/data/mastodon/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import pytest

from src.ingest.mastodon import html_text, read_mastodon_exports
from src.schemas import validate
from tests.ingest.mastodon.helpers import (
    CARER,
    DATA,
    FIXTURE_FILES,
    GP,
    GP_STATUS,
    NURSE,
    PHARM,
    PHARM_STATUS,
    QUIET,
    TRUST,
    b,
    dated_copies,
    s,
)

# --- independent reading of the fixtures ------------------------------------------------


def _documents(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return [json.loads(text)]


def _entities(paths: list[Path]) -> list[dict[str, Any]]:
    out = []
    for path in sorted(paths):
        for doc in _documents(path):
            out.extend(doc if isinstance(doc, list) else [doc])
    return out


def _statuses(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """Public and unlisted statuses by uri (the last copy wins)."""
    return {
        e["uri"]: e
        for e in _entities(paths)
        if "content" in e and "acct" not in e and e["visibility"] in ("public", "unlisted")
    }


def _handle(account: dict[str, Any]) -> str:
    return f"mastodon:{account['username']}@{urlparse(account['url']).hostname}".lower()


def _accounts(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """Every Account object (look-ups, status authors, reblogged and quoted authors); last wins."""
    found: dict[str, dict[str, Any]] = {}
    for entity in _entities(paths):
        if "acct" in entity:
            found[_handle(entity)] = entity
        elif "error" not in entity:
            nested = [entity.get("reblog"), ((entity.get("quote") or {}).get("quoted_status"))]
            for status in [*(n for n in nested if n), entity]:
                found[_handle(status["account"])] = status["account"]
    return found


def _all_paths(folder: Path) -> list[Path]:
    """Copies of the fixture files, retrieved (modified) in the order of their names."""
    return dated_copies(folder, sorted(DATA / name for name in FIXTURE_FILES))


# --- the fixture files -------------------------------------------------------------------


def test_fixture_list_covers_every_file() -> None:
    assert sorted(p.name for p in DATA.glob("*.json*")) == sorted(FIXTURE_FILES)
    assert (DATA / "README.md").is_file()


@pytest.mark.parametrize(
    "names", [[name] for name in FIXTURE_FILES] + [list(FIXTURE_FILES)], ids=[*FIXTURE_FILES, "all"]
)
def test_counts_and_sums_follow_the_files(names: list[str], tmp_path: Path) -> None:
    paths = dated_copies(tmp_path, sorted(DATA / name for name in names))
    statuses = _statuses(paths)
    own = [st for st in statuses.values() if st["reblog"] is None]
    documents = [doc for path in sorted(paths) for doc in _documents(path)]
    tables = read_mastodon_exports(list(reversed(paths)))

    assert tables.platform == "mastodon"
    assert tables.files == tuple(str(p) for p in sorted(paths))
    assert tables.records == len(documents)
    assert tables.api_errors == sum(
        1 for doc in documents if isinstance(doc, dict) and "error" in doc
    )
    posts = tables.posts
    assert sorted(posts["post_id"]) == sorted(f"mastodon:{uri}" for uri in statuses)
    assert int(posts["likes"].sum()) == sum(st["favourites_count"] for st in own)
    assert int(posts["reposts"].sum()) == sum(st["reblogs_count"] for st in own)
    assert int(posts["replies"].sum()) == sum(st["replies_count"] for st in own)
    assert int(posts["quotes"].sum()) == sum(st.get("quotes_count", 0) for st in own)
    # A server that does not count quotes (before Mastodon 4.5) leaves them missing, not 0.
    assert int(posts["quotes"].isna().sum()) == sum(1 for st in own if "quotes_count" not in st)
    assert (posts["kind"] == "repost").sum() == len(statuses) - len(own)
    assert int(posts["has_media"].sum()) == sum(1 for st in own if st["media_attachments"])
    assert posts["impressions"].isna().all()
    by_id = posts.set_index("post_id")
    for uri, st in statuses.items():
        row = by_id.loc[f"mastodon:{uri}"]
        assert row["account_id"] == _handle(st["account"])
        assert row["created_at"] == pd.Timestamp(st["created_at"])
        assert list(row["hashtags"]) == (
            [t["name"] for t in st["tags"]] if st["reblog"] is None else []
        )

    accounts = _accounts(paths)
    frame = tables.accounts.set_index("account_id")
    assert sorted(frame.index) == sorted(accounts)
    for key, account in accounts.items():
        row = frame.loc[key]
        for column, field in (
            ("followers", "followers_count"),
            ("following", "following_count"),
            ("posts_total", "statuses_count"),
        ):
            expected = account[field]
            assert pd.isna(row[column]) if expected == -1 else row[column] == expected, (
                key,
                column,
            )
        assert row["name"] == account["display_name"]
        assert row["handle"] == key.removeprefix("mastodon:")
        assert row["created_at"] == pd.Timestamp(account["created_at"])
    assert frame["listed"].isna().all()

    validate(
        posts, "posts", "mastodon fixtures"
    )  # account-only files give empty frames: they validate too
    validate(tables.interactions, "interactions", "mastodon fixtures")
    validate(
        tables.accounts.assign(is_nominee=False, nominee_id=None), "accounts", "mastodon fixtures"
    )


def test_latest_copy_of_an_account_wins_and_hidden_counts_are_missing(tmp_path: Path) -> None:
    frame = read_mastodon_exports(_all_paths(tmp_path)).accounts.set_index("account_id")
    # Retrieved (modified) in this order: account_wardnurse.json (880) <
    # statuses_trust.jsonl (895) < statuses_wardnurse.json (900).
    assert frame.loc[NURSE, "followers"] == 900
    assert (
        frame.loc[NURSE, "description"]
        == "Ward nurse (simulated for tests). Views my own & nobody else's."
    )
    assert pd.isna(frame.loc[QUIET, "followers"]) and pd.isna(frame.loc[QUIET, "following"])
    assert frame.loc[QUIET, "posts_total"] == 12
    assert pd.isna(frame.loc[PHARM, "description"])  # empty note
    # Mentioned-only accounts have no Account object: no row (as in the X reader).
    assert CARER not in frame.index


def test_same_account_seen_from_two_servers_has_one_id(tmp_path: Path) -> None:
    entities = _entities(_all_paths(tmp_path))
    local_ids = {
        e["account"]["id"]
        for e in entities
        if "content" in e and e["account"]["username"] == "wardnurse"
    }
    local_ids |= {
        e["reblog"]["account"]["id"]
        for e in entities
        if e.get("reblog") and e["reblog"]["account"]["username"] == "wardnurse"
    }
    assert len(local_ids) == 2  # nhs.example.social and trust.example.org number it differently
    tables = read_mastodon_exports(_all_paths(tmp_path))
    assert (tables.accounts["account_id"] == NURSE).sum() == 1
    assert set(
        tables.posts.loc[
            tables.posts["post_id"].str.startswith("mastodon:https://nhs."), "account_id"
        ]
    ) == {NURSE}


def test_kinds_and_references_worked_out_by_hand(tmp_path: Path) -> None:
    tables = read_mastodon_exports(_all_paths(tmp_path))
    posts = tables.posts.set_index("post_id")
    expected = {
        s(1): ("original", None, None),
        s(2): ("reply", None, CARER),  # parent not in the export; account through the mention
        s(3): ("reply", s(1), NURSE),  # self-reply, resolved by local id
        s(4) + "/activity": ("repost", PHARM_STATUS, None),
        s(5): ("quote", GP_STATUS, None),
        s(6): ("original", None, None),  # pending quote: ignored
        s(7): ("quote", s(1), None),  # ShallowQuote by quoted_status_id
        s(8): ("original", None, None),
        b(1): (
            "reply",
            s(1),
            NURSE,
        ),  # parent resolved through B3's reblogged copy, later in the file
        b(2): ("original", None, None),
        b(3) + "/activity": ("repost", s(1), None),
    }
    assert sorted(posts.index) == sorted(expected)
    for post_id, (kind, referenced, reply_to) in expected.items():
        row = posts.loc[post_id]
        assert (row["kind"], row["referenced_post_id"], row["reply_to_account_id"]) == (
            kind,
            referenced,
            reply_to,
        ), post_id
    assert tables.notes == {
        "reply_parents_not_in_export": 1,
        "reply_accounts_unresolved": 0,
        "quotes_unresolved": 0,
    }


def test_interactions_worked_out_by_hand(tmp_path: Path) -> None:
    tables = read_mastodon_exports(_all_paths(tmp_path))
    got = sorted(
        tables.interactions[
            ["source_account_id", "target_account_id", "kind", "post_id"]
        ].itertuples(index=False, name=None)
    )
    assert got == sorted(
        [
            (NURSE, CARER, "mention", s(1)),
            (NURSE, CARER, "reply", s(2)),  # its @carer mention is the reply itself
            (NURSE, PHARM, "repost", s(4) + "/activity"),
            (NURSE, GP, "quote", s(5)),
            (TRUST, GP, "mention", b(2)),
            (TRUST, QUIET, "mention", b(2)),
            (TRUST, NURSE, "reply", b(1)),
            (TRUST, NURSE, "repost", b(3) + "/activity"),
        ]
    )  # the self-reply s(3) and self-quote s(7) engage nobody


def test_html_content_becomes_plain_text_with_links() -> None:
    posts = read_mastodon_exports([DATA / "statuses_wardnurse.json"]).posts.set_index("post_id")
    first = posts.loc[s(1)]
    assert (
        first["text"] == "Huge thanks to @carer for the feedback & the cake! Read more: "
        "https://ward.example.org/blog/thanks #NHS #nursing"
    )
    assert list(first["urls"]) == [
        "https://ward.example.org/blog/thanks"
    ]  # not the mention or hashtag links
    assert list(first["mentions"]) == [CARER]
    assert list(first["hashtags"]) == ["NHS", "nursing"]
    assert first["lang"] == "en"
    # The "RE: <link>" fallback Mastodon prepends to quote posts is not the author's text.
    quote = posts.loc[s(5)]
    assert quote["text"] == "Important audit, worth a read" and list(quote["urls"]) == []
    media_only = posts.loc[s(8)]
    assert media_only["text"] == "" and media_only["lang"] is None and media_only["has_media"]
    repost = posts.loc[s(4) + "/activity"]
    assert repost["text"] is None and list(repost["mentions"]) == []


@pytest.mark.parametrize(
    "html, text, urls",
    [
        ("<p>one<br>two<br />three</p><p>four</p>", "one two three four", []),
        ("<p>a &amp; b &lt;c&gt; &#39;d&#39; &quot;e&quot;</p>", "a & b <c> 'd' \"e\"", []),
        (
            '<p class="quote-inline">RE: <a href="https://x.example/1"><span>x</span></a></p>'
            '<p>mine <a href="https://y.example/">y</a></p>',
            "mine y",
            ["https://y.example/"],
        ),
        (
            '<p><a href="https://h.example/tags/nhs" class="mention hashtag" '
            'rel="tag">#<span>nhs</span></a> <a href="https://h.example/tags/x" rel="tag">#x</a>'
            "</p>",
            "#nhs #x",
            [],
        ),
        ("<p>unclosed <b>bold<p>next", "unclosed bold next", []),
        ("  plain\ttext\n\nwith   spaces ", "plain text with spaces", []),
        ("", "", []),
    ],
)
def test_html_text(html: str, text: str, urls: list[str]) -> None:
    assert html_text(html) == (text, urls)


def test_reblog_counts_are_not_credited_to_the_booster() -> None:
    (wrapper,) = [
        st for st in _statuses([DATA / "statuses_wardnurse.json"]).values() if st["reblog"]
    ]
    assert wrapper["reblog"]["favourites_count"] > 0  # the boosted status has engagement
    posts = read_mastodon_exports([DATA / "statuses_wardnurse.json"]).posts.set_index("post_id")
    row = posts.loc[f"mastodon:{wrapper['uri']}"]
    assert (row["likes"], row["reposts"], row["replies"], row["quotes"]) == (0, 0, 0, 0)
    assert f"mastodon:{wrapper['reblog']['uri']}" not in posts.index  # someone else's status


def test_duplicate_status_keeps_the_copy_read_last() -> None:
    lines = _documents(DATA / "statuses_trust.jsonl")
    copies = [
        st["favourites_count"]
        for line in lines
        for st in line
        if st["uri"].endswith("/112500000000000002")
    ]
    assert copies == [20, 26]
    posts = read_mastodon_exports([DATA / "statuses_trust.jsonl"]).posts.set_index("post_id")
    assert posts.loc[b(2), "likes"] == 26
