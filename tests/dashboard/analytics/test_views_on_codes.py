"""Issue 24 (pages): what the adoption and supplier pages compute on integer codes and
precomputed tables gives what simple row-level computations over the spend rows give, on
seeded random filter sets of the bundled sample (the benchmark's own generator) and on
hand-picked periods: register status, other buyers of each group's kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import (
    adoption,
    counting,
    departments,
    register_codes,
    registers,
    suppliers,
)
from dashboard.analytics.counting import month_labels
from dashboard.analytics.filters import Filters, spend_filters, without_time
from dashboard.analytics.selection import time_mask
from dashboard.analytics.store import Store
from dashboard.analytics.timeline import every_period
from loaders.bodies.departments import departments_of_customers
from loaders.bodies.registers.adoption import adoption_status, adoption_summary, register_spend
from tests.dashboard.frames import same
from tests.dashboard.seeded import seeded_filter_sets


@pytest.fixture(scope="module")
def data(sample_store) -> Store:
    return Store(sample_store)


@pytest.fixture(scope="module")
def filter_sets(data, sample_store) -> list[Filters]:
    """Twenty seeded random filter sets and a few chosen ones, read as the app reads links."""
    extra = ("", "?fy=2014-15", "?from=2019-07&to=2020-02&sme=SME",
             "?fy=2016-17,2017-18&buyer_group=non-whitehall")  # fmt: skip
    return seeded_filter_sets(data, sample_store, 2024, 20, extra)


def test_register_status_on_codes_equals_the_status_of_the_rows(data, filter_sets):
    matches = data.stored("register_matches")
    checked = set()
    for filters in filter_sets:
        first, last = registers.period_in_view(data, filters)
        shown = registers.status_in_view(data, filters)
        rows = data.rows(without_time(spend_filters(filters)))
        expected = adoption_status(data.register_bodies, register_spend(rows, matches),
                                   first, last)  # fmt: skip
        same(shown, expected)
        checked |= set(shown["status"])
    assert checked == {"new", "returning", "lapsed", "never"}


def test_register_months_on_codes_equal_the_join_of_every_row(data, filter_sets):
    matches = data.stored("register_matches")
    for filters in filter_sets[:8]:
        rows = data.rows(without_time(spend_filters(filters)))
        same(registers.body_months(data, filters), register_spend(rows, matches))


@pytest.mark.parametrize(
    ("first", "last"),
    [
        pytest.param(dt.date(2012, 4, 1), dt.date(2012, 4, 30), id="first-month"),
        pytest.param(dt.date(2016, 4, 1), dt.date(2017, 3, 31), id="a-year"),
        pytest.param(dt.date(2030, 1, 1), dt.date(2030, 12, 31), id="after-every-month"),
        pytest.param(dt.date(2001, 1, 1), dt.date(2001, 12, 31), id="before-every-month"),
    ],
)
def test_register_status_of_any_period_equals_the_reference(data, first, last):
    rows = data.rows(Filters())
    months = register_spend(rows, data.stored("register_matches"))
    coded = register_codes.body_months(rows, registers.positions_of_buyers(data))
    same(register_codes.status(data.register_bodies, coded, first, last),
         adoption_status(data.register_bodies, months, first, last))  # fmt: skip


def test_a_body_of_hand_built_lines_is_new_returning_or_lapsed_by_its_months():
    bodies = pd.DataFrame({
        "register": ["police", "police", "fire"], "code": ["a", "b", "c"],
        "name": ["A", "B", "C"], "group": "g", "organisation_type": "t", "nation": "E",
        "region": "R", "combined_authority": "", "start_date": pd.NaT, "end_date": pd.NaT,
        "end_date_unknown": "",
    })  # fmt: skip
    matches = pd.DataFrame({"customer_key": ["k1", "k2", "k3"], "register": ["police"] * 3,
                            "code": ["a", "a", "b"]})  # fmt: skip
    lines = pd.DataFrame({
        "customer_key": ["k1", "k2", "k3", "k3", "k9"],
        "month": pd.to_datetime(["2019-05-01", "2020-06-01", "2019-01-01", "2018-02-01",
                                 "2020-05-01"]),
        "spend_gbp": [10.0, 5.0, -2.5, 7.0, 99.0],
        "sme_status": ["SME", "Large", "SME", "SME", "SME"],
    })  # fmt: skip
    coded = register_codes.body_months(lines, register_codes.body_positions(bodies, matches))
    table = register_codes.status(bodies, coded, dt.date(2020, 4, 1), dt.date(2021, 3, 31))
    assert table["status"].tolist() == ["returning", "lapsed", "never"]
    assert table["spend_in_period_gbp"].tolist() == [5.0, 0.0, 0.0]
    assert table["last_month_before"].dt.strftime("%Y-%m").fillna("").tolist() == [
        "2019-05", "2019-01", ""]  # fmt: skip
    same(table, adoption_status(bodies, register_spend(lines, matches), dt.date(2020, 4, 1),
                                dt.date(2021, 3, 31)))  # fmt: skip


def test_register_summary_and_list_on_arrays_equal_the_reference(data, filter_sets):
    order = registers.group_order()
    for filters in filter_sets:
        status = registers.status_in_view(data, filters)
        for by in ("group", "organisation_type", "region"):
            same(register_codes.summary(status, by), adoption_summary(status, by))
        expected = status.assign(_g=status["group"].map(order),
                                 _s=status["status"].map(registers.STATUS_ORDER))  # fmt: skip
        expected = expected.sort_values(["_g", "_s", "name"], ignore_index=True)
        for column in registers.MONTH_COLUMNS:
            expected[column] = expected[column].dt.strftime("%Y-%m").fillna("")
        shown = register_codes.listed(status, order, registers.STATUS_ORDER)
        same(shown[registers.LIST_COLUMNS], expected[registers.LIST_COLUMNS])


def test_a_list_cut_by_status_is_the_whole_list_cut(data, filter_sets):
    for filters in filter_sets[:6]:
        whole = registers.bodies_list(data, filters)
        for status in ("never", "lapsed", "new"):
            cut = registers.bodies_list(data, replace(filters, status=(status,)))
            same(cut, whole[whole["status"].eq(status)])


def _first_time_of_rows(rows: pd.DataFrame, in_view: pd.Series) -> pd.DataFrame:
    """Bodies whose first month falls in a month of the lines in view, with their spend in
    view: a plain pandas group-by over spend rows."""
    rows = rows[rows["customer_key"].notna()].assign(key=lambda r: r["customer_key"].astype(str))
    first = rows.groupby("key")["month"].min()
    viewed = rows[in_view.reindex(rows.index).to_numpy()]
    spent = viewed.groupby("key")["spend_gbp"].sum()
    chosen = first[first.isin(set(viewed["month"]))]
    table = pd.DataFrame(
        {"first_month": chosen, "spend_in_view_gbp": spent.reindex(chosen.index).fillna(0.0)}
    )
    return table.sort_values(["first_month", "spend_in_view_gbp"], ignore_index=True)


def test_first_time_buyers_on_codes_equal_those_of_the_rows(data, filter_sets):
    found = 0
    for filters in filter_sets:
        shown = adoption.first_time_in_view(data, filters, None)
        rows = data.rows(without_time(filters))
        expected = _first_time_of_rows(rows, time_mask(rows, filters))
        shown = shown[["first_month", "spend_in_view_gbp"]].sort_values(
            ["first_month", "spend_in_view_gbp"], ignore_index=True
        )
        same(shown, expected)
        found += len(shown)
    assert found > 0


def _top_of_rows(rows: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` suppliers with most net spend and their distinct buyers: a plain
    group-by over spend rows (ties by name)."""
    rows = rows[rows["supplier_key"].notna()]
    table = rows.groupby(rows["supplier_key"].astype(str)).agg(
        supplier=("supplier", "first"), spend_gbp=("spend_gbp", "sum"),
        buyers=("customer_key", "nunique"), transactions=("spend_gbp", "size"),
    )  # fmt: skip
    table["supplier"] = table["supplier"].astype(str)
    table = table.sort_values(["spend_gbp", "supplier"], ascending=[False, True])
    return table.head(limit).reset_index(drop=True)


