"""Writers of the four historical CSV layouts (2013, 2014, 2017 GOV.UK, December 2017),
each with its exact header, encoding, line ends and text formats.

The headers stay here, beside the code that fills each column in the same order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from data.make_sample.publish import lot_lookup
from data.make_sample.settings import (
    BRACKET_NEGATIVE_SHARE,
    EXCEL_EPOCH,
    POUND_TEXT_SHARE_DEC2017,
    SERIAL_MONTH_SHARE,
    STRAY_MONTH_SHARE,
)
from data.make_sample.tables import Tables

# fmt: off
HEADER_2013 = ("Framework", "Lot", "Supplier", "Customer", "For_Month",
               "Product_Service_Description", "Total_Charge")
HEADER_2014 = ("ID", "Framework", "LotDescription", "SupplierName", "CustomerName",
               "ReturnMonth", "ProjectNameAndDescription", "EvidencedSpend", "Sector",
               "SMEorLarge")
HEADER_2017 = ("Framework", "Lot", "Supplier", "Customer Sector", "Customer Name",
               "Product/Service Description", "Return Month", "Evidenced Spend", "SME Status")
HEADER_DEC2017 = ("Sector", "Lot", "Month", "Spend", "SME Status", "Supplier", "Customer",
                  "Framework")
# fmt: on


def plain_number(amount: float) -> str:
    """Format like ``1234.5`` (no thousands separator, no trailing zeros)."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def pound_text(amount: float, brackets: bool) -> str:
    """Format like ``£1,234.56``; negatives as ``(£1,234.56)`` or ``-£1,234.56``."""
    text = f"£{abs(amount):,.2f}"
    if amount >= 0:
        return text
    return f"({text})" if brackets else f"-{text}"


def excel_serial(day: date) -> int:
    """Excel serial day number of a date."""
    return (day - EXCEL_EPOCH).days


def lot_label_2013(framework: dict, lot: int, lot_name: str) -> str:
    """Lot label in the 2013 layout: ``Lot N`` or the lot name, by framework iteration."""
    return f"Lot {lot}" if framework["lot_style_2013"] == "number" else lot_name


def write_csv(
    path: Path, header: Sequence[str], rows: list[list], encoding: str, line_end: str
) -> None:
    """Write a CSV file with an exact encoding and line terminator."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_csv_2013(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """2013 layout: UTF-8, LF, no sector or SME, stray characters after some months."""
    frameworks = tables.sources.frameworks.to_dict("index")
    names = lot_lookup(tables.sources.lots, "lot_name")
    strays = tables.sources.releases.stray_month_suffixes
    out = []
    for row in rows.itertuples():
        framework = frameworks[row.framework]
        month = row.date.strftime("%d/%m/%Y")
        if row.random < STRAY_MONTH_SHARE:
            month += strays[int(row.random * 1000) % len(strays)]
        out.append(
            [
                framework["label_2013"],
                lot_label_2013(framework, row.lot, names[(row.lot_scheme, row.lot)]),
                row.supplier_name,
                row.customer_name,
                month,
                row.description,
                plain_number(row.amount),
            ]
        )
    write_csv(path, HEADER_2013, out, "utf-8", "\n")


def write_csv_2014(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """2014 layout: cp1252, CR-only lines, Framework always ``G-Cloud``, lot numbers."""
    out = [
        [
            i,
            "G-Cloud",
            row.lot,
            row.supplier_name,
            row.customer_name,
            row.date.isoformat(),
            row.description,
            plain_number(row.amount),
            row.sector,
            "SME" if row.is_sme else "Large",
        ]
        for i, row in enumerate(rows.itertuples(), start=1)
    ]
    write_csv(path, HEADER_2014, out, "cp1252", "\r")


def write_csv_2017(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """2017 GOV.UK layout: UTF-8 BOM, CRLF, mixed month formats, ``£`` text amounts."""
    frameworks = tables.sources.frameworks["label_2017"].to_dict()
    names = lot_lookup(tables.sources.lots, "lot_name")
    out = []
    for row in rows.itertuples():
        serial = row.random < SERIAL_MONTH_SHARE
        month = str(excel_serial(row.date)) if serial else row.date.strftime("%d/%m/%y")
        brackets = row.txn_id % 100 < BRACKET_NEGATIVE_SHARE * 100
        amount = pound_text(row.amount, brackets=brackets)
        out.append(
            [
                frameworks[row.framework],
                names[(row.lot_scheme, row.lot)],
                row.supplier_name,
                row.sector,
                row.customer_name,
                row.description,
                month,
                amount,
                "SME" if row.is_sme else "Large",
            ]
        )
    write_csv(path, HEADER_2017, out, "utf-8-sig", "\r\n")


def write_csv_dec2017(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """December 2017 layout: cp1252, CRLF, ``Jan-17`` months; DOS file has no Framework."""
    frameworks = tables.sources.frameworks["label_dec2017"].to_dict()
    labels = lot_lookup(tables.sources.lots, "label_dec2017")
    with_framework = rows["family"].eq("G-Cloud").all()
    header = HEADER_DEC2017 if with_framework else HEADER_DEC2017[:-1]
    out = []
    for row in rows.itertuples():
        as_text = row.random < POUND_TEXT_SHARE_DEC2017
        spend = pound_text(row.amount, brackets=False) if as_text else f"{row.amount:.2f}"
        line = [
            row.sector,
            labels[(row.lot_scheme, row.lot)],
            row.date.strftime("%b-%y"),
            spend,
            "SME" if row.is_sme else "Large",
            row.supplier_name,
            row.customer_name,
        ]
        if with_framework:
            line.append(frameworks[row.framework])
        out.append(line)
    write_csv(path, header, out, "cp1252", "\r\n")
