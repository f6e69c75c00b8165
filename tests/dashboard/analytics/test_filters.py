"""The filter contract: URL parameters read, written and described."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.analytics.filters import (
    PARAMS,
    Filters,
    describe,
    parse_query,
    read_query,
    to_query,
)


def test_query_parameters_documented_for_other_tools():
    filters = parse_query(
        "?from=2014-01&to=2014-06&framework=G-Cloud&iteration=G-Cloud%205,G-Cloud%206"
        "&lot=Cloud%20Support&buyer_group=central,non-whitehall&sector=Health&sme=SME"
        "&customer=home%20office&supplier=acme&period=month"
    )
    assert filters == Filters(
        date_from="2014-01",
        date_to="2014-06",
        framework=("G-Cloud",),
        iteration=("G-Cloud 5", "G-Cloud 6"),
        lot=("Cloud Support",),
        buyer_group=("Central government", "Non-Whitehall"),
        sector=("Health",),
        sme=("SME",),
        customer=("home office",),
        supplier=("acme",),
        period="month",
    )


def test_malformed_parameters_are_ignored_not_fatal():
    filters = parse_query("?fy=2013-15&from=2014-13&buyer_group=everyone&sme=tiny&period=week")
    assert filters == Filters()


def test_fy_shows_months_by_default_and_many_years_by_year():
    assert parse_query("?fy=2013-14").shown_by == "month"
    assert parse_query("?fy=2013-14&period=fy").shown_by == "fy"
    assert parse_query("").shown_by == "fy"
    assert parse_query("?from=2014-01&to=2014-12").shown_by == "month"
    assert parse_query("?from=2012-01&to=2014-12").shown_by == "fy"


names = st.text(alphabet="abcdefgh -", min_size=1, max_size=12).map(str.strip).filter(bool)


@given(
    fy=st.sampled_from([(), ("2013-14",)]),
    framework=st.lists(st.sampled_from(["G-Cloud", "Digital Outcomes and Specialists"]),
                       unique=True).map(tuple),
    groups=st.lists(st.sampled_from(["Central government", "Non-Whitehall", "Unclassified"]),
                    unique=True).map(tuple),
    customers=st.lists(names, unique=True, max_size=3).map(tuple),
    period=st.sampled_from([None, "fy", "quarter", "month"]),
)  # fmt: skip
@pytest.mark.slow
def test_query_string_round_trips(fy, framework, groups, customers, period):
    filters = Filters(fy=fy, framework=framework, buyer_group=groups, customer=customers,
                      period=period)  # fmt: skip
    assert parse_query(to_query(filters)) == filters


def test_describe_names_period_and_filters():
    text = describe(parse_query("?fy=2016-17&buyer_group=non-whitehall&sme=SME"))
    assert text == "financial year 2016-17; buyer group: Non-Whitehall; supplier size: SME"
    assert describe(Filters()) == "all months"


def test_the_contract_declares_every_filter_once():
    assert [p.field for p in PARAMS] == [f for f in Filters.__dataclass_fields__]
    assert len({p.url for p in PARAMS}) == len(PARAMS)
    with_control = [p for p in PARAMS if p.control]
    assert len({p.control for p in with_control}) == len(with_control)


HELD = {
    "fy": ["2016-17", "2017-18"],
    "framework": ["G-Cloud", "Digital Outcomes and Specialists"],
    "iteration": ["G-Cloud 9", "G-Cloud 10"],
    "lot": ["Cloud Support"],
    "sector": ["Health", "Local Government"],
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("?sme=sme", Filters(sme=("SME",)), id="sme-lower-case"),
        pytest.param("?sme=LARGE", Filters(sme=("Large",)), id="sme-upper-case"),
        pytest.param("?framework=g-cloud", Filters(framework=("G-Cloud",)), id="framework"),
        pytest.param("?iteration=g-cloud%2010", Filters(iteration=("G-Cloud 10",)), id="iteration"),
        pytest.param("?sector=local%20government,HEALTH",
                     Filters(sector=("Local Government", "Health")), id="sectors"),
        pytest.param("?buyer_group=Non-Whitehall", Filters(buyer_group=("Non-Whitehall",)),
                     id="group-by-name"),
        pytest.param("?buyer_group=CENTRAL", Filters(buyer_group=("Central government",)),
                     id="group-code-upper-case"),
    ],
)  # fmt: skip
def test_labels_match_whatever_their_case(query, expected):
    filters, notices = read_query(query, HELD)
    assert (filters, notices) == (expected, ())


@pytest.mark.parametrize(
    ("query", "said"),
    [
        pytest.param("?sme=foo", "sme=foo (not a supplier size: SME or Large)", id="sme"),
        pytest.param("?buyer_group=foo", "buyer_group=foo (not a buyer group: central, "
                     "non-whitehall or unclassified)", id="group"),
        pytest.param("?from=banana", "from=banana (not a month (YYYY-MM))", id="bad-month"),
        pytest.param("?to=2019-13", "to=2019-13 (not a month (YYYY-MM))", id="month-13"),
        pytest.param("?fy=2099-00", "fy=2099-00 (not a financial year in the data (such as "
                     "2016-17))", id="year-without-spend"),
        pytest.param("?fy=2016-18", "fy=2016-18 (not a financial year in the data (such as "
                     "2016-17))", id="impossible-year"),
        pytest.param("?from=2020-05&to=2019-01", "from=2020-05 (after to=2019-01)",
                     id="from-after-to"),
        pytest.param("?framework=Nope", "framework=Nope (not a framework in the data)",
                     id="framework"),
        pytest.param("?period=week", "period=week (not a period: fy, quarter or month)",
                     id="period"),
        pytest.param("?colour=red", "colour=red (not a parameter of this app)", id="unknown"),
    ],
)  # fmt: skip
def test_values_that_cannot_apply_are_named_and_left_out(query, said):
    filters, notices = read_query(query, HELD)
    assert [str(n) for n in notices] == [said]
    assert filters == Filters()
