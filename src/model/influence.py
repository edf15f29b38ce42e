"""What distinguishes influential from merely prolific accounts: validation, explanation,
archetypes, year over year, and consistency across categories (issue 5).

Everything is plain scikit-learn, seeded, with no hidden state: each function takes the
feature table (one row per nominee-year, as :func:`src.features.build_features` writes
it, optionally several years stacked) and returns tables.

Validation is repeated cross-validation *grouped by person* (``nominee_id`` is stable
across years), so someone nominated in several years never sits on both sides of a
split, and stratified by the panel's decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from src.features.dictionary import FEATURES
from src.model.compare import MIN_PER_CLASS, make_classifier, single_threaded


def families_in(table: pd.DataFrame) -> dict[str, list[str]]:
    """Feature names by family, for the features the table has and that vary."""
    out: dict[str, list[str]] = {}
    for name, spec in FEATURES.items():
        if (
            name in table.columns
            and table[name].notna().any()
            and table[name].nunique(dropna=True) > 1
        ):
            out.setdefault(spec.family, []).append(name)
    return out


def model_sets(table: pd.DataFrame) -> dict[str, list[str]]:
    """The feature sets compared: volume only, reach only, and every family together."""
    families = families_in(table)
    every = [name for names in families.values() for name in names]
    sets = {
        "volume only": families.get("volume", []),
        "reach only": families.get("reach", []),
        "influence (logistic)": every,
    }
    return {name: features for name, features in sets.items() if features}


def shared_features(train: pd.DataFrame, apply_to: pd.DataFrame) -> list[str]:
    """The full model's features that vary in ``train`` and exist in ``apply_to`` (where they may be missing)."""
    return [
        name
        for name in model_sets(train).get("influence (logistic)", [])
        if name in apply_to.columns
    ]


