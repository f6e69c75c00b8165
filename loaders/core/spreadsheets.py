"""Read a published spend file into rows of raw cell values.

CSV files are decoded as UTF-8 (with or without BOM) or, failing that, cp1252 / ISO-8859-1,
with CR, LF or CRLF line endings. Workbooks (XLSX, XLSM, XLS, ODS) are read with
python-calamine, every sheet in order, keeping empty leading rows so that row numbers are the
ones a spreadsheet user sees.

Two facts python-calamine does not give are read from an XLSX/XLSM workbook's own XML
(:mod:`loaders.core.workbook_xml`): whether it is on the 1904 date system (its unformatted serial
numbers then count from 1904), and, on demand (``Sheet.error_cells``), its error cells
(``#REF!``, ``#N/A``...), which python-calamine reads as empty cells.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import python_calamine

from loaders.core.errors import LoaderInputError
from loaders.core.workbook_xml import XlsxFacts, xlsx_facts

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
SPREADSHEET_SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class Sheet:
    """The raw rows of one sheet (or of a CSV file), row 0 being spreadsheet row 1."""

    name: str | None
    rows: list[list[object]]
    encoding: str | None = None
    date1904: bool = False  # a workbook on the 1904 date system
    # 0-based (row, column) -> error text of the sheet's error cells, read when asked for
    error_cells: Callable[[], dict[tuple[int, int], str]] | None = field(
        default=None, compare=False, repr=False
    )


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


def iter_workbook_sheets(path: Path, data: bytes | None = None) -> Iterator[Sheet]:
    """Yield every sheet of a workbook, visible sheets first, in workbook order.

    ``data`` (the workbook's bytes) lets the XML facts of an XLSX/XLSM workbook be read:
    the 1904 date system, and error cells when asked for (a scan of the sheet's XML).
    """
    facts = xlsx_facts(data) if data is not None else XlsxFacts()
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for broken archives
        raise LoaderInputError(
            path, f"is not a readable workbook (truncated or corrupt?): {exc}"
        ) from exc
    names = workbook.sheet_names
    shown = python_calamine.SheetVisibleEnum.Visible
    visible = {m.name for m in workbook.sheets_metadata if m.visible == shown}
    ordered = [n for n in names if n in visible] + [n for n in names if n not in visible]
    for name in ordered:
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise LoaderInputError(
                path, f"sheet {name!r} cannot be read (corrupt workbook?): {exc}"
            ) from exc
        errors = partial(facts.error_cells, name) if facts.archive is not None else None
        yield Sheet(name=name, rows=rows, date1904=facts.date1904, error_cells=errors)


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
