"""The store: a folder of Parquet tables and the JSON load report, written atomically.

``spend.parquet``, ``quarantine.parquet``, ``revisions.parquet``, ``matches.parquet`` (how names
were resolved to bodies), ``customers.parquet`` (the customer list's bodies) and
``load_report.json``, ``release_months.parquet`` (each framework-month's total in every release that
published it), ``version_changes.parquet`` (what each superseded version of a release changed), the
Contracts Finder notice tables (``notices.parquet``, ``awards.parquet``,
``award_suppliers.parquet``, ``ocds_releases.parquet``: see :mod:`loaders.catalogue.notice_store`),
with the pre-aggregated tables of ``aggregates/`` the app reads (:mod:`loaders.aggregates`), are
first written to a hidden folder beside the target and only then swapped into place, so a failed
ingest leaves an existing store exactly as it was. A lock file beside the store (:func:`store_lock`)
keeps two writers of the same store apart.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock, Timeout

from loaders.aggregates import FOLDER as AGGREGATES_FOLDER
from loaders.aggregates import build_aggregates, write_aggregates
from loaders.catalogue.notice_store import NOTICE_FILES, read_notice_tables, write_notice_tables
from loaders.catalogue.spend_schema import (
    apply_body_dtypes,
    apply_match_dtypes,
    apply_release_month_dtypes,
    apply_spend_dtypes,
    apply_version_change_dtypes,
    customer_names_frame,
)
from loaders.core.errors import LoaderInputError
from loaders.pipeline import LoadResult

# Bump when the tables a store holds, or their columns, change. Written into the load report;
# a store of another format is refused on opening with one message (rebuild it).
# 2: aggregates by month and year; 3: the format is recorded in the store; 4: the tables of
# Contracts Finder notices; 5: customers' region and county; 6: release months, version
# changes, untrusted URNs in the match report, suppliers' latest SME status in bodies; 7: the
# customer list's current and former names.
STORE_FORMAT = 7
SPEND_FILE = "spend.parquet"
QUARANTINE_FILE = "quarantine.parquet"
REVISIONS_FILE = "revisions.parquet"
MATCHES_FILE = "matches.parquet"
CUSTOMERS_FILE = "customers.parquet"
CUSTOMER_NAMES_FILE = "customer_names.parquet"
RELEASE_MONTHS_FILE = "release_months.parquet"
VERSION_CHANGES_FILE = "version_changes.parquet"
REPORT_FILE = "load_report.json"
STORE_FOLDERS = (AGGREGATES_FOLDER,)
STORE_FILES = (
    SPEND_FILE,
    QUARANTINE_FILE,
    REVISIONS_FILE,
    MATCHES_FILE,
    CUSTOMERS_FILE,
    CUSTOMER_NAMES_FILE,
    RELEASE_MONTHS_FILE,
    VERSION_CHANGES_FILE,
    REPORT_FILE,
    *NOTICE_FILES,
)


def _write_tables(result: LoadResult, folder: Path) -> None:
    result.spend.to_parquet(folder / SPEND_FILE, index=False)
    result.quarantine.to_parquet(folder / QUARANTINE_FILE, index=False)
    result.revisions.to_parquet(folder / REVISIONS_FILE, index=False)
    result.matches.to_parquet(folder / MATCHES_FILE, index=False)
    result.customers.to_parquet(folder / CUSTOMERS_FILE, index=False)
    result.customer_names.to_parquet(folder / CUSTOMER_NAMES_FILE, index=False)
    result.release_months.to_parquet(folder / RELEASE_MONTHS_FILE, index=False)
    result.version_changes.to_parquet(folder / VERSION_CHANGES_FILE, index=False)
    write_aggregates(build_aggregates(result.spend), folder)
    write_notice_tables(result, folder)
    report = {"store_format": STORE_FORMAT, **result.report}
    (folder / REPORT_FILE).write_text(json.dumps(report, indent=2), encoding="utf-8")


def write_store(
    result: LoadResult, out_dir: str | Path, extra_files: Mapping[str, str] | None = None
) -> Path:
    """Write ``result`` to ``out_dir``, replacing any store there only once all is written.

    ``extra_files`` (name -> UTF-8 text, e.g. ``changes.json``) are written into the new
    store before the swap, so they arrive with it or not at all.
    """
    target = Path(out_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        _write_tables(result, staging)
        for name, text in (extra_files or {}).items():
            (staging / name).write_text(text, encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def lock_path(out_dir: str | Path) -> Path:
    """The lock file of the store ``out_dir``: ``NAME.lock`` beside the store folder ``NAME``."""
    target = Path(out_dir).resolve()
    return target.parent / f"{target.name}.lock"


@contextmanager
def store_lock(
    out_dir: str | Path, *, wait: bool = True, on_wait: Callable[[str], None] | None = None
) -> Iterator[Path]:
    """Hold the store's lock file (:func:`lock_path`) while the block writes the store, so
    two ingests or updates never write the same store at once. The operating system frees
    the lock when the process ends, however it ends.

    When another process holds it: with ``wait``, ``on_wait`` is told (one line) and the
    lock is awaited; without, :class:`~loaders.core.errors.LoaderInputError` is raised. Yields
    the lock file's path.
    """
    path = lock_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise LoaderInputError(
                out_dir,
                f"another ingest or update is writing this store (lock file {path}); try again "
                "when it has finished, or leave out --no-wait to wait for it",
            ) from None
        if on_wait is not None:
            on_wait(f"waiting for another ingest or update writing {out_dir} to finish "
                    f"(lock file {path})...")  # fmt: skip
        lock.acquire()
    try:
        yield path
    finally:
        lock.release()


def is_store(folder: str | Path) -> bool:
    """Whether ``folder`` holds a complete store."""
    return all((Path(folder) / name).is_file() for name in STORE_FILES)


def open_report(folder: str | Path) -> dict[str, Any]:
    """The load report of the store in ``folder``, once it is known to be a complete store
    of this version's format.

    Raises :class:`~loaders.core.errors.LoaderInputError` naming the folder when it is not a
    store (files missing) or was written in another store format (rebuild it).
    """
    folder = Path(folder)
    if not is_store(folder):
        missing = [n for n in STORE_FILES if not (folder / n).is_file()]
        raise LoaderInputError(folder, f"is not a store: missing {', '.join(missing)}")
    report = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
    found = report.get("store_format", 2)
    if found != STORE_FORMAT:
        raise LoaderInputError(
            folder,
            f"was written in store format {found}, and this version reads format "
            f"{STORE_FORMAT}: rebuild it with 'python -m loaders ingest PATH... --out "
            f"{folder}'",
        )
    return report


def read_store(folder: str | Path) -> LoadResult:
    """Read a store written by :func:`write_store` (see :func:`open_report` for errors)."""
    folder = Path(folder)
    report = open_report(folder)
    return LoadResult(
        spend=apply_spend_dtypes(pd.read_parquet(folder / SPEND_FILE)),
        quarantine=pd.read_parquet(folder / QUARANTINE_FILE),
        revisions=pd.read_parquet(folder / REVISIONS_FILE),
        report=report,
        matches=apply_match_dtypes(pd.read_parquet(folder / MATCHES_FILE)),
        customers=apply_body_dtypes(pd.read_parquet(folder / CUSTOMERS_FILE)),
        customer_names=customer_names_frame(pd.read_parquet(folder / CUSTOMER_NAMES_FILE)),
        release_months=apply_release_month_dtypes(pd.read_parquet(folder / RELEASE_MONTHS_FILE)),
        version_changes=apply_version_change_dtypes(pd.read_parquet(folder / VERSION_CHANGES_FILE)),
        **read_notice_tables(folder),
    )