def boosted_classifier(seed: int, n_samples: int | None = None) -> HistGradientBoostingClassifier:
    """The gradient-boosted influence model (handles missing values natively).

    A leaf holds at least a tenth of the training rows, between 5 and 20 (scikit-learn's
    default of 20): with the default, a year of 48 nominees (38 to train on per fold) can
    hardly split, and the model predicts the base rate for everyone.
    """
    leaf = 20 if n_samples is None else int(np.clip(n_samples // 10, 5, 20))
    return HistGradientBoostingClassifier(
        max_depth=3,
        learning_rate=0.1,
        max_iter=100,
        l2_regularization=1.0,
        min_samples_leaf=leaf,
        random_state=seed,
    )


@dataclass
class Evaluation:
    """Cross-validated scores of each model on the same grouped folds."""

    status: str
    message: str
    folds: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  #: model, repeat, fold, auc, log_loss, brier
    predictions: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  #: model, row, repeat, fold, score, label

    def summary(self) -> pd.DataFrame:
        """Per model and metric: mean and the 2.5 and 97.5 percentiles across folds."""
        if self.folds.empty:
            return pd.DataFrame()
        long = self.folds.melt(
            id_vars=["model", "repeat", "fold"], var_name="metric", value_name="value"
        )
        grouped = long.groupby(["model", "metric"], sort=False)["value"]
        return pd.DataFrame(
            {
                "mean": grouped.mean(),
                "low": grouped.quantile(0.025),
                "high": grouped.quantile(0.975),
            }
        ).reset_index()

    def calibration(self, model: str, bins: int = 5) -> pd.DataFrame:
        """Mean predicted against observed selection rate, by quantile bin of the out-of-fold score.

        ``observed_low``/``observed_high`` is the 95% Wilson interval of the observed rate,
        counting each nominee-year once (``n`` counts it once per repeat).
        """
        rows = (
            self.predictions[self.predictions["model"] == model]
            if not self.predictions.empty
            else self.predictions
        )
        columns = ["bin", "predicted", "observed", "n", "observed_low", "observed_high"]
        if rows.empty:
            return pd.DataFrame(columns=columns)
        binned = pd.qcut(rows["score"].rank(method="first"), q=min(bins, len(rows)), labels=False)
        grouped = rows.groupby(binned)
        n = grouped.size().to_numpy()
        observed = grouped["label"].mean().to_numpy()
        low, high = wilson_interval(observed, n / max(rows["repeat"].nunique(), 1))
        return pd.DataFrame(
            {
                "bin": grouped.size().index,
                "predicted": grouped["score"].mean().to_numpy(),
                "observed": observed,
                "n": n,
                "observed_low": low,
                "observed_high": high,
            }
        )[columns]

    def calibration_slope(self, model: str) -> dict[str, float]:
        """Calibration intercept and slope of the out-of-fold scores (logistic recalibration, Cox 1958).

        Fitted per repeat (each repeat scores every nominee-year once); returns the mean and
        the range over repeats. A slope below 1 means over-confident scores, above 1
        scores shrunk towards the average; an intercept away from 0 means miscalibrated
        in the large.
        """
        rows = (
            self.predictions[self.predictions["model"] == model]
            if not self.predictions.empty
            else self.predictions
        )
        fits = []
        for _, group in rows.groupby("repeat"):
            if group["label"].nunique() < 2:
                continue
            p = np.clip(group["score"].to_numpy(), 1e-6, 1 - 1e-6)
            fit = LogisticRegression(C=np.inf).fit(
                np.log(p / (1 - p)).reshape(-1, 1), group["label"].to_numpy()
            )
            fits.append((float(fit.intercept_[0]), float(fit.coef_[0, 0])))
        if not fits:
            return {}
        array = np.array(fits)
        return {
            "intercept": float(array[:, 0].mean()),
            "intercept_low": float(array[:, 0].min()),
            "intercept_high": float(array[:, 0].max()),
            "slope": float(array[:, 1].mean()),
            "slope_low": float(array[:, 1].min()),
            "slope_high": float(array[:, 1].max()),
            "repeats": len(fits),
        }


def wilson_interval(
    rate: np.ndarray, n: np.ndarray, z: float = 1.96
) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval of a proportion ``rate`` observed on ``n`` trials."""
    rate, n = np.asarray(rate, dtype=float), np.asarray(n, dtype=float)
    denominator = 1 + z**2 / n
    centre = (rate + z**2 / (2 * n)) / denominator
    half = z * np.sqrt(rate * (1 - rate) / n + z**2 / (4 * n**2)) / denominator
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


@single_threaded
def evaluate(
    table: pd.DataFrame,
    *,
    seed: int = 0,
    n_splits: int = 5,
    n_repeats: int = 5,
    label: str = "selected",
    boosted: bool = True,
) -> Evaluation:
    """Repeated stratified K-fold grouped by person; every model on the same folds."""
    y = table[label].astype(int).to_numpy()
    groups = table["nominee_id"].to_numpy()
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    if min(positives, negatives) < MIN_PER_CLASS:
        return Evaluation(
            "not enough picks",
            f"{positives} selected and {negatives} not selected: too few to cross-validate (at least {MIN_PER_CLASS} of each are needed).",
        )
    n_splits = min(n_splits, positives, negatives, len(set(groups)))
    sets = model_sets(table)
    if not sets:
        return Evaluation(
            "no usable features",
            "No feature varies between these nominees (every feature column is missing or constant), so no model can be fitted.",
        )
    models: dict[str, tuple[Callable[[int], Any], list[str]]] = {
        name: (lambda n, f=features: make_classifier(f, seed), features)
        for name, features in sets.items()
    }
    if boosted and "influence (logistic)" in sets:
        models["influence (boosted)"] = (
            lambda n: boosted_classifier(seed, n),
            sets["influence (logistic)"],
        )
    fold_rows, prediction_rows = [], []
    matrices = {name: _matrix(table, features) for name, (_, features) in models.items()}
    for repeat in range(n_repeats):
        splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed + repeat)
        for fold, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y, groups)):
            if len(set(y[test])) < 2 or len(set(y[train])) < 2:
                continue
            for name, (factory, features) in models.items():
                X = matrices[name]
                fitted = factory(len(train)).fit(X[train], y[train])
                score = fitted.predict_proba(X[test])[:, 1]
                fold_rows.append(
                    {
                        "model": name,
                        "repeat": repeat,
                        "fold": fold,
                        "auc": roc_auc_score(y[test], score),
                        "log_loss": log_loss(
                            y[test], np.clip(score, 1e-6, 1 - 1e-6), labels=[0, 1]
                        ),
                        "brier": brier_score_loss(y[test], score),
                    }
                )
                prediction_rows.append(
                    pd.DataFrame(
                        {
                            "model": name,
                            "row": test,
                            "repeat": repeat,
                            "fold": fold,
                            "score": score,
                            "label": y[test],
                        }
                    )
                )
    return Evaluation(
        "ok",
        f"{n_repeats} repeats of {n_splits}-fold cross-validation grouped by person and stratified by the panel's decision, on {len(y)} nominee-years ({positives} selected).",
        pd.DataFrame(fold_rows),
        pd.concat(prediction_rows, ignore_index=True) if prediction_rows else pd.DataFrame(),
    )


def answer_in_words(
    evaluation: Evaluation,
    importance: pd.DataFrame,
    effect: pd.DataFrame,
    *,
    feature: str = "posts_per_day",
) -> list[str]:
    """The answer to the project's question, in sentences with their numbers.

    How much better the full influence model ranks the panel's picks than volume alone
    (cross-validated AUC, paired over the same folds), which families carry most
    (permutation importance), and how the probability of selection moves across the range
    of volume with everything else held fixed (partial dependence).
    """
    sentences = []
    folds = evaluation.folds
    if not folds.empty and {"influence (logistic)", "volume only"} <= set(folds["model"]):
        auc = folds.pivot_table(index=["repeat", "fold"], columns="model", values="auc")
        full, volume = auc["influence (logistic)"], auc["volume only"]
        gain = full - volume
        sentences.append(
            f"The full influence model ranks the panel's picks above the others with a cross-validated ROC AUC of {full.mean():.2f} "
            f"(95% of folds {full.quantile(0.025):.2f} to {full.quantile(0.975):.2f}); volume alone reaches {volume.mean():.2f} "
            f"({volume.quantile(0.025):.2f} to {volume.quantile(0.975):.2f}), where 0.50 is a coin toss. "
            f"On the same folds the influence model was better by {gain.mean():+.2f} on average, and better in {(gain > 0).mean():.0%} of {len(gain)} folds."
        )
    if not importance.empty:
        top = importance.head(3)
        listed = ", ".join(f"{row.family} ({row.mean:.2f})" for row in top.itertuples())
        by_family = importance.set_index("family")["mean"]
        volume_text = (
            f"; shuffling volume costs {by_family['volume']:.2f}"
            if "volume" in by_family.index and "volume" not in set(top["family"])
            else ""
        )
        sentences.append(
            f"The families that carry most (drop in cross-validated AUC when a family is shuffled): {listed}{volume_text}."
        )
    if (
        not effect.empty
        and "probability" in effect.columns
        and feature in effect.columns
        and len(effect) >= 2
    ):
        first, last = effect.iloc[0], effect.iloc[-1]
        p0, p1 = float(first["probability"]), float(last["probability"])
        odds = (p1 / (1 - p1)) / (p0 / (1 - p0)) if 0 < p0 < 1 and 0 < p1 < 1 else float("nan")
        interval = ""
        if {"probability_low", "probability_high"} <= set(effect.columns):
            interval = f" (95% bootstrap intervals {first['probability_low']:.0%}-{first['probability_high']:.0%} and {last['probability_low']:.0%}-{last['probability_high']:.0%})"
        sentences.append(
            f"With every other feature held at each nominee's own value, going from {first[feature]:.2g} to {last[feature]:.2g} {feature.replace('_', ' ')} "
            f"(the 5th to the 95th percentile) moves the average probability of selection from {p0:.0%} to {p1:.0%}{interval}, odds x{odds:.2f}."
        )
    return sentences


def _matrix(table: pd.DataFrame, features: list[str]) -> np.ndarray:
    """The feature columns as a float array, missing and infinite values as NaN: the many small fits index it by row."""
    matrix = np.array(
        table[features].to_numpy(dtype=float, na_value=np.nan), dtype=float, copy=True
    )  # pandas may hand back a read-only view
    matrix[~np.isfinite(matrix)] = np.nan
    return matrix


def _standardised(table: pd.DataFrame, features: list[str], seed: int):
    """The full model's design matrix: imputed, logged where heavy-tailed, standardised over ``table``."""
    model = make_classifier(features, seed)
    prepare = model[:-1].fit(table[features])
    return model, pd.DataFrame(
        prepare.transform(table[features]), columns=features, index=table.index
    )


def person_resamples(
    people: np.ndarray, y: np.ndarray, n_boot: int, seed: int
) -> Iterator[np.ndarray]:
    """Row indices of ``n_boot`` bootstrap resamples of people (all of a person's
    nominee-years go in or out together), seeded; resamples holding only one class of
    ``y`` are skipped (a classifier cannot be fitted on them)."""
    unique = np.unique(people)
    index_of = {p: np.flatnonzero(people == p) for p in unique}
    rng = np.random.default_rng(seed)
    for _ in range(n_boot):
        rows = np.concatenate(
            [index_of[p] for p in rng.choice(unique, size=len(unique), replace=True)]
        )
        if len(set(y[rows])) == 2:
            yield rows


@single_threaded
def bootstrap_coefficients(
    table: pd.DataFrame, *, seed: int = 0, n_boot: int = 200, label: str = "selected"
) -> pd.DataFrame:
    """Logistic coefficients on standardised features, with bootstrap 95% intervals.

    Resamples people (all of a person's years together), refits, and reports the 2.5 and
    97.5 percentiles of each coefficient: per standard deviation of the (logged) feature,
    in log-odds of selection.
    """
    features = model_sets(table)["influence (logistic)"]
    model = make_classifier(features, seed)
    y = table[label].astype(int).to_numpy()
    X = _matrix(table, features)
    full = clone(model).fit(X, y)
    names = list(features)
    draws = [
        clone(model).fit(X[rows], y[rows])[-1].coef_[0]
        for rows in person_resamples(table["nominee_id"].to_numpy(), y, n_boot, seed)
    ]
    draws_array = np.array(draws)
    return pd.DataFrame(
        {
            "feature": names,
            "family": [FEATURES[n].family for n in names],
            "coefficient": full[-1].coef_[0],
            "low": np.quantile(draws_array, 0.025, axis=0),
            "high": np.quantile(draws_array, 0.975, axis=0),
        }
    ).sort_values("coefficient", key=np.abs, ascending=False, ignore_index=True)


@single_threaded
def family_contributions(
    table: pd.DataFrame,
    *,
    train: pd.DataFrame | None = None,
    seed: int = 0,
    label: str = "selected",
) -> pd.DataFrame:
    """Each nominee's log-odds contribution from each family (full logistic model).

    The model is fitted on ``train`` (default: ``table`` itself) and applied to ``table``.
    Contribution of a family = sum over its features of coefficient × standardised value
    (standardised as in the training data): exactly how the fitted logistic model moves
    that nominee's odds from the training data's average, so that the contributions plus
    the intercept are the logit of ``score``. Pass the training table of the model that
    produced a nominee's score to explain that very score.
    """
    train = table if train is None else train
    features = shared_features(train, table)
    y = train[label].astype(int).to_numpy()
    model = make_classifier(features, seed).fit(train[features], y)
    transformed = model[:-1].transform(table[features])
    names = list(features)
    contributions = pd.DataFrame(transformed * model[-1].coef_[0], columns=names, index=table.index)
    by_family = contributions.T.groupby([FEATURES[n].family for n in names]).sum().T
    by_family.insert(0, "nominee_id", table["nominee_id"].to_numpy())
    by_family["score"] = model.predict_proba(table[features])[:, 1]
    return by_family


def explain_in_words(row: pd.Series, families: list[str], threshold: float = 0.25) -> str:
    """A nominee's family contributions as a sentence ("carried up by ...; held back by ...")."""
    ups = sorted(((row[f], f) for f in families if row[f] >= threshold), reverse=True)
    downs = sorted((row[f], f) for f in families if row[f] <= -threshold)
    parts = []
    if ups:
        parts.append(
            "carried up by " + " and ".join(f"{name} ({value:+.1f})" for value, name in ups[:3])
        )
    if downs:
        parts.append(
            "held back by " + " and ".join(f"{name} ({value:+.1f})" for value, name in downs[:3])
        )
    return (
        "; ".join(parts) if parts else "close to the average nominee on every family"
    ) + " (log-odds of selection)."


# --- archetypes --------------------------------------------------------------------------

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
    """An archetype's signature: the profile axes it reads and the side of average each must sit on."""

    name: str
    signature: tuple[tuple[str, int], ...]  #: (axis, +1 above average / -1 below)
    meaning: str  #: what the name says, in words

    def margin(self, profile: Mapping[str, float], threshold: float = ARCHETYPE_THRESHOLD) -> float:
        """How far beyond the threshold the profile sits on its least-met axis (< 0: the rule does not fit).

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
        "passes on others' posts (more of its posts are reposts than the average nominee's) and earns less on its own",
    ),
    ArchetypeRule(
        "quiet expert",
        (("volume", -1), ("engagement", +1)),
        "posts less than the average nominee and earns more per post",
    ),
    ArchetypeRule(
        "influential voice",
        (("engagement", +1), ("network", +1)),
        "earns more per post and is more central in the engagement network than the average nominee",
    ),
    ArchetypeRule(
        "conversationalist",
        (("conversation", +1),),
        "replies, starts threads others join, hosts chats and answers its engagers more than the average nominee",
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
    """Cluster the year's nominees on their standardised profiles; name each cluster from what distinguishes it.

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
    features = model_sets(table).get("influence (logistic)", [])
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
    _, z = _standardised(table, features, seed)
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


@single_threaded
def permutation_importance_by_family(
    table: pd.DataFrame,
    *,
    seed: int = 0,
    n_splits: int = 5,
    n_permutations: int = 5,
    n_repeats: int = 1,
    label: str = "selected",
) -> pd.DataFrame:
    """Drop in held-out ROC AUC of the boosted model when one family's columns are shuffled together.

    Shuffling a whole family at once (rows permuted jointly) measures what the family
    carries beyond the others, without splitting credit between correlated features of
    the same family. Folds are grouped by person (``n_repeats`` repeats of ``n_splits``
    folds); returns per family the mean drop and its 2.5/97.5 percentiles over folds and
    permutations, largest first (empty when no fold holds both classes).
    """
    features = model_sets(table).get("influence (logistic)", [])
    families = families_in(table)
    y = table[label].astype(int).to_numpy()
    n_splits = min(n_splits, int(y.sum()), int(len(y) - y.sum()), table["nominee_id"].nunique())
    rng = np.random.default_rng(seed)
    rows = []
    X = _matrix(table, features)
    for repeat in range(n_repeats if n_splits >= 2 and features else 0):
        splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed + repeat)
        for fold, (train, test) in enumerate(
            splitter.split(np.zeros(len(y)), y, table["nominee_id"].to_numpy())
        ):
            if len(set(y[test])) < 2 or len(set(y[train])) < 2:
                continue
            model = boosted_classifier(seed, len(train)).fit(X[train], y[train])
            held_out = X[test]
            base = roc_auc_score(y[test], model.predict_proba(held_out)[:, 1])
            # Every shuffled copy of the fold is scored in one call (one predict per fold, not per copy).
            copies, labels = [], []
            for family, columns in families.items():
                positions = [features.index(c) for c in columns]
                for _ in range(n_permutations):
                    shuffled = held_out.copy()
                    order = rng.permutation(len(shuffled))
                    shuffled[:, positions] = held_out[order][:, positions]
                    copies.append(shuffled)
                    labels.append(family)
            scores = model.predict_proba(np.vstack(copies))[:, 1].reshape(len(copies), len(test))
            for family, score in zip(labels, scores):
                rows.append(
                    {
                        "family": family,
                        "repeat": repeat,
                        "fold": fold,
                        "drop": base - roc_auc_score(y[test], score),
                    }
                )
    if not rows:
        return pd.DataFrame(columns=["family", "mean", "low", "high"])
    grouped = pd.DataFrame(rows).groupby("family")["drop"]
    return (
        pd.DataFrame(
            {
                "mean": grouped.mean(),
                "low": grouped.quantile(0.025),
                "high": grouped.quantile(0.975),
            }
        )
        .sort_values("mean", ascending=False)
        .reset_index()
    )


@single_threaded
def volume_effect(
    table: pd.DataFrame,
    *,
    seed: int = 0,
    feature: str = "posts_per_day",
    label: str = "selected",
    n_boot: int = 0,
) -> pd.DataFrame:
    """How the odds of selection change with volume once everything else is held fixed.

    Partial dependence on ``feature``: for each grid value (the 5th to 95th percentile),
    every nominee's ``feature`` is set to it, other features kept as they are, and the
    predicted probabilities averaged. ``probability`` is the full logistic model's,
    ``probability_low``/``probability_high`` its 2.5 and 97.5 percentiles over ``n_boot``
    refits on people resampled with replacement (when ``n_boot`` > 0), and
    ``probability_boosted`` the gradient-boosted model's (which can bend where the
    logistic model cannot).
    """
    features = model_sets(table).get("influence (logistic)", [])
    if feature not in features:
        return pd.DataFrame(columns=[feature, "probability"])
    y = table[label].astype(int).to_numpy()
    X = _matrix(table, features)
    column = features.index(feature)
    grid = np.unique(np.quantile(table[feature].dropna(), np.linspace(0.05, 0.95, 10)))
    varied = np.tile(X, (len(grid), 1))
    varied[:, column] = np.repeat(grid, len(X))

    def curve(model: Any) -> np.ndarray:
        return model.predict_proba(varied)[:, 1].reshape(len(grid), len(X)).mean(axis=1)

    out = pd.DataFrame(
        {feature: grid, "probability": curve(make_classifier(features, seed).fit(X, y))}
    )
    if n_boot > 0:
        draws = [
            curve(make_classifier(features, seed).fit(X[rows], y[rows]))
            for rows in person_resamples(table["nominee_id"].to_numpy(), y, n_boot, seed)
        ]
        if draws:
            out["probability_low"] = np.quantile(draws, 0.025, axis=0)
            out["probability_high"] = np.quantile(draws, 0.975, axis=0)
    out["probability_boosted"] = curve(boosted_classifier(seed, len(y)).fit(X, y))
    return out


@single_threaded
def score_from_earlier_years(
    history: pd.DataFrame,
    current: pd.DataFrame,
    *,
    seed: int = 0,
    label: str = "selected",
    n_boot: int = 100,
) -> pd.DataFrame:
    """Train on all earlier years, score this year's nominees, with bootstrap intervals.

    Returns nominee_id, score (probability of selection), score_low/high (2.5/97.5
    percentiles over models refitted on resampled people), rank (1 = most backed) and
    rank_low/high. Raises ValueError when the history cannot support a model.
    """
    features = shared_features(history, current)
    y = history[label].astype(int).to_numpy()
    if min(int(y.sum()), int(len(y) - y.sum())) < MIN_PER_CLASS:
        raise ValueError(
            "the earlier years hold too few selected or unselected nominees to train on"
        )
    model = make_classifier(features, seed)
    X, target = _matrix(history, features), _matrix(current, features)
    score = clone(model).fit(X, y).predict_proba(target)[:, 1]
    draws = [
        clone(model).fit(X[rows], y[rows]).predict_proba(target)[:, 1]
        for rows in person_resamples(history["nominee_id"].to_numpy(), y, n_boot, seed)
    ]
    if not draws:
        raise ValueError(
            "no resample of the earlier years held both selected and unselected nominees"
        )
    return _scores_with_intervals(current["nominee_id"].to_numpy(), score, np.array(draws))


def _scores_with_intervals(
    nominee_ids: np.ndarray, score: np.ndarray, draws: np.ndarray
) -> pd.DataFrame:
    """Per nominee: ``score``, its 95% interval over ``draws`` (one row per draw, NaN where
    a draw has no score), the rank of ``score`` (1 = most backed) and the 95% interval of
    the rank within each draw's ranking."""
    ranks = pd.DataFrame(-draws).rank(axis=1, method="min").to_numpy()
    return pd.DataFrame(
        {
            "nominee_id": nominee_ids,
            "score": score,
            "score_low": np.nanquantile(draws, 0.025, axis=0),
            "score_high": np.nanquantile(draws, 0.975, axis=0),
            "rank": pd.Series(-score).rank(method="min", na_option="bottom").astype(int).to_numpy(),
            "rank_low": np.floor(np.nanquantile(ranks, 0.025, axis=0)).astype(int),
            "rank_high": np.ceil(np.nanquantile(ranks, 0.975, axis=0)).astype(int),
        }
    )


@single_threaded
def score_within_year(
    table: pd.DataFrame,
    *,
    seed: int = 0,
    n_splits: int = 5,
    n_repeats: int = 20,
    label: str = "selected",
) -> pd.DataFrame:
    """Score a year with no earlier year to learn from: out-of-fold, with intervals across repeats.

    Each repeat splits the nominees into folds (grouped by person, stratified by the
    panel's decision), fits the full logistic model on the other folds and scores the
    held-out fold, so every nominee gets one score per repeat from a model that never saw
    them. ``score`` is the mean over repeats, ``score_low``/``score_high`` the 2.5 and 97.5
    percentiles; ``rank`` ranks the mean scores (1 = most backed) and ``rank_low``/
    ``rank_high`` are the percentiles of each repeat's ranking. These intervals show how
    much a score depends on which other nominees the model learnt from; they are narrower
    than a bootstrap over people would give. Raises ValueError with too few picks.
    """
    y = table[label].astype(int).to_numpy()
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    if min(positives, negatives) < MIN_PER_CLASS:
        raise ValueError(
            f"{positives} selected and {negatives} not selected: too few to score out of fold"
        )
    features = shared_features(table, table)
    groups = table["nominee_id"].to_numpy()
    n_splits = min(n_splits, positives, negatives, len(set(groups)))
    draws = np.full((n_repeats, len(y)), np.nan)
    X = _matrix(table, features)
    for repeat in range(n_repeats):
        splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed + repeat)
        for train, test in splitter.split(np.zeros(len(y)), y, groups):
            if len(set(y[train])) < 2:
                continue
            draws[repeat, test] = (
                make_classifier(features, seed).fit(X[train], y[train]).predict_proba(X[test])[:, 1]
            )
    return _scores_with_intervals(table["nominee_id"].to_numpy(), np.nanmean(draws, axis=0), draws)


