"""The typed path of the X reader (src/ingest/x/typed.py) reads exactly what the general path reads.

Well-formed tweet pages are decoded into declared structs; everything else (and every
item the typed rows decline) goes through orjson and the general code. These tests read
the same files both ways (the typed decoding switched off by patching
``typed.decode_page``) and require the same tables, the same rejected records with the
same messages, and the same strict-mode error, on generated pages with odd and wrong
values, on duplicates across pages, and on the real fixtures.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.x import pages, read_x_exports, reader, structs, typed
from tests.ingest.helpers import SETTINGS, X_FIXTURE_FILES, assert_same_frame
from tests.ingest.x.helpers import PAGE


@contextmanager
def _general_path_only() -> Iterator[None]:
    with mock.patch.object(typed, "decode_page", lambda raw: None):
        yield


def _read(files: list[Path], strict: bool, notes: bool = True) -> tuple[Any, list[str]]:
    """(tables or the strict error's text, rejected messages and data-quality notes)."""
    rejects = Rejects(strict=strict)
    try:
        tables: Any = read_x_exports(files, rejects)
    except InputError as error:
        return f"InputError: {error}", []
    return tables, [str(error) for error in rejects.errors] + [
        str(note) for note in (rejects.quality.records() if notes else ())
    ]


def _assert_both_paths_agree(files: list[Path]) -> None:
    for strict in (True, False):
        typed, typed_rejects = _read(files, strict)
        with _general_path_only():
            general, general_rejects = _read(files, strict)
        assert typed_rejects == general_rejects
        if isinstance(general, str) or isinstance(typed, str):
            assert typed == general
            continue
        for name in ("accounts", "posts", "interactions"):
            assert_same_frame(getattr(typed, name), getattr(general, name))
        assert (typed.records, typed.api_errors) == (general.records, general.api_errors)


@pytest.mark.slow
@SETTINGS
@given(pages=st.lists(PAGE, min_size=1, max_size=3), ascii_only=st.booleans())
def test_generated_pages_read_the_same_on_both_paths(
    pages: list[dict[str, Any]], ascii_only: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pages.jsonl"
        path.write_text(
            "".join(json.dumps(page, ensure_ascii=ascii_only) + "\n" for page in pages),
            encoding="utf-8",
        )
        _assert_both_paths_agree([path])


def _valid_page(
    tweet_id: str = "1", likes: int = 1, retrieved: str = "2024-06-01T10:00:00.000Z", **extra: Any
) -> dict[str, Any]:
    tweet = {
        "id": tweet_id,
        "author_id": "7",
        "created_at": "2024-05-31T02:16:54.000Z",
        "text": "@b hello é",
        "lang": "en",
        "entities": {"mentions": [{"username": "b"}], "hashtags": [{"tag": "nhs"}]},
        "public_metrics": {
            "like_count": likes,
            "retweet_count": 0,
            "reply_count": 0,
            "quote_count": 0,
        },
    }
    tweet.update(extra)
    users = [
        {"id": "7", "username": "a", "public_metrics": {"followers_count": 3}},
        {"id": "8", "username": "b"},
    ]
    return {
        "data": [tweet],
        "includes": {"users": users, "tweets": []},
        "__twarc": {"retrieved_at": retrieved},
    }


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param([_valid_page()], id="well formed"),
        pytest.param([_valid_page(likes=2**63)], id="a count beyond int64"),
        pytest.param([_valid_page(likes=2**64)], id="a count beyond uint64 (a float to orjson)"),
        pytest.param(
            [_valid_page(created_at="2024-05-31T02:16:54+01:00")], id="a time with an offset"
        ),
        pytest.param([_valid_page(created_at="2024-05-31T02:16:54")], id="a time without a zone"),
        pytest.param(
            [_valid_page(), _valid_page(likes=5)],
            id="a copy with other counts and the same retrieval time",
        ),
        pytest.param(
            [_valid_page(), _valid_page(likes=5, retrieved="2024-06-02T10:00:00.000Z")],
            id="a later copy wins",
        ),
        pytest.param(
            [
                {
                    **_valid_page(),
                    "includes": {"users": [{"id": "7", "username": "a", "public_metrics": {}}]},
                }
            ],
            id="empty user metrics",
        ),
        pytest.param(
            [
                {
                    **_valid_page(),
                    "includes": {
                        "users": [{"id": "7", "username": "a", "public_metrics": {"like_count": 4}}]
                    },
                }
            ],
            id="user metrics without counts",
        ),
        pytest.param(
            [
                {
                    **_valid_page(),
                    "includes": {
                        "users": [
                            {
                                "id": "7",
                                "username": "a",
                                "public_metrics": {"followers_count": 1, "new_field": 1},
                            }
                        ]
                    },
                }
            ],
            id="an unknown user metric",
        ),
        pytest.param([{"data": [], "errors": [{"title": "x"}]}], id="no tweets, errors"),
        pytest.param([{"errors": [{"title": "x"}]}], id="errors only"),
        pytest.param(
            [_valid_page(entities={"mentions": [{"start": 0, "end": 3}]})],
            id="a mention with neither id nor username",
        ),
        pytest.param(
            [
                _valid_page(
                    entities={
                        "mentions": [{"id": "12a", "username": "b"}],
                        "urls": [{"url": "u", "expanded_url": ""}],
                    }
                )
            ],
            id="a mention id that is not digits",
        ),
        pytest.param(
            [
                _valid_page(
                    referenced_tweets=[
                        {"type": "quoted", "id": "5"},
                        {"type": "replied_to", "id": "6"},
                    ],
                    in_reply_to_user_id="8",
                )
            ],
            id="a reply that quotes",
        ),
        pytest.param(
            [
                _valid_page(
                    referenced_tweets=[{"type": "other", "id": "x"}],
                    attachments={"media_keys": ["3_1"]},
                )
            ],
            id="an unknown reference, media",
        ),
        pytest.param(
            [
                {
                    "data": {
                        "id": "1",
                        "author_id": "7",
                        "created_at": "2024-05-31T02:16:54.000Z",
                        "text": "t",
                        "public_metrics": {
                            "like_count": 0,
                            "retweet_count": 0,
                            "reply_count": 0,
                            "quote_count": 0,
                        },
                    }
                }
            ],
            id="a single object",
        ),
        pytest.param([{"data": [{"id": "7", "username": "a"}]}], id="a user look-up page"),
        pytest.param(
            [
                _valid_page("103", edit_history_tweet_ids=["101", "102", "103"]),
                _valid_page("101", likes=4, edit_history_tweet_ids=["101"]),
                {
                    **_valid_page("9", referenced_tweets=[{"type": "quoted", "id": "102"}]),
                    "includes": {
                        "tweets": [
                            {
                                "id": "102",
                                "author_id": "8",
                                "edit_history_tweet_ids": ["101", "102"],
                            }
                        ]
                    },
                },
            ],
            id="versions of an edited tweet across pages, a quote of one",
        ),
        pytest.param(
            [
                _valid_page(
                    "5",
                    referenced_tweets=[
                        {"type": "replied_to", "id": "6"},
                        {"type": "quoted", "id": "7"},
                    ],
                ),
                _valid_page("6", author_id="8"),
                _valid_page("7", author_id="9"),
            ],
            id="a reply that quotes, both referenced tweets in data",
        ),
        pytest.param(
            [
                {"data": [{"start": "2024-06-01T00:00:00Z", "end": "x", "tweet_count": 2}]},
                {"meta": {"total_tweet_count": 2}},
                {"id": "1", "action": "delete", "reason": "deleted"},
                _valid_page(),
            ],
            id="counts and compliance lines among tweets",
        ),
        pytest.param(
            [
                "[1, 2]",
                b'{"data": [], "x": "\xff"}',
                b'{"data": [{"id": 5}], "x": 1e400}',
                b'{"data": [], "s": "\\ud800"}',
            ],
            id="not an object, bad UTF-8, a lone surrogate",
        ),
    ],
)
def test_edge_cases_read_the_same_on_both_paths(tmp_path: Path, lines: list[Any]) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_bytes(
        b"".join(
            (
                line
                if isinstance(line, bytes)
                else (
                    line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                ).encode()
            )
            + b"\n"
            for line in lines
        )
    )
    _assert_both_paths_agree([path])


