"""What a step wrote to stderr: the warnings it raised, and its kernel's own messages.

A notebook's code writes to stderr what is worth a look: Python warnings
(``warnings.warn``) and logged warnings (a library logger with no handler writes WARNING
and above there). Jupyter keeps them in the executed notebook as ``stderr`` stream
outputs; :func:`notebook_warnings` reads them back, one line per warning. The kernel
process's own stderr (``[IPKernelApp] ...``) is written to a file during the step
(:mod:`src.batch.kernel`); :func:`kernel_lines` reads it. The batch records both in the
step's manifest record and shows them in the log and the summary, with the year and step.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

#: Lines of stderr kept per step (the count of the rest is said).
LINES_KEPT = 20
#: ``/path/to/module.py:12: FutureWarning: message`` as :func:`warnings.showwarning` writes it.
PYTHON_WARNING = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+): (?P<category>[A-Za-z_][A-Za-z0-9_]*): (?P<message>.*)$"
)


def short_path(path: str) -> str:
    """A warning's file without the folders that say nothing (the environment, the home)."""
    for marker in ("site-packages/", "/src/"):
        if marker in path:
            head = "src/" if marker == "/src/" else ""
            return head + path.rsplit(marker, 1)[1]
    return Path(path).name


def warning_lines(text: str) -> list[str]:
    """The warnings in a stretch of stderr, one line each (the echoed source line dropped)."""
    out: list[str] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = PYTHON_WARNING.match(line)
        if match:
            where = f"{short_path(match['file'])}:{match['line']}"
            out.append(f"{match['category']}: {match['message']} ({where})")
        elif line.strip() and not (
            index and PYTHON_WARNING.match(lines[index - 1]) and line.startswith((" ", "\t"))
        ):
            out.append(line.strip())
    return out


def capped(lines: list[str], kept: int = LINES_KEPT) -> list[str]:
    """``lines`` without repeats, at most ``kept`` of them and a line saying how many more."""
    unique = list(dict.fromkeys(lines))
    if len(unique) <= kept:
        return unique
    return [*unique[:kept], f"... and {len(unique) - kept} more lines"]


def notebook_warnings(executed: Path) -> list[str]:
    """The warnings an executed notebook's cells wrote to stderr (none when it is unreadable)."""
    try:
        document = json.loads(executed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    lines: list[str] = []
    for cell in document.get("cells", []):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text", "")
                lines += warning_lines("".join(text) if isinstance(text, list) else text)
    return capped(lines)


def kernel_lines(log: Path) -> list[str]:
    """What the kernel process wrote to its stderr during a step (its log file), line by line."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return capped([line.rstrip() for line in text.splitlines() if line.strip()])
