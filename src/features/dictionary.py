"""Every feature, declared once: name, family, definition, unit, direction and source.

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

from dataclasses import asdict, dataclass

import pandas as pd

CHA_2010 = "Cha, Haddadi, Benevenuto & Gummadi (2010), Measuring user influence in Twitter: the million follower fallacy, ICWSM"
ROMERO_2011 = (
    "Romero, Galuba, Asur & Huberman (2011), Influence and passivity in social media, ECML PKDD"
)
BAKSHY_2011 = "Bakshy, Hofman, Mason & Watts (2011), Everyone's an influencer: quantifying influence on Twitter, WSDM"
KAUSHIK_2011 = "Kaushik (2011), Best social media metrics: conversation, amplification, applause, economic value, Occam's Razor blog"
HIRSCH_2005 = "Hirsch (2005), An index to quantify an individual's scientific research output, PNAS 102(46), applied to posts"
GOH_2008 = "Goh & Barabási (2008), Burstiness and memory in complex systems, EPL 81, 48002"
GUIMERA_2005 = (
    "Guimerà & Amaral (2005), Functional cartography of complex metabolic networks, Nature 433"
)
BRIN_1998 = "Brin & Page (1998), The anatomy of a large-scale hypertextual web search engine; applied to Twitter by Cha et al. (2010)"
BRANDES_2007 = "Brandes & Pich (2007), Centrality estimation in large networks, IJBC 17(7) (pivot-sampled betweenness; Freeman 1977)"
TRAAG_2019 = "Traag, Waltman & van Eck (2019), From Louvain to Leiden: guaranteeing well-connected communities, Sci. Rep. 9"
SHANNON_1948 = "Shannon (1948) entropy of engagers' communities; community detection per Traag, Waltman & van Eck (2019)"
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

#: Post-derived counts that are 0 for a nominee with no posts, but missing for one whose
#: figures come from an account-level metric table (they posted; their posts were not collected).
NOT_IN_METRICS = (
    "own_posts_per_day",
    "active_day_share",
    "repost_h_index",
    "like_h_index",
    "threads_started",
    "chats_hosted",
)

_OWN = "own posts (originals, replies and quotes: everything but reposts, whose counts in X API v2 are the reposted post's)"
_M = "; for a nominee with no posts, from account_metrics"
#: Why a feature is also kept per platform (``per_platform_why``).
_WHY_OUTPUT = "Posting norms differ by platform, and a post cross-posted to two platforms counts twice in the combined value"
_WHY_REPOST = "A repost is a retweet on X, a repost on Bluesky and a boost on Mastodon: each platform's own habit"
_WHY_FOLLOWERS = "A follower on X, Bluesky or Mastodon is a different audience (network size, how feeds show posts), so the sum mixes unlike quantities"
_WHY_LISTS = "Only X reports list counts; Bluesky and Mastodon accounts have none"
_WHY_COUNTS = "Likes, reposts (retweets, boosts), replies and quotes are counted by each platform for its own audience and interface (Mastodon has no quotes), so a rate mixes unlike counts"
_WHY_FIT = "Engagement per post differs in level by platform, so what an account earns beyond its output is also fitted among the nominees on the same platform"
_G = "The interaction graph has one node per account and an edge engager → author for every reply, mention, repost and quote in interactions (weight = number of interactions, self-loops and links between one nominee's own accounts dropped)"

_SPECS = (
    # --- volume -------------------------------------------------------------------------
    FeatureSpec(
        "posts_per_day",
        "volume",
        "All posts (including reposts) in the observation window divided by its length in days; for a nominee with no posts, posts in account_metrics periods divided by the days those periods cover",
        "posts per day",
        "more output (not more influence)",
        CHA_2010,
        True,
        "0 when the nominee posted nothing",
        "posts" + _M,
        per_platform=True,
        per_platform_why=_WHY_OUTPUT,
    ),
    FeatureSpec(
        "own_posts_per_day",
        "volume",
        f"Number of {_OWN} per day of the observation window",
        "posts per day",
        "more own output",
        CHA_2010,
        True,
        "0 when the nominee posted nothing; missing when the nominee's figures come from account_metrics (they posted, but their posts are not in the table)",
        "posts",
        per_platform=True,
        per_platform_why=_WHY_OUTPUT,
    ),
    FeatureSpec(
        "repost_share",
        "volume",
        "Reposts (retweets) as a share of all posts",
        "share, 0 to 1",
        "more passing-on of others' posts",
        ROMERO_2011,
        False,
        "missing when the nominee posted nothing",
        "posts",
        per_platform=True,
        per_platform_why=_WHY_REPOST,
    ),
    FeatureSpec(
        "reply_share",
        "volume",
        "Replies as a share of all posts (issue 4 puts it on the volume axis: how much of the output is replies)",
        "share, 0 to 1",
        "more of the output in replies",
        ROMERO_2011,
        False,
        "missing when the nominee posted nothing",
        "posts",
    ),
    FeatureSpec(
        "active_day_share",
        "volume",
        "Distinct calendar days (UTC) with at least one post, as a share of the observation window's days",
        "share, 0 to 1",
        "posts on more days",
        CHA_2010,
        False,
        "0 when the nominee posted nothing; missing when the nominee's figures come from account_metrics (they posted, but their posts are not in the table)",
        "posts",
    ),
    FeatureSpec(
        "blog_posts_per_month",
        "volume",
        "Blog posts published in the 365 days ending on the last day of the observation window, divided by 12",
        "posts per month",
        "more blogging",
        CHA_2010,
        True,
        "0 when the nominee has no blog posts; missing when the year has no blog_posts table",
        "blog_posts",
    ),
    FeatureSpec(
        "burstiness",
        "volume",
        "B = (σ − μ) / (σ + μ) of the times between the nominee's consecutive posts (all platforms): −1 perfectly regular, 0 Poisson-random, towards 1 bursty",
        "coefficient, −1 to 1",
        "more bursty posting",
        GOH_2008,
        False,
        "missing with fewer than 3 posts or when all posts share one timestamp",
        "posts",
    ),
    # --- reach --------------------------------------------------------------------------
    FeatureSpec(
        "log10_followers",
        "reach",
        "log10(1 + followers), the followers at collection time summed over the nominee's accounts (per platform: that platform's accounts)",
        "log10 accounts",
        "bigger potential audience",
        CHA_2010,
        False,
        "missing when no account reports followers",
        "accounts (latest account_metrics period where the account came from a metric table)",
        per_platform=True,
        per_platform_why=_WHY_FOLLOWERS,
    ),
    FeatureSpec(
        "listed_per_1k_followers",
        "reach",
        "Lists that include the nominee's accounts per 1,000 followers of those accounts, over the accounts that report both (X: Bluesky and Mastodon report no lists)",
        "lists per 1,000 followers",
        "more often curated by others",
        CHA_2010,
        True,
        "missing when no account reports both lists and followers, or their followers are 0",
        "accounts",
        per_platform=True,
        per_platform_why=_WHY_LISTS,
    ),
    FeatureSpec(
        "followers_per_following",
        "reach",
        "Followers divided by accounts followed, each summed over the nominee's accounts that report both",
        "ratio",
        "followed by more than it follows",
        CHA_2010,
        True,
        "missing when following is 0 or unknown",
        "accounts",
        per_platform=True,
        per_platform_why=_WHY_FOLLOWERS,
    ),
    FeatureSpec(
        "follower_growth",
        "reach",
        "(followers in the latest account_metrics period − followers in the earliest) / followers in the earliest, over the nominee's accounts with at least two periods",
        "relative change",
        "audience growing faster",
        CHA_2010,
        False,
        "missing without two snapshots or when the earliest count is 0",
        "account_metrics",
        per_platform=True,
        per_platform_why=_WHY_FOLLOWERS,
    ),
    # --- engagement ---------------------------------------------------------------------
    FeatureSpec(
        "amplification_rate",
        "engagement",
        f"Reposts received per own post, over {_OWN}; for a nominee with no posts, reposts_received / posts of account_metrics",
        "reposts per post",
        "more passed on by others",
        KAUSHIK_2011,
        True,
        "missing when there are no own posts",
        "posts" + _M,
        per_platform=True,
        per_platform_why=_WHY_REPOST,
    ),
    FeatureSpec(
        "conversation_rate",
        "engagement",
        "Replies received per own post",
        "replies per post",
        "more conversation drawn",
        KAUSHIK_2011,
        True,
        "missing when there are no own posts",
        "posts",
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    FeatureSpec(
        "applause_rate",
        "engagement",
        "Likes received per own post",
        "likes per post",
        "more approval",
        KAUSHIK_2011,
        True,
        "missing when there are no own posts",
        "posts",
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    FeatureSpec(
        "engagement_per_1k_followers",
        "engagement",
        "Reposts, replies, likes and quotes received per own post, per 1,000 followers, over the nominee's accounts whose followers are known",
        "engagements per post per 1,000 followers",
        "more engagement than audience size alone gives",
        BAKSHY_2011,
        True,
        "missing when there are no own posts on accounts with known followers, or those followers are 0",
        "posts, accounts",
        per_platform=True,
        per_platform_why=_WHY_FOLLOWERS,
    ),
    FeatureSpec(
        "mentions_received_per_post",
        "engagement",
        "Mentions of the nominee's accounts by other accounts (interactions of kind mention) per own post; for a nominee with no posts, mentions_received / posts of account_metrics",
        "mentions per post",
        "more talked about",
        CHA_2010,
        True,
        "missing when there are no own posts",
        "interactions, posts" + _M,
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    FeatureSpec(
        "repost_h_index",
        "engagement",
        "Largest h such that h own posts were each reposted at least h times",
        "posts",
        "consistently amplified posts",
        HIRSCH_2005,
        True,
        "0 when there are no own posts; missing when the nominee's figures come from account_metrics (they posted, but their posts are not in the table)",
        "posts",
        per_platform=True,
        per_platform_why=_WHY_REPOST,
    ),
    FeatureSpec(
        "like_h_index",
        "engagement",
        "Largest h such that h own posts were each liked at least h times",
        "posts",
        "consistently liked posts",
        HIRSCH_2005,
        True,
        "0 when there are no own posts; missing when the nominee's figures come from account_metrics (they posted, but their posts are not in the table)",
        "posts",
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    FeatureSpec(
        "engaged_post_share",
        "engagement",
        "Share of own posts with at least one like, repost, reply or quote",
        "share, 0 to 1",
        "fewer posts ignored",
        KAUSHIK_2011,
        False,
        "missing when there are no own posts",
        "posts",
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    FeatureSpec(
        "top_decile_engagement_share",
        "engagement",
        "Share of all engagement received (likes + reposts + replies + quotes) earned by the nominee's top 10% own posts (the ceil(n/10) most engaged)",
        "share, 0 to 1",
        "engagement concentrated in a few hits",
        GINI,
        False,
        "missing when the own posts earned no engagement",
        "posts",
        per_platform=True,
        per_platform_why=_WHY_COUNTS,
    ),
    # --- network ------------------------------------------------------------------------
    FeatureSpec(
        "pagerank",
        "network",
        f"{_G}. Weighted PageRank (damping 0.85) of the nominee's accounts, summed, times the number of nodes (1 = the average account)",
        "multiples of the average account",
        "more central as a target of engagement",
        BRIN_1998,
        True,
        "0 when the nominee's accounts are not in the graph",
        "interactions",
    ),
    FeatureSpec(
        "distinct_engagers",
        "network",
        "Distinct other accounts with at least one interaction towards the nominee's accounts",
        "accounts",
        "engages more people",
        CHA_2010,
        True,
        "0 when nobody engaged",
        "interactions",
    ),
    FeatureSpec(
        "engagement_from_nominees",
        "network",
        "Interactions towards the nominee from accounts of other nominees of the year",
        "interactions",
        "more recognised by peers",
        CHA_2010,
        True,
        "0 when no other nominee engaged",
        "interactions, accounts",
    ),
    FeatureSpec(
        "standing_weighted_engagement",
        "network",
        "Sum over interactions received of log10(1 + the engager's followers) (engagers with unknown followers count 0)",
        "log10 accounts",
        "engaged by accounts with standing",
        ROMERO_2011,
        True,
        "0 when nobody engaged",
        "interactions, accounts",
    ),
    FeatureSpec(
        "betweenness",
        "network",
        "Normalised betweenness of the nominee's best-placed account in the undirected interaction graph; exact up to 200 nodes, above that estimated from up to 16 pivot sources drawn (seeded) from the nominees' own accounts, so that pseudonymisation cannot change it (scaled by nodes / pivots)",
        "share of shortest paths, 0 to 1",
        "more of a bridge between others",
        BRANDES_2007,
        True,
        "0 when the nominee's accounts are not in the graph",
        "interactions",
    ),
    # --- new audiences ------------------------------------------------------------------
    FeatureSpec(
        "distinct_engagers_per_post",
        "audiences",
        "Distinct engagers (see distinct_engagers) per own post",
        "accounts per post",
        "each post reaches more people",
        BAKSHY_2011,
        True,
        "missing when there are no own posts",
        "interactions, posts",
    ),
    FeatureSpec(
        "outside_engager_share",
        "audiences",
        "Communities are detected in the whole undirected, weighted interaction graph by Leiden (modularity, seeded). Share of the nominee's distinct engagers outside the community of the nominee's main account (the one most engaged with)",
        "share, 0 to 1",
        "reaches beyond its own community",
        TRAAG_2019,
        False,
        "missing when nobody engaged",
        "interactions",
    ),
    FeatureSpec(
        "participation_coefficient",
        "audiences",
        "P = 1 − Σ_s (k_s / k)², k = interactions (both directions, weighted) of the nominee's accounts, k_s those with accounts in community s",
        "coefficient, 0 to 1",
        "links spread over more communities",
        GUIMERA_2005,
        False,
        "missing when the nominee has no interactions",
        "interactions",
    ),
    FeatureSpec(
        "engager_community_entropy",
        "audiences",
        "Shannon entropy (bits) of the communities of the nominee's distinct engagers",
        "bits",
        "audience drawn from more communities",
        SHANNON_1948,
        False,
        "missing when nobody engaged",
        "interactions",
    ),
    FeatureSpec(
        "new_engager_share",
        "audiences",
        "Share of this year's distinct engagers who did not engage with the nominee's accounts in the previous year's interactions (ids are comparable because pseudonyms are stable under the same key); only for nominees whose accounts were collected in the previous year (posted in its posts table)",
        "share, 0 to 1",
        "reaches new people",
        BAKSHY_2011,
        False,
        "missing when there is no previous year (its interactions or posts table is absent: the first year, or a year whose previous year was not processed or has no posts), when none of the nominee's accounts posted in the previous year (their engagers were not collected then), or when nobody engaged",
        "interactions (this and the previous year)",
    ),
    # --- conversation -------------------------------------------------------------------
    FeatureSpec(
        "threads_started",
        "conversation",
        "Own posts (originals and quotes) whose reply tree (replies, replies to replies, ... followed through referenced_post_id) holds replies from at least 3 distinct other accounts",
        "threads",
        "starts conversations others join",
        KAUSHIK_2011,
        True,
        "0 when the nominee posted nothing; missing when the nominee's figures come from account_metrics (they posted, but their posts are not in the table)",
        "posts",
    ),
    FeatureSpec(
        "chats_hosted",
        "conversation",
        "Own original posts carrying at least one hashtag whose reply tree gets replies from at least 5 distinct other accounts within 60 minutes of the post (a hosted tweet chat)",
        "chats",
        "hosts community chats",
        KAUSHIK_2011,
        True,
        "0 when the nominee posted nothing; missing when the nominee's figures come from account_metrics (they posted, but their posts are not in the table)",
        "posts",
    ),
    FeatureSpec(
        "reciprocity",
        "conversation",
        "Share of the nominee's distinct engagers to whom the nominee's accounts replied in the year (an interaction of kind reply back)",
        "share, 0 to 1",
        "answers the people who engage",
        ROMERO_2011,
        False,
        "missing when nobody engaged",
        "interactions",
    ),
    FeatureSpec(
        "media_share",
        "conversation",
        "Own posts with media (images, video) as a share of own posts",
        "share, 0 to 1",
        "richer posts",
        BAKSHY_2011,
        False,
        "missing when there are no own posts",
        "posts",
    ),
    FeatureSpec(
        "platforms_used",
        "conversation",
        "Platforms (x, bluesky, mastodon, blog) with at least one post by the nominee in the year (blog: in the 365 days to the window's end); for a nominee with no posts, platforms with posts in account_metrics",
        "platforms",
        "present on more platforms",
        CHA_2010,
        False,
        "0 when the nominee posted nothing",
        "posts, blog_posts" + _M,
    ),
    # --- influence beyond volume --------------------------------------------------------
    FeatureSpec(
        "influence_residual",
        "influence",
        'Residual of log(1 + engagement received on own posts) on log(1 + own posts), least squares fitted across all nominees of the year with own posts (per platform: across the nominees with own posts on that platform); for nominees with no posts, the same fit of log(1 + reposts and mentions received) on log(1 + posts) across nominees in account_metrics. With src.config.INFLUENCE_FIT_POPULATION = "all_accounts", fitted across every account with own posts (or every account of the metric table) instead',
        "log engagement (natural)",
        "earns more than its output predicts",
        ROMERO_2011 + "; " + CHA_2010,
        False,
        "missing without own posts and without metric posts, or with fewer than 3 nominees to fit",
        "posts" + _M,
        per_platform=True,
        per_platform_why=_WHY_FIT,
    ),
)

FEATURES: dict[str, FeatureSpec] = {
    spec.name: spec for spec in sorted(_SPECS, key=lambda s: FAMILIES.index(s.family))
}


def features_in(*families: str) -> list[str]:
    """Names of the features of the given families, in dictionary order."""
    return [name for name, spec in FEATURES.items() if spec.family in families]


def feature_dictionary() -> pd.DataFrame:
    """The dictionary as a table, one row per feature."""
    return pd.DataFrame([asdict(spec) for spec in FEATURES.values()])
