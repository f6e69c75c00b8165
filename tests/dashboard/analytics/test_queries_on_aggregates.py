"""Every query gives the same answer from an aggregate table of the store as from the
spend rows (property tests on the sample)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.analytics import adoption
from dashboard.analytics import spend as spend_queries
from dashboard.analytics import suppliers as concentration
from dashboard.analytics.filters import Filters
from dashboard.analytics.selection import apply_filters
from loaders.aggregates import GRAINS, YEARLY, LazyAggregates
from tests.dashboard.frames import same


@pytest.fixture(scope="module")
def spend(sample_spend) -> pd.DataFrame:
    return sample_spend


@pytest.fixture(scope="module")
def tables(sample_tables) -> LazyAggregates:
    return sample_tables


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


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(filters=FILTERS)
def test_queries_on_aggregates_equal_queries_on_rows(spend, tables, filters):
    rows = apply_filters(spend, filters)
    grain = {g: apply_filters(tables.table(g), filters, sorted_by_month=True)
             for g in GRAINS}  # fmt: skip
    assert math.isclose(grain["spend"]["spend_gbp"].sum(), rows["spend_gbp"].sum(), abs_tol=0.005)
    for period in ("fy", "month"):
        same(spend_queries.spend_by_period(grain["spend"], period),
              spend_queries.spend_by_period(rows, period))  # fmt: skip
        same(spend_queries.sme_share_by_period(grain["spend"], period),
              spend_queries.sme_share_by_period(rows, period))  # fmt: skip
        same(adoption.buyers_by_period(grain["customer"], period),
              adoption.buyers_by_period(rows, period))  # fmt: skip
        same(concentration.concentration_by_period(grain["supplier"], period),
              concentration.concentration_by_period(rows, period))  # fmt: skip
    same(spend_queries.spend_by_sector(grain["spend"]), spend_queries.spend_by_sector(rows))
    same(spend_queries.spend_by_framework(grain["spend"]), spend_queries.spend_by_framework(rows))
    same(concentration.top_suppliers(grain["supplier"], 10, pairs=grain["pair"]),
          concentration.top_suppliers(rows, 10))  # fmt: skip
    same(adoption.body_profiles(grain["customer"]), adoption.body_profiles(rows))
    same(concentration.suppliers_active_and_new(grain["supplier"]),
          concentration.suppliers_active_and_new(rows))  # fmt: skip
    assert spend_queries.headline(grain["spend"])["total_spend"] == pytest.approx(
        spend_queries.headline(rows)["total_spend"]
    )


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(filters=FILTERS)
def test_queries_by_financial_year_on_yearly_tables_equal_queries_on_rows(spend, tables, filters):
    rows = apply_filters(spend, filters)
    yearly = {g: apply_filters(tables.table(f"{g}_fy"), filters, sorted_by_month=True)
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
    same(concentration.top_suppliers(yearly["supplier"], 10, pairs=yearly["pair"]),
          concentration.top_suppliers(rows, 10))  # fmt: skip
