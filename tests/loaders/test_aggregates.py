"""Pre-aggregated tables: every grain holds exactly the pounds and rows of the spend frame,
and every query gives the same answer from an aggregate table as from the rows."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import adoption, concentration, queries
from dashboard.filters import Filters
from loaders.aggregates import (
    GRAINS,
    YEARLY,
    LazyAggregates,
    departments_of_customers,
)
from loaders.store import read_store
from tests.dashboard.frames import same


@pytest.fixture(scope="module")
def spend(sample_store) -> pd.DataFrame:
    return read_store(sample_store).spend


@pytest.fixture(scope="module")
def tables(sample_store) -> LazyAggregates:
    return LazyAggregates(sample_store)


def test_every_grain_holds_every_pound_and_row(spend, tables):
    for grain in [*GRAINS, *(f"{g}_fy" for g in YEARLY)]:
        table = tables.table(grain)
        assert math.isclose(table["spend_gbp"].sum(), spend["spend_gbp"].sum(), abs_tol=0.005)
        assert table["transactions"].sum() == len(spend)
        assert table["month"].is_monotonic_increasing, grain


def test_bodies_list_every_customer_and_supplier_with_their_spend(spend, tables):
    bodies = tables.table("bodies")
    customers = bodies[bodies["kind"] == "customer"].set_index("key")["spend_gbp"]
    expected = spend.groupby("customer_key")["spend_gbp"].sum()
    assert len(customers) == spend["customer_key"].nunique()
    pd.testing.assert_series_equal(
        customers.sort_index(), expected.sort_index(), check_names=False, check_index_type=False
    )


def test_departments_of_customers_names_departments_and_leaves_others_blank():
    names = pd.Series(["Home Office", "HM Passport Office", "Leeds City Council", None])
    assert departments_of_customers(names).tolist() == ["Home Office", "Home Office", "", ""]


FILTERS = st.builds(
    Filters,
    fy=st.lists(st.sampled_from(["2013-14", "2016-17", "2019-20", "2023-24"]), max_size=2).map(
        tuple
    ),
    framework=st.sampled_from([(), ("G-Cloud",), ("Digital Outcomes and Specialists",)]),
    buyer_group=st.sampled_from([(), ("Central government",), ("Non-Whitehall",)]),
    sme=st.sampled_from([(), ("SME",), ("Large",)]),
    sector=st.sampled_from([(), ("Health",), ("Local Government", "Education")]),
)


@settings(max_examples=25, deadline=None)
@given(filters=FILTERS)
def test_queries_on_aggregates_equal_queries_on_rows(spend, tables, filters):
    rows = queries.apply_filters(spend, filters)
    grain = {g: queries.apply_filters(tables.table(g), filters, sorted_by_month=True)
             for g in GRAINS}  # fmt: skip
    assert math.isclose(grain["spend"]["spend_gbp"].sum(), rows["spend_gbp"].sum(), abs_tol=0.005)
    for period in ("fy", "month"):
        same(queries.spend_by_period(grain["spend"], period),
              queries.spend_by_period(rows, period))  # fmt: skip
        same(queries.sme_share_by_period(grain["spend"], period),
              queries.sme_share_by_period(rows, period))  # fmt: skip
        same(adoption.buyers_by_period(grain["customer"], period),
              adoption.buyers_by_period(rows, period))  # fmt: skip
        same(concentration.concentration_by_period(grain["supplier"], period),
              concentration.concentration_by_period(rows, period))  # fmt: skip
    same(queries.spend_by_sector(grain["spend"]), queries.spend_by_sector(rows))
    same(queries.spend_by_framework(grain["spend"]), queries.spend_by_framework(rows))
    same(queries.top_suppliers(grain["supplier"], 10, pairs=grain["pair"]),
          queries.top_suppliers(rows, 10))  # fmt: skip
    same(adoption.body_profiles(grain["customer"]), adoption.body_profiles(rows))
    same(concentration.suppliers_active_and_new(grain["supplier"]),
          concentration.suppliers_active_and_new(rows))  # fmt: skip
    assert queries.headline(grain["spend"])["total_spend"] == pytest.approx(
        queries.headline(rows)["total_spend"]
    )


@settings(max_examples=25, deadline=None)
@given(filters=FILTERS)
def test_queries_by_financial_year_on_yearly_tables_equal_queries_on_rows(spend, tables, filters):
    rows = queries.apply_filters(spend, filters)
    yearly = {g: queries.apply_filters(tables.table(f"{g}_fy"), filters, sorted_by_month=True)
              for g in YEARLY}  # fmt: skip
    for grain in YEARLY:
        assert yearly[grain]["transactions"].sum() == len(rows)
    same(adoption.body_profiles(yearly["customer"]), adoption.body_profiles(rows))
    same(adoption.buyers_by_period(yearly["customer"], "fy"),
          adoption.buyers_by_period(rows, "fy"))  # fmt: skip
    same(adoption.returning_buyers(yearly["customer"]), adoption.returning_buyers(rows))
    same(concentration.concentration_by_period(yearly["supplier"], "fy"),
          concentration.concentration_by_period(rows, "fy"))  # fmt: skip
    same(concentration.sme_share_without_top(yearly["supplier"], "fy"),
          concentration.sme_share_without_top(rows, "fy"))  # fmt: skip
    same(queries.top_suppliers(yearly["supplier"], 10, pairs=yearly["pair"]),
          queries.top_suppliers(rows, 10))  # fmt: skip
