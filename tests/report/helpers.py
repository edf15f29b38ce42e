"""Builders shared by the report tests: model-card records, model outputs, whole years.

- :func:`comparison_record` writes the comparison's headline record as the model step
  puts it in ``card.json["comparison"]`` (see :func:`src.model.validation.comparison_summary`),
  from figures a test chooses; the verdict and its sentences come from the same functions
  the model step uses, so a report test checks what the report does with a real record.
- :func:`make_report` is a year of six nominees (:func:`features`; two selected, one with
  a hostile name) with every model output (:func:`full_outputs`, :func:`model_nominees`)
  and a small interaction graph (:func:`network_tables`); :func:`fallen_back` is the same
  year where the model step could not fit.
- :func:`fake_report` is a year of three nominees with a model card, evaluation and
  per-nominee scores (or a card that says why there are none).
- :func:`image_alt` reads the alt text of a section's first image.
- :func:`executed_notebook` writes a notebook as papermill leaves it, with a
  ``notebook-only`` cell and a warning on stderr.

Its length (a little over 400 lines) is the hand-written tables themselves: each test
states its case against these rows, so they are kept in one place, in full.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from src.features.dictionary import feature_dictionary
from src.model.names import BASELINE, FULL, ModelName
from src.model.validation import (
    numbers_sentence,
    verdict_headline,
    verdict_of,
    verdict_sentence,
)
from src.params import year_run
from src.report.load import YearReport
from src.report.outputs import ModelOutputs
from src.report.render import NOTEBOOK_ONLY_TAG

#: (mean, 2.5th percentile, 97.5th percentile) of a model's AUC over folds
Interval = tuple[float, float, float]


def comparison_record(
    volume: Interval,
    full: Interval,
    difference: Interval,
    *,
    better: float = 1.0,
    folds: int = 15,
    others: dict[str, Interval] | None = None,
    pooled_years: tuple[int, ...] = (2013, 2014),
) -> dict[str, Any]:
    """The headline record of a comparison with these AUCs and paired difference."""
    models = {str(BASELINE): volume, str(FULL): full, **(others or {})}
    record: dict[str, Any] = {
        "status": "ok",
        "baseline": str(BASELINE),
        "full": str(FULL),
        "nominee_years": 12,
        "selected": 4,
        "pooled_years": list(pooled_years),
        "method": "3 repeats of 5-fold cross-validation grouped by person and stratified by the "
        "panel's decision, on 12 nominee-years (4 selected).",
        "models": {
            name: {"mean": mean, "low": low, "high": high}
            for name, (mean, low, high) in models.items()
        },
        "folds": folds,
        "difference": {
            "mean": difference[0],
            "low": difference[1],
            "high": difference[2],
            "share_of_folds_better": better,
            "folds": folds,
        },
        "verdict": verdict_of(difference[1], difference[2]),
    }
    record["headline"] = verdict_headline(record["verdict"])
    record["sentence"] = verdict_sentence(record)
    record["numbers"] = numbers_sentence(record)
    return record


# --- a year of six nominees with every model output ---------------------------------------

#: An untrusted name, and how it must show on a page.
HOSTILE = '<script>alert("x")</script> & "friends"'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;friends&quot;"
IDS = ["a", "b", "c", "d", "e", "f"]
SELECTED = [True, True, False, False, False, False]


def features() -> pd.DataFrame:
    """Six nominees' features: a and b selected; a's name is hostile, f's has dollar signs."""
    return pd.DataFrame(
        {
            "nominee_id": IDS,
            "year": 2014,
            "name": [
                HOSTILE,
                "Bea Selected",
                "Cal Missed",
                "Dee Quiet",
                "Eve Busy",
                "Fin Costs $5 and $x^",
            ],
            "category": ["nurse", "doctor", "nurse", "doctor", "other", "nurse"],
            "selected": SELECTED,
            "rank": pd.array([1, 2, None, None, None, None], dtype="Int64"),
            "observation_days": 28,
            "posts_per_day": [0.5, 1.0, 2.0, 0.2, 9.0, 1.5],
            "amplification_rate": [4.0, 2.0, 3.0, 0.1, 0.1, 0.5],
            "conversation_rate": [2.0, 1.0, 1.0, 0.1, 0.0, 0.5],
            "applause_rate": [10.0, 5.0, 8.0, 0.5, 0.2, 1.0],
            "log10_followers": [3.0, 2.5, 2.0, 1.0, 4.0, np.nan],
        }
    )


