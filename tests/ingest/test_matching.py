"""Nominees matched to accounts (src.ingest.matching): by handle, and on Bluesky by DID.

A Bluesky handle can change while the DID stays, so ``nominations.csv`` may give the DID
in ``bluesky_handle``; it matches the account whatever handle the export shows. The whole
ingest with a DID, on the real recordings, is in tests/ingest/bluesky/test_nominee_by_did.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from src.errors import InputError
from src.ingest.matching import combine_accounts, match_nominees
from src.ingest.quarantine import Rejects
from src.ingest.tables import accounts_frame

NOMINATIONS = Path("nominations.csv")


def _accounts(*rows: tuple[str, str | None]) -> pd.DataFrame:
    """Bluesky accounts of (DID, handle shown in the export)."""
    return accounts_frame(
        {"account_id": f"bluesky:{did}", "platform": "bluesky", "handle": handle}
        for did, handle in rows
    )


def _nominees(*handles: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"nominee_id": [f"n{i}" for i in range(len(handles))], "bluesky_handle": list(handles)}
    )


def _match(nominees: pd.DataFrame, accounts: pd.DataFrame) -> dict[str, str]:
    matched = match_nominees(
        nominees,
        accounts,
        NOMINATIONS,
        Path("bluesky"),
        platform="bluesky",
        handle_column="bluesky_handle",
    )
    return dict(zip(matched["account_id"], matched["nominee_id"], strict=True))


def test_a_did_matches_whatever_handle_the_export_shows() -> None:
    accounts = _accounts(("did:plc:aaa", "new-name.bsky.social"), ("did:plc:bbb", "b.example"))
    matched = _match(_nominees("did:plc:aaa", "@B.example"), accounts)
    assert matched == {"bluesky:did:plc:aaa": "n0", "bluesky:did:plc:bbb": "n1"}


def test_a_did_web_matches_too() -> None:
    accounts = _accounts(("did:web:nurse.example.org", "nurse.example.org"))
    assert _match(_nominees("did:web:nurse.example.org"), accounts) == {
        "bluesky:did:web:nurse.example.org": "n0"
    }


def test_an_old_handle_is_refused_with_a_hint_to_give_the_did() -> None:
    accounts = _accounts(("did:plc:aaa", "new-name.bsky.social"))
    with pytest.raises(InputError, match=r"old-name.bsky.social is in no Bluesky export.*DID"):
        _match(_nominees("old-name.bsky.social"), accounts)


def test_a_did_not_in_the_exports_is_named() -> None:
    with pytest.raises(InputError, match=r"Bluesky DID did:plc:zzz is in no Bluesky export"):
        _match(_nominees("did:plc:zzz"), _accounts(("did:plc:aaa", "a.example")))


def test_a_handle_shown_by_two_accounts_matches_neither() -> None:
    # One account gave the handle up and another took it; the exports hold both.
    accounts = _accounts(("did:plc:old", "nurse.example"), ("did:plc:new", "nurse.example"))
    with pytest.raises(InputError, match=r"shown by 2 accounts.*give the nominee's DID"):
        _match(_nominees("nurse.example"), accounts)
    assert _match(_nominees("did:plc:new"), accounts) == {
        "bluesky:did:plc:old": None,
        "bluesky:did:plc:new": "n0",
    }


def test_one_account_claimed_by_did_and_by_handle_is_named() -> None:
    rejects = Rejects(strict=False)
    match_nominees(
        _nominees("did:plc:aaa", "a.example"),
        _accounts(("did:plc:aaa", "a.example")),
        NOMINATIONS,
        Path("bluesky"),
        platform="bluesky",
        handle_column="bluesky_handle",
        rejects=rejects,
    )
    (error,) = rejects.errors
    assert "handle @a.example is also given for nominee 'n0'" in str(error)


def test_on_other_platforms_a_did_is_just_a_handle() -> None:
    accounts = accounts_frame([{"account_id": "x:1", "platform": "x", "handle": "did:plc:aaa"}])
    matched = match_nominees(pd.DataFrame({"nominee_id": ["n0"], "x_handle": ["did:plc:aaa"]}),
                             accounts, NOMINATIONS, Path("x"))  # fmt: skip
    assert matched["nominee_id"].tolist() == ["n0"]


def test_combined_accounts_keep_the_label_of_any_copy() -> None:
    labelled = accounts_frame(
        [{"account_id": "bluesky:did:plc:a", "platform": "bluesky", "hide_from_logged_out": True}]
    ).assign(is_nominee=False, nominee_id=None)
    from_metrics = accounts_frame(
        [{"account_id": "bluesky:did:plc:a", "platform": "bluesky", "followers": 5}]
    ).assign(is_nominee=True, nominee_id="n0")
    older = from_metrics.drop(columns="hide_from_logged_out")  # a frame without the column
    combined = combine_accounts([labelled, from_metrics, older])
    assert combined[["nominee_id", "hide_from_logged_out"]].values.tolist() == [["n0", True]]
