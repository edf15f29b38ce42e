"""The page around every report: one self-contained HTML file with its style inline.

A page makes no network request. The one script on it is :data:`SORT_SCRIPT` (click a
column heading of a long table to sort it). The Content-Security-Policy allows that
script alone, by its sha256, and nothing from any network (``default-src 'none'``): a
``<script>`` that slipped through escaping would not run. The style is
``src/report/style.css``, read from the installed package.
"""

from __future__ import annotations

import base64
import hashlib
from importlib import resources

from src.report.html import esc

#: Sorts a ``table.sortable`` by the column whose heading is clicked (numbers by value,
#: from ``data-sort`` where a cell has it; text alphabetically; blanks last).
SORT_SCRIPT = (
    "document.querySelectorAll('table.sortable').forEach(function(t){"
    "var hs=t.tHead?t.tHead.rows[0].cells:[];"
    "Array.prototype.forEach.call(hs,function(th,i){"
    "var b=document.createElement('button');"
    "b.type='button';b.className='sort';b.textContent=th.textContent;"
    "th.textContent='';th.appendChild(b);th.setAttribute('aria-sort','none');"
    "b.addEventListener('click',function(){"
    "var asc=th.getAttribute('aria-sort')!=='ascending';"
    "Array.prototype.forEach.call(hs,function(o){o.setAttribute('aria-sort','none');});"
    "th.setAttribute('aria-sort',asc?'ascending':'descending');"
    "var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);"
    "function key(r){var c=r.cells[i];if(!c)return null;var v=c.getAttribute('data-sort');"
    "if(v!==null&&v!==''&&!isNaN(Number(v)))return Number(v);v=c.textContent.trim();"
    "return (v===''||v==='\u2013')?null:v.toLowerCase();}"
    "rows.sort(function(a,b){var x=key(a),y=key(b);"
    "if(x===null||y===null)return (x===null)-(y===null);"
    "if(typeof x!==typeof y)return typeof x==='number'?-1:1;"
    "return (x<y?-1:x>y?1:0)*(asc?1:-1);});"
    "rows.forEach(function(r){body.appendChild(r);});});});});"
)
SCRIPT_HASH = "sha256-" + base64.b64encode(
    hashlib.sha256(SORT_SCRIPT.encode("utf-8")).digest()
).decode("ascii")


#: What a page may load: its inline style, ``data:`` images and the sort script (by its
#: hash); nothing from any network.
POLICY = f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'"

_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
{body}
<footer>{footer}</footer>
<script>{script}</script>
</body>
</html>
"""


def _style() -> str:
    """The report style sheet (``src/report/style.css``)."""
    return resources.files("src.report").joinpath("style.css").read_text(encoding="utf-8")


def page(title: str, body: str, footer: str) -> str:
    """A complete, self-contained HTML page (``body`` must already be escaped HTML)."""
    return _PAGE.format(
        title=esc(title),
        style=_style(),
        body=body,
        footer=footer,
        script=SORT_SCRIPT,
        policy=POLICY,
    )
