"""The Digital Marketplace's DOS opportunities export: told from spend CSVs by its header,
counts and sizes read as the real export writes them, unreadable cells named."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import loaders
from loaders.core.vocabulary import REFERENCE_DIR
from loaders.sources.registry import claimant

REAL = Path(__file__).resolve().parents[3] / "shared" / "real-data" / "dos-opportunities-2018-07"
with (REFERENCE_DIR / "dos_opportunity_columns.csv").open(encoding="utf-8") as _handle:
    HEADER = [row["header"] for row in csv.DictReader(_handle)]


def _row(**cells: str) -> dict[str, str]:
    base = {h: "" for h in HEADER}
    base.update({"ID": "9", "Opportunity": "Spine DevOps", "Framework":
                 "digital-outcomes-and-specialists-2", "Category": "digital-specialists",
                 "Organisation Name": "Home Office", "Published At": "2017-05-02",
                 "Status": "closed"})  # fmt: skip
    base.update({k.replace("_", " "): v for k, v in cells.items()})
    return base


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _cells(**named: str) -> dict[str, str]:
    return {HEADER[i]: v for i, v in ((HEADER.index(k), v) for k, v in named.items())}


def test_the_export_is_claimed_by_its_header_and_a_spend_csv_is_not(tmp_path):
    export = _write(tmp_path / "anything.csv", [_row()])
    spend = tmp_path / "G-Cloud-spend.csv"
    spend.write_text("Customer Name,Supplier,Evidenced Spend\nHome Office,X,10\n", encoding="utf-8")
    assert claimant(export).name == "digital_marketplace"
    assert claimant(spend).name == "ccs_spend"


def test_counts_sizes_frameworks_and_lots_as_published(tmp_path):
    rows = [
        _row(**_cells(**{"Applications from SMEs": "6.0", "Applications from Large Organisations":
                         "", "Total Organisations": "6.0"})),
        _row(**_cells(**{"ID": "10", "Applications from SMEs": "", "Total Organisations": ""})),
        {**_row(), "ID": "11", "Framework": "digital-outcomes-and-specialists", "Status": "awarded",
         "Category": "digital-outcomes", "Applications from SMEs": "1.0",
         "Applications from Large Organisations": "0.0", "Total Organisations": "1.0",
         "Winning supplier": "Alpha Ltd", "Size of supplier": "micro",
         "Contract amount": "120000.5", "Contract start date": "2016-7-3"},
        {**_row(), "ID": "12", "Status": "awarded", "Size of supplier": "",
         "Contract amount": "1000.0", "Total Organisations": "3.0",
         "Applications from SMEs": "1.0", "Applications from Large Organisations": "2.0"},
    ]  # fmt: skip
    table = loaders.load(_write(tmp_path / "o.csv", rows)).dos_opportunities.set_index(
        "opportunity_id")  # fmt: skip
    assert list(table.loc[9, ["applications_sme", "applications_large"]]) == [6, 0]
    assert table.loc[10, ["applications_sme", "applications_total"]].isna().all()
    one = table.loc[11]
    assert (one["framework_iteration"], one["lot"], one["size_status"]) == (
        "DOS 1", "Digital outcomes", "SME")  # fmt: skip
    assert one["contract_start"] == pd.Timestamp("2016-07-03")
    assert one["contract_value_gbp"] == 120_000.5
    assert table.loc[12, "size_status"] == "Unknown" and pd.isna(table.loc[9, "size_status"])
    assert table.loc[9, "framework_iteration"] == "DOS 2" and table.loc[9, "department"] == (
        "Home Office")  # fmt: skip


@pytest.mark.parametrize(
    "cells, column, problem",
    [
        pytest.param({"Contract amount": "£1,000"}, "Contract amount", "is not a number",
                     id="amount"),
        pytest.param({"Total Organisations": "2.5"}, "Total Organisations", "whole number",
                     id="count"),
        pytest.param({"Published At": "02/05/2017"}, "Published At", "is not a date",
                     id="date"),
        pytest.param({"Framework": "g-cloud-9"}, "Framework", "dos_frameworks.csv",
                     id="framework"),
    ],
)  # fmt: skip
def test_a_cell_that_cannot_be_read_stops_the_load_naming_it(tmp_path, cells, column, problem):
    path = _write(tmp_path / "o.csv", [_row(), {**_row(), **cells}])
    with pytest.raises(loaders.LoaderInputError) as error:
        loaders.load(path)
    assert (error.value.row, error.value.column) == (3, column)
    assert problem in str(error.value)


@pytest.mark.real_data
@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-data is absent")
def test_the_real_export_gives_the_published_figures():
    result = loaders.load(REAL / "opportunity-data.csv")
    table = result.dos_opportunities
    assert len(table) == 2118
    assert (table["applications_sme"].sum(), table["applications_total"].sum()) == (24_944, 31_467)
    awarded = table[table["status"].eq("awarded")]
    assert awarded["size_status"].value_counts().to_dict() == {"SME": 447, "Large": 159,
                                                                "Unknown": 10}  # fmt: skip
    sme = awarded.loc[awarded["size_status"].eq("SME"), "contract_value_gbp"].sum()
    assert (round(sme / 1e6, 1), round(awarded["contract_value_gbp"].sum() / 1e6, 1)) == (
        198.8, 457.1)  # fmt: skip
    assert int(table["applications_total"].eq(1).sum()) == 46
    assert "applications from SMEs 24,944 of 31,467 (79.3%)" in result.describe()
