"""Models of the panel's picks: volume alone against the influence features, grouped by person.

The package by job (each module's docstring says what it holds):

- :mod:`src.model.names`: the models compared, named once (:class:`ModelName`,
  :data:`BASELINE`, :data:`FULL`);
- :mod:`src.model.estimators`: the scikit-learn pipelines and custom transformers;
- :mod:`src.model.feature_sets`: which features each model uses; the design matrix;
- :mod:`src.model.validation`: the one comparison (cross-validation grouped by person)
  and its headline record (:func:`~src.model.validation.comparison_summary`);
- :mod:`src.model.explanations`: coefficients, importance by family, the volume effect,
  explanations in words;
- :mod:`src.model.archetypes`: clusters of nominees, named by rules;
- :mod:`src.model.scoring`: scores and ranks with intervals;
- :mod:`src.model.review`: disagreements with the panel, consistency across categories;
- :mod:`src.model.run`: the model step for a year (:func:`~src.model.run.model_year`).

Only the names are imported here, so that the report can read them without loading
scikit-learn.
"""

from src.model.names import BASELINE, FULL, ModelName

__all__ = ["BASELINE", "FULL", "ModelName"]
