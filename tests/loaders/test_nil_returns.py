"""A supplier's nil return (no invoices this month) loads nothing, stops nothing and is
listed as a nil return: an invoice sheet with no invoices, a return with no invoice sheet at
all, or a CSV return of only its header. A file that is not a return still stops the load."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import loaders
from loaders.cli import main
from tests.builders import HEADER_CCS, write_csv
from tests.loaders.test_supplier_returns import G_CLOUD_10, ORDERS, _g_cloud_10


def _workbook(path, invoices: list[list[object]] | None, note: str | None = None):
    workbook = openpyxl.Workbook()
    contracts = workbook.active
    contracts.title = "Contracts"
    contracts.append(ORDERS)
    if invoices is not None:
        sheet = workbook.create_sheet("InvoicesRaised")
        sheet.append(G_CLOUD_10)
        for row in invoices:
            sheet.append(row)
        if note:
            sheet.append([note])
    guidance = workbook.create_sheet("URN Guidance Notes")
    guidance.append(["Finding a Customer URN"])
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("invoices", "note", "why"),
    [
        pytest.param([], None, "its invoice sheet lists no invoices", id="empty-invoice-sheet"),
        pytest.param([], "NIL RETURN - no business this month",
                     "its invoice sheet lists no invoices", id="a-nil-return-note"),
        pytest.param(None, None, "it has no invoice sheet", id="no-invoice-sheet"),
    ],
)  # fmt: skip
def test_a_folder_of_returns_loads_the_others_and_lists_the_nil_return(
    tmp_path, invoices, note, why
):
    _workbook(tmp_path / "Delta Digital Ltd - RM1557.10 - March 2019.xlsx", invoices, note)
    good = [_g_cloud_10(125_000.0, 25_000.0, dt.datetime(2019, 3, 1))]
    _workbook(tmp_path / "Alpha Cloud Ltd - RM1557.10 - March 2019.xlsx", good)
    result = loaders.load(tmp_path)
    assert result.spend["spend_gbp"].tolist() == [125_000.0]
    nil = next(f for f in result.report["files"] if f["file"].startswith("Delta"))
    assert nil["nil_return"] == why and nil["rows_loaded"] == 0 and nil["reconciles"]
    assert result.report["totals"]["nil_returns"] == [nil["file"]]
    assert result.report["totals"]["reconciles"]
    assert "NIL RETURN" in result.describe()
    assert [r["rule"] for r in nil["rules_applied"]][-1] == "nil return"


def test_a_csv_return_of_only_its_header_is_a_nil_return_through_the_command_line(tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    write_csv(folder / "Delta Digital Ltd - RM1557.10 - March 2019.csv", [G_CLOUD_10])
    write_csv(folder / "Alpha Cloud Ltd - RM1557.10 - March 2019.csv",
              [G_CLOUD_10, _g_cloud_10(10.0, 2.0)])  # fmt: skip
    store = tmp_path / "store"
    assert main(["ingest", str(folder), "--out", str(store)]) == 0
    assert main(["ingest", str(folder), "--out", str(store)]) == 0  # from the extract cache
    stored = loaders.read_store(store)
    assert stored.spend["spend_gbp"].tolist() == [10.0]
    assert stored.report["totals"]["nil_returns"] == [
        "Delta Digital Ltd - RM1557.10 - March 2019.csv"
    ]


def test_a_release_that_is_not_a_return_and_gives_nothing_still_stops_the_load(tmp_path):
    path = write_csv(tmp_path / "spend-2019-03.csv", [HEADER_CCS])
    with pytest.raises(loaders.LoaderInputError, match="no row can be loaded"):
        loaders.load(path)
