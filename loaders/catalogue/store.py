"""The store: a folder of Parquet tables, their declarations and the load report.

Every table of a :class:`~loaders.catalogue.result.LoadResult` is written to the file its
catalogue declaration names (:mod:`loaders.catalogue`), typed by it; the declarations of the
tables written go into ``catalogue.json`` and the load report into ``load_report.json``
(with :data:`STORE_FORMAT`). A store is versioned (:mod:`loaders.catalogue.versions`): ``S`` is
a link to the version it serves, ``S.versions/<id>``; a new version is written in full, then
made current in one atomic step, so a reader finds a whole store at every instant and a
failed ingest leaves the existing store as it was; earlier versions are kept for
``rollback``. An empty table the current version holds empty too is hard-linked into the new
version rather than written again, and so are the stored parts of a table rows were appended
to (:mod:`loaders.catalogue.parts`: only the new rows are written, as a part of their own).
A linked file is never written into: each version's new rows go into new files, so the
previous version stays whole whatever happens. A lock file
beside the store (:func:`store_lock`) keeps two writers of the same store apart.

Every reader follows the pointer once (:func:`~loaders.catalogue.versions.current_version`)
and reads that version's folder. Any table is read back through one function,
:func:`read_table`, typed by the store's own ``catalogue.json``: the store knows no source.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from loaders.catalogue import versions
from loaders.catalogue.model import Catalogue, Table, conforms
from loaders.catalogue.parts import (
    MAX_PARTS,
    Appended,
    Part,
    StoredTable,
    part_file,
    parts_of,
    read_parts,
    write_parts,
)
from loaders.catalogue.result import LoadResult
from loaders.catalogue.versions import KEEP_VERSIONS, current_version, store_path
from loaders.core.errors import LoaderInputError

# Bump when the tables a store holds, or their columns, change. Written into the load report;
# a store of another format is refused on opening with one message (rebuild it).
# 2: aggregates by month and year; 3: the format is recorded in the store; 4: the tables of
# Contracts Finder notices; 5: customers' region and county; 6: release months, version
# changes, untrusted URNs in the match report, suppliers' latest SME status in bodies; 7: the
# customer list's current and former names; 8: the catalogue of its tables (catalogue.json);
# 9: register matches of buyers and customer-list bodies, customers' kind and adoption group.
# 10: notice platforms (Find a Tender, Public Contracts Scotland, Sell2Wales): release facts,
# notice types, legal basis, awards as they stand, bids, pipeline, notice links, DOS
# opportunities.
# 11: tables kept in parts after an append (parts.json, :mod:`loaders.catalogue.parts`); a
# store of format 10 is one without parts, so it is read as it is (a reader of format 10
# would read only a table's first part: it refuses format 11).
STORE_FORMAT = 11
READ_FORMATS = (10, STORE_FORMAT)
REPORT_FILE = versions.REPORT_FILE
CATALOGUE_FILE = "catalogue.json"
WRITERS = min(2, os.cpu_count() or 1)  # tables written at once (more: more memory held)
SIDE_BY_SIDE_ROWS = 100_000  # smaller tables are written one after another, in this thread
COLUMN_BY_COLUMN_ROWS = 100_000  # larger tables are read a few columns at a time
COLUMNS_AT_ONCE = 2  # as fast as a whole read on two cores, for a fraction of its memory


def _link(source: Path, path: Path) -> None:
    """``source`` into ``path`` as a hard link (a copy across file systems). A linked file
    is never written again: every version writes its tables into new files."""
    try:
        os.link(source, path)
    except OSError:
        shutil.copy2(source, path)


def _previous(target: Path) -> tuple[Path, Catalogue] | None:
    """The version of the store ``target`` current before this write, and its catalogue
    (``None``: no store yet, or not a readable one)."""
    try:
        folder = current_version(target)
        return (folder, _catalogue_of(folder)) if is_store(target) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _unchanged_empty(
    table: Table, frame: pd.DataFrame, previous: tuple[Path, Catalogue] | None
) -> Path | None:
    """The previous version's file of ``table`` when both are empty and it is declared
    alike (an empty table is written the same way from the same declaration), else
    ``None``. Tables with rows are written again."""
    if previous is None or len(frame) or previous[1].get(table.name) != table:
        return None
    path = previous[0] / table.file
    try:
        return path if pq.read_metadata(path).num_rows == 0 else None
    except (OSError, ValueError, pa.ArrowException):
        return None


def _write_table(table: Table, frame: pd.DataFrame, path: Path) -> None:
    typed = frame if conforms(table, frame) else table.typed(frame)
    typed.to_parquet(path, index=False)


def _linked_parts(table: Table, held: object, folder: Path) -> tuple[list[Part], pd.DataFrame]:
    """The parts of an appended table (:class:`~loaders.catalogue.parts.Appended`) linked
    into ``folder`` from the version that holds them, and the rows still to write as its
    next part (the last of the list when there are any). Nothing is linked (``[]``) when the
    table's declaration changed or it would have more than :data:`~loaders.catalogue.parts.
    MAX_PARTS` parts: then it is written whole."""
    if not isinstance(held, Appended) or held.kept.table != table:
        return [], pd.DataFrame()
    if held.parts_after_write() > MAX_PARTS:
        return [], pd.DataFrame()
    parts = []
    for number, kept in enumerate(held.kept.parts):
        path = folder / part_file(table.file, number)
        _link(kept.path, path)
        parts.append(Part(path, kept.rows, kept.names))
    if len(held.added):
        parts.append(Part(folder / part_file(table.file, len(parts))))
    return parts, held.added


def _write_tables(
    result: LoadResult, folder: Path, previous: tuple[Path, Catalogue] | None = None
) -> None:
    """Every table of ``result`` into ``folder``; an empty table the ``previous`` version
    holds empty too is linked from it (:func:`_unchanged_empty`).

    Tables of :data:`SIDE_BY_SIDE_ROWS` rows or more are written :data:`WRITERS` at a time,
    largest first (Arrow encodes and compresses outside the GIL), then the others one by
    one; the first failure is raised once every write has stopped, so nothing writes into
    the folder after this returns or raises."""
    to_write, parts = [], {}
    for name in result:
        table = result.catalogue[name]
        path = folder / table.file
        path.parent.mkdir(parents=True, exist_ok=True)
        linked, added = _linked_parts(table, result.held_as(name), folder)
        if linked:
            parts[name] = linked
            if len(added):
                to_write.append((table, added, linked[-1].path))
            continue
        frame = result[name]
        same = _unchanged_empty(table, frame, previous)
        if same is not None:
            _link(same, path)
            continue
        to_write.append((table, frame, path))
    to_write.sort(key=lambda job: len(job[1]), reverse=True)
    large = [job for job in to_write if len(job[1]) >= SIDE_BY_SIDE_ROWS]
    pool = ThreadPoolExecutor(max_workers=WRITERS)
    try:
        for done in [pool.submit(_write_table, *job) for job in large]:
            done.result()
    finally:  # after a failure, the writes not started never start
        pool.shutdown(wait=True, cancel_futures=True)
    for job in to_write[len(large) :]:  # small tables: threads would only wait on the GIL
        _write_table(*job)
    write_parts(folder, parts)
    written = Catalogue(result.catalogue[name] for name in result)
    (folder / CATALOGUE_FILE).write_text(json.dumps(written.to_json(), indent=1), "utf-8")
    report = {"store_format": STORE_FORMAT, **result.report}
    (folder / REPORT_FILE).write_text(json.dumps(report, indent=2), encoding="utf-8")


def write_store(
    result: LoadResult,
    out_dir: str | Path,
    extra_files: Mapping[str, str] | None = None,
    *,
    keep: int = KEEP_VERSIONS,
) -> Path:
    """Write every table of ``result`` as a new version of the store ``out_dir`` and make it
    current only once all is written (:func:`loaders.catalogue.versions.install`), keeping
    ``keep`` earlier versions. Returns the store's path (the pointer ``out_dir``).

    ``extra_files`` (name -> UTF-8 text, e.g. ``changes.json``) are written into the new
    version before it is made current, so they arrive with it or not at all. On any failure
    the store is left as it was and nothing of the new version stays behind.
    """
    target = store_path(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = _previous(target)
    staging = versions.staging_folder(target)
    try:
        _write_tables(result, staging, previous)
        for name, text in (extra_files or {}).items():
            (staging / name).write_text(text, encoding="utf-8")
        versions.install(target, staging, keep)
    except BaseException:
        versions.discard_staging(target, staging)
        raise
    return target


def lock_path(out_dir: str | Path) -> Path:
    """The lock file of the store ``out_dir``: ``NAME.lock`` beside the store ``NAME`` (the
    pointer's name, whichever version it points at)."""
    target = store_path(out_dir)
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


def _missing(folder: Path) -> list[str]:
    """Files of a store that ``folder`` lacks (the report, the catalogue, then its tables)."""
    missing = [n for n in (REPORT_FILE, CATALOGUE_FILE) if not (folder / n).is_file()]
    if missing:
        return missing
    declared, parts = _catalogue_of(folder), read_parts(folder)
    found = [p.path for table in declared.values() for p in parts_of(table, folder, parts)]
    return [str(path.relative_to(folder)) for path in found if not path.is_file()]


def is_store(folder: str | Path) -> bool:
    """Whether ``folder`` holds a complete store (its report, catalogue and every table), in
    the version its pointer names."""
    try:
        return not _missing(current_version(folder))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _catalogue_of(folder: Path) -> Catalogue:
    return Catalogue.from_json(json.loads((folder / CATALOGUE_FILE).read_text(encoding="utf-8")))


def open_report(folder: str | Path) -> dict[str, Any]:
    """The load report of the store in ``folder`` (the version its pointer names), once it
    is known to be a complete store of this version's format.

    Raises :class:`~loaders.core.errors.LoaderInputError` naming the folder when it is not a
    store (files missing) or was written in another store format (rebuild it).
    """
    named, folder = folder, current_version(folder)
    report_file = folder / REPORT_FILE
    if report_file.is_file():
        report = json.loads(report_file.read_text(encoding="utf-8"))
        found = report.get("store_format", 2)
        if found not in READ_FORMATS:
            raise LoaderInputError(
                named,
                f"was written in store format {found}, and this version reads format "
                f"{STORE_FORMAT}: rebuild it with 'python -m loaders ingest PATH... --out "
                f"{named}'",
            )
    missing = _missing(folder)
    if missing:
        raise LoaderInputError(named, f"is not a store: missing {', '.join(missing)}")
    return json.loads(report_file.read_text(encoding="utf-8"))


def store_catalogue(folder: str | Path) -> Catalogue:
    """The declarations of the tables the store in ``folder`` holds (``catalogue.json``)."""
    return _catalogue_of(current_version(folder))


def read_table(
    folder: str | Path,
    name: str,
    columns: list[str] | None = None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """One table of the store in ``folder``, typed by its declaration (only ``columns``, in
    that order, when given). ``catalogue`` is the store's own (:func:`store_catalogue`),
    read again when not given. Raises ``KeyError`` for a table the store does not hold.
    ``folder`` is a version's folder or a pointer (followed on each call: a reader of several
    tables passes the version's folder, :func:`~loaders.catalogue.versions.current_version`)."""
    folder = current_version(folder)
    table = (catalogue or _catalogue_of(folder))[name]
    parts = tuple(parts_of(table, folder, read_parts(folder)))
    return StoredTable(table, parts, _read_parquet).read(columns)


def _read_parquet(path: Path, columns: list[str] | None) -> pd.DataFrame:
    """The Parquet file at ``path`` as pandas reads it (only ``columns`` when given). A file
    of :data:`COLUMN_BY_COLUMN_ROWS` rows or more is read :data:`COLUMNS_AT_ONCE` columns at
    a time (decoded side by side, as a whole read decodes them), so that its Arrow and
    pandas forms never exist whole at once (at 10M spend rows the monthly pair table is
    0.4 GB in each form); the memory Arrow no longer uses is then handed back to the system
    (its pool keeps freed blocks otherwise, and they count in the process's resident
    memory)."""
    footer = pq.read_metadata(path)  # one read of the footer: schema and row count
    names = columns if columns is not None else footer.schema.to_arrow_schema().names
    if not names or footer.num_rows < COLUMN_BY_COLUMN_ROWS:
        return pd.read_parquet(path, columns=columns)
    parts: dict[str, pd.Series] = {}
    for start in range(0, len(names), COLUMNS_AT_ONCE):
        part = pd.read_parquet(path, columns=names[start : start + COLUMNS_AT_ONCE])
        parts.update(part.items())
        del part
    frame = pd.DataFrame(parts, copy=False)
    del parts
    pa.default_memory_pool().release_unused()
    return frame


def read_store(
    folder: str | Path, describer: Callable[[dict[str, Any]], str] | None = None
) -> LoadResult:
    """The store in ``folder`` as a :class:`~loaders.catalogue.result.LoadResult` whose tables
    are read on first use, all from the version the pointer named when it was opened (see
    :func:`open_report` for errors)."""
    folder = current_version(folder)
    report = open_report(folder)
    catalogue = _catalogue_of(folder)

    parts = read_parts(folder)

    def reader(name: str) -> StoredTable:
        table = catalogue[name]
        return StoredTable(table, tuple(parts_of(table, folder, parts)), _read_parquet)

    return LoadResult({name: reader(name) for name in catalogue}, report, catalogue, describer)
