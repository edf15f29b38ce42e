"""The sections of one year's report, as HTML strings the report notebook displays.

Each function takes a :class:`YearReport` (everything the report reads, loaded once)
and returns escaped HTML; the notebook shows them in order, and the batch renders the
executed notebook to a page without code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from src.features.build import read_features
from src.io import read_json
from src.model.names import describe, label
from src.params import YearRun
from src.report import sections
from src.report.cards import cards_html
from src.report.figures import engagement_per_own_post, figure_html, volume_vs_engagement
from src.report.html import bullets, esc, fmt_number, paragraph, section, table
from src.report.outputs import ModelOutputs, read_model_nominees, read_model_outputs, usable

CONTENTS = (
    ("headline", sections.TITLES["headline"]),
    ("picture", "Volume against engagement"),
    ("models", "What explains the panel's picks"),
    ("families", sections.TITLES["families"]),
    ("volume-effect", sections.TITLES["volume-effect"]),
    ("review", sections.TITLES["review"]),
    ("categories", sections.TITLES["categories"]),
    ("network", sections.TITLES["network"]),
    ("nominees", "The nominees"),
    ("appendix", "Appendix: methods, data quality and feature dictionary"),
)


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


def model_explanations(report: YearReport) -> dict[str, str]:
    """nominee_id -> archetype, score with its interval, and the explanation in words
    (from the model step, :mod:`src.model.run`); empty when no model was fitted."""
    frame = report.model_nominees
    if frame is None or frame.empty:
        return {}
    return {
        str(row.nominee_id): (
            f"{str(row.archetype).capitalize()}. Influence model score {row.score:.2f} "
            f"(95% interval {row.score_low:.2f} to {row.score_high:.2f}); {row.explanation}"
        )
        for row in frame.itertuples()
    }


def title_block(report: YearReport) -> str:
    """Title, the simulated-data notice where it applies, and the contents."""
    year = report.run.year
    notice = ""
    if report.ingest.get("simulated"):
        notice = (
            '<p class="notice"><strong>Simulated data.</strong> This report was made from the '
            "bundled simulated sample: the nominees, accounts and posts are invented, and the "
            "findings describe the simulation, not any real panel or person.</p>"
        )
    items = "".join(f'<li><a href="#{anchor}">{esc(title)}</a></li>' for anchor, title in CONTENTS)
    method = report.outputs.comparison().get("method")
    basis = (
        paragraph(f"Every model figure in this briefing comes from one comparison: {method}")
        if method
        else ""
    )
    return (
        f"<header><h1>Influence or volume? The {year} list</h1>"
        f'<p class="lede">What distinguished the nominees the panel selected in {year} from the '
        "rest: how much they posted, or what their posts earned.</p>"
        f'{basis}{notice}<nav aria-label="Contents"><ol>{items}</ol></nav></header>'
    )


def headline_section(report: YearReport) -> str:
    """The one-page summary (kept under this name for notebooks that call it): see
    :func:`src.report.sections.summary_section`."""
    return sections.summary_section(report)


def picture_section(report: YearReport) -> str:
    """The chart of volume against engagement, selected nominees marked."""
    features = report.features
    selected = features["selected"].astype(bool)
    engagement = engagement_per_own_post(features)
    missing = int(engagement.isna().sum())
    alt = (
        f"Scatter plot of {len(features) - missing} nominees in {report.run.year}: posts per day on the horizontal axis, "
        f"reposts, replies and likes per own post on the vertical axis, both on log scales. "
        f"Selected nominees (diamonds) have a median of {fmt_number(features.loc[selected, 'posts_per_day'].median())} posts per day "
        f"and {fmt_number(engagement[selected].median())} engagements per own post; the others (circles) "
        f"{fmt_number(features.loc[~selected, 'posts_per_day'].median())} and {fmt_number(engagement[~selected].median())}."
    )
    caption = "Each point is a nominee. If the panel rewarded volume, the selected would sit to the right; if it rewarded what posts earn, they would sit high."
    if missing:
        caption += (
            f" {missing} nominee(s) with no own posts have no engagement rate and are not shown."
        )
    return section(
        "Volume against engagement",
        figure_html(volume_vs_engagement(features, report.run.year), alt, caption),
        anchor="picture",
    )


METRIC_WORDS = {
    "auc": "ROC AUC (higher is better)",
    "log_loss": "log loss (lower is better)",
    "brier": "Brier score (lower is better)",
}


def evaluation_table(report: YearReport) -> str:
    """The model step's validation: every model and metric, mean and 95% range across folds."""
    outputs = report.outputs
    evaluation = outputs.evaluation
    if evaluation is None or not usable(evaluation, "model", "metric", "mean"):
        return ""
    frame = evaluation.copy()
    has = "low" in frame.columns and "high" in frame.columns
    frame["value"] = [
        f"{m:.3f}" + (f" ({lo:.3f} to {hi:.3f})" if has and pd.notna(lo) and pd.notna(hi) else "")
        for m, lo, hi in zip(
            frame["mean"],
            frame["low"] if has else frame["mean"],
            frame["high"] if has else frame["mean"],
            strict=True,
        )
    ]
    wide = frame.pivot_table(
        index="model", columns="metric", values="value", aggfunc="first", sort=False
    ).reset_index()
    metrics = [m for m in ("auc", "log_loss", "brier") if m in wide.columns] + [
        m for m in wide.columns if m not in ("model", "auc", "log_loss", "brier")
    ]
    found = outputs.card.get("validation")
    validation: dict[str, Any] = found if isinstance(found, dict) else {}
    caption = (
        "Cross-validated, grouped by person: mean and, in brackets, the range of 95% of folds. "
        + str(validation.get("message") or "")
    )
    return '<h3 id="validation">The models compared</h3>' + table(
        wide,
        [("model", "Model"), *[(m, METRIC_WORDS.get(str(m), str(m))) for m in metrics]],
        caption=caption.strip(),
    )


