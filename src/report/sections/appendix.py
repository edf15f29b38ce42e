"""The appendix of a year's briefing: methods (with this year's limits and fallbacks),
data quality (from the ingest summary) and the feature dictionary."""

from __future__ import annotations

from typing import Any

import pandas as pd

from src.report.format import family_short, feature_words, plain_text, whole
from src.report.html import bullets, esc, paragraph, section, table
from src.report.load import YearReport
from src.report.sections.common import TITLES

#: Files named in the data-quality table before "…".
FILES_NAMED = 8


def methods(report: YearReport) -> str:
    """How the features, models, intervals and explanations were made, and this year's
    limits and fallbacks (from the model card)."""
    card = report.outputs.card
    days = int(report.features["observation_days"].iloc[0]) if len(report.features) else 0
    html = (
        '<h3 id="methods">Methods</h3>'
        + paragraph(
            f"Activity is measured over the observation window of {days} days covered by the "
            "year's exports. Features are computed per nominee from their posts, interactions "
            "and account metrics, in families (definitions below). Every model is a plain "
            "scikit-learn pipeline (median imputation, log(1 + x) of heavy-tailed features, "
            "standardisation) and is seeded."
        )
        + paragraph(
            "Validation: a volume-only model, a reach-only model and the full influence model "
            "(an L2-regularised logistic regression on every family, and a gradient-boosted "
            "model on the same features) are compared on the same repeated cross-validation "
            "folds, grouped by person over this and the earlier years (someone nominated in "
            "several years never sits on both sides of a split) and stratified by the panel's "
            "decision; intervals are the range of 95% of folds. Coefficients carry 95% "
            "bootstrap intervals (people resampled). The importance of a family is the drop in "
            "the boosted model's held-out ROC AUC when that family's features are shuffled "
            "together. The volume effect is the logistic model's partial dependence on posts "
            "per day. Each nominee's score, rank and their intervals come from "
            + str(card.get("scores_from") or "the model step")
            + "; the explanation on each evidence card names the families whose contribution "
            "(coefficient times standardised value, summed over the family) moves the nominee's "
            "log-odds of selection by at least 0.25. Archetypes are k-means clusters of the "
            "standardised features, named by fixed rules from each cluster's family profile. "
            "Consistency by category compares selections with the sum of the scores in the "
            "category, with bootstrap intervals. The network uses the communities (Leiden, "
            "modularity) of the whole interaction graph, as the audience features do. "
            "The headline compares the volume-only model with the full influence model on the "
            "same folds, and its verdict rests on their difference fold by fold."
        )
    )
    limits = card.get("limits") if isinstance(card.get("limits"), list) else []
    outputs = report.outputs
    if limits or outputs.notes() or outputs.problems:
        html += "<h4>Limits and fallbacks this year</h4>" + bullets(
            [plain_text(x) for x in limits or []]
            + [plain_text(note) for note in outputs.notes()]
            + [f"Not read: {p}." for p in outputs.problems]
        )
    return html


