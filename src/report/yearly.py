"""The sections of one year's report, as HTML strings the report notebook displays.

Each function takes a :class:`YearReport` (everything the report reads, loaded once)
and returns escaped HTML; the notebook shows them in order, and the batch renders the
executed notebook to a page without code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from src.features.build import read_features
from src.io import read_json
from src.params import YearRun
from src.report.cards import cards_html
from src.report.figures import engagement_per_own_post, figure_html, volume_vs_engagement
from src.report.html import esc, fmt_number, paragraph, section, table

CONTENTS = (
    ("headline", "Headline"),
    ("picture", "Volume against engagement"),
    ("models", "What explains the panel's picks"),
    ("nominees", "The nominees"),
    ("appendix", "Appendix: methods, data quality and feature dictionary"),
)
FULL_MODEL = "volume + engagement"


@dataclass(frozen=True)
class YearReport:
    """Everything one year's report reads from ``data/processed/<year>/``."""

    run: YearRun
    features: pd.DataFrame
    ingest: dict[str, Any]
    model: dict[str, Any]
    scores: pd.DataFrame
    dictionary: pd.DataFrame
    #: per-nominee output of the model step (score with interval, explanation, archetype);
    #: None when no model could be fitted for the year
    model_nominees: pd.DataFrame | None = None


def load_year_report(run: YearRun) -> YearReport:
    """Read a year's processed outputs for its report."""
    folder = run.processed
    return YearReport(
        run=run,
        features=read_features(folder),
        ingest=read_json(folder / "ingest_summary.json"),
        model=read_json(folder / "model" / "summary.json"),
        scores=pd.read_parquet(folder / "model" / "scores.parquet"),
        dictionary=pd.read_csv(folder / "feature_dictionary.csv"),
        model_nominees=pd.read_parquet(folder / "model" / "nominees.parquet") if (folder / "model" / "nominees.parquet").exists() else None,
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
            "<p class=\"notice\"><strong>Simulated data.</strong> This report was made from the bundled "
            "simulated sample: the nominees, accounts and posts are invented, and the findings describe "
            "the simulation, not any real panel or person.</p>"
        )
    items = "".join(f"<li><a href=\"#{anchor}\">{esc(title)}</a></li>" for anchor, title in CONTENTS)
    return (
        f"<header><h1>Influence or volume? The {year} list</h1>"
        f"<p class=\"lede\">What distinguished the nominees the panel selected in {year} from the rest: "
        "how much they posted, or what their posts earned.</p>"
        f"{notice}<nav aria-label=\"Contents\"><ol>{items}</ol></nav></header>"
    )


def headline_section(report: YearReport) -> str:
    """The finding in plain words, with its numbers."""
    features = report.features
    selected = features["selected"].astype(bool)
    engagement = engagement_per_own_post(features)
    facts = (
        f"{int(selected.sum())} of {len(features)} nominees were selected. "
        f"The selected posted a median of {fmt_number(features.loc[selected, 'posts_per_day'].median())} posts a day "
        f"against {fmt_number(features.loc[~selected, 'posts_per_day'].median())} for the others, "
        f"and earned a median of {fmt_number(engagement[selected].median())} reposts, replies and likes per own post "
        f"against {fmt_number(engagement[~selected].median())}."
    )
    body = f"<p class=\"finding\">{esc(report.model.get('headline', ''))}</p>" + paragraph(facts)
    return section("Headline", body, anchor="headline")


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
        caption += f" {missing} nominee(s) with no own posts have no engagement rate and are not shown."
    return section("Volume against engagement", figure_html(volume_vs_engagement(features, report.run.year), alt, caption), anchor="picture")


def models_section(report: YearReport) -> str:
    """Cross-validated ROC AUC of each model, with the spread across folds."""
    model = report.model
    if model.get("status") != "ok":
        return section("What explains the panel's picks", paragraph(model.get("message", "No model was fitted.")), anchor="models")
    frame = pd.DataFrame(model["models"])
    frame["features"] = [", ".join(model["feature_sets"][name]) for name in frame["model"]]
    body = table(
        frame,
        [("model", "Model"), ("auc_mean", "Mean ROC AUC"), ("auc_low", "2.5th percentile"), ("auc_high", "97.5th percentile"), ("folds", "Folds"), ("features", "Features")],
        caption="Cross-validated ROC AUC: how often a model ranks a selected nominee above an unselected one (0.5 is chance).",
    )
    body += paragraph(model.get("message", ""))
    return section("What explains the panel's picks", body, anchor="models")


def nominee_frame(report: YearReport) -> pd.DataFrame:
    """Nominees with their headline figures and model score, selected first, best score first."""
    features = report.features.copy()
    features["engagement_per_own_post"] = engagement_per_own_post(features)
    features["followers"] = (10 ** features["log10_followers"] - 1).round()
    scores = report.scores[report.scores["model"] == FULL_MODEL][["nominee_id", "score"]] if not report.scores.empty else pd.DataFrame(columns=["nominee_id", "score"])
    frame = features.merge(scores, on="nominee_id", how="left").sort_values(["selected", "score"], ascending=[False, False], na_position="last")
    frame["decision"] = ["selected" + (f" (rank {int(r)})" if pd.notna(r) else "") if s else "not selected" for s, r in zip(frame["selected"], frame["rank"])]
    return frame


