"""``update``: fetch, ingest everything fetched when something is new, and say what changed.

The ingest is the one ``python -m loaders ingest`` runs (the new files appended to the store
when that gives the same store, :mod:`loaders.update.append`, else :func:`loaders.load`, with
the store's extract cache; then :func:`loaders.write_store`, atomic), so an unknown layout stops
the update with the loaders' usual error and the previous store keeps serving. What changed
(:func:`loaders.changes.compare_stores`) is written into the new store as
``changes.json`` in the same atomic swap, and each body's events of this update are added to
the history of ``alerts.json`` (:mod:`loaders.alerts`; the app serves them as Atom feeds).

"Something new" means the release files in the folder (by SHA-256) are not exactly those
the store was built from: a file fetched tonight, or one fetched before whose ingest failed
(an unknown layout since given its alias) or one added by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from loaders.alerts import ALERTS_FILE, NOTICE_COLUMNS, body_events, with_update
from loaders.bodies.registers.areas import buyer_places
from loaders.bodies.registers.table import read_register_bodies
from loaders.catalogue.store import KEEP_VERSIONS, is_store, open_report, read_table
from loaders.catalogue.versions import current_version
from loaders.changes import SPEND_COLUMNS, StoreTables, compare_stores
from loaders.core.errors import LoaderInputError
from loaders.core.files import file_sha256
from loaders.fetch.client import FetchSettings, HttpClient
from loaders.fetch.manifest import MANIFEST_FILE
from loaders.fetch.sources import Source
from loaders.fetch.summary import FetchSummary
from loaders.pipeline import LoadResult, input_files, source_files, write_store
from loaders.sources.base import LoadOptions
from loaders.sources.ccs_spend.extract_cache import extract_cache_dir
from loaders.sources.registry import SOURCES, claimant
from loaders.update.append import load_or_append
from loaders.update.run import fetch

CHANGES_FILE = "changes.json"


@dataclass(frozen=True)
class UpdateOutcome:
    """The fetch summary and, when the store was rebuilt, what changed."""

    fetch: FetchSummary
    changes: dict[str, Any] | None = None
    ingest_note: str | None = None  # appended, or rebuilt and why (one line)

    @property
    def exit_code(self) -> int:
        """2 when a link was refused (what was fetched is still ingested), else 0."""
        return self.fetch.exit_code


def _source_hashes(report: dict[str, Any]) -> frozenset[str]:
    """SHA-256 of every file a store was built from, whatever its source."""
    return frozenset(f["sha256"] for f in source_files(report) if f.get("sha256"))


def read_tables(store: str | Path) -> StoreTables | None:
    """The tables of the store at ``store`` that the comparison reads, all from the version
    its pointer names now (``None``: no store)."""
    store = current_version(store)
    if not is_store(store):
        return None
    report = open_report(store)
    return StoreTables(
        spend=read_table(store, "spend", columns=SPEND_COLUMNS),
        files=report.get("files", []),
        notices=read_table(store, "notices", columns=NOTICE_COLUMNS),
        source_hashes=_source_hashes(report),
    )


def result_tables(result: LoadResult) -> StoreTables:
    """The same tables from a load result not yet written."""
    report = result.report
    return StoreTables(spend=result.spend, files=report["files"], notices=result.notices,
                       source_hashes=_source_hashes(report))  # fmt: skip


def buyer_areas(result: LoadResult) -> pd.DataFrame | None:
    """The areas of the buyers a load matched to register bodies
    (:func:`~loaders.bodies.registers.areas.buyer_places`), ``None`` when it matched none."""
    if "register_matches" not in result:
        return None
    return buyer_places(result["register_matches"], read_register_bodies())


def ingest_paths(folder: str | Path, customers: str | Path | None = None) -> list[Path]:
    """Every file in ``folder`` a source reads (not the fetch manifest, not the customer list)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    skip = (folder / MANIFEST_FILE).resolve()
    try:
        found = input_files([folder], customers)
    except LoaderInputError:  # nothing to read
        return []
    return [p for paths in found.values() for p in paths if p.resolve() != skip]


def _is_control(path: Path) -> bool:
    """Whether a source reads ``path`` to steer its load rather than for its data."""
    source = claimant(path, SOURCES)
    return source is not None and source.control(path)


def needs_ingest(paths: list[Path], previous: StoreTables | None) -> bool:
    """Whether the files differ (by content) from those the previous store was built from:
    spend releases and notice files (a ``releases.csv`` an analyst keeps in the folder is
    not a source: after changing only it, run ``ingest``)."""
    sources = [p for p in paths if not _is_control(p)]
    if not sources:
        return False
    if previous is None:
        return True
    return {file_sha256(p) for p in sources} != previous.source_hashes


def update(
    sources: list[Source],
    into: str | Path,
    out: str | Path,
    *,
    customers: str | Path | None = None,
    framework: str | None = None,
    since: dt.datetime | None = None,
    settings: FetchSettings | None = None,
    client: HttpClient | None = None,
    progress: bool = False,
    threshold_gbp: float | None = None,
    keep: int = KEEP_VERSIONS,
) -> UpdateOutcome:
    """Fetch ``sources`` into ``into``; if anything is new, rebuild the store ``out``.

    Returns the fetch summary and the changes (``None`` when nothing was new and the store
    was left untouched); the new store is a new version of ``out``, ``keep`` earlier ones
    kept. Raises :class:`~loaders.core.errors.LoaderInputError` for unusable input
    (an unknown layout...), leaving the previous store exactly as it was.
    """
    summary = fetch(sources, into, since=since, settings=settings, client=client,
                    progress=progress)  # fmt: skip
    paths = ingest_paths(into, customers)
    previous = read_tables(out)
    if not needs_ingest(paths, previous):
        return UpdateOutcome(summary)
    options = LoadOptions(framework=framework, cache_dir=extract_cache_dir(Path(out)))
    ingested = load_or_append(paths, out, customers, options=options, progress=progress)
    result = ingested.result
    extra = {} if threshold_gbp is None else {"threshold_gbp": threshold_gbp}
    new = result_tables(result)
    changes = compare_stores(previous, new, **extra)
    changes["generated_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    changes["refused"] = [asdict(r) for r in summary.refused]
    events = body_events(previous, new, **extra, places=buyer_areas(result))
    alerts = with_update(read_alerts(out), events, changes["generated_at"])
    write_store(result, out, extra_files={CHANGES_FILE: json.dumps(changes, indent=2),
                                          ALERTS_FILE: json.dumps(alerts, indent=1)},
                keep=keep)  # fmt: skip
    return UpdateOutcome(summary, changes, ingested.note(out))


def read_alerts(store: str | Path) -> dict[str, Any] | None:
    """The alerts history the store at ``store`` keeps (``alerts.json`` of the version its
    pointer names now), if any."""
    path = current_version(store) / ALERTS_FILE
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a damaged history starts again rather than stop the update
        return None
