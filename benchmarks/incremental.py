"""Incremental ingest: a folder of monthly releases in a store, then one new release.

1. the folder (N rows) is ingested into a fresh store, filling the extract cache;
2. the new month's release is read alone: ``loaders.load(new_file)``;
3. the folder plus the new release is ingested again (with the same extract cache), timed
   for ``loaders.load`` alone and with ``write_store``;
4. the new release is appended to a copy of the first store (``python -m loaders ingest``'s
   path, :func:`loaders.update.append.load_or_append`, then ``write_store``), timed whole;
   ``append_note`` says whether it appended or rebuilt, and why.

The extract cache is ``loaders.load(..., cache_dir=...)``; a loader without that keyword is
run without a cache, and the result says so.
"""

from __future__ import annotations

import gc
import inspect
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import loaders


@dataclass
class Incremental:
    """Timings (seconds) and row counts of one incremental-ingest run."""

    first_load: float
    first_store: float  # load + write_store of the N-row folder
    new_alone: float  # loaders.load(new_file)
    again_load: float  # loaders.load(folder + new file), cached extracts
    again_store: float  # the same plus write_store
    cache_used: bool
    spend_rows: int  # after the first ingest
    quarantine_rows: int
    new_rows: int  # spend rows of the new release alone
    files: int
    append_store: float | None = None  # load_or_append + write_store, seconds
    append_note: str | None = None

    @property
    def ratio_load(self) -> float:
        """Re-ingest (load only) / reading the new file alone."""
        return self.again_load / self.new_alone

    @property
    def ratio_store(self) -> float:
        """Re-ingest into the store (load + write) / reading the new file alone."""
        return self.again_store / self.new_alone

    @property
    def ratio_append(self) -> float | None:
        """Appending into the store (load + write) / reading the new file alone."""
        return None if self.append_store is None else self.append_store / self.new_alone


def cache_supported() -> bool:
    """Whether ``loaders.load`` takes ``cache_dir`` (the content-hash extract cache)."""
    return "cache_dir" in inspect.signature(loaders.load).parameters


def _ingest(paths: list[Path], store: Path, cache: Path | None) -> tuple[float, float, tuple]:
    """Load and write a store; returns (load seconds, total seconds, (spend, quarantine))."""
    kwargs = {"cache_dir": cache} if cache is not None else {}
    start = time.perf_counter()
    result = loaders.load(paths, **kwargs)
    loaded = time.perf_counter() - start
    loaders.write_store(result, store)
    total = time.perf_counter() - start
    counts = (len(result.spend), len(result.quarantine))
    del result
    gc.collect()
    return loaded, total, counts


def _append(paths: list[Path], store: Path, cache: Path | None) -> tuple[float, str] | None:
    """Append into ``store`` (seconds, and the note saying how); ``None`` when the loaders
    have no append path."""
    try:
        from loaders.sources.base import LoadOptions
        from loaders.update.append import load_or_append
    except ImportError:
        return None
    start = time.perf_counter()
    ingested = load_or_append(paths, store, options=LoadOptions(cache_dir=cache))
    loaders.write_store(ingested.result, store)
    seconds = time.perf_counter() - start
    return seconds, ingested.note(store) or "first build"


def measure(folder: Path, new_file: Path, work: Path) -> tuple[Incremental, Path]:
    """Run the incremental-ingest benchmark in ``work`` (emptied first).

    Returns the timings and the store of the first ingest (before the new release), kept
    as ``work/first-store`` for reuse.
    """
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cache = work / "extract-cache" if cache_supported() else None
    first_store = work / "first-store"
    first_load, first_total, (spend, quarantine) = _ingest([folder], first_store, cache)
    start = time.perf_counter()
    new_rows = len(loaders.load(new_file).spend)
    new_alone = time.perf_counter() - start
    again_load, again_total, _ = _ingest([folder, new_file], work / "store", cache)
    appending = work / "append-store"
    _ingest([folder], appending, cache)
    appended = _append([folder, new_file], appending, cache)
    result = Incremental(
        first_load=first_load,
        first_store=first_total,
        new_alone=new_alone,
        again_load=again_load,
        again_store=again_total,
        cache_used=cache is not None,
        spend_rows=spend,
        quarantine_rows=quarantine,
        new_rows=new_rows,
        files=sum(1 for _ in folder.glob("*.csv")),
        append_store=appended[0] if appended else None,
        append_note=appended[1] if appended else None,
    )
    return result, first_store
