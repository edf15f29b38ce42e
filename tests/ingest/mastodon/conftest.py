"""Where the Mastodon reader tests find the real API recordings (one place to change)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def mastodon_recordings(fixtures_dir: Path) -> Path:
    """``../shared/fixtures/mastodon-api``: real Mastodon REST API response bodies
    (read-only; found beside the X recordings that ``fixtures_dir`` locates)."""
    path = fixtures_dir.parent / "mastodon-api"
    if not path.is_dir():
        pytest.fail(f"real Mastodon API recordings not found at {path}")
    return path
