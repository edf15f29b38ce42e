"""The head of a year's briefing: the title block, and the page a panel member reads in
five minutes.

That page says, in plain words and with a handful of numbers each explained where it
stands: what the evidence says about the panel's picks (the comparison's verdict and its
two AUCs as "times in 100", from ``card["comparison"]`` as the model step wrote it, never
recomputed); what the panel might look at again, one sentence each; what the data
covered; and how sure we are (the paired fold differences the verdict rests on, and the
limits). The detail follows in the other sections, the terms in the glossary.
"""

from __future__ import annotations

from typing import Any

from src.model.names import BASELINE, FULL
from src.report.figures import engagement_per_own_post
from src.report.format import auc, compact, plain_text, times_in_100
from src.report.glossary import term_link
from src.report.html import esc, paragraph, section
from src.report.load import YearReport
from src.report.sections.common import CONTENTS, FOR_THE_PANEL, TITLES, selected_flags
from src.report.sections.coverage import coverage_sentences
from src.report.sections.review import shortlist

#: The answer in one plain sentence, by verdict.
ANSWERS = {
    "influence": "This year the panel's picks follow what nominees' posts earned, not how much "
    "they posted.",
    "volume": "This year the panel's picks follow how much nominees posted more than what "
    "their posts earned.",
    "unclear": "This year the evidence cannot tell whether the panel's picks follow what "
    "nominees' posts earned or how much they posted.",
}


def _contents(css_class: str, heading: str = "") -> str:
    """The contents list: the panel's sections, then the detail."""

    def items(anchors: list[str]) -> str:
        return "".join(
            f'<li><a href="#{anchor}">{esc(TITLES[anchor])}</a></li>' for anchor in anchors
        )

    panel = [a for a, _ in CONTENTS if a in FOR_THE_PANEL]
    detail = [a for a, _ in CONTENTS if a not in FOR_THE_PANEL]
    return (
        f'<nav class="{css_class}" aria-label="Contents">{heading}'
        f'<p class="part">For the panel</p><ol>{items(panel)}</ol>'
        f'<p class="part">The detail</p><ol start="{len(panel) + 1}">{items(detail)}</ol></nav>'
    )


def _jump() -> str:
    """One line of links to what a panel member looks for (on screen)."""
    links = (
        ("review", "the decisions to look at again"),
        ("nominees", "find a nominee"),
        ("glossary", "the glossary"),
        ("contents", "all contents"),
    )
    return (
        '<p class="jump screen-only">Jump to: '
        + " · ".join(f'<a href="#{anchor}">{esc(words)}</a>' for anchor, words in links)
        + "</p>"
    )


def title_block(report: YearReport) -> str:
    """Title, the simulated-data notice where it applies, and links to what a panel member
    looks for; the contents follow the five-minute page (on paper, a page of their own)."""
    year = report.run.year
    notice = ""
    if report.ingest.get("simulated"):
        notice = (
            '<p class="notice"><strong>Simulated data.</strong> This report was made from the '
            "bundled simulated sample: the nominees, accounts and posts are invented, and the "
            "findings describe the simulation, not any real panel or person.</p>"
        )
    return (
        f"<header><h1>Influence or volume? The {year} list</h1>"
        f'<p class="lede">What set the nominees the panel selected in {year} apart from the '
        "rest: how much they posted, or what their posts earned. The first page is for the "
        "panel; the detail, a glossary and the methods follow.</p>"
        f"{notice}{_jump()}</header>"
    )


def _comparison(report: YearReport) -> dict[str, Any] | None:
    """The comparison's headline record when it has a verdict, else None."""
    comparison = report.outputs.comparison()
    models = comparison.get("models")
    if not comparison.get("verdict") or not isinstance(models, dict):
        return None
    if str(comparison.get("baseline")) not in models or str(comparison.get("full")) not in models:
        return None
    return comparison


def evidence_says(report: YearReport) -> list[str]:
    """What the evidence says, as escaped HTML sentences (the AUCs as times in 100)."""
    out = []
    comparison = _comparison(report)
    if comparison is not None:
        models = comparison["models"]
        full = models[str(comparison.get("full", FULL))]["mean"]
        volume = models[str(comparison.get("baseline", BASELINE))]["mean"]
        out.append(
            "Judged on all the evidence (what posts earned, reach, who engaged and the rest), "
            "the model ranks a selected nominee above an unselected one "
            f"<strong>{times_in_100(full)} times in 100</strong>; judged on how much they post "
            f"alone, <strong>{times_in_100(volume)} times in 100</strong>, where a coin toss "
            f"gets 50. (These are the models' {term_link('ROC AUC')}: {auc(full)} and "
            f"{auc(volume)}.)"
        )
    medians = medians_sentence(report)
    if medians:
        out.append(esc(medians))
    return out


