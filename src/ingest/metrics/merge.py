"""The same account and period (or snapshot instant) read more than once: one row kept.

Exports are downloaded again, overlap, or sit in one folder next to an older copy.
Rows that repeat an account and period (``period_start`` and ``period_end``; for a
snapshot, its instant) are merged:

1. identical values: one row;
2. otherwise the latest retrieval wins: by the retrieval time the rows carry (a
   ``retrieved_at`` column) when every one of them carries one, else by the file's
   modification time (the last resort, said in the data-quality notes);
3. rows still tied at the latest time with different values are an error naming both
   (strict), or are all skipped (quarantine): no choice is made by file name or order.

Periods of one account that overlap without being the same period (a weekly and a
monthly export of the same account) are an error too: their counts would be added twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from src.errors import InputError
from src.ingest.quarantine import Rejects

if TYPE_CHECKING:
    from src.ingest.metrics.reader import MetricRow


@dataclass
class MergeCounts:
    """What merging did: rows dropped as identical copies, older retrievals replaced."""

    identical: int = 0  #: repeated rows with the same values
    by_retrieval: int = 0  #: older rows replaced, decided by a retrieval column
    by_file_time: int = 0  #: older rows replaced, decided by file modification times
    conflicts: int = 0  #: rows refused: tied at the latest time with different values
    overlaps: int = 0  #: rows refused: a period overlapping another of the same account


def _differing_field(rows: Sequence[MetricRow]) -> str:
    first = rows[0].values
    for row in rows[1:]:
        for name, value in row.values.items():
            other = first[name]
            if not (value == other or (value is None and other is None)):
                return name
    return ""


def _latest(
    rows: list[MetricRow], time: Callable[[MetricRow], datetime | None]
) -> list[MetricRow] | None:
    """The rows at the latest ``time``, or None when some row has no such time."""
    times = [time(row) for row in rows]
    if any(t is None for t in times):
        return None
    latest = max(t for t in times if t is not None)
    return [row for row, t in zip(rows, times, strict=True) if t == latest]


def _distinct(rows: list[MetricRow]) -> list[MetricRow]:
    """One row per distinct set of values, in the order read."""
    kept: list[MetricRow] = []
    for row in rows:
        if not any(_same(row.values, other.values) for other in kept):
            kept.append(row)
    return kept


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a[k] == b[k] or (a[k] is None and b[k] is None) for k in a)


def _pick(rows: list[MetricRow], counts: MergeCounts) -> MetricRow | list[MetricRow]:
    """The row to keep of rows repeating one key, or the rows tied with different values."""
    distinct = _distinct(rows)
    counts.identical += len(rows) - len(distinct)
    if len(distinct) == 1:
        return distinct[0]
    latest = _latest(distinct, lambda row: row.retrieved)
    if latest is not None and len(_distinct(latest)) == 1:
        counts.by_retrieval += len(distinct) - 1
        return latest[0]
    candidates = _distinct(latest) if latest is not None else distinct
    by_file = _latest(candidates, lambda row: row.file_time)
    if by_file is not None and len(_distinct(by_file)) == 1:
        counts.by_file_time += len(distinct) - 1
        return by_file[0]
    return _distinct(by_file) if by_file is not None else candidates


def _conflict(rows: list[MetricRow]) -> list[InputError]:
    """One error per row tied at the latest time, naming the others and a differing field."""
    field = _differing_field(rows)
    errors = []
    for row in rows:
        others = "; ".join(other.where() for other in rows if other is not row)
        errors.append(
            InputError(
                row.path,
                f"gives the same account and period as {others} with other values "
                f"({field} differs) and no later retrieval time to choose by: keep one "
                "export, or add a retrieval date column (retrieved_at)",
                record=row.line,
                field=field,
            )
        )
    return errors


def _overlaps(rows: list[MetricRow]) -> set[int]:
    """Positions of rows whose period overlaps another period of the same account."""
    by_account: dict[str, list[int]] = defaultdict(list)
    for position, row in enumerate(rows):
        if row.values["period_end"] > row.values["period_start"]:
            by_account[row.values["account_id"]].append(position)
    bad: set[int] = set()
    for positions in by_account.values():
        positions.sort(key=lambda p: (rows[p].values["period_start"], rows[p].values["period_end"]))
        for before, after in zip(positions, positions[1:], strict=False):
            if rows[after].values["period_start"] < rows[before].values["period_end"]:
                bad |= {before, after}
    return bad


def _overlap_error(row: MetricRow, others: list[MetricRow]) -> InputError:
    v = row.values
    other = next(
        o
        for o in others
        if o is not row
        and o.values["account_id"] == v["account_id"]
        and o.values["period_start"] < v["period_end"]
        and v["period_start"] < o.values["period_end"]
    )
    return InputError(
        row.path,
        f"the period {v['period_start']:%Y-%m-%d %H:%M} to {v['period_end']:%Y-%m-%d %H:%M} "
        f"(exclusive) overlaps that of the same account in {other.where()}: its counts would "
        "be added twice (is an end date the first day of the next period? an end date is "
        "read as the last day included)",
        record=row.line,
    )


def merge_rows(
    rows: Sequence[MetricRow], rejects: Rejects | None = None
) -> tuple[list[dict[str, Any]], MergeCounts]:
    """One row per account and period, by the rules of the module docstring.

    Returns the kept rows' values (in the order read) and what merging did.

    Raises:
        InputError: (strict) rows tied at the latest retrieval with different values, or
            overlapping periods of one account; the message names both rows.
    """
    rejects = Rejects() if rejects is None else rejects
    counts = MergeCounts()
    groups: dict[tuple[Any, ...], list[MetricRow]] = defaultdict(list)
    for row in rows:
        groups[row.key].append(row)
    kept: list[MetricRow] = []
    for group in groups.values():
        chosen = group[0] if len(group) == 1 else _pick(group, counts)
        if isinstance(chosen, list):
            counts.conflicts += len(chosen)
            for error in _conflict(chosen):
                rejects(error)
            continue
        kept.append(chosen)
    overlapping = _overlaps(kept)
    for position in sorted(overlapping):
        rejects(_overlap_error(kept[position], kept))
    counts.overlaps = len(overlapping)
    kept = [row for position, row in enumerate(kept) if position not in overlapping]
    kept.sort(key=lambda row: (str(row.path), row.line))
    return [row.values for row in kept], counts
