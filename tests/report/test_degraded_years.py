"""Every section and chart says what it cannot show, in a sentence, instead of failing, on
years whose processed outputs are thin or degenerate: only account-level metric tables,
only blogs, nominees with no own posts, no engagement at all, no model fitted, every
record rejected in quarantine, no nominee at all.

Each shape is a synthetic processed year (the tables the report reads, as the earlier
steps would leave them); the whole page is built from every section, the year's record
and the index are written, and nothing may raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from src.features.dictionary import feature_dictionary
from src.model.names import BASELINE, FULL
from src.params import year_run
from src.report import sections
from src.report.figures import volume_vs_engagement
from src.report.index import write_index
from src.report.load import YearReport
from src.report.outputs import ModelOutputs
from src.report.page import page
from src.report.record import report_card
from tests.report.helpers import comparison_record

#: Every builder of a year's page, in page order.
BUILDERS = (
    "title_block",
    "summary_section",
    "review_section",
    "picture_section",
    "models_section",
    "families_section",
    "volume_section",
    "categories_section",
    "network_section",
    "nominees_section",
    "glossary_section",
    "appendix_section",
)
N = 12
IDS = [f"N{i:02d}" for i in range(N)]
SELECTED = [i < 4 for i in range(N)]


def base(**columns: object) -> pd.DataFrame:
    """Twelve nominees (four selected) with the given feature columns."""
    return pd.DataFrame(
        {
            "nominee_id": IDS,
            "year": 2014,
            "name": [f"Person {i}" for i in range(N)],
            "category": ["nurse", "doctor", "manager"] * (N // 3),
            "selected": SELECTED,
            "rank": pd.array([1, 2, 3, 4] + [None] * (N - 4), dtype="Int64"),
            "observation_days": 28,
            **columns,
        }
    )


def fitted_outputs() -> ModelOutputs:
    """A model card with a comparison, and per-nominee scores and archetypes."""
    record = comparison_record(
        volume=(0.55, 0.4, 0.7), full=(0.6, 0.45, 0.75), difference=(0.05, -0.1, 0.2), better=0.6
    )
    return ModelOutputs(
        card={"validation": {"status": "ok", "message": "3 folds."}, "comparison": record},
        evaluation=pd.DataFrame(
            {
                "model": [BASELINE, FULL],
                "metric": "auc",
                "mean": [0.55, 0.6],
                "low": [0.4, 0.45],
                "high": [0.7, 0.75],
            }
        ),
    )


def nominees_output() -> pd.DataFrame:
    """``model/nominees.parquet``: scores, ranks and archetypes (no family contributions)."""
    return pd.DataFrame(
        {
            "nominee_id": IDS,
            "selected": SELECTED,
            "score": np.linspace(0.9, 0.1, N),
            "rank": range(1, N + 1),
            "archetype": "typical nominee",
            "explanation": "close to the average nominee on every family (log-odds of selection).",
        }
    )


def no_model() -> ModelOutputs:
    """The card of a model step that could not fit (too few picks)."""
    message = "The panel selected 4 of 12 nominees: too few to cross-validate."
    return ModelOutputs(
        card={
            "validation": {"status": "not enough picks", "message": message},
            "comparison": {"status": "not enough picks", "verdict": None, "sentence": message},
            "notes": ["Not in this year's feature table, so not used: repost_h_index."],
        }
    )


def shapes() -> dict[str, tuple[pd.DataFrame, ModelOutputs, pd.DataFrame | None, dict]]:
    """name -> (features, model outputs, model nominees, ingest summary)."""
    zeros = np.zeros(N)
    posts = np.linspace(0.2, 5, N)
    return {
        # account-level metric tables only: volume and reach, no post-based feature
        "metrics only": (
            base(posts_per_day=posts, log10_followers=np.linspace(1, 4, N)),
            fitted_outputs(),
            nominees_output(),
            {"metric_rows": 48, "platforms": {}},
        ),
        # blogs only: blog cadence, no social posts
        "blogs only": (
            base(blog_posts_per_month=np.linspace(0, 8, N), posts_per_day=zeros),
            no_model(),
            None,
            {"blog_posts": 30, "platforms": {}},
        ),
        # a third of the nominees have no own posts (their engagement rates are missing)
        "no own posts": (
            base(
                posts_per_day=posts,
                own_posts_per_day=np.where(np.arange(N) % 3 == 0, 0, posts),
                amplification_rate=np.where(np.arange(N) % 3 == 0, np.nan, 1.0),
                conversation_rate=np.where(np.arange(N) % 3 == 0, np.nan, 0.5),
                applause_rate=np.where(np.arange(N) % 3 == 0, np.nan, 3.0),
            ),
            fitted_outputs(),
            nominees_output(),
            {"platforms": {"x": {"posts": 100}}},
        ),
        # posts, but not one engagement: every rate is 0 (a log axis has nothing to show)
        "no engagement": (
            base(
                posts_per_day=posts,
                own_posts_per_day=posts,
                amplification_rate=zeros,
                conversation_rate=zeros,
                applause_rate=zeros,
                engagement_per_1k_followers=zeros,
                log10_followers=np.linspace(1, 4, N),
            ),
            fitted_outputs(),
            nominees_output(),
            {"platforms": {"x": {"posts": 100}}},
        ),
        # too few picks: the model step wrote a card saying so, nothing else
        "no model": (
            base(posts_per_day=posts, applause_rate=posts),
            no_model(),
            None,
            {"platforms": {"x": {"posts": 100}}},
        ),
        # quarantine rejected every record: nominees but no activity and no model output
        "quarantine rejected everything": (
            base(posts_per_day=zeros),
            ModelOutputs(),
            None,
            {"quarantine": True, "rejected_records": 1234, "rejected_by_file": {"x/t.jsonl": 1234}},
        ),
        # no nominee at all
        "no nominees": (
            base(posts_per_day=zeros).iloc[0:0],
            ModelOutputs(),
            None,
            {},
        ),
    }


def year(tmp_path: Path, name: str) -> YearReport:
    features, outputs, nominees, ingest = shapes()[name]
    return YearReport(
        run=year_run(2014, tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"),
        features=features,
        ingest=ingest,
        dictionary=feature_dictionary(),
        model_nominees=nominees,
        outputs=outputs,
        interactions=pd.DataFrame(columns=["source_account_id", "target_account_id", "kind"]),
        accounts=pd.DataFrame(columns=["account_id", "is_nominee", "nominee_id"]),
    )


@pytest.mark.parametrize("shape", list(shapes()))
def test_every_section_degrades_to_words_on_a_thin_year(tmp_path: Path, shape: str) -> None:
    report = year(tmp_path, shape)
    built: dict[str, str] = {}
    for name in BUILDERS:
        builder: Callable[[YearReport], str] = getattr(sections, name)
        built[name] = builder(report)
        assert "Traceback" not in built[name] and "nan" not in re.sub(r"<[^>]+>", " ", built[name])
    body = "".join(built.values())
    assert page("t", body, "f").count("<section id=") == len(BUILDERS) - 1
    for anchor in ("headline", "picture", "nominees", "appendix"):
        assert f'<section id="{anchor}">' in body
    card = report_card(report)
    assert card["nominees"] == len(report.features)
    (tmp_path / "reports" / "2014").mkdir(parents=True)
    (tmp_path / "reports" / "2014" / "report.json").write_text(
        __import__("json").dumps({**card, "page": "index.html"}), encoding="utf-8"
    )
    assert "2014" in write_index(tmp_path / "reports").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "shape", ["metrics only", "blogs only", "no engagement", "quarantine rejected everything"]
)
def test_the_picture_says_in_words_why_it_cannot_be_drawn(tmp_path: Path, shape: str) -> None:
    html = sections.picture_section(year(tmp_path, shape))
    assert "No picture of volume against engagement can be drawn for 2014" in html
    assert "<img" not in html


def test_a_log_scaled_chart_with_no_positive_value_is_not_drawn() -> None:
    features = shapes()["no engagement"][0]
    assert volume_vs_engagement(features, 2014) is None
    assert volume_vs_engagement(features.drop(columns="posts_per_day"), 2014) is None


def test_nominees_with_no_own_posts_are_left_off_the_picture_and_counted(tmp_path: Path) -> None:
    html = sections.picture_section(year(tmp_path, "no own posts"))
    assert "<img" in html and "4 nominee(s) with no posts, or no engagement" in html


def test_a_year_without_a_model_says_so_on_its_first_page(tmp_path: Path) -> None:
    html = sections.summary_section(year(tmp_path, "no model"))
    assert "No model could be fitted for 2014" in html and "descriptive only" in html
    assert "No list this year" in html
    assert "repost h-index" in html and "repost_h_index" not in html, "notes in plain words"


def test_a_quarantined_year_counts_what_was_set_aside(tmp_path: Path) -> None:
    html = sections.summary_section(year(tmp_path, "quarantine rejected everything"))
    assert "1,234 records were set aside as unreadable" in html
    assert "12 with no posts in the window" in html