@pytest.mark.parametrize("department", [None, "Home Office"])
def test_top_suppliers_on_codes_equal_those_of_the_rows(data, filter_sets, department):
    for filters in filter_sets:
        if department is not None:
            rows = data.rows(departments.without_department(filters))
            rows = rows[departments_of_customers(rows["customer"], data.vocab).eq(department)]
        else:
            rows = data.rows(filters)
        shown = suppliers.top_suppliers_in_view(data, filters, 10, department)
        expected = _top_of_rows(rows, 10)
        columns = ["supplier", "spend_gbp", "buyers", "transactions"]
        same(shown[columns], expected[columns])


DENSE_EDGE = counting.DENSE_PER_VALUE * 50 + 4096  # 50 values: counted up to this size


@pytest.mark.parametrize("size", [1, 7, DENSE_EDGE, DENSE_EDGE + 1, counting.DENSE_CELLS + 1])
def test_distinct_values_counted_densely_are_those_np_unique_gives(size):
    values = (np.arange(50) * 7919) % size
    cells, inverse = counting.distinct_below_with_slots(values, size)
    expected, positions = np.unique(values, return_inverse=True)
    assert cells.tolist() == expected.tolist()
    assert inverse.tolist() == positions.tolist()
    assert counting.distinct_below(values, size).tolist() == expected.tolist()


