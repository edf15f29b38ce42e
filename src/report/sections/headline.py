"""The head of a year's briefing: the title block, and the one-page summary.

The summary says what distinguished the nominees the panel selected from the rest, with
the numbers: the comparison's verdict as the model step worded it (``card["comparison"]``,
shown as it is, never recomputed), then one line each on the families that carry
influence, volume at equal influence, how many picks the evidence backs, the archetypes,
and the descriptive medians.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from src.report.figures import engagement_per_own_post
from src.report.format import number
from src.report.html import bullets, esc, paragraph, section
from src.report.load import YearReport
from src.report.sections.common import CONTENTS, TITLES, selected_flags
from src.report.sections.families import family_sentence
from src.report.sections.volume_effect import volume_sentence


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


def verdict_sentence(comparison: dict[str, Any]) -> str | None:
    """The comparison's answer in words, as the model step wrote it (None without a verdict).

    The verdict rests on the paired difference of the full model over volume alone on the
    same folds (:func:`src.model.validation.comparison_summary`), and is worded there.
    """
    if not comparison.get("verdict") or not comparison.get("sentence"):
        return None
    return str(comparison["sentence"])


def backing(report: YearReport) -> dict[str, Any] | None:
    """How many of the selected the evidence backs: places within the model's top N (N = picks)."""
    frame = report.model_nominees
    if (
        frame is None
        or frame.empty
        or "rank" not in frame.columns
        or "selected" not in frame.columns
    ):
        return None
    selected = selected_flags(frame)
    n_selected = int(selected.sum())
    if n_selected == 0:
        return None
    rank = pd.to_numeric(frame["rank"], errors="coerce")
    low = pd.to_numeric(frame["rank_low"], errors="coerce") if "rank_low" in frame.columns else rank
    high = (
        pd.to_numeric(frame["rank_high"], errors="coerce") if "rank_high" in frame.columns else rank
    )
    intervals = bool(((high - low) > 0).any())
    return {
        "places": n_selected,
        "nominees": int(len(frame)),
        "backed": int((selected & (rank <= n_selected)).sum()),
        "clearly_backed": int((selected & (high <= n_selected)).sum()),
        "not_backed": int((selected & (rank > n_selected)).sum()),
        "clearly_not_backed": int((selected & (low > n_selected)).sum()),
        "intervals": intervals,
    }


def backing_sentence(report: YearReport) -> str | None:
    """How many picks the model places within its own top N, allowing for uncertainty."""
    b = backing(report)
    if b is None:
        return None
    source = report.outputs.card.get("scores_from")
    places = b["places"]
    text = (
        f"Of the {places} selected, the model places {b['backed']} within its own top {places} "
        f"of {b['nominees']} (the evidence backs them) and {b['not_backed']} outside it."
    )
    if b["intervals"]:
        text += (
            f" Allowing for uncertainty, {b['clearly_backed']} stay in the top {places} across "
            f"their whole rank interval, and {b['clearly_not_backed']} stay outside it even at "
            "the optimistic end."
        )
    else:
        text += (
            " Rank intervals are not available this year, so these counts carry no allowance "
            "for uncertainty."
        )
    if source:
        text += f" Scores come from {source}."
    return text


def archetype_sentence(report: YearReport) -> str | None:
    """How many of each archetype were selected, highest rate first."""
    frame = report.model_nominees
    if (
        frame is None
        or frame.empty
        or "archetype" not in frame.columns
        or "selected" not in frame.columns
    ):
        return None
    grouped = (
        frame.assign(s=selected_flags(frame))
        .groupby(frame["archetype"].astype(str))["s"]
        .agg(["sum", "size"])
    )
    grouped["rate"] = grouped["sum"] / grouped["size"]
    grouped = grouped.sort_values(["rate", "size"], ascending=[False, False])
    parts = [f"{name} {int(r['sum'])} of {int(r['size'])}" for name, r in grouped.iterrows()]
    return (
        "Selected, by archetype (clusters of nominees with similar profiles): "
        + "; ".join(parts)
        + "."
    )


def medians_sentence(report: YearReport) -> str | None:
    """The selected against the others: median posts a day and engagement per own post."""
    features = report.features
    if features.empty or "posts_per_day" not in features.columns:
        return None
    selected = selected_flags(features)
    engagement = engagement_per_own_post(features)
    posts = features["posts_per_day"]
    return (
        f"{int(selected.sum())} of {len(features)} nominees were selected. "
        f"The selected posted a median of {number(posts[selected].median())} posts a day "
        f"against {number(posts[~selected].median())} for the others, "
        f"and earned a median of {number(engagement[selected].median())} reposts, replies and "
        f"likes per own post against {number(engagement[~selected].median())}."
    )


def summary_section(report: YearReport) -> str:
    """The one-page summary: what distinguished influential from prolific this year, with
    numbers (the comparison's verdict and figures as the model card holds them)."""
    outputs = report.outputs
    comparison = outputs.comparison()
    verdict = verdict_sentence(comparison)
    items: list[str | None] = []
    if verdict:
        method = comparison.get("method")
        items.append(
            str(comparison.get("numbers") or "") + (f" Validation: {method}" if method else "")
        )
        finding = verdict
    elif outputs.fitted:
        finding = str(
            comparison.get("sentence")
            or "The models were fitted, but their comparison was not written, so no verdict "
            "is given."
        )
    else:
        reason = outputs.reason() if outputs.card else "no model outputs were found"
        finding = (
            f"No model could be fitted for {report.run.year}: {str(reason).rstrip('.')}. "
            "What follows is descriptive only."
        )
    items += [
        family_sentence(outputs.importance),
        volume_sentence(report),
        backing_sentence(report),
        archetype_sentence(report),
        medians_sentence(report),
    ]
    body = f'<p class="finding">{esc(finding)}</p>' + bullets(
        [i for i in items if i], css_class="summary"
    )
    notes = outputs.notes()
    if notes:
        body += (
            "<p><strong>What could not be done this year.</strong> " + esc(" ".join(notes)) + "</p>"
        )
    body += paragraph(
        "These figures describe what the panel's decisions followed in the exports read, not what "
        "influence is: the label is one panel's judgement, and small groups make every number "
        "uncertain. The sections below give the detail, each with its intervals."
    )
    return section(TITLES["headline"], body, anchor="headline")
