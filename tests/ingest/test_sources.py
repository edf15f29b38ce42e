"""The ingest step over every source a year folder can hold: quarantine, metrics only, blogs."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from src.errors import InputError
from src.features import build_features
from src.ingest.pipeline import ingest_year, read_rejected, read_tables
from src.model.validation import evaluate
from src.params import YearRun, year_run

YEAR = 2024


@pytest.fixture()
def run(small_sample_root: Path, tmp_path: Path) -> YearRun:
    shutil.copytree(small_sample_root / "raw" / str(YEAR), tmp_path / "raw" / str(YEAR))
    return year_run(
        YEAR, raw_dir=tmp_path / "raw", processed_dir=tmp_path / "processed", require_raw=True
    )


@pytest.mark.slow
def test_every_source_of_the_sample_is_read(run: YearRun) -> None:
    summary = ingest_year(run, key=b"k" * 32)
    assert set(summary["platforms"]) == {"x", "bluesky", "mastodon"}
    assert summary["blog_posts"] > 0 and summary["metric_rows"] > 0
    tables = read_tables(run.processed)
    assert set(tables["posts"]["platform"]) == {"x", "bluesky", "mastodon"}
    assert tables["blog_posts"]["account_id"].isin(tables["accounts"]["account_id"]).all()
    # Metric rows of nominees keep their handle; nobody else's survives.
    metrics = tables["account_metrics"]
    nominee_handles = {h.lstrip("@").lower() for h in tables["nominees"]["x_handle"].dropna()}
    assert set(metrics["handle"].dropna()) <= nominee_handles


@pytest.mark.slow
def test_quarantine_skips_bad_records_lists_them_and_strict_stops_on_the_first(
    run: YearRun,
) -> None:
    with open(run.raw / "x" / "timelines.jsonl", "a", encoding="utf-8") as handle:
        handle.write("{this is not json\n")
    with open(run.raw / "x" / "timelines.jsonl", encoding="utf-8") as timelines:
        bad_line = sum(1 for _ in timelines)
    nominations = (run.raw / "nominations.csv").read_text(encoding="utf-8").splitlines()
    fields = nominations[1].split(",")
    fields[3] = "astronaut"  # not a category
    dropped = fields[1]
    nominations[1] = ",".join(fields)
    (run.raw / "nominations.csv").write_text("\n".join(nominations) + "\n", encoding="utf-8")

    with pytest.raises(
        InputError, match=r"nominations.csv, line 2, field 'category': unknown category 'astronaut'"
    ):
        ingest_year(run, key=b"k" * 32)
    assert not run.processed.exists(), "a strict failure writes nothing"

    summary = ingest_year(run, key=b"k" * 32, quarantine=True)
    rejected = read_rejected(run.processed)
    assert summary["rejected_records"] == len(rejected) >= 2
    assert summary["rejected_by_file"]["nominations.csv"] == 1
    assert summary["rejected_by_file"]["x/timelines.jsonl"] == 1
    assert {
        "file": "x/timelines.jsonl",
        "record": f"line {bad_line}",
        "field": "",
    }.items() <= rejected[rejected["file"] == "x/timelines.jsonl"].iloc[0].to_dict().items()
    assert rejected["reason"].str.len().gt(0).all()
    tables = read_tables(run.processed)
    assert dropped not in set(tables["nominees"]["nominee_id"])
    # The dropped nominee's handle is no longer a nominee's: their accounts are pseudonymised.
    assert dropped not in set(tables["accounts"]["nominee_id"].dropna())


def test_a_year_with_only_metric_tables_runs_through_features_and_model(run: YearRun) -> None:
    for folder in ("x", "bluesky", "mastodon", "blogs"):
        shutil.rmtree(run.raw / folder, ignore_errors=True)
    summary = ingest_year(run, key=b"k" * 32)
    assert summary["platforms"] == {} and summary["posts"] == 0
    assert summary["metric_rows"] > 0
    assert set(summary["handles_without_exports"]) >= {"bluesky"}
    tables = read_tables(run.processed)
    nominee_accounts = tables["accounts"][tables["accounts"]["is_nominee"]]
    assert nominee_accounts["nominee_id"].nunique() == len(tables["nominees"])
    assert nominee_accounts["followers"].notna().all()
    features = build_features(tables)
    assert len(features) == len(tables["nominees"]) and features["log10_followers"].notna().all()
    assert evaluate(features, n_repeats=1, seed=1).status == "ok"


@pytest.mark.slow
def test_a_metrics_row_for_someone_not_nominated_is_pseudonymised(run: YearRun) -> None:
    path = run.raw / "metrics" / "x_weekly.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    stranger = lines[1].split(",")
    stranger[1] = "@not_a_nominee_at_all"
    path.write_text("\n".join([*lines, ",".join(stranger)]) + "\n", encoding="utf-8")
    ingest_year(run, key=b"k" * 32)
    metrics = read_tables(run.processed)["account_metrics"]
    assert not metrics["account_id"].str.contains("not_a_nominee").any()
    assert metrics["account_id"].str.startswith("anon:").sum() == 1
    assert metrics.loc[metrics["account_id"].str.startswith("anon:"), "handle"].isna().all()


def test_a_blog_feed_named_after_no_nominee_is_an_error(run: YearRun) -> None:
    some_feed = next((run.raw / "blogs").glob("*.xml"))
    shutil.copy(some_feed, run.raw / "blogs" / "N9999.xml")
    with pytest.raises(
        InputError,
        match=r"N9999.xml, field 'file name': blog feed files are named after the nominee "
        r"\(blogs/<nominee_id>.xml or blogs/<nominee_id>/\*.xml\); 'N9999' is not a nominee",
    ):
        ingest_year(run, key=b"k" * 32)


def test_a_year_folder_with_no_exports_at_all_is_an_error(run: YearRun) -> None:
    for folder in ("x", "bluesky", "mastodon", "blogs", "metrics"):
        shutil.rmtree(run.raw / folder, ignore_errors=True)
    with pytest.raises(InputError, match="holds no exports"):
        ingest_year(run, key=b"k" * 32)


@pytest.mark.slow
def test_rerunning_quarantine_then_strict_removes_the_stale_rejected_file(run: YearRun) -> None:
    ingest_year(run, key=b"k" * 32, quarantine=True)
    assert (run.processed / "rejected.csv").exists() and read_rejected(run.processed).empty
    ingest_year(run, key=b"k" * 32)
    assert not (run.processed / "rejected.csv").exists()
    assert (
        json.loads((run.processed / "ingest_summary.json").read_text(encoding="utf-8"))[
            "quarantine"
        ]
        is False
    )


@pytest.mark.slow
def test_a_folder_of_saved_copies_per_nominee(run: YearRun) -> None:
    # One nominee's feed saved twice, in blogs/<nominee_id>/: the copies are one feed, the
    # later copy's comment counts win, and both files are read.
    ingest_year(run, key=b"k" * 32)
    before = read_tables(run.processed)["blog_posts"]
    feed = next((run.raw / "blogs").glob("*.xml"))
    folder = run.raw / "blogs" / feed.stem
    folder.mkdir()
    first = folder / "saved-2025-01-02.xml"
    feed.rename(first)
    text = first.read_text(encoding="utf-8")
    counts = re.findall(
        r"<slash:comments>(\d+)</slash:comments>|<thr:total>(\d+)</thr:total>", text
    )
    assert counts, "the sample's feeds carry comment counts"
    grown = re.sub(
        r"(<slash:comments>|<thr:total>)(\d+)(<)",
        lambda m: f"{m.group(1)}{int(m.group(2)) + 1}{m.group(3)}",
        text,
    )
    second = folder / "saved-2024-12-01.xml"  # a name that sorts first; saved later
    second.write_text(grown, encoding="utf-8")
    for path, when in ((first, 1_733_011_200), (second, 1_735_776_000)):
        os.utime(path, (when, when))
    summary = ingest_year(run, key=b"k" * 32)
    tables = read_tables(run.processed)
    after = tables["blog_posts"]
    assert len(after) == len(before)
    changed = after.merge(before, on="post_id", suffixes=("", "_before"))
    grown_rows = changed[changed["comments"] != changed["comments_before"]]
    assert len(grown_rows) == len(counts)
    assert (grown_rows["comments"] == grown_rows["comments_before"] + 1).all()
    feeds = tables["blog_feeds"].set_index("account_id")
    assert feeds["copies"].max() == 2 and (feeds["copies"] >= 1).all()
    assert {f"blogs/{feed.stem}/{first.name}", f"blogs/{feed.stem}/{second.name}"} <= set(
        summary["files_read"]
    )


@pytest.mark.slow
def test_files_in_blogs_that_are_not_feeds_are_named(run: YearRun) -> None:
    (run.raw / "blogs" / "notes.txt").write_text("where the feeds came from\n", encoding="utf-8")
    summary = ingest_year(run, key=b"k" * 32)
    (note,) = [n for n in summary["data_quality"] if n["kind"] == "files_not_read"]
    assert note["files"] == ["blogs/notes.txt"] and note["severity"] == "warning"


@pytest.mark.slow
def test_metric_rows_are_keyed_by_the_account_the_posts_give(run: YearRun) -> None:
    # The metric table knows an X account by its handle; the year's X posts give that
    # account's native id, so its followers over time line up with its nominee.
    ingest_year(run, key=b"k" * 32)
    tables = read_tables(run.processed)
    accounts = tables["accounts"]
    x_nominees = accounts[accounts["is_nominee"] & (accounts["platform"] == "x")]
    assert set(tables["account_metrics"]["account_id"]) == set(x_nominees["account_id"])
    assert build_features(tables)["follower_growth"].notna().all()


def test_a_year_with_only_blogs_runs_through_features(run: YearRun) -> None:
    for folder in ("x", "bluesky", "mastodon", "metrics"):
        shutil.rmtree(run.raw / folder, ignore_errors=True)
    summary = ingest_year(run, key=b"k" * 32)
    assert summary["posts"] == 0 and summary["blog_posts"] > 0
    # One feed per nominee who blogs; the others have no account this year.
    without = len(summary["nominees_without_accounts"])
    assert summary["blog_feeds"] == summary["nominees"] - without
    tables = read_tables(run.processed)
    assert set(tables) == {
        "nominees",
        "accounts",
        "posts",
        "interactions",
        "blog_posts",
        "blog_feeds",
    }
    features = build_features(tables).set_index("nominee_id")
    bloggers = set(tables["accounts"]["nominee_id"].dropna())
    assert (features.loc[sorted(bloggers), "blog_posts_per_month"] > 0).all()
    assert features.loc[sorted(bloggers), "blog_comments_per_post"].notna().all()
    assert (features["activity_source"] == "none").all()
    assert (features.loc[sorted(bloggers), "platforms_used"] == 1).all()
