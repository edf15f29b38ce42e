"""Archetypes: clusters of a year's nominees on their standardised profiles, named by rules.

- :func:`profile_axes`: the axes of a nominee's profile (volume, passing on, and one per
  other family) and the features averaged on each;
- :class:`ArchetypeRule` and :data:`ARCHETYPE_RULES`: each name's signature on the
  profile; :func:`name_archetype` and :func:`describe_profile` name and describe a
  cluster from its mean profile;
- :func:`archetypes`: cluster the year's nominees (k-means) and name every cluster.

Archetypes do not use the panel's decision, so they are given even when no model can be
fitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans

from src.features.dictionary import FEATURES
from src.model.estimators import single_threaded
from src.model.feature_sets import full_features, standardised

#: How far (in standard deviations of the year's nominees) a cluster's mean must sit from
#: the year's average on every axis of a signature for the signature to name it: a small
#: standardised effect (Cohen's d of 0.2 is "small"), so a name says something real about
#: the cluster without asking for the half-SD departures only a few outlying clusters show.
ARCHETYPE_THRESHOLD = 0.25
#: The name of a cluster within the threshold of the year's average on every axis.
RESIDUAL_ARCHETYPE = "typical nominee"
#: The name of a cluster that departs from the average, but in no pattern a rule names
#: (its ``distinguished_by`` says where).
MIXED_ARCHETYPE = "mixed profile"


@dataclass(frozen=True)
class ArchetypeRule:
    """An archetype's signature: the profile axes it reads, and on which side of average each
    must sit."""

    name: str
    signature: tuple[tuple[str, int], ...]  #: (axis, +1 above average / -1 below)
    meaning: str  #: what the name says, in words

    def margin(self, profile: Mapping[str, float], threshold: float = ARCHETYPE_THRESHOLD) -> float:
        """How far beyond the threshold the profile sits on its least-met axis (< 0: the rule
        does not fit).

        An axis the table does not have (for example conversation in a table built from
        account-level metrics) makes the rule inapplicable: ``-inf``.
        """
        values = []
        for axis, side in self.signature:
            value = profile.get(axis)
            if value is None or not np.isfinite(value):
                return -np.inf
            values.append(side * float(value) - threshold)
        return min(values)


#: The archetypes a cluster can be named, by signature on its profile (see :func:`profile_axes`).
#: A cluster takes the name whose signature it meets by the widest margin, i.e. the one
#: that most distinguishes it from the year's average nominee; the rules are written on
#: standardised profiles, never on the sample's raw values.
ARCHETYPE_RULES: tuple[ArchetypeRule, ...] = (
    ArchetypeRule(
        "broadcaster",
        (("volume", +1), ("engagement", -1)),
        "posts more than the average nominee and earns less per post",
    ),
    ArchetypeRule(
        "amplifier",
        (("passing on", +1), ("engagement", -1)),
        "passes on others' posts (more of its posts are reposts than the average nominee's) "
        "and earns less on its own",
    ),
    ArchetypeRule(
        "quiet expert",
        (("volume", -1), ("engagement", +1)),
        "posts less than the average nominee and earns more per post",
    ),
    ArchetypeRule(
        "influential voice",
        (("engagement", +1), ("network", +1)),
        "earns more per post and is more central in the engagement network than the average "
        "nominee",
    ),
    ArchetypeRule(
        "conversationalist",
        (("conversation", +1),),
        "replies, starts threads others join, hosts chats and answers its engagers more than "
        "the average nominee",
    ),
    ArchetypeRule(
        "bridge",
        (("audiences", +1),),
        "reaches engagers from more communities, beyond its own, than the average nominee",
    ),
    ArchetypeRule(
        "low-engagement account",
        (("engagement", -1), ("network", -1)),
        "earns less per post and draws fewer and less central engagers than the average nominee",
    ),
)

#: Volume-family features that say how an account posts, not how much (kept off the volume axis).
_NOT_OUTPUT = ("repost_share", "burstiness")


def profile_axes(features: list[str]) -> dict[str, list[str]]:
    """The axes of a nominee's profile and the features averaged on each.

    ``volume`` is how much is posted (the volume family without ``repost_share`` and
    ``burstiness``, which say how rather than how much); ``passing on`` is the repost
    share; every other family is one axis. Each axis is the mean of its features'
    standardised values, so a family counts once however many features it has.
    """
    axes: dict[str, list[str]] = {}
    for name in features:
        if name == "repost_share":
            axes.setdefault("passing on", []).append(name)
        elif name not in _NOT_OUTPUT:
            axes.setdefault(FEATURES[name].family, []).append(name)
    return axes


def name_archetype(
    profile: Mapping[str, float],
    rules: tuple[ArchetypeRule, ...] = ARCHETYPE_RULES,
    threshold: float = ARCHETYPE_THRESHOLD,
) -> str:
    """Name a cluster from its mean profile (axis -> mean standardised value).

    The rule the profile meets by the widest margin names it (the earlier rule on a tie);
    when no rule fits, it is :data:`RESIDUAL_ARCHETYPE` if every axis is within
    ``threshold`` of the average, else :data:`MIXED_ARCHETYPE`.
    """
    best, best_margin = None, -np.inf
    for rule in rules:
        margin = rule.margin(profile, threshold)
        if margin >= 0 and margin > best_margin:
            best, best_margin = rule.name, margin
    if best is not None:
        return best
    departs = any(np.isfinite(v) and abs(v) >= threshold for v in profile.values())
    return MIXED_ARCHETYPE if departs else RESIDUAL_ARCHETYPE


def describe_profile(profile: Mapping[str, float], threshold: float = ARCHETYPE_THRESHOLD) -> str:
    """The axes on which a profile departs from the average, largest first, in words."""
    parts = sorted(
        (
            (abs(v), axis, v)
            for axis, v in profile.items()
            if np.isfinite(v) and abs(v) >= threshold
        ),
        reverse=True,
    )
    if not parts:
        return "within a quarter of a standard deviation of the year's average on every axis"
    return "; ".join(f"{axis} {value:+.1f} SD" for _, axis, value in parts[:4])


@single_threaded
def archetypes(
    table: pd.DataFrame, *, seed: int = 0, k: int = 6
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cluster the year's nominees on their standardised profiles; name each cluster from what
    distinguishes it.

    Every feature is imputed, logged where heavy-tailed and standardised against the
    year's nominees (as the logistic model sees it); a nominee's profile is the mean
    standardised value on each axis of :func:`profile_axes`. K-means (``k`` clusters,
    fewer for small years: one per 8 nominees at most) groups the profiles, and each
    cluster is named by :func:`name_archetype` from its mean profile. Every nominee is
    assigned. Clustering the profiles rather than the ~35 standardised features
    themselves makes each family count once (otherwise the many engagement and network
    features drown the few conversation and audience ones, and most nominees fall in one
    central cluster no name fits), and puts the clusters in the space the names are read
    from.

    Returns (assignment: nominee_id, cluster, archetype; profile: one row per cluster with
    its mean on each axis, ``archetype``, ``nominees`` and ``distinguished_by`` in words).
    """
    features = full_features(table)
    if not features or len(table) == 0:
        assignment = pd.DataFrame(
            {
                "nominee_id": table["nominee_id"].to_numpy(),
                "cluster": 0,
                "archetype": RESIDUAL_ARCHETYPE,
            }
        )
        return assignment, pd.DataFrame(
            {
                "archetype": [RESIDUAL_ARCHETYPE],
                "nominees": [len(table)],
                "distinguished_by": ["no feature varies between nominees"],
            }
        )
    _, z = standardised(table, features, seed)
    axes = profile_axes(list(z.columns))
    if not axes:
        assignment = pd.DataFrame(
            {
                "nominee_id": table["nominee_id"].to_numpy(),
                "cluster": 0,
                "archetype": RESIDUAL_ARCHETYPE,
            }
        )
        return assignment, pd.DataFrame(
            {
                "archetype": [RESIDUAL_ARCHETYPE],
                "nominees": [len(table)],
                "distinguished_by": ["no profile axis varies between nominees"],
            }
        )
    profiles = pd.DataFrame(
        {axis: z[columns].mean(axis=1) for axis, columns in axes.items()}, index=table.index
    )
    k = max(1, min(k, len(table) // 8))
    labels = (
        KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(profiles.to_numpy())
        if k > 1
        else np.zeros(len(table), dtype=int)
    )
    profile = profiles.groupby(labels).mean()
    names = {cluster: name_archetype(row.to_dict()) for cluster, row in profile.iterrows()}
    assignment = pd.DataFrame(
        {
            "nominee_id": table["nominee_id"].to_numpy(),
            "cluster": labels,
            "archetype": [names[c] for c in labels],
        }
    )
    described = profile.assign(
        archetype=[names[c] for c in profile.index],
        nominees=pd.Series(labels).value_counts().reindex(profile.index).to_numpy(),
        distinguished_by=[describe_profile(row.to_dict()) for _, row in profile.iterrows()],
    )
    return assignment, described
