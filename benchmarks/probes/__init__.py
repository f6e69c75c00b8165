"""Hostile probes: faults and attacks tried against the project, each with the outcome it must
have. ``python -m benchmarks --only hostile`` runs every registered probe and prints (and
writes into ``benchmarks/RESULTS.md``) one table: probe, kind, expected, got, ok.

A probe is a name, the kind of fault it is a member of (``slow client``, ``malformed
callback``...: a kind is fixed as a whole, so each has several members), what must happen,
and ``run(context) -> Outcome``. Probes register themselves when their module is imported;
a new family of probes is a module that calls :func:`register` (or uses :func:`probe`) and
is listed in :data:`PROBE_MODULES`. The :class:`~benchmarks.probes.context.ProbeContext`
passed to ``run`` holds what probes share (a store, a scratch folder, gunicorn servers
started on demand and stopped at the end).
"""

from __future__ import annotations

import importlib
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from benchmarks.probes.context import ProbeContext

PROBE_MODULES = (
    "benchmarks.probes.slow_clients",
    "benchmarks.probes.bad_requests",
    "benchmarks.probes.https",
    "benchmarks.probes.loaders",
)
COLUMNS = ("probe", "kind", "expected", "got", "ok")


@dataclass(frozen=True)
class Outcome:
    """What a probe saw (``got``, in words and figures) and whether that is what must be."""

    got: str
    ok: bool


@dataclass(frozen=True)
class Probe:
    """One hostile probe: ``run`` tries it and says what happened."""

    name: str
    kind: str
    expected: str
    run: Callable[[ProbeContext], Outcome]


PROBES: dict[str, Probe] = {}


def register(probe: Probe) -> Probe:
    """Add ``probe`` to the registry (raises ``ValueError`` if its name is taken)."""
    if probe.name in PROBES:
        raise ValueError(f"a probe is already registered as {probe.name!r}")
    PROBES[probe.name] = probe
    return probe


def probe(name: str, kind: str, expected: str):
    """Decorator: register the decorated ``run(context) -> Outcome`` as a probe."""

    def decorate(run: Callable[[ProbeContext], Outcome]) -> Callable[[ProbeContext], Outcome]:
        register(Probe(name, kind, expected, run))
        return run

    return decorate


def registered() -> list[Probe]:
    """Every probe of every module of :data:`PROBE_MODULES`, in registration order."""
    for module in PROBE_MODULES:
        importlib.import_module(module)
    return list(PROBES.values())


def run_probe(probe: Probe, context: ProbeContext) -> dict[str, str]:
    """One line of the table; a probe that raises is a failed probe, with the error."""
    try:
        outcome = probe.run(context)
    except Exception as exc:  # a broken probe is reported, and the others still run
        detail = traceback.format_exception_only(exc)[-1].strip()
        outcome = Outcome(f"error: {detail}"[:200], False)
    return {
        "probe": probe.name,
        "kind": probe.kind,
        "expected": probe.expected,
        "got": outcome.got,
        "ok": "yes" if outcome.ok else "NO",
    }


def run_probes(context: ProbeContext, probes: Iterable[Probe] | None = None) -> list[dict]:
    """Run ``probes`` (default: every registered one) in order; the table's lines."""
    return [run_probe(p, context) for p in (registered() if probes is None else probes)]
