"""Every feature, declared once: name, family, definition, unit, direction and source.

This file is long on purpose: it is one declared table (a row per feature, its fields
as keyword arguments), read top to bottom by family; the functions that compute the
features are in the family modules (:mod:`src.features.volume` and the others).

The report's appendix prints this table; the model reads ``family`` to build its
feature sets and ``log_scale`` to transform heavy-tailed counts before scaling.
``source_table`` says which canonical tables a value is computed from; where a nominee
has no posts but an account-level metric table, some features are filled from
``account_metrics`` instead, and the feature table's ``activity_source`` column says
which source each nominee's values came from. ``when_undefined`` says what a value is
when it cannot be computed: 0 where nothing happened (no posts, nobody engaged), missing
where a rate or share has no denominator or the input was not collected; never infinite.

``per_platform`` marks the features whose quantity differs by platform (followers on X,
Bluesky and Mastodon; retweets, reposts and boosts; likes and rates per post); with
``per_platform_why`` saying why. The feature table combines a nominee's accounts, and
:func:`src.features.build_feature_tables` keeps these features for each platform too,
in ``features_by_platform.parquet`` (tidy: nominee, year, platform, feature, value),
with the same definitions restricted to one platform's accounts and posts.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import pandas as pd

# The sources cited in ``source``.
CHA_2010 = (
    "Cha, Haddadi, Benevenuto & Gummadi (2010), Measuring user influence in Twitter: "
    "the million follower fallacy, ICWSM"
)
ROMERO_2011 = (
    "Romero, Galuba, Asur & Huberman (2011), Influence and passivity in social media, ECML PKDD"
)
BAKSHY_2011 = (
    "Bakshy, Hofman, Mason & Watts (2011), Everyone's an influencer: "
    "quantifying influence on Twitter, WSDM"
)
KAUSHIK_2011 = (
    "Kaushik (2011), Best social media metrics: conversation, amplification, applause, "
    "economic value, Occam's Razor blog"
)
HIRSCH_2005 = (
    "Hirsch (2005), An index to quantify an individual's scientific research output, "
    "PNAS 102(46), applied to posts"
)
GOH_2008 = "Goh & Barabási (2008), Burstiness and memory in complex systems, EPL 81, 48002"
GUIMERA_2005 = (
    "Guimerà & Amaral (2005), Functional cartography of complex metabolic networks, Nature 433"
)
BRIN_1998 = (
    "Brin & Page (1998), The anatomy of a large-scale hypertextual web search engine; "
    "applied to Twitter by Cha et al. (2010)"
)
BRANDES_2007 = (
    "Brandes & Pich (2007), Centrality estimation in large networks, IJBC 17(7) "
    "(pivot-sampled betweenness; Freeman 1977)"
)
TRAAG_2019 = (
    "Traag, Waltman & van Eck (2019), From Louvain to Leiden: "
    "guaranteeing well-connected communities, Sci. Rep. 9"
)
SHANNON_1948 = (
    "Shannon (1948) entropy of engagers' communities; "
    "community detection per Traag, Waltman & van Eck (2019)"
)
GINI = (
    "Top-decile share of engagement, as used for concentration of cascades in Bakshy et al. (2011)"
)

#: The families, in the order the feature table lists them.
FAMILIES = ("volume", "reach", "engagement", "network", "audiences", "conversation", "influence")


@dataclass(frozen=True)
class FeatureSpec:
    """What one feature means."""

    name: str
    family: str  #: one of FAMILIES
    definition: str
    unit: str
    direction: str  #: how a higher value reads
    source: str
    log_scale: bool = False  #: heavy-tailed: the model takes log(1 + x)
    when_undefined: str = ""
    source_table: str = "posts"  #: the canonical tables the value is computed from
    #: Also computed per platform (``features_by_platform.parquet``): the quantity is not
    #: the same on X, Bluesky and Mastodon, so the combined value is kept for the model and
    #: the per-platform values for reading it.
    per_platform: bool = False
    per_platform_why: str = ""  #: one sentence: why the platforms differ for this feature


#: The feature tables' column saying where a nominee's activity figures came from:
#: ``posts``, ``account_metrics`` (no posts, but an account-level metric table) or ``none``.
SOURCE_COLUMN = "activity_source"

# Phrases that several rows share.
_OWN = (
    "own posts (originals, replies and quotes: everything but reposts, "
    "whose counts in X API v2 are the reposted post's)"
)
_M = "; for a nominee with no posts, from account_metrics"
_NOT_COLLECTED = (
    "missing when the nominee's figures come from account_metrics "
    "(they posted, but their posts are not in the table)"
)
_NO_GRAPH = (
    "missing when the nominee's figures come from account_metrics (the tables say nothing "
    "of who engaged)"
)
_G = (
    "The interaction graph has one node per account and an edge engager → author for every "
    "reply, mention, repost and quote in interactions (weight = number of interactions, "
    "self-loops and links between one nominee's own accounts dropped)"
)
# Why a feature is also kept per platform (``per_platform_why``).
_WHY_OUTPUT = (
    "Posting norms differ by platform, and a post cross-posted to two platforms counts twice "
    "in the combined value"
)
_WHY_REPOST = (
    "A repost is a retweet on X, a repost on Bluesky and a boost on Mastodon: "
    "each platform's own habit"
)
_WHY_FOLLOWERS = (
    "A follower on X, Bluesky or Mastodon is a different audience (network size, how feeds "
    "show posts), so the sum mixes unlike quantities"
)
_WHY_LISTS = "Only X reports list counts; Bluesky and Mastodon accounts have none"
_WHY_COUNTS = (
    "Likes, reposts (retweets, boosts), replies and quotes are counted by each platform for "
    "its own audience and interface (Mastodon has no quotes), so a rate mixes unlike counts"
)
_WHY_FIT = (
    "Engagement per post differs in level by platform, so what an account earns beyond its "
    "output is also fitted among the nominees on the same platform"
)

_SPECS = (
    # --- volume --------------------------------------------------------------------------
    FeatureSpec(
        name="posts_per_day",
        family="volume",
        definition=(
            "All posts (including reposts) in the observation window divided by its length in "
            "days; for a nominee with no posts, posts in account_metrics periods divided by the "
            "days those periods cover"
        ),
        unit="posts per day",
        direction="more output (not more influence)",
        source=CHA_2010,
        log_scale=True,
        when_undefined="0 when the nominee posted nothing",
        source_table="posts" + _M,
        per_platform=True,
        per_platform_why=_WHY_OUTPUT,
    ),
    FeatureSpec(
        name="own_posts_per_day",
        family="volume",
        definition=f"Number of {_OWN} per day of the observation window",
        unit="posts per day",
        direction="more own output",
        source=CHA_2010,
        log_scale=True,
        when_undefined=f"0 when the nominee posted nothing; {_NOT_COLLECTED}",
        source_table="posts",
        per_platform=True,
        per_platform_why=_WHY_OUTPUT,
    ),
    FeatureSpec(
        name="repost_share",
        family="volume",
        definition="Reposts (retweets) as a share of all posts",
        unit="share, 0 to 1",
        direction="more passing-on of others' posts",
        source=ROMERO_2011,
        log_scale=False,
        when_undefined="missing when the nominee posted nothing",
        source_table="posts",
        per_platform=True,
        per_platform_why=_WHY_REPOST,
    ),
    FeatureSpec(
        name="reply_share",
        family="volume",
        definition=(
            "Replies as a share of all posts (on the volume axis: how much of the output is "
            "replies, not how many replies it draws)"
        ),
        unit="share, 0 to 1",
        direction="more of the output in replies",
        source=ROMERO_2011,
        log_scale=False,
        when_undefined="missing when the nominee posted nothing",
        source_table="posts",
    ),
    FeatureSpec(
        name="active_day_share",
        family="volume",
        definition=(
            "Distinct calendar days (UTC) with at least one post, as a share of the observation "
            "window's days"
        ),
        unit="share, 0 to 1",
        direction="posts on more days",
        source=CHA_2010,
        log_scale=False,
        when_undefined=f"0 when the nominee posted nothing; {_NOT_COLLECTED}",
        source_table="posts",
    ),
    FeatureSpec(
        name="blog_posts_per_month",
        family="volume",
        definition=(
            "Blog posts inside the span of the year's window that the saved feeds cover, "
            "divided by that span's calendar months: the whole window, or, for a feed that "
            "serves only its latest posts (10 or more, none before the window's start), from "
            "its oldest post to the window's end (see blog_feeds); summed over the nominee's "
            "feeds"
        ),
        unit="posts per month",
        direction="more blogging",
        source=CHA_2010,
        log_scale=True,
        when_undefined=(
            "0 when the nominee has no blog posts; missing when the year has no blog_posts "
            "table, or the saved copies of a capped feed cover none of the window"
        ),
        source_table="blog_posts, blog_feeds",
    ),
    FeatureSpec(
        name="burstiness",
        family="volume",
        definition=(
            "B = (σ − μ) / (σ + μ) of the times between the nominee's consecutive posts (all "
            "platforms): −1 perfectly regular, 0 Poisson-random, towards 1 bursty"
        ),
        unit="coefficient, −1 to 1",
        direction="more bursty posting",
        source=GOH_2008,
        log_scale=False,
        when_undefined="missing with fewer than 3 posts or when all posts share one timestamp",
        source_table="posts",
    ),
    # --- reach ---------------------------------------------------------------------------
    FeatureSpec(
        name="log10_followers",
        family="reach",
        definition=(
            "log10(1 + followers), the followers at collection time summed over the nominee's "
            "accounts (per platform: that platform's accounts)"
        ),
        unit="log10 accounts",
        direction="bigger potential audience",
        source=CHA_2010,
        log_scale=False,
        when_undefined="missing when no account reports followers",
        source_table=(
            "accounts (latest account_metrics period where the account came from a metric table)"
        ),
        per_platform=True,
        per_platform_why=_WHY_FOLLOWERS,
    ),
    FeatureSpec(
        name="listed_per_1k_followers",
        family="reach",
        definition=(
            "Lists that include the nominee's accounts per 1,000 followers of those accounts, over"
            " the accounts that report both (X: Bluesky and Mastodon report no lists)"
        ),
        unit="lists per 1,000 followers",
        direction="more often curated by others",
        source=CHA_2010,
        log_scale=True,
        when_undefined=(
            "missing when no account reports both lists and followers, or their followers are 0"
        ),
        source_table="accounts",
        per_platform=True,
        per_platform_why=_WHY_LISTS,
    ),
    FeatureSpec(
        name="followers_per_following",
        family="reach",
        definition=(
            "Followers divided by accounts followed, each summed over the nominee's accounts that "
            "report both"
        ),
        unit="ratio",
        direction="followed by more than it follows",
        source=CHA_2010,
        log_scale=True,
        when_undefined="missing when following is 0 or unknown",
        source_table="accounts",
        per_platform=True,
        per_platform_why=_WHY_FOLLOWERS,
    ),
    FeatureSpec(
        name="follower_growth",
        family="reach",
        definition=(
            "(followers in the latest account_metrics period − followers in the earliest) / "
            "followers in the earliest, over the nominee's accounts with at least two periods"
        ),
        unit="relative change",
        direction="audience growing faster",
        source=CHA_2010,
        log_scale=False,
        when_undefined="missing without two snapshots or when the earliest count is 0",
        source_table="account_metrics",
        per_platform=True,
        per_platform_why=_WHY_FOLLOWERS,
    ),
    # --- engagement ----------------------------------------------------------------------
    FeatureSpec(
        name="amplification_rate",
        family="engagement",
        definition=(
            f"Reposts received per own post, over {_OWN}; for a nominee with no posts, "
            "reposts_received / posts of account_metrics"
        ),
        unit="reposts per post",
        direction="more passed on by others",
        source=KAUSHIK_2011,
        log_scale=True,
        when_undefined="missing when there are no own posts",
        source_table="posts" + _M,
        per_platform=True,
        per_platform_why=_WHY_REPOST,
    ),
    FeatureSpec(
        name="conversation_rate",
        family="engagement",
        definition="Replies received per own post",
        unit="replies per post",
        direction="more conversation drawn",
        source=KAUSHIK_2011,
        log_scale=True,
        when_undefined="missing when there are no own posts",
        source_table="posts",
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    FeatureSpec(
        name="applause_rate",
        family="engagement",
        definition="Likes received per own post",
        unit="likes per post",
        direction="more approval",
        source=KAUSHIK_2011,
        log_scale=True,
        when_undefined="missing when there are no own posts",
        source_table="posts",
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    FeatureSpec(
        name="engagement_per_1k_followers",
        family="engagement",
        definition=(
            "Reposts, replies, likes and quotes received per own post, per 1,000 followers, over "
            "the nominee's accounts whose followers are known"
        ),
        unit="engagements per post per 1,000 followers",
        direction="more engagement than audience size alone gives",
        source=BAKSHY_2011,
        log_scale=True,
        when_undefined=(
            "missing when there are no own posts on accounts with known followers, or those "
            "followers are 0"
        ),
        source_table="posts, accounts",
        per_platform=True,
        per_platform_why=_WHY_FOLLOWERS,
    ),
    FeatureSpec(
        name="mentions_received_per_post",
        family="engagement",
        definition=(
            "Mentions of the nominee's accounts by other accounts (interactions of kind mention) "
            "per own post; for a nominee with no posts, mentions_received / posts of "
            "account_metrics"
        ),
        unit="mentions per post",
        direction="more talked about",
        source=CHA_2010,
        log_scale=True,
        when_undefined="missing when there are no own posts",
        source_table="interactions, posts" + _M,
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    FeatureSpec(
        name="repost_h_index",
        family="engagement",
        definition="Largest h such that h own posts were each reposted at least h times",
        unit="posts",
        direction="consistently amplified posts",
        source=HIRSCH_2005,
        log_scale=True,
        when_undefined=f"0 when there are no own posts; {_NOT_COLLECTED}",
        source_table="posts",
        per_platform=True,
        per_platform_why=_WHY_REPOST,
    ),
    FeatureSpec(
        name="like_h_index",
        family="engagement",
        definition="Largest h such that h own posts were each liked at least h times",
        unit="posts",
        direction="consistently liked posts",
        source=HIRSCH_2005,
        log_scale=True,
        when_undefined=f"0 when there are no own posts; {_NOT_COLLECTED}",
        source_table="posts",
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    FeatureSpec(
        name="engaged_post_share",
        family="engagement",
        definition="Share of own posts with at least one like, repost, reply or quote",
        unit="share, 0 to 1",
        direction="fewer posts ignored",
        source=KAUSHIK_2011,
        log_scale=False,
        when_undefined="missing when there are no own posts",
        source_table="posts",
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    FeatureSpec(
        name="top_decile_engagement_share",
        family="engagement",
        definition=(
            "Share of all engagement received (likes + reposts + replies + quotes) earned by the "
            "nominee's top 10% own posts (the ceil(n/10) most engaged)"
        ),
        unit="share, 0 to 1",
        direction="engagement concentrated in a few hits",
        source=GINI,
        log_scale=False,
        when_undefined="missing when the own posts earned no engagement",
        source_table="posts",
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    FeatureSpec(
        name="blog_comments_per_post",
        family="engagement",
        definition=(
            "Comments per blog post: the comment counts the feeds give (slash:comments, "
            "thr:total, or the replies link's thr:count; the latest saved copy's) summed over "
            "the nominee's blog posts that carry one, inside the span blog_posts_per_month is "
            "read over, divided by those posts (Kaushik's conversation rate, first defined for "
            "blogs)"
        ),
        unit="comments per post",
        direction="more discussion of the blog's posts",
        source=KAUSHIK_2011,
        log_scale=True,
        when_undefined=(
            "missing when no blog post of the nominee carries a comment count (the feed does "
            "not report them, or there are no blog posts), or the year has no blog_posts table"
        ),
        source_table="blog_posts",
    ),
    # --- network -------------------------------------------------------------------------
    FeatureSpec(
        name="pagerank",
        family="network",
        definition=(
            f"{_G}. Weighted PageRank (damping 0.85) of the nominee's accounts, summed, times the "
            "number of nodes (1 = the average account)"
        ),
        unit="multiples of the average account",
        direction="more central as a target of engagement",
        source=BRIN_1998,
        log_scale=True,
        when_undefined=f"0 when the nominee's accounts are not in the graph; {_NO_GRAPH}",
        source_table="interactions",
    ),
    FeatureSpec(
        name="distinct_engagers",
        family="network",
        definition=(
            "Distinct other accounts with at least one interaction towards the nominee's accounts"
        ),
        unit="accounts",
        direction="engages more people",
        source=CHA_2010,
        log_scale=True,
        when_undefined=f"0 when nobody engaged; {_NO_GRAPH}",
        source_table="interactions",
    ),
    FeatureSpec(
        name="engagement_from_nominees",
        family="network",
        definition="Interactions towards the nominee from accounts of other nominees of the year",
        unit="interactions",
        direction="more recognised by peers",
        source=CHA_2010,
        log_scale=True,
        when_undefined=f"0 when no other nominee engaged; {_NO_GRAPH}",
        source_table="interactions, accounts",
    ),
    FeatureSpec(
        name="standing_weighted_engagement",
        family="network",
        definition=(
            "Sum over interactions received of log10(1 + the engager's followers) (engagers with "
            "unknown followers count 0)"
        ),
        unit="log10 accounts",
        direction="engaged by accounts with standing",
        source=ROMERO_2011,
        log_scale=True,
        when_undefined=f"0 when nobody engaged; {_NO_GRAPH}",
        source_table="interactions, accounts",
    ),
    FeatureSpec(
        name="betweenness",
        family="network",
        definition=(
            "Normalised betweenness of the nominee's best-placed account in the undirected "
            "interaction graph; exact up to 200 nodes, above that estimated from up to 16 pivot "
            "sources drawn (seeded) from the nominees' own accounts, so that pseudonymisation "
            "cannot change it (scaled by nodes / pivots)"
        ),
        unit="share of shortest paths, 0 to 1",
        direction="more of a bridge between others",
        source=BRANDES_2007,
        log_scale=True,
        when_undefined=f"0 when the nominee's accounts are not in the graph; {_NO_GRAPH}",
        source_table="interactions",
    ),
    # --- new audiences -------------------------------------------------------------------
    FeatureSpec(
        name="distinct_engagers_per_post",
        family="audiences",
        definition="Distinct engagers (see distinct_engagers) per own post",
        unit="accounts per post",
        direction="each post reaches more people",
        source=BAKSHY_2011,
        log_scale=True,
        when_undefined="missing when there are no own posts",
        source_table="interactions, posts",
    ),
    FeatureSpec(
        name="outside_engager_share",
        family="audiences",
        definition=(
            "Communities are detected in the whole undirected, weighted interaction graph by "
            "Leiden (modularity, seeded). Share of the nominee's distinct engagers outside the "
            "community of the nominee's main account (the one most engaged with)"
        ),
        unit="share, 0 to 1",
        direction="reaches beyond its own community",
        source=TRAAG_2019,
        log_scale=False,
        when_undefined="missing when nobody engaged",
        source_table="interactions",
    ),
    FeatureSpec(
        name="participation_coefficient",
        family="audiences",
        definition=(
            "P = 1 − Σ_s (k_s / k)², k = interactions (both directions, weighted) of the nominee's"
            " accounts, k_s those with accounts in community s"
        ),
        unit="coefficient, 0 to 1",
        direction="links spread over more communities",
        source=GUIMERA_2005,
        log_scale=False,
        when_undefined="missing when the nominee has no interactions",
        source_table="interactions",
    ),
    FeatureSpec(
        name="engager_community_entropy",
        family="audiences",
        definition="Shannon entropy (bits) of the communities of the nominee's distinct engagers",
        unit="bits",
        direction="audience drawn from more communities",
        source=SHANNON_1948,
        log_scale=False,
        when_undefined="missing when nobody engaged",
        source_table="interactions",
    ),
    FeatureSpec(
        name="new_engager_share",
        family="audiences",
        definition=(
            "Share of this year's distinct engagers who did not engage with the nominee's accounts"
            " in the previous year's interactions (ids are comparable because pseudonyms are "
            "stable under the same key); only for nominees whose accounts were collected in the "
            "previous year (posted in its posts table)"
        ),
        unit="share, 0 to 1",
        direction="reaches new people",
        source=BAKSHY_2011,
        log_scale=False,
        when_undefined=(
            "missing when there is no previous year (its interactions or posts table is absent: "
            "the first year, or a year whose previous year was not processed or has no posts), "
            "when none of the nominee's accounts posted in the previous year (their engagers were "
            "not collected then), or when nobody engaged"
        ),
        source_table="interactions (this and the previous year)",
    ),
    # --- conversation --------------------------------------------------------------------
    FeatureSpec(
        name="threads_started",
        family="conversation",
        definition=(
            "Own posts (originals and quotes) whose reply tree (replies, replies to replies, ... "
            "followed through referenced_post_id) holds replies from at least 3 distinct other "
            "accounts"
        ),
        unit="threads",
        direction="starts conversations others join",
        source=KAUSHIK_2011,
        log_scale=True,
        when_undefined=f"0 when the nominee posted nothing; {_NOT_COLLECTED}",
        source_table="posts",
    ),
    FeatureSpec(
        name="chats_hosted",
        family="conversation",
        definition=(
            "Own original posts carrying at least one hashtag whose reply tree gets replies from "
            "at least 5 distinct other accounts within 60 minutes of the post (a hosted tweet "
            "chat)"
        ),
        unit="chats",
        direction="hosts community chats",
        source=KAUSHIK_2011,
        log_scale=True,
        when_undefined=f"0 when the nominee posted nothing; {_NOT_COLLECTED}",
        source_table="posts",
    ),
    FeatureSpec(
        name="reciprocity",
        family="conversation",
        definition=(
            "Share of the nominee's distinct engagers to whom the nominee's accounts replied in "
            "the year (an interaction of kind reply back)"
        ),
        unit="share, 0 to 1",
        direction="answers the people who engage",
        source=ROMERO_2011,
        log_scale=False,
        when_undefined="missing when nobody engaged",
        source_table="interactions",
    ),
    FeatureSpec(
        name="media_share",
        family="conversation",
        definition="Own posts with media (images, video) as a share of own posts",
        unit="share, 0 to 1",
        direction="richer posts",
        source=BAKSHY_2011,
        log_scale=False,
        when_undefined="missing when there are no own posts",
        source_table="posts",
    ),
    FeatureSpec(
        name="platforms_used",
        family="conversation",
        definition=(
            "Platforms (x, bluesky, mastodon, blog) with at least one post by the nominee in the "
            "year (blog: in the 365 days to the window's end); for a nominee with no posts, "
            "platforms with posts in account_metrics"
        ),
        unit="platforms",
        direction="present on more platforms",
        source=CHA_2010,
        log_scale=False,
        when_undefined="0 when the nominee posted nothing",
        source_table="posts, blog_posts" + _M,
    ),
    # --- influence beyond volume ---------------------------------------------------------
    FeatureSpec(
        name="influence_residual",
        family="influence",
        definition=(
            "Residual of log(1 + engagement received on own posts) on log(1 + own posts), least "
            "squares fitted across all nominees of the year with own posts (per platform: across "
            "the nominees with own posts on that platform); for nominees with no posts, the same "
            "fit of log(1 + reposts and mentions received) on log(1 + posts) across nominees in "
            'account_metrics. With src.config.INFLUENCE_FIT_POPULATION = "all_accounts", fitted '
            "across every account with own posts (or every account of the metric table) instead"
        ),
        unit="log engagement (natural)",
        direction="earns more than its output predicts",
        source=ROMERO_2011 + "; " + CHA_2010,
        log_scale=False,
        when_undefined=(
            "missing without own posts and without metric posts, or with fewer than 3 nominees to "
            "fit"
        ),
        source_table="posts" + _M,
        per_platform=True,
        per_platform_why=_WHY_FIT,
    ),
)

FEATURES: dict[str, FeatureSpec] = {
    spec.name: spec for spec in sorted(_SPECS, key=lambda s: FAMILIES.index(s.family))
}


#: What an account-level metric table gives, under the features' own names, for a nominee
#: with no posts (see :mod:`src.features.metrics`).
FROM_METRIC_TABLES = (
    "posts_per_day",
    "amplification_rate",
    "mentions_received_per_post",
    "platforms_used",
    "influence_residual",
)
#: The features computed from posts and interactions alone. For a nominee whose figures
#: come from an account-level metric table they are missing, not 0: the nominee posted
#: and was engaged with, but the table holds neither the posts nor who engaged. (Reach
#: and blog features come from other tables and stay.)
NOT_IN_METRICS = tuple(
    name
    for name, spec in FEATURES.items()
    if re.split(r"[ ,;(]", spec.source_table, maxsplit=1)[0] in ("posts", "interactions")
    and name not in FROM_METRIC_TABLES
)


def features_in(*families: str) -> list[str]:
    """Names of the features of the given families, in dictionary order."""
    return [name for name, spec in FEATURES.items() if spec.family in families]


def feature_dictionary() -> pd.DataFrame:
    """The dictionary as a table, one row per feature."""
    return pd.DataFrame([asdict(spec) for spec in FEATURES.values()])
