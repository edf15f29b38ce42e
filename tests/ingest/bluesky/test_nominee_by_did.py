"""A nominee given by DID in nominations.csv, through the whole ingest, on the real
Bluesky recordings (``../shared/fixtures/bluesky-xrpc``): the DID is accepted in
``bluesky_handle`` and matches the account whatever handle the export shows."""

from __future__ import annotations

import shutil
from pathlib import Path

from src.ingest.nominations import read_nominations
from src.ingest.pipeline import ingest_year, read_tables
from src.params import year_run

KENNY = "did:plc:wpe35pganb6d4pg4ekmfy6u5"


def test_ingest_matches_a_nominee_by_did(bluesky_recordings: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "2025"
    (raw / "bluesky").mkdir(parents=True)
    for name in ("bskyr_vcr_autfeed_1.json", "bskyr_vcr_profiles_1.json"):
        shutil.copyfile(bluesky_recordings / name, raw / "bluesky" / name)
    (raw / "nominations.csv").write_text(
        f"year,name,category,selected,bluesky_handle\n2025,Chris Kenny,doctor,yes, @{KENNY} \n",
        encoding="utf-8",
    )
    nominees = read_nominations(raw / "nominations.csv", 2025)
    assert nominees["bluesky_handle"].tolist() == [KENNY]  # accepted, as a handle would be
    run = year_run(2025, raw_dir=tmp_path / "raw", processed_dir=tmp_path / "processed")
    summary = ingest_year(run, key=b"d" * 32)
    accounts = read_tables(run.processed)["accounts"].set_index("account_id")
    assert accounts.loc[f"bluesky:{KENNY}", "nominee_id"] == "chris-kenny"
    assert accounts.loc[f"bluesky:{KENNY}", "handle"] == "chriskenny.bsky.social"
    assert summary["nominees_without_accounts"] == [] and summary["nominee_posts"] > 0
    assert not accounts["hide_from_logged_out"].any()
