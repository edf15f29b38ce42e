"""What the full influence model says, and why: coefficients, families, volume, words.

- :func:`bootstrap_coefficients`: the logistic coefficients with 95% intervals from
  resampling people;
- :func:`family_contributions` and :func:`explain_in_words`: each nominee's log-odds
  contribution per feature family, and that as a sentence;
- :func:`permutation_importance_by_family`: what each family carries (drop in held-out
  AUC when it is shuffled);
- :func:`volume_effect`: how the odds of selection move with volume, influence held fixed;
- :func:`answer_in_words`: the project's question answered in sentences with numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from src.features.dictionary import FEATURES
from src.model.estimators import boosted_classifier, make_classifier, single_threaded
from src.model.feature_sets import families_in, feature_matrix, full_features, shared_features
from src.model.scoring import person_resamples


@single_threaded
def bootstrap_coefficients(
    table: pd.DataFrame, *, seed: int = 0, n_boot: int = 200, label: str = "selected"
) -> pd.DataFrame:
    """Logistic coefficients on standardised features, with bootstrap 95% intervals.

    Resamples people (all of a person's years together), refits, and reports the 2.5 and
    97.5 percentiles of each coefficient: per standard deviation of the (logged) feature,
    in log-odds of selection. Largest coefficient (in size) first.
    """
    features = full_features(table)
    model = make_classifier(features, seed)
    y = table[label].astype(int).to_numpy()
    X = feature_matrix(table, features)
    full = clone(model).fit(X, y)
    draws = np.array(
        [
            clone(model).fit(X[rows], y[rows])[-1].coef_[0]
            for rows in person_resamples(table["nominee_id"].to_numpy(), y, n_boot, seed)
        ]
    )
    return pd.DataFrame(
        {
            "feature": features,
            "family": [FEATURES[n].family for n in features],
            "coefficient": full[-1].coef_[0],
            "low": np.quantile(draws, 0.025, axis=0),
            "high": np.quantile(draws, 0.975, axis=0),
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
    contributions = pd.DataFrame(
        transformed * model[-1].coef_[0], columns=features, index=table.index
    )
    by_family = contributions.T.groupby([FEATURES[n].family for n in features]).sum().T
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
    """Drop in held-out ROC AUC of the boosted model when one family's columns are shuffled
    together.

    Shuffling a whole family at once (rows permuted jointly) measures what the family
    carries beyond the others, without splitting credit between correlated features of
    the same family. Folds are grouped by person (``n_repeats`` repeats of ``n_splits``
    folds); returns per family the mean drop and its 2.5/97.5 percentiles over folds and
    permutations, largest first (empty when no fold holds both classes).
    """
    features = full_features(table)
    families = families_in(table)
    y = table[label].astype(int).to_numpy()
    n_splits = min(n_splits, int(y.sum()), int(len(y) - y.sum()), table["nominee_id"].nunique())
    rng = np.random.default_rng(seed)
    rows = []
    X = feature_matrix(table, features)
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
            # Every shuffled copy of the fold is scored in one call (one predict per fold).
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
            for family, score in zip(labels, scores, strict=True):
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
    features = full_features(table)
    if feature not in features:
        return pd.DataFrame(columns=[feature, "probability"])
    y = table[label].astype(int).to_numpy()
    X = feature_matrix(table, features)
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


def answer_in_words(
    comparison: dict[str, Any],
    importance: pd.DataFrame,
    effect: pd.DataFrame,
    *,
    feature: str = "posts_per_day",
) -> list[str]:
    """The answer to the project's question, in sentences with their numbers.

    How much better the full influence model ranks the panel's picks than volume alone
    (from ``comparison``, the headline record of
    :func:`src.model.validation.comparison_summary`: cross-validated AUC, paired over the
    same folds), which families carry most (permutation importance), and how the
    probability of selection moves across the range of volume with everything else held
    fixed (partial dependence).
    """
    sentences = []
    if comparison.get("difference"):
        models, diff = comparison["models"], comparison["difference"]
        full, volume = models[comparison["full"]], models[comparison["baseline"]]
        sentences.append(
            "The full influence model ranks the panel's picks above the others with a "
            f"cross-validated ROC AUC of {full['mean']:.2f} (95% of folds {full['low']:.2f} to "
            f"{full['high']:.2f}); volume alone reaches {volume['mean']:.2f} "
            f"({volume['low']:.2f} to {volume['high']:.2f}), where 0.50 is a coin toss. "
            f"On the same folds the influence model was better by {diff['mean']:+.2f} on "
            f"average, and better in {diff['share_of_folds_better']:.0%} of {diff['folds']} folds."
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
            "The families that carry most (drop in cross-validated AUC when a family is "
            f"shuffled): {listed}{volume_text}."
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
            interval = (
                f" (95% bootstrap intervals {first['probability_low']:.0%}-"
                f"{first['probability_high']:.0%} and {last['probability_low']:.0%}-"
                f"{last['probability_high']:.0%})"
            )
        sentences.append(
            "With every other feature held at each nominee's own value, going from "
            f"{first[feature]:.2g} to {last[feature]:.2g} {feature.replace('_', ' ')} (the 5th "
            f"to the 95th percentile) moves the average probability of selection from {p0:.0%} "
            f"to {p1:.0%}{interval}, odds x{odds:.2f}."
        )
    return sentences
