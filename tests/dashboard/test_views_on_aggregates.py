"""Views computed by the app from its aggregate tables equal the same queries on the rows."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics import adoption
from dashboard.analytics import suppliers as concentration
from dashboard.analytics.adoption import adoption_headline_in_view as adoption_headline
from dashboard.analytics.filters import parse_query, without_time
from dashboard.analytics.selection import time_mask
from dashboard.analytics.spend import overview_headline
from dashboard.analytics.store import Store
from dashboard.analytics.suppliers import suppliers_headline, top_suppliers
from dashboard.analytics.timeline import every_period, periods_in_view
from dashboard.pages.registry import VIEWS
from tests.dashboard.frames import same

SEARCHES = [
    "",
    "?fy=2019-20",
    "?fy=2016-17,2017-18&buyer_group=non-whitehall",
    "?from=2019-07&to=2020-02&sme=SME",
    "?framework=G-Cloud&sector=Health&period=month",
    "?supplier=Kainos Software Ltd",
]


@pytest.fixture(scope="module")
def data(sample_store) -> Store:
    return Store(sample_store)


@pytest.mark.slow
@pytest.mark.parametrize("search", SEARCHES)
def test_overview_and_supplier_views_equal_row_queries(data, search):
    filters = parse_query(search)
    rows = data.rows(filters)
    expected = top_suppliers(rows, 20)
    shown = VIEWS["top-suppliers"].table(data, filters)
    assert shown["buyers"].tolist() == expected["buyers"].tolist()
    assert shown["supplier"].tolist() == expected["supplier"].astype(str).tolist()
    figures = overview_headline(data, filters)
    assert figures["buyers"] == rows["customer_key"].nunique()
    assert figures["suppliers"] == rows["supplier_key"].nunique()
    assert figures["total_spend"] == pytest.approx(rows["spend_gbp"].sum())
    top = suppliers_headline(data, filters)
    assert top["hhi"] == pytest.approx(concentration.hhi(rows), nan_ok=True)
    shown_table = VIEWS["concentration"].table(data, filters).iloc[:, :3]
    expected_table = every_period(
        concentration.concentration_by_period(rows, filters.shown_by),
        periods_in_view(data, filters, filters.shown_by),
    ).iloc[:, :3]
    same(shown_table.set_axis(expected_table.columns, axis=1), expected_table)


@pytest.mark.slow
@pytest.mark.parametrize("search", SEARCHES)
def test_adoption_views_equal_row_queries(data, search):
    filters = parse_query(search)
    rows = data.rows(filters)
    all_time = data.rows(without_time(filters))
    first = adoption.first_time_buyers(all_time, time_mask(all_time, filters), None)
    assert adoption_headline(data, filters) == adoption.adoption_headline(rows, first)
    buyers = VIEWS["buyers"].table(data, filters)
    expected = every_period(
        adoption.buyers_by_period(rows, filters.shown_by),
        periods_in_view(data, filters, filters.shown_by),
    )
    assert buyers["buyers"].tolist() == expected["buyers"].tolist()


def test_a_department_page_counts_its_bodies_once(data):
    filters = parse_query("?name=Home Office&fy=2019-20")
    table = VIEWS["dept-bodies"].table(data, filters)
    assert table["customer"].is_unique
    assert isinstance(table, pd.DataFrame)
