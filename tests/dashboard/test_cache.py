"""Query results shared between processes through the disk cache, and the LRU cache."""

from __future__ import annotations

from dashboard.analytics.filters import Filters
from dashboard.analytics.store import Store
from dashboard.cache import LruCache, SharedCache, code_fingerprint, store_fingerprint
from dashboard.pages.registry import VIEWS


def test_lru_cache_keeps_the_most_recently_used():
    cache = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None
    assert cache.get_or_compute("a", lambda: 99) == 1


def test_a_second_worker_reads_what_the_first_computed(sample_store, tmp_path):
    namespace = f"{store_fingerprint(sample_store)}-{code_fingerprint()}"
    first = Store(sample_store, shared=SharedCache(tmp_path, namespace))
    second = Store(sample_store, shared=SharedCache(tmp_path, namespace))
    filters = Filters(fy=("2019-20",))
    table = VIEWS["spend-by-sector"].table(first, filters)
    calls = []
    assert second.memoised("view:spend-by-sector", filters, lambda: calls.append(1)).equals(table)
    assert calls == []  # found on disk, not computed again


def test_a_new_store_or_new_code_does_not_read_old_results(sample_store, tmp_path):
    old = SharedCache(tmp_path, "store-a-code-1")
    old.get_or_compute("k", lambda: "old")
    assert SharedCache(tmp_path, "store-b-code-1").get_or_compute("k", lambda: "new") == "new"
    assert store_fingerprint(sample_store) != store_fingerprint(tmp_path)
