"""The batch: run the notebooks for each requested year with papermill, then render.

One command (``nhs-influence run``) runs every step of the pipeline (:mod:`src.pipeline`)
for every requested year, years in parallel, and can resume. The modules, by job:

- :mod:`~src.batch.cli`: the command line; its arguments become one
  :class:`~src.batch.settings.RunSettings`;
- :mod:`~src.batch.settings`: that settings object (years, folders, seed, jobs, ...);
- :mod:`~src.batch.runner`: the loop, and the entry points :func:`~src.batch.runner.run_batch`
  and :func:`~src.batch.runner.run_year`;
- :mod:`~src.batch.plan`: which steps of which years a run runs (those asked for, and the
  steps of other years whose outputs they read), or why it is refused;
- :mod:`~src.batch.schedule`: which (year, step) may start, within and across years;
- :mod:`~src.batch.imports`: the code a step runs (the ``src`` modules its notebook imports);
- :mod:`~src.batch.cache`: resume keys and whether a step or a report can be skipped;
- :mod:`~src.batch.reasons`: why a step runs again, naming what changed;
- :mod:`~src.batch.preview`: ``--dry-run``, what would run and why;
- :mod:`~src.batch.execute`: what worker processes do: run a notebook, render a report;
- :mod:`~src.batch.kernel`: the project's Jupyter kernel, and the quiet kernel manager;
- :mod:`~src.batch.stderr`: the warnings and kernel messages a step leaves;
- :mod:`~src.batch.year`: one year's state during a run, recorded in its manifest;
- :mod:`~src.batch.manifest`: checksums, versions, git state, and the manifests' contents;
- :mod:`~src.batch.summary`: the results, and the summary printed for people.
"""
