"""Pre-aggregated tables: every grain holds exactly the pounds and rows of the spend frame,
and every query gives the same answer from an aggregate table as from the rows."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from loaders.aggregates import (
    GRAINS,
    YEARLY,
    LazyAggregates,
    departments_of_customers,
)


@pytest.fixture(scope="module")
def spend(sample_spend) -> pd.DataFrame:
    return sample_spend


@pytest.fixture(scope="module")
def tables(sample_tables) -> LazyAggregates:
    return sample_tables


def test_every_grain_holds_every_pound_and_row(spend, tables):
    for grain in [*GRAINS, *(f"{g}_fy" for g in YEARLY)]:
        table = tables.table(grain)
        assert math.isclose(table["spend_gbp"].sum(), spend["spend_gbp"].sum(), abs_tol=0.005)
        assert table["transactions"].sum() == len(spend)
        assert table["month"].is_monotonic_increasing, grain


def test_bodies_list_every_customer_and_supplier_with_their_spend(spend, tables):
    bodies = tables.table("bodies")
    customers = bodies[bodies["kind"] == "customer"].set_index("key")["spend_gbp"]
    expected = spend.groupby(spend["customer_key"].astype(str))["spend_gbp"].sum()
    assert len(customers) == spend["customer_key"].nunique()
    pd.testing.assert_series_equal(
        customers.sort_index(), expected.sort_index(), check_names=False, check_index_type=False
    )


def test_departments_of_customers_names_departments_and_leaves_others_blank():
    names = pd.Series(["Home Office", "HM Passport Office", "Leeds City Council", None])
    assert departments_of_customers(names).tolist() == ["Home Office", "Home Office", "", ""]
