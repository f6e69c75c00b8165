"""Facts of an XLSX/XLSM workbook that python-calamine does not give, read from its XML.

* **The 1904 date system.** ``<workbookPr date1904="1"/>`` in the workbook part (workbooks
  from old Mac Excel): serial numbers count days from 1 January 1904, not 1900. Date-formatted
  cells come back from python-calamine as the right dates; unformatted serial numbers do not,
  so extraction reads them on the workbook's calendar.
* **Error cells.** A cell whose formula failed (``<c t="e"><v>#REF!</v></c>``) reads as an
  empty cell in python-calamine 0.9, which would make ``#REF!`` spend look like missing spend.
* **Formulas without a value.** A workbook written by a script (openpyxl, for one) stores a
  formula and no cached result (``<c><f>K2*L2</f><v/></c>``): python-calamine reads the cell as
  empty. Such formulas are listed (shared formulas written out for each cell they cover) so
  that :mod:`loaders.core.formula_values` can work out their results.

A sheet's XML is scanned for error and formula cells only when asked (``cells``), a byte search
first, so sheets without any cost one pass of decompression. Transitional and Strict Open XML
(``http://purl.oclc.org/ooxml/...`` namespaces) read alike: elements and attributes are matched
by their local names. Anything unreadable here (not a zip, parts missing) gives the defaults:
python-calamine reports a broken workbook itself. XLS, XLSB and ODS files are not examined.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from openpyxl.formula.translate import Translator, TranslatorError

WORKBOOK_PART = "xl/workbook.xml"
_OFFICE_DOCUMENT = re.compile(r"/officeDocument$")
_MARKERS = re.compile(rb"""t=["']e["']|<(?:\w+:)?f[\s>/]""")
_SEAM = 16  # bytes kept from one chunk to the next, so a marker cut in two is still found
_CHUNK = 1 << 20
_REFERENCE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
_UNREADABLE = (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError)


def local_name(tag: str) -> str:
    """An element's or attribute's name without its namespace (``{ns}sheet`` -> ``sheet``)."""
    return tag.rsplit("}", 1)[-1]


def _attribute(element: ElementTree.Element, name: str) -> str | None:
    """The attribute called ``name`` in any namespace (``r:id`` is Transitional or Strict)."""
    for key, value in element.attrib.items():
        if local_name(key) == name:
            return value
    return None


def cell_position(reference: str) -> tuple[int, int] | None:
    """0-based (row, column) of an A1-style cell reference (``K4`` -> ``(3, 10)``)."""
    match = _REFERENCE.match(reference.upper())
    if not match:
        return None
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match[2]) - 1, column - 1


def cell_reference(row: int, column: int) -> str:
    """The A1-style reference of a 0-based (row, column) (``(3, 10)`` -> ``K4``)."""
    letters, number = "", column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


def _has_markers(archive: zipfile.ZipFile, part: str) -> bool:
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            if _MARKERS.search(tail + chunk):
                return True
            tail = chunk[-_SEAM:]
    return False


