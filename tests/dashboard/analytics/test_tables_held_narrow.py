"""The tables as the app holds them: read a column at a time, categories as Python objects
on the stored codes, month numbers and counts in narrow integers. Each form is compared with
the plain computation it replaces, on the sample store and on hand-made edge cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import loaders.catalogue.store as catalogue_store
from dashboard.analytics import counting
from dashboard.analytics.counting import (
    MONTH_NUMBER,
    held_narrow,
    month_numbers_of,
    months_of,
    with_month_numbers,
)
from dashboard.analytics.store import Store
from loaders.aggregates import GRAINS, YEARLY, LazyAggregates, with_object_categories
from loaders.catalogue.store import read_table, store_catalogue
from loaders.catalogue.versions import current_version
from loaders.core import periods

GRAIN_NAMES = [*GRAINS, *(f"{g}_fy" for g in YEARLY), "bodies"]


def test_every_table_read_a_column_at_a_time_equals_the_whole_file_read(sample_store, monkeypatch):
    folder = current_version(sample_store)
    catalogue = store_catalogue(folder)
    whole = {name: read_table(folder, name, catalogue=catalogue) for name in catalogue}
    monkeypatch.setattr(catalogue_store, "COLUMN_BY_COLUMN_ROWS", 0)  # every table, even empty
    for name, expected in whole.items():
        got = read_table(folder, name, catalogue=catalogue)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
        assert list(got.dtypes.astype(str)) == list(expected.dtypes.astype(str)), name
        assert isinstance(got.index, pd.RangeIndex), name
    columns = ["spend_gbp", "month"]  # a subset, in the order asked for
    pd.testing.assert_frame_equal(
        read_table(folder, "spend", columns=columns, catalogue=catalogue),
        whole["spend"][columns],
        check_exact=True,
    )


def test_object_categories_keep_the_codes_and_equal_a_fresh_cast():
    frame = pd.DataFrame(
        {
            "lot": pd.Categorical(["b", None, "a", "b"]).astype(
                pd.CategoricalDtype(pd.Index(["a", "b"], dtype="str"))
            ),
            "spend_gbp": [1.0, 2.0, 3.0, 4.0],
        }
    )
    held = with_object_categories(frame)
    assert held["lot"].cat.categories.dtype == object
    assert np.shares_memory(held["lot"].array.codes, frame["lot"].array.codes)
    assert held["lot"].isna().tolist() == [False, True, False, False]
    assert held["lot"].dropna().tolist() == ["b", "a", "b"]
    pd.testing.assert_series_equal(held["spend_gbp"], frame["spend_gbp"])
    assert list(held.columns) == list(frame.columns)


@pytest.mark.parametrize("chunk", [1, 3, 1_000_000])
def test_month_numbers_in_chunks_equal_the_plain_conversion(monkeypatch, chunk):
    monkeypatch.setattr(counting, "MONTH_NUMBER_CHUNK", chunk)
    months = pd.to_datetime(["2012-04-01", "2012-04-01", "2019-12-01", "2025-03-01", "2031-01-01"])
    table = with_month_numbers(pd.DataFrame({"month": months}))
    assert table[MONTH_NUMBER].dtype == "int16"
    assert table[MONTH_NUMBER].tolist() == periods.month_numbers(months).tolist()
    assert month_numbers_of(table).dtype == "int64"


def test_month_numbers_of_the_first_and_last_months_pandas_holds_fit():
    months = pd.to_datetime(["1677-10-01", "2262-03-01"]).as_unit("ns")
    table = with_month_numbers(pd.DataFrame({"month": months}))
    assert table[MONTH_NUMBER].dtype == "int16"
    assert table[MONTH_NUMBER].tolist() == periods.month_numbers(months).tolist()
    assert table[MONTH_NUMBER].tolist() == [1677 * 12 + 9, 2262 * 12 + 2]
    empty = with_month_numbers(pd.DataFrame({"month": pd.to_datetime([]).as_unit("ns")}))
    assert empty[MONTH_NUMBER].tolist() == []


def test_counts_held_as_int32_sum_as_the_int64_counts_did():
    counts = np.array([2**30, 2**30, 2**30, 7], dtype="int64")  # the sum is over int32
    table = pd.DataFrame({"transactions": counts, "key": list("aabb")})
    held = held_narrow(table)
    assert held["transactions"].dtype == "int32"
    assert held["transactions"].sum() == counts.sum() == 3 * 2**30 + 7
    assert held.groupby("key")["transactions"].sum().tolist() == [2**31, 2**30 + 7]
    assert held["transactions"].to_numpy()[[True, True, True, False]].sum() == 3 * 2**30


def test_counts_held_as_int16_sum_as_the_int64_counts_did():
    counts = np.array([30_000, 30_000, 32_767, 0, 7], dtype="int64")  # sums are over int16
    table = pd.DataFrame({"transactions": counts, "key": list("aabbb")})
    held = held_narrow(table)
    assert held["transactions"].dtype == "int16"
    column = held["transactions"]
    assert column.sum() == 92_774
    assert held.groupby("key")["transactions"].sum().tolist() == [60_000, 32_774]
    assert column.cumsum().tolist() == [30_000, 60_000, 92_767, 92_767, 92_774]
    assert column.to_numpy()[[True, True, True, False, False]].sum() == 92_767
    assert held.pivot_table(index="key", values="transactions", aggfunc="sum")[
        "transactions"
    ].tolist() == [60_000, 32_774]
    one_more = pd.DataFrame({"transactions": np.array([32_768, -1], dtype="int64")})
    assert held_narrow(one_more)["transactions"].dtype == "int32"
    already = pd.DataFrame({"transactions": np.array([5], dtype="int16")})
    assert held_narrow(already) is already


def test_counts_too_wide_or_not_plain_integers_are_kept_as_they_are():
    wide = pd.DataFrame({"transactions": np.array([2**31], dtype="int64")})
    assert held_narrow(wide) is wide
    nullable = pd.DataFrame({"transactions": pd.array([1, None], dtype="Int64")})
    assert held_narrow(nullable) is nullable
    no_counts = pd.DataFrame({"spend_gbp": [1.0]})
    assert held_narrow(no_counts) is no_counts


@pytest.mark.parametrize("grain", GRAIN_NAMES[:-1])
def test_tables_the_app_holds_equal_the_stored_tables(sample_store, grain):
    """The same lines, values and categories; only the counts' width differs (every figure
    summed from them is the same), and months are held as month numbers in their place."""
    stored = LazyAggregates(sample_store).read(grain)
    held = Store(sample_store).table(grain)
    narrowest = "int16" if stored["transactions"].max() < 2**15 else "int32"
    assert held["transactions"].dtype == narrowest
    assert held["transactions"].sum() == stored["transactions"].sum()
    if "month" in stored.columns:
        assert "month" not in held.columns
        assert held[MONTH_NUMBER].dtype == "int16"
        assert held[MONTH_NUMBER].tolist() == periods.month_numbers(stored["month"]).tolist()
        held = held.assign(**{MONTH_NUMBER: months_of(held)}).rename(
            columns={MONTH_NUMBER: "month"}
        )
    pd.testing.assert_frame_equal(held.astype({"transactions": "int64"}), stored, check_exact=True)


def test_an_aggregate_table_read_for_the_app_is_not_kept_twice(sample_store):
    tables = LazyAggregates(sample_store)
    first, second = tables.read("pair"), tables.read("pair")
    assert first is not second
    pd.testing.assert_frame_equal(first, second)
    assert tables.table("pair") is tables.table("pair")  # table() keeps what it read
