"""Seeded random filter sets of a store, made by the benchmark's own generator and read as
the app reads links (for tests comparing fast paths with row-level computations)."""

from __future__ import annotations

import random
from pathlib import Path

from benchmarks.callbacks import filter_set, store_values
from dashboard.analytics.filters import Filters
from dashboard.analytics.store import Store

PAGES = ("overview", "adoption", "department", "suppliers")


def seeded_filter_sets(
    store: Store, folder: Path, seed: int, count: int, extra: tuple[str, ...] = ()
) -> list[Filters]:
    """``count`` filter sets drawn with ``seed`` (the pages in turn), then ``extra`` query
    strings, each as :meth:`Store.read_query` reads it."""
    values = store_values(folder)
    rng = random.Random(seed)
    searches = [filter_set(values, rng, PAGES[i % len(PAGES)]) for i in range(count)]
    return [store.read_query(search)[0] for search in [*searches, *extra]]
