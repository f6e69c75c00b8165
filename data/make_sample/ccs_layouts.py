"""Writers of the CCS XLSX layouts (March 2021: spend month; September 2025: invoice date):
title rows, header, data, then a ``Total`` row under the spend column."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.make_sample.publish import lot_lookup
from data.make_sample.tables import Tables
from data.make_sample.xlsx import write_xlsx

# fmt: off
HEADER_CCS_COMMON = ("Customer URN", "Customer Name", "Customer Sector", "Supplier Name",
                     "SME Status", "Framework Number", "Framework Name", "Lot Number",
                     "Lot Name")
HEADER_2021 = (*HEADER_CCS_COMMON, "Spend Month", "Evidenced Spend (ex VAT)")
HEADER_2025 = (*HEADER_CCS_COMMON, "Customer Invoice/Credit Note Date", "Total Cost (ex VAT)")
TITLE_ROWS_2021 = ("Crown Commercial Service",
                   "Digital Marketplace spend – management information",
                   "Data as at 31/03/2021")
TITLE_ROWS_2025 = ("Crown Commercial Service – G-Cloud and Digital Outcomes spend to "
                   "September 2025 (SYNTHETIC SAMPLE)",)
# fmt: on


def ccs_row(row: Any, frameworks: dict[str, dict], names: dict, when: date) -> list:
    """One data row (``row`` from ``itertuples``) of the CCS XLSX layouts."""
    framework = frameworks[row.framework]
    urn = None if pd.isna(row.urn) else int(row.urn)
    return [
        urn,
        row.customer_name,
        row.sector,
        row.supplier_name,
        "SME" if row.is_sme else "Non-SME",
        framework["framework_number"],
        framework["framework_name"],
        int(row.lot),
        names[(row.lot_scheme, row.lot)],
        when,
        float(row.amount),
    ]


def write_ccs_xlsx(
    rows: pd.DataFrame,
    path: Path,
    tables: Tables,
    titles: Sequence[str],
    header: Sequence[str],
    invoice_dates: bool,
) -> None:
    """CCS XLSX: title rows, header, data, then a ``Total`` row under the spend column."""
    frameworks = tables.sources.frameworks.to_dict("index")
    names = lot_lookup(tables.sources.lots, "lot_name")
    sheet: list[list] = [[title] for title in titles]
    sheet.append(list(header))
    for row in rows.itertuples():
        when = row.date.replace(day=int(row.day)) if invoice_dates else row.date
        sheet.append(ccs_row(row, frameworks, names, when))
    if not invoice_dates:
        sheet.append([])
    total = float(np.round(rows["amount"].sum(), 2))
    sheet.append(["Total", *[None] * (len(header) - 2), total])
    write_xlsx(path, {"Spend": sheet})


def write_xlsx_2021(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """CCS XLSX of March 2021: three title rows, spend month as first-of-month dates."""
    write_ccs_xlsx(rows, path, tables, TITLE_ROWS_2021, HEADER_2021, invoice_dates=False)


def write_xlsx_2025(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """CCS XLSX of September 2025: one title row, invoice dates within the month."""
    write_ccs_xlsx(rows, path, tables, TITLE_ROWS_2025, HEADER_2025, invoice_dates=True)
