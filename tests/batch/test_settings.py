"""One run's settings: jobs, folders and each step's parameters."""

from __future__ import annotations

import os
from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest

from src import pipeline
from src.batch.settings import RunSettings

SETTINGS = RunSettings(
    years=(2023, 2024, 2025),
    raw_dir=Path("/data/raw"),
    processed_dir=Path("/data/processed"),
    reports_dir=Path("/reports"),
    seed=7,
    quarantine=True,
)


def test_jobs_default_to_the_cores_and_never_exceed_the_years() -> None:
    assert replace(SETTINGS, jobs=2).resolved_jobs() == 2
    assert replace(SETTINGS, jobs=8).resolved_jobs() == 3
    assert SETTINGS.resolved_jobs() == max(1, min(os.cpu_count() or 1, 3))
    assert replace(SETTINGS, years=()).resolved_jobs() == 1


def test_the_settings_are_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        SETTINGS.__setattr__("seed", 1)


def test_only_the_step_that_reads_the_raw_folder_gets_quarantine() -> None:
    ingest, features, *_ = pipeline.STEPS
    assert SETTINGS.parameters(2024) == {
        "year": 2024,
        "raw_dir": "/data/raw",
        "processed_dir": "/data/processed",
        "reports_dir": "/reports",
        "seed": 7,
    }
    assert SETTINGS.step_parameters(ingest, 2024) == {
        **SETTINGS.parameters(2024),
        "quarantine": True,
    }
    assert SETTINGS.step_parameters(features, 2024) == SETTINGS.parameters(2024)
    assert SETTINGS.executed_dir(2024) == Path("/data/processed/2024/notebooks")
