"""One year's ingest: read whatever the raw year folder holds, validate, protect, write.

Raw folder layout (``data/raw/<year>/``); every part but ``nominations.csv`` is optional::

    nominations.csv        nominees and the panel's decisions (required)
    x/*.jsonl              X API v2 pages as twarc2 writes them (timelines, searches,
                           user look-ups)
    bluesky/*.json[l]      AT Protocol app.bsky.feed.getAuthorFeed pages and
                           app.bsky.actor.getProfile(s) responses
    mastodon/*.json[l]     Mastodon REST API statuses and accounts
    blogs/<nominee_id>.xml RSS 2.0 or Atom feed of that nominee's blog (.xml, .rss, .atom)
    metrics/*.csv          account-level metric tables from a social-listening tool
    SIMULATED.md           present only in the bundled simulated sample

Outputs (``data/processed/<year>/``), each written atomically: ``nominees``,
``accounts``, ``posts``, ``interactions`` (always), ``blog_posts`` and
``account_metrics`` (when the year has them) as Parquet; ``rejected.csv`` (quarantine
mode); and ``ingest_summary.json`` with what was read. The same inputs give
byte-identical outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from src.errors import InputError
from src.ingest.nominations import normalise_handle, read_nominations
from src.ingest.pseudonymise import load_or_create_key, pseudonym, pseudonymise_tables
from src.ingest.quarantine import REJECTED_COLUMNS, Rejects
from src.ingest.tables import PlatformTables, accounts_frame, concat_interactions, concat_posts
from src.io import write_json_atomic, write_parquet_atomic, write_text_atomic
from src.params import YearRun
from src.schemas import ACCOUNTS, OPTIONAL_TABLES, TABLES, validate

NOMINATIONS_FILE = "nominations.csv"
REJECTED_FILE = "rejected.csv"
BLOG_SUFFIXES = (".xml", ".rss", ".atom")
PLATFORM_NAMES = {"x": "X", "bluesky": "Bluesky", "mastodon": "Mastodon", "blog": "blog"}


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
    Source("x", "x", ("*.jsonl",), "x_handle", _read_x),
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
    """The X export files of a raw year folder, in a fixed order."""
    return export_files(raw_year, "x", ("*.jsonl",))


def match_nominees(
    nominees: pd.DataFrame,
    accounts: pd.DataFrame,
    nominations_path: Path,
    export_folder: Path,
    *,
    platform: str = "x",
    handle_column: str = "x_handle",
    rejects: Rejects | None = None,
) -> pd.DataFrame:
    """Attach ``is_nominee`` and ``nominee_id`` to one platform's accounts by handle (case-insensitive).

    Raises (strict) or records (quarantine):
        InputError: a nominee's handle is in no export of the year for that platform, or
            two nominees claim the same handle. A quarantined nominee keeps their row but
            has no account on that platform.
    """
    rejects = Rejects() if rejects is None else rejects
    shown = PLATFORM_NAMES.get(platform, platform)
    accounts = accounts.copy()
    if "is_nominee" not in accounts.columns:
        accounts["is_nominee"] = False
        accounts["nominee_id"] = pd.Series(
            [None] * len(accounts), dtype=object, index=accounts.index
        )
    mine = accounts["platform"] == platform
    by_handle = {
        str(h).lower().lstrip("@"): i
        for i, h in zip(accounts.index[mine], accounts.loc[mine, "handle"])
        if isinstance(h, str)
    }
    claimed: dict[int, str] = {}
    for nominee_id, handle in zip(nominees["nominee_id"], nominees[handle_column]):
        handle = normalise_handle(handle)
        if handle is None:
            continue
        try:
            if handle not in by_handle:
                raise InputError(
                    nominations_path,
                    f"{shown} handle @{handle} is in no {shown} export of this year (looked in {export_folder}); "
                    "add the nominee's timeline and profile, or correct the handle",
                    record=f"nominee {nominee_id!r}",
                    field=handle_column,
                )
            index = by_handle[handle]
            if index in claimed:
                raise InputError(
                    nominations_path,
                    f"{shown} handle @{handle} is also given for nominee {claimed[index]!r}",
                    record=f"nominee {nominee_id!r}",
                    field=handle_column,
                )
        except InputError as error:
            rejects(error)
            continue
        claimed[index] = nominee_id
        accounts.loc[index, "is_nominee"] = True
        accounts.loc[index, "nominee_id"] = nominee_id
    return accounts


def _blog_tables(
    raw_year: Path, nominees: pd.DataFrame, nominations_path: Path, rejects: Rejects
) -> tuple[pd.DataFrame | None, list[dict[str, Any]], list[str]]:
    """Blog posts of the nominees whose feeds the year folder holds, and their blog accounts."""
    files = [p for p in export_files(raw_year, "blogs", tuple(f"*{s}" for s in BLOG_SUFFIXES))]
    if not files:
        return None, [], []
    from src.ingest.blogs import read_blog_feeds

    feed_of = dict(zip(nominees["nominee_id"], nominees["blog_feed_url"]))
    mapping: dict[Path, str] = {}
    owners: dict[str, str] = {}
    for path in files:
        nominee_id = path.stem
        try:
            if nominee_id not in feed_of:
                raise InputError(
                    path,
                    f"blog feed files are named after the nominee; {nominee_id!r} is not a nominee of this year",
                    field="file name",
                )
            if not feed_of[nominee_id]:
                raise InputError(
                    nominations_path,
                    f"nominee {nominee_id!r} has a blog feed file ({path.name}) but no blog_feed_url",
                    record=f"nominee {nominee_id!r}",
                    field="blog_feed_url",
                )
        except InputError as error:
            rejects(error)
            continue
        mapping[path] = feed_of[nominee_id]
        owners["blog:" + feed_of[nominee_id]] = nominee_id
    blog_posts = read_blog_feeds(mapping, rejects=rejects) if mapping else None
    accounts = [
        {
            "account_id": account_id,
            "platform": "blog",
            "handle": account_id[len("blog:") :],
            "nominee_id": nominee_id,
        }
        for account_id, nominee_id in sorted(owners.items())
    ]
    return blog_posts, accounts, [str(p) for p in mapping]


def _metrics_table(raw_year: Path, rejects: Rejects) -> tuple[pd.DataFrame | None, list[str]]:
    files = export_files(raw_year, "metrics", ("*.csv",))
    if not files:
        return None, []
    from src.ingest.metrics import read_account_metrics

    frames = []
    for path in files:
        frame = read_account_metrics(path, rejects=rejects)
        if frame is not None and len(frame):
            frames.append(frame)
    if not frames:
        return None, [str(p) for p in files]
    table = (
        pd.concat(frames, ignore_index=True)
        .sort_values(["account_id", "period_start"], kind="stable")
        .reset_index(drop=True)
    )
    return table, [str(p) for p in files]


def _accounts_from_metrics(metrics: pd.DataFrame) -> list[dict[str, Any]]:
    """One account row per metrics account, with the figures of its latest period."""
    latest = (
        metrics.sort_values(["account_id", "period_start"], kind="stable")
        .groupby("account_id", sort=True)
        .tail(1)
    )
    return [
        {
            "account_id": row.account_id,
            "platform": row.platform,
            "handle": row.handle,
            "followers": row.followers,
            "following": row.following,
            "listed": row.listed,
            "posts_total": None,
        }
        for row in latest.itertuples()
    ]


def ingest_year(
    run: YearRun, key: bytes | None = None, *, quarantine: bool = False
) -> dict[str, Any]:
    """Read ``run.raw``, write the canonical tables to ``run.processed``; return a summary.

    Strict by default: the first bad record stops the ingest with an :class:`InputError`
    naming the file, the record and the field, and nothing is written (the previous good
    tables stay). With ``quarantine=True`` bad records are skipped and listed, with the
    reason for each, in ``rejected.csv``.
    """
    if not run.raw.is_dir():
        raise InputError(run.raw, f"no raw data folder for {run.year}")
    rejects = Rejects(strict=not quarantine)
    nominations_path = run.raw / NOMINATIONS_FILE
    nominees = read_nominations(nominations_path, run.year, rejects=rejects)

    platform_tables: list[PlatformTables] = []
    files_read: list[str] = []
    per_platform: dict[str, dict[str, int]] = {}
    handles_without_exports: dict[str, int] = {}
    matched_accounts: list[pd.DataFrame] = []
    for source in SOURCES:
        files = export_files(run.raw, source.folder, source.patterns)
        given = int(nominees[source.handle_column].notna().sum())
        if not files:
            if given:
                handles_without_exports[source.platform] = given
            continue
        tables = source.reader(files, rejects)
        platform_tables.append(tables)
        files_read += [str(f) for f in files]
        accounts = match_nominees(
            nominees,
            tables.accounts,
            nominations_path,
            run.raw / source.folder,
            platform=source.platform,
            handle_column=source.handle_column,
            rejects=rejects,
        )
        matched_accounts.append(accounts)
        per_platform[source.platform] = {
            "files": len(files),
            "records": tables.records,
            "api_errors": tables.api_errors,
            "posts": int(len(tables.posts)),
        }

    metrics, metric_files = _metrics_table(run.raw, rejects)
    files_read += metric_files
    metric_nominee_ids: set[str] = set()
    if metrics is not None:
        with_posts = {t.platform for t in platform_tables}
        metric_accounts = accounts_frame(_accounts_from_metrics(metrics)).assign(
            is_nominee=False, nominee_id=None
        )
        for source in SOURCES:
            if not (metric_accounts["platform"] == source.platform).any():
                continue
            if source.platform in with_posts:
                # The platform's posts already give its accounts (with native ids): the
                # metric rows only need to know which handles are nominees'.
                handles = {
                    normalise_handle(h)
                    for h in nominees[source.handle_column]
                    if isinstance(h, str)
                }
                metric_nominee_ids |= {
                    a
                    for a, p, h in zip(
                        metric_accounts["account_id"],
                        metric_accounts["platform"],
                        metric_accounts["handle"],
                    )
                    if p == source.platform and normalise_handle(h) in handles
                }
                metric_accounts = metric_accounts[metric_accounts["platform"] != source.platform]
            else:
                metric_accounts = match_nominees(
                    nominees,
                    metric_accounts,
                    nominations_path,
                    run.raw / "metrics",
                    platform=source.platform,
                    handle_column=source.handle_column,
                    rejects=rejects,
                )
                handles_without_exports.pop(source.platform, None)
        if len(metric_accounts):
            matched_accounts.append(metric_accounts)

    blog_posts, blog_accounts, blog_files = _blog_tables(
        run.raw, nominees, nominations_path, rejects
    )
    files_read += blog_files
    if blog_accounts:
        matched_accounts.append(
            accounts_frame(blog_accounts).assign(
                is_nominee=True, nominee_id=[a["nominee_id"] for a in blog_accounts]
            )
        )

    if not platform_tables and metrics is None and blog_posts is None:
        raise InputError(
            run.raw,
            "holds no exports: expected at least one of x/, bluesky/, mastodon/, blogs/ or metrics/ (see README.md)",
        )

    accounts = _combine_accounts(matched_accounts)
    posts = concat_posts([t.posts for t in platform_tables])
    interactions = concat_interactions([t.interactions for t in platform_tables])
    nominee_accounts = set(accounts.loc[accounts["is_nominee"], "account_id"])
    key = load_or_create_key() if key is None else key
    accounts, posts, interactions = pseudonymise_tables(
        accounts, posts, interactions, keep=nominee_accounts, key=key
    )
    if metrics is not None:
        outsiders = ~metrics["account_id"].isin(nominee_accounts | metric_nominee_ids)
        metrics = metrics.assign(
            account_id=[
                pseudonym(a, key) if o else a for a, o in zip(metrics["account_id"], outsiders)
            ],
            handle=metrics["handle"].astype(object).where(~outsiders, None),
        )

    tables: dict[str, pd.DataFrame] = {
        "nominees": nominees,
        "accounts": accounts,
        "posts": posts,
        "interactions": interactions,
    }
    if blog_posts is not None:
        tables["blog_posts"] = blog_posts
    if metrics is not None:
        tables["account_metrics"] = metrics
    tables = {name: validate(frame, name, source=str(run.raw)) for name, frame in tables.items()}

    nominee_posts = posts[posts["account_id"].isin(nominee_accounts)]
    relative = [str(Path(f).relative_to(run.raw)) for f in files_read] + [NOMINATIONS_FILE]
    summary = {
        "year": run.year,
        "simulated": run.is_simulated,
        "raw_folder": str(run.raw),
        "files_read": sorted(relative),
        "platforms": per_platform,
        "x_pages": per_platform.get("x", {}).get("records", 0),
        "x_api_errors": per_platform.get("x", {}).get("api_errors", 0),
        "api_errors": sum(p["api_errors"] for p in per_platform.values()),
        "handles_without_exports": handles_without_exports,
        "nominees": int(len(nominees)),
        "selected": int(nominees["selected"].sum()),
        "nominees_without_accounts": sorted(
            set(nominees["nominee_id"]) - set(accounts["nominee_id"].dropna())
        ),
        "accounts": int(len(accounts)),
        "nominee_accounts": len(nominee_accounts),
        "pseudonymised_accounts": int((~accounts["is_nominee"]).sum()),
        "posts": int(len(posts)),
        "nominee_posts": int(len(nominee_posts)),
        "interactions": int(len(interactions)),
        "blog_posts": int(len(blog_posts)) if blog_posts is not None else 0,
        "metric_rows": int(len(metrics)) if metrics is not None else 0,
        "first_post": nominee_posts["created_at"].min().isoformat() if len(nominee_posts) else None,
        "last_post": nominee_posts["created_at"].max().isoformat() if len(nominee_posts) else None,
        "quarantine": quarantine,
        "rejected_records": len(rejects),
        "rejected_by_file": rejects.counts_by_file(str(run.raw)),
    }
    run.processed.mkdir(parents=True, exist_ok=True)
    for name in (*TABLES, *OPTIONAL_TABLES):
        path = run.processed / f"{name}.parquet"
        if name in tables:
            write_parquet_atomic(tables[name], path)
        elif path.exists():
            path.unlink()  # a table this year no longer has must not linger from an earlier run
    rejected_path = run.processed / REJECTED_FILE
    if quarantine:
        write_text_atomic(rejects.frame(str(run.raw)).to_csv(index=False), rejected_path)
    elif rejected_path.exists():
        rejected_path.unlink()
    write_json_atomic(summary, run.processed / "ingest_summary.json")
    return summary


def _combine_accounts(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        combined = accounts_frame([]).assign(
            is_nominee=pd.Series([], dtype=bool), nominee_id=pd.Series([], dtype=object)
        )
    else:
        combined = pd.concat([f[list(ACCOUNTS.columns)] for f in frames], ignore_index=True)
        # The same account may come from posts and from a metrics table: keep the richer row.
        combined = combined.sort_values(
            ["account_id", "is_nominee"], ascending=[True, False], kind="stable"
        ).drop_duplicates("account_id", keep="first")
    combined["is_nominee"] = combined["is_nominee"].astype(bool)
    combined["nominee_id"] = (
        combined["nominee_id"].astype(object).where(combined["nominee_id"].notna(), None)
    )
    return combined[list(ACCOUNTS.columns)].reset_index(drop=True)


def read_tables(processed_year: Path) -> dict[str, pd.DataFrame]:
    """Read a year's canonical tables back, checked against their schemas.

    The optional tables (``blog_posts``, ``account_metrics``) are included when the year
    has them.
    """
    tables = {}
    for name in (*TABLES, *OPTIONAL_TABLES):
        path = Path(processed_year) / f"{name}.parquet"
        if not path.exists():
            if name in OPTIONAL_TABLES:
                continue
            raise InputError(
                path,
                "not found: run the ingest step (notebooks/01_ingest.ipynb) for this year first",
            )
        frame = pd.read_parquet(path)
        for column in ("hashtags", "mentions", "urls", "categories"):
            if column in frame.columns:
                frame[column] = pd.Series(
                    [list(v) if v is not None else [] for v in frame[column]],
                    index=frame.index,
                    dtype=object,
                )
        tables[name] = validate(frame, name, source=str(path))
    return tables


def read_rejected(processed_year: Path) -> pd.DataFrame:
    """The records quarantined for a year (empty when the ingest ran strict)."""
    path = Path(processed_year) / REJECTED_FILE
    return (
        pd.read_csv(path, dtype=str, keep_default_na=False)
        if path.exists()
        else pd.DataFrame(columns=REJECTED_COLUMNS)
    )
