"""The bundled simulated sample (src.simulate)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from src import config
from src.ingest.nominations import read_nominations
from src.simulate.sample import is_simulated, sample_present, write_sample
from src.simulate.world import SimulationSize, make_people

LATENT = {"archetype", "activity", "quality", "conversation", "merit"}


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_and_size_give_identical_bytes(tmp_path: Path) -> None:
    first = write_sample(tmp_path / "a" / "raw", tmp_path / "a" / "truth", years=(2024,), size="small", seed=5)
    second = write_sample(tmp_path / "b" / "raw", tmp_path / "b" / "truth", years=(2024,), size="small", seed=5)
    assert first == second
    raw_a, raw_b = _digests(tmp_path / "a" / "raw"), _digests(tmp_path / "b" / "raw")
    assert {"2024/nominations.csv", "2024/x/timelines.jsonl", "2024/x/engagement.jsonl", "2024/x/users.jsonl", "2024/metrics/x_weekly.csv", f"2024/{config.SIMULATED_MARKER}"} <= set(raw_a)
    assert any(name.startswith("2024/bluesky/") for name in raw_a) and any(name.startswith("2024/blogs/") for name in raw_a)
    assert raw_a == raw_b
    assert _digests(tmp_path / "a" / "truth") == _digests(tmp_path / "b" / "truth")
    other = write_sample(tmp_path / "c" / "raw", tmp_path / "c" / "truth", years=(2024,), size="small", seed=6)
    assert _digests(tmp_path / "c" / "raw") != raw_a, other  # the seed matters


def test_rewriting_simulated_year_is_allowed_and_identical(tmp_path: Path) -> None:
    raw, truth = tmp_path / "raw", tmp_path / "truth"
    write_sample(raw, truth, years=(2024,), size="small", seed=5)
    before = _digests(raw)
    write_sample(raw, truth, years=(2024,), size="small", seed=5)
    assert _digests(raw) == before
    assert not list(raw.glob(".*partial"))  # no staging folder left behind


def test_marker_present(small_sample_root: Path) -> None:
    raw = small_sample_root / "raw"
    assert sample_present(raw)
    for year in config.SAMPLE_YEARS:
        marker = raw / str(year) / config.SIMULATED_MARKER
        text = marker.read_text(encoding="utf-8")
        assert text.startswith("# Simulated data")
        assert "size `small`" in text and str(config.DEFAULT_SEED) in text
        assert is_simulated(raw / str(year))


def test_refuses_to_overwrite_real_data(tmp_path: Path) -> None:
    real = tmp_path / "raw" / "2024"
    real.mkdir(parents=True)
    (real / "nominations.csv").write_text("precious", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not the simulated sample"):
        write_sample(tmp_path / "raw", tmp_path / "truth", years=(2023, 2024), size="small")
    assert (real / "nominations.csv").read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == ["2024"]  # 2023 not written either
    assert not (tmp_path / "truth").exists()
    assert not is_simulated(real) and not sample_present(tmp_path / "raw")


def test_selected_count_matches_preset(small_sample_root: Path) -> None:
    spec = SimulationSize.preset("small")
    for year in config.SAMPLE_YEARS:
        nominees = read_nominations(small_sample_root / "raw" / str(year) / "nominations.csv", year)
        assert len(nominees) == spec.nominees_per_year
        assert int(nominees["selected"].sum()) == spec.selected_per_year
        ranked = nominees.dropna(subset=["rank"])
        assert sorted(ranked["rank"].astype(int)) == list(range(1, 11))
        assert ranked["selected"].all()


def test_latent_truth_apart_from_raw(small_sample_root: Path) -> None:
    for year in config.SAMPLE_YEARS:
        latent = small_sample_root / "sample_truth" / str(year) / "latent.csv"
        truth = pd.read_csv(latent)
        assert LATENT <= set(truth.columns)
        raw_year = small_sample_root / "raw" / str(year)
        nominations = pd.read_csv(raw_year / "nominations.csv")
        assert sorted(truth["nominee_id"]) == sorted(nominations["nominee_id"])
        assert truth.set_index("nominee_id")["selected"].equals(
            nominations.set_index("nominee_id")["selected"].eq("yes").reindex(truth["nominee_id"])
        )
        assert not (set(nominations.columns) & LATENT)
        names = {p.name for p in raw_year.rglob("*")}
        assert not any("latent" in name or "truth" in name for name in names)
        # No latent trait travels inside the X objects either.
        for path in (raw_year / "x").glob("*.jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                page = json.loads(line)
                objects = list(page.get("data") or []) + [o for v in (page.get("includes") or {}).values() for o in v]
                assert all(not (set(o) & LATENT) for o in objects)
    assert not list((small_sample_root / "raw").rglob("latent*"))


def test_activity_nearly_uncorrelated_with_quality() -> None:
    spec = SimulationSize.preset("standard")
    people = make_people(spec, np.random.default_rng(config.DEFAULT_SEED))
    assert len(people) == spec.people
    rho = spearmanr(people["activity"], people["quality"]).statistic
    assert abs(rho) < 0.3, rho
    # Among people who are not automated feeds the draws are independent.
    humans = people[people["archetype"] != "automated_feed"]
    assert abs(spearmanr(humans["activity"], humans["quality"]).statistic) < 0.2
    assert set(people["archetype"]) <= {"typical", "broadcaster", "automated_feed", "quiet_expert", "conversationalist", "bridge"}
    assert people["x_user_id"].is_unique and people["x_handle"].is_unique


def test_unknown_size() -> None:
    with pytest.raises(ValueError, match="unknown sample size 'huge'"):
        SimulationSize.preset("huge")
