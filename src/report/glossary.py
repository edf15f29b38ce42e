"""The glossary: every technical term a briefing uses, in plain words.

:data:`GLOSSARY` pairs each term with its meaning as this report uses it; the glossary
section prints it, each term with an anchor (``#term-<slug>``) that the text links to
(:func:`term_link`). A test reads a rendered page and checks that every term of
:data:`GLOSSARY` found in it is defined here, so a new term added to a section without a
definition fails.
"""

from __future__ import annotations

import re

from src.report.html import esc

#: (term, meaning), alphabetical by term. The meaning is plain text (escaped on output).
GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "archetype",
        "A group of nominees with a similar style, found by clustering their feature profiles "
        "(k-means) and named by fixed rules, the same names every year: for example a "
        "broadcaster posts more than the average nominee and earns less per post. An "
        "archetype describes style, not merit.",
    ),
    (
        "betweenness",
        "How often a nominee sits on the shortest path between two other accounts in the "
        "engagement network: a high value means they connect groups that would otherwise be "
        "apart.",
    ),
    (
        "bootstrap interval",
        "The range a figure takes when it is recomputed many times on nominees drawn again at "
        "random (with replacement) from the year's list; the 95% bootstrap interval holds 95% "
        "of those recomputed values. A wide interval means the figure rests on little evidence.",
    ),
    (
        "Brier score",
        "The average squared gap between a model's predicted chance of selection and what "
        "happened (1 for selected, 0 for not): 0 is perfect, lower is better.",
    ),
    (
        "coefficient",
        "In the logistic regression, how much the log-odds of selection change when one "
        "feature rises by one standard deviation and every other feature stays the same.",
    ),
    (
        "community",
        "A group of accounts that engage with each other more than with the rest, found in "
        "the year's whole engagement network by the Leiden method. This report names a "
        "community by what its nominees have in common (their most common category and the "
        "hashtags they use most), never by a number.",
    ),
    (
        "cross-validation",
        "Testing a model on nominees it did not learn from: the nominees are split into five "
        "parts (folds), the model learns from four and is scored on the fifth, in turn, and "
        "the whole is repeated with new splits. Splits are grouped by person, so someone "
        "nominated in several years is never on both sides.",
    ),
    (
        "engagement",
        "What other accounts did with a nominee's posts: reposts (passing a post on), replies "
        "and likes, and mentions of the nominee.",
    ),
    (
        "entropy",
        "A measure of variety, in bits: 0 when every engager of a nominee comes from one "
        "community, higher the more evenly they come from many.",
    ),
    (
        "feature",
        "One measured figure per nominee (posts per day, replies received per post, and so "
        "on), grouped into families; the feature dictionary in the appendix defines each.",
    ),
    (
        "fold",
        "One of the parts nominees are split into for cross-validation; each fold is a test "
        "on nominees the model did not learn from.",
    ),
    (
        "h-index",
        "The largest number h such that h of a nominee's posts each earned at least h "
        "reposts (repost h-index) or likes (like h-index): high only for someone with many "
        "posts that each did well, not for one viral post.",
    ),
    (
        "k-means",
        "A way of sorting nominees into a set number of groups so that each nominee is in the "
        "group whose average profile is nearest to their own; used to find archetypes.",
    ),
    (
        "Leiden",
        "A method (Traag, Waltman & van Eck 2019) that finds communities in a network by "
        "grouping accounts so that more of their engagement stays inside each group than "
        "chance would give.",
    ),
    (
        "log loss",
        "How surprised a model is by what happened, averaged over nominees: it punishes a "
        "confident wrong prediction hard. Lower is better.",
    ),
    (
        "log-odds",
        "The logarithm of the odds of selection (odds of 1 to 3 are log-odds of about −1.1; "
        "even odds are 0). A change of +1 in log-odds multiplies the odds by about 2.7.",
    ),
    (
        "logistic regression",
        "A model that adds up the features, each with a weight (its coefficient), and turns "
        "the total into a chance of selection between 0 and 1.",
    ),
    (
        "gradient-boosted model",
        "A model built from many small decision trees, each correcting the last; it can "
        "follow bends and thresholds in the evidence that a logistic regression cannot.",
    ),
    (
        "modularity",
        "How much more of a network's engagement stays inside its communities than chance "
        "would give; the Leiden method looks for the communities with the highest.",
    ),
    (
        "nominee-year",
        "One nominee in one year's list; someone nominated in two years counts as two "
        "nominee-years.",
    ),
    (
        "observation window",
        "The days of activity the year's exports cover; every rate (posts per day, replies "
        "per post) is measured over it.",
    ),
    (
        "PageRank",
        "A measure of standing in the engagement network (Brin & Page 1998): an account "
        "ranks high when accounts that themselves rank high engage with it.",
    ),
    (
        "participation coefficient",
        "How evenly the accounts engaging with a nominee are spread across communities: 0 "
        "when all come from one community, nearer 1 when they come from many.",
    ),
    (
        "partial dependence",
        "How a model's average predicted chance of selection moves as one feature is set to "
        "each of a range of values for every nominee, their other features kept as they are.",
    ),
    (
        "permutation importance",
        "How much a model's ROC AUC on nominees it did not learn from drops when one family's "
        "features are shuffled between nominees: a large drop means the model relies on them.",
    ),
    (
        "pseudonymised",
        "Replaced by a code that cannot be turned back into the account's name without a key "
        "kept outside this report. Accounts that are not nominees are pseudonymised and never "
        "named.",
    ),
    (
        "rank interval",
        "The range of places a nominee takes when the model's scores are recomputed on "
        "resampled data: how firmly the evidence puts them where they are.",
    ),
    (
        "ROC AUC",
        "The chance that a model ranks a selected nominee above an unselected one, for a pair "
        "drawn at random: 0.5 is a coin toss, 1.0 ranks every pick above every other "
        "nominee. This report also gives it as a count: how many times in 100 a selected "
        "nominee is ranked above an unselected one.",
    ),
    (
        "standard deviation",
        "How spread out a figure is among the year's nominees; about two thirds of nominees "
        "sit within one standard deviation of the average.",
    ),
)


def slug(term: str) -> str:
    """The anchor of a term in the glossary ("term-roc-auc")."""
    return "term-" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def term_link(term: str, text: str | None = None) -> str:
    """``text`` (else the term) linked to the term's glossary entry (escaped HTML)."""
    return f'<a class="term" href="#{slug(term)}">{esc(text or term)}</a>'


def glossary_html() -> str:
    """Every term with its meaning, as a definition list (escaped HTML)."""
    items = "".join(
        f'<dt id="{slug(term)}">{esc(term)}</dt><dd>{esc(meaning)}</dd>'
        for term, meaning in sorted(GLOSSARY, key=lambda pair: pair[0].lower())
    )
    return f'<dl class="glossary">{items}</dl>'
