"""The network section: nominees named, other accounts only counted."""

from __future__ import annotations

from pathlib import Path

from src.report.sections.network import network_section
from tests.report.helpers import ESCAPED, image_alt, make_report


def test_the_network_section_names_nominees_only(tmp_path: Path) -> None:
    html = network_section(make_report(tmp_path))
    assert '<section id="network">' in html and "anon:" not in html
    assert ESCAPED in html and "<script" not in html
    assert (
        'id="strongest-links"' in html
        and 'id="across-communities"' in html
        and 'id="communities"' in html
    )
    alt = image_alt(html)
    assert (
        alt.startswith("Network diagram of the 6 nominees")
        and "selected nominees (2 shown) are diamonds" in alt
    )
    assert "8 of the accounts are not nominees: they are counted here but never named" in html
    assert "1 mention, 1 reply" in html


def test_the_network_section_says_so_when_there_are_no_interactions(tmp_path: Path) -> None:
    html = network_section(make_report(tmp_path, network=False))
    assert "No network can be drawn for 2014" in html and "<img" not in html
