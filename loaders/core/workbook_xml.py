"""Facts of an XLSX/XLSM workbook that python-calamine does not give, read from its XML.

* **The 1904 date system.** ``<workbookPr date1904="1"/>`` in ``xl/workbook.xml`` (workbooks
  from old Mac Excel): serial numbers count days from 1 January 1904, not 1900. Date-formatted
  cells come back from python-calamine as the right dates; unformatted serial numbers do not,
  so extraction reads them on the workbook's calendar.
* **Error cells.** A cell whose formula failed (``<c t="e"><v>#REF!</v></c>``) reads as an
  empty cell in python-calamine 0.9, which would make ``#REF!`` spend look like missing spend.
  The sheet's XML is scanned for error cells (a byte search first, so sheets without any cost
  one pass of decompression) and their text is put back.

Anything unreadable here (not a zip, parts missing) gives the defaults: python-calamine reports
a broken workbook itself. XLS, XLSB and ODS files are not examined.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ERROR_MARKERS = (b't="e"', b"t='e'")
_CHUNK = 1 << 20
_REFERENCE = re.compile(r"^([A-Z]{1,3})(\d+)$")
_UNREADABLE = (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError)


def cell_position(reference: str) -> tuple[int, int] | None:
    """0-based (row, column) of an A1-style cell reference (``K4`` -> ``(3, 10)``)."""
    match = _REFERENCE.match(reference)
    if not match:
        return None
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match[2]) - 1, column - 1


def _has_error_cells(archive: zipfile.ZipFile, part: str) -> bool:
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            seam = tail + chunk[:8]  # a marker cut between two chunks
            if any(m in chunk or m in seam for m in _ERROR_MARKERS):
                return True
            tail = chunk[-8:]
    return False


def _error_cells(archive: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    with archive.open(part) as stream:
        for _, element in ElementTree.iterparse(stream):
            if element.tag != f"{MAIN}c":
                continue
            if element.get("t") == "e":
                position = cell_position(element.get("r") or "")
                value = element.find(f"{MAIN}v")
                if position is not None and value is not None and value.text:
                    found[position] = value.text.strip()
            element.clear()
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its cells."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") or "" for r in relations}
    parts = {}
    for sheet in workbook.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(RELATIONSHIP), "")
        if target:
            parts[sheet.get("name") or ""] = (
                target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            )
    return parts


@dataclass
class XlsxFacts:
    """The 1904 flag of a workbook and, sheet by sheet on demand, its error cells."""

    date1904: bool = False
    archive: zipfile.ZipFile | None = None
    parts: dict[str, str] = field(default_factory=dict)

    def error_cells(self, sheet: str) -> dict[tuple[int, int], str]:
        """0-based (row, column) -> error text (``#N/A``) of the sheet named ``sheet``."""
        part = self.parts.get(sheet)
        if self.archive is None or part is None:
            return {}
        try:
            if not _has_error_cells(self.archive, part):
                return {}
            return _error_cells(self.archive, part)
        except _UNREADABLE:
            return {}


def xlsx_facts(data: bytes) -> XlsxFacts:
    """The facts of the workbook whose bytes are ``data`` (defaults if it is not XLSX/XLSM)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        properties = workbook.find(f"{MAIN}workbookPr")
        flag = (properties.get("date1904") or "") if properties is not None else ""
        return XlsxFacts(
            date1904=flag.strip().lower() in ("1", "true"),
            archive=archive,
            parts=_sheet_parts(archive),
        )
    except _UNREADABLE:
        return XlsxFacts()
