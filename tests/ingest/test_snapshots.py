"""Which copy of a record is the latest (src.ingest.snapshots): kept retrieval times, file
times as the last resort, later lines of a file, and ties named."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from src.errors import InputError
from src.ingest.json_input import Where
from src.ingest.quality import DataQuality
from src.ingest.snapshots import LatestCopies, Retrieval, note_latest_copies, unwrap

T0 = datetime(2024, 6, 1, tzinfo=UTC)
T1 = datetime(2024, 6, 2, tzinfo=UTC)


def _at(time: datetime, path: str = "a.json", line: int = 0, kept: bool = False) -> Retrieval:
    return Retrieval(time, kept, path, line)


@pytest.mark.parametrize(
    "document, response, when, kept",
    [
        ({"feed": []}, {"feed": []}, T0, False),
        ([1, 2], [1, 2], T0, False),
        ({"retrieved_at": "2024-06-02T00:00:00Z", "feed": []}, {"feed": []}, T1, True),
        ({"retrieved_at": "2024-06-02T00:00:00Z", "response": [1]}, [1], T1, True),
        ({"headers": {"date": "Sun, 02 Jun 2024 00:00:00 GMT"}, "body": [1]}, [1], T1, True),
        ({"headers": {"Date": ["Sun, 02 Jun 2024 00:00:00 GMT"]}, "body": {}}, {}, T1, True),
        ({"response": [1]}, {"response": [1]}, T0, False),  # no time: not an envelope
    ],
)
def test_unwrap_finds_the_kept_retrieval_time(
    document: object, response: object, when: datetime, kept: bool
) -> None:
    got, retrieval = unwrap(document, Where(Path("f.jsonl"), 3), T0)
    assert got == response and (retrieval.time, retrieval.kept) == (when, kept)
    assert (retrieval.path, retrieval.line) == ("f.jsonl", 3)


def test_unwrap_names_a_time_it_cannot_read() -> None:
    with pytest.raises(InputError, match=r"f.json, field 'retrieved_at': unparseable time"):
        unwrap({"retrieved_at": "soon", "response": []}, Where(Path("f.json"), None), T0)


def test_later_time_wins_whatever_the_order_read() -> None:
    copies = LatestCopies()
    assert copies.offer("k", "new", _at(T1, "a.json"))
    assert not copies.offer("k", "old", _at(T0, "b.json"))
    assert copies.get("k") == "new" and copies.by_file_time == {"k"}
    assert copies.file_time_files == {"a.json", "b.json"}


def test_kept_times_decide_without_a_note() -> None:
    copies = LatestCopies()
    copies.offer("k", "old", _at(T0, "b.json", kept=True))
    copies.offer("k", "new", _at(T1, "a.json", kept=True))
    assert copies.get("k") == "new" and not copies.by_file_time and not copies.ties


def test_same_time_and_values_is_no_tie_different_values_is() -> None:
    copies = LatestCopies()
    copies.offer("k", "same", _at(T0, "a.json"))
    copies.offer("k", "same", _at(T0, "b.json"))
    assert not copies.ties
    copies.offer("k", "other", _at(T0, "c.json"))
    assert copies.get("k") == "other" and copies.ties == {"k"}
    assert copies.tie_files == {"b.json", "c.json"}


def test_later_line_of_one_file_wins_without_a_tie() -> None:
    copies = LatestCopies()
    copies.offer("k", "first", _at(T0, "a.jsonl", 1))
    copies.offer("k", "second", _at(T0, "a.jsonl", 2))
    assert copies.get("k") == "second" and not copies.ties


def test_notes_count_and_name_files_only() -> None:
    posts, accounts = LatestCopies(), LatestCopies()
    posts.offer("secret-post", 1, _at(T0, "a.json"))
    posts.offer("secret-post", 2, _at(T0, "b.json"))
    accounts.offer("secret-handle", 1, _at(T0, "a.json"))
    accounts.offer("secret-handle", 2, _at(T1, "c.json"))
    quality = DataQuality()
    note_latest_copies(
        quality, "x", {"posts": ("post", "posts", posts), "a": ("account", "accounts", accounts)}
    )
    tie = quality.notes[("x", "same_time_different_values")]
    assert tie.count == 1 and tie.files == ("a.json", "b.json") and tie.severity == "warning"
    by_time = quality.notes[("x", "latest_copy_by_file_time")]
    assert by_time.count == 1 and "1 account arrived" in by_time.message
    assert "secret" not in tie.message + by_time.message