def models_section(report: YearReport) -> str:
    """The models compared: what each is, one table of their cross-validated scores (from
    ``evaluation.csv``) and the comparison's answer (from the model card)."""
    title = "What explains the panel's picks"
    outputs = report.outputs
    table_html = evaluation_table(report)
    comparison = outputs.comparison()
    evaluation = outputs.evaluation
    if evaluation is None or not table_html:
        reason = (
            outputs.reason().rstrip(".")
            if outputs.card
            else "the model step wrote no model card for this year"
        )
        return section(
            title,
            paragraph(f"The models' validation is not available: {reason}."),
            anchor="models",
        )
    models = [str(m) for m in evaluation["model"].drop_duplicates()]
    described = bullets([f"{name}: {describe(name)}" for name in models])
    body = (
        paragraph(
            "Each model is fitted on some of the features and scored on nominees it did not see; "
            "the headline compares "
            + " with ".join(
                label(str(comparison.get(key)))
                for key in ("full", "baseline")
                if comparison.get(key)
            )
            + ", fold by fold."
        )
        + described
        + table_html
    )
    if comparison.get("sentence"):
        body += f'<p class="finding">{esc(comparison["sentence"])}</p>'
    return section(title, body, anchor="models")


def nominee_frame(report: YearReport) -> pd.DataFrame:
    """Nominees with their headline figures and model score, selected first, best score first."""
    features = report.features.copy()
    features["engagement_per_own_post"] = engagement_per_own_post(features)
    features["followers"] = (10 ** features["log10_followers"] - 1).round()
    scores = model_scores(report)
    frame = features.merge(scores, on="nominee_id", how="left").sort_values(
        ["selected", "score"], ascending=[False, False], na_position="last"
    )
    frame["decision"] = [
        "selected" + (f" (rank {int(r)})" if pd.notna(r) else "") if s else "not selected"
        for s, r in zip(frame["selected"], frame["rank"])
    ]
    return frame


def model_scores(report: YearReport) -> pd.DataFrame:
    """nominee_id -> score: the full influence model's (what the evidence cards show); empty
    when the model step could not fit one."""
    frame = report.model_nominees
    if frame is not None and not frame.empty and {"nominee_id", "score"} <= set(frame.columns):
        return frame[["nominee_id", "score"]]
    return pd.DataFrame(columns=["nominee_id", "score"])


