"""Errors that name what went wrong and where: the file, the record and the field."""

from __future__ import annotations

import os
from pathlib import Path


class PipelineError(Exception):
    """Base class for errors the pipeline raises on purpose (never a bare traceback)."""


class ParameterError(PipelineError, TypeError):
    """A notebook or command-line parameter has the wrong type or value."""


class InputError(PipelineError, ValueError):
    """A raw input cannot be read as its format says.

    The message reads ``<file>, <record>, field '<field>': <problem>``, leaving out the
    parts that do not apply (an empty file has no record).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        problem: str,
        *,
        record: str | int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.problem = problem
        self.record = record
        self.field = field
        super().__init__(self._format())

    def _format(self) -> str:
        where = [str(self.path)]
        if self.record is not None:
            where.append(
                f"line {self.record}" if isinstance(self.record, int) else str(self.record)
            )
        if self.field is not None:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.problem}"