@dataclass
class CellScan:
    """What a sheet's XML holds that python-calamine does not read: 0-based (row, column) ->
    error text (``#N/A``) of its error cells, and -> formula (``=K2*L2``) of its formula
    cells that have no cached value."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    return next((c for c in element if local_name(c.tag) == name), None)


@dataclass
class _SharedFormulas:
    """Masters of shared formulas (``<f t="shared" si="0">``) and the cells reusing them."""

    masters: dict[str, tuple[str, str]] = field(default_factory=dict)  # si -> (formula, cell)
    waiting: list[tuple[tuple[int, int], str, str]] = field(default_factory=list)

    def written_out(self) -> dict[tuple[int, int], str]:
        """The formula of each cell reusing a master, moved to that cell."""
        out = {}
        for position, si, reference in self.waiting:
            if si in self.masters:
                formula, origin = self.masters[si]
                try:
                    out[position] = Translator(formula, origin=origin).translate_formula(reference)
                except TranslatorError:
                    out[position] = formula
        return out


def _scan_cell(element, scan: CellScan, shared: _SharedFormulas) -> None:
    reference = element.get("r") or ""
    position = cell_position(reference)
    if position is None:
        return
    value = _child(element, "v")
    text = value.text.strip() if value is not None and value.text else ""
    if element.get("t") == "e" and text:
        scan.errors[position] = text
    formula = _child(element, "f")
    if formula is None:
        return
    body = "=" + formula.text.strip() if formula.text and formula.text.strip() else ""
    si = formula.get("si")
    if formula.get("t") == "shared" and si is not None and body:
        shared.masters[si] = (body, reference)
    if text:
        return
    if body:
        scan.formulas[position] = body
    elif si is not None:
        shared.waiting.append((position, si, reference))


def _scan(archive: zipfile.ZipFile, part: str) -> CellScan:
    scan, shared = CellScan(), _SharedFormulas()
    with archive.open(part) as stream:
        for _, element in ElementTree.iterparse(stream):
            if local_name(element.tag) == "c":
                _scan_cell(element, scan, shared)
                element.clear()
    scan.formulas.update(shared.written_out())
    return scan


def _workbook_part(archive: zipfile.ZipFile) -> str:
    """The workbook part named by the package relationships (``xl/workbook.xml`` usually)."""
    try:
        relations = ElementTree.fromstring(archive.read("_rels/.rels"))
    except _UNREADABLE:
        return WORKBOOK_PART
    for relation in relations:
        if _OFFICE_DOCUMENT.search(relation.get("Type") or ""):
            return (relation.get("Target") or WORKBOOK_PART).lstrip("/")
    return WORKBOOK_PART


def _relations_part(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _sheet_parts(archive: zipfile.ZipFile, part: str, workbook) -> dict[str, str]:
    """Sheet name -> the zip member holding its cells."""
    relations = ElementTree.fromstring(archive.read(_relations_part(part)))
    targets = {r.get("Id"): r.get("Target") or "" for r in relations}
    folder = part.rpartition("/")[0]
    parts = {}
    for sheet in workbook.iter():
        if local_name(sheet.tag) != "sheet":
            continue
        target = targets.get(_attribute(sheet, "id"), "")
        if target:
            parts[sheet.get("name") or ""] = (
                target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")
            )
    return parts


def _flag(workbook: ElementTree.Element, element: str, attribute: str) -> bool:
    found = next((e for e in workbook.iter() if local_name(e.tag) == element), None)
    value = (found.get(attribute) or "") if found is not None else ""
    return value.strip().lower() in ("1", "true")


@dataclass
class XlsxFacts:
    """The 1904 flag of a workbook and, sheet by sheet on demand, its error and formula cells."""

    date1904: bool = False
    archive: zipfile.ZipFile | None = None
    parts: dict[str, str] = field(default_factory=dict)

    def cells(self, sheet: str) -> CellScan:
        """The error cells and the formulas without a value of the sheet named ``sheet``."""
        part = self.parts.get(sheet)
        if self.archive is None or part is None:
            return CellScan()
        try:
            if not _has_markers(self.archive, part):
                return CellScan()
            return _scan(self.archive, part)
        except _UNREADABLE:
            return CellScan()

    def error_cells(self, sheet: str) -> dict[tuple[int, int], str]:
        """0-based (row, column) -> error text (``#N/A``) of the sheet named ``sheet``."""
        return self.cells(sheet).errors


def xlsx_facts(data: bytes) -> XlsxFacts:
    """The facts of the workbook whose bytes are ``data`` (defaults if it is not XLSX/XLSM)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        part = _workbook_part(archive)
        workbook = ElementTree.fromstring(archive.read(part))
        return XlsxFacts(
            date1904=_flag(workbook, "workbookPr", "date1904"),
            archive=archive,
            parts=_sheet_parts(archive, part, workbook),
        )
    except _UNREADABLE:
        return XlsxFacts()
