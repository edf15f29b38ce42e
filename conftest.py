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
