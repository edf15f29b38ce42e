"""Every number the reports show, and the plain words for families and features."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from src.report.format import (
    MISSING,
    card_value,
    compact,
    family_name,
    family_short,
    family_words,
    feature_words,
    fixed,
    is_number,
    mpl_text,
    number,
    ordinal,
    percent,
    signed,
    signed_ascii,
    span,
    times_median,
    whole,
    with_span,
)


def test_number_handles_missing_values() -> None:
    assert number(12345) == "12,345" and number(0.1234) == "0.12" and number(float("nan")) == "–"


def test_number_shows_whole_thousands_without_decimals_and_bools_as_words() -> None:
    assert number(4556.0) == "4,556" and number(999.0) == "999.00" and number(1234.5) == "1,234.50"
    assert number(None) == MISSING and number(pd.NA) == MISSING
    assert number(True) == "yes" and number(False) == "no"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, True), (0.5, True), (np.float64(2), True), (np.int64(3), True)]
    + [(True, False), (float("nan"), False), (None, False), ("1", False), (pd.NA, False)],
)
def test_is_number(value: object, expected: bool) -> None:
    assert is_number(value) is expected


def test_fixed_never_shows_minus_zero() -> None:
    assert fixed(0.26, 3) == "0.260" and fixed(-1.281) == "-1.28"
    assert fixed(-0.001) == "0.00" and fixed(-0.0004, 3) == "0.000"
    assert fixed(None) == MISSING and fixed(float("nan")) == MISSING


def test_signed_uses_a_true_minus_and_plus_minus_for_zero() -> None:
    assert signed(0.98) == "+0.98" and signed(-1.28) == "−1.28" and signed(-0.001) == "±0.00"
    assert signed(float("nan")) == MISSING


def test_signed_ascii_is_what_the_index_shows_for_gaps() -> None:
    assert signed_ascii(0.07) == "+0.07" and signed_ascii(-0.05) == "-0.05"
    assert signed_ascii(None) == MISSING


def test_percent_ordinal_whole_and_compact() -> None:
    assert percent(0.31) == "31%" and percent(0.125, 1) == "12.5%" and percent(None) == MISSING
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]
    assert whole(4555.6) == "4,556" and whole(float("nan")) == MISSING
    assert compact(12.0) == "12" and compact(12.46) == "12.5" and compact(1204) == "1,204"
    assert compact(float("nan")) == MISSING


def test_intervals_in_words() -> None:
    assert span(0.04, 0.46) == "0.04 to 0.46" and span(0.04, 0.46, digits=3) == "0.040 to 0.460"
    assert span(-0.35, 0.76, fmt=signed) == "−0.35 to +0.76"
    assert with_span(0.26, 0.04, 0.46, digits=3) == "0.260 (0.040 to 0.460)"
    assert with_span(2, 1.2, 30) == "2.00 (1.20 to 30.00)"
    assert with_span(0.5, None, 0.7) == "0.50 (– to 0.70)"


def test_evidence_card_figures() -> None:
    assert times_median(0.5, 1.0) == "×0.5 the median" and times_median(4, 1) == "×4.0 the median"
    assert times_median(1, 0) == "" and times_median(None, 1) == ""
    assert card_value("followers", 999.4) == "999" and card_value("followers", 4556.0) == "4,556"
    assert card_value("reply_share", 0.2) == "20%" and card_value("posts_per_day", 0.5) == "0.50"
    assert card_value("posts_per_day", float("nan")) == MISSING


def test_plain_words_for_families_and_features() -> None:
    assert family_words("engagement") == "engagement quality (what each post earns)"
    assert family_name("engagement") == "engagement quality"
    assert family_short("engagement") == "Engagement quality"
    assert family_words("new_family") == "new family" and family_short("new_family") == "New family"
    assert feature_words("applause_rate") == "likes received per post"
    assert feature_words("blog_posts_per_month") == "blog posts per month"


def test_matplotlib_text_never_starts_mathtext() -> None:
    assert mpl_text("Fin Costs $5 and $x^") == r"Fin Costs \$5 and \$x^"
