"""Workbooks written part by part, XML by hand, to reproduce what spreadsheet programs and
scripts write and openpyxl cannot: Strict Open XML namespaces, error cells, formulas stored
without a value (shared ones too), hidden and very hidden sheets, merged cells."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

TRANSITIONAL = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
)
STRICT = ("http://purl.oclc.org/ooxml/spreadsheetml/main",
          "http://purl.oclc.org/ooxml/officeDocument/relationships")  # fmt: skip
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def column_letters(index: int) -> str:
    """``0`` -> ``A``, ``26`` -> ``AA``."""
    letters, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Formula:
    """A formula cell; ``cached`` is its stored result (``None``: none, as scripts write)."""

    text: str  # without the leading '='
    cached: float | None = None
    shared: tuple[str, str] | None = None  # (si, ref of the master's range) or (si, "") for a child


@dataclass(frozen=True)
class Error:
    """An error cell (``#REF!``)."""

    text: str


@dataclass
class SheetPart:
    """A sheet: its name, rows of cells, state and merged ranges (``A2:A4``)."""

    name: str
    rows: list[list[object]]
    state: str = "visible"
    merges: list[str] = field(default_factory=list)


def _cell(reference: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Formula):
        attributes = ""
        if value.shared is not None:
            si, ref = value.shared
            attributes = f' t="shared" si="{si}"' + (f' ref="{ref}"' if ref else "")
        body = escape(value.text) if not (value.shared and not value.shared[1]) else ""
        formula = f"<f{attributes}>{body}</f>" if body else f"<f{attributes}/>"
        cached = "<v/>" if value.cached is None else f"<v>{value.cached}</v>"
        return f'<c r="{reference}">{formula}{cached}</c>'
    if isinstance(value, Error):
        return f'<c r="{reference}" t="e"><v>{escape(value.text)}</v></c>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{reference}" t="n"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _sheet_xml(sheet: SheetPart, main: str) -> str:
    rows = []
    for r, row in enumerate(sheet.rows, start=1):
        cells = "".join(_cell(f"{column_letters(c)}{r}", v) for c, v in enumerate(row))
        rows.append(f'<row r="{r}">{cells}</row>')
    merges = "".join(f'<mergeCell ref="{m}"/>' for m in sheet.merges)
    merged = f'<mergeCells count="{len(sheet.merges)}">{merges}</mergeCells>' if merges else ""
    return f'<worksheet xmlns="{main}"><sheetData>{"".join(rows)}</sheetData>{merged}</worksheet>'


def write_workbook(
    path: Path, sheets: list[SheetPart], *, strict: bool = False, date1904: bool = False
) -> Path:
    """Write ``sheets`` as an XLSX workbook, Strict or Transitional, on either date system."""
    main, relationships = STRICT if strict else TRANSITIONAL
    kind = relationships  # relationship types live under the relationships namespace
    listed = "".join(
        f'<sheet name="{escape(s.name)}" sheetId="{i}" state="{s.state}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    flag = ' date1904="1"' if date1904 else ""
    workbook = (
        f'<workbook xmlns="{main}" xmlns:r="{relationships}"'
        + (' conformance="strict"' if strict else "")
        + f"><workbookPr{flag}/><sheets>{listed}</sheets></workbook>"
    )
    targets = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
            f'Type="{kind}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE}">{targets}</Relationships>',
        )
        for i, sheet in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(sheet, main))
    return path
