"""Scores and ranks with intervals (src.model.scoring) on small synthetic tables."""

from __future__ import annotations

import pytest

from src.model.review import disagreements
from src.model.scoring import score_from_earlier_years, score_within_year
from tests.model.helpers import talent_table


def test_scores_within_a_year_come_with_intervals_from_repeats() -> None:
    table = talent_table(years=1)
    scores = score_within_year(table, seed=0, n_repeats=6)
    assert (
        list(scores["nominee_id"]) == list(table["nominee_id"])
        and scores["score"].between(0, 1).all()
    )
    assert (
        (scores["score_low"] <= scores["score"] + 1e-9)
        & (scores["score"] <= scores["score_high"] + 1e-9)
    ).all()
    assert (scores["rank_low"] <= scores["rank_high"]).all() and sorted(scores["rank"])[0] == 1
    merged = table.merge(scores, on="nominee_id")
    assert (
        merged.loc[merged["selected"], "score"].mean()
        > merged.loc[~merged["selected"], "score"].mean() + 0.1
    )
    with pytest.raises(ValueError, match="too few"):
        score_within_year(table.assign(selected=False))


def test_scores_from_earlier_years_rank_the_talented_first_with_intervals() -> None:
    table = talent_table(years=3)
    history, current = table[table["year"] < 2025], table[table["year"] == 2025]
    scores = score_from_earlier_years(history, current, seed=0, n_boot=30)
    assert len(scores) == len(current)
    assert (
        (scores["score_low"] <= scores["score"] + 1e-9)
        & (scores["score"] <= scores["score_high"] + 1e-9)
    ).mean() > 0.9
    assert (scores["rank_low"] <= scores["rank_high"]).all() and scores["rank"].min() == 1
    merged = current.merge(scores, on="nominee_id")
    # (The strong L2 penalty, C = 0.1, pulls probabilities towards the base rate.)
    assert (
        merged.loc[merged["selected"], "score"].mean()
        > merged.loc[~merged["selected"], "score"].mean() + 0.2
    )
    review = disagreements(current, scores, n=3)
    assert list(review["review"].value_counts()) == [3, 3]
    with pytest.raises(ValueError, match="too few selected"):
        score_from_earlier_years(history.assign(selected=False), current)
