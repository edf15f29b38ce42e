"""Strict by default, quarantine on request: what happens to a bad record.

Readers report every problem with a record as an :class:`~src.errors.InputError` to a
:class:`Rejects`. Strict (the default) raises it at once, so the run stops with a message
naming the file, the record and the field. In quarantine mode the record is skipped,
the error is kept, and the ingest step writes them all to ``rejected.csv`` for the year
with the reason for each; the counts appear in the report's data-quality section.

The same object carries the year's data-quality notes (``quality``, a
:class:`~src.ingest.quality.DataQuality`): every reader is handed it already, and a note
(a record read and then dropped or adjusted by a counting rule) is about records just as
a rejection is, but it is never an error and never stops a strict run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from src.errors import InputError
from src.ingest.quality import DataQuality

REJECTED_COLUMNS = ["file", "record", "field", "reason"]


@dataclass
class Rejects:
    """Collects bad records (quarantine) or raises on the first one (strict)."""

    strict: bool = True
    errors: list[InputError] = field(default_factory=list)
    #: data-quality notes of the year being read (not errors; see :mod:`src.ingest.quality`)
    quality: DataQuality = field(default_factory=DataQuality)

    def __call__(self, error: InputError) -> None:
        """Raise ``error`` when strict; otherwise keep it and let the reader skip the record."""
        if self.strict:
            raise error
        self.errors.append(error)

    def __len__(self) -> int:
        return len(self.errors)

    def frame(self, relative_to: str | None = None) -> pd.DataFrame:
        """The rejected records, one row each: file, record, field, reason."""
        rows = []
        for error in self.errors:
            path = str(error.path)
            if relative_to and path.startswith(relative_to.rstrip("/") + "/"):
                path = path[len(relative_to.rstrip("/")) + 1 :]
            record = f"line {error.record}" if isinstance(error.record, int) else error.record
            rows.append(
                {
                    "file": path,
                    "record": record or "",
                    "field": error.field or "",
                    "reason": error.problem,
                }
            )
        return pd.DataFrame(rows, columns=REJECTED_COLUMNS)

    def counts_by_file(self, relative_to: str | None = None) -> dict[str, int]:
        """How many records were rejected in each file."""
        return dict(sorted(Counter(self.frame(relative_to)["file"]).items()))


def strict() -> Rejects:
    """A policy that raises on the first bad record."""
    return Rejects(strict=True)
