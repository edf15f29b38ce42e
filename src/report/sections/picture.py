"""The picture of volume against engagement: every nominee's posts per day against what
each own post earned, the selected marked (descriptive; no model)."""

from __future__ import annotations

from src.report.figures import engagement_per_own_post, figure_html, volume_vs_engagement
from src.report.format import number
from src.report.html import section
from src.report.load import YearReport
from src.report.sections.common import TITLES


def picture_section(report: YearReport) -> str:
    """The chart of volume against engagement, selected nominees marked."""
    features = report.features
    selected = features["selected"].astype(bool)
    engagement = engagement_per_own_post(features)
    posts = features["posts_per_day"]
    missing = int(engagement.isna().sum())
    alt = (
        f"Scatter plot of {len(features) - missing} nominees in {report.run.year}: posts per day "
        "on the horizontal axis, reposts, replies and likes per own post on the vertical axis, "
        "both on log scales. Selected nominees (diamonds) have a median of "
        f"{number(posts[selected].median())} posts per day and "
        f"{number(engagement[selected].median())} engagements per own post; the others "
        f"(circles) {number(posts[~selected].median())} and "
        f"{number(engagement[~selected].median())}."
    )
    caption = (
        "Each point is a nominee. If the panel rewarded volume, the selected would sit to the "
        "right; if it rewarded what posts earn, they would sit high."
    )
    if missing:
        caption += (
            f" {missing} nominee(s) with no own posts have no engagement rate and are not shown."
        )
    return section(
        TITLES["picture"],
        figure_html(volume_vs_engagement(features, report.run.year), alt, caption),
        anchor="picture",
    )
