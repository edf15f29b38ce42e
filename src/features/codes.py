"""The feature step's inputs as integer codes: every record once, no Python object per row.

:func:`encode_posts` and :func:`encode_interactions` turn any canonical posts and
interactions table (as :func:`src.features.inputs.read_feature_inputs` reads it, or as
:func:`src.ingest.pipeline.read_tables` returns it) into integer codes: repeated records
dropped, account ids as codes, a reply's parent as a row number, kinds and platforms as
small integer categories. :func:`encode_text` (hashing; for values that repeat, such as
account ids) and :func:`sorted_codes` (sorting; for nearly unique values, such as post
ids) are the two ways text becomes codes, both vectorised in Arrow and numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from src.schemas import INTERACTION_KINDS, PLATFORMS, POST_KINDS


def arrow_text(values: pd.Series | np.ndarray | pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """Text values as an Arrow ``large_string`` chunked array (zero-copy for Arrow-backed
    pandas text)."""
    if isinstance(values, pa.Array):
        values = pa.chunked_array([values])
    if not isinstance(values, pa.ChunkedArray):
        series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
        if (
            isinstance(series.dtype, pd.CategoricalDtype)
            or series.dtype == object
            or len(series) == 0
        ):
            values = pa.chunked_array(
                [
                    pa.array(
                        np.asarray(series, dtype=object), type=pa.large_string(), from_pandas=True
                    )
                ]
            )
        else:
            values = pa.chunked_array(pa.array(series))
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    return values if values.type == pa.large_string() else values.cast(pa.large_string())


def encode_text(
    *columns: pd.Series | np.ndarray | pa.ChunkedArray, sort: bool = False
) -> tuple[list[np.ndarray], np.ndarray]:
    """Hash-based codes for text values shared across ``columns`` (missing: -1), and the
    distinct values as an object array (in sorted order when ``sort``, codes likewise).

    For columns with few distinct values per row (account ids); see :func:`sorted_codes`
    for nearly unique ones. Categorical columns are encoded through their categories
    (only the values that occur are kept).
    """
    categorical = [
        c for c in columns if isinstance(c, pd.Series) and isinstance(c.dtype, pd.CategoricalDtype)
    ]
    if columns and len(categorical) == len(columns):
        return _encode_categoricals(categorical, sort)
    arrays = [arrow_text(c) for c in columns]
    lengths = [len(a) for a in arrays]
    combined = pa.chunked_array(
        [chunk for a in arrays for chunk in a.chunks], type=pa.large_string()
    )
    if len(combined) == 0:
        return [np.zeros(0, dtype=np.int64) for _ in arrays], np.zeros(0, dtype=object)
    encoded = pc.dictionary_encode(combined).combine_chunks()
    codes = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64)
    dictionary = encoded.dictionary
    del encoded, combined
    if sort and len(dictionary):
        order = pc.sort_indices(dictionary).to_numpy()
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        codes = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1)
        dictionary = dictionary.take(pa.array(order))
    names = (
        np.asarray(dictionary.to_pylist(), dtype=object)
        if len(dictionary)
        else np.zeros(0, dtype=object)
    )
    return list(np.split(codes, np.cumsum(lengths)[:-1])), names


def _encode_categoricals(
    columns: list[pd.Series], sort: bool
) -> tuple[list[np.ndarray], np.ndarray]:
    """:func:`encode_text` of categorical columns, through their categories: each
    column's categories are encoded once, its codes mapped, and only the values that
    occur are kept."""
    category_codes, names = encode_text(
        *[pd.Series(np.asarray(c.cat.categories, dtype=object), dtype=object) for c in columns],
        sort=sort,
    )
    codes = [
        np.where(c.cat.codes.to_numpy() >= 0, m[np.maximum(c.cat.codes.to_numpy(), 0)], -1)
        if len(m)
        else np.full(len(c), -1, dtype=np.int64)
        for c, m in zip(columns, category_codes, strict=True)
    ]
    used = np.zeros(len(names), dtype=bool)
    for c in codes:
        used[c[c >= 0]] = True
    if not used.all():
        renumber = np.cumsum(used) - 1
        codes = [np.where(c >= 0, renumber[np.maximum(c, 0)], -1) for c in codes]
        names = names[used]
    return codes, names


def sorted_codes(
    *columns: pd.Series | np.ndarray | pa.ChunkedArray,
) -> tuple[list[np.ndarray], np.ndarray]:
    """Exact codes for text values shared across ``columns``, numbered in sorted order of
    the values (missing: -1), and per code the position of its first occurrence in the
    concatenated columns.

    By Arrow's dense rank (a sort) rather than a hash table: for nearly unique values such
    as post ids it is several times faster than hashing millions of strings.
    """
    arrays = [arrow_text(c) for c in columns]
    lengths = [len(a) for a in arrays]
    combined = pa.chunked_array(
        [chunk for a in arrays for chunk in a.chunks], type=pa.large_string()
    )
    if len(combined) - combined.null_count == 0:
        return [np.full(n, -1, dtype=np.int64) for n in lengths], np.zeros(0, dtype=np.int64)
    # Dense ranks from 1 in sorted order; missing values rank last (their own rank).
    codes = (
        pc.rank(combined, sort_keys="ascending", tiebreaker="dense").to_numpy().astype(np.int64) - 1
    )
    if combined.null_count:
        codes[pc.is_null(combined).to_numpy(zero_copy_only=False)] = -1
    del combined
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    start = np.ones(len(ordered), dtype=bool)
    start[1:] = ordered[1:] != ordered[:-1]
    start &= ordered >= 0
    first = order[start]
    return list(np.split(codes, np.cumsum(lengths)[:-1])), first


def _category_codes(values: pd.Series, categories: tuple[str, ...]) -> np.ndarray:
    """int8 codes of ``values`` among ``categories`` (-1 for anything else or missing)."""
    if isinstance(values.dtype, pd.CategoricalDtype) and list(values.cat.categories) == list(
        categories
    ):
        return values.cat.codes.to_numpy().astype(np.int8)
    if len(values) == 0:
        return np.zeros(0, dtype=np.int8)
    found = pc.index_in(arrow_text(values), value_set=pa.array(categories, type=pa.large_string()))
    return pc.fill_null(found, -1).to_numpy().astype(np.int8)


def _first_rows(key: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Rows that are the first occurrence of their key (``first``: per key, its first row)."""
    rows = np.arange(len(key))
    return (key < 0) | (first[np.maximum(key, 0)] == rows)


