"""Where the Bluesky reader tests find the real XRPC recordings (one place to change)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def bluesky_recordings(fixtures_dir: Path) -> Path:
    """``../shared/fixtures/bluesky-xrpc``: real Bluesky App View response bodies
    (read-only; found beside the X recordings that ``fixtures_dir`` locates)."""
    path = fixtures_dir.parent / "bluesky-xrpc"
    if not path.is_dir():
        pytest.fail(f"real Bluesky XRPC recordings not found at {path}")
    return path
