"""Test-session set-up shared by the unit tests, the end-to-end tests and nbval.

Before anything runs, a small simulated sample is generated into a temporary data tree
and ``NHS_INFLUENCE_DATA_DIR``/``NHS_INFLUENCE_REPORTS_DIR``/``NHS_INFLUENCE_KEY_FILE``
point there, so notebooks validated by nbval (which run from their defaults) and the
batch read the small sample, never the checkout's ``data/`` or the user's key.

Real-format recordings (X, Bluesky, Mastodon, blog feeds) live in ``../shared/fixtures/``
beside the checkout, where this project's CI keeps them; they are not in the repository.
A test that reads them asks for the ``shared_fixtures`` (or ``fixtures_dir``) fixture:
without the folder it is skipped, with one line saying why, so a fresh clone's
``make test`` passes; CI sets ``NHS_INFLUENCE_REQUIRE_FIXTURES=1`` so that a missing
folder fails instead. ``NHS_INFLUENCE_FIXTURES`` points elsewhere.

Markers: ``e2e`` (end-to-end runs that start Jupyter kernels or a browser) and ``slow``
(unit tests that take seconds each); ``make test-fast`` leaves both out, and the
notebooks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

_SESSION_ROOT: Path | None = None


#: Tests of other areas marked ``slow`` here, by file and test function: each took a second
#: or more on this machine (2 cores). A test file may instead mark its own tests with
#: ``@pytest.mark.slow`` (the batch's do); this table is for the files that do not yet.
SLOW_TESTS: dict[str, tuple[str, ...]] = {
    "tests/features/test_audiences.py": ("test_new_engager_share_is_a_share",),
    "tests/features/test_build.py": (
        "test_post_order_does_not_matter",
        "test_shares_in_unit_interval_and_finite",
        "test_unengaged_own_post_lowers_rates_not_totals",
    ),
    "tests/features/test_by_platform.py": (
        "test_per_platform_values_equal_the_combined_ones_on_one_platform",
    ),
    "tests/features/test_engagement.py": ("test_h_index_matches_its_definition",),
    "tests/features/test_families.py": (
        "test_a_duplicated_record_changes_nothing",
        "test_an_unengaged_post_lowers_rates_and_leaves_totals",
        "test_pseudonymised_and_real_ids_give_the_same_numbers",
        "test_ranges",
        "test_row_order_does_not_matter",
    ),
    "tests/features/test_inputs.py": ("test_read_feature_inputs_gives_the_same_features",),
    "tests/ingest/test_pipeline.py": (
        "test_failure_leaves_previous_outputs_and_raw_unchanged",
        "test_no_outsider_identity_in_processed_tables",
        "test_rerun_gives_byte_identical_outputs",
        "test_schema_violation_names_table_record_and_field",
        "test_schema_violation_on_accounts",
        "test_tables_validate_against_schemas",
    ),
    "tests/ingest/test_sources.py": (
        "test_a_metrics_row_for_someone_not_nominated_is_pseudonymised",
        "test_a_year_with_only_metric_tables_runs_through_features_and_model",
        "test_every_source_of_the_sample_is_read",
        "test_quarantine_skips_bad_records_lists_them_and_strict_stops_on_the_first",
        "test_rerunning_quarantine_then_strict_removes_the_stale_rejected_file",
    ),
    "tests/ingest/test_x_fast.py": (
        "test_fast_tweet_row_is_the_checked_row_or_declines",
        "test_fast_user_row_is_the_checked_row_or_declines",
        "test_interactions_frame_matches_the_plain_build",
        "test_posts_frame_from_columns_matches_the_plain_build",
    ),
    "tests/ingest/test_x_typed.py": ("test_generated_pages_read_the_same_on_both_paths",),
    "tests/model/test_explanations.py": ("test_the_answer_in_words_carries_the_numbers",),
    "tests/model/test_fallbacks.py": ("*",),
    "tests/model/test_run.py": ("*",),
    "tests/model/test_truth.py": ("*",),
    "tests/model/test_validation.py": ("*",),
    "tests/report/test_render.py": ("test_a_pdf_is_printed_from_the_page_without_any_network",),
    "tests/report/test_sections.py": (
        "test_a_processed_year_without_any_model_output_renders_every_section_in_words",
        "test_every_new_section_escapes_untrusted_text_and_has_alt_text",
    ),
    "tests/simulate/test_sample.py": ("*",),
}

#: Set (to anything but "" or "0") to make missing real-format fixtures fail, not skip (CI).
REQUIRE_FIXTURES = "NHS_INFLUENCE_REQUIRE_FIXTURES"


def shared_fixtures_path() -> Path:
    """Where the real-format recordings are (``NHS_INFLUENCE_FIXTURES``, else beside the
    checkout)."""
    default = Path(__file__).resolve().parent.parent / "shared" / "fixtures"
    return Path(os.environ.get("NHS_INFLUENCE_FIXTURES", default))


def fixtures_required() -> bool:
    return os.environ.get(REQUIRE_FIXTURES, "") not in ("", "0")


def pytest_configure(config: pytest.Config) -> None:
    global _SESSION_ROOT
    config.addinivalue_line(
        "markers", "slow: unit tests that take seconds each (left out by make test-fast)"
    )
    if _SESSION_ROOT is not None:
        return
    _SESSION_ROOT = Path(tempfile.mkdtemp(prefix="nhs-influence-tests-"))
    os.environ["NHS_INFLUENCE_DATA_DIR"] = str(_SESSION_ROOT / "data")
    os.environ["NHS_INFLUENCE_REPORTS_DIR"] = str(_SESSION_ROOT / "reports")
    os.environ["NHS_INFLUENCE_KEY_FILE"] = str(_SESSION_ROOT / "pseudonym.key")
    os.environ.setdefault("MPLBACKEND", "Agg")
    from src.simulate.sample import write_sample

    write_sample(
        _SESSION_ROOT / "data" / "raw", _SESSION_ROOT / "data" / "sample_truth", size="small"
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    if _SESSION_ROOT is not None and not os.environ.get("NHS_INFLUENCE_KEEP_TEST_DATA"):
        shutil.rmtree(_SESSION_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def small_sample_root() -> Path:
    """The session's data tree: ``raw/<year>`` (the small simulated sample, years 2023-2025)
    and ``sample_truth``."""
    assert _SESSION_ROOT is not None
    return _SESSION_ROOT / "data"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of :data:`SLOW_TESTS` ``slow``."""
    for item in items:
        names = SLOW_TESTS.get(item.nodeid.split("::", 1)[0], ())
        if "*" in names or getattr(item, "originalname", item.name) in names:
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Report every skip for missing fixtures at one place, so the summary folds them
    into one line ("SKIPPED [19] conftest.py:...: real-format fixtures not found ...")."""
    outcome = yield
    report = outcome.get_result()
    longrepr = report.longrepr
    if (
        report.skipped
        and isinstance(longrepr, tuple)
        and len(longrepr) == 3
        and MISSING_FIXTURES in str(longrepr[2])
    ):
        report.longrepr = (__file__, _missing_fixtures.__code__.co_firstlineno, longrepr[2])


def pytest_report_header(config: pytest.Config) -> str:
    path = shared_fixtures_path()
    if path.is_dir():
        return f"real-format fixtures: {path}"
    then = "fail (CI)" if fixtures_required() else "are skipped"
    return f"real-format fixtures: not found at {path}; the tests that read them {then}"


#: How a skip for missing real-format fixtures begins (the skips are reported as one line).
MISSING_FIXTURES = "real-format fixtures not found at "


def _missing_fixtures(path: Path) -> None:
    """Skip the test, or fail it when the fixtures are required (CI)."""
    message = (
        f"{MISSING_FIXTURES}{path}: they sit in ../shared/fixtures beside the checkout "
        "(this project's CI has them); NHS_INFLUENCE_FIXTURES points elsewhere"
    )
    if fixtures_required():
        pytest.fail(f"{message}; {REQUIRE_FIXTURES} is set, so they are required")
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    """The real-format recordings (``../shared/fixtures``, read-only): one folder per source
    (``x-api-v2``, ``bluesky-xrpc``, ``mastodon-api``, ``blog-feeds``).

    Skips the test when they are not there, or fails it where they are required (CI).
    """
    path = shared_fixtures_path()
    if not path.is_dir():
        _missing_fixtures(path)
    return path


@pytest.fixture(scope="session")
def fixtures_dir(shared_fixtures: Path) -> Path:
    """The real X API v2 files (``x-api-v2`` of :func:`shared_fixtures`)."""
    path = shared_fixtures / "x-api-v2"
    if not path.is_dir():
        _missing_fixtures(path)
    return path