def count_values(values: pd.Series) -> np.ndarray:
    """An engagement count column as numbers: as stored (int64) when none is missing, else
    float64 with NaN where the platform did not report it (unknown, never 0)."""
    if isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
        if values.isna().any():
            return values.to_numpy(dtype=np.float64, na_value=np.nan)
        return values.to_numpy(dtype=np.int64)
    return values.to_numpy()


@dataclass
class EncodedPosts:
    """Every post of the year (nominees' and everyone else's), once each, as codes.

    ``frame`` has one row per distinct post: ``author`` (code of the posting account,
    an index into ``authors``), ``nominee`` (position in the nominee index, -1 for other
    accounts), ``parent`` (row of the post a reply answers, -1 when not a reply or the
    parent is not in the table or is a repost), ``kind`` and ``platform`` (categoricals),
    ``created_at``, the four counts (NaN where a platform did not report one),
    ``has_media`` and ``has_hashtag``.
    """

    frame: pd.DataFrame
    authors: np.ndarray  #: account id per author code


def encode_posts(posts: pd.DataFrame, nominee_of: pd.Series, nominees: pd.Index) -> EncodedPosts:
    """:class:`EncodedPosts` of a canonical posts table; ``nominee_of`` maps a nominee's
    ``account_id`` to its ``nominee_id``.

    A post id seen twice counts once (the first record is kept).
    """
    n = len(posts)
    kind = _category_codes(posts["kind"], POST_KINDS)
    reply_rows = np.flatnonzero(kind == POST_KINDS.index("reply"))
    # Only replies' references are looked up (a quote's or a repost's starts no chain).
    referenced = pc.filter(
        arrow_text(posts["referenced_post_id"]), pa.array(kind == POST_KINDS.index("reply"))
    )
    (post_code, ref_code), first = sorted_codes(posts["post_id"], referenced)
    del referenced
    # A post's first record: the first occurrence of its id (the referenced ids come
    # after every post id in the concatenation, so a first occurrence below n is a post).
    first = np.where(first < n, first, -1)
    keep = _first_rows(post_code, first)
    # A reply's parent: the kept post with the referenced id, unless that post is a repost
    # (a repost starts no thread; X attaches replies to the reposted post).
    parent = np.full(n, -1, dtype=np.int64)
    target = np.where(ref_code >= 0, first[np.maximum(ref_code, 0)], -1)
    ok = (target >= 0) & (kind[np.maximum(target, 0)] != POST_KINDS.index("repost"))
    parent[reply_rows[ok]] = target[ok]
    del post_code, ref_code, target, first

    (author,), authors = encode_text(posts["account_id"])
    account_nominee = (
        nominees.get_indexer(
            pd.Series(authors, dtype=object).map(nominee_of).to_numpy(dtype=object)
        )
        if len(authors)
        else np.zeros(0, dtype=np.int64)
    )
    nominee = account_nominee[author] if n else np.zeros(0, dtype=np.int64)

    if "has_hashtag" in posts.columns:
        has_hashtag = posts["has_hashtag"].to_numpy(dtype=bool)
    else:
        has_hashtag = (
            (pd.Series(posts["hashtags"].to_numpy(dtype=object)).str.len().fillna(0).to_numpy() > 0)
            if n
            else np.zeros(0, dtype=bool)
        )
    frame = pd.DataFrame(
        {
            "author": author.astype(np.int32),
            "nominee": nominee.astype(np.int32),
            "parent": parent,
            "kind": pd.Categorical.from_codes(kind, categories=list(POST_KINDS))
            if n
            else pd.Categorical([], categories=list(POST_KINDS)),
            "platform": pd.Categorical.from_codes(
                _category_codes(posts["platform"], PLATFORMS), categories=list(PLATFORMS)
            )
            if n
            else pd.Categorical([], categories=list(PLATFORMS)),
            "created_at": posts["created_at"].array,
            "likes": count_values(posts["likes"]),
            "reposts": count_values(posts["reposts"]),
            "replies": count_values(posts["replies"]),
            "quotes": count_values(posts["quotes"]),
            "has_media": posts["has_media"].to_numpy(dtype=bool)
            if "has_media" in posts.columns
            else np.zeros(n, dtype=bool),
            "has_hashtag": has_hashtag,
        },
        copy=False,
    )
    if not keep.all():
        # Renumber the parents to the kept rows (a parent is always a kept row).
        new_row = np.cumsum(keep) - 1
        frame = frame[keep].reset_index(drop=True)
        frame["parent"] = np.where(
            frame["parent"].to_numpy() >= 0, new_row[np.maximum(frame["parent"].to_numpy(), 0)], -1
        )
    return EncodedPosts(frame, authors)