def disagreements(
    current: pd.DataFrame, scores: pd.DataFrame, *, n: int = 10, label: str = "selected"
) -> pd.DataFrame:
    """The selected nominees the evidence backs least and the unselected it backs most."""
    merged = current[["nominee_id", "name", "category", label]].merge(scores, on="nominee_id")
    backed_least = (
        merged[merged[label]]
        .nsmallest(n, "score")
        .assign(review="selected, least backed by the evidence")
    )
    backed_most = (
        merged[~merged[label]]
        .nlargest(n, "score")
        .assign(review="not selected, most backed by the evidence")
    )
    return pd.concat([backed_least, backed_most], ignore_index=True)


def category_consistency(
    current: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    seed: int = 0,
    label: str = "selected",
    n_boot: int = 1000,
) -> pd.DataFrame:
    """Selections per category against what the model expects, with a bootstrap interval.

    Expected = the sum of the model's probabilities in the category. A ratio of selected
    to expected well above 1 (interval above 1) means the panel picked that category more
    often than its evidence predicts.
    """
    merged = current[["nominee_id", "category", label]].merge(
        scores[["nominee_id", "score"]], on="nominee_id"
    )
    rng = np.random.default_rng(seed)
    rows = []
    for category, group in merged.groupby("category", sort=True):
        selected, expected = int(group[label].sum()), float(group["score"].sum())
        samples = rng.integers(0, len(group), size=(n_boot, len(group)))
        s = group[label].to_numpy()[samples].sum(axis=1)
        e = group["score"].to_numpy()[samples].sum(axis=1)
        ratio = np.divide(s, e, out=np.full(n_boot, np.nan), where=e > 0)
        rows.append(
            {
                "category": category,
                "nominees": len(group),
                "selected": selected,
                "expected": expected,
                "ratio": selected / expected if expected > 0 else np.nan,
                "ratio_low": float(np.nanquantile(ratio, 0.025)),
                "ratio_high": float(np.nanquantile(ratio, 0.975)),
            }
        )
    return pd.DataFrame(rows)
