"""Each published layout loads from a small file that reproduces it, quirks included."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import loaders
from loaders.core.errors import LoaderInputError
from tests.builders import (
    HEADER_2013,
    HEADER_2017,
    HEADER_CCS,
    HEADER_CCS_INVOICE,
    HEADER_DEC2017,
    ccs_row,
    ccs_rows,
    rows_2014,
    write_csv,
    write_xlsx,
)


def _only(result: loaders.LoadResult) -> pd.DataFrame:
    return result.spend.sort_values("source_row").reset_index(drop=True)


@pytest.mark.slow
def test_2013_layout_reads_iterations_and_dates_with_stray_characters(tmp_path):
    path = write_csv(
        tmp_path / "G-Cloud-spend-2013-12.csv",
        [
            HEADER_2013,
            ["G-Cloudi", "Lot 3", "Acme Ltd", "Cabinet Office", "01/04/2012", "Email", "1200"],
            ["G-Cloud Services II", "4", "Beta LLP", "Leeds City Council", "01/05/2012.", "", "50"],
            ["G-Cloud III", "Specialist Cloud Services", "Acme Ltd", "NHS Digital", "01/06/2012 ",
             "Support", "-20.5"],
            ["G-Cloud 4", "IaaS", "Gamma", "Home Office", "01/07/2012x", "Hosting", "10"],
        ],
    )  # fmt: skip
    spend = _only(loaders.load(path))
    assert list(spend["framework_iteration"].astype(str)) == [
        "G-Cloud 1",
        "G-Cloud 2",
        "G-Cloud 3",
        "G-Cloud 4",
    ]
    assert set(spend["framework"].astype(str)) == {"G-Cloud"}
    assert list(spend["lot"].astype(str)) == [
        "Software as a Service (SaaS)",
        "Specialist Cloud Services",
        "Specialist Cloud Services",
        "Infrastructure as a Service (IaaS)",
    ]
    assert list(spend["month"].dt.strftime("%Y-%m")) == ["2012-04", "2012-05", "2012-06", "2012-07"]
    assert spend["spend_gbp"].sum() == pytest.approx(1239.5)
    assert list(spend["sector_source"].astype(str)) == ["inferred"] * 4
    assert list(spend["source_row"]) == [2, 3, 4, 5]


@pytest.mark.slow
def test_2014_layout_cp1252_with_cr_line_endings(tmp_path):
    rows = rows_2014(
        (3, "SYMANTEC LTD", "Public Health England", "2012-04-01", "43200", "Central Government",
         "Large"),
        (4, "Café Digital Ltd", "Oxfordshire County Council", "2012-05-01", "-470",
         "Local Government", "SME"),
    )  # fmt: skip
    path = write_csv(tmp_path / "G-Cloud-Spend-14-07-14.csv", rows, "cp1252", "\r")
    result = loaders.load(path)
    spend = _only(result)
    assert result.report["files"][0]["encoding"] == "cp1252"
    assert result.report["files"][0]["layout"] == "2014 GDS CSV"
    assert list(spend["supplier"]) == ["SYMANTEC LTD", "Café Digital Ltd"]
    assert list(spend["lot"].astype(str)) == [
        "Software as a Service (SaaS)",
        "Specialist Cloud Services",
    ]
    assert list(spend["spend_gbp"]) == [43200.0, -470.0]
    assert list(spend["sme_status"].astype(str)) == ["Large", "SME"]
    assert list(spend["buyer_group"].astype(str)) == ["Central government", "Non-Whitehall"]
    assert list(spend["financial_year"].astype(str)) == ["2012-13", "2012-13"]
    assert set(spend["release"].astype(str)) == {"2014-07-14"}


@pytest.mark.slow
def test_2017_layout_mixes_serial_numbers_and_text_dates_and_pound_text(tmp_path):
    path = write_csv(
        tmp_path / "G-Cloud-spend-2017-03.csv",
        [
            HEADER_2017,
            ["G-Cloud 7", "Cloud Support", "Acme", "Health", "NHS England", "x", "41000",
             "£1,234.56", "SME"],
            ["G-Cloud 8", "Software as a Service", "Acme", "Central Government", "DWP", "y",
             "15/01/17", "(£1,000.00)", "SME"],
            ["G-Cloud 8", "Cloud Software", "Big Co", "Police", "Kent Police", "z", "01/02/17",
             "-£34.56", "Large"],
        ],
        encoding="utf-8-sig",
        newline="\r\n",
    )  # fmt: skip
    result = loaders.load(path)
    spend = _only(result)
    assert result.report["files"][0]["encoding"] == "utf-8-sig"
    assert list(spend["month"].dt.strftime("%Y-%m")) == ["2012-04", "2017-01", "2017-02"]
    assert list(spend["spend_gbp"]) == [1234.56, -1000.0, -34.56]
    assert spend["spend_gbp"].sum() == pytest.approx(200.0)
    assert list(spend["lot"].astype(str)) == [
        "Cloud Support",
        "Software as a Service (SaaS)",
        "Cloud Software",
    ]


@pytest.mark.slow
def test_dec2017_layout_with_month_names(tmp_path):
    path = write_csv(
        tmp_path / "G-Cloud-spend-Dec2017.csv",
        [
            HEADER_DEC2017,
            ["Central Government", "Cloud Hosting", "Jan-17", "£1,000.00", "SME", "Acme",
             "Home Office", "G-Cloud 9"],
            ["Local Government", "Specialist Cloud Services", "Feb-17", "250", "Large", "Big",
             "Leeds City Council", "GIII"],
            ["Education", "Specialist Cloud Services", "Mar-17", "5", "SME", "Acme",
             "University of Leeds", "GServices II"],
        ],
        encoding="cp1252",
        newline="\r\n",
    )  # fmt: skip
    spend = _only(loaders.load(path))
    assert list(spend["framework_iteration"].astype(str)) == ["G-Cloud 9", "G-Cloud 3", "G-Cloud 2"]
    assert list(spend["month"].dt.strftime("%Y-%m")) == ["2017-01", "2017-02", "2017-03"]
    assert list(spend["release"].astype(str)) == ["2017-12"] * 3


@pytest.mark.slow
def test_dos_file_without_framework_column_takes_it_from_the_file_name(tmp_path):
    rows = [
        HEADER_DEC2017[:-1],
        ["Central Government", "Digital outcomes", "Jan-17", "£1,000.00", "SME", "Acme", "MoJ"],
        ["Health", "Digital specialists", "Feb-17", "200", "Large", "Big", "NHS Digital"],
    ]
    path = write_csv(tmp_path / "DOS-spend-Dec2017.csv", rows, "cp1252", "\r\n")
    spend = _only(loaders.load(path))
    assert set(spend["framework"].astype(str)) == {"Digital Outcomes and Specialists"}
    assert list(spend["lot"].astype(str)) == ["Digital outcomes", "Digital specialists"]


@pytest.mark.slow
def test_framework_option_names_the_framework_of_an_unnamed_file(tmp_path):
    rows = [
        HEADER_DEC2017[:-1],
        ["Central Government", "Digital outcomes", "Jan-17", "10", "SME", "Acme", "MoJ"],
    ]
    path = write_csv(tmp_path / "spend-export.csv", rows)
    spend = loaders.load(path, framework="Digital Outcomes and Specialists").spend
    assert list(spend["framework"].astype(str)) == ["Digital Outcomes and Specialists"]
    with pytest.raises(LoaderInputError, match="spend-export.csv.*missing framework.*--framework"):
        loaders.load(path)
    result = loaders.load(path, allow_empty=True)
    assert result.spend.empty
    assert result.report["quarantined_by_reason"]["missing framework"]["rows"] == 1


@pytest.mark.slow
def test_ccs_workbook_with_title_rows_and_total_row(tmp_path):
    data = [
        ccs_row(10001, "Home Office", "Central Government", "Acme Ltd", "SME", "RM1557.12",
                "G-Cloud 12", 2, "Cloud Software", dt.datetime(2021, 1, 1), 1000.0),
        ccs_row(10002, "Leeds City Council", "Local Government", "Big plc", "Large", "RM1043.6",
                "Digital Outcomes and Specialists 4", 1, "Digital outcomes",
                dt.datetime(2021, 2, 1), -250.25),
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "CCS-spend-2021-03.xlsx", ccs_rows(data))
    result = loaders.load(path)
    spend = _only(result)
    file_report = result.report["files"][0]
    assert file_report["layout"] == "CCS XLSX (spend month)"
    assert file_report["header_row"] == 4
    assert list(spend["source_row"]) == [5, 6]
    assert list(spend["framework_iteration"].astype(str)) == ["G-Cloud 12", "DOS 4"]
    assert list(spend["customer_urn"]) == [10001, 10002]
    assert spend["spend_gbp"].sum() == pytest.approx(749.75)
    assert file_report["declared_total_gbp"] == 749.75
    assert file_report["declared_total_agrees"] is True
    reasons = result.report["quarantined_by_reason"]
    assert reasons["totals row"]["rows"] == 1 and reasons["blank row"]["rows"] == 1


@pytest.mark.slow
def test_ccs_workbook_with_invoice_dates_within_the_month(tmp_path):
    rows = [
        HEADER_CCS_INVOICE,
        [1, "Home Office", "Central Government", "Acme", "SME", "RM1557.13", "G-Cloud 13", 3,
         "Cloud Support", dt.datetime(2023, 5, 17), 99.99],
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "CCS-spend-2023-06.xlsx", rows)
    result = loaders.load(path)
    assert result.report["files"][0]["layout"] == "CCS XLSX (invoice date)"
    assert result.spend["month"].iloc[0] == pd.Timestamp("2023-05-01")
    assert result.spend["lot"].iloc[0] == "Cloud Support"


@pytest.mark.slow
def test_lot_numbers_mean_the_lots_of_their_iteration(tmp_path):
    rows = [
        HEADER_CCS,
        [1, "A", "Health", "S", "SME", "RM1557ix", "G-Cloud 9", 2, "", dt.datetime(2018, 1, 1), 1],
        [1, "A", "Health", "S", "SME", "", "G-Cloud 5", 2, "", dt.datetime(2018, 1, 1), 1],
    ]
    spend = _only(loaders.load(write_xlsx(tmp_path / "x.xlsx", rows)))
    assert list(spend["lot"].astype(str)) == ["Cloud Software", "Platform as a Service (PaaS)"]


@pytest.mark.slow
def test_renamed_columns_are_found_by_their_aliases(tmp_path):
    rows = [
        ["Supplier Name", "Customer Name", "Total Cost (ex VAT)", "Return Month", "Framework"],
        ["Acme", "Home Office", "£10.00", "Apr-19", "G-Cloud 10"],
    ]
    spend = loaders.load(write_csv(tmp_path / "x.csv", rows)).spend
    assert spend["spend_gbp"].iloc[0] == 10.0


def test_unknown_layout_names_the_file_each_unmapped_header_and_the_alias_file(tmp_path):
    rows = [
        ["Supplier", "Customer", "Amount Paid", "Month", "Framework", "Colour"],
        ["Acme", "Home Office", "10", "Apr-19", "G-Cloud 10", "blue"],
    ]
    path = write_csv(tmp_path / "odd.csv", rows)
    with pytest.raises(LoaderInputError) as caught:
        loaders.load(path)
    message = str(caught.value)
    assert "odd.csv" in message
    assert "'Amount Paid'" in message and "'Colour'" in message
    assert "column_aliases.csv" in message
    assert "\n" not in message


def test_header_without_spend_column_is_refused_by_name(tmp_path):
    rows = [["Supplier", "Customer", "Month", "Framework"], ["Acme", "Home Office", "Apr-19", "X"]]
    with pytest.raises(LoaderInputError, match="no column for spend"):
        loaders.load(write_csv(tmp_path / "x.csv", rows))


@pytest.mark.slow
def test_framework_option_is_read_as_a_framework_name(tmp_path):
    rows = [
        HEADER_DEC2017[:-1],
        ["Central Government", "Digital outcomes", "Jan-17", "10", "SME", "Acme", "MoJ"],
    ]
    path = write_csv(tmp_path / "spend-export.csv", rows)
    spend = loaders.load(path, framework="DOS").spend
    assert list(spend["framework"].astype(str)) == ["Digital Outcomes and Specialists"]
    assert list(spend["lot"].astype(str)) == ["Digital outcomes"]
    with pytest.raises(LoaderInputError, match="not a known framework name"):
        loaders.load(path, framework="nonsense")
