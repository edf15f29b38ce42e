"""What distinguishes influential from merely prolific accounts: validation, explanation,
archetypes, year over year, and consistency across categories (issue 5, in progress).

Everything is plain scikit-learn, seeded, with no hidden state: each function takes the
feature table (one row per nominee-year, as :func:`src.features.build_features` writes
it, optionally several years stacked) and returns tables.

Validation is repeated cross-validation *grouped by person* (``nominee_id`` is stable
across years), so someone nominated in several years never sits on both sides of a
split, and stratified by the panel's decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from src.features.dictionary import FEATURES
from src.model.compare import MIN_PER_CLASS, make_classifier


def families_in(table: pd.DataFrame) -> dict[str, list[str]]:
    """Feature names by family, for the features the table has and that vary."""
    out: dict[str, list[str]] = {}
    for name, spec in FEATURES.items():
        if name in table.columns and table[name].notna().any() and table[name].nunique(dropna=True) > 1:
            out.setdefault(spec.family, []).append(name)
    return out


def model_sets(table: pd.DataFrame) -> dict[str, list[str]]:
    """The feature sets compared: volume only, reach only, and every family together."""
    families = families_in(table)
    every = [name for names in families.values() for name in names]
    sets = {"volume only": families.get("volume", []), "reach only": families.get("reach", []), "influence (logistic)": every}
    return {name: features for name, features in sets.items() if features}


def boosted_classifier(seed: int) -> HistGradientBoostingClassifier:
    """The gradient-boosted influence model (handles missing values natively)."""
    return HistGradientBoostingClassifier(max_depth=3, learning_rate=0.1, max_iter=100, l2_regularization=1.0, random_state=seed)


@dataclass
class Evaluation:
    """Cross-validated scores of each model on the same grouped folds."""

    status: str
    message: str
    folds: pd.DataFrame = field(default_factory=pd.DataFrame)  #: model, repeat, fold, auc, log_loss, brier
    predictions: pd.DataFrame = field(default_factory=pd.DataFrame)  #: model, row, repeat, fold, score, label

    def summary(self) -> pd.DataFrame:
        """Per model and metric: mean and the 2.5 and 97.5 percentiles across folds."""
        if self.folds.empty:
            return pd.DataFrame()
        long = self.folds.melt(id_vars=["model", "repeat", "fold"], var_name="metric", value_name="value")
        grouped = long.groupby(["model", "metric"], sort=False)["value"]
        return pd.DataFrame({"mean": grouped.mean(), "low": grouped.quantile(0.025), "high": grouped.quantile(0.975)}).reset_index()

    def calibration(self, model: str, bins: int = 5) -> pd.DataFrame:
        """Mean predicted against observed selection rate, by quantile bin of the score."""
        rows = self.predictions[self.predictions["model"] == model]
        if rows.empty:
            return pd.DataFrame(columns=["bin", "predicted", "observed", "n"])
        binned = pd.qcut(rows["score"].rank(method="first"), q=bins, labels=False)
        grouped = rows.groupby(binned)
        return pd.DataFrame({"bin": grouped.size().index, "predicted": grouped["score"].mean().to_numpy(), "observed": grouped["label"].mean().to_numpy(), "n": grouped.size().to_numpy()})


def evaluate(table: pd.DataFrame, *, seed: int = 0, n_splits: int = 5, n_repeats: int = 5, label: str = "selected", boosted: bool = True) -> Evaluation:
    """Repeated stratified K-fold grouped by person; every model on the same folds."""
    y = table[label].astype(int).to_numpy()
    groups = table["nominee_id"].to_numpy()
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    if min(positives, negatives) < MIN_PER_CLASS:
        return Evaluation("not enough picks", f"{positives} selected and {negatives} not selected: too few to cross-validate (at least {MIN_PER_CLASS} of each are needed).")
    n_splits = min(n_splits, positives, negatives, len(set(groups)))
    sets = model_sets(table)
    models: dict[str, tuple[Any, list[str]]] = {name: (make_classifier(features, seed), features) for name, features in sets.items()}
    if boosted and "influence (logistic)" in sets:
        models["influence (boosted)"] = (boosted_classifier(seed), sets["influence (logistic)"])
    fold_rows, prediction_rows = [], []
    for repeat in range(n_repeats):
        splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed + repeat)
        for fold, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y, groups)):
            if len(set(y[test])) < 2 or len(set(y[train])) < 2:
                continue
            for name, (estimator, features) in models.items():
                fitted = clone(estimator).fit(table.iloc[train][features], y[train])
                score = fitted.predict_proba(table.iloc[test][features])[:, 1]
                fold_rows.append({"model": name, "repeat": repeat, "fold": fold, "auc": roc_auc_score(y[test], score),
                                  "log_loss": log_loss(y[test], np.clip(score, 1e-6, 1 - 1e-6), labels=[0, 1]), "brier": brier_score_loss(y[test], score)})
                prediction_rows.append(pd.DataFrame({"model": name, "row": test, "repeat": repeat, "fold": fold, "score": score, "label": y[test]}))
    return Evaluation(
        "ok",
        f"{n_repeats} repeats of {n_splits}-fold cross-validation grouped by person and stratified by the panel's decision, on {len(y)} nominee-years ({positives} selected).",
        pd.DataFrame(fold_rows),
        pd.concat(prediction_rows, ignore_index=True) if prediction_rows else pd.DataFrame(),
    )


def _standardised(table: pd.DataFrame, features: list[str], seed: int):
    model = make_classifier(features, seed)
    columns = model.named_steps["columns"].fit(table[features])
    transformed = columns.transform(table[features])
    names = list(columns.get_feature_names_out())
    scale = model.named_steps["scale"].fit(transformed)
    return model, pd.DataFrame(scale.transform(transformed), columns=names, index=table.index)


def bootstrap_coefficients(table: pd.DataFrame, *, seed: int = 0, n_boot: int = 200, label: str = "selected") -> pd.DataFrame:
    """Logistic coefficients on standardised features, with bootstrap 95% intervals.

    Resamples people (all of a person's years together), refits, and reports the 2.5 and
    97.5 percentiles of each coefficient: per standard deviation of the (logged) feature,
    in log-odds of selection.
    """
    features = model_sets(table)["influence (logistic)"]
    model = make_classifier(features, seed)
    y = table[label].astype(int).to_numpy()
    full = clone(model).fit(table[features], y)
    names = list(full.named_steps["columns"].get_feature_names_out())
    people = table["nominee_id"].to_numpy()
    unique = np.unique(people)
    rng = np.random.default_rng(seed)
    draws = []
    index_of = {p: np.flatnonzero(people == p) for p in unique}
    for _ in range(n_boot):
        rows = np.concatenate([index_of[p] for p in rng.choice(unique, size=len(unique), replace=True)])
        if len(set(y[rows])) < 2:
            continue
        draws.append(clone(model).fit(table.iloc[rows][features], y[rows]).named_steps["classify"].coef_[0])
    draws_array = np.array(draws)
    return pd.DataFrame(
        {
            "feature": names,
            "family": [FEATURES[n].family for n in names],
            "coefficient": full.named_steps["classify"].coef_[0],
            "low": np.quantile(draws_array, 0.025, axis=0),
            "high": np.quantile(draws_array, 0.975, axis=0),
        }
    ).sort_values("coefficient", key=np.abs, ascending=False, ignore_index=True)


def family_contributions(table: pd.DataFrame, *, seed: int = 0, label: str = "selected") -> pd.DataFrame:
    """Each nominee's log-odds contribution from each family (full logistic model).

    Contribution of a family = sum over its features of coefficient × standardised value:
    exactly how the fitted logistic model moves that nominee's odds from the average.
    """
    features = model_sets(table)["influence (logistic)"]
    y = table[label].astype(int).to_numpy()
    model = make_classifier(features, seed).fit(table[features], y)
    transformed = model.named_steps["scale"].transform(model.named_steps["columns"].transform(table[features]))
    names = list(model.named_steps["columns"].get_feature_names_out())
    contributions = pd.DataFrame(transformed * model.named_steps["classify"].coef_[0], columns=names, index=table.index)
    by_family = contributions.T.groupby([FEATURES[n].family for n in names]).sum().T
    by_family.insert(0, "nominee_id", table["nominee_id"].to_numpy())
    by_family["score"] = model.predict_proba(table[features])[:, 1]
    return by_family


def explain_in_words(row: pd.Series, families: list[str], threshold: float = 0.25) -> str:
    """A nominee's family contributions as a sentence ("carried up by ...; held back by ...")."""
    ups = sorted(((row[f], f) for f in families if row[f] >= threshold), reverse=True)
    downs = sorted(((row[f], f) for f in families if row[f] <= -threshold))
    parts = []
    if ups:
        parts.append("carried up by " + " and ".join(f"{name} ({value:+.1f})" for value, name in ups[:3]))
    if downs:
        parts.append("held back by " + " and ".join(f"{name} ({value:+.1f})" for value, name in downs[:3]))
    return ("; ".join(parts) if parts else "close to the average nominee on every family") + " (log-odds of selection)."


#: Names for a cluster from its mean standardised family scores; the first rule that
#: matches names it. Thresholds are in standard deviations of the year's nominees.
ARCHETYPE_RULES = (
    ("broadcaster or automated feed", lambda z: z.get("volume", 0) > 0.8 and z.get("engagement", 0) < -0.3),
    ("quiet expert", lambda z: z.get("volume", 0) < -0.3 and z.get("engagement", 0) > 0.3),
    ("influential voice", lambda z: z.get("engagement", 0) > 1.0),
    ("bridge", lambda z: max(z.get("audiences", 0), z.get("network", 0)) > 0.5),
    ("conversationalist", lambda z: z.get("conversation", 0) > 0.25),
    ("amplifier", lambda z: z.get("volume", 0) > 0.3),
)


def archetypes(table: pd.DataFrame, *, seed: int = 0, k: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cluster nominees on standardised features; name each cluster from its family profile.

    Returns (assignment: nominee_id, archetype, cluster; profile: cluster × family mean z).
    Names come from fixed rules on the cluster's mean standardised family scores (first
    rule that matches); a cluster no rule fits is a "steady contributor".
    """
    features = model_sets(table)["influence (logistic)"]
    _, z = _standardised(table, features, seed)
    k = max(1, min(k, len(table) // 5))
    labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(z.to_numpy())
    family_z = z.T.groupby([FEATURES[c].family for c in z.columns]).mean().T
    profile = family_z.groupby(labels).mean()
    names = {}
    for cluster, scores in profile.iterrows():
        names[cluster] = next((name for name, rule in ARCHETYPE_RULES if rule(scores.to_dict())), "steady contributor")
    assignment = pd.DataFrame({"nominee_id": table["nominee_id"].to_numpy(), "cluster": labels, "archetype": [names[c] for c in labels]})
    return assignment, profile.assign(archetype=[names[c] for c in profile.index])


def permutation_importance_by_family(table: pd.DataFrame, *, seed: int = 0, n_splits: int = 5, n_permutations: int = 5, label: str = "selected") -> pd.DataFrame:
    """Drop in held-out ROC AUC of the boosted model when one family's columns are shuffled together.

    Shuffling a whole family at once (rows permuted jointly) measures what the family
    carries beyond the others, without splitting credit between correlated features of
    the same family. Folds are grouped by person; returns mean and 2.5/97.5 percentiles.
    """
    features = model_sets(table)["influence (logistic)"]
    families = families_in(table)
    y = table[label].astype(int).to_numpy()
    n_splits = min(n_splits, int(y.sum()), int(len(y) - y.sum()))
    rng = np.random.default_rng(seed)
    rows = []
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for fold, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y, table["nominee_id"].to_numpy())):
        if len(set(y[test])) < 2:
            continue
        model = boosted_classifier(seed).fit(table.iloc[train][features], y[train])
        held_out = table.iloc[test][features].reset_index(drop=True)
        base = roc_auc_score(y[test], model.predict_proba(held_out)[:, 1])
        for family, columns in families.items():
            for _ in range(n_permutations):
                shuffled = held_out.copy()
                order = rng.permutation(len(shuffled))
                shuffled[columns] = held_out[columns].to_numpy()[order]
                rows.append({"family": family, "fold": fold, "drop": base - roc_auc_score(y[test], model.predict_proba(shuffled)[:, 1])})
    frame = pd.DataFrame(rows)
    grouped = frame.groupby("family")["drop"]
    return pd.DataFrame({"mean": grouped.mean(), "low": grouped.quantile(0.025), "high": grouped.quantile(0.975)}).sort_values("mean", ascending=False).reset_index()


def volume_effect(table: pd.DataFrame, *, seed: int = 0, feature: str = "posts_per_day", label: str = "selected") -> pd.DataFrame:
    """How the odds of selection change with volume once everything else is held fixed.

    Partial dependence of the full logistic model's predicted probability on ``feature``:
    for each grid value (the 5th to 95th percentile), every nominee's ``feature`` is set to
    it, other features kept as they are, and the predictions averaged.
    """
    features = model_sets(table)["influence (logistic)"]
    if feature not in features:
        return pd.DataFrame(columns=[feature, "probability"])
    y = table[label].astype(int).to_numpy()
    model = make_classifier(features, seed).fit(table[features], y)
    grid = np.unique(np.quantile(table[feature].dropna(), np.linspace(0.05, 0.95, 10)))
    values = []
    for value in grid:
        varied = table[features].copy()
        varied[feature] = value
        values.append(float(model.predict_proba(varied)[:, 1].mean()))
    return pd.DataFrame({feature: grid, "probability": values})


def score_from_earlier_years(history: pd.DataFrame, current: pd.DataFrame, *, seed: int = 0, label: str = "selected", n_boot: int = 100) -> pd.DataFrame:
    """Train on all earlier years, score this year's nominees, with bootstrap intervals.

    Returns nominee_id, score (probability of selection), score_low/high (2.5/97.5
    percentiles over models refitted on resampled people), rank (1 = most backed) and
    rank_low/high. Raises ValueError when the history cannot support a model.
    """
    features = [f for f in model_sets(pd.concat([history, current], ignore_index=True))["influence (logistic)"] if f in history.columns]
    y = history[label].astype(int).to_numpy()
    if min(int(y.sum()), int(len(y) - y.sum())) < MIN_PER_CLASS:
        raise ValueError("the earlier years hold too few selected or unselected nominees to train on")
    model = make_classifier(features, seed)
    score = clone(model).fit(history[features], y).predict_proba(current[features])[:, 1]
    people = history["nominee_id"].to_numpy()
    unique = np.unique(people)
    index_of = {p: np.flatnonzero(people == p) for p in unique}
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_boot):
        rows = np.concatenate([index_of[p] for p in rng.choice(unique, size=len(unique), replace=True)])
        if len(set(y[rows])) == 2:
            draws.append(clone(model).fit(history.iloc[rows][features], y[rows]).predict_proba(current[features])[:, 1])
    draws_array = np.array(draws)
    ranks = (-draws_array).argsort(axis=1).argsort(axis=1) + 1
    return pd.DataFrame(
        {
            "nominee_id": current["nominee_id"].to_numpy(),
            "score": score,
            "score_low": np.quantile(draws_array, 0.025, axis=0),
            "score_high": np.quantile(draws_array, 0.975, axis=0),
            "rank": pd.Series(-score).rank(method="min").astype(int).to_numpy(),
            "rank_low": np.quantile(ranks, 0.025, axis=0).astype(int),
            "rank_high": np.quantile(ranks, 0.975, axis=0).astype(int),
        }
    )


def disagreements(current: pd.DataFrame, scores: pd.DataFrame, *, n: int = 10, label: str = "selected") -> pd.DataFrame:
    """The selected nominees the evidence backs least and the unselected it backs most."""
    merged = current[["nominee_id", "name", "category", label]].merge(scores, on="nominee_id")
    backed_least = merged[merged[label]].nsmallest(n, "score").assign(review="selected, least backed by the evidence")
    backed_most = merged[~merged[label]].nlargest(n, "score").assign(review="not selected, most backed by the evidence")
    return pd.concat([backed_least, backed_most], ignore_index=True)


def category_consistency(current: pd.DataFrame, scores: pd.DataFrame, *, seed: int = 0, label: str = "selected", n_boot: int = 1000) -> pd.DataFrame:
    """Selections per category against what the model expects, with a bootstrap interval.

    Expected = the sum of the model's probabilities in the category. A ratio of selected
    to expected well above 1 (interval above 1) means the panel picked that category more
    often than its evidence predicts.
    """
    merged = current[["nominee_id", "category", label]].merge(scores[["nominee_id", "score"]], on="nominee_id")
    rng = np.random.default_rng(seed)
    rows = []
    for category, group in merged.groupby("category", sort=True):
        selected, expected = int(group[label].sum()), float(group["score"].sum())
        samples = rng.integers(0, len(group), size=(n_boot, len(group)))
        s = group[label].to_numpy()[samples].sum(axis=1)
        e = group["score"].to_numpy()[samples].sum(axis=1)
        ratio = np.divide(s, e, out=np.full(n_boot, np.nan), where=e > 0)
        rows.append({"category": category, "nominees": len(group), "selected": selected, "expected": expected,
                     "ratio": selected / expected if expected > 0 else np.nan,
                     "ratio_low": float(np.nanquantile(ratio, 0.025)), "ratio_high": float(np.nanquantile(ratio, 0.975))})
    return pd.DataFrame(rows)
