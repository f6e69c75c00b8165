"""URL filters, control translation, number formats and safe downloads."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.controls import controls_from_filters, filters_from_controls
from dashboard.downloads import neutralise, to_csv_bytes, to_xlsx_bytes
from dashboard.filters import Filters, describe, parse_query, to_query
from dashboard.formatting import format_count, format_money, format_pounds_exact, format_share


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (217_455_674.39, "£217.5m"),
        (138_319_269.41, "£138.3m"),
        (1_700_000_000, "£1.70bn"),
        (950_000, "£950k"),
        (999_499, "£999k"),
        (999_960, "£1.0m"),
        (850, "£850"),
        (0, "£0"),
        (-1_234_567, "-£1.2m"),
        (None, "–"),
    ],
)
def test_money_format(value, text):
    assert format_money(value) == text


def test_share_count_and_exact_formats():
    assert format_share(79.34) == "79.3%"
    assert format_count(1293) == "1,293"
    assert format_pounds_exact(-3_536_833.23) == "-£3,536,833.23"


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


def test_controls_round_trip_through_filters():
    filters = parse_query("?fy=2013-14&framework=G-Cloud&customer=home office&period=month")
    values = controls_from_filters(filters, {"home office": "Home Office"}, {})
    assert values[0] == "month" and values[1] == "2013-14" and values[10] == "Home Office"
    back = filters_from_controls(values, str.lower, str.lower, previous=filters)
    assert back == filters


def test_period_switch_shows_the_default_without_writing_it_to_the_url():
    filters = parse_query("?fy=2013-14")
    values = controls_from_filters(filters, {}, {})
    assert values[0] == "month"
    assert filters_from_controls(values, str.lower, str.lower, period_chosen=False,
                                 previous=filters).period is None  # fmt: skip


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=SUM(A1) Test Council", "'=SUM(A1) Test Council"),
        ("+44 20", "'+44 20"),
        ("-cmd", "'-cmd"),
        ("@import", "'@import"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Home Office", "Home Office"),
        (-470.0, -470.0),
    ],
)
def test_neutralise_formula_like_text(value, safe):
    assert neutralise(value) == safe


def test_downloads_keep_numbers_and_neutralise_text():
    table = pd.DataFrame({"Customer": ["=SUM(A1) Test Council", "Leeds"], "Spend (£)": [-1.5, 2.0]})
    csv_text = to_csv_bytes(table).decode("utf-8-sig")
    assert csv_text.splitlines() == ["Customer,Spend (£)", "'=SUM(A1) Test Council,-1.5",
                                     "Leeds,2.0"]  # fmt: skip
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(table, "Spend", "About\nthis")))
    sheet = workbook["Spend"]
    assert sheet["A2"].value == "'=SUM(A1) Test Council" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -1.5
    assert [c.value for c in workbook["About"]["A"]] == ["About this data", "About", "this"]
