"""Pseudonymisation of accounts that are not nominees (src.ingest.pseudonymise)."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
from pathlib import Path

import pandas as pd
import pytest

from src.ingest.pseudonymise import (
    MASKED_HANDLE,
    PREFIX,
    key_path,
    load_or_create_key,
    mask_handles,
    pseudonym,
    pseudonymise_tables,
)

KEY_A = b"a" * 32
KEY_B = b"b" * 32
NOMINEE = "x:100"
OUTSIDER = "x:200"
OTHER_OUTSIDER = "x:300"


def _tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    accounts = pd.DataFrame(
        {
            "account_id": [NOMINEE, OUTSIDER, OTHER_OUTSIDER],
            "platform": ["x", "x", "x"],
            "handle": ["NurseAda", "privatebob", "carol_c"],
            "name": ["Ada Ashby", "Bob Private", "Carol C"],
            "description": ["Nurse", "Just a person", "Another person"],
            "followers": pd.array([100, 5, 7], dtype="Int64"),
        }
    )
    posts = pd.DataFrame(
        {
            "post_id": ["x:1", "x:2", "x:3"],
            "account_id": [NOMINEE, OUTSIDER, NOMINEE],
            "referenced_post_id": [None, "x:1", "x:2"],
            "text": [
                "Thanks @privatebob and @Carol_C, see @nurseada's thread",
                "My private thoughts @NurseAda",
                "RT @privatebob: hello",
            ],
            "reply_to_account_id": [OUTSIDER, NOMINEE, None],
            "mentions": [[OUTSIDER, OTHER_OUTSIDER, NOMINEE], [NOMINEE], [OUTSIDER]],
        }
    )
    interactions = pd.DataFrame(
        {
            "source_account_id": [NOMINEE, OUTSIDER, NOMINEE],
            "target_account_id": [OUTSIDER, NOMINEE, "x:@ghost"],
            "kind": ["reply", "reply", "mention"],
            "post_id": ["x:1", "x:2", "x:1"],
        }
    )
    return accounts, posts, interactions


def _anon(key: bytes) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return pseudonymise_tables(*_tables(), keep={NOMINEE}, key=key)


def test_same_id_same_key_gives_same_pseudonym() -> None:
    assert pseudonym(OUTSIDER, KEY_A) == pseudonym(OUTSIDER, KEY_A)
    assert re.fullmatch(r"anon:[0-9a-f]{16}", pseudonym(OUTSIDER, KEY_A))
    assert pseudonym(OUTSIDER, KEY_A) != pseudonym(OTHER_OUTSIDER, KEY_A)
    first, second = _anon(KEY_A), _anon(KEY_A)
    for a, b in zip(first, second, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_different_key_gives_different_pseudonym() -> None:
    assert pseudonym(OUTSIDER, KEY_A) != pseudonym(OUTSIDER, KEY_B)
    accounts_a, _, _ = _anon(KEY_A)
    accounts_b, _, _ = _anon(KEY_B)
    assert accounts_a.loc[1, "account_id"] != accounts_b.loc[1, "account_id"]
    assert accounts_a.loc[0, "account_id"] == accounts_b.loc[0, "account_id"] == NOMINEE


def test_one_pseudonym_per_account_across_tables() -> None:
    accounts, posts, interactions = _anon(KEY_A)
    anon = pseudonym(OUTSIDER, KEY_A)
    assert accounts["account_id"].tolist() == [NOMINEE, anon, pseudonym(OTHER_OUTSIDER, KEY_A)]
    assert posts["account_id"].tolist() == [NOMINEE, anon, NOMINEE]
    assert posts["reply_to_account_id"].tolist()[:2] == [anon, NOMINEE]
    assert pd.isna(posts["reply_to_account_id"].tolist()[2])
    assert posts["mentions"].tolist() == [
        [anon, pseudonym(OTHER_OUTSIDER, KEY_A), NOMINEE],
        [NOMINEE],
        [anon],
    ]
    assert interactions["source_account_id"].tolist() == [NOMINEE, anon, NOMINEE]
    # An unresolved @username is an outsider too.
    assert interactions["target_account_id"].tolist() == [
        anon,
        NOMINEE,
        pseudonym("x:@ghost", KEY_A),
    ]


def test_nominees_kept_outsiders_details_dropped() -> None:
    accounts, posts, _ = _anon(KEY_A)
    nominee = accounts.iloc[0]
    assert (nominee["handle"], nominee["name"], nominee["description"]) == (
        "NurseAda",
        "Ada Ashby",
        "Nurse",
    )
    for column in ("handle", "name", "description"):
        assert accounts[column].iloc[1:].isna().all(), column
    assert accounts["followers"].tolist() == [100, 5, 7]  # counts are not identifying
    assert pd.isna(posts.loc[1, "text"])  # the outsider's own post text is dropped


def test_outsider_handles_masked_in_nominee_text() -> None:
    _, posts, _ = _anon(KEY_A)
    assert (
        posts.loc[0, "text"]
        == f"Thanks {MASKED_HANDLE} and {MASKED_HANDLE}, see @nurseada's thread"
    )
    assert posts.loc[2, "text"] == f"RT {MASKED_HANDLE}: hello"
    everything = " ".join(
        str(v) for frame in _anon(KEY_A) for v in frame.astype(str).to_numpy().ravel()
    )
    for secret in (
        "privatebob",
        "carol_c",
        "Bob Private",
        "Carol C",
        "Just a person",
        "x:200",
        "x:300",
        "ghost",
    ):
        assert secret.lower() not in everything.lower(), secret


def test_inputs_not_changed() -> None:
    originals = _tables()
    copies = tuple(frame.copy(deep=True) for frame in originals)
    pseudonymise_tables(*originals, keep={NOMINEE}, key=KEY_A)
    for original, copy in zip(originals, copies, strict=True):
        pd.testing.assert_frame_equal(original, copy)


def test_mask_handles() -> None:
    assert mask_handles("hi @Ada and @bob", {"ada"}) == f"hi @Ada and {MASKED_HANDLE}"
    assert mask_handles(None, {"ada"}) is None


def test_pseudonyms_are_not_rehashed() -> None:
    # Running twice must not change a pseudonym again (ids already anon: stay as they are).
    once = _anon(KEY_A)
    twice = pseudonymise_tables(*once, keep={NOMINEE}, key=KEY_A)
    pd.testing.assert_frame_equal(once[0], twice[0])
    assert all(a.startswith(PREFIX) or a == NOMINEE for a in twice[0]["account_id"])


def test_key_file_created_with_0600_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "pseudonym.key"
    key = load_or_create_key(path)
    assert len(key) == 32
    assert path.read_bytes() == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create_key(path) == key  # reused, not replaced
    assert path.read_bytes() == key
    other = load_or_create_key(tmp_path / "other.key")
    assert other != key


def test_key_path_follows_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "env.key"
    monkeypatch.setenv("NHS_INFLUENCE_KEY_FILE", str(target))
    assert key_path() == target
    key = load_or_create_key()
    assert target.read_bytes() == key
    monkeypatch.delenv("NHS_INFLUENCE_KEY_FILE")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert key_path() == tmp_path / "cfg" / "nhs-influence" / "pseudonym.key"


def test_short_key_refused(tmp_path: Path) -> None:
    path = tmp_path / "short.key"
    path.write_bytes(b"tiny")
    with pytest.raises(ValueError, match="too short"):
        load_or_create_key(path)


def test_non_nominee_post_ids_are_hashed_everywhere_and_nominee_post_ids_kept() -> None:
    _, posts, interactions = _anon(KEY_A)
    hashed = posts.loc[1, "post_id"]
    assert re.fullmatch(r"anon-post:[0-9a-f]{16}", hashed)
    assert posts["post_id"].tolist() == ["x:1", hashed, "x:3"]
    # x:3 reposts the outsider's x:2: the reference follows the pseudonym; x:2 replies to a
    # nominee's post.
    assert posts["referenced_post_id"].tolist() == [None, "x:1", hashed]
    assert interactions["post_id"].tolist() == ["x:1", hashed, "x:1"]


def test_pseudonym_is_the_keyed_hash() -> None:
    key = b"k" * 32
    assert (
        pseudonym("x:123", key)
        == "anon:" + hmac.new(key, b"x:123", hashlib.sha256).hexdigest()[:16]
    )
