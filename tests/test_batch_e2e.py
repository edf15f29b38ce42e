"""End to end: the batch on a small simulated sample, then with broken inputs.

The first run must render a report per year and the index; the second, with one year's
JSON broken, another's CSV unreadable and a third year missing, must keep the good year
going, name what failed and where, exit non-zero, and leave the earlier reports as they
were.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import papermill as pm
import pytest

from src import config

pytestmark = pytest.mark.e2e

SECTIONS = ("Headline", "Volume against engagement", "What explains the panel", "The nominees", "Appendix", "Feature dictionary", "Data quality")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "src.batch.cli", *args], capture_output=True, text=True, timeout=900, cwd=config.PROJECT_ROOT)


@pytest.fixture(scope="module")
def workspace(small_sample_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch")
    for year in (2023, 2024, 2025):
        shutil.copytree(small_sample_root / "raw" / str(year), root / "raw" / str(year))
    return root


def folders(root: Path) -> list[str]:
    return ["--raw-dir", str(root / "raw"), "--processed-dir", str(root / "processed"), "--reports-dir", str(root / "reports")]


@pytest.fixture(scope="module")
def first_run(workspace: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("run", *folders(workspace), "--jobs", "2")


def test_the_batch_renders_every_year_and_the_index(workspace: Path, first_run) -> None:
    assert first_run.returncode == 0, first_run.stdout + first_run.stderr
    index = (workspace / "reports" / "index.html").read_text(encoding="utf-8")
    for year in (2023, 2024, 2025):
        assert f'href="{year}/index.html"' in index
        report = (workspace / "reports" / str(year) / "index.html").read_text(encoding="utf-8")
        for heading in SECTIONS:
            assert heading in report, f"{year}: section {heading!r} missing"
        assert "Simulated data" in report
        assert re.search(r"volume-only model scores 0\.\d\d", report), "the headline gives the AUCs in words"
        for step in config.PIPELINE_STEPS:
            assert (workspace / "processed" / str(year) / "notebooks" / f"{step}.ipynb").exists()


def test_reports_are_self_contained_and_show_no_code(workspace: Path, first_run) -> None:
    report = (workspace / "reports" / "2024" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in report.lower()
    assert not re.search(r"""(src|href)=["']https?://""", report), "no resource may be fetched from the network"
    images = re.findall(r"<img[^>]*>", report)
    assert images, "the report has its chart"
    for image in images:
        assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/=]+"', image), "every image is embedded"
        assert re.search(r'alt="Scatter plot of \d+ nominees', image), "every image has alt text"
    for code in ("year_run(", "import ", "load_year_report"):
        assert code not in report, f"code leaked into the report: {code!r}"


def test_a_broken_year_fails_alone_and_keeps_the_previous_report(workspace: Path, first_run) -> None:
    assert first_run.returncode == 0
    raw = workspace / "raw"
    with open(raw / "2024" / "x" / "timelines.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"data": [ this is not json\n')
    bad_line = sum(1 for _ in open(raw / "2024" / "x" / "timelines.jsonl", encoding="utf-8"))
    (raw / "2025" / "nominations.csv").write_bytes(b"year,name,category,selected\n2025,Caf\xe9 Nurse,nurse,yes\n")
    before = {y: (workspace / "reports" / str(y) / "index.html").read_bytes() for y in (2024, 2025)}

    second = run_cli("run", *folders(workspace), "--years", "2023", "2024", "2025", "2099", "--jobs", "2")
    output = second.stdout + second.stderr
    assert second.returncode == 1, output
    assert f"timelines.jsonl, line {bad_line}: is not valid JSON" in output
    assert "nominations.csv: is not UTF-8 text" in output
    assert "no raw data folder for 2099" in output
    assert re.search(r"2023: ok in", output)
    for year, content in before.items():
        assert (workspace / "reports" / str(year) / "index.html").read_bytes() == content, f"{year}'s good report was replaced"
    failed = (workspace / "processed" / "2024" / "notebooks" / "01_ingest.ipynb").read_text(encoding="utf-8")
    assert "InputError" in failed, "the failed notebook is kept with its error"
    index = (workspace / "reports" / "index.html").read_text(encoding="utf-8")
    assert index.count("Latest run failed") == 3


def test_a_notebook_parameter_of_the_wrong_type_is_named(workspace: Path, tmp_path: Path) -> None:
    with pytest.raises(pm.PapermillExecutionError) as failure:
        pm.execute_notebook(
            str(config.NOTEBOOKS_DIR / "02_features.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"year": "twenty-fourteen", "raw_dir": str(workspace / "raw"), "processed_dir": str(workspace / "processed")},
            cwd=str(config.NOTEBOOKS_DIR),
            kernel_name="python3",
            progress_bar=False,
        )
    assert failure.value.ename == "ParameterError"
    assert "parameter 'year' must be a whole number, got 'twenty-fourteen' (str)" in failure.value.evalue


def test_the_command_line_rejects_a_malformed_year() -> None:
    result = run_cli("run", "--years", "14")
    assert result.returncode == 2
    assert "a year is four digits" in result.stderr
