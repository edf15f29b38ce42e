"""The sources a raw year folder can hold, where each sits and how it is read.

Platform exports (X, Bluesky, Mastodon) are read by their readers into
:class:`~src.ingest.tables.PlatformTables` and their accounts matched to the nominees;
account-level metric tables and blog feeds are read alongside. The folder layout is in
:mod:`src.ingest.pipeline`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from src.errors import InputError
from src.ingest.matching import accounts_from_metrics, match_nominees
from src.ingest.nominations import normalise_handle
from src.ingest.quarantine import Rejects
from src.ingest.tables import PlatformTables, accounts_frame
from src.ingest.window import Window

if TYPE_CHECKING:
    from src.ingest.blogs import BlogTables

NOMINATIONS_FILE = "nominations.csv"
BLOG_SUFFIXES = (".xml", ".rss", ".atom")


@dataclass(frozen=True)
class Source:
    """One platform's exports: where they sit in a year folder and how to read them."""

    platform: str
    folder: str
    patterns: tuple[str, ...]
    handle_column: str
    reader: Callable[..., PlatformTables]


def _read_x(paths: list[Path], rejects: Rejects) -> PlatformTables:
    from src.ingest.x import read_x_exports

    return read_x_exports(paths, rejects=rejects)


def _read_bluesky(paths: list[Path], rejects: Rejects) -> PlatformTables:
    from src.ingest.bluesky import read_bluesky_exports

    return read_bluesky_exports(paths, rejects=rejects)


def _read_mastodon(paths: list[Path], rejects: Rejects) -> PlatformTables:
    from src.ingest.mastodon import read_mastodon_exports

    return read_mastodon_exports(paths, rejects=rejects)


SOURCES: tuple[Source, ...] = (
    Source("x", "x", ("*.jsonl", "*.json"), "x_handle", _read_x),
    Source("bluesky", "bluesky", ("*.json", "*.jsonl"), "bluesky_handle", _read_bluesky),
    Source("mastodon", "mastodon", ("*.json", "*.jsonl"), "mastodon_handle", _read_mastodon),
)


def export_files(raw_year: Path, folder: str, patterns: tuple[str, ...]) -> list[Path]:
    """The export files of one source in a raw year folder, in a fixed order."""
    base = raw_year / folder
    if not base.is_dir():
        return []
    return sorted({path for pattern in patterns for path in base.glob(pattern) if path.is_file()})


def x_export_files(raw_year: Path) -> list[Path]:
    """The X export files of a raw year folder (``.jsonl`` and ``.json``), in a fixed order."""
    return export_files(raw_year, "x", ("*.jsonl", "*.json"))


@dataclass
class Exports:
    """What a year folder's exports gave: tables, files read and counts, and account rows."""

    platform_tables: list[PlatformTables] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    per_platform: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Platforms with nominee handles but no export folder: how many handles.
    handles_without_exports: dict[str, int] = field(default_factory=dict)
    #: Account frames with ``is_nominee`` and ``nominee_id``, one per source.
    matched_accounts: list[pd.DataFrame] = field(default_factory=list)


def read_platform_exports(raw_year: Path, nominees: pd.DataFrame, rejects: Rejects) -> Exports:
    """Read every platform's exports in ``raw_year`` and match their accounts to ``nominees``."""
    nominations_path = raw_year / NOMINATIONS_FILE
    exports = Exports()
    for source in SOURCES:
        files = export_files(raw_year, source.folder, source.patterns)
        given = int(nominees[source.handle_column].notna().sum())
        if not files:
            if given:
                exports.handles_without_exports[source.platform] = given
            continue
        tables = source.reader(files, rejects)
        exports.platform_tables.append(tables)
        exports.files_read += [str(f) for f in files]
        accounts = match_nominees(
            nominees,
            tables.accounts,
            nominations_path,
            raw_year / source.folder,
            platform=source.platform,
            handle_column=source.handle_column,
            rejects=rejects,
        )
        exports.matched_accounts.append(accounts)
        exports.per_platform[source.platform] = {
            "files": len(files),
            "records": tables.records,
            "api_errors": tables.api_errors,
            "posts": int(len(tables.posts)),
        }
    return exports


def read_metric_tables(
    raw_year: Path, rejects: Rejects, window: Window | None = None
) -> tuple[pd.DataFrame | None, list[str]]:
    """The ``account_metrics`` rows of the metrics CSVs in ``raw_year`` (or None), and the files.

    The files are merged and cut to ``window`` by :func:`src.ingest.metrics.read_metric_folder`.
    """
    files = export_files(raw_year, "metrics", ("*.csv",))
    if not files:
        return None, []
    from src.ingest.metrics import read_metric_folder

    return read_metric_folder(files, rejects, window), [str(p) for p in files]


def link_metric_accounts(metrics: pd.DataFrame, exports: Exports) -> pd.DataFrame:
    """Metric rows keyed by the account their platform's exports give for the same handle.

    A metric table knows an account only by its handle (``x:@handle``); where the year's
    posts of that platform hold exactly one account with that handle, the rows are that
    account's (its native id), so its followers over time and its nominee line up.
    """
    native: dict[tuple[str, str], list[str]] = {}
    for tables in exports.platform_tables:
        for account, handle in zip(
            tables.accounts["account_id"], tables.accounts["handle"], strict=True
        ):
            name = normalise_handle(handle)
            if name is not None:
                native.setdefault((tables.platform, name), []).append(account)
    linked = [
        ids[0] if len(ids := native.get((p, normalise_handle(h) or ""), [])) == 1 else a
        for a, p, h in zip(
            metrics["account_id"], metrics["platform"], metrics["handle"], strict=True
        )
    ]
    return metrics.assign(account_id=linked)


