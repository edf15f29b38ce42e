"""What every platform reader returns, and the frame builders that give the canonical dtypes.

A reader turns one platform's export files into :class:`PlatformTables`: ``accounts``
(the columns of :data:`src.schemas.ACCOUNTS` except ``is_nominee`` and ``nominee_id``,
which the ingest step adds when it matches nominees; ``hide_from_logged_out`` is False
unless the reader sets it), ``posts`` and ``interactions``
(exactly :data:`src.schemas.POSTS` and :data:`src.schemas.INTERACTIONS`). Ids are not yet
pseudonymised. Build frames with the functions here so the dtypes agree across readers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from src.schemas import ACCOUNTS, INTERACTIONS, POSTS, UTC_TIME

ACCOUNT_COLUMNS = [c for c in ACCOUNTS.columns if c not in ("is_nominee", "nominee_id")]
POST_COLUMNS = list(POSTS.columns)
INTERACTION_COLUMNS = list(INTERACTIONS.columns)
_ACCOUNT_COUNTS = ("followers", "following", "listed", "posts_total")
_POST_COUNTS = ("likes", "reposts", "replies", "quotes")
_TEXT = (
    "handle",
    "name",
    "description",
    "text",
    "lang",
    "referenced_post_id",
    "reply_to_account_id",
)
_INT_COLUMNS = (*_POST_COUNTS, "impressions")


@dataclass(frozen=True)
class PlatformTables:
    """One platform's exports for a year, as canonical-shaped frames."""

    platform: str
    accounts: pd.DataFrame
    posts: pd.DataFrame
    interactions: pd.DataFrame
    files: tuple[str, ...] = ()
    records: int = 0  #: response pages, feed pages or items read
    api_errors: int = 0  #: errors the platform's API reported inside the export
    notes: Mapping[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """Alias of ``records`` for paged exports (X, Bluesky)."""
        return self.records


def _text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    for column in _TEXT:
        if column in frame.columns:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame.sort_values(keys, kind="stable").reset_index(drop=True)``, by Arrow when it can.

    pandas sorts on several keys by factorising every string key first (a third of
    building the posts table at 1M posts); Arrow compares the values directly. The order
    is the same: both sorts are stable, put missing values last, and compare strings by
    code point (UTF-8 bytes compare in code point order). Keys of any other dtype
    (object columns holding mixed values) keep pandas' sort.
    """
    columns = [frame[key] for key in keys]
    if len(frame) < 2 or not all(
        isinstance(c.dtype, (pd.StringDtype, pd.DatetimeTZDtype)) for c in columns
    ):
        return frame.sort_values(keys, kind="stable").reset_index(drop=True)
    table = pa.table(
        {key: pa.array(column.array) for key, column in zip(keys, columns, strict=True)}
    )
    order = pc.sort_indices(
        table, sort_keys=[(key, "ascending") for key in keys]
    )  # missing values last
    return frame.take(order.to_numpy()).reset_index(drop=True)


def accounts_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Accounts with canonical dtypes, sorted by ``account_id``; a column not given is missing."""
    frame = pd.DataFrame(list(rows), columns=ACCOUNT_COLUMNS)
    for column in _ACCOUNT_COUNTS:
        if (
            frame[column].dtype == "int64"
        ):  # no missing counts: the same, without a Python call per value
            frame[column] = frame[column].astype("Int64")
        else:
            frame[column] = pd.array(
                [None if pd.isna(v) else int(v) for v in frame[column]], dtype="Int64"
            )
    frame["hide_from_logged_out"] = frame["hide_from_logged_out"].eq(True)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(UTC_TIME)
    return _text_columns(frame).sort_values("account_id", kind="stable").reset_index(drop=True)


def _column(values: Sequence[Any], name: str) -> pd.Series:
    """One column as ``_text_columns(pd.DataFrame(columns))`` builds it, faster for plain values.

    pandas infers a column's dtype value by value. Two common cases are settled by one
    look at the value types instead (at 1M posts each saves ~0.1 s a column): whole
    numbers in a count column become int64, as inferred; text and None in a text column
    (:data:`_TEXT`) become objects, as :func:`_text_columns` would leave them after a
    round trip through Arrow's ``str`` (the round trip costs ~0.4 s a column).
    Everything else is inferred as the DataFrame constructor does. A column given as a
    Series is taken as it is: its caller built it with the dtype the inference would give.
    """
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    if name in _TEXT:
        if set(map(type, values)) <= {str, type(None)}:
            return pd.Series(
                np.fromiter(values, dtype=object, count=len(values)), dtype=object, copy=False
            )
        column = pd.Series(values)
        return column.astype(object).where(column.notna(), None)
    if name in _INT_COLUMNS and set(map(type, values)) == {int}:
        try:
            return pd.Series(np.fromiter(values, dtype=np.int64, count=len(values)), copy=False)
        except OverflowError:  # beyond int64: pandas decides (uint64 or object)
            pass
    return pd.Series(values)


def _frame_from_columns(columns: Mapping[str, Sequence[Any]], names: list[str]) -> pd.DataFrame:
    """``_text_columns(pd.DataFrame(columns, columns=names))``, built column by column."""
    lengths = {len(columns[name]) for name in names if name in columns}
    if len(lengths) != 1 or 0 in lengths or not all(name in columns for name in names):
        return _text_columns(
            pd.DataFrame(columns, columns=names)
        )  # (no rows: pandas' own dtypes for empty columns)
    return pd.DataFrame({name: _column(columns[name], name) for name in names})


def _count_column(values: pd.Series) -> pd.Series:
    """An engagement count column: int64, or Int64 when a platform lacked some counts.

    A count the export lacks stays missing (never 0): see :data:`src.schemas.ENGAGEMENT_COUNTS`.
    """
    if not values.isna().any():
        return values.astype("int64")
    return pd.Series(
        pd.array([None if pd.isna(v) else int(v) for v in values], dtype="Int64"),
        index=values.index,
    )


def posts_frame(rows: Iterable[Mapping[str, Any]] | Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """Posts with canonical dtypes, sorted by time then ``post_id``.

    ``rows`` is a sequence of records, or (faster for big exports) a mapping from column
    name to a sequence of values (``hashtags``, ``mentions`` and ``urls`` then hold lists).
    """
    columnar = isinstance(rows, Mapping)
    frame = (
        _frame_from_columns(rows, POST_COLUMNS)
        if isinstance(rows, Mapping)
        else _text_columns(pd.DataFrame(list(rows), columns=POST_COLUMNS))
    )
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(UTC_TIME)
    for column in _POST_COUNTS:
        frame[column] = _count_column(frame[column])
    frame["impressions"] = pd.to_numeric(frame["impressions"], errors="coerce").astype("Int64")
    frame["has_media"] = frame["has_media"].fillna(False).astype(bool)
    if not columnar:  # columnar callers (the readers) pass lists already
        for column in ("hashtags", "mentions", "urls"):
            frame[column] = pd.Series(
                [list(v) if isinstance(v, (list, tuple)) else [] for v in frame[column]],
                index=frame.index,
                dtype=object,
            )
    return _sorted(frame, ["created_at", "post_id"])


def interactions_frame(rows: Iterable[Any] | Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """Interactions, sorted deterministically.

    ``rows`` holds dicts or tuples in :data:`INTERACTION_COLUMNS` order, or (faster for big
    exports) is a mapping from column name to a sequence of values.
    """
    if isinstance(rows, Mapping):
        frame = _frame_from_columns(rows, INTERACTION_COLUMNS)
    else:
        rows = list(rows)
        width = len(INTERACTION_COLUMNS)
        if rows and all(type(row) is tuple and len(row) == width for row in rows):
            # Transposed first: pandas builds a frame from tuples through one 2-D object array.
            frame = _frame_from_columns(
                dict(zip(INTERACTION_COLUMNS, zip(*rows, strict=True), strict=True)),
                INTERACTION_COLUMNS,
            )
        else:
            frame = pd.DataFrame(rows, columns=INTERACTION_COLUMNS)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(UTC_TIME)
    return _sorted(frame, ["created_at", "post_id", "kind", "target_account_id"])


#: The dtypes the frame builders give a non-empty table, in column order (pandas infers
#: "str", its Arrow-backed text, for text that is never missing).
_DTYPE_OF = {
    **dict.fromkeys(
        ("post_id", "account_id", "source_account_id", "target_account_id", "platform", "kind"),
        "str",
    ),
    "created_at": UTC_TIME,
    **dict.fromkeys(_POST_COUNTS, "int64"),
    "impressions": "Int64",
    "has_media": "bool",
    **dict.fromkeys(
        (
            "text",
            "lang",
            "referenced_post_id",
            "reply_to_account_id",
            "hashtags",
            "mentions",
            "urls",
        ),
        "object",
    ),
}
_POST_DTYPES = {column: _DTYPE_OF[column] for column in POST_COLUMNS}
_INTERACTION_DTYPES = {column: _DTYPE_OF[column] for column in INTERACTION_COLUMNS}


def _canonical(frame: pd.DataFrame, dtypes: Mapping[str, Any]) -> bool:
    """Whether ``frame`` has exactly these columns, in order, with these dtypes."""
    return list(frame.columns) == list(dtypes) and all(
        frame[c].dtype == dtype for c, dtype in dtypes.items()
    )


def _concat(
    frames: Sequence[pd.DataFrame],
    build: Callable[[Any], pd.DataFrame],
    dtypes: Mapping[str, Any],
    keys: list[str],
) -> pd.DataFrame:
    """``build(pd.concat(frames).to_dict("records"))``, without the round trip where it is idle.

    Tables that ``build`` made already have its dtypes and order: joining them and sorting
    gives the same table (the rebuild made Python objects of every value; at 200k posts,
    40% of a year's ingest). Empty tables add no rows, so their dtypes do not matter.
    """
    non_empty = [frame for frame in frames if len(frame)]
    if not non_empty:
        return build([])
    if all(_canonical(frame, dtypes) for frame in non_empty):
        return _sorted(pd.concat(non_empty, ignore_index=True), keys)
    return build(pd.concat(frames, ignore_index=True).to_dict("records"))


def concat_posts(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The posts tables of several readers as one, as :func:`posts_frame` of all their rows."""
    return _concat(frames, posts_frame, _POST_DTYPES, ["created_at", "post_id"])


def concat_interactions(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The interactions tables of several readers as one (:func:`interactions_frame` of all)."""
    return _concat(
        frames,
        interactions_frame,
        _INTERACTION_DTYPES,
        ["created_at", "post_id", "kind", "target_account_id"],
    )


def posts_and_interactions(
    rows: Iterable[Mapping[str, Any]],
    platform: str,
    account_id: Callable[[str], str],
    post_id: Callable[[str], str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Posts and who-engaged-with-whom from a reader's post rows (Bluesky, Mastodon).

    Each row holds ``post_id`` (canonical), ``author`` and ``target`` (native account
    ids; ``target`` is whom a reply, quote or repost answers), ``referenced`` (native post
    id), ``mentions`` (native account ids), ``kind``, ``created_at``, ``text``, ``lang``,
    the four counts, ``has_media``, ``hashtags`` and ``urls``. A reply, quote or repost
    is an interaction with its target; each mention is one too, except of oneself and,
    in a reply, of the account replied to (that is the reply itself).
    """
    posts, interactions = [], []
    for row in rows:
        author = account_id(row["author"])
        target = account_id(row["target"]) if row["target"] else None
        reply_to = target if row["kind"] == "reply" else None
        if row["kind"] in ("reply", "quote", "repost") and target is not None and target != author:
            interactions.append((author, target, row["kind"], row["post_id"], row["created_at"]))
        mentions = [account_id(native) for native in row["mentions"]]
        for mentioned in mentions:
            if mentioned != author and mentioned != reply_to:
                interactions.append(
                    (author, mentioned, "mention", row["post_id"], row["created_at"])
                )
        posts.append(
            {
                "post_id": row["post_id"],
                "account_id": author,
                "platform": platform,
                "created_at": row["created_at"],
                "kind": row["kind"],
                "text": row["text"],
                "lang": row["lang"],
                "referenced_post_id": post_id(row["referenced"]) if row["referenced"] else None,
                "reply_to_account_id": reply_to,
                "likes": row["likes"],
                "reposts": row["reposts"],
                "replies": row["replies"],
                "quotes": row["quotes"],
                "impressions": None,
                "has_media": row["has_media"],
                "hashtags": row["hashtags"],
                "mentions": mentions,
                "urls": row["urls"],
            }
        )
    return posts_frame(posts), interactions_frame(interactions)
