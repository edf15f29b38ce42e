"""The model names (src.model.names): defined once, with the headline pair and descriptions."""

from __future__ import annotations

from src.model import BASELINE, FULL, ModelName
from src.model.names import DESCRIPTIONS, LABELS, describe, label


def test_every_model_has_one_name_a_label_and_a_one_line_description() -> None:
    assert [str(m) for m in ModelName] == [
        "volume only",
        "reach only",
        "influence (logistic)",
        "influence (boosted)",
    ]
    assert set(DESCRIPTIONS) == set(LABELS) == set(ModelName)
    for model in ModelName:
        assert model.description and "\n" not in model.description
        assert model.label.startswith("the ") and model.label.endswith(" model")


def test_the_headline_pair_is_volume_alone_against_the_full_logistic_model() -> None:
    assert BASELINE is ModelName.VOLUME_ONLY and FULL is ModelName.INFLUENCE_LOGISTIC
    assert BASELINE == "volume only" and f"{FULL}" == "influence (logistic)"
    assert label(BASELINE) == "the volume-only model" and label(FULL) == "the full influence model"


def test_names_read_back_from_outputs_and_unknown_names_are_echoed() -> None:
    assert ModelName("reach only") is ModelName.REACH_ONLY
    assert describe("influence (boosted)") == ModelName.INFLUENCE_BOOSTED.description
    assert label("something else") == "the something else model"
    assert describe("something else") == "something else"
