"""Small HTML builders. Every piece of data text goes through :func:`esc`.

Names, bios and posts come from the public and are untrusted: a bio holding
``<script>`` must show as text, so nothing from the data reaches a page unescaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd


def esc(value: Any) -> str:
    """Escape a value for HTML text or attribute content; missing values show as an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    return html.escape(str(value), quote=True)


def fmt_number(value: Any, digits: int = 2) -> str:
    """A number for people: thousands separators, ``digits`` decimals, dash when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (bool,)):
        return "yes" if value else "no"
    if isinstance(value, int) or (
        isinstance(value, float) and float(value).is_integer() and abs(value) >= 1000
    ):
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def table(
    frame: pd.DataFrame,
    columns: Sequence[tuple[str, str]],
    *,
    formats: dict[str, Callable[[Any], str]] | None = None,
    caption: str | None = None,
    css_class: str = "data",
    sortable: bool = False,
    sort_values: dict[str, str] | None = None,
) -> str:
    """An escaped HTML table of ``frame``; ``columns`` pairs a column with its heading.

    ``sortable`` lets a reader sort it by clicking a heading (the page's one script);
    numeric cells carry their raw value in ``data-sort`` so they sort by value.
    ``sort_values`` maps a shown column (text such as "0.42 (0.30 to 0.55)") to the
    numeric column it sorts by.
    """
    formats = formats or {}
    sort_values = sort_values or {}
    head = "".join(f'<th scope="col">{esc(title)}</th>' for _, title in columns)
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for column, _ in columns:
            value = record.get(column)
            if column in sort_values:
                key = record.get(sort_values[column])
                text = formats[column](value) if column in formats else esc(value)
                if (
                    isinstance(key, (int, float))
                    and not isinstance(key, bool)
                    and not (isinstance(key, float) and math.isnan(key))
                ):
                    cells.append(f'<td class="num" data-sort="{esc(repr(float(key)))}">{text}</td>')
                else:
                    cells.append(f'<td class="num">{text}</td>')
                continue
            text = (
                formats[column](value)
                if column in formats
                else (
                    fmt_number(value)
                    if isinstance(value, (int, float)) and not isinstance(value, bool)
                    else esc(value if not isinstance(value, bool) else ("yes" if value else "no"))
                )
            )
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            if numeric and not (isinstance(value, float) and math.isnan(value)):
                cells.append(f'<td class="num" data-sort="{esc(repr(float(value)))}">{text}</td>')
            else:
                cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    css_class = f"{css_class} sortable" if sortable else css_class
    return f'<div class="table-wrap"><table class="{esc(css_class)}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def section(title: str, body: str, *, anchor: str) -> str:
    """A titled section of the report with an anchor for the contents list."""
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>{body}</section>'


def paragraph(text: str) -> str:
    """An escaped paragraph."""
    return f"<p>{esc(text)}</p>"


def bullets(items: Sequence[str], css_class: str | None = None) -> str:
    """An escaped bulleted list (empty string when there is nothing to list)."""
    items = [item for item in items if item]
    if not items:
        return ""
    cls = f' class="{esc(css_class)}"' if css_class else ""
    return f"<ul{cls}>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>"
