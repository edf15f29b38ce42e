"""Telling nominees apart: their handles, profile links, the name a page shows, and the
anchor of their evidence card.

Nominees consented to being judged, so their handles are shown and linked to their
profiles; accounts of people who are not nominees are never read here. A Bluesky account
that asks not to be shown to logged-out viewers (``hide_from_logged_out`` in the accounts
table; False where the column is absent) keeps its handle and link off every page.

In a simulated year the handles are invented: a link is given only where it points at a
reserved host (``.example``, ``.invalid``, ``.test``), never at a real platform where an
invented handle could belong to somebody.

Two nominees of one year may share a name: wherever that happens each is shown with a
handle and category ("Sol Garside (@sol_g, nurse)"), in every table, card and chart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pandas as pd

from src.report.html import esc

#: The columns read from ``accounts.parquet`` (only nominees' rows are kept).
HANDLE_COLUMNS = ["platform", "handle", "is_nominee", "nominee_id"]
#: The accounts table's flag for a Bluesky account hidden from logged-out viewers.
HIDDEN_FLAG = "hide_from_logged_out"
#: Platforms in the order a card lists them, with how a page names them.
PLATFORM_WORDS = {"x": "X", "bluesky": "Bluesky", "mastodon": "Mastodon", "blog": "blog"}
#: Hosts that can never belong to anybody (RFC 2606): safe to link from a simulated year.
RESERVED_HOSTS = (".example", ".invalid", ".test")


def read_nominee_handles(processed_year: Path) -> pd.DataFrame | None:
    """Nominees' accounts (nominee_id, platform, handle, hidden), or None without the table."""
    path = Path(processed_year) / "accounts.parquet"
    if not path.is_file():
        return None
    try:
        import pyarrow.parquet as pq

        names = set(pq.read_schema(path).names)
        columns = [c for c in (*HANDLE_COLUMNS, HIDDEN_FLAG) if c in names]
        accounts = pd.read_parquet(path, columns=columns)
    except (OSError, ValueError, KeyError):
        return None
    return nominee_handles(accounts)


def nominee_handles(accounts: pd.DataFrame) -> pd.DataFrame:
    """The nominees' rows of an accounts table as (nominee_id, platform, handle, hidden)."""
    if not {"platform", "handle", "nominee_id"} <= set(accounts.columns):
        return pd.DataFrame(columns=["nominee_id", "platform", "handle", "hidden"])
    mine = accounts[accounts["nominee_id"].notna() & accounts["handle"].notna()]
    if "is_nominee" in mine.columns:
        mine = mine[mine["is_nominee"].fillna(False).astype(bool)]
    hidden = (
        mine[HIDDEN_FLAG].fillna(False).astype(bool)
        if HIDDEN_FLAG in mine.columns
        else pd.Series(False, index=mine.index)
    )
    order = {p: i for i, p in enumerate(PLATFORM_WORDS)}
    frame = pd.DataFrame(
        {
            "nominee_id": mine["nominee_id"].astype(str),
            "platform": mine["platform"].astype(str),
            "handle": mine["handle"].astype(str),
            "hidden": hidden.to_numpy(),
        }
    )
    frame["order"] = frame["platform"].map(order).fillna(len(order))
    return (
        frame.sort_values(["nominee_id", "order", "handle"])
        .drop(columns="order")
        .drop_duplicates(["nominee_id", "platform", "handle"])
        .reset_index(drop=True)
    )


def profile_url(platform: str, handle: str) -> str | None:
    """The public profile page of a handle on its platform (None when there is no such page).

    X: ``https://x.com/<handle>``; Bluesky: ``https://bsky.app/profile/<handle>``; Mastodon
    (``user@host``): ``https://<host>/@<user>``; a blog: its feed's address (http or https).
    """
    handle = handle.strip().lstrip("@")
    if not handle:
        return None
    if platform == "x" and re.fullmatch(r"\w{1,50}", handle):
        return f"https://x.com/{quote(handle)}"
    if platform == "bluesky" and re.fullmatch(r"[\w.-]{1,253}", handle):
        return f"https://bsky.app/profile/{quote(handle)}"
    if platform == "mastodon" and re.fullmatch(r"[\w.]{1,64}@[\w.-]{1,253}", handle):
        user, host = handle.split("@", 1)
        return f"https://{host}/@{quote(user)}"
    if platform == "blog" and urlsplit(handle).scheme in ("http", "https"):
        return handle
    return None


