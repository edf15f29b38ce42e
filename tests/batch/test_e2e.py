"""End to end: the batch on a small simulated sample, then with broken inputs.

The first run must render a report per year (HTML and PDF), the index and the run
manifests; a headless Chromium then loads every page with networking disabled. The
second run, with one year's JSON broken, another's CSV unreadable and a third year
missing, must keep the good year going (skipping its unchanged steps), name what failed
and where, exit non-zero, and leave the earlier reports as they were. A good run's log
has no line from the kernels (no transport warning, no "KeyboardInterrupt caught").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import papermill as pm
import pytest

from src import config, pipeline
from src.batch.kernel import KERNEL_NAME
from tests import chromium_cdp

pytestmark = pytest.mark.e2e

SECTIONS = (
    "In five minutes: what the evidence says about this year",
    "What the panel might look at again",
    "How much nominees posted, against what their posts earned",
    "What explains the panel",
    "Which kinds of evidence matter most",
    "Does posting more help, all else equal?",
    "Were the categories treated alike?",
    "Who engages with whom",
    "Every nominee: ranked table and evidence cards",
    "Glossary: the terms this report uses",
    "Appendix",
    "Feature dictionary",
    "Data quality",
)
#: every section of a year's report, by id (the headless browser checks each is on the page)
SECTION_IDS = (
    "headline",
    "picture",
    "models",
    "families",
    "volume-effect",
    "review",
    "categories",
    "network",
    "nominees",
    "glossary",
    "appendix",
)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "src.batch.cli", *args],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=config.PROJECT_ROOT,
    )


@pytest.fixture(scope="module")
def workspace(small_sample_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch")
    for year in (2023, 2024, 2025):
        shutil.copytree(small_sample_root / "raw" / str(year), root / "raw" / str(year))
    return root


def folders(root: Path) -> list[str]:
    return [
        "--raw-dir",
        str(root / "raw"),
        "--processed-dir",
        str(root / "processed"),
        "--reports-dir",
        str(root / "reports"),
    ]


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
        assert re.search(r"volume-only model scores 0\.\d\d", report), (
            "the headline gives the AUCs in words"
        )
        for step in pipeline.STEPS:
            executed = workspace / "processed" / str(year) / "notebooks" / f"{step.notebook}.ipynb"
            assert executed.exists()
        assert (
            (workspace / "reports" / str(year) / "report.pdf").read_bytes().startswith(b"%PDF")
        ), "a PDF sits next to the HTML"
        assert report.count('<article class="card') == 48, "an evidence card per nominee"
    assert "Trends across years" in index and "Who recurs" in index


def test_each_run_writes_manifests_with_checksums_timings_and_status(
    workspace: Path, first_run
) -> None:
    run = json.loads((workspace / "processed" / "run_manifest.json").read_text(encoding="utf-8"))
    assert (
        run["exit_status"] == 0
        and set(run["years"]) == {"2023", "2024", "2025"}
        and run["versions"]["papermill"]
    )
    text = (workspace / "processed" / "2024" / "notebooks" / "manifest.json").read_text(
        encoding="utf-8"
    )
    year = json.loads(text)
    assert year["status"] == "ok" and year["parameters"]["year"] == 2024
    assert "nominations.csv" in year["inputs"] and all(
        len(h) == 64 for h in year["inputs"].values()
    )
    assert [s["step"] for s in year["steps"]] == [step.notebook for step in pipeline.STEPS]
    assert all(s["status"] == "ok" and s["seconds"] > 0 for s in year["steps"])
    assert all(s["reason"] == "first run" and s["code_key"] for s in year["steps"])
    assert "src/features/volume.py" in year["steps"][1]["code"], "the code the step runs"
    assert not any(name.startswith("src/report/") for name in year["steps"][1]["code"])
    assert year["versions"]["igraph"] and year["versions"]["msgspec"]
    assert year["packages"]["papermill"] == run["versions"]["papermill"]
    assert set(year["git"]) >= {"commit", "dirty"} and year["kernel"]["name"] == KERNEL_NAME
    assert str(config.PROJECT_ROOT) not in text and f"{Path.home()}/" not in text, (
        "paths are relative to the project root; no home folder"
    )
    assert "features.parquet" in year["steps"][1]["outputs"], (
        "the features step's outputs are recorded"
    )
    assert year["report"]["status"] == "ok" and year["report"]["pdf"].endswith("report.pdf")
    assert re.search(r"\[2024 2/4 02_features\] done in", first_run.stdout), (
        "progress names the year and step"
    )


def test_a_good_run_s_log_has_no_line_from_the_kernels(workspace: Path, first_run) -> None:
    log = first_run.stdout + first_run.stderr
    kernel_lines = [
        line
        for line in log.splitlines()
        if re.search(r"IPKernelApp|KeyboardInterrupt|without encryption| kernel: ", line)
    ]
    assert kernel_lines == [], "\n".join(kernel_lines)
    assert first_run.stderr == "", first_run.stderr


def test_reports_are_self_contained_and_show_no_code(workspace: Path, first_run) -> None:
    from src.report.page import PAGE_SCRIPT

    report = (workspace / "reports" / "2024" / "index.html").read_text(encoding="utf-8")
    # the one script is the inline table sorter, allowed by its hash in the CSP; nothing external
    assert report.lower().count("<script") == 1 and f"<script>{PAGE_SCRIPT}</script>" in report
    assert not re.search(r"<script[^>]*\bsrc=", report, re.I), "no external script"
    assert "default-src 'none'" in report
    assert not re.search(r"""\bsrc=["']https?://|<link\b[^>]*\bhref=["']https?://""", report), (
        "no resource may be fetched from the network"
    )
    # the only links out are nominees' profile links (followed by a reader, never fetched)
    for link in re.findall(r"""<a\b[^>]*\bhref=["']https?://[^>]*>""", report):
        assert 'rel="noopener noreferrer"' in link, link
    images = re.findall(r"<img[^>]*>", report)
    assert images, "the report has its chart"
    for image in images:
        assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/=]+"', image), (
            "every image is embedded"
        )
        assert re.search(r'alt="[^"]{40,}"', image), "every image has alt text"
    assert re.search(r'alt="Scatter plot of \d+ nominees', report), (
        "the volume-against-engagement chart is described"
    )
    for svg in re.findall(r"<svg[^>]*>", report):
        assert 'role="img"' in svg and re.search(r'aria-label="[^"]{20,}"', svg), (
            "every inline chart has a text alternative"
        )
    for code in ("year_run(", "import ", "load_year_report"):
        assert code not in report, f"code leaked into the report: {code!r}"


