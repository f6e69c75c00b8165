"""Downloads of exactly the numbers shown, as CSV and Excel, safe to open in a spreadsheet."""

from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def to_xlsx_bytes(table: pd.DataFrame, sheet: str = "Data", note: str | None = None) -> bytes:
    """An Excel workbook of the table; ``note`` goes in a second sheet (source, filters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(table).to_excel(writer, sheet_name=sheet[:31], index=False)
        if note:
            pd.DataFrame({"About this data": note.split("\n")}).map(neutralise).to_excel(
                writer, sheet_name="About", index=False
            )
    return buffer.getvalue()
