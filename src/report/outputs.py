"""The model step's outputs as the report reads them: every file optional, read defensively.

The model step (:mod:`src.model.run`) writes ``data/processed/<year>/model/``. Any file
may be missing (too few picks, no earlier year, a failed step) and columns may be added
by a newer model step, so each table is read on its own: a missing or unreadable file is
``None`` here, with the reason kept in :attr:`ModelOutputs.problems`, and the sections
say in words what cannot be shown instead of raising at a stakeholder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

import pandas as pd

#: attribute -> file name in ``model/``
TABLES = {
    "evaluation": "evaluation.csv",
    "calibration": "calibration.csv",
    "coefficients": "coefficients.csv",
    "importance": "importance.csv",
    "volume_effect": "volume_effect.csv",
    "review": "review.csv",
    "categories": "categories.csv",
    "archetypes": "archetypes.csv",
}


@dataclass(frozen=True)
class ModelOutputs:
    """What the model step wrote for a year (``None`` where a file is absent or unreadable)."""

    card: dict[str, Any] = field(default_factory=dict)
    evaluation: pd.DataFrame | None = None
    calibration: pd.DataFrame | None = None
    coefficients: pd.DataFrame | None = None
    importance: pd.DataFrame | None = None
    volume_effect: pd.DataFrame | None = None
    review: pd.DataFrame | None = None
    categories: pd.DataFrame | None = None
    archetypes: pd.DataFrame | None = None
    #: files that exist but could not be read, in words
    problems: tuple[str, ...] = ()

    @property
    def status(self) -> str | None:
        """The validation status in the model card (``"ok"`` when models were fitted)."""
        validation = self.card.get("validation")
        return validation.get("status") if isinstance(validation, dict) else None

    @property
    def fitted(self) -> bool:
        """True when the model step fitted its models this year."""
        return self.status == "ok"

    def reason(self) -> str:
        """Why model outputs are missing, in words, from the card (or a generic sentence)."""
        found = self.card.get("validation")
        validation: dict[str, Any] = found if isinstance(found, dict) else {}
        if validation.get("status") not in (None, "ok") and validation.get("message"):
            return str(validation["message"])
        if self.problems:
            return "; ".join(self.problems)
        if not self.card:
            return "the model step wrote no model card for this year"
        return "the model step did not write it this year"

    def comparison(self) -> dict[str, Any]:
        """The comparison's headline record in the card (``card["comparison"]``: the models'
        AUCs, their paired difference, the verdict and its sentences), or ``{}``.

        Every figure of the comparison that a report or the index shows comes from here;
        see :func:`src.model.validation.comparison_summary` for its fields.
        """
        comparison = self.card.get("comparison")
        return comparison if isinstance(comparison, dict) else {}

    def notes(self) -> list[str]:
        """The card's notes (fallbacks the model step took), as plain strings."""
        notes = self.card.get("notes") or []
        return [str(n) for n in notes] if isinstance(notes, list) else [str(notes)]


def usable(frame: pd.DataFrame | None, *columns: str) -> TypeGuard[pd.DataFrame]:
    """True when ``frame`` has rows and every one of ``columns`` (so it is not None)."""
    return frame is not None and not frame.empty and all(c in frame.columns for c in columns)


def read_model_outputs(model_dir: Path) -> ModelOutputs:
    """Read every output of the model step that is there; never raises for a missing or bad file."""
    model_dir = Path(model_dir)
    problems: list[str] = []
    card: dict[str, Any] = {}
    card_path = model_dir / "card.json"
    if card_path.is_file():
        try:
            loaded = json.loads(card_path.read_text(encoding="utf-8"))
            card = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError) as exc:
            problems.append(f"card.json could not be read ({type(exc).__name__})")
    tables: dict[str, pd.DataFrame | None] = {}
    for name, file in TABLES.items():
        path = model_dir / file
        tables[name] = None
        if not path.is_file():
            continue
        try:
            tables[name] = pd.read_csv(path)
        except (OSError, ValueError, pd.errors.ParserError) as exc:
            problems.append(f"{file} could not be read ({type(exc).__name__})")
    return ModelOutputs(card=card, problems=tuple(problems), **tables)


def read_model_nominees(model_dir: Path) -> pd.DataFrame | None:
    """``model/nominees.parquet`` (per-nominee score, rank, explanation, archetype), or None."""
    path = Path(model_dir) / "nominees.parquet"
    if not path.is_file():
        return None
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError):
        return None
