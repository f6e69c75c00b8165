"""Caches of query results: an in-process LRU bounded in bytes, and a disk cache every
worker shares.

Gunicorn runs several worker processes; each would otherwise compute the same views for the
same links. :class:`SharedCache` keeps small results (view tables, headline figures) in a
``diskcache`` folder that all workers of a server read and write. Its keys carry a
fingerprint of the store and of the dashboard code, so a new store or a new release of the
app never reads stale results.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import diskcache
import numpy as np
import pandas as pd

CODE_DIR = Path(__file__).resolve().parent
SHARED_CACHE_BYTES = 512 * 1024 * 1024  # diskcache evicts least recently stored beyond this
_MISSING = object()
OBJECT_SAMPLE = 100  # objects measured per object column (then scaled): at 1,000, sizing the
# adoption page's tables of a thousand names took a tenth of the page's time


def _values_bytes(values: Any) -> int:
    """Bytes of one column's or index's values: a categorical's codes (its categories belong
    to the table it was cut from, shared by every frame cut from it), an Arrow or NumPy
    array's buffers, an object array's pointers and objects (measured on an even sample of
    at most :data:`OBJECT_SAMPLE` of them and scaled: exact up to that many, near enough
    beyond to bound a cache)."""
    if isinstance(values, pd.Categorical):
        return int(values.codes.nbytes)
    if isinstance(values, np.ndarray) and values.dtype == object and len(values):
        sample = values[:: max(1, len(values) // OBJECT_SAMPLE)]
        objects = sum(map(sys.getsizeof, sample.tolist())) * len(values) / len(sample)
        return int(values.nbytes + objects)
    return int(getattr(values, "nbytes", 0))


def _fixed_width(dtype: Any, rows: int) -> int | None:
    """Bytes of ``rows`` values of ``dtype`` known from the dtype alone: NumPy numbers,
    dates and booleans by their width, a categorical by its codes' (the narrowest signed
    integer that holds its categories' count, as pandas picks); ``None`` for the others."""
    if isinstance(dtype, np.dtype) and dtype.kind != "O":
        return rows * dtype.itemsize
    if isinstance(dtype, pd.CategoricalDtype):
        count = len(dtype.categories)
        codes = next((c for c in CODE_TYPES if count < np.iinfo(c).max), np.int64)
        return rows * np.dtype(codes).itemsize
    return None


CODE_TYPES = (np.int8, np.int16, np.int32)  # a categorical's codes: the first whose max exceeds
# its categories' count (pandas' rule: 126 categories take int8 codes, 127 int16)


def _frame_bytes(frame: pd.DataFrame | pd.Series) -> int:
    """Bytes of a frame's or series' index and columns: widths read from the dtypes where
    they tell them; only when some do not, the columns are gone through once (one pass of
    ``items``: cutting each column out by position costs twice as much)."""
    index = frame.index
    held = 0 if isinstance(index, pd.RangeIndex) else _values_bytes(index.array)
    if not len(frame):
        return held
    series = isinstance(frame, pd.Series)
    widths = [_fixed_width(d, len(frame)) for d in ([frame.dtype] if series else frame.dtypes)]
    held += sum(w for w in widths if w is not None)
    if None in widths:
        columns = [frame] if series else (column for _, column in frame.items())
        for column, width in zip(columns, widths, strict=True):
            if width is None:  # Python objects, or an extension array's buffers
                objects = isinstance(column.dtype, np.dtype)
                held += _values_bytes(column.to_numpy() if objects else column.array)
    return held