def nominees_section(report: YearReport) -> str:
    """Every nominee: a sortable table of headline figures, then an evidence card each."""
    frame = nominee_frame(report)
    columns = [
        ("name", "Nominee"), ("category", "Category"), ("decision", "Panel"), ("posts_per_day", "Posts per day"),
        ("engagement_per_own_post", "Engagement per own post"), ("followers", "Followers"), ("score", "Model score"),
    ]
    note = paragraph(
        "Model score: the probability of selection that the volume-plus-engagement model gives a nominee when that nominee "
        "was held out of fitting (averaged over the cross-validation repeats). Click a column heading to sort the table."
    )
    formats = {"followers": lambda v: fmt_number(int(v)) if pd.notna(v) else "–"}
    cards_note = paragraph(
        "Each card sets a nominee's headline figures against the median nominee of the year. In the small chart, a bar to the "
        "right of the line is above the median and one to the left below it (each step is a doubling, up to eight times). "
        "Under the chart: the nominee's archetype, the full influence model's score with its interval, and which families of "
        "features carry the nominee up or hold them back (their contributions to the log-odds of selection)."
    )
    cards = "<h3 id=\"cards\">Evidence cards</h3>" + cards_note + cards_html(frame, model_explanations(report))
    return section("The nominees", note + table(frame, columns, formats=formats, css_class="data nominees", sortable=True) + cards, anchor="nominees")


def appendix_section(report: YearReport) -> str:
    """Methods, data quality and the feature dictionary."""
    ingest = report.ingest
    methods = (
        "<h3>Methods</h3>"
        + paragraph(
            f"Activity is measured over the observation window of {int(report.features['observation_days'].iloc[0]) if len(report.features) else 0} days "
            "covered by the year's exports. Features are computed per nominee from their posts and account metrics "
            "(definitions below). Two logistic regression models (median imputation, log(1 + x) of heavy-tailed features, "
            "standardisation, L2 penalty) are compared on the same repeated stratified cross-validation folds. "
            "The explanation on each evidence card comes from the volume-plus-engagement model fitted once on the whole year: "
            "a feature lifts a nominee when its coefficient times the nominee's standardised value adds at least 0.25 to the "
            "log-odds of selection, and holds them back when it takes at least 0.25 away."
        )
    )
    platforms = ingest.get("platforms", {})
    platform_text = "; ".join(f"{name}: {p.get('files', 0)} file(s), {p.get('posts', 0):,} posts" for name, p in sorted(platforms.items())) or "none"
    missing = ingest.get("handles_without_exports", {})
    quality_rows = pd.DataFrame(
        [
            ("Files read", f"{len(ingest.get('files_read', []))} (" + ", ".join(ingest.get("files_read", [])[:8]) + (", …" if len(ingest.get("files_read", [])) > 8 else "") + ")"),
            ("Platforms read", platform_text),
            ("Nominees (selected)", f"{ingest.get('nominees')} ({ingest.get('selected')})"),
            ("Nominees with no account found", len(ingest.get("nominees_without_accounts", []))),
            ("Handles given for platforms with no exports this year", ", ".join(f"{k}: {v}" for k, v in sorted(missing.items())) or "none"),
            ("Posts read (by nominees)", f"{ingest.get('posts', 0):,} ({ingest.get('nominee_posts', 0):,})"),
            ("Blog posts read", ingest.get("blog_posts", 0)),
            ("Account-level metric rows read", ingest.get("metric_rows", 0)),
            ("Interactions", f"{ingest.get('interactions', 0):,}"),
            ("Errors reported by the platforms' APIs in the exports", ingest.get("api_errors", ingest.get("x_api_errors", 0))),
            ("Accounts pseudonymised (not nominees)", f"{ingest.get('pseudonymised_accounts', 0):,}"),
            ("Records rejected" + (" (quarantine mode)" if ingest.get("quarantine") else " (strict mode: any bad record stops the run)"), ingest.get("rejected_records", 0)),
            ("First and last post", f"{ingest.get('first_post')} to {ingest.get('last_post')}"),
        ],
        columns=["item", "value"],
    )
    quality = "<h3>Data quality</h3>" + table(quality_rows, [("item", "What"), ("value", "Count or value")])
    rejected = ingest.get("rejected_by_file", {})
    if rejected:
        quality += table(pd.DataFrame(sorted(rejected.items()), columns=["file", "records"]), [("file", "File"), ("records", "Records rejected")], caption="Rejected records by file (reasons in rejected.csv)")
    quality += paragraph("Accounts that are not nominees are replaced by keyed pseudonyms and never named in this report.")
    dictionary = "<h3>Feature dictionary</h3>" + table(
        report.dictionary,
        [("name", "Feature"), ("family", "Family"), ("definition", "Definition"), ("unit", "Unit"), ("direction", "Higher means"), ("when_undefined", "When undefined"), ("source", "Source")],
        css_class="data dictionary",
        sortable=True,
    )
    return section("Appendix: methods, data quality and feature dictionary", methods + quality + dictionary, anchor="appendix")


def report_card(report: YearReport) -> dict[str, Any]:
    """The few figures the index page shows for this year."""
    card: dict[str, Any] = {
        "year": report.run.year,
        "simulated": bool(report.ingest.get("simulated")),
        "nominees": int(len(report.features)),
        "selected": int(report.features["selected"].sum()),
        "verdict": report.model.get("verdict", report.model.get("headline", "")),
        "status": report.model.get("status"),
    }
    for entry in report.model.get("models", []):
        card[f"auc {entry['model']}"] = entry["auc_mean"]
    features = report.features
    card["categories"] = {
        str(category): {"nominees": int(len(group)), "selected": int(group["selected"].astype(bool).sum())}
        for category, group in features.groupby("category", sort=True)
    }
    card["nominees_list"] = [
        {"nominee_id": str(i), "name": str(n), "selected": bool(s)}
        for i, n, s in zip(features["nominee_id"], features["name"], features["selected"].astype(bool))
    ]
    return card
