"""One rule per count: wherever a page shows how many buyers are in view, it shows the same
number, for any filter set (a buyer is a known customer body: loaders.bodies.counting)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.analytics import adoption, buyers, departments, opportunities
from dashboard.analytics.held_periods import NOTICES, none_held_note
from dashboard.analytics.store import Store
from dashboard.callbacks import render_page
from dashboard.pages import adoption as adoption_page
from dashboard.pages import department, overview
from dashboard.ui.formatting import format_count
from loaders.bodies.counting import buyer_keys, count_buyers
from tests.dashboard.test_callbacks import find


@pytest.fixture(scope="module")
def store(sample_store) -> Store:
    return Store(sample_store)


def _queries(store: Store) -> st.SearchStrategy[str]:
    allowed = store.allowed_values()
    groups = ["central", "non-whitehall", "unclassified"]
    params = st.fixed_dictionaries(
        {},
        optional={
            "fy": st.sampled_from(allowed["fy"]),
            "buyer_group": st.sampled_from(groups),
            "framework": st.sampled_from(allowed["framework"]),
            "sme": st.sampled_from(["SME", "Large"]),
            "sector": st.sampled_from(allowed["sector"]),
        },
    )
    return params.map(lambda p: "?" + urlencode(p) if p else "")


def _shown(page, element_id: str) -> str:
    return find(page, element_id).children


def test_the_sample_has_rows_of_no_known_buyer(store):
    """The rule matters on the sample: '(not stated)' lines have pounds and no body."""
    lines = store.filtered(store.read_query("")[0], "customer")
    assert lines["customer_key"].isna().any()
    assert count_buyers(lines) == len(buyer_keys(lines)) == 511


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_count_of_buyers_in_view_agrees(store, data):
    query = data.draw(_queries(store))
    filters, _ = store.read_query(query)
    expected = count_buyers(store.filtered(filters, "customer"))
    page, _ = render_page(store, "/", query)
    assert _shown(page, overview.KPI_BUYERS) == format_count(expected)
    advertising = opportunities.advertisers(store, filters)
    assert advertising.buyers == expected
    if none_held_note(store, NOTICES, filters):  # the period holds no notice: it says so
        assert "No notices in" in str(page)
    elif opportunities.has_notices(store):
        assert f"of {format_count(expected)} buyers in view" in str(page)
    page, _ = render_page(store, "/adoption", query)
    assert _shown(page, adoption_page.ADOPTION_BUYERS) == format_count(expected)
    assert adoption.adoption_headline_in_view(store, filters)["buyers"] == expected
    index = buyers.spend_by_body(store.filtered(filters, "customer"))
    assert len(index) == expected and "nan" not in index.index


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_department_counts_its_buyers_by_the_same_rule(store, data):
    query = data.draw(_queries(store))
    name = data.draw(st.sampled_from(["home-office", "ministry-of-justice", "hm-treasury"]))
    filters, _ = store.read_query(query)
    filters = replace(filters, name=name)
    chosen = departments.chosen_department(store, filters)
    lines = departments.department_rows(store, filters, "customer")
    page, _ = render_page(store, "/department", f"{query or '?'}&name={name}")
    if chosen is not None and not lines.empty:
        assert _shown(page, department.DEPT_BODIES) == format_count(count_buyers(lines))
