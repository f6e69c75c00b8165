"""Read a published spend file into rows of raw cell values.

CSV files are decoded as UTF-8 (with or without BOM) or, failing that, cp1252 / ISO-8859-1,
with CR, LF or CRLF line endings. Workbooks (XLSX, XLSM, XLS, ODS) are read with
python-calamine, every sheet in order, keeping empty leading rows so that row numbers are the
ones a spreadsheet user sees.

Each sheet says whether the workbook shows it (``state``: ``visible``, ``hidden`` or
``veryHidden``). A cell merged over several rows holds its value in its top cell only; the
value is written into every row the merge spans (in the merge's first column: a merge across
columns of one row is a heading or a note, not a value of each column), and the cells so filled
are counted (``Sheet.merged_cells_filled``).

A workbook whose sheets hold more than :data:`MAX_SHEET_BYTES` uncompressed (the sheet XML
and shared strings of an XLSX, ``content.xml`` of an ODS, the file itself for an XLS) is
refused before python-calamine opens it: python-calamine aborts the whole process when an
allocation fails (a Rust abort, no Python error to catch; measured: a 71 MB XLSX holding
1.1 GB of sheet XML killed the ingest with SIGABRT under a 1, 2 and 3 GB memory limit).

Facts python-calamine does not give are read from an XLSX/XLSM workbook's own XML
(:mod:`loaders.core.workbook_xml`): whether it is on the 1904 date system (its unformatted serial
numbers then count from 1904), and, on demand (``Sheet.cells``), its error cells (``#REF!``,
``#N/A``...) and its formulas without a cached value, which python-calamine reads as empty
cells; ``Sheet.other_sheet`` gives the rows of another sheet of the workbook, for formulas that
refer to it.
"""

from __future__ import annotations

import csv
import gc
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import python_calamine

from loaders.core.errors import LoaderInputError
from loaders.core.workbook_xml import CellScan, XlsxFacts, xlsx_facts

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
SPREADSHEET_SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
VISIBLE = "visible"
# Sheet data (uncompressed) python-calamine is given at most: about a million rows of a CCS
# release (a 270,000-row workbook holds about 150 MB); the largest real release holds 15,000.
MAX_SHEET_BYTES = 512 * 1024 * 1024
_SHEET_PARTS = re.compile(
    r"^(?:xl/worksheets/[^/]+|xl/sharedStrings\.(?:xml|bin)|content\.xml)$", re.IGNORECASE
)
_STATES = (  # python-calamine's visibility (not hashable) -> the sheet's state in the XML
    (python_calamine.SheetVisibleEnum.Visible, VISIBLE),
    (python_calamine.SheetVisibleEnum.Hidden, "hidden"),
    (python_calamine.SheetVisibleEnum.VeryHidden, "veryHidden"),
)


def _state(visible: object) -> str:
    return next((state for enum, state in _STATES if visible == enum), VISIBLE)


@dataclass(frozen=True)
class Sheet:
    """The raw rows of one sheet (or of a CSV file), row 0 being spreadsheet row 1."""

    name: str | None
    rows: list[list[object]]
    encoding: str | None = None
    date1904: bool = False  # a workbook on the 1904 date system
    state: str = VISIBLE  # visible, hidden or veryHidden (a sheet the workbook does not show)
    merged_cells_filled: int = 0  # empty cells given the value of the merged cell above them
    # the sheet's error cells and formulas without a value, read when asked for
    cells: Callable[[], CellScan] | None = field(default=None, compare=False, repr=False)
    # the rows of another sheet of the workbook by name (None if there is no such sheet)
    other_sheet: Callable[[str], list[list[object]] | None] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def shown(self) -> bool:
        """Whether the workbook shows this sheet (a CSV file is always shown)."""
        return self.state == VISIBLE


def is_workbook(path: Path, head: bytes) -> bool:
    """Whether ``path`` is a workbook, by its first bytes or, failing that, its suffix."""
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return True
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes, detecting the encoding; returns ``(text, encoding)``."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "iso-8859-1"


