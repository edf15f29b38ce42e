"""Files in the X folder that hold no tweets (src/ingest/x/shapes.py).

Other twarc2 outputs (counts, lists, compliance jobs and results, Spaces) are named in
data quality as "not tweets; skipped", in strict and quarantine runs alike: they are
understood, and no number comes from them. Posts in a format the reader does not read
(API v1.1, another platform) and lines that are nothing known are errors naming the
file, the line and the field, rejected into rejected.csv in quarantine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from src.errors import InputError
from src.ingest.quarantine import Rejects
from src.ingest.x import read_x_exports
from tests.ingest.helpers import write_lines, x_page, x_tweet

TWARC = {
    "__twarc": {"url": "https://api.twitter.com/2/...", "retrieved_at": "2024-06-02T00:00:00Z"}
}

#: One record of each output as the X API v2 documents it (and twarc2 writes it).
OUTPUTS: dict[str, list[dict[str, Any]]] = {
    "counts": [  # twarc2 counts: GET /2/tweets/counts/recent|all
        {
            "data": [
                {
                    "end": "2024-06-01T01:00:00.000Z",
                    "start": "2024-06-01T00:00:00.000Z",
                    "tweet_count": 12,
                },
                {
                    "end": "2024-06-01T02:00:00.000Z",
                    "start": "2024-06-01T01:00:00.000Z",
                    "tweet_count": 3,
                },
            ],
            "meta": {"total_tweet_count": 15, "next_token": "abc"},
            **TWARC,
        },
        {"meta": {"total_tweet_count": 0}, **TWARC},
    ],
    "lists": [  # twarc2 lists (owned / followed / memberships / lookup): list objects
        {
            "data": [
                {
                    "id": "1441162269824405510",
                    "name": "NHS voices",
                    "owner_id": "2244994945",
                    "private": False,
                    "member_count": 12,
                    "follower_count": 3,
                    "created_at": "2021-09-23T21:35:42.000Z",
                    "description": "people to follow",
                }
            ],
            "includes": {"users": [{"id": "2244994945", "username": "owner"}]},
            **TWARC,
        }
    ],
    "compliance_jobs": [  # GET /2/compliance/jobs (and one job)
        {
            "data": [
                {
                    "id": "1421185651106480129",
                    "type": "tweets",
                    "status": "complete",
                    "created_at": "2021-07-30T18:23:06.000Z",
                    "upload_url": "https://storage.googleapis.com/...",
                    "upload_expires_at": "2021-07-30T18:38:06.000Z",
                    "download_url": "https://storage.googleapis.com/...",
                    "download_expires_at": "2021-08-06T18:23:06.000Z",
                    "resumable": False,
                }
            ]
        },
        {"data": {"id": "1", "type": "users", "status": "created", "upload_url": "u"}},
    ],
    "compliance_results": [  # the result file of a job: one object per line
        {
            "id": "1417123456789012345",
            "action": "delete",
            "created_at": "2021-07-01T12:00:00.000Z",
            "redacted_at": "2021-07-20T08:30:00.000Z",
            "reason": "deleted",
        },
        {"id": "1417123456789012346", "action": "delete", "reason": "suspended"},
    ],
    "spaces": [{"data": [{"id": "1DXxyRYNejbKM", "state": "live", "host_ids": ["2244994945"]}]}],
    "stream_rules": [  # GET /2/tweets/search/stream/rules
        {
            "data": [{"id": "1165037377523306497", "value": "nhs lang:en", "tag": "nhs"}],
            "meta": {"sent": "2024-06-01T00:00:00.000Z", "result_count": 1},
        }
    ],
    "dm_events": [  # GET /2/dm_events: private messages, never posts
        {
            "data": [
                {
                    "id": "1580705921830768643",
                    "event_type": "MessageCreate",
                    "text": "hello",
                    "sender_id": "906948460078698496",
                    "dm_conversation_id": "1578398107254935553",
                    "created_at": "2022-10-14T00:00:00.000Z",
                }
            ]
        }
    ],
}


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "quarantine"])
@pytest.mark.parametrize("kind", sorted(OUTPUTS))
def test_other_twarc2_outputs_are_named_and_skipped(
    tmp_path: Path, kind: str, strict: bool
) -> None:
    other = write_lines(tmp_path / f"{kind}.jsonl", *OUTPUTS[kind])
    tweets = write_lines(tmp_path / "tweets.jsonl", x_page([x_tweet("1", "1")]))
    rejects = Rejects(strict=strict)
    tables = read_x_exports([other, tweets], rejects)
    assert tables.posts["post_id"].tolist() == ["x:1"] and tables.pages == 1
    assert rejects.errors == []
    (note,) = rejects.quality.records(relative_to=tmp_path)
    assert (note["kind"], note["severity"], note["count"], note["files"]) == (
        f"not_tweets_{kind}",
        "warning",
        len(OUTPUTS[kind]),
        [f"{kind}.jsonl"],
    )
    assert note["message"].startswith(f"{kind}.jsonl: looks like ")
    assert ", not tweets; skipped (" in note["message"]


def test_counts_output_note_names_the_file_and_what_it_is(tmp_path: Path) -> None:
    rejects = Rejects()
    read_x_exports([write_lines(tmp_path / "c.jsonl", *OUTPUTS["counts"])], rejects)
    (note,) = rejects.quality.records()
    assert note["message"] == (
        "c.jsonl: looks like twarc2 counts output (tweet counts per period), not tweets; "
        "skipped (2 records)"
    )


def test_several_files_of_one_output_share_a_note(tmp_path: Path) -> None:
    files = [write_lines(tmp_path / f"{n}.json", *OUTPUTS["lists"]) for n in ("a", "b")]
    rejects = Rejects()
    read_x_exports(files, rejects)
    (note,) = rejects.quality.records(relative_to=tmp_path)
    assert note["files"] == ["a.json", "b.json"] and note["count"] == 2
    assert note["message"].startswith("a.json, b.json: look like twarc2 lists output")


def test_a_pretty_printed_counts_response_saved_as_json(tmp_path: Path) -> None:
    path = tmp_path / "counts.json"
    path.write_text(json.dumps(OUTPUTS["counts"][0], indent=2))
    rejects = Rejects()
    assert read_x_exports([path], rejects).posts.empty
    assert [n["kind"] for n in rejects.quality.records()] == ["not_tweets_counts"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            {"id_str": "5", "id": 5, "full_text": "hi", "user": {"id_str": "1"}},
            "looks like an X API v1.1 tweet",
        ),
        (
            {"id": "1", "content": "<p>hi</p>", "account": {"acct": "a"}, "uri": "u"},
            "looks like a Mastodon status",
        ),
        ({"feed": [], "cursor": "x"}, "looks like a Bluesky feed"),
    ],
    ids=["v1.1", "mastodon", "bluesky"],
)
def test_posts_in_another_format_are_refused_saying_what_they_look_like(
    tmp_path: Path, line: dict[str, Any], expected: str
) -> None:
    path = write_lines(tmp_path / "other.jsonl", x_page([x_tweet("1", "1")]), line)
    with pytest.raises(InputError) as error:
        read_x_exports([path])
    assert f"other.jsonl, line 2: {expected}" in str(error.value)
    rejects = Rejects(strict=False)
    assert len(read_x_exports([path], rejects).posts) == 1
    (row,) = rejects.frame(relative_to=str(tmp_path)).to_dict("records")
    assert (row["file"], row["record"], row["field"]) == ("other.jsonl", "line 2", "")
    assert row["reason"].startswith(expected)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"meta": {"result_count": 0}, "note": "nothing known"}, "data"),
        ({"data": [{"id": "5", "name": "a list without its fields"}]}, "data[0].author_id"),
        ({"data": [{"start": "2024-06-01T00:00:00Z", "tweet_count": 3}]}, "data[0].id"),
    ],
    ids=["no data", "id and name only", "counts without end"],
)
def test_lines_that_are_nothing_known_stay_errors(
    tmp_path: Path, line: dict[str, Any], field: str
) -> None:
    path = write_lines(tmp_path / "odd.jsonl", line)
    with pytest.raises(InputError) as error:
        read_x_exports([path])
    assert f"odd.jsonl, line 1, field '{field}'" in str(error.value)
    rejects = Rejects(strict=False)
    read_x_exports([path], rejects)
    assert [(e.record, e.field) for e in rejects.errors] == [(1, field)]
    assert rejects.quality.records() == []
