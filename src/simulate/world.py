"""A simulated world of NHS nominees, the accounts that engage with them, and a panel.

Generative model (all draws from one seeded ``numpy.random.Generator``):

*People* (a pool larger than one year's list, so people recur across years). Each has a
category (weights loosely follow the mix of the HSJ/Nursing Times lists: nurses most
common, then doctors, organisations, managers, allied health professionals, patients and
carers), an archetype and latent traits drawn independently of each other:

- ``activity``: posts per day, log-normal (median 1.3, sd of log 1.0; heavy right
  tail, as posting rates are in Cha et al. 2010 and Romero et al. 2011);
- ``quality``: standard normal; multiplies the engagement each post earns;
- ``conversation``: standard normal; raises the share of replies and the replies received;
- ``followers``: log-normal (median about 1,500, sd of log 1.3), loosely tied to quality.

Archetypes are named from where the independent draws fall: *broadcasters* post a lot
(top quarter of activity) and earn little per post; *quiet experts* post rarely (bottom
30%) and earn much; *conversationalists* reply a lot and draw replies; *typical* is the
rest. *Automated feeds* (a third of organisations) are the one shifted group: eight times
the activity, much lower quality and conversation, links on every post. Prolific people
repost more (repost share rises with log activity), whatever their quality.

*Engagement* on a post: expected likes = 0.02 × followers^0.7 × exp(0.9 × quality), so it
grows sublinearly with followers (the elasticity below 1 follows Bakshy et al. 2011's
finding that audience size alone predicts cascades weakly); reposts and replies are
fractions of that, replies raised by conversation. Counts are gamma-Poisson (negative
binomial, shape 1.5), so a few posts take most of the engagement.

*Panel*: each year's nominees get a merit score = 1.0 × quality + 0.6 × conversation
+ 0.3 × standardised log followers + noise (sd 0.7); the top ``selected_per_year`` are
selected and the first ten ranked. Activity does not enter: picks follow impact, not
volume, and the noise keeps the panel imperfect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

CATEGORY_WEIGHTS = {
    "nurse": 0.28,
    "doctor": 0.20,
    "organisation": 0.14,
    "manager": 0.12,
    "allied health professional": 0.12,
    "patient or carer": 0.10,
    "other": 0.04,
}
ARCHETYPES = ("typical", "broadcaster", "automated_feed", "quiet_expert", "conversationalist")

_FIRST = ("Ada", "Bea", "Cal", "Dev", "Eli", "Fen", "Gus", "Hal", "Ida", "Jo", "Kit", "Lou", "Mo", "Nia", "Oli", "Pip", "Rae", "Sol", "Tam", "Viv")
_LAST = ("Ashby", "Brook", "Carrow", "Dunmore", "Ellery", "Fairley", "Garside", "Holloway", "Inglis", "Jessop", "Kettle", "Lark", "Merriam", "Norland", "Oakes", "Pell", "Quarry", "Rook", "Sallow", "Thorne")
_ORG_KIND = ("Trust", "Health Board", "Charity", "Network", "Union Branch", "CCG")
_PLACE = ("Northvale", "Southmere", "Eastwick", "Westholm", "Midbury", "Ravensfield", "Lowmoor", "Highcross")


@dataclass(frozen=True)
class SimulationSize:
    """How big a world to make. ``standard`` is the bundled sample; ``small`` is for tests."""

    people: int
    nominees_per_year: int
    selected_per_year: int
    audience: int
    window_days: int

    @classmethod
    def preset(cls, name: str) -> "SimulationSize":
        presets = {
            "small": cls(people=70, nominees_per_year=48, selected_per_year=12, audience=400, window_days=28),
            "standard": cls(people=320, nominees_per_year=200, selected_per_year=50, audience=3000, window_days=56),
        }
        if name not in presets:
            raise ValueError(f"unknown sample size {name!r}; choose one of: {', '.join(presets)}")
        return presets[name]


def make_people(size: SimulationSize, rng: np.random.Generator) -> pd.DataFrame:
    """The pool of people who may be nominated, with their latent traits (the ground truth).

    Activity, quality and conversation are drawn independently, so volume and impact
    vary independently among people; archetypes are named from where a person's draws
    fall (prolific but low quality: broadcaster; quiet but high quality: quiet expert).
    Only the automated feeds, a minority of organisations, are shifted on purpose.
    """
    n = size.people
    categories = rng.choice(list(CATEGORY_WEIGHTS), size=n, p=np.array(list(CATEGORY_WEIGHTS.values())))
    activity = np.exp(rng.normal(np.log(1.3), 1.0, n))
    quality = rng.normal(0.0, 1.0, n)
    conversation = rng.normal(0.0, 1.0, n)
    is_feed = (categories == "organisation") & (rng.random(n) < 0.35)
    activity = np.where(is_feed, activity * 8.0, activity)
    quality = np.where(is_feed, quality - 1.5, quality)
    conversation = np.where(is_feed, conversation - 1.5, conversation)
    prolific = activity >= np.quantile(activity, 0.75)
    quiet = activity <= np.quantile(activity, 0.30)
    archetype = np.select(
        [is_feed, prolific & (quality < 0), quiet & (quality > 0.5), conversation > 1.0],
        ["automated_feed", "broadcaster", "quiet_expert", "conversationalist"],
        "typical",
    )
    followers = np.exp(rng.normal(np.log(1500) + 0.35 * quality, 1.3, n)).round().astype(int)
    followers = np.where(categories == "organisation", followers * 3, followers)
    ids = [f"N{i:04d}" for i in range(1, n + 1)]
    names = []
    for i in range(n):
        if categories[i] == "organisation":
            names.append(f"{_PLACE[rng.integers(len(_PLACE))]} {_ORG_KIND[rng.integers(len(_ORG_KIND))]} (simulated)")
        else:
            names.append(f"{_FIRST[rng.integers(len(_FIRST))]} {_LAST[rng.integers(len(_LAST))]} (simulated)")
    handles = [f"sim_{name.split()[0].lower()}_{pid.lower()}" for name, pid in zip(names, ids)]
    return pd.DataFrame(
        {
            "nominee_id": ids,
            "name": names,
            "category": categories,
            "archetype": archetype,
            "x_handle": handles,
            "x_user_id": _unique_ids(rng, n, low=10**8, high=2 * 10**9),
            "activity": activity,
            "quality": quality,
            "conversation": conversation,
            "followers": followers,
        }
    )


def make_audience(size: SimulationSize, rng: np.random.Generator) -> pd.DataFrame:
    """Accounts that are never nominated but engage with nominees (pseudonymised on ingest)."""
    n = size.audience
    return pd.DataFrame(
        {
            "x_user_id": _unique_ids(rng, n, low=2 * 10**9, high=4 * 10**9),
            "handle": [f"sim_user_{i:05d}" for i in range(n)],
            "followers": np.exp(rng.normal(np.log(300), 1.4, n)).round().astype(int),
            # A few audience accounts are very active engagers (heavy tail).
            "engagement_weight": rng.pareto(1.5, n) + 1.0,
        }
    )


def _unique_ids(rng: np.random.Generator, n: int, low: int, high: int) -> list[str]:
    """``n`` distinct numeric ids in ``[low, high)``, as strings (X ids are strings)."""
    ids: list[int] = []
    seen: set[int] = set()
    while len(ids) < n:
        for value in rng.integers(low, high, size=2 * (n - len(ids)) + 8).tolist():
            if value not in seen and len(ids) < n:
                seen.add(value)
                ids.append(value)
    return [str(v) for v in ids]


def panel_decisions(nominees: pd.DataFrame, size: SimulationSize, rng: np.random.Generator) -> pd.DataFrame:
    """Add ``merit``, ``selected`` and ``rank`` to a year's nominees (see module docstring)."""
    log_followers = np.log1p(nominees["followers"].to_numpy(dtype=float))
    reach = (log_followers - log_followers.mean()) / (log_followers.std() or 1.0)
    merit = (
        1.0 * nominees["quality"].to_numpy()
        + 0.6 * nominees["conversation"].to_numpy()
        + 0.3 * reach
        + rng.normal(0.0, 0.7, len(nominees))
    )
    order = np.argsort(-merit, kind="stable")
    selected = np.zeros(len(nominees), dtype=bool)
    selected[order[: size.selected_per_year]] = True
    rank = np.full(len(nominees), pd.NA, dtype=object)
    for position, index in enumerate(order[:10], start=1):
        rank[index] = position
    return nominees.assign(merit=merit, selected=selected, rank=pd.array(rank, dtype="Int64"))


def nominees_for_year(people: pd.DataFrame, size: SimulationSize, year_index: int, rng: np.random.Generator) -> pd.DataFrame:
    """Pick a year's nominees from the pool; traits drift a little from year to year."""
    chosen = np.sort(rng.choice(len(people), size=size.nominees_per_year, replace=False))
    year = people.iloc[chosen].copy()
    drift = rng.normal(0.0, 0.2, (len(year), 2))
    year["quality"] = year["quality"] + drift[:, 0]
    year["conversation"] = year["conversation"] + drift[:, 1]
    year["followers"] = (year["followers"] * np.exp(0.08 * year_index + rng.normal(0, 0.05, len(year)))).round().astype(int)
    year["nominated_by"] = 1 + rng.poisson(1.0 + 0.4 * np.log1p(year["followers"].to_numpy()) / 3)
    return year.reset_index(drop=True)
