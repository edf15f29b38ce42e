"""HTML building blocks for the reports: escaping, tables, sections, paragraphs, lists.

Every piece of data text goes through :func:`esc`. Names, bios and posts come from the
public and are untrusted: a bio holding ``<script>`` must show as text, so nothing from
the data reaches a page unescaped. Numbers in table cells are formatted by
:func:`src.report.format.number` unless a column has its own format.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from src.report.format import MISSING, number


def esc(value: Any) -> str:
    """Escape a value for HTML text or attribute content; missing values show as an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    return html.escape(str(value), quote=True)


def table(
    frame: pd.DataFrame,
    columns: Sequence[tuple[str, str]],
    *,
    formats: dict[str, Callable[[Any], str]] | None = None,
    caption: str | None = None,
    css_class: str = "data",
    sortable: bool = False,
    sort_values: dict[str, str] | None = None,
    html_columns: Sequence[str] = (),
    column_classes: dict[str, str] | None = None,
    hint: str | None = None,
) -> str:
    """An escaped HTML table of ``frame``; ``columns`` pairs a column with its heading.

    ``sortable`` lets a reader sort it by clicking a heading (the page's one script);
    numeric cells carry their raw value in ``data-sort`` so they sort by value.
    ``sort_values`` maps a shown column (text such as "0.42 (0.30 to 0.55)") to the
    numeric column it sorts by. ``html_columns`` hold HTML already escaped (a name linked
    to its card, built by :mod:`src.report.people`); ``column_classes`` gives a column's
    heading and cells a class (``screen-only``: left off paper). ``hint`` follows the
    caption on screen only ("click a heading to sort").
    """
    formats = formats or {}
    sort_values = sort_values or {}
    classes = column_classes or {}
    head = "".join(
        f'<th scope="col"{_class(classes.get(column))}>{esc(title)}</th>'
        for column, title in columns
    )
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for column, _ in columns:
            value = record.get(column)
            extra = classes.get(column)
            if column in html_columns:
                cells.append(f"<td{_class(extra)}>{value}</td>")
                continue
            if column in sort_values:
                text = formats[column](value) if column in formats else esc(value)
                cells.append(_cell(text, True, _data_sort(record.get(sort_values[column])), extra))
                continue
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            if column in formats:
                text = formats[column](value)
            elif numeric:
                text = number(value)
            else:
                text = esc(value if not isinstance(value, bool) else ("yes" if value else "no"))
            cells.append(_cell(text, numeric, _data_sort(value), extra))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = f' <span class="hint">({esc(hint)})</span>' if hint else ""
    cap = f"<caption>{esc(caption)}{note}</caption>" if caption else ""
    css_class = f"{css_class} sortable" if sortable else css_class
    return (
        f'<div class="table-wrap"><table class="{esc(css_class)}">{cap}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _data_sort(value: Any) -> str | None:
    """The ``data-sort`` value of a cell: the number, for a real non-missing number; else None."""
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and not (isinstance(value, float) and math.isnan(value))
    ):
        return esc(repr(float(value)))
    return None


def _class(name: str | None) -> str:
    """A ``class`` attribute (with its leading space), or "" without a class."""
    return f' class="{esc(name)}"' if name else ""


def _cell(text: str, numeric: bool, sort_key: str | None, extra: str | None = None) -> str:
    """A table cell; numeric cells are right-aligned and, with a key, sort by it."""
    names = " ".join(n for n in ("num" if numeric else "", extra or "") if n)
    sort = f' data-sort="{sort_key}"' if sort_key is not None else ""
    return f"<td{_class(names)}{sort}>{text}</td>"


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
