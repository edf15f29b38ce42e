"""The Mastodon reader (src.ingest.mastodon) on hand-written REST API fixtures and responses.

Counts, sums and the set of accounts are computed here from the fixture files with
``json`` and ``urllib``, independently of the reader; text, kinds, references and
interactions are checked against values worked out by hand from the files (see
tests/data/mastodon/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import pytest

from src.errors import InputError
from src.ingest.mastodon import html_text, read_mastodon_exports
from src.ingest.quarantine import Rejects
from src.schemas import validate

DATA = Path(__file__).resolve().parent / "data" / "mastodon"
FIXTURE_FILES = (
    "account_wardnurse.json",
    "accounts_batch.jsonl",
    "statuses_trust.jsonl",
    "statuses_wardnurse.json",
)

NURSE = "mastodon:wardnurse@nhs.example.social"
TRUST = "mastodon:nhstrust@trust.example.org"
CARER = "mastodon:carer@health.example.net"
PHARM = "mastodon:pharmacist@pharm.example.com"
GP = "mastodon:gp_sim@clinic.example.net"
QUIET = "mastodon:quiet@glitch.example.net"


def s(n: int) -> str:
    """Post id of the ward nurse's status 11200000000000010<n> on nhs.example.social."""
    return f"mastodon:https://nhs.example.social/users/wardnurse/statuses/11200000000000010{n}"


def b(n: int) -> str:
    """Post id of the trust's status 11250000000000000<n> on trust.example.org."""
    return f"mastodon:https://trust.example.org/users/nhstrust/statuses/11250000000000000{n}"


PHARM_STATUS = "mastodon:https://pharm.example.com/users/pharmacist/statuses/555001"
GP_STATUS = "mastodon:https://clinic.example.net/users/GP_Sim/statuses/333777"


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
    """Statuses by uri (the last copy wins)."""
    return {e["uri"]: e for e in _entities(paths) if "content" in e and "acct" not in e}


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


def _all_paths() -> list[Path]:
    return [DATA / name for name in FIXTURE_FILES]


# --- the fixture files -------------------------------------------------------------------


def test_fixture_list_covers_every_file() -> None:
    assert sorted(p.name for p in DATA.glob("*.json*")) == sorted(FIXTURE_FILES)
    assert (DATA / "README.md").is_file()


@pytest.mark.parametrize(
    "names", [[name] for name in FIXTURE_FILES] + [list(FIXTURE_FILES)], ids=[*FIXTURE_FILES, "all"]
)
def test_counts_and_sums_follow_the_files(names: list[str]) -> None:
    paths = [DATA / name for name in names]
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


def test_last_copy_of_an_account_wins_and_hidden_counts_are_missing() -> None:
    frame = read_mastodon_exports(_all_paths()).accounts.set_index("account_id")
    # account_wardnurse.json (880) < statuses_trust.jsonl (895) < statuses_wardnurse.json (900)
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


def test_same_account_seen_from_two_servers_has_one_id() -> None:
    entities = _entities(_all_paths())
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
    tables = read_mastodon_exports(_all_paths())
    assert (tables.accounts["account_id"] == NURSE).sum() == 1
    assert set(
        tables.posts.loc[
            tables.posts["post_id"].str.startswith("mastodon:https://nhs."), "account_id"
        ]
    ) == {NURSE}


def test_kinds_and_references_worked_out_by_hand() -> None:
    tables = read_mastodon_exports(_all_paths())
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


def test_interactions_worked_out_by_hand() -> None:
    tables = read_mastodon_exports(_all_paths())
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


# --- hand-written responses --------------------------------------------------------------


def _account(
    username: str = "amy", host: str = "a.example", local_id: str = "1", **extra: Any
) -> dict[str, Any]:
    account = {
        "id": local_id,
        "username": username,
        "acct": username,
        "display_name": username.title(),
        "note": "",
        "url": f"https://{host}/@{username}",
        "created_at": "2023-01-01T00:00:00.000Z",
        "followers_count": 10,
        "following_count": 5,
        "statuses_count": 3,
    }
    account.update(extra)
    return account


