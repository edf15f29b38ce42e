"""Stakeholder reports: a briefing per year, built in the report notebook, rendered without code.

How the modules fit together, from what is read to the pages written:

- :mod:`~src.report.load`: everything one year's report reads, loaded once
  (:class:`~src.report.load.YearReport`); the model step's outputs through
  :mod:`~src.report.outputs`, the nominee graph through :mod:`~src.report.network`.
- :mod:`~src.report.sections`: one module per section of the briefing, each building
  escaped HTML from a ``YearReport``; the report notebook shows them one cell each.
- Building blocks the sections share: :mod:`~src.report.format` (every number, interval
  and plain-word name), :mod:`~src.report.html` (escaping, tables),
  :mod:`~src.report.figures` and :mod:`~src.report.network_figure` (matplotlib charts as
  inline PNGs with alt text, legible at a phone's width), :mod:`~src.report.palette`
  (colours that colour-blind readers tell apart), :mod:`~src.report.cards` (the evidence
  cards), :mod:`~src.report.people` (handles, profile links, names told apart, card
  anchors) and :mod:`~src.report.glossary` (every technical term in plain words).
- :mod:`~src.report.render`: the executed notebook to one self-contained page
  (:mod:`~src.report.page`: its style, ``style.css``, prints the same answer to fit the
  paper), and that page to PDF.
- :mod:`~src.report.record`: the figures of a year's report that the index reads
  (``report.json``); :mod:`~src.report.index` and :mod:`~src.report.trends`: the index
  page across years.
"""
