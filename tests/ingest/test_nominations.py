"""Nominations and panel decisions (src.ingest.nominations.read_nominations)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from src.errors import InputError
from src.ingest.nominations import normalise_handle, read_nominations
from src.schemas import validate

HEADER = "year,nominee_id,name,category,x_handle,bluesky_handle,nominated_by,selected,rank"


def _csv(tmp_path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "nominations.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    return path


def _error(path: Path, year: int = 2014) -> str:
    with pytest.raises(InputError) as info:
        read_nominations(path, year)
    message = str(info.value)
    assert str(path) in message
    return message


def test_happy_path(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "2014,n2,Bea Brook,Nursing,@BeaBrook , ,3,Yes,2",
        "2014,n1,Ada Ashby,DOCTOR,  ada_ashby,,1,y,1",
        "",  # blank rows are skipped
        "2014,n3,Northvale Trust,trust,@@NorthvaleNHS,,,no,",
        "2014,n4,Cal Carrow,AHP,,cal.bsky.social,2,TRUE,",
        "2014,n5,Dev Dunmore,patient/carer,@dev,,,0,",
        "2014,n6,Eli Ellery,Allied Health Professional,@eli,,,selected,",
        "2014,n7,Fen Fairley,org,@fen,,,,",
    )
    frame = read_nominations(path, 2014)
    validate(frame, "nominees", source=str(path))
    assert frame["nominee_id"].tolist() == ["n1", "n2", "n3", "n4", "n5", "n6", "n7"]
    by_id = frame.set_index("nominee_id")
    # Handles: trimmed, lower case, leading @ dropped; blank means none.
    assert by_id.loc["n1", "x_handle"] == "ada_ashby"
    assert by_id.loc["n2", "x_handle"] == "beabrook"
    assert by_id.loc["n3", "x_handle"] == "northvalenhs"
    assert pd.isna(by_id.loc["n4", "x_handle"])
    assert by_id.loc["n4", "bluesky_handle"] == "cal.bsky.social"
    assert pd.isna(by_id.loc["n2", "bluesky_handle"])
    # Categories: case-insensitive, synonyms mapped.
    assert by_id["category"].to_dict() == {
        "n1": "doctor",
        "n2": "nurse",
        "n3": "organisation",
        "n4": "allied health professional",
        "n5": "patient or carer",
        "n6": "allied health professional",
        "n7": "organisation",
    }
    assert by_id["selected"].to_dict() == {
        "n1": True,
        "n2": True,
        "n3": False,
        "n4": True,
        "n5": False,
        "n6": True,
        "n7": False,
    }
    assert frame["selected"].dtype == bool
    assert by_id.loc["n1", "rank"] == 1 and by_id.loc["n2", "rank"] == 2
    assert by_id["rank"].isna().sum() == 5
    assert str(frame["rank"].dtype) == "Int64"
    assert by_id.loc["n2", "nominated_by"] == 3 and pd.isna(by_id.loc["n3", "nominated_by"])
    assert frame["year"].tolist() == [2014] * 7


def test_nominee_id_from_name_and_bom(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "2014,Ada O'Ashby,nurse,@ada,no",
        "2014,Bea  Brook,nurse,@bea,yes",
        header="year,name,category,x_handle,selected",
        encoding="utf-8-sig",  # spreadsheets add a byte-order mark; the header must still read
    )
    frame = read_nominations(path, 2014)
    assert frame["nominee_id"].tolist() == ["ada-o-ashby", "bea-brook"]
    validate(frame, "nominees", source=str(path))


def test_header_with_spaces(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, "2014,Ada,nurse,@ada,no", header=" year , name ,category, x_handle ,selected"
    )
    assert read_nominations(path, 2014)["x_handle"].tolist() == ["ada"]


def test_normalise_handle() -> None:
    assert normalise_handle(" @Foo_Bar ") == "foo_bar"
    assert normalise_handle("@") is None
    assert normalise_handle("") is None
    assert normalise_handle(None) is None


def test_missing_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, "2014,Ada,nurse,@ada", header="year,name,category,x_handle")
    message = _error(path)
    assert "header" in message
    assert "required column(s) missing: selected" in message


def test_bad_category(tmp_path: Path) -> None:
    path = _csv(tmp_path, "2014,n1,Ada,nurse,@ada,,,no,", "2014,n2,Bea,astronaut,@bea,,,no,")
    message = _error(path)
    assert "line 3" in message
    assert "field 'category'" in message
    assert "unknown category 'astronaut'" in message


def test_bad_selected(tmp_path: Path) -> None:
    message = _error(_csv(tmp_path, "2014,n1,Ada,nurse,@ada,,,maybe,"))
    assert "line 2" in message
    assert "field 'selected'" in message
    assert "'maybe'" in message


def test_year_mismatch(tmp_path: Path) -> None:
    message = _error(_csv(tmp_path, "2013,n1,Ada,nurse,@ada,,,no,"))
    assert "field 'year'" in message
    assert "row is for 2013 but the file is in the folder for 2014" in message


def test_year_not_a_number(tmp_path: Path) -> None:
    message = _error(_csv(tmp_path, "twenty,n1,Ada,nurse,@ada,,,no,"))
    assert "field 'year'" in message and "'twenty'" in message


def test_duplicate_nominee(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "2014,n1,Ada,nurse,@ada,,,no,",
        "2014,n2,Bea,nurse,@bea,,,no,",
        "2014,n1,Ada again,nurse,@ada2,,,no,",
    )
    message = _error(path)
    assert "line 4" in message
    assert "field 'nominee_id'" in message
    assert "'n1' is listed twice (first on line 2)" in message


def test_duplicate_nominee_by_derived_id(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "2014,Ada Ashby,nurse,@ada,no",
        "2014,ada ashby,nurse,@ada2,no",
        header="year,name,category,x_handle,selected",
    )
    assert "listed twice" in _error(path)


def test_rank_on_unselected_nominee(tmp_path: Path) -> None:
    message = _error(_csv(tmp_path, "2014,n1,Ada,nurse,@ada,,,no,3"))
    assert "line 2" in message
    assert "field 'rank'" in message
    assert "only given to selected nominees" in message


def test_rank_zero(tmp_path: Path) -> None:
    assert "field 'rank'" in _error(_csv(tmp_path, "2014,n1,Ada,nurse,@ada,,,yes,0"))


def test_rank_not_a_number(tmp_path: Path) -> None:
    message = _error(_csv(tmp_path, "2014,n1,Ada,nurse,@ada,,,yes,first"))
    assert "field 'rank'" in message and "whole number" in message


def test_nominated_by_not_a_number(tmp_path: Path) -> None:
    message = _error(_csv(tmp_path, "2014,n1,Ada,nurse,@ada,,-2,yes,"))
    assert "field 'nominated_by'" in message


@pytest.mark.parametrize("content", ["", "\n   \n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "nominations.csv"
    path.write_text(content, encoding="utf-8")
    assert "is empty" in _error(path)


def test_header_only(tmp_path: Path) -> None:
    assert "no nominees" in _error(_csv(tmp_path))


def test_no_handle(tmp_path: Path) -> None:
    message = _error(_csv(tmp_path, "2014,n1,Ada,nurse,@ada,,,no,", "2014,n2,Bea,nurse, @ ,,,no,"))
    assert "line 3" in message
    assert "field 'x_handle'" in message
    assert "at least one handle" in message


def test_blog_feed_is_enough(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "2014,Ada,nurse,,https://ada.example/feed,no",
        header="year,name,category,x_handle,blog_feed_url,selected",
    )
    frame = read_nominations(path, 2014)
    assert frame["blog_feed_url"].tolist() == ["https://ada.example/feed"]


def test_empty_name(tmp_path: Path) -> None:
    assert "field 'name'" in _error(_csv(tmp_path, "2014,n1,,nurse,@ada,,,no,"))


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in _error(tmp_path / "nominations.csv")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "nominations.csv"
    path.write_bytes((HEADER + "\n2014,n1,Zo\xeb,nurse,@zoe,,,no,\n").encode("latin-1"))
    assert "not UTF-8" in _error(path)


def test_line_number_counts_blank_lines(tmp_path: Path) -> None:
    # The bad row is the file's line 5: a blank line and a blank-looking row come before it.
    path = _csv(
        tmp_path, "2014,n1,Ada,nurse,@ada,,,no,", "", ",,,,,,,,", "2014,n2,Bea,astronaut,@bea,,,no,"
    )
    message = _error(path)
    assert "line 5," in message
    assert "field 'category'" in message


def test_line_number_after_quoted_line_break(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, '2014,n1,"Ada\nAshby",nurse,@ada,,,no,', "2014,n2,Bea,nurse,@bea,,,perhaps,"
    )
    message = _error(path)
    assert "line 4," in message
    assert "field 'selected'" in message
