"""Every number the reports show, formatted in one place, and the plain words for names.

Numbers (each returns text; a missing value, None, NaN or ``pd.NA``, shows as
:data:`MISSING`, an en dash):

- :func:`number`: thousands separators and two decimals ("1,234", "0.42"), for figures
  in running text and table cells;
- :func:`fixed`: a fixed number of decimals, never "-0.00" ("0.260");
- :func:`signed`: always signed, with a true minus and "±" for zero ("+0.98", "−1.28"),
  for coefficients and other changes in log-odds;
- :func:`signed_ascii`: signed with ASCII "+"/"-", for the AUC gap on the index page;
- :func:`percent`, :func:`ordinal`, :func:`whole`, :func:`compact`;
- :func:`auc` and :func:`times_in_100`: a ROC AUC as every page prints it ("0.93") and
  in words ("93" times in 100);
- :func:`span` and :func:`with_span`: an interval ("0.04 to 0.46", "0.26 (0.04 to 0.46)");
- :func:`times_median` and :func:`card_value`: the figures of an evidence card.

Words: :data:`FAMILY_WORDS` and :data:`FEATURE_WORDS` name feature families and features
in plain words (:func:`family_words`, :func:`family_name`, :func:`family_short`,
:func:`feature_words`), :func:`plain_text` replaces identifiers in free text by them, and
:func:`mpl_text` makes data text safe for a matplotlib label.

Text returned here is not HTML-escaped: the HTML builders (:mod:`src.report.html`) escape
it when it goes into a page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, TypeGuard

import numpy as np
import pandas as pd

#: How a missing number shows: an en dash.
MISSING = "–"

#: A formatter of one number with ``digits`` decimals (:func:`fixed`, :func:`signed`).
Formatter = Callable[[Any, int], str]


def is_number(value: Any) -> TypeGuard[int | float | np.number]:
    """True for a real, non-missing number (a bool is not a number here)."""
    return (
        isinstance(value, (int, float, np.number))
        and not isinstance(value, bool)
        and not math.isnan(float(value))
    )


def number(value: Any, digits: int = 2) -> str:
    """A number for people: thousands separators, ``digits`` decimals, whole numbers of
    1,000 or more without decimals; "yes"/"no" for a bool; an en dash when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or (
        isinstance(value, float) and float(value).is_integer() and abs(value) >= 1000
    ):
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def fixed(value: Any, digits: int = 2) -> str:
    """A number with ``digits`` decimals (an en dash when missing); never "-0.00"."""
    if not is_number(value):
        return MISSING
    text = f"{float(value):.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def signed(value: Any, digits: int = 2) -> str:
    """A signed number with a true minus ("−1.28", "+0.41"), "±" when it rounds to zero."""
    if not is_number(value):
        return MISSING
    text = f"{float(value):+.{digits}f}"
    return ("±" + text[1:] if float(text) == 0 else text).replace("-", "−")


def signed_ascii(value: Any, digits: int = 2) -> str:
    """A signed number with ASCII signs ("+0.07", "-0.05"), as the index page shows gaps."""
    if not is_number(value):
        return MISSING
    return f"{float(value):+.{digits}f}"


def percent(value: Any, digits: int = 0) -> str:
    """A share as a percentage ("31%"); an en dash when missing."""
    return f"{float(value):.{digits}%}" if is_number(value) else MISSING


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def whole(value: Any) -> str:
    """A count, or a figure rounded to a whole number, with thousands separators ("4,556")."""
    return f"{round(float(value)):,}" if is_number(value) else MISSING


def compact(value: Any) -> str:
    """One decimal, dropped when it is zero ("12", "12.5", "1,204")."""
    return f"{float(value):,.1f}".removesuffix(".0") if is_number(value) else MISSING


def auc(value: Any) -> str:
    """A ROC AUC, or a difference of two, as every page prints it: two decimals ("0.93")."""
    return fixed(value, 2)


def times_in_100(value: Any) -> str:
    """A ROC AUC as a count out of 100 ("93" for 0.93): how many times in 100 a selected
    nominee is ranked above an unselected one."""
    return str(round(float(value) * 100)) if is_number(value) else MISSING


def span(low: Any, high: Any, *, digits: int = 2, fmt: Formatter = fixed) -> str:
    """An interval in words: "0.04 to 0.46" (each end by ``fmt`` with ``digits`` decimals)."""
    return f"{fmt(low, digits)} to {fmt(high, digits)}"


def with_span(value: Any, low: Any, high: Any, *, digits: int = 2, fmt: Formatter = fixed) -> str:
    """A value and its interval: "0.26 (0.04 to 0.46)"."""
    return f"{fmt(value, digits)} ({span(low, high, digits=digits, fmt=fmt)})"


