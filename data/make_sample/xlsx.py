"""Writing XLSX workbooks with fixed properties and zip timestamps (byte-identical runs)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from data.make_sample.settings import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    FIXED_TIMESTAMP,
    XLSX_CREATOR,
    XLSX_TITLE,
    ZIP_TIMESTAMP,
)


def xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    """What to append for one value: dates get a dd/mm/yyyy format (with the time for
    datetimes), and text that starts with ``=`` stays text (not an openpyxl formula)."""
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        return cell
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    """Write rows of plain values (``None`` = empty cell, ``[]`` = blank row), one sheet per
    entry, with openpyxl in write-only mode; fixed properties and zip timestamps make the
    file byte-identical run to run."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = XLSX_TITLE
    workbook.properties.creator = XLSX_CREATOR
    workbook.properties.created = FIXED_TIMESTAMP
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl stamps "modified" with the current time: reset it
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