def _status(
    local_id: str,
    *,
    account: dict[str, Any] | None = None,
    likes: int = 1,
    content: str = "<p>hello</p>",
    **extra: Any,
) -> dict[str, Any]:
    account = account or _account()
    status = {
        "id": local_id,
        "uri": f"{account['url'].replace('/@', '/users/')}/statuses/{local_id}",
        "url": None,
        "created_at": "2024-03-01T10:00:00.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "reblog": None,
        "content": content,
        "language": "en",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": likes,
        "mentions": [],
        "tags": [],
        "media_attachments": [],
        "account": account,
    }
    status.update(extra)
    return status


def _write(path: Path, *documents: Any) -> Path:
    out = b""
    for document in documents:
        if not isinstance(document, (str, bytes)):
            document = json.dumps(document, indent=2 if path.suffix == ".json" else None)
        out += (document if isinstance(document, bytes) else document.encode("utf-8")) + b"\n"
    path.write_bytes(out)
    return path


def _error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_mastodon_exports([path])
    message = str(info.value)
    assert message.startswith(str(path))
    return message


def test_local_ids_resolve_only_within_their_file(tmp_path: Path) -> None:
    parent = _status("7")
    reply = _status("8", in_reply_to_id="7", in_reply_to_account_id="1")
    together = read_mastodon_exports([_write(tmp_path / "one.json", [parent, reply])])
    assert (
        together.posts.set_index("post_id").loc[
            "mastodon:https://a.example/users/amy/statuses/8", "referenced_post_id"
        ]
        == "mastodon:https://a.example/users/amy/statuses/7"
    )
    # The same ids in another file may be another server's: they are not used.
    _write(tmp_path / "a.json", [parent])
    _write(
        tmp_path / "b.json",
        [
            _status(
                "8", account=_account(local_id="99"), in_reply_to_id="7", in_reply_to_account_id="1"
            )
        ],
    )
    apart = read_mastodon_exports([tmp_path / "a.json", tmp_path / "b.json"])
    row = apart.posts.set_index("post_id").loc["mastodon:https://a.example/users/amy/statuses/8"]
    assert (
        row["kind"] == "reply"
        and row["referenced_post_id"] is None
        and row["reply_to_account_id"] is None
    )
    assert (
        apart.notes["reply_parents_not_in_export"] == 1
        and apart.notes["reply_accounts_unresolved"] == 1
    )
    assert apart.interactions.empty


def test_reply_account_falls_back_to_the_parent_author(tmp_path: Path) -> None:
    # No mention names the replied-to account (the author removed it); the parent is in the file.
    parent = _status("7", account=_account("bob", "b.example", "5"))
    reply = _status("8", in_reply_to_id="7", in_reply_to_account_id="5555")
    tables = read_mastodon_exports([_write(tmp_path / "t.json", [reply, parent])])
    row = tables.posts.set_index("post_id").loc["mastodon:https://a.example/users/amy/statuses/8"]
    assert row["reply_to_account_id"] == "mastodon:bob@b.example"
    assert tables.interactions[["target_account_id", "kind"]].values.tolist() == [
        ["mastodon:bob@b.example", "reply"]
    ]
    assert tables.notes["reply_accounts_unresolved"] == 0


def test_server_is_the_profile_url_host_even_when_acct_names_another_domain(tmp_path: Path) -> None:
    # A server whose web domain differs from its account domain (WEB_DOMAIN): the url host
    # is what every server reports the same way, so it is the one used.
    account = _account("amy", "social.example.org", acct="amy@example.org")
    mention = {
        "id": "2",
        "username": "bob",
        "acct": "bob@example.net",
        "url": "https://mastodon.example.net/@bob",
    }
    tables = read_mastodon_exports(
        [_write(tmp_path / "x.json", [_status("1", account=account, mentions=[mention])])]
    )
    assert tables.posts["account_id"].tolist() == ["mastodon:amy@social.example.org"]
    assert list(tables.posts.iloc[0]["mentions"]) == ["mastodon:bob@mastodon.example.net"]


@pytest.mark.parametrize("given", [["a.json", "b.json"], ["b.json", "a.json"]])
def test_duplicate_across_files_follows_sorted_paths(tmp_path: Path, given: list[str]) -> None:
    _write(tmp_path / "a.json", [_status("1", likes=9)])
    _write(tmp_path / "b.json", [_status("1", likes=2)])
    assert read_mastodon_exports([tmp_path / g for g in given]).posts["likes"].tolist() == [2]


