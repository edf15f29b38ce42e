"""One year's ingest: read whatever the raw year folder holds, validate, protect, write.

Raw folder layout (``data/raw/<year>/``); every part but ``nominations.csv`` is optional::

    nominations.csv        nominees and the panel's decisions (required)
    x/*.jsonl              X API v2 pages as twarc2 writes them (timelines, searches,
                           user look-ups)
    bluesky/*.json[l]      AT Protocol app.bsky.feed.getAuthorFeed pages and
                           app.bsky.actor.getProfile(s) responses
    mastodon/*.json[l]     Mastodon REST API statuses and accounts
    blogs/<nominee_id>.xml RSS 2.0 or Atom feed of that nominee's blog (.xml, .rss, .atom)
    blogs/<nominee_id>/    several saved copies of that feed (*.xml, *.rss, *.atom)
    metrics/*.csv          account-level metric tables from a social-listening tool
    settings.toml          the year's window, when it is not the nominations' year
    SIMULATED.md           present only in the bundled simulated sample

Posts, interactions, blog posts and metric periods dated outside the year's window
(:mod:`src.ingest.window`) are counted in the data-quality notes and excluded.

Outputs (``data/processed/<year>/``), each written atomically: ``nominees``,
``accounts``, ``posts``, ``interactions`` (always), ``blog_posts`` and ``blog_feeds``,
``account_metrics`` (when the year has them) as Parquet; ``rejected.csv`` (quarantine
mode); and ``ingest_summary.json`` with what was read (its ``window`` and
``data_quality``). The same inputs give byte-identical outputs.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

from src.errors import InputError
from src.ingest.matching import combine_accounts
from src.ingest.nominations import read_nominations
from src.ingest.outputs import REJECTED_FILE, read_rejected, read_tables, write_outputs
from src.ingest.pseudonymise import load_or_create_key, pseudonym, pseudonymise_tables
from src.ingest.quarantine import Rejects
from src.ingest.sources import (
    NOMINATIONS_FILE,
    SOURCES,
    Exports,
    add_metric_accounts,
    link_metric_accounts,
    read_blog_exports,
    read_metric_tables,
    read_platform_exports,
)
from src.ingest.tables import accounts_frame, concat_interactions, concat_posts
from src.ingest.window import Window, cut_posts_to_window, read_window
from src.params import YearRun
from src.schemas import validate

__all__ = ["NOMINATIONS_FILE", "REJECTED_FILE", "ingest_year", "read_rejected", "read_tables"]

logger = logging.getLogger(__name__)


def ingest_year(
    run: YearRun, key: bytes | None = None, *, quarantine: bool = False
) -> dict[str, Any]:
    """Read ``run.raw``, write the canonical tables to ``run.processed``; return a summary.

    Strict by default: the first bad record stops the ingest with an :class:`InputError`
    naming the file, the record and the field, and nothing is written (the previous good
    tables stay). With ``quarantine=True`` bad records are skipped and listed, with the
    reason for each, in ``rejected.csv``. A bad ``settings.toml`` always stops it.
    """
    if not run.raw.is_dir():
        raise InputError(run.raw, f"no raw data folder for {run.year}")
    rejects = Rejects(strict=not quarantine)
    window = read_window(run.raw, run.year)
    nominees = read_nominations(run.raw / NOMINATIONS_FILE, run.year, rejects=rejects)

    exports = read_platform_exports(run.raw, nominees, rejects)
    for platform, counts in exports.per_platform.items():
        logger.info("%s: %d posts from %d file(s)", platform, counts["posts"], counts["files"])
    metrics, metric_files = read_metric_tables(run.raw, rejects, window)
    exports.files_read += metric_files
    metric_nominee_ids: set[str] = set()
    if metrics is not None:
        metrics = link_metric_accounts(metrics, exports)
        metric_nominee_ids = add_metric_accounts(metrics, nominees, run.raw, exports, rejects)
    blogs, blog_accounts, blog_files = read_blog_exports(run.raw, nominees, rejects, window)
    exports.files_read += blog_files
    if blog_accounts:
        exports.matched_accounts.append(
            accounts_frame(blog_accounts).assign(
                is_nominee=True, nominee_id=[a["nominee_id"] for a in blog_accounts]
            )
        )
    if not exports.platform_tables and metrics is None and blogs is None:
        raise InputError(
            run.raw,
            "holds no exports: expected at least one of x/, bluesky/, mastodon/, blogs/ or "
            "metrics/ (see README.md)",
        )

    accounts = combine_accounts(exports.matched_accounts)
    nominee_accounts = set(accounts.loc[accounts["is_nominee"], "account_id"])
    posts, interactions = cut_posts_to_window(
        concat_posts([t.posts for t in exports.platform_tables]),
        concat_interactions([t.interactions for t in exports.platform_tables]),
        window,
        nominee_accounts,
        rejects.quality,
        folders={source.platform: run.raw / source.folder for source in SOURCES},
    )
    key = load_or_create_key() if key is None else key
    accounts, posts, interactions = pseudonymise_tables(
        accounts, posts, interactions, keep=nominee_accounts, key=key
    )
    if metrics is not None:
        outsiders = ~metrics["account_id"].isin(nominee_accounts | metric_nominee_ids)
        metrics = metrics.assign(
            account_id=[
                pseudonym(a, key) if o else a
                for a, o in zip(metrics["account_id"], outsiders, strict=True)
            ],
            handle=metrics["handle"].astype(object).where(~outsiders, None),
        )

    frames: dict[str, pd.DataFrame] = {
        "nominees": nominees,
        "accounts": accounts,
        "posts": posts,
        "interactions": interactions,
    }
    if blogs is not None:
        frames["blog_posts"] = blogs.posts
        frames["blog_feeds"] = blogs.feeds
    if metrics is not None:
        frames["account_metrics"] = metrics
    tables = {name: validate(frame, name, source=str(run.raw)) for name, frame in frames.items()}
    summary = _summary(
        run, exports, frames, nominee_accounts, rejects, window, quarantine=quarantine
    )
    write_outputs(run.processed, tables, summary, rejects, quarantine=quarantine, raw_year=run.raw)
    logger.info(
        "ingest %d: wrote %s to %s (%d records rejected)",
        run.year,
        ", ".join(tables),
        run.processed,
        len(rejects),
    )
    return summary


def _summary(
    run: YearRun,
    exports: Exports,
    frames: dict[str, pd.DataFrame],
    nominee_accounts: set[str],
    rejects: Rejects,
    window: Window,
    *,
    quarantine: bool,
) -> dict[str, Any]:
    """What the ingest read, for ``ingest_summary.json`` and the report's data-quality section.

    ``frames`` are the tables as built (pseudonymised, before validation).
    """
    nominees, accounts, posts = frames["nominees"], frames["accounts"], frames["posts"]
    per_platform = exports.per_platform
    nominee_posts = posts[posts["account_id"].isin(nominee_accounts)]
    relative = [str(Path(f).relative_to(run.raw)) for f in exports.files_read]
    return {
        "year": run.year,
        "simulated": run.is_simulated,
        "raw_folder": str(run.raw),
        "window": window.record(),
        "files_read": sorted([*relative, NOMINATIONS_FILE]),
        "platforms": per_platform,
        "x_pages": per_platform.get("x", {}).get("records", 0),
        "x_api_errors": per_platform.get("x", {}).get("api_errors", 0),
        "api_errors": sum(p["api_errors"] for p in per_platform.values()),
        "handles_without_exports": exports.handles_without_exports,
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
        "interactions": int(len(frames["interactions"])),
        "blog_posts": int(len(frames["blog_posts"])) if "blog_posts" in frames else 0,
        "blog_feeds": int(len(frames["blog_feeds"])) if "blog_feeds" in frames else 0,
        "metric_rows": int(len(frames["account_metrics"])) if "account_metrics" in frames else 0,
        "first_post": nominee_posts["created_at"].min().isoformat() if len(nominee_posts) else None,
        "last_post": nominee_posts["created_at"].max().isoformat() if len(nominee_posts) else None,
        "quarantine": quarantine,
        "rejected_records": len(rejects),
        "rejected_by_file": rejects.counts_by_file(str(run.raw)),
        "data_quality": rejects.quality.records(relative_to=run.raw),
    }
