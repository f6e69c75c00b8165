"""Every chart drawn by period puts each pound and each buyer in the period of its month.

Yearly aggregate lines carry the first month they cover, so they may serve a chart drawn by
financial year only: drawn by quarter or month, a whole year would land in its first quarter
or month. Each view below is checked against the spend rows (or the monthly lines of a
department, which other tests check against the rows) labelled by their own month."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from dashboard.analytics import departments
from dashboard.analytics.counting import period_labels
from dashboard.analytics.filters import Filters, parse_query
from dashboard.analytics.store import Store
from dashboard.pages.registry import VIEWS

# periods finer than the financial years the filters choose (whole years, so the yearly
# tables would otherwise be read)
SEARCHES = [
    "?fy=2019-20&period=quarter",
    "?fy=2018-19,2019-20&period=quarter",
    "?fy=2019-20&period=month",
    "?fy=2019-20",  # one year: drawn by month
    "?from=2018-04&to=2019-03&period=quarter",
    "?fy=2019-20&period=quarter&buyer_group=central",
]
DEPARTMENT = "&name=ministry-of-justice"
BUYER = "Leeds City Council"


@pytest.fixture(scope="module")
def data(sample_store) -> Store:
    return Store(sample_store)


def _by_period(rows: pd.DataFrame, filters: Filters, column: str = "spend_gbp") -> pd.Series:
    labels = period_labels(rows, filters.shown_by).astype(str).to_numpy()
    return rows[column].groupby(labels).sum()


def _shown(table: pd.DataFrame, column: str) -> pd.Series:
    shown = table.set_index(table["period"].astype(str))[column]
    return shown[shown.fillna(0).ne(0)]


def _same(shown: pd.Series, expected: pd.Series) -> None:
    expected = expected[expected.ne(0)]
    assert shown.index.tolist() == expected.index.tolist()
    assert shown.to_numpy() == pytest.approx(expected.to_numpy(), abs=0.005)


@pytest.mark.parametrize("search", SEARCHES)
def test_spend_sme_buyers_and_suppliers_by_period_equal_the_rows(data, search):
    filters = parse_query(search)
    assert filters.shown_by != "fy"
    rows = data.rows(filters)
    spend = _by_period(rows, filters)
    _same(_shown(VIEWS["spend-by-period"].table(data, filters), "total_gbp"), spend)
    _same(_shown(VIEWS["sme-share"].table(data, filters), "spend_gbp"), spend)
    sme = rows[rows["sme_status"].astype(object).eq("SME")]
    _same(_shown(VIEWS["sme-share"].table(data, filters), "sme_spend_gbp"),
          _by_period(sme, filters))  # fmt: skip
    labels = period_labels(rows, filters.shown_by).astype(str).to_numpy()
    buyers = rows["customer_key"].groupby(labels).nunique()
    _same(_shown(VIEWS["buyers"].table(data, filters), "buyers"), buyers)
    suppliers = rows["supplier_key"].groupby(labels).nunique()
    _same(_shown(VIEWS["concentration"].table(data, filters), "suppliers"), suppliers)


@pytest.mark.parametrize("search", SEARCHES)
def test_a_department_by_period_equals_its_monthly_lines(data, search):
    filters = parse_query(search + DEPARTMENT)
    name = departments.chosen_department(data, filters)
    monthly = data.filtered(filters, "spend", department=name, months=True)
    expected = _by_period(monthly, filters)
    _same(_shown(VIEWS["dept-by-year"].table(data, filters), "spend_gbp"), expected)
    compare = VIEWS["dept-compare"].table(data, filters)
    _same(_shown(compare[compare["department"].eq(name)], "spend_gbp"), expected)
    central = data.filtered(replace(filters, buyer_group=("Central government",)), "spend",
                            months=True)  # fmt: skip
    share = compare[compare["department"].eq(name)].set_index("period")["share_of_central_pct"]
    whole = _by_period(central, filters)
    for period, pct in share.dropna().items():
        assert pct == pytest.approx(100 * expected.get(str(period), 0) / whole[str(period)])


@pytest.mark.parametrize("search", SEARCHES[:3])
def test_a_buyer_by_period_equals_its_rows(data, search):
    filters = parse_query(search + "&name=" + BUYER)
    rows = data.rows(replace(filters, name=None))
    rows = rows[rows["customer"].astype(object).eq(BUYER)]
    assert len(rows)
    _same(_shown(VIEWS["buyer-by-year"].table(data, filters), "spend_gbp"),
          _by_period(rows, filters))  # fmt: skip
