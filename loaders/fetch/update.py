"""``update``: fetch, ingest everything fetched when something is new, and say what changed.

The ingest is the one ``python -m loaders ingest`` runs (:func:`loaders.load` with the
store's extract cache, then :func:`loaders.write_store`, atomic), so an unknown layout stops
the update with the loaders' usual error and the previous store keeps serving. What changed
(:func:`loaders.fetch.changes.compare_stores`) is written into the new store as
``changes.json`` in the same atomic swap.

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

from loaders.catalogue.notice_store import NOTICE_TABLES
from loaders.catalogue.store import REPORT_FILE, SPEND_FILE, is_store, write_store
from loaders.core.spreadsheets import file_sha256, find_spreadsheets
from loaders.fetch.changes import SPEND_COLUMNS, StoreTables, compare_stores
from loaders.fetch.client import FetchSettings, HttpClient
from loaders.fetch.manifest import MANIFEST_FILE
from loaders.fetch.run import fetch
from loaders.fetch.sources import Source
from loaders.fetch.summary import FetchSummary
from loaders.pipeline import LoadResult, load
from loaders.sources.ccs_spend.extract_cache import extract_cache_dir
from loaders.sources.ccs_spend.manifest import is_manifest

CHANGES_FILE = "changes.json"


@dataclass(frozen=True)
class UpdateOutcome:
    """The fetch summary and, when the store was rebuilt, what changed."""

    fetch: FetchSummary
    changes: dict[str, Any] | None = None

    @property
    def exit_code(self) -> int:
        """2 when a link was refused (what was fetched is still ingested), else 0."""
        return self.fetch.exit_code


def _source_hashes(report: dict[str, Any]) -> frozenset[str]:
    """SHA-256 of every file a store was built from: spend releases and notice files."""
    files = [*report.get("files", []), *report.get("ocds", {}).get("files", [])]
    return frozenset(f["sha256"] for f in files if f.get("sha256"))


def read_tables(store: str | Path) -> StoreTables | None:
    """The tables of the store at ``store`` that the comparison reads (``None``: no store)."""
    store = Path(store)
    if not is_store(store):
        return None
    report = json.loads((store / REPORT_FILE).read_text(encoding="utf-8"))
    return StoreTables(
        spend=pd.read_parquet(store / SPEND_FILE, columns=SPEND_COLUMNS),
        files=report.get("files", []),
        notices=pd.read_parquet(store / NOTICE_TABLES["notices"][1], columns=["ocid"]),
        source_hashes=_source_hashes(report),
    )


def result_tables(result: LoadResult) -> StoreTables:
    """The same tables from a load result not yet written."""
    report = result.report
    return StoreTables(spend=result.spend, files=report["files"], notices=result.notices,
                       source_hashes=_source_hashes(report))  # fmt: skip


def ingest_paths(folder: str | Path, customers: str | Path | None = None) -> list[Path]:
    """Every file in ``folder`` the loaders read (not the manifest, not the customer list)."""
    folder = Path(folder)
    skip = {(folder / MANIFEST_FILE).resolve()}
    if customers:
        skip.add(Path(customers).resolve())
    if not folder.is_dir():
        return []
    return [p for p in find_spreadsheets([folder]) if p.resolve() not in skip]


def needs_ingest(paths: list[Path], previous: StoreTables | None) -> bool:
    """Whether the files differ (by content) from those the previous store was built from:
    spend releases and notice files (a ``releases.csv`` an analyst keeps in the folder is
    not a source: after changing only it, run ``ingest``)."""
    sources = [p for p in paths if not is_manifest(p)]
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
) -> UpdateOutcome:
    """Fetch ``sources`` into ``into``; if anything is new, rebuild the store ``out``.

    Returns the fetch summary and the changes (``None`` when nothing was new and the store
    was left untouched). Raises :class:`~loaders.core.errors.LoaderInputError` for unusable input
    (an unknown layout...), leaving the previous store exactly as it was.
    """
    summary = fetch(sources, into, since=since, settings=settings, client=client,
                    progress=progress)  # fmt: skip
    paths = ingest_paths(into, customers)
    previous = read_tables(out)
    if not needs_ingest(paths, previous):
        return UpdateOutcome(summary)
    result = load(paths, customers, framework=framework, progress=progress,
                  cache_dir=extract_cache_dir(Path(out)))  # fmt: skip
    extra = {} if threshold_gbp is None else {"threshold_gbp": threshold_gbp}
    changes = compare_stores(previous, result_tables(result), **extra)
    changes["generated_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    changes["refused"] = [asdict(r) for r in summary.refused]
    write_store(result, out, extra_files={CHANGES_FILE: json.dumps(changes, indent=2)})
    return UpdateOutcome(summary, changes)