#: (label, width, height, mobile) of the viewports each page is loaded at
VIEWPORTS = (("desktop", 1280, 1600, False), ("phone", 390, 844, True))
#: JavaScript run in the loaded pages
SIDEWAYS_SCROLL = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
INDEX_YEARS = (
    "!!document.querySelector('#trends')"
    " && document.querySelectorAll('table.years tbody tr').length"
)
INDEX_ARCHETYPES = (
    "!!document.querySelector('#archetype-mix') && !!document.querySelector('table.archetypes')"
)
REPORT_PARTS = (
    "({summary: !!document.querySelector('#headline .finding'),"
    " cards: document.querySelectorAll('article.card').length,"
    " appendix: !!document.querySelector('#appendix h3'),"
    " sorters: document.querySelectorAll('table.sortable button.sort').length,"
    " images: [...document.images].every(i => i.complete && i.naturalWidth > 0 && i.alt)})"
)
MISSING_SECTIONS = (
    f"{list(SECTION_IDS)!r}.filter(id => !document.querySelector('section#' + id + ' h2'))"
)
#: click "Posts per day" twice: ascending, then descending, by value
SORT_TWICE = (
    "(() => { const t = document.querySelector('table.nominees');"
    " const b = t.querySelectorAll('button.sort')[5];"
    " const col = () => [...t.tBodies[0].rows]"
    ".map(r => parseFloat(r.cells[5].dataset.sort)).filter(v => !isNaN(v));"
    " b.click(); const up = col(); b.click(); const down = col();"
    " return {up: up.every((v, i) => i === 0 || up[i - 1] <= v),"
    " down: down.every((v, i) => i === 0 || down[i - 1] >= v), n: up.length}; })()"
)


