"""The models compared, named once: every module, notebook, report and test reads them here.

The comparison's headline pair is :data:`BASELINE` (volume alone, the "prolific"
explanation) against :data:`FULL` (every feature family, the "influential" one); the
other two models are shown beside them in the evaluation table.
"""

from __future__ import annotations

from enum import StrEnum


class ModelName(StrEnum):
    """A model of the comparison; its value is the name written in outputs and reports."""

    VOLUME_ONLY = "volume only"
    REACH_ONLY = "reach only"
    INFLUENCE_LOGISTIC = "influence (logistic)"
    INFLUENCE_BOOSTED = "influence (boosted)"

    @property
    def description(self) -> str:
        """What the model is, in one plain line."""
        return DESCRIPTIONS[self]

    @property
    def label(self) -> str:
        """How a sentence names the model ("the volume-only model")."""
        return LABELS[self]


#: The prolific baseline of the headline comparison.
BASELINE = ModelName.VOLUME_ONLY
#: The full influence model of the headline comparison.
FULL = ModelName.INFLUENCE_LOGISTIC

#: One plain line per model: what it is fitted on.
DESCRIPTIONS: dict[ModelName, str] = {
    ModelName.VOLUME_ONLY: "how much a nominee posts, and nothing else (the prolific explanation)",
    ModelName.REACH_ONLY: "followers and list memberships, and nothing else",
    ModelName.INFLUENCE_LOGISTIC: (
        "every feature family, in a regularised logistic regression (the influential explanation)"
    ),
    ModelName.INFLUENCE_BOOSTED: (
        "every feature family, in a gradient-boosted model that can bend where the logistic "
        "regression cannot"
    ),
}
#: How a sentence names each model.
LABELS: dict[ModelName, str] = {
    ModelName.VOLUME_ONLY: "the volume-only model",
    ModelName.REACH_ONLY: "the reach-only model",
    ModelName.INFLUENCE_LOGISTIC: "the full influence model",
    ModelName.INFLUENCE_BOOSTED: "the boosted influence model",
}


def label(name: str) -> str:
    """How a sentence names the model called ``name`` ("the <name> model" if not known here)."""
    try:
        return ModelName(name).label
    except ValueError:
        return f"the {name} model"


def describe(name: str) -> str:
    """The one-line description of the model called ``name`` (a name not known here is echoed)."""
    try:
        return ModelName(name).description
    except ValueError:
        return str(name)