def _delimiter(text: str) -> str:
    sample = "\n".join(text[:20000].splitlines()[:20])
    counts = {d: sample.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def read_csv_rows(path: Path, data: bytes) -> Sheet:
    """Split CSV bytes into rows of text cells."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoaderInputError(path, "is not a text spreadsheet (binary content)")
    text, encoding = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        rows: list[list[object]] = [list(r) for r in reader]
    except csv.Error as exc:
        raise LoaderInputError(path, f"cannot be read as CSV: {exc}", row=reader.line_num) from exc
    return Sheet(name=None, rows=rows, encoding=encoding)


def fill_merged_cells(rows: list[list[object]], merged: list) -> int:
    """Write each merged cell's value into every row it spans (in its first column), where
    python-calamine left the cell empty; returns how many cells were filled.

    ``merged`` holds python-calamine's ranges, ``((first_row, first_column), (last_row,
    last_column))``, 0-based like ``rows``.
    """
    filled = 0
    for (top, column), (bottom, _) in merged:
        if bottom <= top or top >= len(rows) or column >= len(rows[top]):
            continue
        value = rows[top][column]
        for row in rows[top + 1 : bottom + 1]:
            if column < len(row) and row[column] in ("", None) and value not in ("", None):
                row[column] = value
                filled += 1
    return filled


def sheet_bytes(path: Path) -> int:
    """How many bytes of sheet data a workbook holds uncompressed: its sheets' parts and
    shared strings for a zip workbook (XLSX, XLSM, XLSB, ODS), its size for any other (0 for
    a zip archive that cannot be read: opening it says why)."""
    with path.open("rb") as handle:
        zipped = handle.read(4) == _ZIP_MAGIC
    if not zipped:
        return path.stat().st_size
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(i.file_size for i in archive.infolist() if _SHEET_PARTS.match(i.filename))
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0


def check_sheet_bytes(path: Path, limit: int | None = None) -> None:
    """Refuse a workbook holding more sheet data than ``limit`` (default
    :data:`MAX_SHEET_BYTES`), before anything reads it. Raises
    :class:`~loaders.core.errors.LoaderInputError`."""
    limit = MAX_SHEET_BYTES if limit is None else limit
    size = sheet_bytes(path)
    if size > limit:
        raise LoaderInputError(
            path,
            f"holds {size:,} bytes of sheet data uncompressed, over the {limit:,} the loaders "
            "read (reading it could exhaust memory): split it, or save its sheets as CSV",
        )


class _Workbook:
    """An open workbook whose sheets are read once each, in any order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        check_sheet_bytes(path)
        try:
            self.book = python_calamine.CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises several types for broken archives
            raise LoaderInputError(
                path, f"is not a readable workbook (truncated or corrupt?): {exc}"
            ) from exc
        self.read: dict[str, tuple[list[list[object]], int]] = {}

    def sheet(self, name: str) -> tuple[list[list[object]], int]:
        """The rows of sheet ``name``, merged cells filled, and how many cells were filled."""
        if name not in self.read:
            try:
                sheet = self.book.get_sheet_by_name(name)
                rows = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges or []
            except Exception as exc:
                raise LoaderInputError(
                    self.path, f"sheet {name!r} cannot be read (corrupt workbook?): {exc}"
                ) from exc
            self.read[name] = (rows, fill_merged_cells(rows, merged))
        return self.read[name]

    def other_sheet(self, name: str) -> list[list[object]] | None:
        """The rows of the sheet called ``name`` (case ignored, as Excel does), if any."""
        found = next((n for n in self.book.sheet_names if n.upper() == name.upper()), None)
        return None if found is None else self.sheet(found)[0]


def iter_workbook_sheets(path: Path, data: bytes | None = None) -> Iterator[Sheet]:
    """Yield every sheet of a workbook, visible sheets first, in workbook order.

    ``data`` (the workbook's bytes) lets the XML facts of an XLSX/XLSM workbook be read:
    the 1904 date system, and error cells and formulas without a value when asked for.
    """
    facts = xlsx_facts(data) if data is not None else XlsxFacts()
    workbook = _Workbook(path)
    states = {m.name: _state(m.visible) for m in workbook.book.sheets_metadata}
    names = workbook.book.sheet_names
    ordered = [n for n in names if states.get(n) == VISIBLE]
    ordered += [n for n in names if states.get(n) != VISIBLE]
    for name in ordered:
        rows, filled = workbook.sheet(name)
        cells = partial(facts.cells, name) if facts.archive is not None else None
        yield Sheet(
            name=name,
            rows=rows,
            date1904=facts.date1904,
            state=states.get(name, VISIBLE),
            merged_cells_filled=filled,
            cells=cells,
            other_sheet=workbook.other_sheet,
        )


def read_file(path: Path) -> bytes:
    """The bytes of a spend file; raise for missing, folder or empty paths."""
    if not path.exists():
        raise LoaderInputError(path, "no such file")
    if path.is_dir():
        raise LoaderInputError(path, "is a folder, not a file")
    data = path.read_bytes()
    if not data.strip():
        raise LoaderInputError(path, "is empty")
    return data


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a sheet's rows are built and unpacked.

    Reading a sheet allocates one list per row and nothing that forms reference cycles;
    left on, the collector re-scans those hundreds of thousands of lists several times
    (measured: a third of ``pd.read_excel``'s time on a 270,000-row workbook).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def iter_sheets(path: Path, data: bytes | None = None) -> Iterator[Sheet]:
    """Yield the sheets of a spend file (one for CSV); ``data`` is its bytes if already read."""
    data = read_file(path) if data is None else data
    if is_workbook(path, data[:8]):
        yield from iter_workbook_sheets(path, data)
    else:
        yield read_csv_rows(path, data)
