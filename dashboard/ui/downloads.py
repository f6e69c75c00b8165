"""Downloads of exactly the numbers shown, as CSV and Excel, safe to open in a spreadsheet.

Money is rounded to the penny and shares to one decimal place, as the tables show them; sums
of pence stay exact, so totals still reconcile. Excel sheet names are made valid (no
``: \\ / ? * [ ]``, at most 31 characters).
"""

from __future__ import annotations

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


def to_xlsx_bytes(table: pd.DataFrame, sheet: str = "Data", note: str | None = None) -> bytes:
    """An Excel workbook of the table; ``note`` goes in a second sheet (source, filters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(table).to_excel(writer, sheet_name=sheet_name(sheet), index=False)
        if note:
            pd.DataFrame({"About this data": note.split("\n")}).map(neutralise).to_excel(
                writer, sheet_name="About", index=False
            )
    return buffer.getvalue()


def download_bytes(
    table: pd.DataFrame, units: Sequence[str], fmt: str, sheet: str, note: str
) -> bytes:
    """The bytes of a download of ``table`` (labelled columns, their ``units``) as ``csv`` or
    ``xlsx`` (``sheet`` names its sheet, ``note`` fills the About sheet)."""
    table = rounded(table, units)
    if fmt == "csv":
        return to_csv_bytes(table)
    if fmt == "xlsx":
        return to_xlsx_bytes(table, sheet, note)
    raise ValueError(f"unknown download format {fmt!r}")
