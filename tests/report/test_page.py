"""The page around every report: self-contained, one script allowed by its hash."""

from __future__ import annotations

import base64
import hashlib
import re

from src.report.page import PAGE_SCRIPT, SCRIPT_HASH, page


def test_the_policy_allows_the_page_script_alone_and_no_network() -> None:
    html = page("t", "<p>x</p>", "f")
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert found is not None
    policy = found.group(1)
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split("script-src")[1]
    assert f"script-src '{SCRIPT_HASH}'" in policy
    assert (
        "sha256-" + base64.b64encode(hashlib.sha256(PAGE_SCRIPT.encode()).digest()).decode()
        == SCRIPT_HASH
    )


def test_the_page_script_sorts_and_finds_and_is_the_one_allowed() -> None:
    assert "table.sortable" in PAGE_SCRIPT and "input[data-filter]" in PAGE_SCRIPT
    assert "fetch" not in PAGE_SCRIPT and "XMLHttpRequest" not in PAGE_SCRIPT, "offline"
