"""A simulated world of NHS nominees, the accounts that engage with them, and a panel.

Everything is drawn from seeded ``numpy.random.Generator`` streams, so a seed and a size
give the same world, byte for byte, on any machine.

*People* (a pool larger than one year's list, so people recur across years). Each has a
category, weighted loosely like the HSJ / Nursing Times lists (nurses most common, then
doctors, organisations, managers, allied health professionals, patients and carers),
which is also their *community*: engagement mostly stays within a profession (the
homophily of professional networks; McPherson, Smith-Lovin & Cook 2001). Latent traits are
drawn independently of each other:

- ``activity``: posts per day, log-normal (median 1.0, sd of log 1.0): heavy-tailed, as
  posting rates are (Cha et al. 2010; Romero et al. 2011);
- ``quality``: standard normal; multiplies the engagement each post earns;
- ``conversation``: standard normal; raises the share of replies made and received;
- ``bridging``: standard normal; the share of a person's engagers who come from other
  communities is logistic(-1.4 + 0.9 × bridging), about 20% at the mean: reach into new
  audiences;
- ``followers``: log-normal (median 1,500, sd of log 1.3), loosely tied to quality
  (organisations have three times as many).

Archetypes are named from where the independent draws fall: *broadcasters* post a lot
(top quarter of activity) and earn little per post; *quiet experts* post rarely (bottom
30%) and earn much; *bridges* reach far outside their community; *conversationalists*
reply a lot and draw replies; *typical* is the rest. *Automated feeds* (a third of
organisations) are the one shifted group: eight times the activity, much lower quality
and conversation, a link on every post. Prolific people repost more (repost share rises
with log activity), whatever their quality. A tenth of people, more among
conversationalists, host a weekly tweet chat.

*Names* are invented and distinct (:mod:`src.simulate.names`): no two people share one,
so nobody is mistaken for somebody else in a year's list or across years.

*Platforms*: everyone is on X; Bluesky from 2024 (a quarter of nominees, two fifths in
2025), Mastodon for about one in eight; a fifth keep a blog.

*Engagement* on an own post: expected likes = 0.015 × followers^0.7 × exp(0.9 × quality),
so engagement grows sublinearly with followers (audience size alone predicts cascades
weakly; Bakshy et al. 2011); reposts and replies are fractions of that, replies raised by
conversation. Counts are gamma-Poisson (negative binomial, shape 1.5), so a few posts
take most of the engagement. Each repost, reply and quote is an event by a named engager,
drawn from the audience (within the community or, with the bridging probability,
outside it) with heavy-tailed engager activity (Pareto, shape 1.5).

*Panel*: each year's nominees get a merit score = 1.0 × quality + 0.5 × bridging
+ 0.5 × conversation + 0.25 × standardised log followers + noise (sd 0.7); the top
``selected_per_year`` are selected and the first ten ranked. Activity does not enter:
picks follow impact, reach into new audiences and conversation, not volume, and the noise
keeps the panel imperfect.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from src.simulate.names import invent_names

CATEGORY_WEIGHTS = {
    "nurse": 0.28,
    "doctor": 0.20,
    "organisation": 0.14,
    "manager": 0.12,
    "allied health professional": 0.12,
    "patient or carer": 0.10,
    "other": 0.04,
}
COMMUNITIES = tuple(CATEGORY_WEIGHTS)
ARCHETYPES = (
    "typical",
    "broadcaster",
    "automated_feed",
    "quiet_expert",
    "conversationalist",
    "bridge",
)


@dataclass(frozen=True)
class SimulationSize:
    """How big a world to make.

    ``standard`` is the bundled sample; ``small`` is for tests; ``activity_scale``
    multiplies everyone's posting rate (and ``audience_scale`` the audience) to make the
    same world at benchmark sizes (see :meth:`scaled`).
    """

    people: int
    nominees_per_year: int
    selected_per_year: int
    audience: int
    window_days: int
    activity_scale: float = 1.0

    @classmethod
    def preset(cls, name: str) -> SimulationSize:
        presets = {
            "small": cls(
                people=70, nominees_per_year=48, selected_per_year=12, audience=600, window_days=21
            ),
            "standard": cls(
                people=330,
                nominees_per_year=210,
                selected_per_year=52,
                audience=12_000,
                window_days=28,
            ),
        }
        if name not in presets:
            raise ValueError(f"unknown sample size {name!r}; choose one of: {', '.join(presets)}")
        return presets[name]

    def scaled(self, posts_factor: float) -> SimulationSize:
        """The same world with ``posts_factor`` times the posts (activity and audience scaled)."""
        return replace(
            self,
            activity_scale=self.activity_scale * posts_factor,
            audience=int(self.audience * max(1.0, posts_factor**0.5)),
        )


def make_people(size: SimulationSize, rng: np.random.Generator) -> pd.DataFrame:
    """The pool of people who may be nominated, with their latent traits (the ground truth).

    Activity, quality, conversation and bridging are drawn independently, so volume and
    impact vary independently among people; only the automated feeds are shifted.
    """
    n = size.people
    categories = rng.choice(COMMUNITIES, size=n, p=np.array(list(CATEGORY_WEIGHTS.values())))
    activity = np.exp(rng.normal(0.0, 1.0, n))
    quality = rng.normal(0.0, 1.0, n)
    conversation = rng.normal(0.0, 1.0, n)
    bridging = rng.normal(0.0, 1.0, n)
    is_feed = (categories == "organisation") & (rng.random(n) < 0.35)
    activity = np.where(is_feed, activity * 8.0, activity)
    quality = np.where(is_feed, quality - 1.5, quality)
    conversation = np.where(is_feed, conversation - 1.5, conversation)
    bridging = np.where(is_feed, bridging - 1.0, bridging)
    prolific = activity >= np.quantile(activity, 0.75)
    quiet = activity <= np.quantile(activity, 0.30)
    archetype = np.select(
        [
            is_feed,
            prolific & (quality < 0),
            quiet & (quality > 0.5),
            bridging > 1.2,
            conversation > 1.0,
        ],
        ["automated_feed", "broadcaster", "quiet_expert", "bridge", "conversationalist"],
        "typical",
    )
    followers = np.exp(rng.normal(np.log(1500) + 0.35 * quality, 1.3, n)).round().astype(int)
    followers = np.where(categories == "organisation", followers * 3, followers)
    hosts_chat = (~is_feed) & (
        rng.random(n) < np.where(archetype == "conversationalist", 0.35, 0.07)
    )
    platform_draw = rng.random((n, 3))
    ids = [f"N{i:04d}" for i in range(1, n + 1)]
    names = invent_names(list(categories == "organisation"), rng)
    stems = [
        f"sim_{name.split()[0].lower()}_{pid.lower()}" for name, pid in zip(names, ids, strict=True)
    ]
    return pd.DataFrame(
        {
            "nominee_id": ids,
            "name": names,
            "category": categories,
            "community": categories,
            "archetype": archetype,
            "x_handle": stems,
            "x_user_id": unique_ids(rng, n, low=10**17, high=10**18),
            "activity": activity,
            "quality": quality,
            "conversation": conversation,
            "bridging": bridging,
            "followers": followers,
            "hosts_chat": hosts_chat,
            # Adoption thresholds: on Bluesky in a year when the year's adoption share
            # exceeds this draw; on Mastodon and blogging when below fixed shares.
            "bluesky_draw": platform_draw[:, 0],
            "on_mastodon": platform_draw[:, 1] < 0.12,
            "has_blog": platform_draw[:, 2] < 0.20,
        }
    )


def make_audience(size: SimulationSize, rng: np.random.Generator) -> pd.DataFrame:
    """Accounts that are never nominated but engage with nominees (pseudonymised on ingest)."""
    n = size.audience
    return pd.DataFrame(
        {
            "x_user_id": unique_ids(rng, n, low=10**18, high=2 * 10**18),
            "handle": [f"sim_user_{i:05d}" for i in range(n)],
            "community": rng.choice(
                COMMUNITIES, size=n, p=np.array(list(CATEGORY_WEIGHTS.values()))
            ),
            "followers": np.exp(rng.normal(np.log(300), 1.4, n)).round().astype(int),
            # A few audience accounts engage very often (heavy tail).
            "engagement_weight": rng.pareto(1.5, n) + 1.0,
        }
    )


def unique_ids(rng: np.random.Generator, n: int, low: int, high: int) -> list[str]:
    """``n`` distinct numeric ids in ``[low, high)``, as strings (platform ids are strings)."""
    ids: list[int] = []
    seen: set[int] = set()
    while len(ids) < n:
        for value in rng.integers(low, high, size=2 * (n - len(ids)) + 8, dtype=np.int64).tolist():
            if value not in seen and len(ids) < n:
                seen.add(value)
                ids.append(value)
    return [str(v) for v in ids]


def panel_decisions(
    nominees: pd.DataFrame, size: SimulationSize, rng: np.random.Generator
) -> pd.DataFrame:
    """Add ``merit``, ``selected`` and ``rank`` to a year's nominees (see the module docstring)."""
    log_followers = np.log1p(nominees["followers"].to_numpy(dtype=float))
    reach = (log_followers - log_followers.mean()) / (log_followers.std() or 1.0)
    merit = (
        1.0 * nominees["quality"].to_numpy()
        + 0.5 * nominees["bridging"].to_numpy()
        + 0.5 * nominees["conversation"].to_numpy()
        + 0.25 * reach
        + rng.normal(0.0, 0.7, len(nominees))
    )
    order = np.argsort(-merit, kind="stable")
    selected = np.zeros(len(nominees), dtype=bool)
    selected[order[: size.selected_per_year]] = True
    rank = np.full(len(nominees), pd.NA, dtype=object)
    for position, index in enumerate(order[:10], start=1):
        rank[index] = position
    return nominees.assign(merit=merit, selected=selected, rank=pd.array(rank, dtype="Int64"))


