"""Atomic writes (src.io) and notebook parameters (src.params.year_run)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from src import config
from src.errors import ParameterError
from src.io import read_json, write_json_atomic, write_parquet_atomic, write_text_atomic
from src.params import year_run


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- atomic writes ----------------------------------------------------------------------


def test_parquet_write_and_read_back(tmp_path: Path) -> None:
    frame = pd.DataFrame({"b": [3, 1], "a": ["x", "y"]}, index=[10, 20])
    path = write_parquet_atomic(frame, tmp_path / "deeper" / "t.parquet")
    assert path == tmp_path / "deeper" / "t.parquet"
    back = pd.read_parquet(path)
    assert list(back.columns) == ["b", "a"]  # column order kept, index dropped
    assert back["b"].tolist() == [3, 1]
    first = path.read_bytes()
    write_parquet_atomic(frame, path)
    assert path.read_bytes() == first  # same frame, same bytes
    assert _listing(path.parent) == ["t.parquet"]


def test_parquet_failure_midway_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.parquet"
    write_parquet_atomic(pd.DataFrame({"a": [1, 2, 3]}), path)
    old = path.read_bytes()

    def half_written(self: pd.DataFrame, target, *args, **kwargs) -> None:
        Path(target).write_bytes(b"PAR1 half a table")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", half_written)
    with pytest.raises(OSError, match="disk full"):
        write_parquet_atomic(pd.DataFrame({"a": [9]}), path)
    assert path.read_bytes() == old
    assert _listing(tmp_path) == ["t.parquet"]  # no temporary file left behind
    monkeypatch.undo()
    assert pd.read_parquet(path)["a"].tolist() == [1, 2, 3]


def test_parquet_failure_on_new_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: pd.DataFrame, target, *args, **kwargs) -> None:
        Path(target).write_bytes(b"partial")
        raise KeyboardInterrupt  # a user pressing stop mid-write

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail)
    with pytest.raises(KeyboardInterrupt):
        write_parquet_atomic(pd.DataFrame({"a": [1]}), tmp_path / "new.parquet")
    assert _listing(tmp_path) == []


def test_text_failure_midway_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_text_atomic("old report\n", tmp_path / "report.html")
    real_write_text = Path.write_text

    def half_written(self: Path, data: str, *args, **kwargs) -> int:
        real_write_text(self, data[:3], *args, **kwargs)
        raise OSError("interrupted")

    monkeypatch.setattr(Path, "write_text", half_written)
    with pytest.raises(OSError, match="interrupted"):
        write_text_atomic("new report that never finishes\n", path)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "old report\n"
    assert _listing(tmp_path) == ["report.html"]


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    # The temporary file is private (0600) while it is written; the result must be
    # readable like any file the user writes (0666 less the umask), not left at 0600.
    umask = os.umask(0)
    os.umask(umask)
    for path in (
        write_text_atomic("x", tmp_path / "a.txt"),
        write_parquet_atomic(pd.DataFrame({"a": [1]}), tmp_path / "b.parquet"),
    ):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~umask, path


def test_text_and_json_round_trip(tmp_path: Path) -> None:
    path = write_text_atomic("héllo\n", tmp_path / "a" / "b.txt")
    assert path.read_bytes() == "héllo\n".encode()
    json_path = write_json_atomic({"b": 1, "a": [1.5, None]}, tmp_path / "s.json")
    assert json_path.read_text(encoding="utf-8").startswith('{\n  "a"')  # sorted keys, indented
    assert read_json(json_path) == {"a": [1.5, None], "b": 1}


def test_json_with_nan_refused_and_old_file_kept(tmp_path: Path) -> None:
    path = write_json_atomic({"auc": 0.7}, tmp_path / "s.json")
    with pytest.raises(ValueError):
        write_json_atomic({"auc": float("nan")}, path)
    assert read_json(path) == {"auc": 0.7}
    assert _listing(tmp_path) == ["s.json"]


# --- year_run ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"year": "abc"}, r"parameter 'year' must be a whole number, got 'abc' \(str\)"),
        ({"year": True}, r"parameter 'year' must be a whole number, got True \(bool\)"),
        ({"year": 2014.0}, r"parameter 'year' must be a whole number, got 2014.0 \(float\)"),
        ({"year": 14}, r"parameter 'year' must be a year between 1990 and 2100, got 14"),
        ({"year": 2014, "seed": "x"}, r"parameter 'seed' must be a whole number, got 'x' \(str\)"),
        ({"year": 2014, "seed": False}, r"parameter 'seed' must be a whole number"),
        (
            {"year": 2014, "raw_dir": 5},
            r"parameter 'raw_dir' must be a folder path \(text\), got 5 \(int\)",
        ),
        (
            {"year": 2014, "processed_dir": ["a"]},
            r"parameter 'processed_dir' must be a folder path",
        ),
        ({"year": 2014, "reports_dir": 1.5}, r"parameter 'reports_dir' must be a folder path"),
    ],
)
def test_bad_parameters(kwargs: dict, expected: str) -> None:
    with pytest.raises(ParameterError, match=expected):
        year_run(**kwargs)


def test_parameter_error_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        year_run("2014")


def test_missing_raw_folder(tmp_path: Path) -> None:
    with pytest.raises(ParameterError) as info:
        year_run(2014, raw_dir=tmp_path, require_raw=True)
    message = str(info.value)
    assert "no raw data folder for 2014" in message
    assert str(tmp_path / "2014") in message
    run = year_run(2014, raw_dir=tmp_path)  # without require_raw a missing folder is fine
    assert run.raw == tmp_path / "2014"


def test_existing_raw_folder(tmp_path: Path) -> None:
    (tmp_path / "raw" / "2013").mkdir(parents=True)
    run = year_run(
        2013,
        raw_dir=tmp_path / "raw",
        processed_dir=str(tmp_path / "p"),
        reports_dir=tmp_path / "r",
        seed=7,
        require_raw=True,
    )
    assert (run.year, run.seed) == (2013, 7)
    assert run.raw == tmp_path / "raw" / "2013"
    assert run.processed == tmp_path / "p" / "2013"
    assert run.reports == tmp_path / "r" / "2013"
    assert not run.is_simulated
    (run.raw / config.SIMULATED_MARKER).write_text("x", encoding="utf-8")
    assert run.is_simulated


def test_relative_paths_resolve_from_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # as if run from notebooks/ or anywhere else
    run = year_run(
        2014, raw_dir="data/raw", processed_dir=Path("elsewhere/processed"), reports_dir="../up"
    )
    assert run.raw == config.PROJECT_ROOT / "data" / "raw" / "2014"
    assert run.processed == config.PROJECT_ROOT / "elsewhere" / "processed" / "2014"
    assert run.reports == (config.PROJECT_ROOT.parent / "up" / "2014").resolve()
    assert run.raw.is_absolute() and run.processed.is_absolute()


def test_defaults_follow_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHS_INFLUENCE_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("NHS_INFLUENCE_REPORTS_DIR", str(tmp_path / "rep"))
    for empty in (None, ""):
        run = year_run(2015, raw_dir=empty, processed_dir=empty, reports_dir=empty)
        assert run.raw == tmp_path / "d" / "raw" / "2015"
        assert run.processed == tmp_path / "d" / "processed" / "2015"
        assert run.reports == tmp_path / "rep" / "2015"
        assert run.seed == config.DEFAULT_SEED
