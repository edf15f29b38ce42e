"""Everything one year's report reads from ``data/processed/<year>/``, loaded once.

:func:`load_year_report` reads the year's feature table, ingest summary, feature
dictionary and every output of the model step into a :class:`YearReport`; the sections
(:mod:`src.report.sections`) build HTML from it and read nothing else, except the
network section's two large tables, which :func:`network_tables` reads when that
section is built (unless the report already holds them). It also reads the nominees'
handles (:mod:`src.report.people`) and, for those who recur, the year before's features
and scores (:func:`previous_year_inputs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from src.features import read_features
from src.io import read_json
from src.params import YearRun
from src.pipeline import other_year_inputs
from src.report.network import read_network_inputs
from src.report.outputs import ModelOutputs, read_model_nominees, read_model_outputs
from src.report.people import People, people, read_nominee_handles


@dataclass(frozen=True)
class YearReport:
    """Everything one year's report reads from ``data/processed/<year>/``."""

    run: YearRun
    features: pd.DataFrame
    ingest: dict[str, Any]
    dictionary: pd.DataFrame
    #: per-nominee output of the model step (score with interval, explanation, archetype);
    #: None when no model could be fitted for the year
    model_nominees: pd.DataFrame | None = None
    #: the rest of the model step's outputs (model card with the comparison's headline
    #: record, evaluation, importance, ...)
    outputs: ModelOutputs = field(default_factory=ModelOutputs)
    #: id columns of ``interactions`` and ``accounts`` for the network section; None:
    #: read from the processed folder when the section is built
    interactions: pd.DataFrame | None = None
    accounts: pd.DataFrame | None = None
    #: the nominees' accounts (nominee_id, platform, handle, hidden), for handles and links;
    #: None: none known
    handles: pd.DataFrame | None = None
    #: the previous year's nominees (nominee_id, year, nominees, selected, rank, score,
    #: posts_per_day, engagement_per_own_post), for the movement of those who recur; None:
    #: no previous year was processed
    previous: pd.DataFrame | None = None

    @cached_property
    def people(self) -> People:
        """How the pages name, link and anchor this year's nominees."""
        return people(self.features, self.handles, simulated=bool(self.ingest.get("simulated")))


def load_year_report(run: YearRun) -> YearReport:
    """Read a year's processed outputs for its report.

    The feature table, ingest summary and feature dictionary are required (a year that
    was not processed names the missing file); every model output is optional, and the
    sections say in words what is missing. Every model figure comes from the model step's
    outputs (:func:`src.report.outputs.read_model_outputs`); files an older version of the
    step wrote beside them are not read.
    """
    folder = run.processed
    features = read_features(folder)
    model_dir = folder / "model"
    return YearReport(
        run=run,
        features=features,
        ingest=read_json(folder / "ingest_summary.json"),
        dictionary=pd.read_csv(folder / "feature_dictionary.csv"),
        model_nominees=read_model_nominees(model_dir),
        outputs=read_model_outputs(model_dir),
        handles=read_nominee_handles(folder),
        previous=read_previous_year(folder.parent, run.year),
    )


def previous_year_inputs(processed_dir: Path, year: int) -> list[Path]:
    """The files of the year before that the report reads (as the step table declares
    them: its features and the model step's per-nominee output), those that exist."""
    files = other_year_inputs("report", Path(processed_dir), year)
    return [path for path in files if path.is_file()]


def read_previous_year(processed_dir: Path, year: int) -> pd.DataFrame | None:
    """The year before's nominees with their decision, model rank and score and headline
    figures (None when that year has no features)."""
    folder = Path(processed_dir) / str(year - 1)
    if not (folder / "features.parquet").is_file():
        return None
    try:
        features = read_features(folder)
    except (OSError, ValueError, KeyError):
        return None
    from src.report.figures import engagement_per_own_post

    frame = pd.DataFrame(
        {
            "nominee_id": features["nominee_id"].astype(str),
            "year": year - 1,
            "nominees": len(features),
            "selected": features["selected"].fillna(False).astype(bool),
            "posts_per_day": features.get("posts_per_day"),
            "engagement_per_own_post": engagement_per_own_post(features)
            if {"amplification_rate", "conversation_rate", "applause_rate"} <= set(features)
            else None,
        }
    )
    scores = read_model_nominees(folder / "model")
    if scores is not None and {"nominee_id", "rank", "score"} <= set(scores.columns):
        frame = frame.merge(
            scores[["nominee_id", "rank", "score"]].astype({"nominee_id": str}),
            on="nominee_id",
            how="left",
        )
    return frame


def network_tables(report: YearReport) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The id columns of the year's ``interactions`` and ``accounts``: the report's own when
    it holds them, else read from the processed folder (None where a table is absent)."""
    interactions, accounts = report.interactions, report.accounts
    if interactions is None or accounts is None:
        read_interactions, read_accounts = read_network_inputs(report.run.processed)
        interactions = read_interactions if interactions is None else interactions
        accounts = read_accounts if accounts is None else accounts
    return interactions, accounts
