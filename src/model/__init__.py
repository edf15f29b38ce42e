"""Models of the panel's picks: a volume-only baseline against influence features."""

from src.model.compare import (
    MODEL_SETS,
    ModelComparison,
    compare_models,
    headline,
    make_classifier,
    write_comparison,
)

__all__ = [
    "MODEL_SETS",
    "ModelComparison",
    "compare_models",
    "headline",
    "make_classifier",
    "write_comparison",
]