@pytest.mark.parametrize(
    "quote, kind, referenced, note",
    [
        (
            {
                "state": "accepted",
                "status": _status("50", account=_account("gp", "c.example", "5")),
            },
            "quote",
            "mastodon:https://c.example/users/gp/statuses/50",
            0,
        ),
        ({"state": "accepted", "quoted_status_id": "404"}, "quote", None, 1),
        ({"state": "accepted", "quoted_status": None}, "quote", None, 1),
        ({"state": "rejected", "quoted_status": None}, "original", None, 0),
        (
            {
                "state": "revoked",
                "quoted_status": _status("51", account=_account("gp", "c.example", "5")),
            },
            "original",
            None,
            0,
        ),
        (None, "original", None, 0),
    ],
)
def test_quote_states(
    tmp_path: Path, quote: dict[str, Any] | None, kind: str, referenced: str | None, note: int
) -> None:
    tables = read_mastodon_exports([_write(tmp_path / "q.json", [_status("9", quote=quote)])])
    row = tables.posts.iloc[0]
    assert (row["kind"], row["referenced_post_id"]) == (kind, referenced)
    assert tables.notes["quotes_unresolved"] == note
    assert tables.interactions["kind"].tolist() == (["quote"] if referenced else [])


def test_single_status_and_single_account_documents(tmp_path: Path) -> None:
    _write(tmp_path / "status.json", _status("3"))
    _write(tmp_path / "account.json", _account("bob", "b.example", followers_count=77))
    tables = read_mastodon_exports([tmp_path / "status.json", tmp_path / "account.json"])
    assert tables.posts["post_id"].tolist() == ["mastodon:https://a.example/users/amy/statuses/3"]
    assert tables.accounts.set_index("account_id").loc["mastodon:bob@b.example", "followers"] == 77


def test_server_from_acct_when_there_is_no_url(tmp_path: Path) -> None:
    account = _account("Zed", acct="Zed@Far.Example", url=None)
    mention = {"id": "2", "username": "Yan", "acct": "Yan@Near.Example", "url": None}
    status = _status("4", account=_account(), mentions=[mention])
    tables = read_mastodon_exports([_write(tmp_path / "x.json", [account, status])])
    assert "mastodon:zed@far.example" in set(tables.accounts["account_id"])
    assert list(tables.posts.iloc[0]["mentions"]) == ["mastodon:yan@near.example"]


def test_error_body_is_counted_not_rejected(tmp_path: Path) -> None:
    tables = read_mastodon_exports(
        [_write(tmp_path / "p.jsonl", {"error": "Record not found"}, [_status("1")])]
    )
    assert (tables.api_errors, tables.records, len(tables.posts)) == (1, 2, 1)


def test_quarantine_skips_a_bad_status_and_keeps_the_rest(tmp_path: Path) -> None:
    path = _write(tmp_path / "p.jsonl", [_status("1"), _status("2", created_at="tuesday")], "[oops")
    rejects = Rejects(strict=False)
    tables = read_mastodon_exports([path], rejects=rejects)
    assert tables.posts["post_id"].tolist() == ["mastodon:https://a.example/users/amy/statuses/1"]
    assert rejects.frame(relative_to=str(tmp_path))[
        ["file", "record", "field"]
    ].values.tolist() == [
        ["p.jsonl", "line 1", "[1].created_at"],
        ["p.jsonl", "line 2", ""],
    ]


# --- bad inputs: each message names the file, the line or item, and the field --------------


def test_malformed_json_line(tmp_path: Path) -> None:
    message = _error(_write(tmp_path / "bad.jsonl", [_status("1")], "", "[{oops"))
    assert "line 3" in message and "not valid JSON" in message


def test_malformed_json_document(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"id": "1",\n   "uri": oops}\n]\n', encoding="utf-8")
    message = _error(path)
    assert "line 3" in message and "not valid JSON" in message


@pytest.mark.parametrize("name, content", [("empty.json", b""), ("blank.jsonl", b"\n\n")])
def test_empty_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert "is empty" in _error(path)


