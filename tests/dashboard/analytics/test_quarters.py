"""Financial quarters wherever months and financial years are offered: quarter figures add
up to their financial years to the penny, in the tables behind the charts and the API."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics.spend import spend_by_period
from dashboard.analytics.store import Store
from dashboard.api import view_table


def _by_year_from_quarters(table: pd.DataFrame, value: str) -> pd.Series:
    years = table["period"].str[:7]
    return table.groupby(years)[value].sum()


def test_quarter_totals_add_up_to_financial_years_to_the_penny(sample_spend):
    quarters = spend_by_period(sample_spend, "quarter")
    years = spend_by_period(sample_spend, "fy").set_index("period")
    assert quarters["period"].str.fullmatch(r"\d{4}-\d{2} Q[1-4]").all()
    pence = (_by_year_from_quarters(quarters, "total_gbp") * 100).round()
    assert pence.to_dict() == (years["total_gbp"] * 100).round().to_dict()


def test_the_spend_chart_and_the_api_offer_quarters_that_add_up(sample_store):
    store = Store(sample_store)
    quarters = view_table(store, "spend-by-period", "?period=quarter", labelled=False)
    years = view_table(store, "spend-by-period", "?period=fy", labelled=False)
    assert quarters["period"].str.fullmatch(r"\d{4}-\d{2} Q[1-4]").all()
    by_year = (_by_year_from_quarters(quarters, "total_gbp") * 100).round()
    assert by_year.to_dict() == (years.set_index("period")["total_gbp"] * 100).round().to_dict()
    labelled = view_table(store, "spend-by-period", "?period=quarter")
    assert len(labelled) == len(quarters)


@pytest.mark.parametrize("view_id", ["buyers", "sme-share", "new-buyers"])
def test_other_views_by_period_are_drawn_by_quarter(sample_store, view_id):
    table = view_table(Store(sample_store), view_id, "?period=quarter", labelled=False)
    assert table["period"].str.fullmatch(r"\d{4}-\d{2} Q[1-4]").all()
