"""The models compared: what each is (names and descriptions from :mod:`src.model.names`),
one table of their cross-validated scores, and the comparison's answer as the model card
words it (``card["comparison"]``, never recomputed).

Every ROC AUC in the table is the comparison record's (the same figures as
``evaluation.csv``), printed as every page prints an AUC (:func:`src.report.format.auc`);
log loss and the Brier score come from ``evaluation.csv``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from src.model.names import describe
from src.report.format import MISSING, auc, fixed, is_number, span
from src.report.glossary import term_link
from src.report.html import esc, paragraph, section, table
from src.report.load import YearReport
from src.report.outputs import usable
from src.report.sections.common import TITLES

#: The metrics of ``evaluation.csv`` besides the AUC, in words, in table order.
METRIC_WORDS = {
    "log_loss": "Log loss (lower is better)",
    "brier": "Brier score (lower is better)",
}


def _interval(mean: Any, low: Any, high: Any, fmt=fixed) -> str:
    """A mean and its range over folds: "0.93 (0.88 to 0.96)"."""
    if not is_number(mean):
        return MISSING
    if is_number(low) and is_number(high):
        return f"{fmt(mean)} ({span(low, high, fmt=lambda v, _d: fmt(v))})"
    return fmt(mean)


def model_table(report: YearReport) -> str:
    """Every model of the comparison: what it is, its ROC AUC (from the card's record) and
    its log loss and Brier score (from ``evaluation.csv``), mean and 95% range over folds."""
    comparison = report.outputs.comparison()
    models = comparison.get("models")
    if not isinstance(models, dict) or not models:
        return ""
    rows = []
    for name, entry in models.items():
        rows.append(
            {
                "model": str(name),
                "what": describe(str(name)),
                "auc": _interval(entry.get("mean"), entry.get("low"), entry.get("high"), auc),
            }
        )
    frame = pd.DataFrame(rows)
    evaluation = report.outputs.evaluation
    metrics = []
    if usable(evaluation, "model", "metric", "mean"):
        has = {"low", "high"} <= set(evaluation.columns)
        for metric in METRIC_WORDS:
            chosen = evaluation[evaluation["metric"] == metric].set_index("model")
            if chosen.empty:
                continue
            metrics.append(metric)
            frame[metric] = [
                _interval(
                    chosen["mean"].get(m),
                    chosen["low"].get(m) if has else None,
                    chosen["high"].get(m) if has else None,
                )
                if m in chosen.index
                else MISSING
                for m in frame["model"]
            ]
    caption = (
        "Cross-validated, grouped by person: mean and, in brackets, the range of 95% of the "
        f"{comparison.get('folds', '')} tests. {comparison.get('method') or ''}"
    )
    return '<h3 id="validation">The models compared</h3>' + table(
        frame,
        [
            ("model", "Model"),
            ("what", "Fitted on"),
            ("auc", "ROC AUC (higher is better)"),
            *[(m, METRIC_WORDS[m]) for m in metrics],
        ],
        css_class="data models",
        caption=caption.strip(),
    )


def models_section(report: YearReport) -> str:
    """The models compared: what each is, one table of their scores, and the answer."""
    title, anchor = TITLES["models"], "models"
    outputs = report.outputs
    comparison = outputs.comparison()
    table_html = model_table(report)
    if not table_html:
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
    body = (
        "<p>Each model learns from some of the nominees and is scored on others it did not "
        f"see ({term_link('cross-validation')}); the answer compares the full influence model "
        "with the volume-only model on the same tests, one test at a time. See "
        f"{term_link('ROC AUC')}, {term_link('log loss')} and {term_link('Brier score')} in "
        "the glossary.</p>"
    )
    if comparison.get("numbers"):
        body += paragraph(str(comparison["numbers"]))
    body += table_html
    if comparison.get("sentence"):
        body += f'<p class="finding">{esc(comparison["sentence"])}</p>'
    return section(title, body, anchor=anchor)
