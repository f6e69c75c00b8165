"""Hostile probes of the loaders: the store (failures at every step of a swap, rollback, an
app across an ingest) and the fetcher (a local imitation of the publishers gone bad), each a
member of a kind of fault with the outcome it must have.

``python -m benchmarks.loader_probes [--folder DIR]`` runs them all and prints one table:
probe, kind, expected, got, ok. Each probe is ``run(folder) -> (got, ok)`` in a scratch
folder of its own, so the probes join any registry of hostile probes (the serving probes of
``python -m benchmarks --only hostile``) by wrapping ``run``: see :data:`PROBES`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.probes import COLUMNS, Outcome, Probe, run_probe
from benchmarks.probes.context import ProbeContext


@dataclass(frozen=True)
class LoaderProbe:
    """One probe: ``run(folder)`` tries it in an empty scratch folder and returns what it saw
    (words and figures) and whether that is what must be."""

    name: str
    kind: str
    expected: str
    run: Callable[[Path], tuple[str, bool]]


PROBES: list[LoaderProbe] = []


def probe(name: str, kind: str, expected: str):
    """Decorator: add the decorated ``run(folder) -> (got, ok)`` to :data:`PROBES`."""

    def decorate(run: Callable[[Path], tuple[str, bool]]) -> Callable[[Path], tuple[str, bool]]:
        if any(p.name == name for p in PROBES):
            raise ValueError(f"a probe is already registered as {name!r}")
        PROBES.append(LoaderProbe(name, kind, expected, run))
        return run

    return decorate


def registered() -> list[LoaderProbe]:
    """Every probe of the store and fetch modules, in registration order."""
    from benchmarks.loader_probes import fetching, storing  # noqa: F401 - they register

    return list(PROBES)


def as_probe(found: LoaderProbe) -> Probe:
    """``found`` as a probe of the one hostile registry (:mod:`benchmarks.probes`): it runs in
    an empty scratch folder of its own under the run's folder."""

    def run(context: ProbeContext) -> Outcome:
        scratch = context.folder / "loaders" / found.name.replace(" ", "-")
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        return Outcome(*found.run(scratch))

    return Probe(found.name, found.kind, found.expected, run)


def run_one(found: LoaderProbe, folder: Path) -> dict[str, str]:
    """One line of the table (a probe that raises is a failed probe, with the error), run as
    the hostile registry runs it (:func:`benchmarks.probes.run_probe`)."""
    return run_probe(as_probe(found), ProbeContext(store=folder, folder=folder))


def run_all(folder: Path | None = None) -> list[dict[str, str]]:
    """Run every probe (in ``folder``, default a temporary one removed after)."""
    if folder is not None:
        return [run_one(p, folder) for p in registered()]
    with tempfile.TemporaryDirectory(prefix="loader-probes-") as scratch:
        return [run_one(p, Path(scratch)) for p in registered()]


def table(rows: list[dict[str, str]]) -> str:
    """The rows as a Markdown table."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(r[c].replace("|", "/") for c in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)
