"""CCS's supplier-return vocabulary: headers mapped, VAT and contract values never spend,
several sheets, and the supplier of a return without a supplier column."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import loaders
from loaders.cli import main
from loaders.core.errors import LoaderInputError
from loaders.core.vocabulary import load_vocabulary
from loaders.sources.ccs_spend.extract_cache import fingerprint
from tests.builders import layout_headers, write_csv

G_CLOUD_10 = layout_headers("CCS supplier return, G-Cloud 10 (invoices)")
G_CLOUD_8 = [
    "Buyer Cost Centre", "Call Off Contract Reference", "Buyer URN", "Buyer Organisation",
    "Invoice Date", "Invoice Number", "Lot Number", "Product / Service Group",
    "Total Charge (Ex VAT)", "VAT amount charged", "Expenses", "Supplier Name",
]  # fmt: skip
ORDERS = [
    "Order Reference Number", "Customer Unique Reference Number (URN)",
    "Customer Organisation Name", "Contract Start Date", "Contract End Date", "Lot Number",
    "Service Group", "Digital Marketplace Service ID", "Total Contract Value",
]  # fmt: skip


def _g_cloud_10(ex_vat: float, vat: float, date: object = "15/03/2019") -> list[object]:
    return ["PO1", 10012345, "Cabinet Office", date, "INV1", 2, "Operations Management",
            "123456789", "", "Per Unit", ex_vat, 1, ex_vat, vat, 99.0]  # fmt: skip


@pytest.mark.slow
def test_a_g_cloud_10_return_loads_ex_vat_spend_with_framework_from_the_agreement_number(
    tmp_path,
):
    rows = [G_CLOUD_10, _g_cloud_10(1000.0, 200.0), _g_cloud_10(-50.0, -10.0)]
    path = write_csv(tmp_path / "Alpha Cloud Ltd - RM1557.10 - March 2019.csv", rows)
    result = loaders.load(path)
    spend = result.spend
    assert spend["spend_gbp"].sum() == 950.0  # neither VAT nor expenses
    assert set(spend["framework_iteration"].astype(str)) == {"G-Cloud 10"}
    assert set(spend["lot"].astype(str)) == {"Cloud Software"}
    assert set(spend["supplier"].astype(str)) == {"Alpha Cloud Ltd"}
    assert set(spend["customer_key"].astype(str)) == {"urn:10012345"}
    assert set(spend["description"].astype(str)) == {"Operations Management"}
    report = result.report["files"][0]
    assert (report["supplier_from"], report["supplier"]) == ("file name", "Alpha Cloud Ltd")
    assert report["layout"] == "CCS supplier return, G-Cloud 10 (invoices)"


@pytest.mark.slow
def test_a_g_cloud_8_return_with_its_own_headers(tmp_path):
    row = ["CC1", "REF1", 10000000, "Scarfolk Council", "01/01/2017", "INV1", 4,
           "Project / Programme Management", "1,234.00", "246.80", "10", "Acme"]  # fmt: skip
    rows = [G_CLOUD_8, row]
    result = loaders.load(write_csv(tmp_path / "RM1557viii-invoices-2017-01.csv", rows))
    spend = result.spend
    assert spend["spend_gbp"].tolist() == [1234.0]
    assert spend["month"].tolist() == [dt.datetime(2017, 1, 1)]
    assert spend["framework_iteration"].astype(str).tolist() == ["G-Cloud 8"]
    assert spend["lot"].astype(str).tolist() == ["Specialist Cloud Services"]


def test_a_file_with_only_a_vat_inclusive_amount_is_refused_by_name(tmp_path):
    rows = [["Supplier", "Buyer Organisation", "Invoice Date", "Total Charge (inc VAT)"],
            ["Acme", "Home Office", "01/01/2019", "120"]]  # fmt: skip
    with pytest.raises(LoaderInputError, match="'Total Charge \\(inc VAT\\)' includes VAT"):
        loaders.load(write_csv(tmp_path / "G-Cloud-2019-01.csv", rows))


def _return_workbook(path, *, invoices: bool = True):
    workbook = openpyxl.Workbook()
    guidance = workbook.active
    guidance.title = "Guidance"
    guidance.append(["How to complete this return"])
    guidance.append(["Enter one row per invoice or credit note."])
    if invoices:
        sheet = workbook.create_sheet("Invoices")
        sheet.append(G_CLOUD_10)
        sheet.append(_g_cloud_10(500.0, 100.0, dt.datetime(2019, 3, 15)))
    orders = workbook.create_sheet("Orders")
    orders.append(ORDERS)
    start, end = dt.datetime(2019, 3, 1), dt.datetime(2020, 3, 1)
    orders.append(["PO1", 10012345, "Cabinet Office", start, end, 2, "Operations Management",
                   "123", 250000.0])  # fmt: skip
    workbook.save(path)
    return path


@pytest.mark.slow
def test_a_return_workbook_loads_its_invoices_and_names_the_sheets_it_skipped(tmp_path):
    path = _return_workbook(tmp_path / "RM1557.10 return March 2019.xlsx")
    result = loaders.load(path, supplier="Alpha Cloud Ltd")
    assert result.spend["spend_gbp"].tolist() == [500.0]  # the contract value is not spend
    assert set(result.spend["supplier"].astype(str)) == {"Alpha Cloud Ltd"}
    report = result.report["files"][0]
    assert report["sheets"] == ["Invoices"]
    assert report["skipped_sheet_reasons"] == {
        "Guidance": "no header row of spend columns",
        "Orders": "orders or contracts (contract values are not spend)",
    }
    assert (report["supplier_from"], report["supplier"]) == ("--supplier", "Alpha Cloud Ltd")
    assert "sheet 'Orders' not read" in result.describe()


def test_a_return_of_orders_only_is_a_nil_return_contract_values_are_not_spend(tmp_path):
    path = _return_workbook(tmp_path / "RM1557.10 orders.xlsx", invoices=False)
    result = loaders.load(path, supplier="Alpha Cloud Ltd")  # a return with no invoice sheet
    assert result.spend.empty
    report = result.report["files"][0]
    assert report["nil_return"] == "it has no invoice sheet"
    assert report["skipped_sheet_reasons"]["Orders"] == (
        "orders or contracts (contract values are not spend)"
    )


def test_a_workbook_of_orders_only_that_is_not_a_return_is_refused(tmp_path):
    path = _return_workbook(tmp_path / "RM1557.10-2019-03.xlsx", invoices=False)
    with pytest.raises(LoaderInputError, match="'Total Contract Value' is a contract value"):
        loaders.load(path)  # no supplier named (nor in the file name): not a supplier's return


@pytest.mark.slow
def test_a_return_without_supplier_column_or_name_asks_for_supplier(tmp_path, capsys):
    rows = [G_CLOUD_10, _g_cloud_10(1000.0, 200.0)]
    path = write_csv(tmp_path / "RM1557.10-invoices-2019-03.csv", rows)
    with pytest.raises(LoaderInputError, match="no column for supplier.*--supplier NAME"):
        loaders.load(path)
    store = tmp_path / "store"
    assert main(["ingest", str(path), "--out", str(store), "--supplier", "Beta Digital plc"]) == 0
    stored = loaders.read_store(store)
    assert set(stored.spend["supplier"].astype(str)) == {"Beta Digital plc"}
    assert main(["ingest", str(path), "--out", str(tmp_path / "other")]) == 2
    assert "--supplier" in capsys.readouterr().err


@pytest.mark.slow
def test_the_supplier_option_is_part_of_the_extract_cache_key(tmp_path):
    vocab = load_vocabulary()
    assert fingerprint(vocab, None, "Alpha") != fingerprint(vocab, None, "Beta")
    rows = [G_CLOUD_10, _g_cloud_10(1000.0, 200.0)]
    path = write_csv(tmp_path / "RM1557.10-invoices-2019-03.csv", rows)
    cache = tmp_path / "cache"
    first = loaders.load(path, supplier="Alpha Ltd", cache_dir=cache)
    second = loaders.load(path, supplier="Beta Ltd", cache_dir=cache)
    assert first.spend["supplier"].tolist() == ["Alpha Ltd"]
    assert second.spend["supplier"].tolist() == ["Beta Ltd"]
