"""NHS social media influence: tell influential accounts from merely prolific ones.

Subpackages, in pipeline order:

- :mod:`src.simulate` writes the bundled simulated sample in the raw formats;
- :mod:`src.ingest` reads raw exports into validated canonical tables;
- :mod:`src.features` engineers one row of features per nominee-year;
- :mod:`src.model` compares a volume-only model with an influence model;
- :mod:`src.report` renders stakeholder reports without code;
- :mod:`src.batch` runs the notebooks for each year with papermill.
"""

__version__ = "0.1.0"
