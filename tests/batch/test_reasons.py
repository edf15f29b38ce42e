"""Why a step re-runs, naming the module, parameter, raw file or input that changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from src.batch.cache import StepKeyParts
from src.batch.manifest import sha256_file
from src.batch.reasons import dict_changes, why_render, why_run

PARTS = StepKeyParts(
    step="02_features",
    parameters={"year": 2024, "seed": 1},
    inputs={"x/timelines.jsonl": "a1", "nominations.csv": "n1"},
    upstream={"posts.parquet": "p1", "other years": {"2023/posts.parquet": "q1"}},
    notebook_sha256="nb1",
    code={"src/features/volume.py": "v1", "src/features/reach.py": "r1"},
    other_years_code={"2023": "k1"},
)


def last_record(parts: StepKeyParts = PARTS) -> dict:
    return {"status": "ok", "key": parts.key(), "outputs": {}, **parts.record()}


@pytest.mark.parametrize(
    ("changed", "reason"),
    [
        (
            {"code": {"src/features/volume.py": "v2", "src/features/reach.py": "r1"}},
            "re-run: src/features/volume.py changed",
        ),
        (
            {"code": {**PARTS.code, "src/features/new.py": "n"}},
            "re-run: src/features/new.py added",
        ),
        ({"code": {"src/features/volume.py": "v1"}}, "re-run: src/features/reach.py removed"),
        ({"parameters": {"year": 2024, "seed": 2}}, "re-run: parameter seed changed"),
        (
            {"inputs": {"x/timelines.jsonl": "a2", "nominations.csv": "n1"}},
            "re-run: raw file x/timelines.jsonl changed",
        ),
        (
            {"inputs": {"x/timelines.jsonl": "a2", "nominations.csv": "n2"}},
            "re-run: raw files nominations.csv, x/timelines.jsonl changed",
        ),
        ({"notebook_sha256": "nb2"}, "re-run: notebook 02_features.ipynb changed"),
        (
            {"upstream": {"posts.parquet": "p2", "other years": {"2023/posts.parquet": "q1"}}},
            "re-run: input posts.parquet changed",
        ),
        (
            {"upstream": {"posts.parquet": "p1", "other years": {"2023/posts.parquet": "q2"}}},
            "re-run: input 2023/posts.parquet changed",
        ),
        ({"other_years_code": {"2023": "k2"}}, "re-run: 2023's outputs made by other code"),
    ],
)
def test_a_re_run_names_what_changed(tmp_path: Path, changed: dict, reason: str) -> None:
    parts = replace(PARTS, **changed)
    assert (
        why_run(
            last_record(),
            parts,
            force=False,
            executed=tmp_path / "x.ipynb",
            processed_year=tmp_path,
        )
        == reason
    )


def test_first_runs_force_and_older_records(tmp_path: Path) -> None:
    options = {"executed": tmp_path / "x.ipynb", "processed_year": tmp_path}
    assert why_run(None, PARTS, force=False, **options) == "first run"
    assert why_run(last_record(), PARTS, force=True, **options) == "--force"
    assert why_run({"status": "ok", "key": "old"}, PARTS, force=False, **options) == (
        "re-run: the last run recorded no per-step code (an older batch)"
    )
    executed = tmp_path / "x.ipynb"
    assert why_run(last_record(), PARTS, force=False, **options) == (
        "re-run: executed notebook x.ipynb missing"
    )
    executed.write_text("{}")
    gone = {**last_record(), "outputs": {"features.parquet": "f"}}
    assert why_run(gone, PARTS, force=False, **options) == (
        "re-run: output features.parquet changed or missing"
    )


def test_many_names_are_counted() -> None:
    old = {f"f{i}.py": "a" for i in range(6)}
    new = {name: "b" for name in old}
    assert dict_changes("", old, new) == ["f0.py, f1.py, f2.py and 3 more changed"]


def test_a_report_renders_again_when_its_code_or_its_steps_changed(tmp_path: Path) -> None:
    html = tmp_path / "index.html"
    html.write_text("<p>report</p>")
    rendered_by = {"src/report/render.py": "r1"}
    previous = {"html_sha256": sha256_file(html), "code": rendered_by}
    code = {"src/report/render.py": "r2"}
    assert why_render({}, html, None, True, code) == "first render"
    assert why_render(previous, html, None, True, code) == (
        "re-render: src/report/render.py changed"
    )
    assert why_render(previous, html, tmp_path / "report.pdf", False, rendered_by) == (
        "re-render: a step was re-run; the PDF is missing"
    )