def add_metric_accounts(
    metrics: pd.DataFrame,
    nominees: pd.DataFrame,
    raw_year: Path,
    exports: Exports,
    rejects: Rejects,
) -> set[str]:
    """Add the metric tables' accounts to ``exports``; return the metric account ids of nominees.

    On a platform whose posts were read, those posts already give the accounts (with
    native ids), so the metric rows only say which handles are nominees'. On any other
    platform, the metric rows are the platform's accounts and are matched to the nominees.
    """
    nominations_path = raw_year / NOMINATIONS_FILE
    metric_nominee_ids: set[str] = set()
    with_posts = {t.platform for t in exports.platform_tables}
    metric_accounts = accounts_frame(accounts_from_metrics(metrics)).assign(
        is_nominee=False, nominee_id=None
    )
    for source in SOURCES:
        if not (metric_accounts["platform"] == source.platform).any():
            continue
        if source.platform in with_posts:
            handles = {
                normalise_handle(h) for h in nominees[source.handle_column] if isinstance(h, str)
            }
            metric_nominee_ids |= {
                a
                for a, p, h in zip(
                    metric_accounts["account_id"],
                    metric_accounts["platform"],
                    metric_accounts["handle"],
                    strict=True,
                )
                if p == source.platform and normalise_handle(h) in handles
            }
            metric_accounts = metric_accounts[metric_accounts["platform"] != source.platform]
        else:
            metric_accounts = match_nominees(
                nominees,
                metric_accounts,
                nominations_path,
                raw_year / "metrics",
                platform=source.platform,
                handle_column=source.handle_column,
                rejects=rejects,
            )
            exports.handles_without_exports.pop(source.platform, None)
    if len(metric_accounts):
        exports.matched_accounts.append(metric_accounts)
    return metric_nominee_ids


def blog_feed_files(raw_year: Path, rejects: Rejects) -> list[tuple[Path, str]]:
    """The saved feeds of ``blogs/``, each with the nominee id it belongs to.

    ``blogs/<nominee_id>.xml`` (or ``.rss``, ``.atom``), and every feed file in a folder
    ``blogs/<nominee_id>/`` (copies saved at different times). Other files are named in
    the data-quality notes and not read.
    """
    base = raw_year / "blogs"
    if not base.is_dir():
        return []
    found: list[tuple[Path, str]] = []
    skipped: list[str] = []
    for path in sorted(base.iterdir()):
        if path.is_dir():
            for inner in sorted(path.iterdir()):
                if inner.is_file() and inner.suffix.lower() in BLOG_SUFFIXES:
                    found.append((inner, path.name))
                elif not inner.name.startswith("."):
                    skipped.append(str(inner))
        elif path.suffix.lower() in BLOG_SUFFIXES:
            found.append((path, path.stem))
        elif not path.name.startswith("."):
            skipped.append(str(path))
    if skipped:
        rejects.quality.note(
            "blogs",
            "files_not_read",
            len(skipped),
            f"{len(skipped)} file(s) in blogs/ are not saved feeds (.xml, .rss or .atom, at "
            "blogs/<nominee_id>.xml or blogs/<nominee_id>/*.xml) and were not read",
            files=skipped,
            severity="warning",
        )
    return found


def read_blog_exports(
    raw_year: Path, nominees: pd.DataFrame, rejects: Rejects, window: Window | None = None
) -> tuple[BlogTables | None, list[dict[str, Any]], list[str]]:
    """Blog posts and feeds of the nominees whose feeds the year folder holds, their
    accounts, the files."""
    nominations_path = raw_year / NOMINATIONS_FILE
    files = blog_feed_files(raw_year, rejects)
    if not files:
        return None, [], []
    from src.ingest.blogs import read_feeds

    feed_of = dict(zip(nominees["nominee_id"], nominees["blog_feed_url"], strict=True))
    mapping: dict[Path, str] = {}
    owners: dict[str, str] = {}
    for path, nominee_id in files:
        try:
            if nominee_id not in feed_of:
                raise InputError(
                    path,
                    f"blog feed files are named after the nominee (blogs/<nominee_id>.xml or "
                    f"blogs/<nominee_id>/*.xml); {nominee_id!r} is not a nominee of this year",
                    field="file name" if path.parent.name == "blogs" else "folder name",
                )
            if not feed_of[nominee_id]:
                raise InputError(
                    nominations_path,
                    f"nominee {nominee_id!r} has a blog feed file ({path.name}) but no "
                    "blog_feed_url",
                    record=f"nominee {nominee_id!r}",
                    field="blog_feed_url",
                )
        except InputError as error:
            rejects(error)
            continue
        mapping[path] = feed_of[nominee_id]
        owners["blog:" + feed_of[nominee_id]] = nominee_id
    blogs = read_feeds(mapping, rejects=rejects, window=window) if mapping else None
    accounts = [
        {
            "account_id": account_id,
            "platform": "blog",
            "handle": account_id[len("blog:") :],
            "nominee_id": nominee_id,
        }
        for account_id, nominee_id in sorted(owners.items())
    ]
    return blogs, accounts, [str(p) for p in mapping]
