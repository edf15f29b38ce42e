"""Data-quality notes: what a counting rule did to records that were read, not refused.

A rejected record is an error (:mod:`src.ingest.quarantine`). A note is different: the
record was read as it should be, and a documented counting rule dropped, merged or
adjusted it (a followers-only Mastodon status dropped, an edited tweet's earlier
versions merged, a post outside the year's window excluded, a count the export lacks
kept as missing), or the export lacks something a reader would want to know (an empty
file, user metrics not requested). Notes are collected while the year is read, written
to ``ingest_summary.json`` under ``data_quality`` and shown in the report's data-quality
section.

A note names files (relative to the raw year folder) and counts, never an account that is
not a nominee: it may reach a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["info", "warning"]


@dataclass(frozen=True)
class QualityNote:
    """One counting rule applied (or one gap found) in one source."""

    source: str  #: "x", "bluesky", "mastodon", "blogs", "metrics", "nominations", "window", ...
    kind: str  #: a stable key for the rule, e.g. "not_public_dropped"
    count: int  #: how many records (or files) it concerns
    message: str  #: what happened, in plain words, with the count
    files: tuple[str, ...] = ()  #: the files concerned
    severity: Severity = "info"  #: "warning" where a reader should look before trusting a number


@dataclass
class DataQuality:
    """Collects :class:`QualityNote` while a year is read (one per ``(source, kind)``)."""

    notes: dict[tuple[str, str], QualityNote] = field(default_factory=dict)

    def note(
        self,
        source: str,
        kind: str,
        count: int,
        message: str,
        *,
        files: tuple[str, ...] | list[str] = (),
        severity: Severity = "info",
    ) -> None:
        """Record a note; a second note of the same source and kind replaces the first.

        Readers call this once per rule, after counting, with the total; ``message``
        carries the count in words.
        """
        self.notes[(source, kind)] = QualityNote(
            source, kind, int(count), message, tuple(str(f) for f in files), severity
        )

    def __len__(self) -> int:
        return len(self.notes)

    def records(self, relative_to: Path | str | None = None) -> list[dict[str, Any]]:
        """The notes as JSON-ready records (files relative to ``relative_to``), in a fixed order."""
        base = str(relative_to).rstrip("/") + "/" if relative_to is not None else None
        out = []
        for (source, kind), note in sorted(self.notes.items()):
            files = [
                f[len(base) :] if base is not None and f.startswith(base) else f for f in note.files
            ]
            out.append(
                {
                    "source": source,
                    "kind": kind,
                    "count": note.count,
                    "severity": note.severity,
                    "message": note.message,
                    "files": sorted(files),
                }
            )
        return out
