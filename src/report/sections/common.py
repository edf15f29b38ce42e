"""What every section of a year's briefing shares: the page's contents, and how a section
says what it cannot show."""

from __future__ import annotations

import pandas as pd

from src.report.html import esc, paragraph
from src.report.load import YearReport

#: The sections of a year's briefing in page order: (anchor, title). The title block's
#: contents list is built from it, and each section takes its title from it.
CONTENTS: tuple[tuple[str, str], ...] = (
    ("headline", "Summary: influential or prolific?"),
    ("picture", "Volume against engagement"),
    ("models", "What explains the panel's picks"),
    ("families", "Which families carry influence"),
    ("volume-effect", "Volume, once influence is held fixed"),
    ("review", "What the panel might look at again"),
    ("categories", "Consistency across categories"),
    ("network", "The network of nominees: who reaches whom"),
    ("nominees", "The nominees"),
    ("appendix", "Appendix: methods, data quality and feature dictionary"),
)
#: anchor -> title
TITLES: dict[str, str] = dict(CONTENTS)


def unavailable(what: str, report: YearReport) -> str:
    """A paragraph saying what cannot be shown and why (from the model card)."""
    reason = report.outputs.reason().rstrip(".")
    return paragraph(f"{what} cannot be shown for {report.run.year}: {reason}.")


def notes_html(report: YearReport) -> str:
    """The model card's notes (fallbacks the model step took) as a muted paragraph, or ""."""
    notes = report.outputs.notes()
    return ('<p class="muted">' + esc(" ".join(notes)) + "</p>") if notes else ""


def selected_flags(frame: pd.DataFrame, column: str = "selected") -> pd.Series:
    """The panel's decision per row as booleans (missing: not selected; all False when
    ``frame`` has no such column)."""
    return (
        frame[column].fillna(False).astype(bool)
        if column in frame.columns
        else pd.Series(False, index=frame.index)
    )
