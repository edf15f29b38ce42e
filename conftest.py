"""Test-session set-up shared by the unit tests, the end-to-end tests and nbval.

Before anything runs, a small simulated sample is generated into a temporary data tree
and ``NHS_INFLUENCE_DATA_DIR``/``NHS_INFLUENCE_REPORTS_DIR``/``NHS_INFLUENCE_KEY_FILE``
point there, so notebooks validated by nbval (which run from their defaults) and the
batch read the small sample, never the checkout's ``data/`` or the user's key.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_SESSION_ROOT: Path | None = None


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


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The real X API v2 files in ``../shared/fixtures/x-api-v2`` (read-only).

    ``NHS_INFLUENCE_FIXTURES`` overrides the location. A missing folder fails the test
    rather than skipping it: the readers must be checked against real files.
    """
    default = Path(__file__).resolve().parent.parent / "shared" / "fixtures"
    path = Path(os.environ.get("NHS_INFLUENCE_FIXTURES", default)) / "x-api-v2"
    if not path.is_dir():
        pytest.fail(f"real X API v2 fixtures not found at {path} (set NHS_INFLUENCE_FIXTURES)")
    return path
