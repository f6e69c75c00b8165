"""The loaders' hostile probes (:mod:`benchmarks.loader_probes`: the store's swap, rollback,
an app across an ingest, the fetcher against a local imitation of the publishers gone bad)
in the one registry of ``python -m benchmarks --only hostile``: each runs in a scratch folder
of its own under the run's folder."""

from __future__ import annotations

import shutil

from benchmarks import loader_probes
from benchmarks.probes import Outcome, Probe, register
from benchmarks.probes.context import ProbeContext


def _in_registry(found: loader_probes.LoaderProbe) -> Probe:
    def run(context: ProbeContext) -> Outcome:
        scratch = context.folder / "loaders" / found.name.replace(" ", "-")
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        got, ok = found.run(scratch)
        return Outcome(got, ok)

    return Probe(found.name, found.kind, found.expected, run)


for _found in loader_probes.registered():
    register(_in_registry(_found))