def _quality_rows(ingest: dict[str, Any]) -> pd.DataFrame:
    """What the ingest step read, skipped and rejected: one row per item."""
    platforms = ingest.get("platforms", {})
    platform_text = (
        "; ".join(
            f"{name}: {p.get('files', 0)} file(s), {whole(p.get('posts', 0))} posts"
            for name, p in sorted(platforms.items())
        )
        or "none"
    )
    files = ingest.get("files_read", [])
    missing = ingest.get("handles_without_exports", {})
    rejected_in = (
        " (quarantine mode)"
        if ingest.get("quarantine")
        else " (strict mode: any bad record stops the run)"
    )
    rows: list[tuple[str, Any]] = [
        (
            "Files read",
            f"{len(files)} ("
            + ", ".join(files[:FILES_NAMED])
            + (", …" if len(files) > FILES_NAMED else "")
            + ")",
        ),
        ("Platforms read", platform_text),
        ("Nominees (selected)", f"{ingest.get('nominees')} ({ingest.get('selected')})"),
        ("Nominees with no account found", len(ingest.get("nominees_without_accounts", []))),
        (
            "Handles given for platforms with no exports this year",
            ", ".join(f"{k}: {v}" for k, v in sorted(missing.items())) or "none",
        ),
        (
            "Posts read (by nominees)",
            f"{whole(ingest.get('posts', 0))} ({whole(ingest.get('nominee_posts', 0))})",
        ),
        ("Blog posts read", ingest.get("blog_posts", 0)),
        ("Account-level metric rows read", ingest.get("metric_rows", 0)),
        ("Interactions", whole(ingest.get("interactions", 0))),
        (
            "Errors reported by the platforms' APIs in the exports",
            ingest.get("api_errors", ingest.get("x_api_errors", 0)),
        ),
        ("Accounts pseudonymised (not nominees)", whole(ingest.get("pseudonymised_accounts", 0))),
        ("Records rejected" + rejected_in, ingest.get("rejected_records", 0)),
        ("First and last post", f"{ingest.get('first_post')} to {ingest.get('last_post')}"),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


def data_quality(report: YearReport) -> str:
    """What was read, skipped and rejected, and how accounts that are not nominees are kept."""
    ingest = report.ingest
    html = "<h3>Data quality</h3>" + table(
        _quality_rows(ingest), [("item", "What"), ("value", "Count or value")]
    )
    rejected = ingest.get("rejected_by_file", {})
    if rejected:
        html += table(
            pd.DataFrame(sorted(rejected.items()), columns=["file", "records"]),
            [("file", "File"), ("records", "Records rejected")],
            caption="Rejected records by file (reasons in rejected.csv)",
        )
    return html + paragraph(
        "Accounts that are not nominees are replaced by keyed pseudonyms and never named in "
        "this report."
    )


def dictionary_rows(dictionary: pd.DataFrame) -> pd.DataFrame:
    """The feature dictionary in plain words: each feature by its plain name, its family,
    what it measures (with its unit and when it has no value) and its source."""
    frame = dictionary.copy()

    def text(column: str) -> pd.Series:
        if column not in frame.columns:
            return pd.Series("", index=frame.index)
        return frame[column].fillna("").astype(str).map(plain_text)

    definition, unit, undefined = text("definition"), text("unit"), text("when_undefined")
    frame["feature_words"] = [
        feature_words(n)[:1].upper() + feature_words(n)[1:] for n in frame["name"]
    ]
    frame["family_words"] = [family_short(f) for f in frame.get("family", frame["name"])]
    frame["measures"] = [
        esc(d.rstrip(".") + "." + (f" Unit: {u}." if u else ""))
        + (
            f' <span class="screen-only">No value: {esc(w[:1].lower() + w[1:].rstrip("."))}.</span>'
            if w
            else ""
        )
        for d, u, w in zip(definition, unit, undefined, strict=True)
    ]
    frame["higher"] = text("direction")
    frame["source_text"] = text("source")
    return frame


def feature_dictionary(report: YearReport) -> str:
    """Every feature: what it measures (unit, when it has no value), direction, source."""
    return (
        '<div class="dictionary-part"><h3>Feature dictionary</h3>'
        + table(
            dictionary_rows(report.dictionary),
            [
                ("feature_words", "Feature"),
                ("family_words", "Family"),
                ("measures", "What it measures"),
                ("higher", "Higher means"),
                ("source_text", "Source"),
            ],
            css_class="data dictionary",
            sortable=True,
            html_columns=("measures",),
            column_classes={"higher": "screen-only"},
            hint="click a heading to sort",
        )
        + "</div>"
    )


def appendix_section(report: YearReport) -> str:
    """Methods, data quality and the feature dictionary."""
    return section(
        TITLES["appendix"],
        methods(report) + data_quality(report) + feature_dictionary(report),
        anchor="appendix",
    )
