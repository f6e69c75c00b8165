"""Dates in either order, decided per file and column from the values; 1904 workbooks."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

import loaders
from loaders.core.parsing import Coded, parse_month
from loaders.core.vocabulary import Layout, load_vocabulary
from loaders.sources.ccs_spend.checks import DATE_ORDER
from loaders.sources.ccs_spend.dates import (
    BY_LAYOUT,
    BY_MAJORITY,
    BY_VALUES,
    DAY_FIRST,
    MONTH_FIRST,
    read_months,
)
from tests.builders import HEADER_CCS, HEADER_CCS_INVOICE, write_csv

VOCAB = load_vocabulary()


def _invoice_rows(dates_and_pounds) -> list[list[object]]:
    """A CCS invoice-date file: one row per (invoice date as typed, pounds)."""
    row = [10012345, "Cabinet Office", "Central Government", "Alpha Cloud Ltd", "SME",
           "RM1557.10", "G-Cloud 10", 2, "Cloud Software"]  # fmt: skip
    return [HEADER_CCS_INVOICE, *[[*row, date, pounds] for date, pounds in dates_and_pounds]]


def _by_month(result: loaders.LoadResult) -> dict[str, float]:
    spend = result.spend
    return spend.groupby(spend["month"].dt.strftime("%Y-%m"))["spend_gbp"].sum().to_dict()


def _date_column(result: loaders.LoadResult) -> dict:
    (column,) = result.report["files"][0]["date_columns"]
    return column


@pytest.mark.slow
def test_month_first_dates_are_read_month_first_ambiguous_ones_too(tmp_path):
    rows = _invoice_rows([("12/30/2018", 1), ("3/1/19", 2), ("02/05/2019", 4), ("7/7/19", 8)])
    result = loaders.load(write_csv(tmp_path / "CCS-spend-2019-08.csv", rows))
    assert _by_month(result) == {"2018-12": 1, "2019-03": 2, "2019-02": 4, "2019-07": 8}
    column = _date_column(result)
    assert (column["order"], column["decided_by"]) == (MONTH_FIRST, BY_VALUES)
    assert (column["month_first_rows"], column["ambiguous_rows"]) == (1, 2)  # 7/7 is no doubt


@pytest.mark.slow
def test_day_first_dates_are_read_day_first(tmp_path):
    rows = _invoice_rows([("30/12/2018", 1), ("3/1/19", 2)])
    result = loaders.load(write_csv(tmp_path / "CCS-spend-2019-08.csv", rows))
    assert _by_month(result) == {"2018-12": 1, "2019-01": 2}
    assert _date_column(result)["order"] == DAY_FIRST


@pytest.mark.slow
def test_each_file_is_decided_on_its_own_values(tmp_path):
    write_csv(tmp_path / "a-2019-08.csv", _invoice_rows([("1/22/19", 1), ("3/1/19", 2)]))
    write_csv(tmp_path / "b-2019-09.csv", _invoice_rows([("22/2/19", 4), ("3/2/19", 8)]))
    result = loaders.load(tmp_path, framework="G-Cloud")
    spend = result.spend.assign(m=result.spend["month"].dt.strftime("%Y-%m"))
    got = spend.groupby(["source_file", "m"])["spend_gbp"].sum().to_dict()
    assert got == {
        ("a-2019-08.csv", "2019-01"): 1,
        ("a-2019-08.csv", "2019-03"): 2,
        ("b-2019-09.csv", "2019-02"): 12,
    }


@pytest.mark.slow
def test_a_column_that_contradicts_itself_quarantines_the_minority_naming_both_readings(
    tmp_path,
):
    dates = [("25/01/2019", 1), ("26/01/2019", 2), ("27/01/2019", 4), ("1/28/19", 8)]
    dates.append(("5/2/19", 16))
    result = loaders.load(write_csv(tmp_path / "CCS-spend-2019-08.csv", _invoice_rows(dates)))
    assert _by_month(result) == {"2019-01": 7, "2019-02": 16}
    (row,) = result.quarantine.itertuples()
    assert (row.reason, row.spend_gbp, row.column) == (DATE_ORDER, 8.0, HEADER_CCS_INVOICE[9])
    assert row.detail == (
        "1/28/19: month-first 2019-01, no date day-first; the column reads day-first by "
        "most of its values"
    )
    column = _date_column(result)
    assert (column["decided_by"], column["contradicting_rows"]) == (BY_MAJORITY, 1)
    assert result.report["totals"]["reconciles"] is True


@pytest.mark.slow
def test_an_undecidable_column_follows_its_layouts_documented_order_and_is_flagged(tmp_path):
    rows = _invoice_rows([("01/02/2019", 1), ("01/03/2019", 2)])
    path = write_csv(tmp_path / "CCS-spend-2019-08.csv", rows)
    result = loaders.load(path)
    assert _by_month(result) == {"2019-02": 1, "2019-03": 2}
    assert _date_column(result)["decided_by"] == BY_LAYOUT
    (flagged,) = result.report["date_orders_flagged"]
    assert (flagged["file"], flagged["column"]) == (path.name, HEADER_CCS_INVOICE[9])
    layouts = tuple(
        dataclasses.replace(layout, date_order=MONTH_FIRST)
        if layout.name == "CCS XLSX (invoice date)"
        else layout
        for layout in VOCAB.layouts
    )
    month_first = dataclasses.replace(VOCAB, layouts=layouts)
    assert _by_month(loaders.load(path, vocab=month_first)) == {"2019-01": 3}


def test_read_months_on_coded_cells():
    cells = Coded.of(pd.Series(["2/13/2020", "1/2/2020", "2020-05-01", 43900.0, "Jan-20"]))
    reading = read_months(cells, "Invoice Date", None, DAY_FIRST)
    assert [str(m)[:7] for m in reading.months] == [
        "2020-02", "2020-01", "2020-05", "2020-03", "2020-01"]  # fmt: skip
    assert reading.column == reading.column.__class__(
        None, "Invoice Date", MONTH_FIRST, BY_VALUES, 0, 1, 1, 0
    )
    assert read_months(Coded.of(pd.Series(["Jan-20"])), "Month", None, DAY_FIRST).column is None


@pytest.mark.parametrize(
    ("raw", "day_first", "expected"),
    [
        pytest.param("1/22/19", False, dt.date(2019, 1, 1), id="month-first"),
        pytest.param("1/22/19", True, None, id="no-date-day-first"),
        pytest.param("3/1/2019", False, dt.date(2019, 3, 1), id="ambiguous-month-first"),
        pytest.param("3/1/2019", True, dt.date(2019, 1, 1), id="ambiguous-day-first"),
        pytest.param("2019-03-01", False, dt.date(2019, 3, 1), id="iso-either-way"),
        pytest.param("2019/03/01", True, dt.date(2019, 3, 1), id="year-first-slashes"),
        pytest.param("Jan 22, 2019", True, dt.date(2019, 1, 1), id="month-name-day-year"),
        pytest.param("March 2nd 2019", True, dt.date(2019, 3, 1), id="month-name-ordinal"),
        pytest.param("22nd January 2019", True, dt.date(2019, 1, 1), id="day-ordinal"),
        pytest.param("Jan 22", True, dt.date(2022, 1, 1), id="month-name-short-year"),
    ],
)
def test_parse_month_in_either_order(raw, day_first, expected):
    assert parse_month(raw, day_first=day_first) == expected


def _workbook_1904(path, months: list[object]) -> None:
    workbook = openpyxl.Workbook()
    workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    sheet.append(HEADER_CCS)
    row = [10012345, "Cabinet Office", "Central Government", "Alpha Cloud Ltd", "SME",
           "RM1557.12", "G-Cloud 12", 2, "Cloud Software"]  # fmt: skip
    for number, month in enumerate(months, 1):
        sheet.append([*row, month, 1000 * number])
    workbook.save(path)


@pytest.mark.parametrize(
    "months",
    [
        pytest.param([dt.datetime(2021, 4, 1), dt.datetime(2021, 5, 17)], id="date-formatted"),
        pytest.param([42825, 42871.0], id="unformatted-serials"),
        pytest.param(["42825", "42871"], id="serials-as-text"),
    ],
)
@pytest.mark.slow
def test_a_1904_workbook_reads_serial_numbers_on_its_own_calendar(tmp_path, months):
    path = tmp_path / "CCS-spend-2021-06.xlsx"
    _workbook_1904(path, months)
    result = loaders.load(path)
    assert _by_month(result) == {"2021-04": 1000, "2021-05": 2000}
    assert result.report["files"][0]["date_system"] == "1904"


def test_layouts_csv_documents_a_date_order_for_every_layout():
    assert all(isinstance(layout, Layout) for layout in VOCAB.layouts)
    assert {layout.date_order for layout in VOCAB.layouts} <= {DAY_FIRST, MONTH_FIRST}
