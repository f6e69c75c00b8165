"""Downloads that can be cited (issue 25, feature 13): file names with the filters and the
data-as-at month, Excel cells with number and date formats, the synthetic label on every row
of a sample download, the whole store stamped with its version, and the notebook API
rounding as the app does."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import openpyxl
import pandas as pd
import pytest

from dashboard import api
from dashboard.analytics.store import Store
from dashboard.app import create_app
from dashboard.callbacks import download
from dashboard.store_download import PATHS, build_zip, store_version
from dashboard.ui.downloads import download_file_name, to_xlsx_bytes


@pytest.fixture(scope="module")
def data(sample_store) -> Store:
    return Store(sample_store)


@pytest.mark.parametrize(
    ("pairs", "synthetic", "expected"),
    [
        pytest.param([("fy", "2019-20"), ("sme", "SME")], False,
                     "spend-by-period_fy-2019-20_sme-SME_data-as-at-2025-09.csv", id="filters"),
        pytest.param([], True, "SYNTHETIC-sample_spend-by-period_data-as-at-2025-09.csv",
                     id="synthetic"),
        pytest.param([("customer", "Leeds City Council, urn:10024448")], False,
                     "spend-by-period_customer-Leeds-City-Council-urn-10024448_"
                     "data-as-at-2025-09.csv", id="names made safe"),
    ],
)  # fmt: skip
def test_file_names_cite_the_view_the_filters_and_the_data(pairs, synthetic, expected):
    assert download_file_name("spend-by-period", pairs, "2025-09", "csv", synthetic) == expected


def test_a_long_file_name_keeps_its_start_and_a_hash_of_the_whole():
    many = [("supplier", f"Supplier number {n} Limited") for n in range(20)]
    other = [*many[:-1], ("supplier", "Another supplier")]
    first = download_file_name("rows", many, "2025-09", "xlsx")
    assert len(first) <= 160 and first.startswith("rows_supplier-Supplier-number-0")
    assert first != download_file_name("rows", other, "2025-09", "xlsx")


def test_excel_cells_are_numbers_and_dates_with_formats():
    table = pd.DataFrame({"Month": ["2019-04", "2019-05"], "Spend (£)": [1234.5, -2.0],
                          "SME share (%)": [53.4, 0.0], "Buyers": [1293, 7],
                          "Tender notice": ["2025-01-03", None], "Lot": ["A", "B"]})  # fmt: skip
    units = ["month", "gbp", "pct", "count", "date", "text"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(table, "Data", "About", units)))
    row = sheet["Data"][2]
    assert row[0].value.strftime("%Y-%m") == "2019-04" and row[0].number_format == "mmm yyyy"
    assert row[1].value == 1234.5 and row[1].number_format.startswith('"£"#,##0.00')
    assert row[2].value == 53.4 and row[2].number_format == '0.0"%"'
    assert row[3].value == 1293 and row[3].number_format == "#,##0"
    assert (
        row[4].value.strftime("%Y-%m-%d") == "2025-01-03" and row[4].number_format == "yyyy-mm-dd"
    )
    assert row[5].value == "A" and row[5].number_format == "General"


def test_a_month_column_that_is_not_all_months_stays_text():
    table = pd.DataFrame({"Month": ["2019-04", "Total"]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(table, units=["month"])))
    assert sheet["Data"]["A3"].value == "Total" and sheet["Data"]["A2"].value == "2019-04"


def test_a_sample_download_says_synthetic_on_every_row_and_in_its_name(data):
    payload = download(data, "top-suppliers", "xlsx", "?fy=2019-20")
    assert payload["filename"].startswith("SYNTHETIC-sample_top-suppliers_fy-2019-20_")
    sheets = pd.read_excel(
        io.BytesIO(base64.b64decode(payload["content"])), sheet_name=None, engine="calamine"
    )
    table = next(iter(sheets.values()))
    assert set(table["Data"]) == {"SYNTHETIC SAMPLE: invented figures, not to be quoted"}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_whole_store_downloads_stamped_with_its_version(data, tmp_path, fmt):
    version = store_version(data)
    path = build_zip(data, fmt, tmp_path)
    stamp = f"data-{version.data_as_at}_format-{version.store_format}_{version.fingerprint}"
    assert path.name == f"SYNTHETIC-sample_framework-spend-store_{stamp}_{fmt}.zip"
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        stamp = json.loads(archive.read("VERSION.json"))
        about = archive.read("ABOUT.txt").decode()
        spend_file = "spend.parquet" if fmt == "parquet" else "spend.csv"
        reader = pd.read_parquet if fmt == "parquet" else pd.read_csv
        spend = reader(io.BytesIO(archive.read(spend_file)))
    assert {"load_report.json", "catalogue.json", spend_file} <= names
    assert stamp["fingerprint"] == version.fingerprint and stamp["synthetic"] is True
    assert "SYNTHETIC SAMPLE DATA" in about
    assert len(spend) == len(data.spend)
    assert round(spend["spend_gbp"].sum(), 2) == round(data.spend["spend_gbp"].sum(), 2)
    assert build_zip(data, fmt, tmp_path) == path  # built once per version


def test_the_whole_store_is_a_separate_request_and_unknown_formats_are_404(sample_store):
    client = create_app(sample_store).server.test_client()
    answer = client.get(PATHS["csv"])
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    assert "framework-spend-store_" in answer.headers["Content-Disposition"]
    assert client.get("/download/store-xls.zip").status_code == 404


def test_the_api_rounds_as_the_app_does(sample_store, data):
    shown = api.view_table(sample_store, "sme-share", "?fy=2019-20")
    raw = api.view_table(sample_store, "sme-share", "?fy=2019-20", labelled=False)
    share = "SME share by value (%)"
    assert (shown[share] == raw["sme_share_value_pct"].round(1)).all()
    assert (shown["Spend (£)"] == raw["spend_gbp"].round(2)).all()
    assert (raw["sme_share_value_pct"] != raw["sme_share_value_pct"].round(1)).any()


def test_an_unknown_view_names_the_valid_ones(sample_store):
    with pytest.raises(KeyError) as raised:
        api.view_table(sample_store, "spend-by-perod")
    message = str(raised.value)
    assert "No view 'spend-by-perod'" in message and "Did you mean 'spend-by-period'" in message
    assert all(view in message for view in api.view_ids())
