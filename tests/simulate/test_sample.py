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

#: Each test here takes a second or more (model fits, whole samples): not in make test-fast.
pytestmark = pytest.mark.slow

LATENT = {"archetype", "activity", "quality", "conversation", "merit"}


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_and_size_give_identical_bytes(tmp_path: Path) -> None:
    first = write_sample(
        tmp_path / "a" / "raw", tmp_path / "a" / "truth", years=(2024,), size="small", seed=5
    )
    second = write_sample(
        tmp_path / "b" / "raw", tmp_path / "b" / "truth", years=(2024,), size="small", seed=5
    )
    assert first == second
    raw_a, raw_b = _digests(tmp_path / "a" / "raw"), _digests(tmp_path / "b" / "raw")
    assert {
        "2024/nominations.csv",
        "2024/x/timelines.jsonl",
        "2024/x/engagement.jsonl",
        "2024/x/users.jsonl",
        "2024/metrics/x_weekly.csv",
        f"2024/{config.SIMULATED_MARKER}",
    } <= set(raw_a)
    assert any(name.startswith("2024/bluesky/") for name in raw_a) and any(
        name.startswith("2024/blogs/") for name in raw_a
    )
    assert raw_a == raw_b
    assert _digests(tmp_path / "a" / "truth") == _digests(tmp_path / "b" / "truth")
    other = write_sample(
        tmp_path / "c" / "raw", tmp_path / "c" / "truth", years=(2024,), size="small", seed=6
    )
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
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == [
        "2024"
    ]  # 2023 not written either
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
        assert set(truth.columns) >= LATENT
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
                objects = list(page.get("data") or []) + [
                    o for v in (page.get("includes") or {}).values() for o in v
                ]
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
    assert set(people["archetype"]) <= {
        "typical",
        "broadcaster",
        "automated_feed",
        "quiet_expert",
        "conversationalist",
        "bridge",
    }
    assert people["x_user_id"].is_unique and people["x_handle"].is_unique


def test_unknown_size() -> None:
    with pytest.raises(ValueError, match="unknown sample size 'huge'"):
        SimulationSize.preset("huge")


# --- The standard world's shape (drawn without writing JSON: fast) -----------------------


@pytest.fixture(scope="module")
def standard_world():
    from src.simulate.events import simulate_year
    from src.simulate.world import make_audience, nominees_for_year, panel_decisions

    spec = SimulationSize.preset("standard")
    rng = np.random.default_rng(config.DEFAULT_SEED)
    people, audience = make_people(spec, rng), make_audience(spec, rng)
    years = {}
    for index, year in enumerate(config.SAMPLE_YEARS):
        year_rng = np.random.default_rng([config.DEFAULT_SEED, year])
        nominees = panel_decisions(
            nominees_for_year(people, spec, year, index, year_rng), spec, year_rng
        )
        years[year] = (
            nominees,
            simulate_year(nominees, audience, spec.window_days, year, year_rng),
        )
    return spec, people, audience, years


def test_standard_world_has_the_size_the_issue_asks_for(standard_world) -> None:
    spec, people, audience, years = standard_world
    assert len(years) >= 3 and all(len(n) >= 200 for n, _ in years.values())
    assert all(45 <= int(n["selected"].sum()) <= 55 for n, _ in years.values())
    engagers = set().union(*(set(a.events["engager"]) for _, a in years.values()))
    assert len(engagers) >= 10_000, len(engagers)
    ids = [set(n["nominee_id"]) for n, _ in years.values()]
    recurring = set.union(*(a & b for i, a in enumerate(ids) for b in ids[i + 1 :]))
    assert len(recurring) >= 50
    archetypes = set(people["archetype"])
    assert {
        "broadcaster",
        "automated_feed",
        "quiet_expert",
        "bridge",
        "conversationalist",
    } <= archetypes
    assert all(a.posts["chat"].any() for _, a in years.values()), "every year has tweet chats"


def test_heavy_tails_and_sublinear_engagement(standard_world) -> None:
    _, people, _, years = standard_world
    followers = people["followers"].to_numpy(float)
    # Log-normal with sd 1.3 on the log scale: the 99th percentile is about 20 times the median.
    assert np.quantile(followers, 0.99) > 10 * np.median(followers)
    nominees, activity = years[2024]
    own = activity.posts[activity.posts["kind"] == "original"]
    per_author = own.groupby("author")["likes"].mean()
    f = nominees["followers"].to_numpy(float)[per_author.index]
    q = nominees["quality"].to_numpy(float)[per_author.index]
    # log(mean likes) ~ a + b log(followers) + c quality: b is the elasticity, below 1.
    X = np.column_stack([np.ones(len(f)), np.log(f), q])
    coef, *_ = np.linalg.lstsq(X, np.log(per_author.to_numpy() + 0.5), rcond=None)
    assert 0.3 < coef[1] < 0.95, coef


def test_the_panel_follows_impact_not_volume(standard_world) -> None:
    _, _, _, years = standard_world
    for nominees, _ in years.values():
        assert abs(spearmanr(nominees["merit"], nominees["activity"]).statistic) < 0.2
        assert spearmanr(nominees["merit"], nominees["quality"]).statistic > 0.5
        selected = nominees["selected"]
        assert (
            nominees.loc[selected, "bridging"].mean() > nominees.loc[~selected, "bridging"].mean()
        )


def test_bridges_reach_outside_their_community(standard_world) -> None:
    _, _, audience, years = standard_world
    nominees, activity = years[2024]
    author = activity.posts["author"].to_numpy()[activity.events["post"].to_numpy()]
    outside = (
        audience["community"].to_numpy()[activity.events["engager"].to_numpy()]
        != nominees["community"].to_numpy()[author]
    )
    share = pd.Series(outside).groupby(author).mean()
    bridging = nominees["bridging"].to_numpy()[share.index]
    assert spearmanr(bridging, share.to_numpy()).statistic > 0.5


def test_the_size_knob_scales_posts_not_the_world(standard_world) -> None:
    from src.simulate.events import simulate_year

    spec, people, audience, years = standard_world
    nominees, base = years[2024]
    bigger = simulate_year(
        nominees.assign(activity=nominees["activity"] * 10),
        audience,
        spec.window_days,
        2024,
        np.random.default_rng(1),
        activity_scale=10,
    )
    ratio = len(bigger.posts) / len(base.posts)
    assert 8 < ratio < 12, ratio
    assert spec.scaled(10).people == spec.people and spec.scaled(10).activity_scale == 10
