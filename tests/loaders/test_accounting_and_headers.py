"""Accounting exports' amounts and months (``1,200.00 CR``, ``£(250.00)``, ``£ -``,
``2019/20 P01``), headers over two rows or with line breaks, and the agreement numbers and
lots of the later G-Cloud and DOS iterations."""

from __future__ import annotations

import datetime as dt

import pytest

import loaders
from loaders.core import normalise
from loaders.core.parsing import money_notation, parse_money, parse_month
from loaders.core.vocabulary import load_vocabulary
from tests.builders import HEADER_CCS, write_csv, write_xlsx

VOCAB = load_vocabulary()


@pytest.mark.parametrize(
    ("raw", "expected", "notation"),
    [
        pytest.param("1,200.00 CR", -1200.0, "credit marked CR", id="cr-suffix"),
        pytest.param("1,000.00CR", -1000.0, "credit marked CR", id="cr-no-space"),
        pytest.param("£200.00 Cr", -200.0, "credit marked CR", id="pound-and-cr"),
        pytest.param("75.5 cr", -75.5, "credit marked CR", id="lower-case"),
        pytest.param("300.00 DR", 300.0, "debit marked DR", id="dr-is-a-debit"),
        pytest.param("£(250.00)", -250.0, None, id="brackets-after-pound"),
        pytest.param("GBP(1,000)", -1000.0, None, id="brackets-after-gbp"),
        pytest.param("£ -", 0.0, "accounting zero", id="accounting-zero"),
        pytest.param(" -   ", 0.0, "accounting zero", id="bare-dash"),
        pytest.param("£\u2013", 0.0, "accounting zero", id="en-dash"),
        pytest.param("10 GBP", 10.0, None, id="gbp-after"),
    ],
)
def test_accounting_amounts(raw, expected, notation):
    assert parse_money(raw) == pytest.approx(expected)
    assert money_notation(raw) == notation


@pytest.mark.parametrize("raw", ["(100) CR", "-100 CR", "100- CR", "CR", "£(£5)", "(£(5))"])
def test_two_signs_for_one_credit_are_not_read(raw):
    assert parse_money(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("2019/20 P01", dt.date(2019, 4, 1), id="year-then-period"),
        pytest.param("P1 2019-20", dt.date(2019, 4, 1), id="period-then-year"),
        pytest.param("2019/20 P09", dt.date(2019, 12, 1), id="p9-december"),
        pytest.param("P10 2019/20", dt.date(2020, 1, 1), id="p10-next-january"),
        pytest.param("2019-2020 P12", dt.date(2020, 3, 1), id="p12-march"),
        pytest.param("FY19/20 Period 3", dt.date(2019, 6, 1), id="fy-period-word"),
    ],
)
def test_financial_period_months(raw, expected):
    assert parse_month(raw) == expected


@pytest.mark.parametrize("raw", ["2019/20 P13", "P0 2019/20", "P1 2019/21", "2019/20"])
def test_what_is_not_a_financial_period_month(raw):
    assert parse_month(raw) is None


def _ccs(month, spend, customer="Leeds City Council"):
    return [10012345, customer, "Local Government", "Alpha Cloud Ltd", "SME", "RM1557.11",
            "G-Cloud 11", 2, "Cloud Software", month, spend]  # fmt: skip


def test_an_accounting_export_loads_credits_zeros_and_periods_and_says_so(tmp_path):
    rows = [HEADER_CCS, _ccs("2019/20 P01", "1,500.00"), _ccs("2019/20 P01", "250.00 CR"),
            _ccs("P2 2019-20", "£(100.00)"), _ccs("P2 2019-20", "£ -")]  # fmt: skip
    result = loaders.load(write_csv(tmp_path / "spend-2019-05.csv", rows))
    spend = result.spend
    assert spend["spend_gbp"].tolist() == [1500.0, -250.0, -100.0, 0.0]
    assert spend["month"].dt.month.tolist() == [4, 4, 5, 5]
    rules = {r["what"]: r["count"] for r in result.report["files"][0]["rules_applied"]}
    assert rules["amounts written as a credit marked CR read as such"] == 1
    assert rules["amounts written as a accounting zero read as such"] == 1
    assert rules["months written as financial periods (P1 = April) read as months"] == 4


# Headers over two rows, and with line breaks ----------------------------------------------

GROUPS = ["Customer", None, None, "Supplier", None, "Framework", None, "Lot", None, "Spend",
          None]  # fmt: skip
