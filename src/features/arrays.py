"""Small numpy helpers for the feature families (sort-based: fast and memory-light at scale).

``np.unique`` on millions of int64 keys takes its hash path in numpy 2.x, several times
slower than sorting them (numpy's vectorised sort); :func:`unique` sorts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def unique(values: np.ndarray, *, return_inverse: bool = False, return_counts: bool = False):
    """Sorted distinct values of a 1-d numeric array, like :func:`numpy.unique` (same results)."""
    values = np.asarray(values).ravel()
    order = np.argsort(values) if return_inverse else None
    ordered = values[order] if order is not None else np.sort(values)
    new = np.ones(len(ordered), dtype=bool)
    if len(ordered) > 1:
        new[1:] = ordered[1:] != ordered[:-1]
    out = [ordered[new]]
    if return_inverse:
        inverse = np.empty(len(values), dtype=np.int64)
        inverse[order] = np.cumsum(new) - 1
        out.append(inverse)
    if return_counts:
        starts = np.flatnonzero(new)
        out.append(np.diff(np.append(starts, len(ordered))))
    return out[0] if len(out) == 1 else tuple(out)


def isin(values: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """``np.isin(values, candidates)`` for numeric arrays, by binary search in the sorted
    candidates."""
    table = unique(candidates)
    if len(table) == 0:
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(table, values), len(table) - 1)
    return table[at] == values


def few_unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and each value's position among them, for arrays with few
    distinct values (a hash pass, then a sort of the distinct values only)."""
    codes, distinct = pd.factorize(np.asarray(values), sort=True)
    return np.asarray(distinct), codes.astype(np.int64, copy=False)


def group_order(
    key: pd.Series | np.ndarray, value: np.ndarray, descending: bool = False
) -> np.ndarray:
    """Row order sorting by ``key`` then ``value`` (stable: ties keep their row order), as
    ``np.lexsort((value, key))`` gives it (``-value`` when ``descending``), faster.

    ``key`` may be any hashable values (nominee ids) or integer codes.
    """
    key = np.asarray(key)
    if key.dtype.kind not in "iu":
        key = pd.factorize(key, sort=True)[0]
    key = key.astype(np.int64, copy=False)
    value = np.asarray(value)
    if len(value) and value.dtype.kind in "iu" and key.min() >= 0:
        low, high = int(value.min()), int(value.max())
        span = high - low + 1
        if (int(key.max()) + 1) * span < 2**62:
            # One int64 key: a single stable sort instead of two.
            rank = (high - value) if descending else (value - low)
            return np.argsort(key * span + rank.astype(np.int64), kind="stable")
    first = np.argsort(-value if descending else value, kind="stable")
    return first[np.argsort(key[first], kind="stable")]


def dense(
    frame: pd.DataFrame | pd.Series, count: int, fill: float | None = 0
) -> pd.DataFrame | pd.Series:
    """A frame (or series) keyed by integer codes, on every code 0 … count − 1.

    Codes absent from ``frame`` get ``fill`` (``None``: missing, and integer columns
    become float).
    """
    if len(frame.index):
        frame = frame.set_axis(frame.index.astype(np.int64))
    keys = pd.RangeIndex(count)
    return frame.reindex(keys) if fill is None else frame.reindex(keys, fill_value=fill)
