"""Contracts Finder notices: OCDS releases read, compiled per process and tabled.

Contracts Finder publishes every notice (planning / early engagement, tender, award and
their amendments) as Open Contracting Data Standard (OCDS 1.1) releases. This package reads
them beside the spend files (``python -m loaders ingest PATH...``) into four tables:

- ``releases``: every release read, with its outcome (``loaded``, ``duplicate`` or ``quarantined``
  with a reason), so that *releases read = loaded + duplicate + quarantined* for each file
  (:mod:`loaders.sources.ocds.checks`, :mod:`loaders.sources.ocds.report`);
- ``notices``: one row per procurement process (``ocid``), its releases compiled into its
  current state with ``ocdsmerge`` (:mod:`loaders.sources.ocds.compiling`), the buyer resolved to a
  body as spend customers are (:mod:`loaders.sources.ocds.buyers`);
- ``awards`` and ``award_suppliers``: one row per award, and per supplier of an award, with
  the award's size group (:mod:`loaders.sources.ocds.tables`).

Modules by role: :mod:`~loaders.core.files` (which files are OCDS), :mod:`~loaders.ocds. streaming`
(reading packages and JSON Lines in bounded memory), :mod:`~loaders.sources.ocds.checks` (quarantine
rules), :mod:`~loaders.sources.ocds.compiling` (deduplication and merging),
:mod:`~loaders.sources.ocds.classify` (stages, call-offs, frameworks named, size groups),
:mod:`~loaders.sources.ocds.tables`, :mod:`~loaders.sources.ocds.buyers`,
:mod:`~loaders.catalogue.notice_schema`, :mod:`~loaders.sources.ocds.report`,
:mod:`~loaders.sources.ocds.load` (the pipeline) and :mod:`~dashboard.analytics.notice_figures` (the
opportunities page's headline figures).

This ``__init__`` imports nothing: :mod:`loaders.core.spreadsheets` uses :mod:`loaders.core.files`,
and the heavier modules import the rest of :mod:`loaders`.
"""
