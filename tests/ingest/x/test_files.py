"""X export files as they are saved (src/ingest/x/files.py): ``.jsonl`` and ``.json``.

A ``.json`` file may be JSON lines (twarc2 writes lines whatever the name) or one JSON
document: a response page, or an array of pages or tweets, possibly pretty-printed over
many lines. Each reads to the same tables as the same pages in a ``.jsonl`` file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.sources import x_export_files
from src.ingest.x import read_x_exports
from tests.ingest.helpers import assert_same_frame, write_lines, x_page, x_tweet, x_user

PAGES = [
    x_page(
        [x_tweet("1", "1", likes=3), x_tweet("2", "2", text="héllo")],
        users=[x_user("1", "amy"), x_user("2", "bob")],
    ),
    x_page(
        [x_tweet("3", "1", referenced_tweets=[{"type": "retweeted", "id": "2"}])],
        users=[x_user("1", "amy")],
    ),
]


def _same_tables(left: Any, right: Any) -> None:
    for name in ("accounts", "posts", "interactions"):
        assert_same_frame(getattr(left, name), getattr(right, name))


@pytest.fixture
def as_lines(tmp_path: Path) -> Any:
    return read_x_exports([write_lines(tmp_path / "lines.jsonl", *PAGES)])


@pytest.mark.parametrize(
    "content",
    [
        "".join(json.dumps(page) + "\n" for page in PAGES),  # JSON lines named .json
        json.dumps(PAGES),  # an array of pages on one line
        json.dumps(PAGES, indent=2),  # pretty-printed
        "\n\n" + json.dumps(PAGES, indent=4, ensure_ascii=False) + "\n",
    ],
    ids=["json lines", "array", "pretty array", "pretty after blank lines"],
)
def test_json_files_read_as_the_same_pages_in_jsonl(
    tmp_path: Path, as_lines: Any, content: str
) -> None:
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    tables = read_x_exports([path])
    _same_tables(tables, as_lines)
    assert tables.pages == 2


def test_a_single_pretty_printed_page(tmp_path: Path) -> None:
    path = tmp_path / "page.json"
    path.write_text(json.dumps(PAGES[0], indent=2))
    tables = read_x_exports([path])
    assert tables.posts["post_id"].tolist() == ["x:1", "x:2"]


def test_an_array_of_tweets_and_users(tmp_path: Path) -> None:
    # e.g. the ``data`` of a response saved on its own, or flattened tweets in an array
    path = tmp_path / "tweets.json"
    path.write_text(json.dumps([x_tweet("1", "1"), x_tweet("2", "1"), x_user("1", "amy")]))
    tables = read_x_exports([path])
    assert tables.posts["post_id"].tolist() == ["x:1", "x:2"]
    assert tables.accounts["handle"].tolist() == ["amy"]


def test_a_byte_order_mark_is_allowed(tmp_path: Path, as_lines: Any) -> None:
    for name, text in (
        ("bom.json", json.dumps(PAGES, indent=1)),
        ("bom.jsonl", "\n".join(json.dumps(p) for p in PAGES)),
    ):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())
        _same_tables(read_x_exports([path]), as_lines)


def test_errors_in_a_json_document_name_the_item_and_field(tmp_path: Path) -> None:
    bad = x_tweet("2", "1", created="yesterday")
    path = tmp_path / "pages.json"
    path.write_text(json.dumps([PAGES[0], x_page([x_tweet("5", "1"), bad]), 7], indent=2))
    with pytest.raises(InputError) as error:
        read_x_exports([path])
    assert str(error.value) == (
        f"{path}, item [1], field 'data[1].created_at': unparseable time 'yesterday'"
    )
    rejects = Rejects(strict=False)
    tables = read_x_exports([path], rejects)
    assert sorted(tables.posts["post_id"]) == ["x:1", "x:2", "x:5"]  # (x:2 from page 0)
    assert [(e.record, e.field) for e in rejects.errors] == [
        ("item [1]", "data[1].created_at"),
        ("item [2]", None),
    ]
    assert "expected a JSON object" in rejects.errors[1].problem


def test_a_json_document_that_is_not_json_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "data": [\n    {"id": "1",}\n  ]\n}\n')
    with pytest.raises(InputError) as error:
        read_x_exports([path])
    assert str(error.value).startswith(f"{path}, line 3: is not valid JSON")


def test_json_lines_in_a_json_file_with_a_broken_first_line(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text('{"data": [oops\n' + "".join(json.dumps(p) + "\n" for p in PAGES))
    rejects = Rejects(strict=False)
    tables = read_x_exports([path], rejects)
    assert len(tables.posts) == 3
    assert [(e.record, "not valid JSON" in e.problem) for e in rejects.errors] == [(1, True)]


def test_json_lines_and_documents_mix_in_one_folder(tmp_path: Path) -> None:
    raw = tmp_path / "2024"
    (raw / "x").mkdir(parents=True)
    write_lines(raw / "x" / "a.jsonl", PAGES[0])
    (raw / "x" / "b.json").write_text(json.dumps(PAGES[1], indent=2))
    (raw / "x" / "notes.txt").write_text("not an export")
    files = x_export_files(raw)
    assert [f.name for f in files] == ["a.jsonl", "b.json"]
    assert len(read_x_exports(files).posts) == 3
