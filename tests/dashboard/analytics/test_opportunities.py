"""The opportunities queries on small hand-built notice tables, counted by hand.

Five processes (UK local dates):

- P1 Home Office: planning notice 2 Dec 2024, tender 12 Jan 2025 (41 days); suitable for
  SMEs, not VCSEs. A duplicate copy of its tender, dated June 2023, must count nowhere.
- P2 Home Office: tender 20 Jan 2025, award A2 (£100, SME) 10 Feb 2025; not suitable for
  SMEs, suitable for VCSEs; a call-off naming G-Cloud 14.
- P3 Leeds City Council: award notice only, 15 Jan 2025: A3a (£300, Large), A3b (£50,
  Unknown), A3c (£1,000, SME, cancelled); suitability not stated; a call-off naming none.
- P4 Leeds City Council: planning 10 Apr 2024, tender 1 Jun 2024 (52 days); SME and VCSE.
- P5 Lancing Parish Council (advertises, never buys): tender 5 Mar 2025 (SME, not VCSE),
  award A5 (£200, Mixed) 2 Apr 2025, in the next financial year.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import loaders
from dashboard.analytics import opportunities as opp
from dashboard.analytics import opportunity_tables as tables
from dashboard.analytics.filters import Filters, parse_query
from dashboard.analytics.store import Store
from loaders.catalogue import CANONICAL
from tests.builders import rows_2014, write_csv

T = pd.Timestamp
CENTRAL, NON_WHITEHALL = "Central government", "Non-Whitehall"
HOME_OFFICE, LEEDS, LANCING = "Home Office", "Leeds City Council", "Lancing Parish Council"
BODIES = {  # body -> sector, buyer group, department
    HOME_OFFICE: ("Central Government", CENTRAL, "Home Office"),
    LEEDS: ("Local Government", NON_WHITEHALL, None),
    LANCING: ("Local Government", NON_WHITEHALL, None),
}
NO_PROCESS = {"planning_date": None, "tender_date": None, "award_date": None,
              "sme_suitable": None, "vcse_suitable": None, "call_off": False,
              "framework_iteration": None, "procurement_method": "open",
              "procurement_method_details": "Open procedure"}  # fmt: skip


def _notice(ocid: str, body: str, **values) -> dict:
    sector, group, department = BODIES[body]
    row = {"ocid": ocid, "buyer_name": body, "customer": body, "sector": sector,
           "buyer_group": group, "department": department, "title": f"Process {ocid}",
           **NO_PROCESS, **values}  # fmt: skip
    for column in ("planning_date", "tender_date", "award_date"):
        row[column] = None if row[column] is None else T(row[column])
    dates = [d for d in (row["planning_date"], row["tender_date"], row["award_date"]) if d]
    row["first_published"], row["last_published"] = min(dates), max(dates)
    row["stage"] = "award" if row["award_date"] else "tender" if row["tender_date"] else "planning"
    if row["planning_date"] is not None and row["tender_date"] is not None:
        row["lead_time_days"] = float((row["tender_date"] - row["planning_date"]).days)
    return row


NOTICES = [
    _notice("P1", HOME_OFFICE, planning_date="2024-12-02 10:00", tender_date="2025-01-12 10:00",
            sme_suitable=True, vcse_suitable=False),
    _notice("P2", HOME_OFFICE, tender_date="2025-01-20 10:00", award_date="2025-02-10 10:00",
            sme_suitable=False, vcse_suitable=True, call_off=True,
            framework_iteration="G-Cloud 14", framework="G-Cloud",
            procurement_method="selective",
            procurement_method_details="Call-off from a framework agreement"),
    _notice("P3", LEEDS, award_date="2025-01-15 10:00", call_off=True,
            procurement_method=None,
            procurement_method_details="Call-off from a framework agreement"),
    _notice("P4", LEEDS, planning_date="2024-04-10 10:00", tender_date="2024-06-01 10:00",
            sme_suitable=True, vcse_suitable=True),
    _notice("P5", LANCING, tender_date="2025-03-05 10:00", award_date="2025-04-02 10:00",
            sme_suitable=True, vcse_suitable=False),
]  # fmt: skip
RELEASES = [  # ocid, release id, date, tags, status
    ("P1", "P1-p", "2024-12-02 10:00", "planning", "loaded"),
    ("P1", "P1-t", "2025-01-12 10:00", "tender", "loaded"),
    ("P1", "P1-t", "2023-06-01 10:00", "tender", "duplicate"),
    ("P2", "P2-t", "2025-01-20 10:00", "tender", "loaded"),
    ("P2", "P2-a", "2025-02-10 10:00", "award", "loaded"),
    ("P3", "P3-a", "2025-01-15 10:00", "award", "loaded"),
    ("P4", "P4-p", "2024-04-10 10:00", "planning", "loaded"),
    ("P4", "P4-t", "2024-06-01 10:00", "tender", "loaded"),
    ("P5", "P5-t", "2025-03-05 10:00", "tender", "loaded"),
    ("P5", "P5-a", "2025-04-02 10:00", "award", "loaded"),
]
AWARDS = [  # ocid, award id, status, published, value, size group
    ("P2", "A2", "active", "2025-02-10 10:00", 100.0, "SME"),
    ("P3", "A3a", "active", "2025-01-15 10:00", 300.0, "Large"),
    ("P3", "A3b", "active", "2025-01-15 10:00", 50.0, "Unknown"),
    ("P3", "A3c", "cancelled", "2025-01-15 10:00", 1000.0, "SME"),
    ("P5", "A5", "active", "2025-04-02 10:00", 200.0, "Mixed"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    """Spend of the Home Office, Leeds and one council that never advertises (2024-25),
    and the notice tables above, keyed as the spend keys those bodies."""
    folder = tmp_path_factory.mktemp("opportunities")
    release = write_csv(
        folder / "G-Cloud-Spend-2025-06.csv",
        rows_2014(
            (3, "Acme Ltd", HOME_OFFICE, "2025-01-01", "100", "Central Government", "SME"),
            (3, "Acme Ltd", LEEDS, "2024-05-01", "200", "Local Government", "SME"),
            (3, "Big plc", "Other Borough Council", "2024-06-01", "300", "Local Government",
             "Large"),
        ),
    )  # fmt: skip
    result = loaders.load([release])
    keys = dict(zip(result.spend["customer"], result.spend["customer_key"], strict=True))
    keys[LANCING] = "lancing parish council"
    notices = pd.DataFrame(NOTICES)
    notices["customer_key"] = notices["customer"].map(keys)
    notices["releases"] = 1  # counts the loader gives; not read by the queries
    notices["procurement_id"] = notices["ocid"]  # each published on one platform
    releases = pd.DataFrame(RELEASES, columns=["ocid", "release_id", "date", "tags", "status"])
    releases["date"] = pd.to_datetime(releases["date"])
    awards = pd.DataFrame(
        AWARDS, columns=["ocid", "award_id", "status", "published", "value_gbp", "size_group"]
    )
    awards["published"] = pd.to_datetime(awards["published"])
    awards["standing"] = awards["status"].map({"active": "made", "cancelled": "cancelled"})
    buyers = notices.set_index("ocid")[["customer", "customer_key", "sector", "buyer_group",
                                        "department"]]  # fmt: skip
    awards = awards.join(buyers, on="ocid").assign(
        supplier_count=1, sme_suppliers=0, large_suppliers=0, unknown_size_suppliers=0
    )
    tables = {
        "notices": CANONICAL["notices"].typed(notices, strict=False),
        "ocds_releases": CANONICAL["ocds_releases"].typed(
            releases.assign(source_file="n.json", position=1), strict=False
        ),
        "awards": CANONICAL["awards"].typed(awards, strict=False),
    }
    result = result.with_tables(tables, result.catalogue)
    return Store(loaders.write_store(result, folder / "store"))


def headline(store: Store, query: str):
    return opp.opportunity_headline(store, parse_query(query))


@pytest.mark.slow
def test_figures_of_financial_year_2024_25(store):
    f = headline(store, "?fy=2024-25")
    assert f.notices == 5  # P5's award is in 2025-26, its tender in 2024-25
    assert (f.suitability_stated, f.sme_suitable, f.sme_suitable_share) == (4, 3, 75.0)
    assert (f.vcse_suitable, f.vcse_suitable_share) == (2, 50.0)
    # A2 SME £100, A3a Large £300, A3b Unknown £50; A3c cancelled; A5 published in April
    assert (f.awards, f.awards_value_gbp, f.awards_sme) == (3, 450.0, 1)
    assert f.awards_sme_share_count == pytest.approx(100 / 3)
    assert f.awards_sme_share_value == pytest.approx(100 * 100 / 450)
    assert f.awards_by_size_group["Unknown"] == {"awards": 1, "value_gbp": 50.0}
    assert (f.call_offs, f.call_offs_by_framework) == (2, {"G-Cloud 14": 1, "(not named)": 1})
    # tendered: P1 (41 days after its planning notice), P2, P4 (52 days), P5
    assert (f.tendered, f.planning_preceded, f.planning_share) == (4, 2, 50.0)
    assert f.median_lead_time_days == 46.5


@pytest.mark.parametrize(
    ("query", "notices", "awards", "sme_share_value"),
    [
        pytest.param("?fy=2024-25&buyer_group=central", 2, 1, 100.0, id="central"),
        pytest.param("?fy=2024-25&buyer_group=non-whitehall", 3, 2, 0.0, id="non-whitehall"),
        pytest.param("?fy=2024-25&sector=Local%20Government", 3, 2, 0.0, id="sector"),
        pytest.param("?fy=2024-25&name=home-office", 2, 1, 100.0, id="department"),
        pytest.param("?fy=2024-25&name=nowhere", 0, 0, None, id="unknown department"),
        pytest.param("?fy=2024-25&customer=leeds%20city%20council", 2, 2, 0.0, id="customer"),
        pytest.param("?fy=2025-26", 1, 1, 0.0, id="next year: P5's award, Mixed"),
        pytest.param("?from=2025-01&to=2025-01", 3, 2, 0.0, id="one month"),
        pytest.param("?fy=2023-24", 0, 0, None, id="a duplicate counts nowhere"),
        pytest.param("", 5, 4, 100 * 100 / 650, id="all time"),
    ],
)  # fmt: skip
def test_filters_choose_bodies_and_period(store, query, notices, awards, sme_share_value):
    f = headline(store, query)
    assert (f.notices, f.awards) == (notices, awards)
    assert f.awards_sme_share_value == (
        None if sme_share_value is None else pytest.approx(sme_share_value)
    )


def test_spend_only_filters_do_not_apply_and_are_named(store):
    query = "?fy=2024-25&framework=G-Cloud&sme=SME"
    assert headline(store, query) == headline(store, "?fy=2024-25")
    assert opp.spend_only_filters(parse_query(query)) == ("framework", "sme")
    assert opp.notice_filters(parse_query(query)) == parse_query("?fy=2024-25")


def test_years_apart_count_as_the_one_range_would(store):
    body = opp.notices_of_bodies(store, Filters())
    year = opp.date_ranges(parse_query("?fy=2024-25"))
    assert year == [(T("2024-04-01"), T("2025-04-01"))]
    # July to September 2024 hold nothing: the two ranges count as the whole year
    apart = [(T("2024-04-01"), T("2024-07-01")), (T("2024-10-01"), T("2025-04-01"))]
    assert opp.figures_in_ranges(body, apart) == opp.figures_in_ranges(body, year)
    two_years = headline(store, "?fy=2022-23,2025-26")
    assert (two_years.notices, two_years.awards, two_years.tendered) == (1, 1, 0)
    assert opp.figures_in_ranges(body, []).notices == 0


def test_ranges_merge_when_they_touch():
    jan, feb, mar = T("2025-01-01"), T("2025-02-01"), T("2025-03-01")
    assert opp.merge_ranges([(feb, mar), (jan, feb)]) == [(jan, mar)]
    assert opp.merge_ranges([(None, jan), (feb, None)]) == [(None, jan), (feb, None)]
    assert opp.merge_ranges([(feb, None), (jan, mar)]) == [(jan, None)]
    assert opp.date_ranges(Filters()) == [(None, None)]


def test_processes_by_month_and_buyer_group_every_month_shown(store):
    table = tables.processes_by_period(store, parse_query("?fy=2024-25"))
    months = pd.period_range("2024-04", "2025-03", freq="M").strftime("%Y-%m")
    assert list(table["period"]) == list(months)
    january = table.set_index("period").loc["2025-01"]
    assert (january["processes_central"], january["processes_non_whitehall"]) == (2, 1)
    assert (january["processes"], january["notices"]) == (3, 3)
    assert table.set_index("period").loc["2024-08", "processes"] == 0
    assert table["processes"].sum() == 8  # P1, P2 and P4 have notices in two months each


@pytest.mark.slow
def test_figures_by_period_agree_with_the_headline(store):
    table = opp.figures_by_period(store, parse_query("?fy=2024-25&period=fy"))
    assert list(table["period"]) == ["2024-25"]
    row = table.iloc[0]
    f = headline(store, "?fy=2024-25")
    assert (row["processes"], row["awards"], row["awards_sme_value_gbp"]) == (5, 3, 100.0)
    assert row["sme_suitable_share_pct"] == f.sme_suitable_share
    by_month = opp.figures_by_period(store, parse_query("?fy=2024-25"))
    assert len(by_month) == 12 and by_month["awards"].sum() == 3


def test_a_year_cut_by_a_month_range_counts_only_its_months(store):
    table = opp.figures_by_period(store, parse_query("?from=2024-01&to=2025-01&period=fy"))
    assert list(table["period"]) == ["2024-25"]  # notices start in April 2024
    row = table.iloc[0]
    assert (row["processes"], row["awards"]) == (4, 2)  # P1 to P4; not P2's February award


def test_lead_times_and_methods(store):
    lead = tables.lead_times(store, parse_query("?fy=2024-25")).set_index("lead_time")
    assert lead.loc[tables.NO_PLANNING, "processes"] == 2
    assert lead.loc["30 to 59 days", "processes"] == 2
    assert lead["processes"].sum() == 4
    methods = tables.procurement_methods(store, parse_query("?fy=2024-25"))
    assert methods.iloc[0]["procurement_method_details"] == "Open procedure"  # P1, P4, P5
    assert methods.iloc[0]["processes"] == 3
    assert methods["processes"].sum() == 5
    assert "(not stated)" in set(methods["procurement_method"])  # P3 states no method
    call_offs = tables.call_offs_by_framework(store, parse_query("?fy=2024-25"))
    assert dict(zip(call_offs["framework_named"], call_offs["processes"], strict=True)) == {
        "G-Cloud 14": 1,
        "(not named)": 1,
    }


@pytest.mark.slow
def test_buyers_each_as_their_own_headline(store):
    query = parse_query("?fy=2024-25")
    top = tables.top_buyers(store, query).set_index("customer")
    assert list(top.index) == [LEEDS, HOME_OFFICE, LANCING]  # two each: more awarded first
    body = opp.notices_of_bodies(store, query)
    for name, row in top.iterrows():
        own = opp.figures_in_ranges(
            body.restricted(body.notices["customer"].astype(object).eq(name)),
            opp.date_ranges(query),
        )
        assert (row["processes"], row["awards"]) == (own.notices, own.awards)
        assert row["awards_value_gbp"] == own.awards_value_gbp
    department = tables.department_bodies(store, parse_query("?fy=2024-25&name=Home Office"))
    assert list(department["customer"]) == [HOME_OFFICE]
    assert tables.department_bodies(store, query).empty


def test_advertisers_among_the_buyers_in_view(store):
    found = opp.advertisers(store, parse_query("?fy=2024-25"))
    # buyers with spend: Home Office, Leeds, Other Borough Council; Lancing advertises only
    assert (found.advertised, found.buyers, found.advertisers) == (2, 3, 3)
    central = opp.advertisers(store, parse_query("?fy=2024-25&buyer_group=central"))
    assert (central.advertised, central.buyers, central.advertisers) == (1, 1, 1)


def test_buyer_opportunities_of_one_body(store):
    key = store.notices.set_index("customer").loc[LEEDS, "customer_key"].iloc[0]
    found = opp.buyer_opportunities(store, parse_query("?fy=2024-25&buyer_group=central"), key)
    assert (found.figures.notices, found.figures.awards) == (2, 2)
    assert list(found.processes["ocid"]) == ["P3", "P4"]  # newest notice first
    assert list(found.processes["sme_suitability"]) == ["Not stated", "Yes"]
    assert list(found.processes["call_off"]) == ["Yes", "No"]


def test_bodies_without_notices_share_one_answer(store):
    query = parse_query("?fy=2024-25")
    nobody = opp.buyer_opportunities(store, query, "urn:999999001")
    other = opp.buyer_opportunities(store, parse_query("?fy=2019-20"), "urn:999999002")
    assert other is nobody  # no notice at all, so none in any period: worked out once
    assert (nobody.figures.notices, nobody.figures.awards) == (0, 0)
    assert nobody.processes.empty and list(nobody.processes.columns) == opp.PROCESS_COLUMNS
    key = store.notices.set_index("customer").loc[LEEDS, "customer_key"].iloc[0]
    assert opp.buyer_opportunities(store, query, key).figures.notices == 2


@pytest.mark.slow
def test_a_store_without_notices_gives_empty_tables(tmp_path):
    release = write_csv(
        tmp_path / "G-Cloud-Spend-2014-07.csv",
        rows_2014((3, "Acme", "Home Office", "2014-05-01", "100", "Central Government", "SME")),
    )
    folder = loaders.write_store(loaders.load([release]), tmp_path / "store")
    catalogue = json.loads((folder / "catalogue.json").read_text())
    del catalogue["notices"]  # a store written by loaders with no notice source
    (folder / "catalogue.json").write_text(json.dumps(catalogue))
    (folder / "notices.parquet").unlink()
    store = Store(folder)
    assert store.notices.empty and list(store.notices.columns)[0] == "ocid"
    assert not opp.has_notices(store)
    assert headline(store, "").notices == 0
    assert opp.figures_by_period(store, Filters()).empty
    assert tables.processes_by_period(store, Filters()).empty
