"""Invented post texts and API time stamps, shared by the simulated platforms' writers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np

_WORDS = (
    "handover",
    "ward",
    "rota",
    "patients",
    "team",
    "clinic",
    "safety",
    "learning",
    "pathway",
    "discharge",
    "winter",
    "pressures",
    "audit",
    "community",
    "care",
    "evidence",
    "staff",
    "wellbeing",
    "quality",
    "service",
)


def iso(seconds: int | float) -> str:
    """API time text (``2024-03-01T09:15:02.000Z``, as X writes it) for Unix seconds."""
    return datetime.fromtimestamp(int(seconds), tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class PostTexts:
    """Invented post texts, drawn from a fixed pool of ``size`` sentences so writing stays
    fast (building the pool draws from ``rng``; so does every text made)."""

    def __init__(self, rng: np.random.Generator, size: int = 400) -> None:
        self.sentences = [
            " ".join(rng.choice(_WORDS, size=int(rng.integers(6, 16)))).capitalize()
            for _ in range(size)
        ]
        self.rng = rng

    def make(
        self, mentions: list[str], hashtags: list[str], url: str | None
    ) -> tuple[str, dict[str, Any]]:
        """Text with its entities; offsets index into the text as the API's do."""
        tokens = [("mention", f"@{m}") for m in mentions] + [
            ("text", self.sentences[int(self.rng.integers(len(self.sentences)))])
        ]
        tokens += [("hashtag", f"#{t}") for t in hashtags] + ([("url", url)] if url else [])
        entities: dict[str, list[dict[str, Any]]] = {}
        cursor = 0
        for kind, token in tokens:
            span = {"start": cursor, "end": cursor + len(token)}
            if kind == "mention":
                entities.setdefault("mentions", []).append({**span, "username": token[1:]})
            elif kind == "hashtag":
                entities.setdefault("hashtags", []).append({**span, "tag": token[1:]})
            elif kind == "url":
                entities.setdefault("urls", []).append(
                    {
                        **span,
                        "url": token,
                        "expanded_url": token.replace(
                            "https://t.co/", "https://example.nhs.invalid/"
                        ),
                        "display_url": "example.nhs.invalid",
                    }
                )
            cursor += len(token) + 1
        return " ".join(token for _, token in tokens), entities