def test_well_formed_pages_take_the_typed_path(tmp_path: Path) -> None:
    # (otherwise the comparisons above would compare the general path with itself)
    path = tmp_path / "pages.jsonl"
    edited = _valid_page("2", edit_history_tweet_ids=["2"])  # (the edit era's default field)
    edited["includes"]["tweets"] = [{"id": "2", "author_id": "7", "edit_history_tweet_ids": ["2"]}]
    later = _valid_page("3", likes=8, edit_history_tweet_ids=["2", "3"])
    path.write_text("".join(json.dumps(page) + "\n" for page in (_valid_page(), edited, later)))
    assert typed.decode_page(path.read_bytes().splitlines()[0]) is not None
    with mock.patch.object(pages, "read_page", side_effect=AssertionError("general path used")):
        tables = read_x_exports([path])
    assert tables.posts[["post_id", "likes"]].values.tolist() == [["x:1", 1], ["x:2", 8]]


def test_flattened_files_fall_back_to_the_general_path_after_a_few_lines(tmp_path: Path) -> None:
    flat = {
        "id": "1",
        "author_id": "7",
        "created_at": "2024-05-31T02:16:54.000Z",
        "text": "t",
        "author": {"id": "7", "username": "a"},
        "public_metrics": {"like_count": 0, "retweet_count": 0, "reply_count": 0, "quote_count": 0},
    }
    path = tmp_path / "flat.jsonl"
    path.write_text("".join(json.dumps({**flat, "id": str(i)}) + "\n" for i in range(1, 21)))
    calls = []
    real = typed.decode_page

    def counted(raw: bytes) -> structs.Page | None:
        calls.append(1)
        return real(raw)

    with mock.patch.object(typed, "decode_page", counted):
        tables = read_x_exports([path])
    assert len(tables.posts) == 20 and len(calls) == reader.TYPED_MISSES
    _assert_both_paths_agree([path])


@pytest.mark.parametrize("name", X_FIXTURE_FILES)
def test_real_fixtures_read_the_same_on_both_paths(fixtures_dir: Path, name: str) -> None:
    _assert_both_paths_agree([fixtures_dir / name])


def test_the_one_known_difference_a_number_beyond_double_range_in_an_unread_field(
    tmp_path: Path,
) -> None:
    # JSON allows 1e400; orjson refuses the whole line ("number is infinity"), msgspec
    # skips fields the reader does not declare without converting them. So a tweet page
    # carrying such a number in a field the reader never uses is read by the typed path
    # and rejected by the general one. Documented in src/ingest/x/typed.py.
    path = tmp_path / "pages.jsonl"
    path.write_bytes(json.dumps(_valid_page())[:-1].encode() + b', "meta": {"x": 1e400}}\n')
    tables, rejects = _read([path], strict=False, notes=False)
    assert len(tables.posts) == 1 and rejects == []
    with _general_path_only():
        tables, rejects = _read([path], strict=False, notes=False)
    assert len(tables.posts) == 0 and rejects == [
        f"{path}, line 1: is not valid JSON "
        "(number is infinity when parsed as double at column 508)"
    ]