def card(status: str = "ok", notes: list[str] | None = None) -> dict[str, Any]:
    """A model card: a comparison with a clear verdict, or (``status`` other than "ok") the
    card of a step that could not cross-validate."""
    validation = {
        "status": status,
        "message": "2 repeats of 3-fold cross-validation grouped by person, on 12 nominee-years "
        "(4 selected).",
    }
    comparison = comparison_record(
        volume=(0.59, 0.49, 0.69),
        full=(0.92, 0.90, 0.96),
        difference=(0.33, 0.21, 0.45),
        others={str(ModelName.REACH_ONLY): (0.8, 0.7, 0.9)},
    )
    if status != "ok":
        validation["message"] = (
            "2 selected and 4 not selected: too few to cross-validate (at least 5 of each are "
            "needed)."
        )
        comparison = {
            "status": status,
            "baseline": str(BASELINE),
            "full": str(FULL),
            "verdict": None,
            "sentence": validation["message"],
            "numbers": None,
        }
    return {
        "year": 2014,
        "comparison": comparison,
        "validation": validation,
        "notes": notes or [],
        "scores_from": "a model trained on 2013 and applied to 2014",
        "limits": ["The label is one panel's decision."],
    }


def full_outputs(**overrides: Any) -> ModelOutputs:
    """Every model output of the six-nominee year; ``overrides`` replace single tables."""
    tables: dict[str, Any] = dict(
        card=card(),
        evaluation=pd.DataFrame(
            {
                "model": [BASELINE, ModelName.REACH_ONLY, FULL, BASELINE],
                "metric": ["auc", "auc", "auc", "brier"],
                "mean": [0.59, 0.8, 0.92, 0.18],
                "low": [0.49, 0.7, 0.90, 0.17],
                "high": [0.69, 0.9, 0.96, 0.19],
            }
        ),
        coefficients=pd.DataFrame(
            {
                "feature": ["applause_rate", "posts_per_day", "blog_posts_per_month"],
                "family": ["engagement", "volume", "volume"],
                "coefficient": [0.98, 0.41, -1.28],
                "low": [0.34, -0.35, -1.71],
                "high": [1.58, 0.76, -0.71],
                "new_column": 1,
            }
        ),
        importance=pd.DataFrame(
            {
                "family": ["engagement", "volume", "network"],
                "mean": [0.26, 0.03, 0.0],
                "low": [0.04, -0.01, -0.01],
                "high": [0.46, 0.06, 0.01],
            }
        ),
        volume_effect=pd.DataFrame(
            {"posts_per_day": [0.2, 1.0, 9.7], "probability": [0.22, 0.25, 0.31]}
        ),
        review=pd.DataFrame(
            {
                "nominee_id": ["a", "c"],
                "name": [HOSTILE, "Cal Missed"],
                "category": ["nurse", "nurse"],
                "selected": [True, False],
                "score": [0.05, 0.8],
                "score_low": [0.01, 0.6],
                "score_high": [0.2, 0.95],
                "rank": [5, 1],
                "rank_low": [3, 1],
                "rank_high": [6, 2],
                "review": [
                    "selected, least backed by the evidence",
                    "not selected, most backed by the evidence",
                ],
            }
        ),
        categories=pd.DataFrame(
            {
                "category": ["nurse", "doctor", "other"],
                "nominees": [3, 2, 1],
                "selected": [1, 1, 0],
                "expected": [1.2, 0.5, 0.3],
                "ratio": [0.83, 2.0, 0.0],
                "ratio_low": [0.2, 1.2, 0.0],
                "ratio_high": [2.5, 30.0, 0.0],
            }
        ),
    )
    tables.update(overrides)
    return ModelOutputs(**tables)