@pytest.mark.parametrize("period", ["month", "quarter", "fy"])
def test_new_buyers_by_period_on_codes_equal_a_group_by_of_the_rows(data, filter_sets, period):
    for filters in filter_sets[:8]:
        rows = data.rows(without_time(filters))
        rows = rows[rows["customer_key"].notna()]
        first = rows.groupby(rows["customer_key"].astype(str))["month"].min()
        labels = month_labels(pd.Series(first.to_numpy()), period).astype(str)
        expected = labels.value_counts().sort_index()
        shown = adoption.new_buyers_by_period(rows, period)
        assert shown["period"].tolist() == expected.index.tolist()
        assert shown["new_buyers"].tolist() == expected.tolist()
        assert shown["cumulative_buyers"].tolist() == expected.cumsum().tolist()
        on_store = adoption.new_buyers_by_period(
            None, period, adoption.profiles_in_view(data, filters, all_time=True)
        )
        same(on_store, shown)


def _every_period_by_reindex(table: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Every period filled with pandas' reindex, fillna and ffill (the simple version)."""
    labels = list(dict.fromkeys([*labels, *table["period"].astype(str)]))
    full = table.assign(period=table["period"].astype(str)).set_index("period")
    full = full.reindex(sorted(labels))
    for name in full.columns:
        if name.startswith("cumulative"):
            full[name] = full[name].ffill().fillna(0)
        elif pd.api.types.is_numeric_dtype(full[name]):
            full[name] = full[name].fillna(np.nan if name.endswith(("_pct", "hhi")) else 0)
    return full.rename_axis("period").reset_index()


@pytest.mark.parametrize(
    "periods",
    [
        pytest.param(["2014-15", "2016-17"], id="gaps"),
        pytest.param(["2013-14", "2014-15", "2015-16", "2016-17"], id="none-missing"),
        pytest.param(["2016-17"], id="one"),
    ],
)
def test_every_period_on_arrays_equals_pandas_reindex(periods):
    n = len(periods)
    table = pd.DataFrame({
        "period": pd.Categorical(periods), "buyers": np.arange(1, n + 1),
        "spend_gbp": np.linspace(1.5, 9.25, n), "share_pct": np.full(n, 12.5),
        "cumulative_buyers": np.cumsum(np.arange(1, n + 1)), "label": [f"x{i}" for i in range(n)],
        "first_month": pd.to_datetime(["2015-01-01"] * n), "hhi": np.full(n, 900.0),
    })  # fmt: skip
    wanted = ["2012-13", "2013-14", "2014-15", "2015-16", "2016-17", "2017-18"]
    shown = every_period(table, wanted)
    expected = _every_period_by_reindex(table, wanted)
    same(shown, expected)
    assert shown["buyers"].dtype.kind == "i"
    assert shown["cumulative_buyers"].tolist() == expected["cumulative_buyers"].tolist()


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["Leeds", "Kent", None, "Leeds", np.nan], dtype=object),
        pd.Series(["Leeds", "Kent", None], dtype="str"),
        pd.Series([], dtype=object),
        pd.Series([None, None], dtype=object),
        pd.Series([3, 1, None], dtype=object),
        pd.Series(["Kent", 1], dtype=object),  # mixed: made categorical as before
        pd.Series(pd.to_datetime(["2020-01-01", None, "2019-01-01"])),
    ],
)
def test_codes_of_a_column_are_those_of_it_made_categorical(column):
    codes, categories = counting.category_codes(column)
    expected = column.astype(object).astype("category")
    assert codes.tolist() == expected.cat.codes.tolist()
    assert list(categories) == list(expected.cat.categories)