def score_note(report: YearReport) -> str:
    """What the table's model score is, in words (it depends on which model was fitted)."""
    frame = report.model_nominees
    if frame is not None and not frame.empty and "score" in frame.columns:
        return (
            "Model score: the influence model's probability of selection, the same score as on "
            "the evidence cards (see the summary for whether it was trained on earlier years or "
            "cross-validated within this one)."
        )
    return "Model score: none, because the influence model could not be fitted this year."


def nominees_section(report: YearReport) -> str:
    """Every nominee: a sortable table of headline figures, then an evidence card each."""
    frame = nominee_frame(report)
    columns = [
        ("name", "Nominee"),
        ("category", "Category"),
        ("decision", "Panel"),
        ("posts_per_day", "Posts per day"),
        ("engagement_per_own_post", "Engagement per own post"),
        ("followers", "Followers"),
        ("score", "Model score"),
    ]
    note = paragraph(score_note(report) + " Click a column heading to sort the table.")
    formats = {"followers": lambda v: fmt_number(int(v)) if pd.notna(v) else "–"}
    cards_note = paragraph(
        "Each card sets a nominee's headline figures against the median nominee of the year. In the small chart, a bar to the "
        "right of the line is above the median and one to the left below it (each step is a doubling, up to eight times). "
        "Under the chart: the nominee's archetype, the full influence model's score with its interval, and which families of "
        "features carry the nominee up or hold them back (their contributions to the log-odds of selection)."
    )
    cards = (
        '<h3 id="cards">Evidence cards</h3>'
        + cards_note
        + cards_html(frame, model_explanations(report))
    )
    return section(
        "The nominees",
        note
        + table(frame, columns, formats=formats, css_class="data nominees", sortable=True)
        + cards,
        anchor="nominees",
    )


