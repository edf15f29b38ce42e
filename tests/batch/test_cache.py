"""Resume keys, and whether a step or a report can be skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from src.batch.cache import (
    StepCode,
    StepKeyParts,
    can_skip,
    changed_outputs,
    last_ok,
    last_record,
    mark_skipped,
    not_asked_record,
    not_run_record,
    other_year_stamps,
    report_up_to_date,
    upstream_for_key,
)
from src.batch.manifest import digest, sha256_file

PARTS = StepKeyParts(
    step="02_features",
    parameters={"year": 2024, "seed": 1},
    inputs={"nominations.csv": "aa"},
    upstream={"posts.parquet": "bb"},
    notebook_sha256="cc",
    code={"src/features/volume.py": "dd"},
    other_years_code={"2023": "ee"},
)


def test_the_key_is_the_digest_of_its_named_parts() -> None:
    """The key's layout is what earlier manifests hold: changing it re-runs every step."""
    assert PARTS.key() == digest(
        {
            "step": "02_features",
            "parameters": {"year": 2024, "seed": 1},
            "inputs": {"nominations.csv": "aa"},
            "upstream": {"posts.parquet": "bb"},
            "notebook": "cc",
            "code": {"src/features/volume.py": "dd"},
            "other_years_code": {"2023": "ee"},
        }
    )
    record = PARTS.record()
    assert record["code"] == PARTS.code and record["other_years_code"] == {"2023": "ee"}
    assert set(record) == {
        "parameters",
        "inputs",
        "upstream",
        "notebook_sha256",
        "code",
        "other_years_code",
    }


@pytest.mark.parametrize(
    "changed",
    [
        {"step": "03_model"},
        {"parameters": {"year": 2024, "seed": 2}},
        {"inputs": {"nominations.csv": "a2"}},
        {"upstream": {"posts.parquet": "b2"}},
        {"notebook_sha256": "c2"},
        {"code": {"src/features/volume.py": "d2"}},
        {"code": {"src/features/volume.py": "dd", "src/features/reach.py": "d3"}},
        {"other_years_code": {"2023": "e2"}},
    ],
    ids=lambda changed: next(iter(changed)),
)
def test_each_part_changes_the_key(changed: dict) -> None:
    from dataclasses import replace

    assert replace(PARTS, **changed).key() != PARTS.key()


def test_other_years_files_are_stamped_by_year_and_name(tmp_path: Path) -> None:
    (tmp_path / "2023").mkdir()
    (tmp_path / "2023" / "posts.parquet").write_text("posts")
    files = [tmp_path / "2023" / "posts.parquet", tmp_path / "2023" / "interactions.parquet"]
    stamps = other_year_stamps(files, tmp_path)
    assert stamps == {
        "2023/interactions.parquet": "absent",
        "2023/posts.parquet": sha256_file(tmp_path / "2023" / "posts.parquet"),
    }
    assert list(stamps) == sorted(stamps)
    upstream = upstream_for_key({"b.txt": "2", "a.txt": "1"}, stamps)
    assert list(upstream) == ["a.txt", "b.txt", "other years"]
    assert upstream["other years"] == stamps
    assert "other years" not in upstream_for_key({"a.txt": "1"}, {})


def test_the_code_key_covers_the_notebook_and_every_module(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "__init__.py").write_text("")
    (tmp_path / "src" / "volume.py").write_text("N = 1\n")
    notebook = tmp_path / "a.ipynb"
    notebook.write_text('{"cells": [{"cell_type": "code", "source": "import src.volume"}]}')
    code = StepCode.of(notebook, tmp_path)
    assert set(code.modules) == {"src/__init__.py", "src/volume.py"}
    (tmp_path / "src" / "volume.py").write_text("N = 2\n")
    assert StepCode.of(notebook, tmp_path).key() != code.key()


def test_the_last_success_is_found_behind_steps_that_were_not_run() -> None:
    ok = {"status": "ok", "key": "k"}
    assert last_ok(not_run_record("b", {"status": "not run", "previous": ok})) == ok
    assert last_ok(not_asked_record("b", {"status": "not asked", "previous": ok})) == ok
    assert last_ok({"status": "failed"}) is None and last_ok(None) is None
    manifest = {"steps": [{"step": "a", "status": "ok"}, not_run_record("b", ok)]}
    assert last_record(manifest, "b") == ok and last_record(manifest, "c") is None


def test_a_step_is_skipped_only_with_the_same_key_and_its_outputs_unchanged(
    tmp_path: Path,
) -> None:
    executed = tmp_path / "notebooks" / "a.ipynb"
    executed.parent.mkdir()
    executed.write_text("{}")
    (tmp_path / "a.txt").write_text("a")
    outputs = {"a.txt": sha256_file(tmp_path / "a.txt")}
    last = {"status": "ok", "key": "k", "outputs": outputs}
    assert can_skip(last, "k", executed, tmp_path, force=False)
    assert not can_skip(last, "k", executed, tmp_path, force=True)
    assert not can_skip(last, "other", executed, tmp_path, force=False)
    assert not can_skip(None, "k", executed, tmp_path, force=False)
    (tmp_path / "a.txt").write_text("changed")
    assert not can_skip(last, "k", executed, tmp_path, force=False)
    assert changed_outputs(outputs, tmp_path) == ["a.txt"]


def test_a_skipped_record_carries_the_last_run_s_outputs_and_time() -> None:
    record = {"step": "a"}
    mark_skipped(record, {"outputs": {"a.txt": "x"}, "finished_at": "2024-06-01T10:00:00Z"})
    assert record["status"] == "skipped" and record["seconds"] == 0.0
    assert record["outputs"] == {"a.txt": "x"}
    assert record["reason"] == "inputs, parameters and code unchanged since 2024-06-01T10:00:00Z"


def test_a_report_is_up_to_date_only_as_last_rendered_and_with_nothing_re_run(
    tmp_path: Path,
) -> None:
    html, pdf = tmp_path / "index.html", tmp_path / "report.pdf"
    html.write_text("<p>report</p>")
    last = {"html_sha256": sha256_file(html)}
    assert report_up_to_date(last, html, None, upstream_current=True)
    assert not report_up_to_date(last, html, None, upstream_current=False)
    assert not report_up_to_date(last, html, pdf, upstream_current=True), "the PDF is missing"
    pdf.write_bytes(b"%PDF")
    assert report_up_to_date(last, html, pdf, upstream_current=True)
    assert report_up_to_date({**last, "code_key": "r"}, html, pdf, True, code_key="r")
    assert not report_up_to_date({**last, "code_key": "r"}, html, pdf, True, code_key="r2"), (
        "the rendering code changed"
    )
    html.write_text("<p>edited</p>")
    assert not report_up_to_date(last, html, pdf, upstream_current=True)
