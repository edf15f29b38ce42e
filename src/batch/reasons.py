"""Why a step re-runs (or a report is rendered again), naming what changed.

The step's last successful record keeps the parts of its key (:class:`StepKeyParts`); the
parts of this run's key are compared with them, and each difference is named: "re-run:
src/features/volume.py changed", "re-run: parameter seed changed", "re-run: raw file
x/timelines.jsonl changed", "re-run: input posts.parquet changed". Without a last record
the reason is "first run"; with ``--force``, "--force".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from src.batch.cache import OTHER_YEARS, StepKeyParts, changed_outputs
from src.batch.manifest import sha256_file

#: Names listed in one reason before "and N more".
NAMES_LISTED = 3


def _names(names: list[str]) -> str:
    """``a, b, c and 2 more``."""
    shown = ", ".join(names[:NAMES_LISTED])
    return shown + (f" and {len(names) - NAMES_LISTED} more" if len(names) > NAMES_LISTED else "")


def dict_changes(kind: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What changed between two name -> value mappings, in words (``kind`` names the things).

    ``("raw file", {...}, {...})`` -> ``["raw file x/timelines.jsonl changed",
    "raw files a.csv, b.csv added"]``; an empty ``kind`` gives the bare names.
    """
    out = []
    for verb, names in (
        ("changed", [name for name in new if name in old and old[name] != new[name]]),
        ("added", [name for name in new if name not in old]),
        ("removed", [name for name in old if name not in new]),
    ):
        if names:
            label = f"{kind}{'s' if len(names) > 1 else ''} " if kind else ""
            out.append(f"{label}{_names(sorted(names))} {verb}")
    return out


def _flat_upstream(upstream: dict[str, Any]) -> dict[str, Any]:
    """The upstream part with the other years' files beside the year's own (``2023/x``)."""
    flat = {name: value for name, value in upstream.items() if name != OTHER_YEARS}
    flat.update(upstream.get(OTHER_YEARS) or {})
    return flat


def key_changes(last: dict[str, Any], parts: StepKeyParts) -> list[str]:
    """Each part of the key that differs from the last successful record's, in words."""
    changes = dict_changes("", last.get("code") or {}, parts.code)
    if last.get("notebook_sha256") != parts.notebook_sha256:
        changes.append(f"notebook {parts.step}.ipynb changed")
    changes += dict_changes("parameter", last.get("parameters") or {}, parts.parameters)
    changes += dict_changes("raw file", last.get("inputs") or {}, parts.inputs)
    changes += dict_changes(
        "input", _flat_upstream(last.get("upstream") or {}), _flat_upstream(parts.upstream)
    )
    old_code = last.get("other_years_code") or {}
    other = [year for year, key in parts.other_years_code.items() if old_code.get(year) != key]
    if other:
        changes.append(f"{_names(sorted(other))}'s outputs made by other code")
    return changes


def why_run(
    last: dict[str, Any] | None,
    parts: StepKeyParts,
    *,
    force: bool,
    executed: Path,
    processed_year: Path,
) -> str:
    """Why a step runs, in words (the progress line and the step's record say it)."""
    if force:
        return "--force"
    if not last:
        return "first run"
    if "code" not in last:
        return "re-run: the last run recorded no per-step code (an older batch)"
    if last.get("key") != parts.key():
        changes = key_changes(last, parts)
        return "re-run: " + ("; ".join(changes) or "inputs, parameters or code changed")
    if not executed.is_file():
        return f"re-run: executed notebook {executed.name} missing"
    gone = changed_outputs(last.get("outputs", {}), processed_year)
    return f"re-run: output {_names(sorted(gone))} changed or missing" if gone else "re-run"


def why_render(
    previous: dict[str, Any],
    html: Path,
    pdf: Path | None,
    upstream_current: bool,
    code: dict[str, str],
) -> str:
    """Why a year's report is rendered, in words."""
    if not previous or "html_sha256" not in previous:
        return "first render"
    reasons = []
    if not upstream_current:
        reasons.append("a step was re-run")
    reasons += dict_changes("", previous.get("code") or {}, code) if "code" in previous else []
    if not html.is_file():
        reasons.append("the HTML report is missing")
    elif previous.get("html_sha256") != sha256_file(html):
        reasons.append("the HTML report changed on disk")
    if pdf is not None and not pdf.is_file():
        reasons.append("the PDF is missing")
    if "code" not in previous and not reasons:
        reasons.append("the last render recorded no code (an older batch)")
    return "re-render: " + ("; ".join(reasons) or "the rendering code changed")