@dataclass
class EncodedInteractions:
    """Interactions once each: ``source``/``target`` codes into ``names`` (the accounts
    that appear, sorted by id) and ``kind`` codes into :data:`src.schemas.INTERACTION_KINDS`."""

    source: np.ndarray
    target: np.ndarray
    kind: np.ndarray
    names: np.ndarray


def encode_interactions(interactions: pd.DataFrame | None) -> EncodedInteractions:
    """:class:`EncodedInteractions` of a canonical interactions table (None: no interactions).

    A record repeated in all of source, target, kind and post id counts once.
    """
    if interactions is None or len(interactions) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return EncodedInteractions(
            empty, empty, np.zeros(0, dtype=np.int8), np.zeros(0, dtype=object)
        )
    (source, target), names = encode_text(
        interactions["source_account_id"], interactions["target_account_id"], sort=True
    )
    kind = _category_codes(interactions["kind"], INTERACTION_KINDS)
    (post,), _ = sorted_codes(interactions["post_id"])
    # Only records whose post id repeats can be duplicates; compare those in full.
    repeated = np.bincount(post + 1)[post + 1] > 1
    if repeated.any():
        rows = np.flatnonzero(repeated)
        dup = (
            pd.DataFrame({"s": source[rows], "t": target[rows], "k": kind[rows], "p": post[rows]})
            .duplicated()
            .to_numpy()
        )
        if dup.any():
            keep = np.ones(len(source), dtype=bool)
            keep[rows[dup]] = False
            source, target, kind = source[keep], target[keep], kind[keep]
    return EncodedInteractions(source, target, kind, names)
