"""Mastodon's status and account HTML (``content``, ``note``) as plain text and links.

``<br>`` and paragraph breaks become spaces, whitespace is collapsed and entities are
decoded. The ``<p class="quote-inline">`` "RE: <link>" fallback that Mastodon prepends to
quote posts is dropped. The links are the ``href`` s that are not mentions or hashtags
(Mastodon marks those ``class="mention"``/``"hashtag"``, ``rel="tag"``).
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
)
_VOID_TAGS = frozenset(
    {
        "br",
        "img",
        "hr",
        "input",
        "meta",
        "link",
        "wbr",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
    }
)


class _HTMLText(HTMLParser):
    """Plain text and link targets of Mastodon's status HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.urls: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, skipped) of open non-void elements

    @property
    def _skipping(self) -> bool:
        return any(skip for _, skip in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = values.get("class", "").split()
        if tag in _BLOCK_TAGS or tag == "br":
            self.parts.append(" ")
        if tag == "a" and not self._skipping:
            href = values.get("href", "")
            is_entity = (
                "mention" in classes
                or "hashtag" in classes
                or "tag" in values.get("rel", "").split()
            )
            if href and not is_entity and href not in self.urls:
                self.urls.append(href)
        if tag not in _VOID_TAGS:
            self._open.append((tag, "quote-inline" in classes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS or tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")
        for index in range(len(self._open) - 1, -1, -1):  # close up to the matching open tag
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_text(html: str) -> tuple[str, list[str]]:
    """Mastodon HTML (``content``, ``note``) as one line of plain text, and its links."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split()), parser.urls