def shown_handle(platform: str, handle: str) -> str:
    """A handle as a page shows it: "@name" on X and Mastodon, as it is elsewhere; a blog by
    its host."""
    handle = handle.strip().lstrip("@")
    if platform in ("x", "mastodon"):
        return "@" + handle
    if platform == "blog":
        return urlsplit(handle).netloc or handle
    return handle


def _linkable(url: str | None, simulated: bool) -> bool:
    """True when a page may link ``url`` (in a simulated year only reserved hosts)."""
    if url is None:
        return False
    if not simulated:
        return True
    host = urlsplit(url).hostname or ""
    return host.endswith(RESERVED_HOSTS)


@dataclass(frozen=True)
class Handle:
    """One account of a nominee as a page shows it."""

    platform: str  #: as the page names it ("X", "Bluesky", ...)
    text: str  #: the handle as shown ("@name")
    url: str | None  #: its profile page, when a page may link it


@dataclass(frozen=True)
class People:
    """How a year's pages name, link and anchor its nominees."""

    #: nominee_id -> the name a page shows (with handle and category where two share a name)
    names: dict[str, str]
    #: nominee_id -> their shown accounts, in platform order
    handles: dict[str, list[Handle]]

    def name(self, nominee_id: object, fallback: object = None) -> str:
        """The name a page shows for ``nominee_id`` (``fallback``, else the id, when unknown)."""
        key = str(nominee_id)
        return self.names.get(key) or str(fallback if fallback is not None else key)

    def link(self, nominee_id: object, fallback: object = None) -> str:
        """The shown name as a link to the nominee's evidence card (escaped HTML)."""
        return f'<a href="#{card_anchor(nominee_id)}">{esc(self.name(nominee_id, fallback))}</a>'

    def handles_html(self, nominee_id: object) -> str:
        """The nominee's handles, each linked to its profile where allowed ("" without any)."""
        parts = []
        for handle in self.handles.get(str(nominee_id), []):
            text = f"{esc(handle.platform)} {esc(handle.text)}"
            if handle.url:
                text = (
                    f'<a href="{esc(handle.url)}" rel="noopener noreferrer">'
                    f"{esc(handle.platform)} {esc(handle.text)}</a>"
                )
            parts.append(text)
        return " · ".join(parts)

    def handles_text(self, nominee_id: object) -> str:
        """The nominee's handles as plain text ("X @a; Bluesky a.bsky.social")."""
        return "; ".join(f"{h.platform} {h.text}" for h in self.handles.get(str(nominee_id), []))


def card_anchor(nominee_id: object) -> str:
    """The id of a nominee's evidence card: ``nominee-`` and the id, with any character
    outside letters, digits, ``-`` and ``_`` written as its code point."""
    text = re.sub(r"[^A-Za-z0-9_-]", lambda m: f".{ord(m.group(0)):x}", str(nominee_id))
    return "nominee-" + text


def people(
    features: pd.DataFrame, handles: pd.DataFrame | None, *, simulated: bool = False
) -> People:
    """Names, handles and links of the year's nominees (``features``: nominee_id, name,
    category)."""
    shown: dict[str, list[Handle]] = {}
    if handles is not None and len(handles):
        for row in handles.itertuples():
            if bool(row.hidden):
                continue
            url = profile_url(str(row.platform), str(row.handle))
            shown.setdefault(str(row.nominee_id), []).append(
                Handle(
                    PLATFORM_WORDS.get(str(row.platform), str(row.platform)),
                    shown_handle(str(row.platform), str(row.handle)),
                    url if _linkable(url, simulated) else None,
                )
            )
    ids = features["nominee_id"].astype(str) if "nominee_id" in features else pd.Series([])
    raw = features["name"].astype(str) if "name" in features else ids
    categories = (
        features["category"].astype(str)
        if "category" in features
        else pd.Series("", index=features.index)
    )
    repeated = set(raw[raw.duplicated(keep=False)])
    names = {}
    for nominee_id, name, category in zip(ids, raw, categories, strict=True):
        if name in repeated:
            first = shown.get(nominee_id, [])
            told = ", ".join(x for x in (first[0].text if first else "", category) if x)
            name = f"{name} ({told})" if told else name
        names[nominee_id] = name
    # a handle and category may still leave two alike: the id then tells them apart
    counts = pd.Series(list(names.values())).value_counts()
    for nominee_id, name in names.items():
        if counts.get(name, 0) > 1:
            names[nominee_id] = f"{name} [{nominee_id}]"
    return People(names=names, handles=shown)
