"""Metric table rows and files as a whole: counts, repeats, file-level errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from src.ingest.metrics import read_account_metrics
from src.ingest.quarantine import Rejects
from src.schemas import validate
from tests.ingest.metrics.helpers import HEADER, strict_error, write_csv

# --- counts ---------------------------------------------------------------------------------


def test_thousands_separators_and_blanks(tmp_path: Path) -> None:
    frame = read_account_metrics(
        write_csv(
            tmp_path,
            'ada,x,2014-05-01,2014-05-31,"1,234,567", ',
            "bea,x,2014-05-01,2014-05-31,0,12",
        )
    )
    assert frame["followers"].tolist() == [1234567, 0]
    assert pd.isna(frame.loc[0, "posts"]) and frame.loc[1, "posts"] == 12


@pytest.mark.parametrize(
    "cell", ["-3", "12.5", "1.234", "n/a", "-", "1,23", "1,2345", "12 000", "+5", "1e3"]
)
def test_bad_counts(tmp_path: Path, cell: str) -> None:
    path = write_csv(
        tmp_path,
        "ada,x,2014-05-01,2014-05-31,5,6",
        f'bea,x,2014-05-01,2014-05-31,7,"{cell}"',
        header="handle,platform,period_start,period_end,followers,Tweet Count",
    )
    message = strict_error(path)
    assert (
        f", line 3, field 'Tweet Count': expected a whole number ≥ 0 (thousands may be written "
        f"1,234), got {cell!r}" in message
    )


# --- the file as a whole -------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n  \n", ",,,\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "metrics.csv"
    path.write_text(content, encoding="utf-8")
    assert "is empty" in strict_error(path)


def test_header_only(tmp_path: Path) -> None:
    assert "has a header but no rows" in strict_error(write_csv(tmp_path))


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in strict_error(tmp_path / "metrics.csv")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "metrics.csv"
    path.write_bytes((HEADER + "\nzo\xeb,x,2014-05-01,2014-05-31,5,6\n").encode("latin-1"))
    message = strict_error(path)
    assert "is not UTF-8 text" in message and f"at byte {len(HEADER) + 3}" in message


@pytest.mark.parametrize(("separator", "name"), [(";", "';'"), ("\t", "tabs")])
def test_not_comma_separated(tmp_path: Path, separator: str, name: str) -> None:
    path = write_csv(
        tmp_path,
        separator.join(["ada", "2014-05", "5"]),
        header=separator.join(["handle", "month", "followers"]),
    )
    assert f", header: is separated by {name}, not commas" in strict_error(path)


@pytest.mark.parametrize(
    ("row", "fields"),
    [("ada,x,2014-05-01,2014-05-31,5", 5), ("ada,x,2014-05-01,2014-05-31,5,6,7", 7)],
)
def test_wrong_number_of_fields(tmp_path: Path, row: str, fields: int) -> None:
    message = strict_error(write_csv(tmp_path, row))
    assert f", line 2: has {fields} fields but the header has 6" in message


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "metrics.csv"
    path.write_text(
        "\n"  # line 1: blank, before the header
        f"{HEADER},notes\n"  # line 2
        'ada,x,2014-05-01,2014-05-31,5,6,"a note\nover two lines"\n'  # lines 3-4
        "\n"  # line 5
        ",,,,,,\n"  # line 6: an empty row
        "bea,x,2014-05-01,2014-05-31,many,6,\n",  # line 7
        encoding="utf-8",
    )
    message = strict_error(path)
    assert ", line 7, field 'followers': " in message


def test_quarantine(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "ada,x,2014-05-01,2014-05-31,5,6",
        "bea,x,2014-05-01,2014-05-31,lots,6",
        "ada,x,2014-05-01,2014-05-31,9,9",
        "cal,x,2014-05-01,2014-05-31,1,2",
    )
    rejects = Rejects(strict=False)
    frame = read_account_metrics(path, rejects=rejects)
    # Of two rows for one period that differ, with nothing to tell which is later, neither
    # is kept: the choice would be by order alone.
    assert frame["account_id"].tolist() == ["x:@cal"]
    assert frame["followers"].tolist() == [1]
    rejected = rejects.frame()
    assert rejected["record"].tolist() == ["line 3", "line 2", "line 4"]
    assert rejected["field"].tolist() == ["followers", "followers", "followers"]
    # A file-level problem skips the file.
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    frame = read_account_metrics(empty, rejects=rejects)
    assert len(frame) == 0
    validate(frame, "account_metrics", source=str(empty))
    assert rejects.frame()["file"].tolist()[-1] == str(empty)
