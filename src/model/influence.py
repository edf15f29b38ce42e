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
