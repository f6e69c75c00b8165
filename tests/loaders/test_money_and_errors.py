"""Money as people type it ($ for £, spaces in thousands, trailing minus) and Excel error
values, quarantined as such, never as blanks."""

from __future__ import annotations

import datetime as dt

import pytest

import loaders
from loaders.core.parsing import EXCEL_ERRORS, is_excel_error, parse_money
from loaders.sources.ccs_spend.checks import EXCEL_ERROR, MISSING_SPEND
from tests.builders import HEADER_CCS, HEADER_DEC2017, write_csv, write_xlsx


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("$1,234.56", 1234.56, id="dollar"),
        pytest.param("-$200.00", -200.0, id="minus-dollar"),
        pytest.param("($75.25)", -75.25, id="parenthesised-dollar"),
        pytest.param("£ 2,000.00", 2000.0, id="pound-space"),
        pytest.param("3 000.50", 3000.5, id="space-thousands"),
        pytest.param("4\u00a0000.00", 4000.0, id="non-breaking-space-thousands"),
        pytest.param("5\u2009000", 5000.0, id="thin-space-thousands"),
        pytest.param("6\u202f000", 6000.0, id="narrow-no-break-space-thousands"),
        pytest.param("1,500.00-", -1500.0, id="trailing-minus"),
        pytest.param("(1,234)", -1234.0, id="parenthesised"),
        pytest.param("£1,000.00 ", 1000.0, id="trailing-space"),
    ],
)
def test_amounts_as_people_type_them(raw, expected):
    assert parse_money(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["€10", "US$10", "$$10", "£$10", "10 $ 20"])
def test_other_currencies_and_garbled_symbols_are_not_pounds(raw):
    assert parse_money(raw) is None


def _dec2017(spend: list[str]) -> list[list[object]]:
    return [HEADER_DEC2017] + [
        ["Health", "Cloud Software", "Jan-19", amount, "SME", f"S{i}", "NHS Digital", "G-Cloud 10"]
        for i, amount in enumerate(spend)
    ]


@pytest.mark.slow
def test_dollar_amounts_load_as_pounds_and_are_counted_per_file(tmp_path):
    path = write_csv(tmp_path / "spend-2019-02.csv", _dec2017(["$10.00", "-$2.50", "£1.00"]))
    result = loaders.load(path)
    assert result.spend["spend_gbp"].sum() == pytest.approx(8.5)
    assert result.report["files"][0]["dollar_amounts"] == 2
    assert "2 amounts written with $ read as pounds" in result.describe()


@pytest.mark.slow
@pytest.mark.parametrize("error", sorted(EXCEL_ERRORS))
def test_excel_errors_in_a_csv_are_quarantined_as_excel_errors_with_the_value(tmp_path, error):
    path = write_csv(tmp_path / "spend-2019-02.csv", _dec2017(["5.00", error, ""]))
    result = loaders.load(path)
    reasons = result.quarantine.set_index("source_row")[["reason", "detail"]]
    assert reasons.loc[3].tolist() == [EXCEL_ERROR, error]
    assert reasons.loc[4, "reason"] == MISSING_SPEND  # a blank is not an error
    assert result.report["files"][0]["excel_errors"] == {"Spend": {error: 1}}


@pytest.mark.slow
def test_an_excel_error_month_is_quarantined_too(tmp_path):
    rows = _dec2017(["5.00", "6.00"])
    rows[2][2] = "#VALUE!"
    result = loaders.load(write_csv(tmp_path / "spend-2019-02.csv", rows))
    (row,) = result.quarantine.itertuples()
    assert (row.reason, row.column, row.detail, row.spend_gbp) == (EXCEL_ERROR, "Month",
                                                                  "#VALUE!", 6.0)  # fmt: skip


@pytest.mark.slow
def test_excel_error_cells_of_a_workbook_are_told_from_blanks(tmp_path):
    def row(customer, sector, spend):
        return [10012345, customer, sector, "Alpha Cloud Ltd", "SME", "RM1557.12", "G-Cloud 12",
                2, "Cloud Software", dt.datetime(2021, 4, 1), spend]  # fmt: skip

    rows = [
        HEADER_CCS,
        row("Cabinet Office", "Central Government", 1000),
        row("Cabinet Office", "Central Government", "#REF!"),
        row("Cabinet Office", "Central Government", None),
        row("#N/A", "#N/A", 4000),
    ]
    result = loaders.load(write_xlsx(tmp_path / "CCS-spend-2021-05.xlsx", rows))
    reasons = result.quarantine.set_index("source_row")[["reason", "detail"]]
    assert reasons.loc[3].tolist() == [EXCEL_ERROR, "#REF!"]
    assert reasons.loc[4, "reason"] == MISSING_SPEND
    assert result.spend["spend_gbp"].sum() == 5000  # #N/A name and sector read as empty
    assert "#N/A" not in set(result.spend["sector"].astype(str))
    assert result.report["files"][0]["excel_errors"] == {
        "Customer Name": {"#N/A": 1},
        "Customer Sector": {"#N/A": 1},
        "Evidenced Spend (ex VAT)": {"#REF!": 1},
    }


@pytest.mark.parametrize(
    ("value", "error"),
    [("#REF!", True), (" #n/a ", True), ("#DIV/0!", True), ("#N/A N/A", False), ("REF!", False),
     (None, False), (3.0, False), ("# 1 item", False)],
)  # fmt: skip
def test_is_excel_error(value, error):
    assert is_excel_error(value) is error