def times_median(value: Any, median: Any) -> str:
    """How a nominee's figure compares with the year's median ("×0.5 the median"); empty
    when either is missing or the median is 0."""
    if not is_number(value) or not is_number(median) or median == 0:
        return ""
    return f"×{value / median:.1f} the median"


def card_value(column: str, value: Any) -> str:
    """A headline figure of an evidence card: followers whole, shares as percentages,
    anything else by :func:`number`."""
    if not is_number(value):
        return MISSING
    if column == "followers":
        return whole(value)
    if column.endswith("_share"):
        return percent(value)
    return number(float(value))


def mpl_text(text: object) -> str:
    """Text from the data for a matplotlib label: a ``$`` never starts mathtext (nor fails
    to parse)."""
    return str(text).replace("$", r"\$")


# --- plain words ---------------------------------------------------------------------------

#: Plain words for the feature families (unknown families show by name).
FAMILY_WORDS = {
    "volume": "volume (how much they post)",
    "reach": "reach (followers and lists)",
    "engagement": "engagement quality (what each post earns)",
    "network": "network position (who engages with them)",
    "audiences": "new audiences (engagers beyond their own community)",
    "conversation": "conversation (replies, threads, chats)",
    "influence": "influence beyond volume (engagement above what output predicts)",
}
#: Plain names for every feature, in sentences, tables and charts (the identifiers stay in
#: the data; a feature not listed shows by its name without underscores).
FEATURE_WORDS = {
    "posts_per_day": "posts per day",
    "own_posts_per_day": "own posts per day",
    "repost_share": "share of posts that pass on others' posts",
    "reply_share": "share of posts that are replies",
    "active_day_share": "share of days with a post",
    "blog_posts_per_month": "blog posts per month",
    "burstiness": "how bursty the posting is",
    "log10_followers": "followers",
    "listed_per_1k_followers": "lists per 1,000 followers",
    "followers_per_following": "followers per account followed",
    "follower_growth": "growth in followers",
    "amplification_rate": "reposts received per post",
    "conversation_rate": "replies received per post",
    "applause_rate": "likes received per post",
    "engagement_per_1k_followers": "engagement per post per 1,000 followers",
    "mentions_received_per_post": "mentions received per post",
    "repost_h_index": "repost h-index",
    "like_h_index": "like h-index",
    "engaged_post_share": "share of posts that drew any engagement",
    "top_decile_engagement_share": "share of engagement earned by the top tenth of posts",
    "pagerank": "standing in the engagement network (PageRank)",
    "distinct_engagers": "accounts that engaged",
    "engagement_from_nominees": "engagement from other nominees",
    "standing_weighted_engagement": "engagement weighted by the engagers' own standing",
    "betweenness": "position between groups (betweenness)",
    "distinct_engagers_per_post": "accounts engaging per post",
    "outside_engager_share": "share of engagers from other communities",
    "participation_coefficient": "spread of engagers across communities (participation "
    "coefficient)",
    "engager_community_entropy": "variety of the engagers' communities (entropy)",
    "new_engager_share": "share of engagers new this year",
    "threads_started": "threads started that others joined",
    "chats_hosted": "chats hosted",
    "reciprocity": "share of engagers engaged with in return (reciprocity)",
    "media_share": "share of posts with pictures or video",
    "platforms_used": "platforms used",
    "influence_residual": "engagement beyond what posting volume predicts",
}
#: Identifiers of tables and fields that the model step's notes and the feature
#: dictionary's definitions may name, in plain words.
TABLE_WORDS = {
    "account_metrics": "account-level metric tables",
    "blog_posts": "blog posts",
    "mentions_received": "mentions received",
    "features_by_platform": "the per-platform feature table",
}
_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def plain_text(text: Any) -> str:
    """``text`` with every feature or table identifier in it replaced by its plain name
    ("not used this year: follower_growth" -> "not used this year: growth in followers")."""

    def replace(found: re.Match[str]) -> str:
        word = found.group(0)
        return FEATURE_WORDS.get(word) or TABLE_WORDS.get(word) or word

    return _IDENTIFIER.sub(replace, str(text))


def family_words(name: Any) -> str:
    """The family in plain words, with a gloss ("reach (followers and lists)")."""
    return FAMILY_WORDS.get(str(name), str(name).replace("_", " "))


def family_name(name: Any) -> str:
    """The family's name without its gloss ("engagement quality")."""
    return family_words(name).split(" (")[0]


def family_short(name: Any) -> str:
    """The family's name without its gloss, capitalised ("Engagement quality")."""
    words = family_name(name)
    return words[:1].upper() + words[1:]


def feature_words(name: Any) -> str:
    """The feature in plain words ("likes received per post"), else its name without
    underscores."""
    return FEATURE_WORDS.get(str(name), str(name).replace("_", " "))
