"""The loaders' hostile probes (:mod:`benchmarks.loader_probes`: the store's swap, rollback,
an app across an ingest, the fetcher against a local imitation of the publishers gone bad)
in the one registry of ``python -m benchmarks --only hostile``
(:func:`benchmarks.loader_probes.as_probe`)."""

from __future__ import annotations

from benchmarks import loader_probes
from benchmarks.probes import register

for _found in loader_probes.registered():
    register(loader_probes.as_probe(_found))
