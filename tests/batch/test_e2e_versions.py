"""End to end, with the real notebooks: a one-line change in the features, then one year.

The scenario that used to mix code versions: 2023's features are made, a line of
``src/features/volume.py`` changes, and only 2024 is asked for, through its model. 2024's
model trains on 2023's features, so the run must remake them with the new code (its
ingest is skipped), say why, and give 2024 the model a full re-run gives.

The change is made in a copy of the project (``src/`` and ``notebooks/``): the batch
keys the copy's code (``project_root``) and the kernels import it (``PYTHONPATH``), so
the checkout is never edited.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from src import config
from src.batch.manifest import sha256_file
from src.batch.runner import run_batch
from src.batch.settings import RunSettings

pytestmark = pytest.mark.e2e

#: The one-line change: posts per day become posts per week.
BEFORE = '"posts_per_day": posts / days,'
AFTER = '"posts_per_day": posts / days * 7,'


@pytest.fixture()
def copy(small_sample_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunSettings:
    """A copy of the project whose code the kernels run, and the sample's 2023 and 2024."""
    root = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(config.PROJECT_ROOT / "src", root / "src", ignore=ignore)
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks", ignore=ignore)
    monkeypatch.setenv("PYTHONPATH", str(root))
    for year in (2023, 2024):
        shutil.copytree(small_sample_root / "raw" / str(year), tmp_path / "raw" / str(year))
    return RunSettings(
        years=(2023,),
        raw_dir=tmp_path / "raw",
        processed_dir=tmp_path / "processed",
        reports_dir=tmp_path / "reports",
        jobs=2,
        only_steps=("features",),
        notebooks_dir=root / "notebooks",
        project_root=root,
        render=False,
        pdf=False,
    )


def step_record(settings: RunSettings, year: int, step: str) -> dict:
    manifest = settings.processed_dir / str(year) / "notebooks" / "manifest.json"
    return {s["step"]: s for s in json.loads(manifest.read_text())["steps"]}[step]


def model_outputs(processed: Path, year: int) -> dict[str, object]:
    """The year's model outputs: text files as text, tables as frames."""
    out: dict[str, object] = {}
    for path in sorted((processed / str(year) / "model").iterdir()):
        if path.suffix == ".parquet":
            out[path.name] = pd.read_parquet(path)
        else:
            out[path.name] = path.read_text(encoding="utf-8")
    return out


def test_one_year_after_a_feature_change_gives_the_full_re_run_s_model(copy: RunSettings) -> None:
    results = run_batch(copy)
    assert all(r.ok for r in results), [r.error for r in results]
    features_2023 = copy.processed_dir / "2023" / "features.parquet"
    made_by_old_code = sha256_file(features_2023)

    volume = copy.project_root / "src" / "features" / "volume.py"
    assert volume.read_text().count(BEFORE) == 1
    volume.write_text(volume.read_text().replace(BEFORE, AFTER))
    results = run_batch(replace(copy, years=(2024,), only_steps=("model",)))
    assert all(r.ok for r in results), [r.error for r in results]
    statuses = {r.year: [(s.step, s.status) for s in r.steps] for r in results}
    assert statuses == {
        2023: [("01_ingest", "skipped"), ("02_features", "ok")],
        2024: [("01_ingest", "ok"), ("02_features", "ok"), ("03_model", "ok")],
    }
    remade = step_record(copy, 2023, "02_features")
    assert remade["reason"] == "re-run: src/features/volume.py changed"
    assert remade["needed_by"] == ["2024's 02_features", "2024's 03_model"]
    assert sha256_file(features_2023) != made_by_old_code, "the kernels ran the changed code"
    model = step_record(copy, 2024, "03_model")
    assert model["other_years_code"] == {"2023": remade["code_key"]}

    full = replace(
        copy, years=(2024,), only_steps=("model",), processed_dir=copy.processed_dir.parent / "full"
    )
    assert all(r.ok for r in run_batch(full))
    ours, reference = (
        model_outputs(copy.processed_dir, 2024),
        model_outputs(full.processed_dir, 2024),
    )
    assert ours.keys() == reference.keys()
    for name, value in ours.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, reference[name], obj=name)
        else:
            assert value == reference[name], f"2024's {name} differs from a full re-run's"
