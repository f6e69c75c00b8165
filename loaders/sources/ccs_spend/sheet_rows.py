"""The data rows of one mapped sheet as coded columns, by canonical field.

Each column is factorised once (:class:`~loaders.core.parsing.Coded`); everything read from it
afterwards (blank, text, amount, month, names) is worked out per distinct value. Excel error
values (``#REF!``, ``#N/A``) are counted per column; in the columns a row cannot be loaded
without (spend and month) they stay, so that the row is quarantined as an Excel error; in
any other column they read as empty (a ``#N/A`` sector is an unknown sector, never a sector
called ``#N/A``). CSV files hold them as text; a workbook's error cells, which
python-calamine reads as empty, are looked up in its XML only when a data row (not a blank,
note or Total row) has an empty spend, month, customer or supplier cell: the only cells whose
outcome an error or a formula changes. A costly scan of a large sheet is skipped otherwise,
and errors elsewhere, read as empty either way, are then not counted.

The same scan finds formulas stored without a value (a workbook written by a script): each
one in a mapped column is worked out (:mod:`loaders.core.formula_values`) and its result put in
the cell; one that cannot be worked out stays as :class:`~loaders.core.formula_values.
Unevaluated` (the formula), which quarantines its row. Both are counted per column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from loaders.core.formula_values import Unevaluated, formula_results
from loaders.core.parsing import Coded, is_excel_error
from loaders.core.spreadsheets import Sheet
from loaders.sources.ccs_spend.layout import MappedLayout

# Fields whose Excel errors quarantine the row (the others read as empty).
ERROR_KEEPING_FIELDS = frozenset({"spend", "month", "invoice_date"})
# Fields whose empty cells send a workbook's XML to be scanned for errors and formulas.
SCANNED_FIELDS = ERROR_KEEPING_FIELDS | {"customer", "supplier"}
EVALUATED, NOT_EVALUATED = "evaluated", "not evaluated"
NOTE_ROW_MAX_CELLS = 2  # a row with no more filled cells is a note, a Total or blank


@dataclass
class SheetRows:
    """Rows read from one sheet: raw cells by canonical field, plus row facts."""

    layout: MappedLayout
    raw: dict[str, Coded]  # canonical field -> its cells
    blank: np.ndarray  # every cell empty
    filled_cells: np.ndarray  # number of non-empty cells in the row
    source_row: np.ndarray  # 1-based spreadsheet row number
    date1904: bool = False  # the workbook counts serial numbers from 1904
    excel_errors: dict[str, dict[str, int]] = field(default_factory=dict)  # header -> value -> n
    # header -> evaluated / not evaluated -> formulas without a value in that column
    formulas: dict[str, dict[str, int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.source_row)

    def cells(self, name: str) -> Coded:
        """The cells of a canonical field, empty strings if the sheet has no such column."""
        return self.raw[name] if name in self.raw else Coded.constant("", len(self))

    def month_field(self) -> str:
        """The field holding the month of spend (``month``, else ``invoice_date``)."""
        return "month" if "month" in self.raw else "invoice_date"


def _blank_cell(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def is_empty(column: Coded) -> np.ndarray:
    """Cells that are missing, empty or only spaces (checked once per distinct value)."""
    floats = column.plain_floats()  # a number is never blank
    blank = np.zeros(len(column.uniques), dtype=bool)
    for position in np.flatnonzero(column.used_mask() & ~floats).tolist():
        blank[position] = _blank_cell(column.uniques[position])
    return blank[column.codes]


def _grid_columns(data: list[list[object]]) -> list[np.ndarray]:
    """The columns of rows of cells (CSV rows may be ragged: short rows padded with '')."""
    lengths = set(map(len, data))
    width = max(lengths, default=0)
    if len(lengths) > 1:
        data = [[*row, *([""] * (width - len(row)))] for row in data]
    grid = np.array(data, dtype=object).reshape(len(data), width)
    return [grid[:, index] for index in range(width)]


def _needs_scan(layout: MappedLayout, grid: list[np.ndarray]) -> bool:
    """Whether a data row (not a blank, note or Total row) has an empty cell in a column
    whose outcome an error or a formula changes."""
    needed = [grid[layout.columns[f]] for f in SCANNED_FIELDS if f in layout.columns]
    empty = np.zeros(len(grid[0]), dtype=bool)
    for column in needed:
        empty |= column == ""
    rows = np.flatnonzero(empty)
    filled = sum((column[rows] != "").astype(np.int64) for column in grid)
    return bool((np.asarray(filled) > NOTE_ROW_MAX_CELLS).any())


def _put_back_cells(
    sheet: Sheet, layout: MappedLayout, grid: list[np.ndarray]
) -> dict[str, dict[str, int]]:
    """Write a workbook's error cells (``#REF!``) and the results of its formulas without a
    value into the columns where python-calamine left them empty; returns, per header, how
    many formulas were evaluated and how many could not be."""
    if sheet.cells is None or not _needs_scan(layout, grid):
        return {}
    scan = sheet.cells()
    first, rows = layout.header_row + 1, len(grid[0])
    for (row, column), text in scan.errors.items():
        if row >= first and row - first < rows and column < len(grid):
            grid[column][row - first] = text
    headers = {index: layout.headers[name] for name, index in layout.columns.items()}

    def wanted(position: tuple[int, int]) -> bool:
        row, column = position
        return first <= row < first + rows and column in headers and column < len(grid)

    counts: dict[str, dict[str, int]] = {}
    results = formula_results(sheet.rows, scan.formulas, wanted, sheet.other_sheet)
    for (row, column), value in results.items():
        grid[column][row - first] = value
        outcome = NOT_EVALUATED if isinstance(value, Unevaluated) else EVALUATED
        seen = counts.setdefault(headers[column], {})
        seen[outcome] = seen.get(outcome, 0) + 1
    return counts


def _errors(column: Coded) -> tuple[dict[str, int], np.ndarray]:
    """Rows per Excel error value of a column, and which of its uniques are errors."""
    errors = np.zeros(len(column.uniques), dtype=bool)
    for position in np.flatnonzero(column.used_mask() & ~column.plain_floats()).tolist():
        errors[position] = is_excel_error(column.uniques[position])
    if not errors.any():
        return {}, errors
    rows = np.bincount(column.codes, minlength=len(column.uniques))
    counts: dict[str, int] = {}
    for position in np.flatnonzero(errors & (rows > 0)).tolist():
        value = str(column.uniques[position]).strip().upper()
        counts[value] = counts.get(value, 0) + int(rows[position])
    return counts, errors


def _without_errors(column: Coded, errors: np.ndarray) -> Coded:
    uniques = column.uniques.copy()
    uniques[errors] = ""
    return Coded(column.codes, uniques)


def sheet_rows(sheet: Sheet, layout: MappedLayout, supplier: str | None = None) -> SheetRows:
    """The data rows of ``sheet`` below its header, by canonical field.

    ``supplier`` fills the supplier of a sheet with no supplier column (a supplier's own
    return: see :func:`loaders.sources.ccs_spend.file_names.supplier_from_file_name`).
    """
    data = sheet.rows[layout.header_row + 1 :]
    grid = _grid_columns(data)
    formulas = _put_back_cells(sheet, layout, grid) if grid and len(data) else {}
    columns = [Coded.of(values) for values in grid]
    filled = np.zeros(len(data), dtype=np.int64)
    for column in columns:
        filled += ~is_empty(column)
    raw: dict[str, Coded] = {}
    found: dict[str, dict[str, int]] = {}
    for name, index in layout.columns.items():
        column = columns[index] if index < len(columns) else Coded.constant("", len(data))
        counts, errors = _errors(column)
        if counts:
            found[layout.headers[name]] = counts
            if name not in ERROR_KEEPING_FIELDS:
                column = _without_errors(column, errors)
        raw[name] = column
    if "supplier" not in raw and supplier:
        raw["supplier"] = Coded.constant(supplier, len(data))
    return SheetRows(
        layout=layout,
        raw=raw,
        blank=filled == 0,
        filled_cells=filled,
        source_row=np.arange(len(data), dtype=np.int64) + layout.header_row + 2,
        date1904=sheet.date1904,
        excel_errors=found,
        formulas=formulas,
    )
