"""Downloads of exactly the numbers shown, as CSV and Excel, safe to open in a spreadsheet.

Money is rounded to the penny and shares to one decimal place, as the tables show them; sums
of pence stay exact, so totals still reconcile. Excel sheet names are made valid (no
``: \\ / ? * [ ]``, at most 31 characters).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DECIMALS = {"gbp": 2, "pct": 1}  # places kept in downloads, by unit
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers stay numbers (a credit of -470 is a number, not text); only text cells that
    start with ``=``, ``+``, ``-``, ``@``, tab or carriage return are changed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every text cell (and column name) neutralised."""
    out = table.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].astype(object).map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel reads £ signs correctly."""
    return safe_frame(table).to_csv(index=False).encode("utf-8-sig")


def sheet_name(name: str) -> str:
    """A valid Excel sheet name for ``name``: forbidden characters as hyphens, no leading or
    trailing apostrophe, at most 31 characters, never empty."""
    cleaned = _SHEET_FORBIDDEN.sub("-", name).strip().strip("'")[:SHEET_NAME_MAX].strip()
    return cleaned or "Data"


def rounded(table: pd.DataFrame, units: Sequence[str]) -> pd.DataFrame:
    """``table`` with money to the penny and shares to one decimal (by each column's unit)."""
    out = table.copy()
    for column, unit in zip(table.columns, units, strict=True):
        if unit in DECIMALS and pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].round(DECIMALS[unit])
    return out


# Excel number formats by unit: the cells stay numbers and dates a spreadsheet can sum and sort.
EXCEL_FORMATS = {
    "gbp": '"£"#,##0.00;-"£"#,##0.00',
    "pct": '0.0"%"',
    "count": "#,##0",
    "month": "mmm yyyy",
    "date": "yyyy-mm-dd",
}
DATE_UNITS = {"month": "%Y-%m", "date": "%Y-%m-%d"}


def _as_dates(values: pd.Series, unit: str) -> pd.Series:
    """A column of ``YYYY-MM`` or ``YYYY-MM-DD`` texts as dates (left as it is when any value
    is not one)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    dates = pd.to_datetime(values, format=DATE_UNITS[unit], errors="coerce")
    return dates if dates.notna().sum() == values.notna().sum() else values


def to_xlsx_bytes(
    table: pd.DataFrame,
    sheet: str = "Data",
    note: str | None = None,
    units: Sequence[str] | None = None,
) -> bytes:
    """An Excel workbook of the table; ``note`` goes in a second sheet (source, filters).
    With ``units``, money, shares and counts are number cells formatted as the app shows
    them (``£1,234.50``, ``53.4%``, ``1,293``) and months and dates are date cells."""
    units = list(units) if units is not None else ["text"] * len(table.columns)
    safe = safe_frame(table)
    for position, unit in enumerate(units):
        if unit in DATE_UNITS:
            safe[safe.columns[position]] = _as_dates(table.iloc[:, position], unit)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        name = sheet_name(sheet)
        safe.to_excel(writer, sheet_name=name, index=False)
        _format_columns(writer.sheets[name], safe, units)
        if note:
            pd.DataFrame({"About this data": note.split("\n")}).map(neutralise).to_excel(
                writer, sheet_name="About", index=False
            )
    return buffer.getvalue()


def _format_columns(worksheet, table: pd.DataFrame, units: Sequence[str]) -> None:
    """Number and date formats on each column's cells (by unit), and readable widths."""
    for position, unit in enumerate(units, start=1):
        number_format = EXCEL_FORMATS.get(unit)
        column = worksheet.cell(row=1, column=position).column_letter
        header = str(table.columns[position - 1])
        worksheet.column_dimensions[column].width = min(60, max(10, len(header) + 2))
        if number_format is None:
            continue
        values = table.iloc[:, position - 1]
        if unit in DATE_UNITS and not pd.api.types.is_datetime64_any_dtype(values):
            continue
        for (cell,) in worksheet.iter_rows(min_row=2, min_col=position, max_col=position):
            cell.number_format = number_format


def download_bytes(
    table: pd.DataFrame, units: Sequence[str], fmt: str, sheet: str, note: str
) -> bytes:
    """The bytes of a download of ``table`` (labelled columns, their ``units``) as ``csv`` or
    ``xlsx`` (``sheet`` names its sheet, ``note`` fills the About sheet)."""
    table = rounded(table, units)
    if fmt == "csv":
        return to_csv_bytes(table)
    if fmt == "xlsx":
        return to_xlsx_bytes(table, sheet, note, units)
    raise ValueError(f"unknown download format {fmt!r}")


SYNTHETIC_COLUMN = "Data"
SYNTHETIC_LABEL = "SYNTHETIC SAMPLE: invented figures, not to be quoted"
_UNSAFE = re.compile(r"[^A-Za-z0-9.]+")
NAME_PART_CHARS = 40  # at most this much of one filter value in a file name
NAME_CHARS = 150  # file names longer than this end in a hash of the whole instead


def labelled_synthetic(table: pd.DataFrame, units: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """``table`` with a first column saying on every row that the figures are synthetic (a
    row copied out of a download of the sample still says it)."""
    marked = table.copy()
    marked.insert(0, SYNTHETIC_COLUMN, SYNTHETIC_LABEL)
    return marked, ["text", *units]


def _slug(text: str, limit: int = NAME_PART_CHARS) -> str:
    return _UNSAFE.sub("-", text).strip("-")[:limit].strip("-")


def download_file_name(
    view_id: str,
    filters: Sequence[tuple[str, str]],
    data_as_at: str,
    fmt: str,
    synthetic: bool = False,
) -> str:
    """A file name that cites what the file holds: the view, every filter of the link as
    ``name-value`` (``fy-2019-20``, ``sme-SME``), the data-as-at month and, for the bundled
    sample, ``SYNTHETIC-sample_`` first (``spend-by-period_fy-2019-20_sme-SME_data-as-at-
    2025-09.csv``); a name over :data:`NAME_CHARS` keeps its start and a hash of the whole."""
    parts = [_slug(view_id, 60), *(f"{_slug(k)}-{_slug(v)}" for k, v in filters)]
    body = "_".join([p for p in parts if p] + [f"data-as-at-{data_as_at}"])
    if len(body) > NAME_CHARS:
        digest = hashlib.sha256(body.encode()).hexdigest()[:8]
        body = f"{body[: NAME_CHARS - 9].rstrip('-_')}_{digest}"
    return ("SYNTHETIC-sample_" if synthetic else "") + f"{body}.{fmt}"
