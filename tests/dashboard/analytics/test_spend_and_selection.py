"""Spend queries and selection by filters against hand-computed figures on small frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.analytics import spend as spend_queries
from dashboard.analytics import suppliers
from dashboard.analytics.filters import Filters, parse_query, without_time
from dashboard.analytics.selection import apply_filters
from tests.dashboard.frames import spend_frame

ROWS = [
    ("2013-03", "Home Office", "Central Government", "Acme", "SME", 100),
    ("2013-04", "Home Office", "Central Government", "Bigco", "Large", 300),
    ("2013-04", "Leeds City Council", "Local Government", "Acme", "SME", 50),
    ("2013-05", "NHS Digital", "Health", "Acme", "SME", -10),
    ("2014-03", "Mystery Body", None, "Bigco", "Large", 60),
    ("2014-04", "Home Office", "Central Government", "Acme", "SME", 40),
    ("2014-05", "Ministry of Defence", "Defence", "Bigco", "Large", 200),
]


@pytest.fixture
def spend() -> pd.DataFrame:
    return spend_frame(ROWS)


def test_headline_shares_are_of_the_filtered_total(spend):
    figures = spend_queries.headline(spend)
    total = 100 + 300 + 50 - 10 + 60 + 40 + 200
    assert figures["total_spend"] == total
    assert figures["central_share"] == pytest.approx(100 * 640 / total)
    assert figures["non_whitehall_share"] == pytest.approx(100 * 40 / total)
    assert figures["unclassified_share"] == pytest.approx(100 * 60 / total)
    assert figures["sme_share_value"] == pytest.approx(100 * 180 / total)
    assert figures["sme_share_volume"] == pytest.approx(100 * 4 / 7)
    assert figures["buyers"] == 5 and figures["suppliers"] == 2
    assert figures["latest_month"] == "2014-05"


def test_a_chosen_buyer_group_gets_its_share_of_every_group(spend):
    chosen = apply_filters(spend, parse_query("?buyer_group=non-whitehall"))
    figures = spend_queries.group_shares_of_all(chosen, spend)
    total = 100 + 300 + 50 - 10 + 60 + 40 + 200
    assert figures["all_groups_gbp"] == total
    assert figures["non_whitehall_gbp"] == 40
    assert figures["non_whitehall_share_of_all"] == pytest.approx(100 * 40 / total)
    assert figures["central_gbp"] == 0 and figures["central_share_of_all"] == 0


def test_headline_of_nothing_is_not_a_crash(spend):
    figures = spend_queries.headline(spend.iloc[0:0])
    assert figures["total_spend"] == 0 and math.isnan(figures["central_share"])


@pytest.mark.parametrize(
    ("query", "expected_total"),
    [
        pytest.param("", 740, id="no-filter"),
        pytest.param("?fy=2013-14", 400, id="financial-year"),
        pytest.param("?fy=2012-13,2014-15", 340, id="two-years"),
        pytest.param("?from=2013-04&to=2013-05", 340, id="month-range"),
        pytest.param("?fy=2013-14&from=2014-04", 400, id="fy-overrides-months"),
        pytest.param("?buyer_group=central", 640, id="central"),
        pytest.param("?buyer_group=non-whitehall,unclassified", 100, id="two-groups"),
        pytest.param("?sme=SME", 180, id="sme"),
        pytest.param("?sector=health,local government", 40, id="sectors-any-case"),
        pytest.param("?customer=home office", 440, id="customer-name"),
        pytest.param("?supplier=ACME", 180, id="supplier-any-case"),
        pytest.param("?framework=G-Cloud&lot=Cloud Support&iteration=G-Cloud 7", 740, id="lot"),
        pytest.param("?framework=Digital Outcomes and Specialists", 0, id="no-match"),
    ],
)
def test_filters_narrow_to_the_hand_computed_total(spend, query, expected_total):
    filtered = apply_filters(spend, parse_query(query))
    assert filtered["spend_gbp"].sum() == expected_total


def test_spend_by_period_stacks_buyer_groups(spend):
    by_year = spend_queries.spend_by_period(spend, "fy").set_index("period")
    assert by_year.loc["2013-14"].to_dict() == {
        "central_gbp": 300.0,
        "non_whitehall_gbp": 40.0,
        "unclassified_gbp": 60.0,
        "total_gbp": 400.0,
    }
    by_month = spend_queries.spend_by_period(spend, "month")
    assert list(by_month["period"]) == ["2013-03", "2013-04", "2013-05", "2014-03", "2014-04",
                                        "2014-05"]  # fmt: skip
    assert by_month["total_gbp"].sum() == 740


def test_sme_share_by_value_and_volume(spend):
    table = spend_queries.sme_share_by_period(spend, "fy").set_index("period")
    year = table.loc["2013-14"]
    assert year["sme_share_value_pct"] == pytest.approx(100 * 40 / 400)
    assert year["sme_share_volume_pct"] == pytest.approx(100 * 2 / 4)


def test_sectors_show_unknown_rather_than_hiding_it(spend):
    table = spend_queries.spend_by_sector(spend).set_index("sector")
    assert table.loc[spend_queries.UNKNOWN_SECTOR, "spend_gbp"] == 60
    assert table["share_pct"].sum() == pytest.approx(100)


def test_framework_table_sums_to_the_total(spend):
    table = spend_queries.spend_by_framework(spend)
    assert table["spend_gbp"].sum() == 740 and table["transactions"].sum() == 7


def test_year_to_date_compares_the_same_months(spend):
    table = spend_queries.year_to_date(spend, pd.Timestamp("2014-05-01"))
    assert list(table["month_of_year"]) == ["Apr", "May"]
    assert list(table["spend_2014-15_gbp"]) == [40.0, 200.0]
    assert list(table["spend_2013-14_gbp"]) == [350.0, -10.0]
    assert table["cumulative_2013-14_gbp"].iloc[-1] == 340


def test_top_suppliers_with_share_and_buyers(spend):
    table = suppliers.top_suppliers(spend, 1)
    assert table.to_dict("records") == [
        {"supplier": "Bigco", "sme_status": "Large", "spend_gbp": 560.0,
         "share_pct": pytest.approx(100 * 560 / 740), "buyers": 3, "transactions": 3}
    ]  # fmt: skip


def test_time_filters_can_be_dropped_for_year_to_date():
    filters = parse_query("?fy=2013-14&sme=SME")
    assert without_time(filters) == Filters(sme=("SME",))


def test_customer_filter_finds_bodies_resolved_to_a_urn_by_their_name(spend):
    resolved = spend.assign(
        customer_key=spend["customer_key"].astype(object).replace({"home office": "urn:10001"})
    )
    by_name = apply_filters(resolved, parse_query("?customer=Home Office"))
    by_key = apply_filters(resolved, parse_query("?customer=urn:10001"))
    assert by_name["spend_gbp"].sum() == by_key["spend_gbp"].sum() == 440
