"""Published-style releases of generated rows in the modern CCS layout
(:data:`benchmarks.generate.HEADER`): an XLSX workbook (title rows, header, rows, Total row),
CSV files, a folder of monthly CSV releases named by date (``spend-2019-04-30.csv``) and
stores (``loaders.load`` then ``loaders.write_store``)."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pyarrow.csv as pa_csv
from openpyxl.cell import WriteOnlyCell

import loaders
from benchmarks.generate import DOS_LONG, HEADER, ROOT, TITLE_ROWS


@cache
def _numbers() -> dict[tuple[str, str], str]:
    """(framework, iteration or "") -> CCS agreement number, from the reference table."""
    table = pd.read_csv(ROOT / "data" / "reference" / "framework_numbers.csv", dtype=str)
    table = table.fillna("")
    return {
        (f, i): n
        for n, f, i in zip(
            table["number"], table["framework"], table["framework_iteration"], strict=True
        )
    }


@cache
def _lot_numbers() -> dict[tuple[str, str, bool], int]:
    """(framework, lot, G-Cloud 9 or later) -> published lot number, first one listed."""
    table = pd.read_csv(ROOT / "data" / "reference" / "lots.csv", dtype=str)
    numbers: dict[tuple[str, str, bool], int] = {}
    for row in table.itertuples(index=False):
        if not row.spelling.isdigit():
            continue
        for late in (False, True):
            first, last = int(row.first_iteration), int(row.last_iteration)
            if (late and last >= 9) or (not late and first < 9):
                numbers.setdefault((row.framework, row.lot, late), int(row.spelling))
    return numbers


def _framework_name(framework: str, iteration: str) -> str:
    if not iteration:
        return framework
    return iteration.replace("DOS", DOS_LONG) if iteration.startswith("DOS") else iteration


def _combo_columns(rows: pd.DataFrame) -> pd.DataFrame:
    """Framework number and name, lot number and name, per distinct combination."""
    keys = ["framework", "framework_iteration", "lot"]
    combos = rows[keys].astype(object).fillna("").drop_duplicates()
    numbers, lots = _numbers(), _lot_numbers()

    def late(iteration: str) -> bool:
        digits = "".join(c for c in iteration if c.isdigit())
        return bool(digits) and int(digits) >= 9 and iteration.startswith("G-Cloud")

    combos["Framework Number"] = [
        numbers[(f, i)]
        for f, i in zip(combos["framework"], combos["framework_iteration"], strict=True)
    ]
    combos["Framework Name"] = [
        _framework_name(f, i)
        for f, i in zip(combos["framework"], combos["framework_iteration"], strict=True)
    ]
    combos["Lot Number"] = [
        lots.get((f, lot, late(i)), 1)
        for f, i, lot in zip(
            combos["framework"], combos["framework_iteration"], combos["lot"], strict=True
        )
    ]
    return combos


def published(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows in the modern CCS layout (:data:`HEADER`), values as CCS publishes them."""
    keys = ["framework", "framework_iteration", "lot"]
    combos = _combo_columns(rows)
    code = pd.MultiIndex.from_frame(combos[keys]).get_indexer(
        pd.MultiIndex.from_frame(rows[keys].astype(object).fillna(""))
    )
    months = rows["month"].dt.strftime("%Y-%m-%d").astype("category")
    return pd.DataFrame(
        {
            "Customer URN": rows["customer_urn"],
            "Customer Name": rows["customer"],
            "Customer Sector": rows["sector"],
            "Supplier Name": rows["supplier"],
            "SME Status": rows["sme_status"].cat.rename_categories(
                lambda s: "Non-SME" if s == "Large" else s
            ),
            "Framework Number": combos["Framework Number"].to_numpy()[code],
            "Framework Name": combos["Framework Name"].to_numpy()[code],
            "Lot Number": combos["Lot Number"].to_numpy()[code].astype("int64"),
            "Lot Name": rows["lot"],
            "Spend Month": months,
            "Evidenced Spend (ex VAT)": rows["spend_gbp"],
        },
        index=rows.index,
    )


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """A published frame as an Arrow table (pyarrow writes CSV ~6x faster than
    ``DataFrame.to_csv``; strings come out quoted, as many published files have them)."""
    return pa.Table.from_pandas(frame, preserve_index=False)


def _csv(table: pa.Table, path: Path, total_row: bool) -> Path:
    """Write a published table as CSV, with a Total row below if asked."""
    plain = pa.schema(
        pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type)
        for f in table.schema
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pa_csv.write_csv(table.cast(plain), path)
    if total_row:
        total = round(float(pa.compute.sum(table.column(HEADER[-1])).as_py() or 0.0), 2)
        with path.open("a", encoding="utf-8", newline="") as out:
            out.write('"Total"' + "," * (len(HEADER) - 1) + f"{total}\n")
    return path


def write_csv(rows: pd.DataFrame, path: Path, total_row: bool = True) -> Path:
    """A CSV release of ``rows``: header, rows and (by default) a Total row."""
    return _csv(_arrow(published(rows)), path, total_row)


def _looks_like_formula(row: tuple) -> bool:
    return any(isinstance(v, str) and v.startswith("=") for v in row)


def _text_cell(sheet, value: object) -> object:
    """A name that starts with ``=`` (the sample's "=SUM(A1) Test Council") as the text a
    publisher's file holds: openpyxl would otherwise write it as a formula."""
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_xlsx(rows: pd.DataFrame, path: Path) -> Path:
    """An XLSX release of ``rows``: two title rows, header, rows, Total row (write-only)."""
    frame = published(rows)
    columns = [frame[c].astype(object).tolist() for c in HEADER]
    columns[0] = [None if pd.isna(u) else int(u) for u in columns[0]]
    columns[9] = rows["month"].dt.to_pydatetime().tolist()
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Spend")
    for title in TITLE_ROWS:
        sheet.append(title)
    sheet.append(HEADER)
    for row in zip(*columns, strict=True):
        sheet.append([_text_cell(sheet, v) for v in row] if _looks_like_formula(row) else row)
    sheet.append(["Total", *[None] * 9, round(float(rows["spend_gbp"].sum()), 2)])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def release_name(month: pd.Timestamp) -> str:
    """``spend-2019-04-30.csv``: a monthly release, named by its month's last day."""
    last = calendar.monthrange(month.year, month.month)[1]
    return f"spend-{dt.date(month.year, month.month, last).isoformat()}.csv"


def write_monthly(rows: pd.DataFrame, folder: Path) -> list[Path]:
    """One CSV release per month of ``rows`` in ``folder``, each covering only its month."""
    rows = rows.sort_values("month", kind="stable")
    table = _arrow(published(rows))
    months = rows["month"].to_numpy()
    edges = np.flatnonzero(np.r_[True, months[1:] != months[:-1], True])
    return [
        _csv(table.slice(a, b - a), folder / release_name(pd.Timestamp(months[a])), True)
        for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]


def build_store(releases: Path | list[Path], out: Path) -> loaders.LoadResult:
    """Ingest releases into a store at ``out`` (``loaders.load`` then ``write_store``)."""
    result = loaders.load(releases)
    loaders.write_store(result, out)
    return result
