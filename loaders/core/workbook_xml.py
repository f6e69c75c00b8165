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

A sheet's XML is scanned for error and formula cells only when asked (``cells``): one pass of
decompression and literal byte searches; only the cells that carry a marker are parsed.
Transitional and Strict Open XML (``http://purl.oclc.org/ooxml/...`` namespaces) read alike:
elements and attributes are matched by their local names. Anything unreadable here (not a zip,
parts missing) gives the defaults: python-calamine reports a broken workbook itself. XLS, XLSB
and ODS files are not examined.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

from openpyxl.formula.translate import Translator, TranslatorError

WORKBOOK_PART = "xl/workbook.xml"
_OFFICE_DOCUMENT = re.compile(r"/officeDocument$")
# What marks an error cell (``t="e"``) or a formula (``<f>``, ``<f t="shared" .../>``, with or
# without a namespace prefix) in a sheet's XML.
_MARKER_LITERALS = (b't="e"', b"t='e'", b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")
_SEAM = 8  # bytes searched again after a chunk's limit: no marker is longer
_CHUNK = 1 << 22
_CELL_MAX = 1 << 18  # a cell's XML is never longer (a formula and a text value at Excel's limits)
_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL_CLOSE = re.compile(rb"</(?:\w+:)?c>")
_PREFIX = re.compile(rb"<(/?)\w+:")
_ATTRIBUTE_PREFIX = re.compile(rb"\s(?!xml:)\w+:(\w+)=")
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


def _markers(buffer: bytes, start: int, end: int) -> Iterator[int]:
    """Positions of the markers of error and formula cells in ``buffer[start:end]``, in
    order. Literal searches (each occurrence found once): several times faster than one
    regular expression over a large sheet."""
    upcoming = {literal: buffer.find(literal, start, end) for literal in _MARKER_LITERALS}
    while live := [(at, literal) for literal, at in upcoming.items() if at >= 0]:
        at, literal = min(live)
        yield at
        upcoming[literal] = buffer.find(literal, at + 1, end)


def _cell_around(buffer: bytes, marker: int) -> tuple[int, int] | None:
    """Start and end (in ``buffer``) of the cell element holding the byte at ``marker``, or
    ``None`` when it is not wholly inside the buffer. The start is the nearest ``<c`` tag
    before the marker (found by stepping back over ``<``, a handful in a cell)."""
    low, position = max(0, marker - _CELL_MAX), marker
    while (position := buffer.rfind(b"<", low, position)) >= 0:
        if _CELL_START.match(buffer, position):
            break
    else:
        return None
    tag_end = buffer.find(b">", position, marker + _CELL_MAX)
    if tag_end < 0:
        return None
    if buffer[tag_end - 1 : tag_end] == b"/":  # a cell with no content: the tag is the cell
        return (position, tag_end + 1) if marker < tag_end else None
    close = _CELL_CLOSE.search(buffer, marker, marker + _CELL_MAX)
    return (position, close.end()) if close else None


def _cell_element(snippet: bytes) -> ElementTree.Element:
    """One cell element parsed alone (namespace prefixes of elements and attributes dropped:
    names are matched by their local part anyway)."""
    return ElementTree.fromstring(_ATTRIBUTE_PREFIX.sub(rb" \1=", _PREFIX.sub(rb"<\1", snippet)))


def _scan(archive: zipfile.ZipFile, part: str) -> CellScan:
    """Every error cell and formula cell of a sheet part. Only the cells that carry a marker
    (``t="e"``, ``<f``) are parsed: literal searches find them in the decompressed bytes,
    chunk by chunk, so a large sheet with a few formulas costs one pass of decompression and
    search, not a parse of every cell."""
    scan, shared = CellScan(), _SharedFormulas()
    buffer, offset, done = b"", 0, 0  # the buffer starts at byte ``offset`` of the part
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            buffer += chunk
            limit = len(buffer) if not chunk else max(len(buffer) - _CELL_MAX, 0)
            position = max(done - offset, 0)
            for marker in _markers(buffer, position, limit):
                if marker < position:  # inside a cell already read
                    continue
                found = _cell_around(buffer, marker)
                position = found[1] if found else marker + 1
                if found:
                    try:
                        element = _cell_element(buffer[found[0] : found[1]])
                    except ElementTree.ParseError:
                        continue
                    _scan_cell(element, scan, shared)
            done = offset + max(position, limit - _SEAM)  # a marker may straddle the limit
            if not chunk:
                break
            keep = max(len(buffer) - 2 * _CELL_MAX, 0)
            buffer, offset = buffer[keep:], offset + keep
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
