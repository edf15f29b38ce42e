"""Telling nominees apart: handles, profile links, names shared by two people, card anchors."""

from __future__ import annotations

import pandas as pd

from src.report.people import card_anchor, nominee_handles, people, profile_url


def accounts(hidden: bool | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "account_id": ["x:1", "bluesky:did:a", "x:2", "mastodon:c@m.example", "x:9"],
            "platform": ["x", "bluesky", "x", "mastodon", "x"],
            "handle": ["sol_g", "sol.bsky.social", "sol_g2", "cal@m.example", "anon"],
            "is_nominee": [True, True, True, True, False],
            "nominee_id": ["a", "a", "b", "c", None],
        }
    )
    if hidden is not None:
        frame["hide_from_logged_out"] = [False, hidden, False, False, False]
    return frame


def features() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nominee_id": ["a", "b", "c"],
            "name": ["Sol Garside", "Sol Garside", "Cal <b>Rook</b>"],
            "category": ["nurse", "doctor", "nurse"],
        }
    )


def test_profile_links_go_to_each_platforms_profile_page() -> None:
    assert profile_url("x", "@sol_g") == "https://x.com/sol_g"
    assert profile_url("bluesky", "sol.bsky.social") == "https://bsky.app/profile/sol.bsky.social"
    assert profile_url("mastodon", "cal@med.example") == "https://med.example/@cal"
    assert profile_url("blog", "https://blog.example/feed") == "https://blog.example/feed"
    assert profile_url("blog", "javascript:alert(1)") is None
    assert profile_url("x", "a b<") is None


def test_two_nominees_sharing_a_name_are_told_apart_by_handle_and_category() -> None:
    who = people(features(), nominee_handles(accounts()))
    assert who.name("a") == "Sol Garside (@sol_g, nurse)"
    assert who.name("b") == "Sol Garside (@sol_g2, doctor)"
    assert who.name("c") == "Cal <b>Rook</b>", "a name nobody shares is shown as it is"
    link = who.link("c")
    assert link == '<a href="#nominee-c">Cal &lt;b&gt;Rook&lt;/b&gt;</a>'
    assert "anon" not in str(who.handles), "accounts that are not nominees are never read"


def test_handles_link_to_profiles_but_a_simulated_year_links_only_reserved_hosts() -> None:
    real = people(features(), nominee_handles(accounts()))
    assert '<a href="https://x.com/sol_g" rel="noopener noreferrer">X @sol_g</a>' in (
        real.handles_html("a")
    )
    assert "https://bsky.app/profile/sol.bsky.social" in real.handles_html("a")
    simulated = people(features(), nominee_handles(accounts()), simulated=True)
    assert "href" not in simulated.handles_html("a") and "X @sol_g" in simulated.handles_html("a")
    assert 'href="https://m.example/@cal"' in simulated.handles_html("c")


def test_a_bluesky_account_hidden_from_logged_out_viewers_shows_no_handle_or_link() -> None:
    who = people(features(), nominee_handles(accounts(hidden=True)))
    assert "sol.bsky.social" not in who.handles_html("a") and "X @sol_g" in who.handles_html("a")
    shown = people(features(), nominee_handles(accounts(hidden=False)))
    assert "sol.bsky.social" in shown.handles_html("a")
    absent = people(features(), nominee_handles(accounts()))
    assert "sol.bsky.social" in absent.handles_html("a"), "no column: not hidden"


def test_card_anchors_are_safe_ids() -> None:
    assert card_anchor("N0001") == "nominee-N0001"
    assert card_anchor('a"b c') == "nominee-a.22b.20c"