def model_nominees() -> pd.DataFrame:
    """``model/nominees.parquet`` of the six-nominee year (one archetype name is hostile)."""
    return pd.DataFrame(
        {
            "nominee_id": IDS,
            "selected": SELECTED,
            "score": [0.05, 0.9, 0.8, 0.1, 0.02, 0.3],
            "score_low": [0.01, 0.8, 0.6, 0.0, 0.0, 0.1],
            "score_high": [0.2, 0.95, 0.95, 0.2, 0.1, 0.5],
            "rank": [5, 1, 2, 4, 6, 3],
            "rank_low": [3, 1, 1, 2, 5, 2],
            "rank_high": [6, 2, 3, 5, 6, 5],
            # family contributions to the log-odds of selection (the explanation's figures)
            "engagement": [-0.9, 1.2, 1.0, 0.0, 0.1, 0.0],
            "volume": [0.0, 0.0, 0.3, 0.0, -1.0, 0.1],
            "archetype": [
                "quiet expert",
                "influential voice",
                "influential voice",
                "quiet expert",
                "broadcaster or automated feed",
                HOSTILE,
            ],
            "explanation": [
                "held back by engagement (-0.9) (log-odds of selection).",
                "carried up by engagement (+1.2) (log-odds of selection).",
                "carried up by engagement (+1.0) (log-odds of selection).",
                "close to the average nominee on every family (log-odds of selection).",
                "held back by volume (-1.0) (log-odds of selection).",
                "close to the average nominee on every family (log-odds of selection).",
            ],
        }
    )


