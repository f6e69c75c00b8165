"""Query results shared between processes through the disk cache, and the LRU cache."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.filters import Filters
from dashboard.analytics.store import Store
from dashboard.cache import (
    OBJECT_SAMPLE,
    LruCache,
    SharedCache,
    code_fingerprint,
    nbytes,
    store_fingerprint,
)
from dashboard.pages.registry import VIEWS


def test_lru_cache_keeps_the_most_recently_used():
    cache = LruCache(2, sizeof=lambda value: 1)  # room for two values
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None
    assert cache.get_or_compute("a", lambda: 99) == 1


def test_lru_cache_is_bounded_in_bytes_not_entries():
    frame = pd.DataFrame({"spend_gbp": np.zeros(1_000), "month_number": np.zeros(1_000, "int32")})
    size = nbytes(frame)
    assert size == 1_000 * (8 + 4)  # a range index holds no values
    cache = LruCache(int(size * 2.5))
    for key in "abc":
        cache.put(key, frame.copy())
    assert len(cache) == 2 and cache.get("a") is None  # the third frame pushed out the first
    assert cache.held_bytes == 2 * size
    cache.put("huge", pd.concat([frame] * 3))  # larger than the whole budget: not kept
    assert cache.get("huge") is None and cache.held_bytes == 2 * size
    cache.put("b", frame.head(10))  # replacing a value frees its bytes
    assert cache.held_bytes == size + nbytes(frame.head(10))


def test_lru_cache_is_bounded_in_entries_too():
    # few objects for the garbage collector to walk, however small the values
    cache = LruCache(10**9, max_entries=3)
    for key in "abcd":
        cache.put(key, np.zeros(10))
    assert len(cache) == 3 and cache.get("a") is None and cache.get("d") is not None
    assert cache.held_bytes == 3 * 80
    unbounded = LruCache(10**9)
    for key in range(100):
        unbounded.put(key, key)
    assert len(unbounded) == 100


def test_nbytes_counts_strings_and_containers():
    names = pd.Series(["Home Office", "Cabinet Office"] * 500, dtype="string")
    assert nbytes(names) >= 1_000 * len("Home Office")
    assert nbytes((names, names)) >= 2 * nbytes(names)
    assert nbytes({"a": np.zeros(100)}) >= 800


def test_nbytes_of_a_frame_cut_from_a_table_counts_what_the_cut_holds():
    keys = pd.Categorical([f"urn:{i}" for i in range(50_000)])
    table = pd.DataFrame({"customer_key": keys, "spend_gbp": np.ones(50_000)})
    cut = table.iloc[:100]
    # a categorical's codes (int32 here): its categories are the table's, not the cut's
    assert nbytes(cut) == 100 * (keys.codes.itemsize + 8)  # and a range index: nothing
    names = pd.DataFrame({"customer": np.array(["Leeds City Council"] * 5_000, dtype=object)})
    deep = int(names.memory_usage(deep=True, index=False).sum())
    assert abs(nbytes(names) - deep) <= 0.01 * deep  # object columns: sampled, then scaled


def test_nbytes_of_names_of_every_length_is_near_their_deep_size():
    # a view's names run from a few letters to a long council name: the sample of
    # OBJECT_SAMPLE evenly spaced ones is scaled to the column
    rng = np.random.default_rng(24)
    for rows in (OBJECT_SAMPLE, 1_304, 50_000):
        lengths = rng.integers(3, 90, rows)
        names = np.array(["x" * n for n in lengths], dtype=object)
        deep = names.nbytes + sum(map(sys.getsizeof, names))
        frame = pd.DataFrame({"name": names, "buyer_group": names[::-1].copy()}, dtype=object)
        assert abs(nbytes(frame) - 2 * deep) <= (0 if rows == OBJECT_SAMPLE else 0.05) * 2 * deep


def test_nbytes_of_an_empty_frame_is_nothing():
    empty = pd.DataFrame({"name": pd.Series([], dtype=object), "spend_gbp": np.zeros(0)})
    assert nbytes(empty) == 0


@pytest.mark.parametrize("categories", [3, 126, 127, 32_766, 32_767, 70_000])
def test_nbytes_of_a_frame_reads_widths_from_dtypes_as_the_columns_hold_them(categories):
    rows = 300
    labels = [f"c{i}" for i in range(categories)]
    frame = pd.DataFrame({
        "key": pd.Categorical([labels[i % categories] for i in range(rows)], categories=labels),
        "spend_gbp": np.arange(rows, dtype="float64"),
        "month_number": np.arange(rows, dtype="int16"),
        "month": pd.date_range("2014-04-01", periods=rows, freq="D"),
        "sme": np.zeros(rows, dtype=bool),
        "count": pd.array(range(rows), dtype="Int64"),
        "name": np.array(["Leeds City Council"] * rows, dtype=object),
        "text": pd.array(["Home Office"] * rows, dtype="str"),
    })  # fmt: skip
    columns = [frame[c] for c in frame.columns]  # each column as it is held
    held = sum(
        c.array.codes.nbytes if isinstance(c.dtype, pd.CategoricalDtype)
        else nbytes(c.to_numpy()) if c.dtype == object else c.array.nbytes
        for c in columns
    )  # fmt: skip
    assert nbytes(frame) == held


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


def test_pages_rendered_are_kept_apart_and_fewer(sample_store, monkeypatch):
    monkeypatch.setattr("dashboard.analytics.store.PAGE_CACHE_ENTRIES", 2)
    store = Store(sample_store)  # no shared cache: what this process keeps, alone
    computed = []

    def page(n):
        return lambda: computed.append(n) or [f"page {n}"]

    years = [Filters(fy=(f"201{n}-1{n + 1}",)) for n in range(3)]
    assert store.memoised("a result", Filters(), lambda: "kept") == "kept"
    for n, filters in enumerate(years):
        assert store.rendered("page:/", filters, page(n)) == [f"page {n}"]
    # pages do not push results out, and only the last two pages are held
    assert store.memoised("a result", Filters(), lambda: "computed again") == "kept"
    assert store.rendered("page:/", years[2], page(2)) == ["page 2"] and computed == [0, 1, 2]
    assert store.rendered("page:/", years[0], page(0)) == ["page 0"] and computed == [0, 1, 2, 0]
