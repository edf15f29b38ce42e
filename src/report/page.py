"""The page around every report: one self-contained HTML file with its style inline.

A page makes no network request. The one script on it is :data:`PAGE_SCRIPT`: click a
column heading of a long table to sort it, and type in a "find" box to show only the
nominees (cards and table rows) whose text holds every word typed; both work offline
from the page alone. The Content-Security-Policy allows that script alone, by its
sha256, and nothing from any network (``default-src 'none'``): a ``<script>`` that
slipped through escaping would not run. The style is ``src/report/style.css``, read from
the installed package; its print rules shape the PDF.
"""

from __future__ import annotations

import base64
import hashlib
from importlib import resources

from src.report.html import esc

#: Sorts a ``table.sortable`` by the column whose heading is clicked (numbers by value,
#: from ``data-sort`` where a cell has it; text alphabetically; blanks last).
_SORT = (
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
#: Shows a finder (``.finder``, hidden until the script runs) and, as its box
#: (``input[data-filter]``) is typed in, hides every element its ``data-filter`` selector
#: matches whose ``data-search`` (else its text) lacks one of the words typed; the box's
#: ``<output>`` says how many of those its ``data-count`` selector matches are shown.
_FILTER = (
    "document.querySelectorAll('input[data-filter]').forEach(function(box){"
    "var items=document.querySelectorAll(box.getAttribute('data-filter'));"
    "var finder=box.closest('.finder');if(finder)finder.hidden=false;"
    "var out=finder?finder.querySelector('output'):null;"
    "var counted=box.getAttribute('data-count')||box.getAttribute('data-filter');"
    "var total=document.querySelectorAll(counted).length;"
    "box.addEventListener('input',function(){"
    "var words=box.value.toLowerCase().split(/\\s+/).filter(Boolean),n=0;"
    "Array.prototype.forEach.call(items,function(el){"
    "var text=(el.getAttribute('data-search')||el.textContent).toLowerCase();"
    "var ok=words.every(function(w){return text.indexOf(w)>=0;});"
    "el.hidden=!ok;if(ok&&el.matches(counted))n++;});"
    "if(out)out.textContent=words.length?n+' of '+total+' shown':'';});});"
)
#: The page's one script: table sorting, then the nominee finder.
PAGE_SCRIPT = _SORT + _FILTER
SCRIPT_HASH = "sha256-" + base64.b64encode(
    hashlib.sha256(PAGE_SCRIPT.encode("utf-8")).digest()
).decode("ascii")


#: What a page may load: its inline style, ``data:`` images and the page script (by its
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
        script=PAGE_SCRIPT,
        policy=POLICY,
    )
