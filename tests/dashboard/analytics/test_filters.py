"""The filter contract: URL parameters read, written and described."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dashboard.analytics.filters import PARAMS, Filters, describe, parse_query, to_query


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
    period=st.sampled_from([None, "fy", "month"]),
)  # fmt: skip
def test_query_string_round_trips(fy, framework, groups, customers, period):
    filters = Filters(fy=fy, framework=framework, buyer_group=groups, customer=customers,
                      period=period)  # fmt: skip
    assert parse_query(to_query(filters)) == filters


def test_describe_names_period_and_filters():
    text = describe(parse_query("?fy=2016-17&buyer_group=non-whitehall&sme=SME"))
    assert text == "financial year 2016-17; buyer group: Non-Whitehall; sme: SME"
    assert describe(Filters()) == "all months"


def test_the_contract_declares_every_filter_once():
    assert [p.field for p in PARAMS] == [f for f in Filters.__dataclass_fields__]
    assert len({p.url for p in PARAMS}) == len(PARAMS)
    assert len({p.control for p in PARAMS if p.control}) == len(PARAMS) - 1
