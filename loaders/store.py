"""The store: a folder of Parquet tables and the JSON load report, written atomically.

``spend.parquet``, ``quarantine.parquet``, ``revisions.parquet``, ``matches.parquet`` (how
names were resolved to bodies), ``customers.parquet`` (the customer list's bodies) and
``load_report.json``, the Contracts Finder notice tables (``notices.parquet``,
``awards.parquet``, ``award_suppliers.parquet``, ``ocds_releases.parquet``: see
:mod:`loaders.ocds.store`), with the pre-aggregated tables of ``aggregates/`` the app reads
(:mod:`loaders.aggregates`), are first written to a hidden folder beside the target and only then
swapped into place, so a failed ingest leaves an existing store exactly as it was.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from loaders.aggregates import FOLDER as AGGREGATES_FOLDER
from loaders.aggregates import build_aggregates, write_aggregates
from loaders.api import LoadResult
from loaders.ocds.store import NOTICE_FILES, read_notice_tables, write_notice_tables
from loaders.resolution import apply_body_dtypes, apply_match_dtypes
from loaders.schema import apply_spend_dtypes

STORE_FORMAT = 3  # bump when the tables a store holds change (2: aggregates by month and year;
# 3: the notice tables)
SPEND_FILE = "spend.parquet"
QUARANTINE_FILE = "quarantine.parquet"
REVISIONS_FILE = "revisions.parquet"
MATCHES_FILE = "matches.parquet"
CUSTOMERS_FILE = "customers.parquet"
REPORT_FILE = "load_report.json"
STORE_FOLDERS = (AGGREGATES_FOLDER,)
STORE_FILES = (
    SPEND_FILE,
    QUARANTINE_FILE,
    REVISIONS_FILE,
    MATCHES_FILE,
    CUSTOMERS_FILE,
    REPORT_FILE,
    *NOTICE_FILES,
)


def _write_tables(result: LoadResult, folder: Path) -> None:
    result.spend.to_parquet(folder / SPEND_FILE, index=False)
    result.quarantine.to_parquet(folder / QUARANTINE_FILE, index=False)
    result.revisions.to_parquet(folder / REVISIONS_FILE, index=False)
    result.matches.to_parquet(folder / MATCHES_FILE, index=False)
    result.customers.to_parquet(folder / CUSTOMERS_FILE, index=False)
    write_aggregates(build_aggregates(result.spend), folder)
    write_notice_tables(result, folder)
    (folder / REPORT_FILE).write_text(json.dumps(result.report, indent=2), encoding="utf-8")


def write_store(result: LoadResult, out_dir: str | Path) -> Path:
    """Write ``result`` to ``out_dir``, replacing any store there only once all is written."""
    target = Path(out_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        _write_tables(result, staging)
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


def is_store(folder: str | Path) -> bool:
    """Whether ``folder`` holds a complete store."""
    return all((Path(folder) / name).is_file() for name in STORE_FILES)


def read_store(folder: str | Path) -> LoadResult:
    """Read a store written by :func:`write_store`."""
    folder = Path(folder)
    if not is_store(folder):
        missing = [n for n in STORE_FILES if not (folder / n).is_file()]
        raise FileNotFoundError(f"{folder} is not a store: missing {', '.join(missing)}")
    return LoadResult(
        spend=apply_spend_dtypes(pd.read_parquet(folder / SPEND_FILE)),
        quarantine=pd.read_parquet(folder / QUARANTINE_FILE),
        revisions=pd.read_parquet(folder / REVISIONS_FILE),
        report=json.loads((folder / REPORT_FILE).read_text(encoding="utf-8")),
        matches=apply_match_dtypes(pd.read_parquet(folder / MATCHES_FILE)),
        customers=apply_body_dtypes(pd.read_parquet(folder / CUSTOMERS_FILE)),
        **read_notice_tables(folder),
    )