def test_wide_sums_are_the_pivot_table_of_the_lines():
    table = pd.DataFrame({
        "month": ["2014-05", "2014-04", "2014-05", "2014-06", None, "2014-04"],
        "framework": pd.Categorical(["G-Cloud", "DOS", "G-Cloud", "DOS", "DOS", None],
                                    categories=["DOS", "G-Cloud", "Unused"]),
        "spend_gbp": [1.5, 2.0, 3.25, -4.0, 9.0, 7.0],
    })  # fmt: skip
    wide = counting.wide_sums(table, "month", "framework", "spend_gbp")
    expected = table.pivot_table(index="month", columns="framework", values="spend_gbp",
                                 aggfunc="sum", observed=True)  # fmt: skip
    assert wide.index.tolist() == ["2014-04", "2014-05", "2014-06"]
    assert wide.columns.tolist() == ["DOS", "G-Cloud"]  # no column of no line
    assert expected.columns.astype(str).tolist() == wide.columns.tolist()
    assert expected.index.tolist() == wide.index.tolist()
    np.testing.assert_array_equal(wide.to_numpy(), expected.to_numpy())  # NaN where none


def test_group_sums_show_a_null_label_as_pandas_does_and_wide_sums_add_nan_as_nothing():
    lines = pd.DataFrame({"framework": ["G-Cloud 9", None, "Network Services", None],
                          "spend_gbp": [1.0, 2.0, 3.0, 4.0]})  # fmt: skip
    table = counting.group_sums({"framework": lines["framework"]},
                                {"spend_gbp": lines["spend_gbp"].to_numpy()})  # fmt: skip
    last = table["framework"].iloc[-1]  # a missing text, as pandas holds it: NaN, not None
    assert last is not None and pd.isna(last) and str(last) == "nan"
    assert table["spend_gbp"].tolist() == [1.0, 3.0, 6.0]
    priced = pd.DataFrame({"p": ["a", "a", "b"], "q": ["x", "x", "x"],
                           "v": [1.0, np.nan, np.nan]})  # fmt: skip
    wide = counting.wide_sums(priced, "p", "q", "v")
    expected = priced.pivot_table(index="p", columns="q", values="v", aggfunc="sum")
    np.testing.assert_array_equal(wide.to_numpy(), expected.to_numpy())  # 1.0 and 0.0
