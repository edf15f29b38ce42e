"""Kept so that the batch runner's imports keep working while it is rewritten.

``load_year_report`` now lives in :mod:`src.report.load` and ``report_card`` in
:mod:`src.report.record`; the sections are in :mod:`src.report.sections`. New code
imports from there; this module goes once :mod:`src.batch` does.
"""

from src.report.load import YearReport, load_year_report
from src.report.record import report_card

__all__ = ["YearReport", "load_year_report", "report_card"]
