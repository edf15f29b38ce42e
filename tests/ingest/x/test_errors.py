"""Bad X input: each error names the file, the line and the field (src/ingest/x/checks.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.x import read_x_exports
from tests.ingest.helpers import write_lines, x_page, x_tweet, x_user

# --- bad inputs: each message names the file, the line and the field -----------------


def _error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_x_exports([path])
    message = str(info.value)
    assert str(path) in message
    return message


def test_malformed_json_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bad.jsonl", x_page([x_tweet("1", "1")]), "", '{"data": [oops')
    message = _error(path)
    assert "line 3" in message  # blank lines count: it is the file's line number
    assert "not valid JSON" in message


def test_missing_required_field(tmp_path: Path) -> None:
    tweet = x_tweet("1", "1")
    del tweet["created_at"]
    message = _error(write_lines(tmp_path / "bad.jsonl", x_page([x_tweet("2", "1"), tweet])))
    assert "line 1" in message
    assert "field 'data[1].created_at'" in message
    assert "missing" in message


def test_missing_public_metrics(tmp_path: Path) -> None:
    tweet = x_tweet("1", "1")
    del tweet["public_metrics"]
    message = _error(write_lines(tmp_path / "bad.jsonl", x_page([tweet])))
    assert "field 'data[0].public_metrics'" in message


def test_numeric_id_is_rejected(tmp_path: Path) -> None:
    tweet = x_tweet("1", "1")
    tweet["id"] = 1577318900085186562
    message = _error(write_lines(tmp_path / "bad.jsonl", x_page([tweet])))
    assert "line 1" in message
    assert "field 'data[0].id'" in message
    assert "string of digits" in message


def test_numeric_user_id_in_includes_is_rejected(tmp_path: Path) -> None:
    user = x_user("5", "amy")
    user["id"] = 5
    message = _error(write_lines(tmp_path / "bad.jsonl", x_page([x_tweet("1", "5")], users=[user])))
    assert "field 'includes.users[0].id'" in message


def test_user_metrics_that_are_not_an_object_are_named(tmp_path: Path) -> None:
    user = x_user("5", "amy")
    user["public_metrics"] = [1, 2]
    message = _error(write_lines(tmp_path / "bad.jsonl", x_page([x_tweet("1", "5")], users=[user])))
    assert (
        "field 'includes.users[0].public_metrics'" in message
        and "expected an object, got list" in message
    )


def test_impressions_that_are_not_a_count_are_named(tmp_path: Path) -> None:
    # (these reached the posts table and failed there with pandas' TypeError)
    for value in (1.5, "many", -2):
        tweet = x_tweet("1", "1")
        tweet["public_metrics"]["impression_count"] = value
        message = _error(write_lines(tmp_path / "bad.jsonl", x_page([tweet])))
        assert (
            "line 1, field 'data[0].public_metrics.impression_count'" in message
            and f"got {value!r}" in message
        )


def test_username_that_is_not_text_is_named(tmp_path: Path) -> None:
    # (this failed with an AttributeError)
    user = x_user("5", "amy")
    user["username"] = 5
    message = _error(write_lines(tmp_path / "bad.jsonl", x_page([x_tweet("1", "5")], users=[user])))
    assert "field 'includes.users[0].username'" in message and "expected text, got 5" in message


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({"includes": [1]}, "includes", "expected an object, got list"),
        ({"includes": {"users": {"id": "5"}}}, "includes.users", "expected a list, got dict"),
        ({"includes": {"tweets": "x"}}, "includes.tweets", "expected a list, got str"),
        ({"includes": {"users": ["amy"]}}, "includes.users[0]", "expected an object, got str"),
        ({"includes": {"tweets": [7]}}, "includes.tweets[0]", "expected an object, got int"),
        ({"__twarc": "yesterday"}, "__twarc", "expected an object, got str"),
    ],
)
def test_expansions_and_twarc_of_the_wrong_shape_are_named(
    tmp_path: Path, change: dict, field: str, expected: str
) -> None:
    # (each of these failed with an AttributeError)
    page = {**x_page([x_tweet("1", "5")], users=[x_user("5", "amy")]), **change}
    message = _error(write_lines(tmp_path / "bad.jsonl", page))
    assert f"line 1, field '{field}'" in message and expected in message


def test_negative_count_is_rejected(tmp_path: Path) -> None:
    message = _error(write_lines(tmp_path / "bad.jsonl", x_page([x_tweet("1", "1", likes=-1)])))
    assert "field 'data[0].public_metrics.like_count'" in message


def test_unparseable_date(tmp_path: Path) -> None:
    message = _error(
        write_lines(
            tmp_path / "bad.jsonl",
            x_page([x_tweet("1", "1"), x_tweet("2", "1", created="yesterday")]),
        )
    )
    assert "line 1" in message
    assert "field 'data[1].created_at'" in message
    assert "unparseable time 'yesterday'" in message


def test_date_without_time_zone(tmp_path: Path) -> None:
    message = _error(
        write_lines(
            tmp_path / "bad.jsonl", x_page([x_tweet("1", "1", created="2014-05-01T10:00:00")])
        )
    )
    assert "no time zone" in message


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.json"])
@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf\n"])
def test_empty_file_is_a_warning_that_names_it_not_an_error(
    tmp_path: Path, content: bytes, name: str
) -> None:
    # An empty file holds nothing to misread: strict runs go on, and data quality names it.
    path = tmp_path / name
    path.write_bytes(content)
    rejects = Rejects(strict=True)
    tables = read_x_exports(
        [path, write_lines(tmp_path / "p.jsonl", x_page([x_tweet("1", "1")]))], rejects
    )
    assert len(tables.posts) == 1 and rejects.errors == []
    (note,) = rejects.quality.records(relative_to=tmp_path)
    assert (note["kind"], note["severity"], note["count"], note["files"]) == (
        "empty_files",
        "warning",
        1,
        [name],
    )
    assert note["message"].startswith(f"{name}: is empty")


def test_non_utf8_bytes(tmp_path: Path) -> None:
    good = json.dumps(x_page([x_tweet("1", "1")])).encode()
    path = write_lines(
        tmp_path / "latin1.jsonl", good, b'{"data": [], "note": "caf' + b"\xe9" + b'"}'
    )
    message = _error(path)
    assert "line 2" in message
    assert "not UTF-8" in message


def test_line_that_is_not_an_object(tmp_path: Path) -> None:
    message = _error(write_lines(tmp_path / "bad.jsonl", "[1, 2]"))
    assert "line 1" in message and "JSON object" in message


def test_page_without_data_or_errors(tmp_path: Path) -> None:
    message = _error(write_lines(tmp_path / "bad.jsonl", {"meta": {"result_count": 0}}))
    assert "field 'data'" in message


def test_page_of_errors_only_is_counted(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "p.jsonl",
        x_page([x_tweet("1", "1")]),
        {"errors": [{"title": "Not Found Error"}, {"title": "Authorization Error"}]},
    )
    tables = read_x_exports([path])
    assert tables.api_errors == 2
    assert tables.pages == 2
    assert len(tables.posts) == 1


def _write_page(tmp_path, tweet_overrides: dict, name: str = "page.jsonl"):
    import json as _json

    tweet = {
        "id": "100",
        "author_id": "7",
        "created_at": "2014-05-01T10:00:00.000Z",
        "text": "hello",
        "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0},
    }
    tweet.update(tweet_overrides)
    path = tmp_path / name
    path.write_text(_json.dumps({"data": [tweet]}) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"entities": {"mentions": [{"start": 0, "end": 3}]}}, "data[0].entities.mentions[0]"),
        ({"entities": {"mentions": ["@someone"]}}, "data[0].entities.mentions"),
        ({"in_reply_to_user_id": 12345}, "data[0].in_reply_to_user_id"),
        ({"attachments": ["3_1"]}, "data[0].attachments"),
    ],
)
def test_malformed_entities_and_reply_ids_are_named(tmp_path, overrides, field) -> None:
    path = _write_page(tmp_path, overrides)
    with pytest.raises(InputError) as error:
        read_x_exports([path])
    assert f"line 1, field '{field}'" in str(error.value)
