"""The picture of volume against engagement: every nominee's posts per day against what
each own post earned, the selected marked (descriptive; no model). Said in words instead
when too few nominees have both figures above zero to draw it (a year of account-level
metrics only, or no engagement at all)."""

from __future__ import annotations

from src.report.figures import engagement_per_own_post, figure_html, volume_vs_engagement
from src.report.format import number
from src.report.html import paragraph, section
from src.report.load import YearReport
from src.report.sections.common import TITLES, selected_flags


def picture_section(report: YearReport) -> str:
    """The chart of volume against engagement, selected nominees marked."""
    features = report.features
    title, anchor = TITLES["picture"], "picture"
    figure = volume_vs_engagement(features, report.run.year)
    if figure is None:
        return section(
            title,
            paragraph(
                f"No picture of volume against engagement can be drawn for {report.run.year}: "
                "fewer than two nominees have both posts and engagement on their own posts in "
                "the exports (for example when only account-level metric tables or blogs were "
                "supplied, or no post earned any engagement)."
            ),
            anchor=anchor,
        )
    selected = selected_flags(features)
    engagement = engagement_per_own_post(features)
    posts = features["posts_per_day"]
    left_out = int((~((posts > 0) & (engagement > 0))).sum())
    alt = (
        f"Scatter plot of {len(features) - left_out} nominees in {report.run.year}: posts per "
        "day on the horizontal axis, reposts, replies and likes per own post on the vertical "
        "axis, both on log scales. Selected nominees (diamonds) have a median of "
        f"{number(posts[selected].median())} posts per day and "
        f"{number(engagement[selected].median())} engagements per own post; the others "
        f"(circles) {number(posts[~selected].median())} and "
        f"{number(engagement[~selected].median())}."
    )
    caption = (
        "Each point is a nominee. If the panel rewarded volume, the selected would sit to the "
        "right; if it rewarded what posts earn, they would sit high."
    )
    if left_out:
        caption += (
            f" {left_out} nominee(s) with no posts, or no engagement on their own posts, cannot "
            "be placed on the log scales and are not shown."
        )
    return section(title, figure_html(figure, alt, caption), anchor=anchor)
