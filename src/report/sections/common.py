"""What every section of a year's briefing shares: the page's contents, and how a section
says what it cannot show."""

from __future__ import annotations

import pandas as pd

from src.report.format import plain_text
from src.report.html import esc, paragraph
from src.report.load import YearReport

#: The sections of a year's briefing in page order: (anchor, title). The contents list is
#: built from it, and each section takes its title from it. The first two are for the
#: panel (:data:`FOR_THE_PANEL`); the rest is the detail behind them, with the glossary
#: and the appendix last.
CONTENTS: tuple[tuple[str, str], ...] = (
    ("headline", "In five minutes: what the evidence says about this year's picks"),
    ("review", "What the panel might look at again"),
    ("picture", "How much nominees posted, against what their posts earned"),
    ("models", "What explains the panel's picks: the models compared"),
    ("families", "Which kinds of evidence matter most"),
    ("volume-effect", "Does posting more help, all else equal?"),
    ("categories", "Were the categories treated alike?"),
    ("network", "Who engages with whom"),
    ("nominees", "Every nominee: ranked table and evidence cards"),
    ("glossary", "Glossary: the terms this report uses"),
    ("appendix", "Appendix: methods, data quality and feature dictionary"),
)
#: anchor -> title
TITLES: dict[str, str] = dict(CONTENTS)
#: The sections a panel member reads first; the rest is "the detail".
FOR_THE_PANEL = ("headline", "review")


def unavailable(what: str, report: YearReport) -> str:
    """A paragraph saying what cannot be shown and why (from the model card)."""
    reason = plain_text(report.outputs.reason()).rstrip(".")
    return paragraph(f"{what} cannot be shown for {report.run.year}: {reason}.")


def notes_html(report: YearReport) -> str:
    """The model card's notes (fallbacks the model step took) as a muted paragraph, or ""."""
    notes = [plain_text(note) for note in report.outputs.notes()]
    return ('<p class="muted">' + esc(" ".join(notes)) + "</p>") if notes else ""


def selected_flags(frame: pd.DataFrame, column: str = "selected") -> pd.Series:
    """The panel's decision per row as booleans (missing: not selected; all False when
    ``frame`` has no such column)."""
    return (
        frame[column].fillna(False).astype(bool)
        if column in frame.columns
        else pd.Series(False, index=frame.index)
    )
