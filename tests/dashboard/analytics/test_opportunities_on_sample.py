"""The opportunities tables agree with each other and with the headline figures, for any
filters (property tests on the sample's invented notices)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.analytics import opportunities as opp
from dashboard.analytics import opportunity_tables as tables
from dashboard.analytics.filters import Filters
from dashboard.analytics.store import Store

FILTERS = st.builds(
    Filters,
    fy=st.lists(st.sampled_from(["2019-20", "2021-22", "2022-23", "2024-25"]), max_size=2).map(
        tuple
    ),
    buyer_group=st.sampled_from([(), ("Central government",), ("Non-Whitehall",)]),
    sector=st.sampled_from([(), ("Health",), ("Local Government", "Education")]),
    name=st.sampled_from([None, "Ministry of Justice", "home-office"]),
    period=st.sampled_from([None, "fy", "month"]),
    framework=st.sampled_from([(), ("G-Cloud",)]),
)


@pytest.fixture(scope="module")
def store(sample_store) -> Store:
    return Store(sample_store)


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(filters=FILTERS)
def test_tables_reconcile_with_the_headline(store, filters):
    figures = opp.opportunity_headline(store, filters)
    bodies = tables.by_body(
        opp.notices_of_bodies(store, filters), opp.date_ranges(opp.notice_filters(filters))
    )
    # every process has one buyer, every award one process
    assert bodies["processes"].sum() == figures.notices
    assert bodies["awards"].sum() == figures.awards
    assert math.isclose(bodies["awards_value_gbp"].sum(), figures.awards_value_gbp, abs_tol=0.01)
    assert tables.procurement_methods(store, filters)["processes"].sum() == figures.notices
    lead = tables.lead_times(store, filters)
    assert (lead["processes"].sum() if len(lead) else 0) == figures.tendered
    by_period = opp.figures_by_period(store, filters)
    if figures.notices == 0 and figures.awards == 0:
        assert by_period.empty
        return
    # awards count once, by their first publication; so do tenders
    assert by_period["awards"].sum() == figures.awards
    assert by_period["tendered"].sum() == figures.tendered
    assert by_period["call_offs"].sum() >= figures.call_offs
    processes = tables.processes_by_period(store, filters)
    assert list(processes["period"]) == list(by_period["period"])
    assert list(processes["processes"]) == list(by_period["processes"])
    groups = [c for c in processes.columns if c.startswith("processes_")]
    assert (processes[groups].sum(axis=1) == processes["processes"]).all()


def test_the_sample_has_notices_of_every_kind(store):
    figures = opp.opportunity_headline(store, Filters())
    platforms = store.notices["platform"].astype(str).value_counts().to_dict()
    assert platforms == {"Contracts Finder": 150, "Find a Tender": 52}
    assert figures.notices == 202 and figures.call_offs > 0 and figures.planning_preceded > 0
    sizes = figures.awards_by_size_group
    assert all(sizes[group]["awards"] > 0 for group in ("SME", "Large", "Mixed", "Unknown"))
    matched = store.notices["customer_match"].astype(str)
    assert set(matched) <= {"urn_name", "exact_list"}  # every buyer resolves to a body
