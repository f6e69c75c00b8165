"""What a workbook holds beyond its cells' values: hidden sheets (not the release), merged
cells (their value belongs to every row they span), formulas stored without a value (worked
out, or the row quarantined naming the formula) and Strict Open XML (read as Transitional).
Each kind on small workbooks written here, never the field cases themselves."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import loaders
from loaders.core.formula_values import Unevaluated, formula_results
from loaders.core.workbook_xml import xlsx_facts
from loaders.sources.ccs_spend.checks import EXCEL_ERROR, FORMULA
from tests.builders import HEADER_CCS, ccs_row
from tests.loaders.xlsx_parts import Error, Formula, SheetPart, write_workbook

G10 = [
    "Order Reference Number", "Customer Unique Reference Number (URN)",
    "Customer Organisation Name", "Customer Invoice/Credit Note Date",
    "Customer Invoice/Credit Note Number", "Lot Number", "Service Group",
    "Digital Marketplace Service ID", "UNSPSC", "Unit of Measure", "Price per Unit", "Quantity",
    "Total Cost (ex VAT)", "VAT Amount Charged", "Expenses / Disbursements",
]  # fmt: skip
SERIAL_2019_04_01 = 43556  # on the 1900 date system


def _ccs(customer, spend, month=SERIAL_2019_04_01, supplier="Alpha Cloud Ltd", sme="SME",
         urn=None):  # fmt: skip
    return ccs_row(urn, customer, "Local Government", supplier, sme, "RM1557.11",
                   "G-Cloud 11", 2, "Cloud Software", month, spend)  # fmt: skip


def _totals(result) -> dict[str, float]:
    spend = result.spend
    return spend.groupby(spend["customer"].astype(str))["spend_gbp"].sum().round(2).to_dict()


# Hidden sheets ---------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_not_read_and_is_named_with_its_rows_and_pounds(tmp_path, state):
    shown = SheetPart("Spend", [HEADER_CCS, _ccs("Leeds City Council", 100.0)])
    stale = SheetPart("Old copy", [HEADER_CCS, _ccs("Leeds City Council", 70.0),
                                   _ccs("York Council", 5.5), ["Total", *[None] * 9, 75.5]],
                      state=state)  # fmt: skip
    path = write_workbook(tmp_path / "spend-2019-04.xlsx", [stale, shown])
    result = loaders.load(path)
    assert _totals(result) == {"Leeds City Council": 100.0}
    f = result.report["files"][0]
    assert f["spend_read_gbp"] == 100.0 and f["reconciles"]
    assert f["hidden_sheets"] == [{"sheet": "Old copy", "state": state, "rows": 2,
                                   "spend_gbp": 75.5, "header_found": True}]  # fmt: skip
    assert (f["rows_in_hidden_sheets"], f["spend_in_hidden_sheets_gbp"]) == (2, 75.5)
    assert result.report["totals"]["spend_in_hidden_sheets_gbp"] == 75.5
    assert "sheet 'Old copy' not read: hidden in the workbook" in result.describe()
    rule = [r for r in f["rules_applied"] if r["rule"] == "hidden sheet not read"]
    assert rule == [
        {
            "rule": "hidden sheet not read",
            "count": 2,
            "unit": "rows",
            "spend_gbp": 75.5,
            "what": f"sheet 'Old copy' ({state}) is not part of the release",
        }
    ]


def test_a_hidden_lookup_sheet_without_a_spend_header_is_counted_by_its_rows(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Spend"
    for row in [HEADER_CCS, _ccs("Leeds City Council", 10.0)]:
        workbook.active.append(row)
    lookup = workbook.create_sheet("Lists")
    for row in [["Sectors"], ["Health"], ["Education"]]:
        lookup.append(row)
    lookup.sheet_state = "hidden"
    path = tmp_path / "spend-2019-04.xlsx"
    workbook.save(path)
    f = loaders.load(path).report["files"][0]
    assert f["hidden_sheets"] == [{"sheet": "Lists", "state": "hidden", "rows": 3,
                                   "spend_gbp": 0.0, "header_found": False}]  # fmt: skip


def test_a_workbook_whose_only_spend_sheet_is_hidden_is_refused_naming_it(tmp_path):
    notes = SheetPart("Read me", [["This workbook lists spend"]])
    data = SheetPart("Data", [HEADER_CCS, _ccs("Leeds City Council", 10.0)], state="hidden")
    path = write_workbook(tmp_path / "spend-2019-04.xlsx", [notes, data])
    with pytest.raises(loaders.LoaderInputError, match="hidden sheet\\(s\\) 'Data' \\(1 rows"):
        loaders.load(path)


# Merged cells ----------------------------------------------------------------------------


def test_a_customer_merged_down_its_invoices_belongs_to_each_row(tmp_path):
    rows = [HEADER_CCS, _ccs("Leeds City Council", 10.0, urn=10012345),
            _ccs("", 20.0, supplier="Beta plc"), _ccs("", 30.0),
            _ccs("York Council", 1.0, urn=10067890), _ccs("", 2.0)]  # fmt: skip
    merges = ["A2:A4", "B2:B4", "A5:A6", "B5:B6", "C2:C6"]  # URN, name; and the sector
    path = write_workbook(
        tmp_path / "spend-2019-04.xlsx", [SheetPart("Spend", rows, merges=merges)]
    )
    result = loaders.load(path)
    assert _totals(result) == {"Leeds City Council": 60.0, "York Council": 3.0}
    assert result.spend["customer_urn"].tolist() == [10012345] * 3 + [10067890] * 2
    rule = [r for r in result.report["files"][0]["rules_applied"] if r["rule"].startswith("merged")]
    assert rule[0]["count"] == 6  # A3, A4, B3, B4, A6, B6; C3:C6 held their own values


def test_a_merge_across_columns_fills_down_its_first_column_only(tmp_path):
    rows = [HEADER_CCS, _ccs("Leeds City Council", 10.0), _ccs("", 20.0)]
    rows[2][2] = None  # the sector under the merge is empty too
    path = write_workbook(
        tmp_path / "spend-2019-04.xlsx", [SheetPart("Spend", rows, merges=["B2:C3"])]
    )
    result = loaders.load(path)
    assert result.spend["customer"].astype(str).tolist() == ["Leeds City Council"] * 2
    rules = result.report["files"][0]["rules_applied"]
    assert [r["count"] for r in rules if r["rule"].startswith("merged")] == [1]  # B3, not C3


def test_merged_supplier_sme_status_and_month_fill_their_rows(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER_CCS)
    april, may = dt.datetime(2019, 4, 1), dt.datetime(2019, 5, 1)
    sheet.append(_ccs("Leeds City Council", 10.0, month=april, supplier="Gamma Ltd"))
    sheet.append(_ccs("York Council", 20.0, month=None, supplier=None, sme=None))
    sheet.append(_ccs("Hull City Council", 5.0, month=may, supplier="Delta plc", sme="Large"))
    for columns in ("D2:D3", "E2:E3", "J2:J3"):  # supplier, SME status, month
        sheet.merge_cells(columns)
    path = tmp_path / "spend-2019-05.xlsx"
    workbook.save(path)
    spend = loaders.load(path).spend.set_index(loaders.load(path).spend["customer"].astype(str))
    assert spend.loc["York Council", "supplier"] == "Gamma Ltd"
    assert spend.loc["York Council", "sme_status"] == "SME"
    assert spend.loc["York Council", "month"] == april


def test_a_note_merged_across_the_columns_of_one_row_stays_a_note(tmp_path):
    rows = [HEADER_CCS, _ccs("Leeds City Council", 10.0), ["Source: CCS management information"]]
    path = write_workbook(
        tmp_path / "spend-2019-04.xlsx", [SheetPart("Spend", rows, merges=["A3:K3"])]
    )
    result = loaders.load(path)
    assert result.quarantine["reason"].tolist() == ["note or footnote row"]


# Formulas stored without a value ----------------------------------------------------------


def _return_row(ref, customer, price, quantity, row, total=None):
    total = total if total is not None else Formula(f"K{row}*L{row}")
    return [ref, 10012345, customer, SERIAL_2019_04_01 + 10, f"INV{row}", 2, "Collaborative",
            "401234567890123", 43231500, "Per User", price, quantity, total,
            Formula(f"M{row}*0.2"), 0]  # fmt: skip


def _return(tmp_path, rows, other=()):
    sheets = [SheetPart("InvoicesRaised", [G10, *rows]), *other]
    return write_workbook(tmp_path / "Alpha Cloud Ltd - RM1557.11 - April 2019.xlsx", sheets)


def test_formulas_without_a_value_are_worked_out_and_counted(tmp_path):
    rows = [_return_row("O1", "Leeds City Council", 650.0, 12, 2),
            _return_row("O2", "York Council", 99.99, 30, 3)]  # fmt: skip
    result = loaders.load(_return(tmp_path, rows))
    assert _totals(result) == {"Leeds City Council": 7800.0, "York Council": 2999.7}
    f = result.report["files"][0]
    assert f["reconciles"] and f["rows_quarantined"] == 0
    worked = [r for r in f["rules_applied"] if r["rule"] == "formula worked out"]
    assert worked[0]["count"] == 2 and "'Total Cost (ex VAT)'" in worked[0]["what"]


def test_shared_ranges_and_other_sheets_are_worked_out(tmp_path):
    prices = SheetPart("Prices", [["Service", "Price"], ["Hosting", 125.5]])
    rows = [
        _return_row("O1", "Leeds City Council", 10.0, 3, 2,
                    Formula("K2*L2", shared=("0", "M2:M3"))),
        _return_row("O2", "York Council", 20.0, 4, 3, Formula("", shared=("0", ""))),
        _return_row("O3", "Hull City Council", 0.0, 2, 4, Formula("Prices!B2*L4")),
        _return_row("O4", "Bath Council", 1.0, 1, 5, Formula("SUM(K2:K4)+ROUND(0.126,2)")),
    ]  # fmt: skip
    result = loaders.load(_return(tmp_path, rows, [prices]))
    assert _totals(result) == {"Leeds City Council": 30.0, "York Council": 80.0,
                               "Hull City Council": 251.0, "Bath Council": 30.13}  # fmt: skip


@pytest.mark.parametrize(
    ("formula", "detail"),
    [
        pytest.param("K2*VAT_RATE", "=K2*VAT_RATE", id="a-defined-name"),
        pytest.param("NOSUCHFUNCTION(K2)", "=NOSUCHFUNCTION(K2)", id="an-unknown-function"),
        pytest.param("Missing!A1*2", "=Missing!A1*2", id="a-missing-sheet"),
        pytest.param("M2+1", "=M2+1", id="a-circular-reference"),
    ],
)
def test_a_formula_that_cannot_be_worked_out_quarantines_its_row_naming_it(
    tmp_path, formula, detail
):
    rows = [_return_row("O1", "Leeds City Council", 5.0, 2, 2, Formula(formula)),
            _return_row("O2", "York Council", 3.0, 1, 3)]  # fmt: skip
    result = loaders.load(_return(tmp_path, rows))
    assert _totals(result) == {"York Council": 3.0}
    bad = result.quarantine
    assert bad[["reason", "column", "detail"]].values.tolist() == [
        [FORMULA, "Total Cost (ex VAT)", detail]
    ]
    assert result.report["files"][0]["reconciles"]


def test_a_formula_whose_result_is_an_error_is_an_excel_error(tmp_path):
    rows = [_return_row("O1", "Leeds City Council", 5.0, 0, 2, Formula("K2/L2")),
            _return_row("O2", "York Council", 3.0, 1, 3)]  # fmt: skip
    bad = loaders.load(_return(tmp_path, rows)).quarantine
    assert bad[["reason", "detail"]].values.tolist() == [[EXCEL_ERROR, "#DIV/0!"]]


def test_a_cached_formula_value_is_kept_as_stored():
    rows = [["a", "b"], [2.0, 5.0]]
    assert formula_results(rows, {(1, 1): "=A2*3"}, lambda p: True) == {(1, 1): 6.0}
    assert isinstance(formula_results(rows, {(1, 1): "=FOO()"}, lambda p: True)[(1, 1)],
                      Unevaluated)  # fmt: skip


# Strict Open XML ------------------------------------------------------------------------


@pytest.mark.parametrize("strict", [False, True], ids=["transitional", "strict"])
def test_the_1904_date_system_and_error_cells_read_alike_in_strict_workbooks(tmp_path, strict):
    serial_1904 = SERIAL_2019_04_01 - 1462  # 1 April 2019 counted from 1904
    rows = [HEADER_CCS, _ccs("Leeds City Council", 1200.5, month=serial_1904),
            _ccs("York Council", Error("#REF!"), month=serial_1904 + 30)]  # fmt: skip
    path = write_workbook(tmp_path / "spend-2019-04.xlsx", [SheetPart("Spend", rows)],
                          strict=strict, date1904=True)  # fmt: skip
    facts = xlsx_facts(path.read_bytes())
    assert facts.date1904 and facts.parts == {"Spend": "xl/worksheets/sheet1.xml"}
    result = loaders.load(path)
    assert result.spend["month"].tolist() == [dt.datetime(2019, 4, 1)]
    assert result.quarantine[["reason", "detail"]].values.tolist() == [[EXCEL_ERROR, "#REF!"]]
    assert result.report["files"][0]["date_system"] == "1904"


def test_a_strict_workbook_with_a_formula_without_value_and_a_hidden_sheet(tmp_path):
    rows = [_return_row("O1", "Leeds City Council", 2.5, 4, 2)]
    hidden = SheetPart("Draft", [G10, _return_row("O0", "Leeds City Council", 1.0, 1, 2)],
                       state="veryHidden")  # fmt: skip
    sheets = [SheetPart("InvoicesRaised", [G10, *rows]), hidden]
    path = write_workbook(tmp_path / "Alpha Cloud Ltd - RM1557.11 - April 2019.xlsx", sheets,
                          strict=True)  # fmt: skip
    result = loaders.load(path)
    assert _totals(result) == {"Leeds City Council": 10.0}
    assert result.report["files"][0]["hidden_sheets"][0]["state"] == "veryHidden"