def medians_sentence(report: YearReport) -> str | None:
    """The selected against the others: median posts a day and engagement per own post."""
    features = report.features
    if features.empty or "posts_per_day" not in features.columns:
        return None
    selected = selected_flags(features)
    if not selected.any() or selected.all():
        return None
    engagement = engagement_per_own_post(features)
    posts = features["posts_per_day"]
    text = (
        f"The selected posted a median of {compact(round(posts[selected].median(), 1))} posts a "
        f"day, the others {compact(round(posts[~selected].median(), 1))}"
    )
    if engagement.notna().any():
        text += (
            f"; each own post of the selected earned a median of "
            f"{compact(round(engagement[selected].median(), 1))} reposts, replies and likes, "
            f"the others' {compact(round(engagement[~selected].median(), 1))}"
        )
    return text + "."


def how_sure(report: YearReport) -> list[str]:
    """How firm the answer is (the paired fold differences) and its limits, as escaped HTML."""
    out = []
    comparison = _comparison(report)
    difference = comparison.get("difference") if comparison else None
    if comparison is not None and isinstance(difference, dict):
        folds = int(difference["folds"])
        wins = round(float(difference["share_of_folds_better"]) * folds)
        low, high, mean = difference["low"], difference["high"], difference["mean"]
        verdict = str(comparison["verdict"])
        tests = (
            f"tests on nominees the models had not learnt from ({term_link('cross-validation')} "
            f"{term_link('fold', 'folds')})"
        )
        if verdict == "volume":
            lead = (
                f"Firm on the main answer: in {folds - wins} of {folds} {tests}, volume alone "
                "ranked the picks better than all the evidence"
            )
        else:
            lead = (
                ("Firm on the main answer" if verdict == "influence" else "Not firm")
                + f": in {'all' if wins == folds else f'{wins} of'} {folds} {tests}, all the "
                "evidence ranked the picks better than volume alone"
            )
        out.append(
            f"{lead}; the difference in AUC (all the evidence minus volume alone) was "
            f"{auc(mean)} on average, and 95% of the tests lie between {auc(low)} and "
            f"{auc(high)}"
            + (", a range that includes no difference." if verdict == "unclear" else ".")
        )
    out.append(
        esc(
            "Less firm on single nominees: a score rests on a few weeks of public activity, and "
            "the label the model learns from is one panel's judgement, which sees more than "
            "the exports do."
        )
    )
    if report.ingest.get("simulated"):
        out.append(esc("The data are simulated: nothing here describes a real person."))
    return out


def _listed(items: list[str]) -> str:
    """Escaped HTML sentences as a list ("" when empty)."""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>" if items else ""


def summary_section(report: YearReport) -> str:
    """The page a panel member reads in five minutes."""
    outputs = report.outputs
    comparison = _comparison(report)
    if comparison is not None:
        finding = ANSWERS[str(comparison["verdict"])]
    elif outputs.fitted:
        finding = plain_text(
            outputs.comparison().get("sentence")
            or "The models were fitted, but their comparison was not written, so no verdict "
            "is given."
        )
    else:
        reason = plain_text(outputs.reason()) if outputs.card else "no model outputs were found"
        finding = (
            f"No model could be fitted for {report.run.year}: {str(reason).rstrip('.')}. "
            "What follows is descriptive only."
        )
    body = f'<p class="finding">{esc(finding)}</p>'
    body += "<h3>What the evidence says</h3>" + _listed(evidence_says(report))
    picks = shortlist(report)
    body += "<h3>What the panel might look at again</h3>"
    if picks:
        body += paragraph(
            "The decisions the evidence questions most, one sentence each (the full list, "
            "with each nominee's evidence card, follows):"
        ) + _listed([f"{who}: {esc(reason)}" for who, reason in picks])
    else:
        body += paragraph(
            "No list this year: without a fitted model there is no evidence-based ranking to "
            "set the panel's decisions against."
        )
    body += "<h3>What the data covered</h3>" + _listed([esc(s) for s in coverage_sentences(report)])
    body += "<h3>How sure we are</h3>" + _listed(how_sure(report))
    notes = [plain_text(n) for n in outputs.notes()]
    if notes:
        body += (
            '<p class="muted"><strong>What could not be done this year.</strong> '
            + esc(" ".join(notes))
            + "</p>"
        )
    return section(TITLES["headline"], body, anchor="headline") + _contents(
        "contents", '<h2 id="contents">Contents</h2>'
    )
