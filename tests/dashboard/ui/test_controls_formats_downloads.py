"""Control translation, number formats and safe downloads."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from dashboard.analytics.filters import parse_query
from dashboard.ui import ids
from dashboard.ui.controls import controls_from_filters, filters_from_controls
from dashboard.ui.downloads import (
    download_bytes,
    neutralise,
    sheet_name,
    to_csv_bytes,
    to_xlsx_bytes,
)
from dashboard.ui.formatting import format_count, format_money, format_pounds_exact, format_share


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


def test_controls_round_trip_through_filters():
    filters = parse_query("?fy=2013-14&framework=G-Cloud&customer=home office&period=month")
    values = controls_from_filters(filters, {"customer": {"home office": "Home Office"}})
    assert values[ids.PERIOD] == "month" and values[ids.FY] == "2013-14"
    assert values[ids.CUSTOMER] == "Home Office"
    keys = {"customer": str.lower, "supplier": str.lower}
    back = filters_from_controls(values, keys, previous=filters)
    assert back == filters


def test_period_switch_shows_the_default_without_writing_it_to_the_url():
    filters = parse_query("?fy=2013-14")
    values = controls_from_filters(filters, {})
    assert values[ids.PERIOD] == "month"
    keys = {"customer": str.lower, "supplier": str.lower}
    assert filters_from_controls(values, keys, period_chosen=False,
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


@pytest.mark.parametrize(
    ("name", "sheet"),
    [
        pytest.param("New buyers: first purchase through these frameworks",
                     "New buyers- first purchase thro", id="colon"),
        pytest.param("What [is] this? a/b\\c*", "What -is- this- a-b-c-", id="forbidden"),
        pytest.param("'quoted'", "quoted", id="apostrophes"),
        pytest.param(":::", "---", id="only-forbidden"),
        pytest.param("", "Data", id="empty"),
    ],
)  # fmt: skip
def test_excel_sheet_names_are_always_valid(name, sheet):
    assert sheet_name(name) == sheet
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"a": [1]}), name)))
    assert workbook.sheetnames[0] == sheet


def test_downloads_round_money_to_the_penny_and_shares_to_one_decimal():
    table = pd.DataFrame(
        {
            "Month": ["2019-04", "2019-05"],
            "Spend (£)": [15523040.830000002, 0.1 + 0.2],
            "SME share by value (%)": [12.3456, 99.95],
            "Buyers": [3, 4],
        }
    )
    csv_text = download_bytes(table, ["text", "gbp", "pct", "count"], "csv", "T", "").decode(
        "utf-8-sig"
    )
    assert csv_text.splitlines() == [
        "Month,Spend (£),SME share by value (%),Buyers",
        "2019-04,15523040.83,12.3,3",
        "2019-05,0.3,100.0,4",
    ]
