"""Every feature, declared once: name, family, definition, unit, direction and source.

The report's appendix prints this table; the model reads ``family`` to build its
feature sets and ``log_scale`` to transform heavy-tailed counts before scaling.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

CHA_2010 = "Cha, Haddadi, Benevenuto & Gummadi (2010), Measuring user influence in Twitter: the million follower fallacy, ICWSM"
ROMERO_2011 = "Romero, Galuba, Asur & Huberman (2011), Influence and passivity in social media, ECML PKDD"
BAKSHY_2011 = "Bakshy, Hofman, Mason & Watts (2011), Everyone's an influencer: quantifying influence on Twitter, WSDM"
KAUSHIK_2011 = "Kaushik (2011), Best social media metrics: conversation, amplification, applause, economic value, Occam's Razor blog"


@dataclass(frozen=True)
class FeatureSpec:
    """What one feature means."""

    name: str
    family: str  #: volume, reach, engagement or conversation
    definition: str
    unit: str
    direction: str  #: how a higher value reads
    source: str
    log_scale: bool = False  #: heavy-tailed: the model takes log(1 + x)
    when_undefined: str = ""


_OWN = "own posts (originals, replies and quotes: everything but reposts, whose counts in X API v2 are the reposted post's)"

FEATURES: dict[str, FeatureSpec] = {
    spec.name: spec
    for spec in (
        FeatureSpec("posts_per_day", "volume", "All posts (including reposts) in the observation window divided by its length in days", "posts per day", "more output (not more influence)", CHA_2010, True, "0 when the nominee posted nothing"),
        FeatureSpec("own_posts_per_day", "volume", f"Number of {_OWN} per day of the observation window", "posts per day", "more own output", CHA_2010, True, "0 when the nominee posted nothing"),
        FeatureSpec("repost_share", "volume", "Reposts (retweets) as a share of all posts", "share, 0 to 1", "more passing-on of others' posts", ROMERO_2011, False, "missing when the nominee posted nothing"),
        FeatureSpec("reply_share", "conversation", "Replies as a share of all posts", "share, 0 to 1", "more conversation started by replying", ROMERO_2011, False, "missing when the nominee posted nothing"),
        FeatureSpec("log10_followers", "reach", "log10(1 + followers) at collection time, summed over the nominee's accounts", "log10 accounts", "bigger potential audience", CHA_2010, False, "missing when no account reports followers"),
        FeatureSpec("listed_per_1k_followers", "reach", "Lists that include the nominee's accounts per 1,000 followers", "lists per 1,000 followers", "more often curated by others", CHA_2010, True, "missing when followers are 0 or unknown"),
        FeatureSpec("amplification_rate", "engagement", f"Reposts received per own post, over {_OWN}", "reposts per post", "more passed on by others", KAUSHIK_2011, True, "missing when there are no own posts"),
        FeatureSpec("conversation_rate", "engagement", "Replies received per own post", "replies per post", "more conversation drawn", KAUSHIK_2011, True, "missing when there are no own posts"),
        FeatureSpec("applause_rate", "engagement", "Likes received per own post", "likes per post", "more approval", KAUSHIK_2011, True, "missing when there are no own posts"),
        FeatureSpec("engagement_per_1k_followers", "engagement", "Reposts, replies, likes and quotes received per own post, per 1,000 followers", "engagements per post per 1,000 followers", "more engagement than audience size alone gives", BAKSHY_2011, True, "missing when there are no own posts or no followers"),
    )
}


def features_in(*families: str) -> list[str]:
    """Names of the features of the given families, in dictionary order."""
    return [name for name, spec in FEATURES.items() if spec.family in families]


def feature_dictionary() -> pd.DataFrame:
    """The dictionary as a table, one row per feature."""
    return pd.DataFrame([asdict(spec) for spec in FEATURES.values()])
