"""The models compared: what each is (names and descriptions from :mod:`src.model.names`),
one table of their cross-validated scores (``evaluation.csv``), and the comparison's
answer as the model card words it (``card["comparison"]``, never recomputed)."""

from __future__ import annotations

from typing import Any

from src.model.names import describe, label
from src.report.format import fixed, is_number, with_span
from src.report.html import bullets, esc, paragraph, section, table
from src.report.load import YearReport
from src.report.outputs import usable
from src.report.sections.common import TITLES

#: The metrics of ``evaluation.csv`` in words, in the order the table shows them.
METRIC_WORDS = {
    "auc": "ROC AUC (higher is better)",
    "log_loss": "log loss (lower is better)",
    "brier": "Brier score (lower is better)",
}


def evaluation_table(report: YearReport) -> str:
    """The model step's validation: every model and metric, mean and 95% range across folds."""
    outputs = report.outputs
    evaluation = outputs.evaluation
    if not usable(evaluation, "model", "metric", "mean"):
        return ""
    frame = evaluation.copy()
    has = "low" in frame.columns and "high" in frame.columns
    frame["value"] = [
        with_span(m, lo, hi, digits=3) if has and is_number(lo) and is_number(hi) else fixed(m, 3)
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
    metrics = [m for m in METRIC_WORDS if m in wide.columns] + [
        m for m in wide.columns if m != "model" and m not in METRIC_WORDS
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
    title, anchor = TITLES["models"], "models"
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
            anchor=anchor,
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
    return section(title, body, anchor=anchor)