FIELDS = ["URN", "Name", "Sector", "Name", "SME Status", "Number", "Name", "Number", "Name",
          "Month", "Evidenced Spend (ex VAT)"]  # fmt: skip


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_group_row_over_the_field_row_is_read_as_one_header(tmp_path, writer):
    rows = [["Spend by customer, April 2019"], GROUPS, FIELDS,
            _ccs(dt.datetime(2019, 4, 1), 120.0)]  # fmt: skip
    suffix = ".csv" if writer is write_csv else ".xlsx"
    result = loaders.load(writer(tmp_path / f"spend-2019-04{suffix}", rows))
    assert result.spend["spend_gbp"].tolist() == [120.0]
    assert result.spend["supplier"].astype(str).tolist() == ["Alpha Cloud Ltd"]
    f = result.report["files"][0]
    assert f["header_row"] == 3
    assert f["columns"]["customer"] == "Customer Name"
    assert f["columns"]["supplier"] == "Supplier Name"
    assert any(r["rule"] == "header over two rows" for r in f["rules_applied"])


def test_a_header_over_two_rows_that_cannot_be_mapped_is_refused_naming_both_rows(tmp_path):
    fields = [*FIELDS[:4], "Colour", *FIELDS[5:]]
    rows = [GROUPS, fields, _ccs("2019-04-01", 1.0)]
    with pytest.raises(loaders.LoaderInputError, match="'Colour' in the header over rows 1 and 2"):
        loaders.load(write_csv(tmp_path / "spend-2019-04.csv", rows))


def test_headers_with_line_breaks_are_read(tmp_path):
    header = [h.replace(" ", "\n", 1) for h in HEADER_CCS]
    rows = [header, _ccs(dt.datetime(2019, 4, 1), 10.0)]
    result = loaders.load(write_xlsx(tmp_path / "spend-2019-04.xlsx", rows))
    assert result.spend["spend_gbp"].tolist() == [10.0]
    assert result.report["files"][0]["columns"]["spend"] == "Evidenced Spend (ex VAT)"


# Agreement numbers and lots of the later iterations ---------------------------------------


@pytest.mark.parametrize(
    ("number", "framework", "iteration", "lot"),
    [
        ("RM1557.12", "G-Cloud", "G-Cloud 12", None),
        ("RM1557.13", "G-Cloud", "G-Cloud 13", None),
        ("RM1557.13L4", "G-Cloud", "G-Cloud 13", "4"),
        ("RM1557.14", "G-Cloud", "G-Cloud 14", None),
        ("RM1557.14L4", "G-Cloud", "G-Cloud 14", "4"),
        ("RM1557.14 Lot 4", "G-Cloud", "G-Cloud 14", "4"),
        ("RM1557.15", "G-Cloud", "G-Cloud 15", None),
        ("RM1043.7", "Digital Outcomes and Specialists", "DOS 5", None),
        ("RM1043.8", "Digital Outcomes and Specialists", "DOS 6", None),
        ("RM1043.9", "Digital Outcomes and Specialists", "DOS 7", None),
    ],
)
def test_agreement_numbers_of_the_later_iterations(number, framework, iteration, lot):
    assert normalise.framework_from_number(number, VOCAB) == (framework, iteration)
    assert normalise.lot_in_framework(number, VOCAB) == lot


@pytest.mark.parametrize(
    ("name", "iteration", "lot"),
    [("G-Cloud 13 Lot 4", "G-Cloud 13", "4"), ("G-Cloud 14 Lot 4", "G-Cloud 14", "4"),
     ("Digital Outcomes 6", "DOS 6", None), ("DOS7", "DOS 7", None)],
)  # fmt: skip
def test_framework_names_with_a_lot(name, iteration, lot):
    assert normalise.framework_from_name(name, VOCAB)[1] == iteration
    assert normalise.lot_in_framework(name, VOCAB) == lot


def _row(number, name, lot_number, lot_name, spend):
    return [10012345, "Leeds City Council", "Local Government", "Alpha Cloud Ltd", "SME", number,
            name, lot_number, lot_name, "01/06/2024", spend]  # fmt: skip


def test_lot_4_rows_of_g_cloud_13_and_14_are_never_a_g_cloud_1_to_8_lot(tmp_path):
    rows = [HEADER_CCS,
            _row("RM1557.14L4", "G-Cloud 14 Lot 4", "", "", 100.0),  # no lot columns at all
            _row("RM1557.14", "G-Cloud 14 Lot 4", 4, "Further Competition", 200.0),
            _row("", "G-Cloud 13 Lot 4", 4, "", 300.0),
            _row("RM1557.15", "G-Cloud 15", "2a", "", 400.0)]  # fmt: skip
    spend = loaders.load(write_csv(tmp_path / "spend-2024-06.csv", rows)).spend
    assert spend["framework_iteration"].astype(str).tolist() == [
        "G-Cloud 14", "G-Cloud 14", "G-Cloud 13", "G-Cloud 15"
    ]  # fmt: skip
    assert spend["lot"].astype(str).tolist() == ["Further Competition for Cloud Support"] * 3 + [
        "Cloud Software"
    ]