def nbytes(value: Any) -> int:
    """Bytes ``value`` holds, near enough to bound a cache and cheap to find (a cache adds
    every result it keeps): frames and series by their columns' values (see
    :func:`_values_bytes`), arrays by their buffer, containers by their members, anything
    else by ``sys.getsizeof``."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return _frame_bytes(value)
    if isinstance(value, np.ndarray):
        return _values_bytes(value)
    if isinstance(value, tuple | list | set | frozenset):
        return sys.getsizeof(value) + sum(nbytes(v) for v in value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(nbytes(k) + nbytes(v) for k, v in value.items())
    if is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(nbytes(getattr(value, f.name)) for f in fields(value))
    return sys.getsizeof(value)


class LruCache:
    """A thread-safe least-recently-used cache bounded in bytes (:func:`nbytes` of each
    value) and in entries: beyond ``max_bytes`` or ``max_entries`` the least recently used
    values are dropped, and a value larger than ``max_bytes`` is returned but not kept.

    The entry bound keeps the Python objects the cache holds few: every frame is a few
    hundred objects the garbage collector walks on each full collection, and a full
    collection stops every request of the worker while it runs."""

    def __init__(
        self, max_bytes: int, max_entries: int | None = None, sizeof: Callable[[Any], int] = nbytes
    ) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._sizeof = sizeof
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.held_bytes = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value for ``key`` (most recently used from now on), else ``default``."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        return default

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` for ``key``, dropping the least recently used beyond the budget."""
        size = self._sizeof(value)
        with self._lock:
            if key in self._items:
                self.held_bytes -= self._items.pop(key)[1]
            if size > self.max_bytes:
                return
            self._items[key] = (value, size)
            self.held_bytes += size
            limit = len(self._items) if self.max_entries is None else self.max_entries
            while self.held_bytes > self.max_bytes or len(self._items) > limit:
                self.held_bytes -= self._items.popitem(last=False)[1][1]

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value for ``key``, computing and storing it on a miss."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            self.put(key, value)
        return value

    def __len__(self) -> int:
        return len(self._items)


def code_fingerprint() -> str:
    """Hash of the dashboard's and loaders' source, so changed code never reads old results."""
    digest = hashlib.sha256()
    for folder in (CODE_DIR, CODE_DIR.parent / "loaders"):
        for path in sorted(folder.rglob("*.py")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def store_fingerprint(store_dir: Path) -> str:
    """Hash identifying one store's content (its load report changes with every ingest)."""
    digest = hashlib.sha256(str(Path(store_dir).resolve()).encode())
    report = Path(store_dir) / "load_report.json"
    digest.update(report.read_bytes() if report.is_file() else b"")
    return digest.hexdigest()[:16]


class SharedCache:
    """Query results kept on disk for every process serving the same store and code.

    Safe across ``fork``: gunicorn builds the app in its master process and forks the
    workers; SQLite connections must not cross a fork, so a process that did not open the
    cache opens its own on first use.
    """

    def __init__(self, folder: str | Path, namespace: str) -> None:
        self._folder = str(folder)
        self._namespace = namespace
        self._opened: tuple[int, diskcache.Cache] | None = None
        self._lock = threading.Lock()

    @property
    def _disk(self) -> diskcache.Cache:
        """This process's connection to the cache (opened on first use after a fork)."""
        opened = self._opened
        if opened is None or opened[0] != os.getpid():
            with self._lock:
                opened = self._opened
                if opened is None or opened[0] != os.getpid():
                    disk = diskcache.Cache(self._folder, size_limit=SHARED_CACHE_BYTES)
                    self._opened = opened = (os.getpid(), disk)
        return opened[1]

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The stored value for ``key``, computing and storing it on a miss.

        ``key`` must have a stable ``repr`` (strings, tuples and frozen dataclasses do).
        """
        disk_key = f"{self._namespace}:{key!r}"
        value = self._disk.get(disk_key, default=_MISSING)
        if value is _MISSING:
            value = compute()
            self._disk.set(disk_key, value)
        return value

    def close(self) -> None:
        """Close this process's connections to the cache (if it opened any)."""
        opened = self._opened
        if opened is not None and opened[0] == os.getpid():
            opened[1].close()
            self._opened = None
