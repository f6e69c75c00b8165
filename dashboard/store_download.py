"""The whole store as one download, stamped with its version: every table as Parquet (the
store folder as written, to open with ``loaders.read_store``) or as CSV, in a zip with
``VERSION.json`` and ``ABOUT.txt``.

Linked from the data-quality page as plain links to :data:`PATHS` (a separate request: the
page itself never carries the rows). Each zip is built once per store version into the
cache folder (written to a temporary name, then renamed, so two workers never serve half a
file) and sent from there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dash import Dash
from flask import abort, send_file

from dashboard.analytics.store import Store
from loaders.catalogue.aggregate_tables import PREFIX
from loaders.catalogue.parts import PARTS_FILE, read_parts
from loaders.catalogue.store import CATALOGUE_FILE, REPORT_FILE, read_table

FORMATS = ("parquet", "csv")
PATHS = {fmt: f"/download/store-{fmt}.zip" for fmt in FORMATS}


@dataclass(frozen=True)
class StoreVersion:
    """What identifies one store: its format, its latest month, a hash of its load report
    (changes with every ingest) and whether it is the synthetic sample."""

    store_format: int
    data_as_at: str
    fingerprint: str
    synthetic: bool

    def stamp(self) -> str:
        """``data-2014-06_format-8_3f2a9c1b7d40``: the version in a file name."""
        return f"data-{self.data_as_at}_format-{self.store_format}_{self.fingerprint}"


def store_version(store: Store) -> StoreVersion:
    """The version of ``store`` (see :class:`StoreVersion`)."""
    report = (store.store_dir / REPORT_FILE).read_bytes()
    latest = store.latest_month
    return StoreVersion(
        store_format=int(store.report.get("store_format", 0)),
        data_as_at=latest.strftime("%Y-%m") if latest is not None else "none",
        fingerprint=hashlib.sha256(report).hexdigest()[:12],
        synthetic=store.synthetic,
    )


def download_name(store: Store, fmt: str) -> str:
    """The file name of the whole-store download in ``fmt``."""
    prefix = "SYNTHETIC-sample_" if store.synthetic else ""
    return f"{prefix}framework-spend-store_{store_version(store).stamp()}_{fmt}.zip"


def _about(store: Store, fmt: str, version: StoreVersion) -> str:
    what = (
        "SYNTHETIC SAMPLE DATA: invented figures for demonstration, not management "
        "information. Do not quote them."
        if version.synthetic
        else "Management information: spend as evidenced by suppliers to the Crown Commercial "
        "Service, ex VAT; the latest months are provisional. Contains public sector "
        "information licensed under the Open Government Licence v3.0."
    )
    tables = (
        "Every table of the store as written by 'python -m loaders ingest' (open the folder "
        "with loaders.read_store); aggregates/ holds the tables the app reads."
        if fmt == "parquet"
        else "Every table of the store as CSV (UTF-8), one file per table; the aggregate "
        "tables are left out (they are sums of spend.csv). Column meanings: catalogue.json."
    )
    return (
        f"Framework spend store, {fmt}\n{what}\nData as at {version.data_as_at}; store format "
        f"{version.store_format}; version {version.fingerprint} (hash of {REPORT_FILE}).\n"
        f"{tables}\nSource files and every row's lineage: {REPORT_FILE}.\n"
    )


def _write_parquet(store: Store, archive: zipfile.ZipFile) -> None:
    """Every file of the store, each table as one Parquet file: a table kept in parts
    after an append (:mod:`loaders.catalogue.parts`) is written whole, so that a reader of
    the download never takes a table's first part for the table."""
    folder = store.store_dir  # the version folder the app reads
    parted = read_parts(folder)
    in_parts = {part.path for parts in parted.values() for part in parts}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path not in in_parts and path.name != PARTS_FILE:
            archive.write(path, path.relative_to(folder).as_posix())
    for name in sorted(parted):
        with archive.open(store.catalogue[name].file, "w", force_zip64=True) as handle:
            read_table(folder, name).to_parquet(handle, index=False)


def _write_csv(store: Store, archive: zipfile.ZipFile) -> None:
    for name in store.catalogue:
        if name.startswith(PREFIX):
            continue
        with archive.open(f"{name}.csv", "w", force_zip64=True) as handle:
            store.stored(name).to_csv(handle, index=False, encoding="utf-8")
    for extra in (REPORT_FILE, CATALOGUE_FILE, "changes.json", "alerts.json"):
        if (store.store_dir / extra).is_file():
            archive.write(store.store_dir / extra, extra)


WRITERS = {"parquet": _write_parquet, "csv": _write_csv}


def build_zip(store: Store, fmt: str, folder: Path) -> Path:
    """The zip of the whole store in ``fmt`` (built into ``folder`` once per version)."""
    version = store_version(store)
    target = folder / download_name(store, fmt)
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".partial")
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("ABOUT.txt", _about(store, fmt, version))
            stamp = {**version.__dict__, "format": fmt,
                     "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}  # fmt: skip
            archive.writestr("VERSION.json", json.dumps(stamp, indent=2))
            WRITERS[fmt](store, archive)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target


def register_store_downloads(app: Dash, store: Store, folder: Path | None = None) -> None:
    """Serve :data:`PATHS` from ``app`` (zips kept in ``folder``, by default the cache
    folder's ``downloads``)."""
    from dashboard.sample import cache_root

    where = folder or cache_root() / "downloads"

    def send(fmt: str):
        if fmt not in FORMATS:
            abort(404)
        path = build_zip(store, fmt, where)
        return send_file(path, mimetype="application/zip", as_attachment=True,
                         download_name=path.name, max_age=0)  # fmt: skip

    app.server.add_url_rule("/download/store-<fmt>.zip", "store-download", send)
