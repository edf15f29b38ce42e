"""Write simulated blogs as the feeds a blog serves: RSS 2.0 or Atom.

``blogs/<nominee_id>.xml``: RSS 2.0 (https://www.rssboard.org/rss-specification) with
the comment count in ``slash:comments`` (http://purl.org/rss/1.0/modules/slash/), or
Atom (RFC 4287) with ``thr:total`` (RFC 4685), alternating between nominees.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from src.simulate.events import YearActivity
from src.simulate.texts import PostTexts


def blog_feed_url(x_handle: str) -> str:
    """The simulated nominee's blog feed URL (a reserved .example domain)."""
    return f"https://blogs.example/{x_handle}/feed"


def write_blogs(
    out_dir: Path, activity: YearActivity, nominees: pd.DataFrame, rng: np.random.Generator
) -> dict[str, int]:
    """Write a feed for each nominee who blogs; return counts."""
    bloggers = nominees[nominees["has_blog"]]
    if bloggers.empty:
        return {"blog_posts": 0}
    folder = out_dir / "blogs"
    folder.mkdir(parents=True, exist_ok=True)
    text = PostTexts(rng, size=100)
    start = int(activity.window_start.timestamp())
    window_s = int((activity.window_end - activity.window_start).total_seconds())
    total = 0
    for number, row in enumerate(bloggers.itertuples()):
        n = max(1, int(rng.poisson(window_s / 86400 / 10)))
        times = np.sort(start + rng.integers(0, window_s, size=n))[::-1]
        comments = rng.negative_binomial(
            1.5, 1.5 / (1.5 + 2.0 * np.exp(0.7 * row.quality + 0.5 * row.conversation)), size=n
        )
        site = blog_feed_url(row.x_handle).rsplit("/feed", 1)[0]
        entries = []
        for i, (t, count) in enumerate(zip(times, comments, strict=True)):
            when = datetime.fromtimestamp(int(t), tz=UTC)
            title, _ = text.make([], [], None)
            link = f"{site}/{when:%Y/%m/%d}/post-{i}"
            entries.append((when, escape(title[:60]), link, int(count)))
        if number % 2 == 0:
            items = "".join(
                f"<item><title>{title}</title><link>{link}</link>"
                f'<guid isPermaLink="true">{link}</guid>'
                f"<pubDate>{format_datetime(when)}</pubDate>"
                f"<dc:creator>{escape(row.name)}</dc:creator>"
                f"<category>NHS</category><slash:comments>{count}</slash:comments>"
                f"<description>Simulated blog post.</description></item>"
                for when, title, link, count in entries
            )
            xml = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<rss version="2.0" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<channel><title>{escape(row.name)} (simulated blog)</title><link>{site}</link>"
                "<description>Simulated blog for the bundled sample.</description>"
                f"{items}</channel></rss>\n"
            )
        else:
            items = "".join(
                f'<entry><title>{title}</title><id>{link}</id><link rel="alternate" href="{link}"/>'
                f'<link rel="replies" type="text/html" href="{link}#comments" thr:count="{count}"/>'
                f"<published>{when:%Y-%m-%dT%H:%M:%SZ}</published>"
                f"<updated>{when:%Y-%m-%dT%H:%M:%SZ}</updated>"
                f"<author><name>{escape(row.name)}</name></author>"
                f'<category term="NHS"/><thr:total>{count}</thr:total>'
                f"<summary>Simulated blog post.</summary></entry>"
                for when, title, link, count in entries
            )
            xml = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<feed xmlns="http://www.w3.org/2005/Atom" '
                'xmlns:thr="http://purl.org/syndication/thread/1.0">'
                f"<title>{escape(row.name)} (simulated blog)</title>"
                f"<id>{blog_feed_url(row.x_handle)}</id>"
                f'<link rel="self" href="{blog_feed_url(row.x_handle)}"/>'
                f"<updated>{entries[0][0]:%Y-%m-%dT%H:%M:%SZ}</updated>{items}</feed>\n"
            )
        (folder / f"{row.nominee_id}.xml").write_text(xml, encoding="utf-8")
        total += n
    return {"blog_posts": total}
