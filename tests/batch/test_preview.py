"""``--dry-run``: what a run would run and why, with nothing run or written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from src.batch.preview import dry_run
from src.batch.runner import run_batch
from src.batch.settings import RunSettings
from tests.batch.helpers import CrossYearExecutor, set_version


def snapshot(root: Path) -> dict[Path, tuple[bytes, int]]:
    """Every file under ``root`` with its content and modification time."""
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def test_a_dry_run_lists_what_would_run_and_why_and_touches_nothing(
    project: RunSettings,
) -> None:
    root = project.raw_dir.parent
    before = snapshot(root)
    lines = dry_run(replace(project, years=(2015,), only_steps=("b",)))
    assert snapshot(root) == before, "a dry run writes nothing"
    assert not project.processed_dir.exists()
    assert lines == [
        "Dry run: nothing is run or written.",
        "2014 (for 2015's b_second)",
        "  a_first       run (first run)",
        "  b_second      not asked",
        "  c_third       not asked",
        "2015",
        "  a_first       run (first run)",
        "  b_second      run (first run)",
        "  c_third       not asked",
    ]

    run_batch(replace(project, executor=CrossYearExecutor(slow_year=0)))
    set_version(project.project_root, "step_b", "2")
    before = snapshot(root)
    executor = CrossYearExecutor(slow_year=0)
    lines = dry_run(replace(project, years=(2016,), executor=executor))
    assert snapshot(root) == before and executor.ran == [], "nothing ran, nothing was written"
    assert lines[1:] == [
        "2014 (for 2015's b_second, 2016's c_third)",
        "  a_first       skip: inputs, parameters and code unchanged",
        "  b_second      run (re-run: src/step_b.py changed)",
        "  c_third       not asked",
        "2015 (for 2016's b_second, 2016's c_third)",
        "  a_first       skip: inputs, parameters and code unchanged",
        "  b_second      run (re-run: src/step_b.py changed)",
        "  c_third       not asked",
        "2016",
        "  a_first       skip: inputs, parameters and code unchanged",
        "  b_second      run (re-run: src/step_b.py changed)",
        "  c_third       run (re-run: 2014, 2015's outputs made by other code)",
    ]


def test_a_dry_run_says_when_a_step_runs_only_if_what_it_reads_changes(
    project: RunSettings,
) -> None:
    run_batch(replace(project, executor=CrossYearExecutor(slow_year=0)))
    (project.raw_dir / "2014" / "input.txt").write_text("changed")
    lines = dry_run(replace(project, years=(2014,)))
    assert lines[1:] == [
        "2014",
        "  a_first       run (re-run: raw file input.txt changed)",
        "  b_second      run (re-run: raw file input.txt changed)",
        "  c_third       run (re-run: raw file input.txt changed)",
    ]
    lines = dry_run(replace(project, years=(2015,)))
    assert lines[1:] == [
        "2014 (for 2015's b_second, 2015's c_third)",
        "  a_first       run (re-run: raw file input.txt changed)",
        "  b_second      run (re-run: raw file input.txt changed)",
        "  c_third       not asked",
        "2015",
        "  a_first       skip: inputs, parameters and code unchanged",
        "  b_second      runs if 2014's a_first writes anything new",
        "  c_third       runs if b_second or 2014's b_second writes anything new",
    ]
