"""The glossary section: every technical term the briefing uses, in plain words
(:data:`src.report.glossary.GLOSSARY`)."""

from __future__ import annotations

from src.report.glossary import glossary_html
from src.report.html import paragraph, section
from src.report.load import YearReport
from src.report.sections.common import TITLES


def glossary_section(report: YearReport) -> str:
    """Every term the report uses, with its meaning."""
    # the same terms every year: the report is taken only so every section is built alike
    return section(
        TITLES["glossary"],
        paragraph("The technical terms in this report, in plain words.") + glossary_html(),
        anchor="glossary",
    )
