"""Months held as month numbers only (issue 24, serving memory): the app's aggregate tables
keep a line's month as an int16 month number in place of its ``datetime64[ns]`` month (a
quarter of the memory). Every reader of months goes through ``months_of``,
``first_month_of``, ``last_month_of``, ``dated`` or the month numbers, and filtering by
period on the numbers selects exactly the lines filtering on the dates selected."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.counting import (
    MONTH_NUMBER,
    dated,
    distinct_months,
    first_month_of,
    last_month_of,
    months_of,
    with_month_numbers,
)
from dashboard.analytics.filters import Filters
from dashboard.analytics.selection import _month_keys, apply_filters, time_mask
from dashboard.analytics.store import Store, grain_for
from loaders.aggregates import LazyAggregates
from loaders.core import periods
from tests.dashboard.seeded import seeded_filter_sets

MONTHS = pd.to_datetime(["2013-04-01", "2013-04-01", "2014-03-01", "2019-12-01"]).as_unit("ns")


def _table(months) -> pd.DataFrame:
    return pd.DataFrame({"framework": list("abab")[: len(months)], "month": months,
                         "spend_gbp": [1.0, 2.0, 3.0, 4.0][: len(months)]})  # fmt: skip


def test_a_table_read_for_the_app_holds_month_numbers_in_place_of_months():
    held = with_month_numbers(_table(MONTHS))
    assert list(held.columns) == ["framework", MONTH_NUMBER, "spend_gbp"]
    assert held[MONTH_NUMBER].dtype == "int16"
    assert held[MONTH_NUMBER].tolist() == [2013 * 12 + 3, 2013 * 12 + 3, 2014 * 12 + 2,
                                           2019 * 12 + 11]  # fmt: skip


@pytest.mark.parametrize("form", ["dates", "numbers"])
def test_months_read_back_the_same_from_dates_and_from_numbers(form):
    table = _table(MONTHS)
    if form == "numbers":
        table = with_month_numbers(table)
    shown = months_of(table)
    assert shown.dtype == "datetime64[ns]"
    assert shown.tolist() == MONTHS.tolist()
    assert first_month_of(table) == pd.Timestamp("2013-04-01")
    assert last_month_of(table) == pd.Timestamp("2019-12-01")
    assert first_month_of(table.iloc[1:3]) == pd.Timestamp("2013-04-01")
    assert last_month_of(table.iloc[1:3]) == pd.Timestamp("2014-03-01")
    assert pd.isna(first_month_of(table.iloc[0:0]))
    assert pd.isna(last_month_of(table.iloc[0:0]))
    assert dated(table) is table
    on_index = months_of(table.iloc[[3, 0]])
    assert on_index.index.tolist() == [3, 0]
    assert distinct_months(table.iloc[::-1]).tolist() == [
        pd.Timestamp("2013-04-01"),
        pd.Timestamp("2014-03-01"),
        pd.Timestamp("2019-12-01"),
    ]


def test_lines_of_no_month_keep_their_dates_and_are_left_out_by_dated():
    table = _table(pd.to_datetime(["2013-04-01", None, "2014-03-01"]).as_unit("ns"))
    held = with_month_numbers(table)
    assert "month" in held.columns and MONTH_NUMBER not in held.columns
    assert dated(held)["spend_gbp"].tolist() == [1.0, 3.0]
    assert last_month_of(held) == pd.Timestamp("2014-03-01")


def test_month_numbers_turn_back_into_the_months_pandas_holds_at_its_ends():
    months = pd.to_datetime(["1677-10-01", "1970-01-01", "1969-12-01", "2262-03-01"])
    numbers = periods.month_numbers(months)
    np.testing.assert_array_equal(periods.months_of_numbers(numbers), months.as_unit("ns"))
    assert [periods.month_of_number(n) for n in numbers] == months.tolist()


@pytest.fixture(scope="module")
def data(sample_store) -> Store:
    return Store(sample_store)


@pytest.mark.parametrize("grain", ["spend", "customer", "pair", "supplier_fy"])
def test_lines_filtered_on_month_numbers_equal_those_filtered_on_dates(data, sample_store, grain):
    """The seeded filter sets (financial years, month ranges, adjacent and apart) select the
    same lines, in the same order, from the table as held and as stored."""
    extra = ("?fy=2016-17,2017-18", "?fy=2015-16,2017-18", "?from=2016-02&to=2017-05")
    filter_sets = seeded_filter_sets(data, sample_store, 7, 24, extra)
    stored = LazyAggregates(sample_store)
    bodies = data.resolve_bodies
    for filters in filter_sets:
        chosen = grain_for(grain, filters)  # as the store chooses: by pair if a body is named
        held, plain_table = data.table(chosen), stored.table(chosen)
        assert "month" not in held.columns
        for sorted_by_month in (True, False):
            ours = apply_filters(held, filters, data.vocab, sorted_by_month=sorted_by_month,
                                 bodies=bodies(filters))  # fmt: skip
            plain = apply_filters(plain_table, filters, data.vocab, sorted_by_month=sorted_by_month,
                                  bodies=bodies(filters))  # fmt: skip
            assert ours.index.tolist() == plain.index.tolist()
            np.testing.assert_array_equal(months_of(ours).to_numpy(), plain["month"].to_numpy())
            np.testing.assert_array_equal(ours["spend_gbp"].to_numpy(),
                                          plain["spend_gbp"].to_numpy())  # fmt: skip


@pytest.mark.parametrize(
    ("date_from", "date_to", "lines"),
    [
        pytest.param("9999-12", None, "none", id="from-after-every-month-a-number-holds"),
        pytest.param(None, "0001-01", "none", id="to-before-every-month-a-number-holds"),
        pytest.param("0001-01", "9999-12", "all", id="around-every-month"),
    ],
)
def test_months_beyond_what_an_int16_month_number_holds_select_as_dates_would(
    data, date_from, date_to, lines
):
    """A link's months are years 1 to 9999; month numbers of int16 hold 1677 to 2262 (every
    month a table can hold): a month beyond them selects no line or every line, never the
    lines of a month it wrapped round to."""
    held = data.table("customer")
    chosen = Filters(date_from=date_from, date_to=date_to)
    for sorted_by_month in (True, False):
        found = apply_filters(held, chosen, data.vocab, sorted_by_month=sorted_by_month)
        assert len(found) == (0 if lines == "none" else len(held))


def test_a_month_is_bisected_as_a_number_of_the_table_s_own_width():
    numbers = np.array([24_148, 24_148, 24_149], dtype="int16")
    months, key = _month_keys(pd.DataFrame({MONTH_NUMBER: numbers}))
    found = key(pd.Timestamp("2012-06-01"))
    assert isinstance(found, np.int16)  # NumPy would convert all 10M numbers to an int64's
    assert int(found) == 2012 * 12 + 5 == periods.month_number_of(pd.Timestamp("2012-06-17"))
    assert np.searchsorted(months, found) == 2


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
@pytest.mark.parametrize(
    ("date_from", "date_to", "kept"),
    [
        pytest.param("9999-12", None, [], id="from-past-every-date"),
        pytest.param(None, "0001-01", [], id="to-before-every-date"),
        pytest.param("1500-01", "2300-01", [1.0, 2.0, 4.0], id="around-every-date"),
        pytest.param("2013-05", "2300-01", [2.0, 4.0], id="to-past-every-date"),
        pytest.param("1500-01", "2013-12", [1.0], id="from-before-every-date"),
    ],
)
def test_spend_rows_are_chosen_by_months_beyond_what_nanoseconds_hold(
    unit, date_from, date_to, kept
):
    """Spend rows keep their dates (the rows download reads them): a link's month before
    1677 or after 2262 is compared as a date, not wrapped round in nanoseconds, whether
    the rows are scanned or bisected."""
    months = pd.to_datetime(["2013-04-01", "2014-03-01", None, "2019-12-01"]).as_unit(unit)
    rows = _table(months)
    chosen = Filters(date_from=date_from, date_to=date_to)
    assert rows.loc[time_mask(rows, chosen), "spend_gbp"].tolist() == kept
    dated_rows = rows.iloc[[0, 1, 3]].reset_index(drop=True)  # sorted by month, no NaT
    sliced = apply_filters(dated_rows, chosen, None, sorted_by_month=True)
    assert sliced["spend_gbp"].tolist() == kept