def check_year_page(browser: chromium_cdp.Browser, name: str) -> None:
    """A year's report: its summary, appendix, images, sections, cards and sortable table."""
    parts = browser.evaluate(REPORT_PARTS)
    assert parts["summary"] and parts["appendix"] and parts["images"], f"{name}: {parts}"
    missing = browser.evaluate(MISSING_SECTIONS)
    assert missing == [], f"{name}: sections missing {missing}"
    assert parts["cards"] == 48 and parts["sorters"] > 0, f"{name}: {parts}"
    order = browser.evaluate(SORT_TWICE)
    assert order["up"] and order["down"] and order["n"] > 10, f"{name}: sorting failed {order}"


def test_every_report_loads_in_a_headless_browser_without_errors_or_network(
    workspace: Path, first_run, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Chromium, networking disabled: no console error, no request, the parts present.

    Screenshots of every page are kept.
    """
    if chromium_cdp.find_chromium() is None:
        message = "chromium is not installed (Debian: apt-get install chromium)"
        pytest.fail(message) if chromium_cdp.required() else pytest.skip(message)
    pytest.importorskip("websocket", reason="websocket-client drives the browser")
    # kept after the run (reports/ is git-ignored); NHS_INFLUENCE_SCREENSHOT_DIR moves them
    shots = Path(
        os.environ.get("NHS_INFLUENCE_SCREENSHOT_DIR")
        or config.PROJECT_ROOT / "reports" / "_screenshots"
    )
    for old in shots.glob("*.png"):
        old.unlink()
    pages = [workspace / "reports" / str(year) / "index.html" for year in (2023, 2024, 2025)] + [
        workspace / "reports" / "index.html"
    ]
    with chromium_cdp.Browser(tmp_path_factory.mktemp("chromium-profile")) as browser:
        for page in pages:
            name = "index" if page.parent.name == "reports" else page.parent.name
            for label, width, height, mobile in VIEWPORTS:
                load = browser.load(page, width=width, height=height, mobile=mobile)
                assert load.errors == [], f"{name} ({label}): console errors {load.errors}"
                assert load.requests == [], f"{name} ({label}): network requests {load.requests}"
                overflow = browser.evaluate(SIDEWAYS_SCROLL)
                assert overflow <= 1, f"{name} ({label}): the page scrolls sideways by {overflow}px"
                browser.screenshot(shots / f"{name}-{label}.png", full_page=(label == "desktop"))
            if name == "index":
                assert browser.evaluate(INDEX_YEARS) == 3
                assert browser.evaluate(INDEX_ARCHETYPES), "index: the archetype mix"
            else:
                check_year_page(browser, name)
    print(f"\nscreenshots of the reports: {shots}")
    assert len(list(shots.glob("*.png"))) == 2 * len(pages)


def break_2024_and_2025(raw: Path) -> int:
    """Append a line that is not JSON to 2024's X timelines and make 2025's CSV not UTF-8.

    Returns the number of the bad line.
    """
    with open(raw / "2024" / "x" / "timelines.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"data": [ this is not json\n')
    with open(raw / "2024" / "x" / "timelines.jsonl", encoding="utf-8") as handle:
        bad_line = sum(1 for _ in handle)
    (raw / "2025" / "nominations.csv").write_bytes(
        b"year,name,category,selected\n2025,Caf\xe9 Nurse,nurse,yes\n"
    )
    return bad_line


def check_the_failed_notebook_is_kept_with_its_error(workspace: Path) -> None:
    """2024's ingest notebook is kept, its error at the top and in the year's manifest."""
    import nbformat

    executed = workspace / "processed" / "2024" / "notebooks"
    failed = (executed / "01_ingest.ipynb").read_text(encoding="utf-8")
    assert "InputError" in failed, "the failed notebook is kept with its error"
    top = nbformat.reads(failed, as_version=4).cells[0]
    assert (
        top.cell_type == "markdown"
        and "This step failed: 01_ingest" in top.source
        and "is not valid JSON" in top.source
    ), "the error is at the top"
    manifest = json.loads((executed / "manifest.json").read_text(encoding="utf-8"))
    assert (
        manifest["status"] == "failed"
        and manifest["steps"][0]["status"] == "failed"
        and "not valid JSON" in manifest["steps"][0]["error"]
    )


def test_a_broken_year_fails_alone_and_keeps_the_previous_report(
    workspace: Path, first_run
) -> None:
    assert first_run.returncode == 0
    bad_line = break_2024_and_2025(workspace / "raw")
    before = {y: (workspace / "reports" / str(y) / "index.html").read_bytes() for y in (2024, 2025)}
    manifest_2023 = workspace / "processed" / "2023" / "notebooks" / "manifest.json"

    def code_keys() -> list[str]:
        steps = json.loads(manifest_2023.read_text(encoding="utf-8"))["steps"]
        return [step.get("code_key", "") for step in steps]

    code_before = code_keys()

    second = run_cli(
        "run", *folders(workspace), "--years", "2023", "2024", "2025", "2099", "--jobs", "2"
    )
    output = second.stdout + second.stderr
    assert second.returncode == 1, output
    assert f"timelines.jsonl, line {bad_line}: is not valid JSON" in output
    assert "nominations.csv: is not UTF-8 text" in output
    assert "no raw data folder for 2099" in output
    assert re.search(r"2023: ok in", output)
    if code_keys() == code_before:
        assert "2023: ok in 0.0 s (4 of 4 steps skipped: unchanged)" in output, (
            "the unchanged year is not redone"
        )
        assert "[2023 report] skipped: up to date" in output
    else:  # src/ was edited while the tests ran (a shared checkout): then re-running is right
        assert re.search(r"\[2023 \d/4 \w+\] running \(re-run: ", output)
    assert "2024: FAILED" in output and "3 of 4 year(s) failed: 2024, 2025, 2099" in output
    for year, content in before.items():
        assert (workspace / "reports" / str(year) / "index.html").read_bytes() == content, (
            f"{year}'s good report was replaced"
        )
    check_the_failed_notebook_is_kept_with_its_error(workspace)
    index = (workspace / "reports" / "index.html").read_text(encoding="utf-8")
    assert index.count("Latest run failed") == 3


def test_a_notebook_parameter_of_the_wrong_type_is_named(workspace: Path, tmp_path: Path) -> None:
    with pytest.raises(pm.PapermillExecutionError) as failure:
        pm.execute_notebook(
            str(config.NOTEBOOKS_DIR / "02_features.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={
                "year": "twenty-fourteen",
                "raw_dir": str(workspace / "raw"),
                "processed_dir": str(workspace / "processed"),
            },
            cwd=str(config.NOTEBOOKS_DIR),
            kernel_name=KERNEL_NAME,
            progress_bar=False,
        )
    assert failure.value.ename == "ParameterError"
    assert (
        "parameter 'year' must be a whole number, got 'twenty-fourteen' (str)"
        in failure.value.evalue
    )


def test_the_command_line_rejects_a_malformed_year() -> None:
    result = run_cli("run", "--years", "14")
    assert result.returncode == 2
    assert "a year is four digits" in result.stderr
