"""Generate the SYNTHETIC bundled sample of CCS G-Cloud / DOS spend releases.

Everything written to ``data/sample/`` is invented: supplier names and every amount are
made up; customer names are real UK public bodies (from ``data/sample_sources/``).
The generator first builds a monthly transaction-level "truth" (April 2012 to September
2025), then publishes it through overlapping releases in the historical file layouts,
where earlier releases miss some late rows and under-state some amounts that later
releases revise.

Run from the repository root with ``python -m data.make_sample``. Output is byte-identical
on every run (fixed seed, fixed XLSX timestamps). Tables are CSV files in
``data/sample_sources/``; scalar knobs are in :mod:`data.make_sample.settings`.

Modules, in the order the generator runs: ``sources`` (read the tables, with
``typed_csv``; ``months`` holds the month and financial-year arithmetic), ``suppliers`` and
``customers`` (invented and real parties, gathered in ``tables``), ``truth`` (with
``draws``, ``amounts`` and ``placed_rows``), ``publish`` and ``spellings`` (what each
release shows), ``csv_layouts``, ``ccs_layouts`` and ``xlsx`` (the file writers),
``urn_list``, then ``notices`` (invented Contracts Finder notices of the same bodies, from
a generator of their own); ``generate.main`` runs them all.
"""

from data.make_sample.generate import main

__all__ = ["main"]
