"""Archetypes in words, wherever they are shown: what each name means, and how many of
each the panel selected.

The names are fixed rules of the model step (:data:`src.model.archetypes.ARCHETYPE_RULES`,
with "typical nominee" and "mixed profile"): the same names every year, so years compare
like with like. Their meanings are read from the model card (``archetype_rules``) and,
for a card that lacks them, from the rules themselves.
"""

from __future__ import annotations

from src.model.archetypes import (
    ARCHETYPE_RULES,
    ARCHETYPE_THRESHOLD,
    MIXED_ARCHETYPE,
    RESIDUAL_ARCHETYPE,
)
from src.report.format import plain_text
from src.report.html import esc
from src.report.load import YearReport
from src.report.sections.common import selected_flags

#: Every archetype name in a fixed order (the rules', then the mixed and the typical):
#: the order of keys, tables and colours on every page.
ARCHETYPE_ORDER: tuple[str, ...] = (
    *(rule.name for rule in ARCHETYPE_RULES),
    MIXED_ARCHETYPE,
    RESIDUAL_ARCHETYPE,
)
#: What each name means, as the rules say it.
MEANINGS: dict[str, str] = {
    **{rule.name: rule.meaning for rule in ARCHETYPE_RULES},
    MIXED_ARCHETYPE: "departs from the average nominee, but in no pattern the other names describe",
    RESIDUAL_ARCHETYPE: f"within {ARCHETYPE_THRESHOLD} standard deviations of the year's "
    "average nominee on every kind of evidence",
}


def archetype_rank(name: str) -> tuple[int, str]:
    """Sort key of an archetype name: its place in :data:`ARCHETYPE_ORDER`, unknown last."""
    return (ARCHETYPE_ORDER.index(name) if name in ARCHETYPE_ORDER else len(ARCHETYPE_ORDER), name)


def meanings(report: YearReport) -> dict[str, str]:
    """name -> meaning: the rules' own words, and the model card's for a name the rules
    here do not know."""
    found = report.outputs.card.get("archetype_rules")
    card = {str(k): plain_text(v) for k, v in found.items()} if isinstance(found, dict) else {}
    return {**card, **MEANINGS}


def archetype_sentence(report: YearReport) -> str | None:
    """How many of each archetype the panel selected, highest share first."""
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
        "Selected, by archetype (groups of nominees with a similar style, defined below): "
        + "; ".join(parts)
        + "."
    )


def archetype_definitions(report: YearReport, names: list[str] | None = None) -> str:
    """The archetypes shown this year (or ``names``), each defined in words ("" without)."""
    if names is None:
        frame = report.model_nominees
        if frame is None or frame.empty or "archetype" not in frame.columns:
            return ""
        names = sorted({str(a) for a in frame["archetype"].dropna()}, key=archetype_rank)
    if not names:
        return ""
    return definitions_html(names, meanings(report))


#: What an archetype name this module does not know is said to be.
UNKNOWN = "a group of nominees with a similar style"


def definitions_html(names: list[str], words: dict[str, str] = MEANINGS) -> str:
    """Each archetype of ``names`` with its meaning, as a definition list ("" without)."""
    items = "".join(
        f"<dt>{esc(name)}</dt><dd>{esc(words.get(name, UNKNOWN))}</dd>" for name in names
    )
    return f'<dl class="archetypes-defined">{items}</dl>' if items else ""
