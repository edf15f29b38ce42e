"""The feature step's inputs: read only what it uses, and hold it as integer codes.

:func:`read_feature_inputs` reads a processed year's canonical tables, only the columns
the feature step uses (:data:`INPUT_COLUMNS`), vectorised (Arrow and numpy, no Python
object per row): post ids stay Arrow strings, account ids become categoricals (int32
codes over the distinct ids, hashed once), ``kind`` and ``platform`` categoricals of the
declared values, a post's ``hashtags`` list becomes one flag ``has_hashtag`` (only "has
at least one" is used), the text columns are never read. The Parquet schema of each file
is checked on the way in (a wrong type or an unknown kind names the file and the field);
the small tables are validated in full against :mod:`src.schemas`. The build then encodes
the posts and interactions as integer codes (:mod:`src.features.codes`).

At 10 million posts the post ids alone are about 0.3 GB as Arrow strings and several GB
as Python strings, and Python objects per row (ids converted for look-ups, the hashtag
lists) were what made the peak memory (8 GB); with codes the step peaks near 3.5 GB.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from src.errors import InputError
from src.features.codes import encode_text
from src.schemas import INTERACTION_KINDS, OPTIONAL_TABLES, PLATFORMS, POST_KINDS, TABLES, validate

_INTERACTION_KEY = ["source_account_id", "target_account_id", "kind", "post_id"]

#: The columns of each table that the feature step reads. ``posts.hashtags`` is read as
#: its length only (``has_hashtag``); the other tables are small and read in full.
INPUT_COLUMNS = {
    "posts": [
        "post_id",
        "account_id",
        "platform",
        "created_at",
        "kind",
        "referenced_post_id",
        "likes",
        "reposts",
        "replies",
        "quotes",
        "has_media",
        "hashtags",
    ],
    "interactions": list(_INTERACTION_KEY),
}

#: Arrow types accepted per column of the two big tables (checked before reading).
_TEXT = ("string", "large_string")
_ARROW_TYPES = {
    "post_id": _TEXT,
    "account_id": _TEXT,
    "platform": _TEXT,
    "kind": _TEXT,
    "referenced_post_id": (*_TEXT, "null"),
    "created_at": (
        "timestamp[us, tz=UTC]",
        "timestamp[ns, tz=UTC]",
        "timestamp[ms, tz=UTC]",
        "timestamp[s, tz=UTC]",
    ),
    "likes": ("int64", "int32"),
    "reposts": ("int64", "int32"),
    "replies": ("int64", "int32"),
    "quotes": ("int64", "int32"),
    "has_media": ("bool",),
    "hashtags": (
        "list<element: string>",
        "list<element: large_string>",
        "large_list<element: string>",
        "list<element: null>",
        "null",
    ),
    "source_account_id": _TEXT,
    "target_account_id": _TEXT,
}
_ALLOWED = {
    ("posts", "kind"): POST_KINDS,
    ("posts", "platform"): PLATFORMS,
    ("interactions", "kind"): INTERACTION_KINDS,
}


def _check_arrow_schema(path: Path, table: str, schema: pa.Schema, columns: list[str]) -> None:
    for column in columns:
        if column not in schema.names:
            raise InputError(
                path,
                f"the {table} table has no column '{column}' "
                "(written by an older ingest? run notebooks/01_ingest.ipynb again)",
                field=column,
            )
        found = str(schema.field(column).type)
        if found not in _ARROW_TYPES[column]:
            raise InputError(
                path,
                f"the {table} table's column has type {found}, "
                f"expected one of {', '.join(_ARROW_TYPES[column])}",
                field=column,
            )


def _categorical(
    values: pa.ChunkedArray, categories: tuple[str, ...], path: Path, table: str, column: str
) -> pd.Categorical:
    """Arrow text (or dictionary) values as a pandas categorical with fixed
    ``categories``; an unknown value is an error naming it."""
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    codes = pc.index_in(values, value_set=pa.array(categories, type=values.type))
    unknown = pc.and_(pc.is_null(codes), pc.is_valid(values))
    if pc.any(unknown).as_py():
        bad = pc.unique(pc.filter(values, unknown)).to_pylist()[:5]
        raise InputError(
            path,
            f"the {table} table holds {column} values {bad}, "
            f"expected one of {', '.join(categories)}",
            field=column,
        )
    codes = (
        pc.fill_null(codes, -1).to_numpy().astype(np.int8)
        if len(values)
        else np.zeros(0, dtype=np.int8)
    )
    return pd.Categorical.from_codes(codes, categories=list(categories))


def _text_series(values: pa.ChunkedArray) -> pd.Series:
    """Arrow text as a pandas ``str`` Series (Arrow-backed, no Python string per row)."""
    if pa.types.is_null(values.type):
        values = values.cast(pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(values.cast(pa.large_string())), copy=False)


def account_ids(*columns: pa.ChunkedArray) -> list[pd.Categorical]:
    """Account ids as categoricals sharing one set of categories (codes instead of strings).

    Account ids repeat (a few hundred thousand accounts over millions of rows): hashed
    once here, the rows keep int32 codes and the strings go.
    """
    codes, names = encode_text(*columns)
    categories = pd.Index(names, dtype=object)
    return [
        pd.Categorical.from_codes(c.astype(np.int32), categories=categories, validate=False)
        for c in codes
    ]


def _read_posts(path: Path) -> pd.DataFrame:
    columns = INPUT_COLUMNS["posts"]
    _check_arrow_schema(path, "posts", pq.read_schema(path), columns)
    table = pq.read_table(path, columns=columns)
    frame = {}
    for column in columns:
        values = table.column(column)
        if column == "account_id":
            (frame[column],) = account_ids(values)
        elif column in ("post_id", "referenced_post_id"):
            frame[column] = _text_series(values)
        elif column in ("kind", "platform"):
            frame[column] = _categorical(
                values, POST_KINDS if column == "kind" else PLATFORMS, path, "posts", column
            )
        elif column == "hashtags":
            # No hashtag anywhere: Arrow may store the column as nulls.
            empty = len(values) == 0 or pa.types.is_null(values.type)
            frame["has_hashtag"] = (
                np.zeros(len(values), dtype=bool)
                if empty
                else pc.fill_null(pc.greater(pc.list_value_length(values), 0), False).to_numpy(
                    zero_copy_only=False
                )
            )
        elif column == "created_at":
            frame[column] = values.cast(pa.timestamp("us", tz="UTC")).to_pandas()
        elif column in ("likes", "reposts", "replies", "quotes") and values.null_count:
            # A count the platform did not report is missing: NaN (unknown), never 0.
            frame[column] = values.cast(pa.float64()).to_numpy(zero_copy_only=False)
        else:
            frame[column] = values.to_numpy()
        # The Arrow buffers go as soon as their column is converted.
        table = table.drop_columns([column])
    out = pd.DataFrame(frame, copy=False)
    for column in ("likes", "reposts", "replies", "quotes"):
        if len(out) and (out[column] < 0).any():
            raise InputError(path, "the posts table holds a negative count", field=column)
    return out


def _read_interactions(path: Path) -> pd.DataFrame:
    columns = INPUT_COLUMNS["interactions"]
    _check_arrow_schema(path, "interactions", pq.read_schema(path), columns)
    table = pq.read_table(path, columns=columns)
    source, target = account_ids(
        table.column("source_account_id"), table.column("target_account_id")
    )
    frame = {"source_account_id": source, "target_account_id": target}
    table = table.drop_columns(["source_account_id", "target_account_id"])
    frame["kind"] = _categorical(
        table.column("kind"), INTERACTION_KINDS, path, "interactions", "kind"
    )
    frame["post_id"] = _text_series(table.column("post_id"))
    return pd.DataFrame(frame, copy=False)[columns]


def read_feature_inputs(processed_year: Path) -> dict[str, pd.DataFrame]:
    """A processed year's canonical tables, as much of them as the feature step reads.

    ``nominees`` and ``accounts`` (and ``blog_posts``, ``account_metrics`` when the year
    has them) are read in full and validated; ``posts`` and ``interactions`` only in the
    columns of :data:`INPUT_COLUMNS`, with their Parquet types and category values
    checked. The result goes to :func:`src.features.build_features`.

    Raises:
        InputError: a required table is missing, or a column has the wrong type or an
            unknown category (naming the file and the field).
    """
    folder = Path(processed_year)
    tables: dict[str, pd.DataFrame] = {}
    for name in (*TABLES, *OPTIONAL_TABLES):
        path = folder / f"{name}.parquet"
        if not path.exists():
            if name in OPTIONAL_TABLES:
                continue
            raise InputError(
                path,
                "not found: run the ingest step (notebooks/01_ingest.ipynb) for this year first",
            )
        if name == "posts":
            tables[name] = _read_posts(path)
        elif name == "interactions":
            tables[name] = _read_interactions(path)
        else:
            frame = pd.read_parquet(path)
            if "categories" in frame.columns:
                frame["categories"] = pd.Series(
                    [list(v) if v is not None else [] for v in frame["categories"]],
                    index=frame.index,
                    dtype=object,
                )
            tables[name] = validate(frame, name, source=str(path))
    return tables