def bluesky_share(year: int) -> float:
    """Share of nominees on Bluesky in a year (none before its public opening in 2024)."""
    return {2024: 0.25, 2025: 0.40}.get(year, 0.0 if year < 2024 else 0.45)


def nominees_for_year(
    people: pd.DataFrame, size: SimulationSize, year: int, year_index: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Pick a year's nominees from the pool; traits drift a little from year to year."""
    chosen = np.sort(rng.choice(len(people), size=size.nominees_per_year, replace=False))
    year_frame = people.iloc[chosen].copy()
    drift = rng.normal(0.0, 0.2, (len(year_frame), 2))
    year_frame["quality"] = year_frame["quality"] + drift[:, 0]
    year_frame["conversation"] = year_frame["conversation"] + drift[:, 1]
    year_frame["activity"] = year_frame["activity"] * size.activity_scale
    year_frame["followers"] = (
        (year_frame["followers"] * np.exp(0.08 * year_index + rng.normal(0, 0.05, len(year_frame))))
        .round()
        .astype(int)
    )
    year_frame["nominated_by"] = 1 + rng.poisson(
        1.0 + 0.4 * np.log1p(year_frame["followers"].to_numpy()) / 3
    )
    year_frame["on_bluesky"] = year_frame["bluesky_draw"] < bluesky_share(year)
    return year_frame.reset_index(drop=True)
