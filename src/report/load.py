"""Everything one year's report reads from ``data/processed/<year>/``, loaded once.

:func:`load_year_report` reads the year's feature table, ingest summary, feature
dictionary and every output of the model step into a :class:`YearReport`; the sections
(:mod:`src.report.sections`) build HTML from it and read nothing else, except the
network section's two large tables, which :func:`network_tables` reads when that
section is built (unless the report already holds them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from src.features.build import read_features
from src.io import read_json
from src.params import YearRun
from src.report.network import read_network_inputs
from src.report.outputs import ModelOutputs, read_model_nominees, read_model_outputs


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
    )


def network_tables(report: YearReport) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The id columns of the year's ``interactions`` and ``accounts``: the report's own when
    it holds them, else read from the processed folder (None where a table is absent)."""
    interactions, accounts = report.interactions, report.accounts
    if interactions is None or accounts is None:
        read_interactions, read_accounts = read_network_inputs(report.run.processed)
        interactions = read_interactions if interactions is None else interactions
        accounts = read_accounts if accounts is None else accounts
    return interactions, accounts