def network_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(interactions, accounts): nominees engaging with one another, nominee a with a second
    account, and eight pseudonymised accounts that engage with a and e."""
    accounts = pd.DataFrame(
        {
            "account_id": [f"x:{i}" for i in IDS]
            + ["mastodon:a2"]
            + [f"anon:{k:04d}" for k in range(8)],
            "is_nominee": [True] * 7 + [False] * 8,
            "nominee_id": IDS + ["a"] + [None] * 8,
        }
    )
    rows = [
        ("x:b", "x:a", "reply"),
        ("x:b", "mastodon:a2", "mention"),
        ("x:c", "x:a", "repost"),
        ("x:a", "x:b", "reply"),
        ("x:d", "x:e", "mention"),
        ("x:f", "x:c", "quote"),
        ("x:a", "mastodon:a2", "mention"),
    ]  # the last: a nominee's own accounts, dropped
    rows += [(f"anon:{k:04d}", "x:a", "reply") for k in range(8)] + [
        (f"anon:{k:04d}", "x:e", "repost") for k in range(4, 8)
    ]
    rows += [("anon:0000", "anon:0001", "reply"), ("anon:0004", "anon:0005", "reply")]
    interactions = pd.DataFrame(rows, columns=["source_account_id", "target_account_id", "kind"])
    interactions["post_id"] = [f"p{i}" for i in range(len(interactions))]
    return interactions, accounts


def make_report(
    tmp_path: Path,
    outputs: ModelOutputs | None = None,
    *,
    nominees: pd.DataFrame | None = None,
    network: bool = True,
) -> YearReport:
    """The six-nominee year with every model output (or those given) and its network."""
    interactions, accounts = network_tables() if network else (None, None)
    return YearReport(
        run=year_run(2014, tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"),
        features=features(),
        ingest={"simulated": True},
        dictionary=feature_dictionary(),
        model_nominees=model_nominees() if nominees is None else nominees,
        outputs=full_outputs() if outputs is None else outputs,
        interactions=interactions,
        accounts=accounts,
    )


def fallen_back(tmp_path: Path) -> YearReport:
    """A year where the model step could not fit: a card saying why, and nothing else."""
    outputs = ModelOutputs(
        card=card(
            "not enough picks",
            notes=[
                "2 selected and 4 not selected: too few. No model-based explanation is given this "
                "year."
            ],
        )
    )
    return make_report(tmp_path, outputs, nominees=pd.DataFrame(), network=False)


# --- a year of three nominees -----------------------------------------------------------------


def fake_report(tmp_path: Path, *, simulated: bool = True, status: str = "ok") -> YearReport:
    """A year of three nominees (one selected, one with a hostile name); ``status`` other
    than "ok" is a model step that could not fit."""
    features = pd.DataFrame(
        {
            "nominee_id": ["a", "b", "c"],
            "year": 2014,
            "name": [HOSTILE, "Plain Name", "Third"],
            "category": ["nurse", "doctor", "other"],
            "selected": [True, False, False],
            "rank": pd.array([1, None, None], dtype="Int64"),
            "observation_days": 28,
            "posts_per_day": [0.5, 4.0, 1.0],
            "own_posts_per_day": [0.5, 2.0, 1.0],
            "repost_share": [0.0, 0.5, 0.0],
            "reply_share": [0.2, 0.1, 0.0],
            "log10_followers": [3.0, 2.0, np.nan],
            "listed_per_1k_followers": [10.0, 5.0, np.nan],
            "amplification_rate": [4.0, 0.5, np.nan],
            "conversation_rate": [2.0, 0.1, np.nan],
            "applause_rate": [10.0, 1.0, np.nan],
            "engagement_per_1k_followers": [16.0, 16.0, np.nan],
        }
    )
    outputs = ModelOutputs(
        card={
            "validation": {"status": "ok", "message": "3 repeats of 3-fold cross-validation."},
            "comparison": comparison_record(
                volume=(0.5, 0.3, 0.7), full=(0.9, 0.8, 1.0), difference=(0.4, 0.2, 0.6)
            ),
        },
        evaluation=pd.DataFrame(
            {
                "model": [BASELINE, FULL],
                "metric": "auc",
                "mean": [0.5, 0.9],
                "low": [0.3, 0.8],
                "high": [0.7, 1.0],
            }
        ),
    )
    if status != "ok":
        message = "The panel selected 3 of 40 nominees; too few."
        outputs = ModelOutputs(
            card={
                "validation": {"status": status, "message": message},
                "comparison": {"status": status, "verdict": None, "sentence": message},
            }
        )
    ingest = {
        "simulated": simulated,
        "files_read": ["x/t.jsonl", "nominations.csv"],
        "nominees": 3,
        "selected": 1,
    }
    run = year_run(2014, tmp_path / "raw", tmp_path / "processed", tmp_path / "reports")
    model_nominees = None
    if status == "ok":
        model_nominees = pd.DataFrame(
            {
                "nominee_id": ["a", "b", "c"],
                "score": [0.9, 0.2, 0.1],
                "score_low": [0.8, 0.1, 0.0],
                "score_high": [0.95, 0.3, 0.2],
                "archetype": [
                    "quiet expert",
                    "broadcaster or automated feed",
                    "steady contributor",
                ],
                "explanation": [
                    "carried up by engagement (+1.2) (log-odds of selection).",
                    "held back by engagement (-0.9) (log-odds of selection).",
                    "close to the average nominee on every family (log-odds of selection).",
                ],
            }
        )
    return YearReport(
        run=run,
        features=features,
        ingest=ingest,
        dictionary=feature_dictionary(),
        model_nominees=model_nominees,
        outputs=outputs,
    )


def image_alt(html: str) -> str:
    """The alt text of the first image in ``html`` (fails the test when there is none)."""
    found = re.search(r'<img[^>]*alt="([^"]+)"', html)
    assert found is not None, "no image with alt text"
    return found.group(1)


def executed_notebook(path: Path) -> Path:
    """A notebook as papermill leaves it: a ``notebook-only`` cell, code with a warning on
    stderr and one HTML output."""
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# Researcher notes", metadata={"tags": [NOTEBOOK_ONLY_TAG]}),
            new_code_cell(
                "secret_code()",
                outputs=[
                    new_output("stream", name="stderr", text="a warning nobody should see"),
                    new_output(
                        "display_data", data={"text/html": "<section><h2>Shown</h2></section>"}
                    ),
                ],
            ),
        ]
    )
    nbformat.write(notebook, path)
    return path
