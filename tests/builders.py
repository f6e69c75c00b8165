"""Small files that reproduce one quirk of the published releases each."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl

from loaders.core.vocabulary import REFERENCE_DIR


def layout_headers(layout: str) -> list[str]:
    """The headers of a layout, as ``data/reference/layouts.csv`` lists them (fixtures are
    built from the reference data the loaders read, never retyped)."""
    with (REFERENCE_DIR / "layouts.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["layout"]: row["headers"].split("|") for row in csv.DictReader(handle)}
    return rows[layout]


HEADER_2013 = layout_headers("2013 GDS CSV")
HEADER_2014 = layout_headers("2014 GDS CSV")
HEADER_2017 = layout_headers("2017 GOV.UK CSV")
HEADER_DEC2017 = layout_headers("Dec 2017 GOV.UK CSV")
HEADER_CCS = layout_headers("CCS XLSX (spend month)")
HEADER_CCS_INVOICE = layout_headers("CCS XLSX (invoice date)")


def csv_text(rows: list[list[object]]) -> str:
    """Rows as CSV text with LF line endings."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_csv(
    path: Path, rows: list[list[object]], encoding: str = "utf-8", newline: str = "\n"
) -> Path:
    """Write ``rows`` as CSV in ``encoding`` with the given line ending."""
    text = csv_text(rows).replace("\n", newline)
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], sheet: str = "Spend") -> Path:
    """Write ``rows`` to a one-sheet workbook (``None`` cells stay empty)."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


def rows_2014(*data: tuple) -> list[list[object]]:
    """A 2014-style file from (lot, supplier, customer, month, spend, sector, sme) items."""
    out: list[list[object]] = [HEADER_2014]
    for number, (lot, supplier, customer, month, spend, sector, sme) in enumerate(data, 1):
        out.append([number, "G-Cloud", lot, supplier, customer, month, "desc", spend, sector, sme])
    return out


def ccs_rows(
    data: list[list[object]], title: bool = True, total: bool = True
) -> list[list[object]]:
    """A CCS workbook: title rows, the header, ``data`` and a blank row and a Total row."""
    out: list[list[object]] = []
    if title:
        out += [["Crown Commercial Service"], ["Digital Marketplace spend"], []]
    out.append(HEADER_CCS)
    out += data
    if total:
        spend = sum(r[10] for r in data if isinstance(r[10], (int, float)))
        out += [[], ["Total", None, None, None, None, None, None, None, None, None, spend]]
    return out


def ccs_row(urn, customer, sector, supplier, sme, number, name, lot_no, lot, month, spend):
    """One data row of a CCS workbook."""
    return [urn, customer, sector, supplier, sme, number, name, lot_no, lot, month, spend]


FIRST = dt.datetime(2019, 4, 1)


URN_HEADER = [
    "URN", "Organisation Name", "Address Line 1", "Address Line 2", "Address Line 3", "County",
    "Country", "Post Code", "Sector", "Organisation Type",
]  # fmt: skip


def write_customer_list(
    path: Path, bodies, changes=(), merges=(), counties=None, inactive=()
) -> Path:
    """A customer list in the 2016 layout: ``bodies`` (urn, name, sector, organisation type),
    name changes (old, new, urn), merges (old, urn, name), status changes (old status, new
    status, urn, name: the ``Inactive`` sheet, newest first); ``counties`` maps a URN to its
    county."""
    workbook = openpyxl.Workbook()
    live = workbook.active
    live.title = "Live Customer URN List"
    live.append(URN_HEADER)
    for urn, name, sector, kind in bodies:
        county = (counties or {}).get(urn, "")
        live.append([urn, name, "", "", "", county, "England", "", sector, kind])
    renamed = workbook.create_sheet("Name Changes")
    renamed.append(["Field / Event", "Old Value", "New Value", "URN", "Edit Date"])
    for old, new, urn in changes:
        renamed.append(["Organisation Name", old, new, urn, ""])
    merged = workbook.create_sheet("Merges")
    merged.append(["Field / Event", "Old Value", "URN", "Organisation Name", "Edit Date"])
    for old, urn, name in merges:
        merged.append(["Organisation Merged", old, urn, name, ""])
    if inactive:
        sheet = workbook.create_sheet("Inactive")
        sheet.append(["Field / Event", "Old Value", "New Value", "URN", "Organisation Name",
                      "Edit Date"])  # fmt: skip
        for before, after, urn, name in inactive:
            sheet.append(["Status", before, after, urn, name, ""])
    workbook.save(path)
    return path


REGISTER_HEADER = "slug,title,abbreviation,format,status,closed_status,closed_at,successors,parents"


def write_register(path: Path, rows) -> Path:
    """A GOV.UK organisations register file as ``python -m loaders organisations`` writes it:
    provenance lines, then ``rows`` of (slug, title, abbreviation, format, status,
    closed_status, closed_at, successors, parents)."""
    lines = ["# GOV.UK organisations register (test)", "# licence: test", REGISTER_HEADER]
    lines += [",".join(f'"{v}"' for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
