"""The model step's outputs, read defensively."""

from __future__ import annotations

import json
from pathlib import Path

from src.report.outputs import read_model_outputs
from tests.report.helpers import card


def test_model_outputs_are_read_defensively(tmp_path: Path) -> None:
    assert read_model_outputs(tmp_path / "nowhere").card == {}
    model = tmp_path / "model"
    model.mkdir()
    (model / "card.json").write_text(json.dumps(card("ok", notes=["No earlier year to train on."])))
    (model / "importance.csv").write_text("family,mean\nengagement,0.2\n")
    (model / "review.csv").write_bytes(b"\xff\xfe\x00garbage")
    outputs = read_model_outputs(model)
    assert outputs.fitted and outputs.notes() == ["No earlier year to train on."]
    assert outputs.importance is not None and outputs.evaluation is None
    assert outputs.review is None and any(
        "review.csv could not be read" in p for p in outputs.problems
    )