def test_non_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path / "latin1.jsonl", [_status("1")], b'[{"content": "caf\xe9"}]')
    message = _error(path)
    assert "line 2" in message and "not UTF-8" in message
    document = tmp_path / "latin1.json"
    document.write_bytes(b'[\n{"content": "caf\xe9"}\n]')
    message = _error(document)
    assert "line 2" in message and "not UTF-8" in message


@pytest.mark.parametrize(
    "changes, field, problem",
    [
        ({"id": 112000000000000101}, "[1].id", "expected a string id"),
        ({"uri": None}, "[1].uri", "required field is missing"),
        ({"created_at": None}, "[1].created_at", "required field is missing"),
        ({"created_at": "2024-02-30T10:00:00Z"}, "[1].created_at", "unparseable time"),
        ({"created_at": "2024-03-01T10:00:00"}, "[1].created_at", "no time zone"),
        ({"favourites_count": None}, "[1].favourites_count", "required field is missing"),
        ({"reblogs_count": -1}, "[1].reblogs_count", "expected a count"),
        ({"replies_count": 2.5}, "[1].replies_count", "expected a count"),
        ({"quotes_count": "3"}, "[1].quotes_count", "expected a count"),
        ({"content": None}, "[1].content", "required field is missing"),
        ({"content": ["<p>x</p>"]}, "[1].content", "expected text"),
        ({"account": None}, "[1].account", "required field is missing"),
        ({"account": _account(url=None)}, "[1].account.url", "cannot tell the server"),
        ({"account": _account(local_id=5)}, "[1].account.id", "expected a string id"),
        (
            {"account": _account(followers_count=-2)},
            "[1].account.followers_count",
            "expected a count",
        ),
        (
            {"account": _account(created_at="last year")},
            "[1].account.created_at",
            "unparseable time",
        ),
        (
            {"account": {**_account(), "username": None}},
            "[1].account.username",
            "required field is missing",
        ),
        (
            {"mentions": [{"id": "3", "username": "x", "acct": "x", "url": None}]},
            "[1].mentions[0].url",
            "cannot tell the server",
        ),
        ({"mentions": ["@x@y.example"]}, "[1].mentions", "expected a list of objects"),
        (
            {"tags": [{"url": "https://a.example/tags/x"}]},
            "[1].tags[0].name",
            "required field is missing",
        ),
        ({"in_reply_to_id": 7}, "[1].in_reply_to_id", "expected a string id"),
        (
            {"reblog": {"id": "9", "account": _account()}},
            "[1].reblog.uri",
            "required field is missing",
        ),
        ({"reblog": "yes"}, "[1].reblog", "expected an object"),
        ({"quote": {"quoted_status_id": "5"}}, "[1].quote.state", "required field is missing"),
        ({"media_attachments": {"id": "1"}}, "[1].media_attachments", "expected a list of objects"),
    ],
)
def test_bad_status_is_named(
    tmp_path: Path, changes: dict[str, Any], field: str, problem: str
) -> None:
    bad = _status("2")
    bad.update(changes)
    message = _error(_write(tmp_path / "bad.jsonl", [_status("1"), bad]))
    assert f"bad.jsonl, line 1, field '{field}'" in message
    assert problem in message


def test_bad_status_in_a_json_document_is_named_by_item(tmp_path: Path) -> None:
    message = _error(
        _write(tmp_path / "bad.json", [_status("1"), _status("2", favourites_count=-5)])
    )
    assert "bad.json, [1], field '[1].favourites_count': expected a count" in message


@pytest.mark.parametrize(
    "document, where, problem",
    [
        ([{"id": "1", "note": "neither"}], "line 1, field '[0]'", "neither a Mastodon Status"),
        ([17], "line 1, field '[0]'", "expected a Status or Account object"),
        ("just text", "line 1:", "expected a JSON array"),
        ({"statuses": []}, "line 1:", "neither a Mastodon Status"),
    ],
)
def test_bad_response_is_named(tmp_path: Path, document: Any, where: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(document) + "\n", encoding="utf-8")
    message = _error(path)
    assert f"bad.jsonl, {where}" in message and problem in message


def test_single_account_document_error_has_no_record_part(tmp_path: Path) -> None:
    message = _error(_write(tmp_path / "account.json", _account(statuses_count="lots")))
    assert message.startswith(
        f"{tmp_path / 'account.json'}, field 'statuses_count': expected a count"
    )