def appendix_section(report: YearReport) -> str:
    """Methods, data quality and the feature dictionary."""
    ingest = report.ingest
    card = report.outputs.card
    methods = (
        '<h3 id="methods">Methods</h3>'
        + paragraph(
            f"Activity is measured over the observation window of {int(report.features['observation_days'].iloc[0]) if len(report.features) else 0} days "
            "covered by the year's exports. Features are computed per nominee from their posts, interactions and account metrics, "
            "in families (definitions below). Every model is a plain scikit-learn pipeline (median imputation, log(1 + x) of heavy-tailed "
            "features, standardisation) and is seeded."
        )
        + paragraph(
            "Validation: a volume-only model, a reach-only model and the full influence model (an L2-regularised logistic regression on "
            "every family, and a gradient-boosted model on the same features) are compared on the same repeated cross-validation folds, "
            "grouped by person over this and the earlier years (someone nominated in several years never sits on both sides of a split) and "
            "stratified by the panel's decision; intervals are the range of 95% of folds. Coefficients carry 95% bootstrap intervals (people "
            "resampled). The importance of a family is the drop in the boosted model's held-out ROC AUC when that family's features are "
            "shuffled together. The volume effect is the logistic model's partial dependence on posts per day. Each nominee's score, rank "
            "and their intervals come from "
            + str(card.get("scores_from") or "the model step")
            + "; the explanation on each evidence card names the families whose contribution (coefficient times standardised value, summed "
            "over the family) moves the nominee's log-odds of selection by at least 0.25. Archetypes are k-means clusters of the standardised "
            "features, named by fixed rules from each cluster's family profile. Consistency by category compares selections with the sum of "
            "the scores in the category, with bootstrap intervals. The network uses the communities (Leiden, modularity) of the whole "
            "interaction graph, as the audience features do. "
            "The headline compares the volume-only model with the full influence model on the "
            "same folds, and its verdict rests on their difference fold by fold."
        )
    )
    limits = card.get("limits") if isinstance(card.get("limits"), list) else []
    if limits or report.outputs.notes() or report.outputs.problems:
        methods += "<h4>Limits and fallbacks this year</h4>" + bullets(
            [str(x) for x in limits]
            + report.outputs.notes()
            + [f"Not read: {p}." for p in report.outputs.problems]
        )
    platforms = ingest.get("platforms", {})
    platform_text = (
        "; ".join(
            f"{name}: {p.get('files', 0)} file(s), {p.get('posts', 0):,} posts"
            for name, p in sorted(platforms.items())
        )
        or "none"
    )
    missing = ingest.get("handles_without_exports", {})
    quality_rows = pd.DataFrame(
        [
            (
                "Files read",
                f"{len(ingest.get('files_read', []))} ("
                + ", ".join(ingest.get("files_read", [])[:8])
                + (", …" if len(ingest.get("files_read", [])) > 8 else "")
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
                f"{ingest.get('posts', 0):,} ({ingest.get('nominee_posts', 0):,})",
            ),
            ("Blog posts read", ingest.get("blog_posts", 0)),
            ("Account-level metric rows read", ingest.get("metric_rows", 0)),
            ("Interactions", f"{ingest.get('interactions', 0):,}"),
            (
                "Errors reported by the platforms' APIs in the exports",
                ingest.get("api_errors", ingest.get("x_api_errors", 0)),
            ),
            (
                "Accounts pseudonymised (not nominees)",
                f"{ingest.get('pseudonymised_accounts', 0):,}",
            ),
            (
                "Records rejected"
                + (
                    " (quarantine mode)"
                    if ingest.get("quarantine")
                    else " (strict mode: any bad record stops the run)"
                ),
                ingest.get("rejected_records", 0),
            ),
            ("First and last post", f"{ingest.get('first_post')} to {ingest.get('last_post')}"),
        ],
        columns=["item", "value"],
    )
    quality = "<h3>Data quality</h3>" + table(
        quality_rows, [("item", "What"), ("value", "Count or value")]
    )
    rejected = ingest.get("rejected_by_file", {})
    if rejected:
        quality += table(
            pd.DataFrame(sorted(rejected.items()), columns=["file", "records"]),
            [("file", "File"), ("records", "Records rejected")],
            caption="Rejected records by file (reasons in rejected.csv)",
        )
    quality += paragraph(
        "Accounts that are not nominees are replaced by keyed pseudonyms and never named in this report."
    )
    dictionary = "<h3>Feature dictionary</h3>" + table(
        report.dictionary,
        [
            ("name", "Feature"),
            ("family", "Family"),
            ("definition", "Definition"),
            ("unit", "Unit"),
            ("direction", "Higher means"),
            ("when_undefined", "When undefined"),
            ("source", "Source"),
        ],
        css_class="data dictionary",
        sortable=True,
    )
    return section(
        "Appendix: methods, data quality and feature dictionary",
        methods + quality + dictionary,
        anchor="appendix",
    )


def report_card(report: YearReport) -> dict[str, Any]:
    """The few figures the index page shows for this year."""
    card: dict[str, Any] = {
        "year": report.run.year,
        "simulated": bool(report.ingest.get("simulated")),
        "nominees": int(len(report.features)),
        "selected": int(report.features["selected"].sum()),
    }
    # The comparison's headline record, as the model step wrote it: the index shows it as it is.
    comparison = report.outputs.comparison()
    card["comparison"] = comparison
    card["verdict"] = str(
        comparison.get("headline") or comparison.get("sentence") or report.outputs.reason()
    )
    card["status"] = comparison.get("status") or report.outputs.status
    features = report.features
    card["categories"] = {
        str(category): {
            "nominees": int(len(group)),
            "selected": int(group["selected"].astype(bool).sum()),
        }
        for category, group in features.groupby("category", sort=True)
    }
    archetypes = report.model_nominees
    if (
        archetypes is not None
        and not archetypes.empty
        and {"archetype", "selected"} <= set(archetypes.columns)
    ):
        flags = archetypes["selected"].fillna(False).astype(bool)
        card["archetypes"] = {
            str(name): {"nominees": int(len(group)), "selected": int(flags[group.index].sum())}
            for name, group in archetypes.groupby(archetypes["archetype"].astype(str), sort=True)
        }
    card["nominees_list"] = [
        {"nominee_id": str(i), "name": str(n), "selected": bool(s)}
        for i, n, s in zip(
            features["nominee_id"],
            features["name"],
            features["selected"].astype(bool),
            strict=True,
        )
    ]
    return card
