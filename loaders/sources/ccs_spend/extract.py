"""Turn one published file into parsed rows and quarantined rows.

Every data row below the header ends up in exactly one of the two frames: parsed rows carry
canonical values (before cross-release inference); quarantined rows carry the reason they were not
loaded (:mod:`loaders.sources.ccs_spend.checks`), the column at fault and the raw values, so that
the spend read from the file always equals the spend loaded plus the spend quarantined.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from loaders.core import normalise
from loaders.core.errors import LoaderInputError
from loaders.core.parsing import (
    Coded,
    clean_name,
    combinations,
    date_in_file_name,
    is_period_month,
    money_notation,
    object_array,
)
from loaders.core.spreadsheets import paused_gc, read_file
from loaders.core.vocabulary import Vocabulary
from loaders.sources.ccs_spend.checks import TOTALS, Checked, check_rows, first_month_too_late
from loaders.sources.ccs_spend.dates import DateColumn, documented_order, read_months
from loaders.sources.ccs_spend.file_names import framework_from_file_name, supplier_from_file_name
from loaders.sources.ccs_spend.layout import MappedLayout
from loaders.sources.ccs_spend.rules import SheetCounts, nil_return, rules_applied
from loaders.sources.ccs_spend.sheet_rows import SheetRows, sheet_rows
from loaders.sources.ccs_spend.sheets import FileSheets, file_sheets


@dataclass
class FileExtract:
    """What one file gave: parsed rows, quarantined rows and facts for the load report.

    ``first_month_too_late`` is the earliest month quarantined as later than the accepted
    range (which moves with today's date), so a cached extract knows when it goes stale.
    ``notes`` holds the other facts the report shows (plain data, see :func:`extract_file`).
    """

    path: Path
    sha256: str
    encoding: str | None
    layouts: list[MappedLayout]
    skipped_sheets: list[str]
    parsed: pd.DataFrame
    quarantine: pd.DataFrame
    file_date: dt.date | None
    declared_total_gbp: float | None
    unmapped_values: dict[str, list[str]] = field(default_factory=dict)
    first_month_too_late: pd.Timestamp | None = None
    notes: dict[str, Any] = field(default_factory=dict)


def _texts(column: Coded) -> pd.Categorical:
    """A column's cells as text (a categorical), each distinct value cleaned once."""
    return column.categorical(clean_name)


@dataclass(frozen=True)
class Frameworks:
    """Framework and iteration of each row of a sheet, as series and still coded."""

    framework: pd.Series
    iteration: pd.Series
    framework_cells: Coded
    iteration_cells: Coded
    lot_cells: Coded  # the lot an agreement number or name carries (RM1557.13L4: 4), or ""


Named = tuple[str, str | None]  # (framework, iteration)


def _frameworks(
    rows: SheetRows, default: Named | None, vocab: Vocabulary, unmapped: dict
) -> Frameworks:
    """Framework and iteration of each row, from agreement number, name or the default."""

    def resolve(number_text: str, name_text: str) -> tuple[str | None, str | None]:
        by_number = normalise.framework_from_number(number_text, vocab)
        by_name = normalise.framework_from_name(name_text, vocab)
        for found in (by_number if by_number and by_number[1] else None, by_name, by_number):
            if found:
                return found
        cleaned = clean_name(name_text) or clean_name(number_text)
        if cleaned:
            unmapped.setdefault("framework", set()).add(cleaned)
            return cleaned, None
        return default or (None, None)

    def lot(number_text: str, name_text: str) -> str:
        return (
            normalise.lot_in_framework(number_text, vocab)
            or normalise.lot_in_framework(name_text, vocab)
            or ""
        )

    number = rows.cells("framework_number").derive(clean_name)
    name = rows.cells("framework").derive(clean_name)
    codes, cells = combinations([number, name])
    pairs = pd.Series(object_array([resolve(*cell) for cell in cells]), dtype=object)
    framework = pairs.map(lambda p: p[0])  # dtype as pandas infers it for the values
    iteration = pairs.map(lambda p: p[1])
    return Frameworks(
        framework=framework.take(codes).reset_index(drop=True),
        iteration=iteration.take(codes).reset_index(drop=True),
        framework_cells=Coded(codes, framework.to_numpy(dtype=object)),
        iteration_cells=Coded(codes, iteration.to_numpy(dtype=object)),
        lot_cells=Coded(codes, object_array([lot(*cell) for cell in cells])),
    )


def _lots(
    rows: SheetRows, keep: np.ndarray, frameworks: Frameworks, vocab, unmapped
) -> pd.Categorical:
    def resolve(fw: str, it: str, lot_name: str, lot_number: str, agreement_lot: str):
        it_value = it or None
        for candidate in (lot_name, lot_number, agreement_lot):
            found = normalise.canonical_lot(candidate, fw, it_value, vocab)
            if found:
                return found
        cleaned = clean_name(lot_name) or clean_name(lot_number)
        if cleaned:
            unmapped.setdefault("lot", set()).add(f"{fw}: {cleaned}")
        return cleaned or None

    columns = [
        frameworks.framework_cells.subset(keep).derive(clean_name),
        frameworks.iteration_cells.subset(keep).derive(clean_name),
        rows.cells("lot").subset(keep).derive(clean_name),
        rows.cells("lot_number").subset(keep).derive(clean_name),
        frameworks.lot_cells.subset(keep),
    ]
    codes, cells = combinations(columns)
    return Coded(codes, object_array([resolve(*cell) for cell in cells])).categorical()


def _mapped_or_raw(values: Coded, mapper, field_name: str, unmapped: dict) -> pd.Categorical:
    def resolve(value: object) -> str | None:
        cleaned = clean_name(value)
        if not cleaned:
            return None
        found = mapper(cleaned)
        if found is None:
            unmapped.setdefault(field_name, set()).add(cleaned)
            return cleaned
        return found

    return values.categorical(resolve)


def _urn(value: object) -> int | None:
    text = clean_name(value)
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _urns(values: Coded) -> pd.api.extensions.ExtensionArray:
    return pd.array(values.parse_uniques(_urn), dtype="Int64").take(values.codes)


def _parsed_frame(rows: SheetRows, keep, checked, frameworks, vocab, unmapped) -> pd.DataFrame:
    def kept(name: str) -> Coded:
        return rows.cells(name).subset(keep)

    return pd.DataFrame(
        {
            "month": checked.month[keep],
            "framework": frameworks.framework_cells.subset(keep).categorical(),
            "framework_iteration": frameworks.iteration_cells.subset(keep).categorical(),
            "lot": _lots(rows, keep, frameworks, vocab, unmapped),
            "supplier": _texts(kept("supplier")),
            "customer": _texts(kept("customer")),
            "customer_urn": _urns(kept("customer_urn")),
            "sme_status": _mapped_or_raw(
                kept("sme_status"),
                lambda v: normalise.canonical_sme(v, vocab),
                "sme_status",
                unmapped,
            ),
            "sector": _mapped_or_raw(
                kept("sector"),
                lambda v: normalise.canonical_sector(v, vocab),
                "sector",
                unmapped,
            ),
            "spend_gbp": checked.spend[keep],
            "description": _texts(kept("description")),
            "source_row": rows.source_row[keep],
        }
    )


def _quarantine_frame(rows: SheetRows, checked: Checked, frameworks: Frameworks) -> pd.DataFrame:
    bad = ~checked.open
    return pd.DataFrame(
        {
            "source_row": rows.source_row[bad],
            "reason": pd.Series(checked.reason[bad], dtype=object),
            "column": pd.Series(checked.column[bad], dtype=object),
            "detail": pd.Series(checked.detail[bad], dtype=object),
            "framework": frameworks.framework[bad].reset_index(drop=True),
            "customer": _texts(rows.cells("customer").subset(bad)),
            "supplier": _texts(rows.cells("supplier").subset(bad)),
            "month_raw": _texts(rows.raw[rows.month_field()].subset(bad)),
            "spend_raw": _texts(rows.raw["spend"].subset(bad)),
            "spend_gbp": checked.spend[bad],
        }
    )


def _declared_total(quarantine: pd.DataFrame) -> float | None:
    totals = quarantine.loc[quarantine["reason"].eq(TOTALS), "spend_gbp"].dropna()
    return float(totals.iloc[-1]) if len(totals) else None


def _is_dollar(value: object) -> bool:
    return isinstance(value, str) and "$" in value


@dataclass
class _SheetExtract:
    parsed: pd.DataFrame
    quarantine: pd.DataFrame
    too_late: pd.Timestamp | None
    dates: DateColumn | None
    dollar_amounts: int  # amounts written with $ read as pounds
    counts: SheetCounts


def _sheet_counts(rows: SheetRows, merged_cells_filled: int) -> SheetCounts:
    """The cells of a sheet that a reading rule changed (:mod:`~.rules`)."""
    notations: dict[str, int] = {}
    for notation in rows.raw["spend"].map(money_notation):
        if notation:
            notations[notation] = notations.get(notation, 0) + 1
    periods = int(rows.raw[rows.month_field()].map(is_period_month).astype(bool).sum())
    return SheetCounts(merged_cells_filled, notations, periods)


def _extract_sheet(
    rows: SheetRows, default: Named | None, vocab, unmapped, merged: int = 0
) -> _SheetExtract:
    frameworks = _frameworks(rows, default, vocab, unmapped)
    month_field = rows.month_field()
    months = read_months(
        rows.raw[month_field],
        rows.layout.headers[month_field],
        rows.layout.sheet,
        documented_order(rows.layout.layout, vocab),
        rows.date1904,
    )
    checked = check_rows(rows, months, frameworks.framework.notna().to_numpy())
    keep = checked.open
    dollars = rows.raw["spend"].map(_is_dollar).astype(bool) & ~np.isnan(checked.spend)
    return _SheetExtract(
        parsed=_parsed_frame(rows, keep, checked, frameworks, vocab, unmapped),
        quarantine=_quarantine_frame(rows, checked, frameworks),
        too_late=first_month_too_late(checked),
        dates=months.column,
        dollar_amounts=int(dollars.sum()),
        counts=_sheet_counts(rows, merged),
    )


def _read_sheets(path: Path, data: bytes, vocab: Vocabulary, supplier: str | None):
    """The mapped sheets as coded columns, and the file's sheets sorted (read, skipped,
    hidden); raises the file's problem when no sheet is read and it is not a nil return.

    The rows of cells are dropped as soon as they are coded, before the collector runs
    again, so it never has to scan them.
    """
    with paused_gc():
        found = file_sheets(path, data, vocab, supplier)
        if not found.mapped and not found.no_invoice_sheet(bool(supplier)):
            raise found.problem or LoaderInputError(path, "no sheet holds spend")
        sheets = [
            (sheet.name, sheet_rows(sheet, layout, supplier), sheet.merged_cells_filled)
            for sheet, layout in found.mapped
        ]
        encoding = found.mapped[0][0].encoding if found.mapped else None
        found.mapped = []
    return sheets, found, encoding


def _named_framework(path: Path, framework: str | None, vocab: Vocabulary) -> Named | None:
    """The canonical framework named by ``--framework`` (``DOS`` is DOS), or an error."""
    if not framework:
        return None
    found = normalise.framework_from_name(framework, vocab)
    if found is None:
        raise LoaderInputError(
            path,
            f"--framework {framework!r} is not a known framework name; use e.g. 'G-Cloud' "
            "or 'Digital Outcomes and Specialists', or add it to "
            f"{vocab.source_dir / 'frameworks.csv'}",
        )
    return found


def _supplier(path: Path, supplier: str | None, vocab: Vocabulary) -> tuple[str | None, str]:
    """The supplier of a return without a supplier column, and where it came from."""
    if supplier and clean_name(supplier):
        return clean_name(supplier), "--supplier"
    guessed = supplier_from_file_name(path.name, vocab)
    return (guessed, "file name") if guessed else (None, "")


def _notes(sheets, found: FileSheets, parts: list[_SheetExtract], supplier, quarantine):
    """The facts of a file the load report shows besides its rows."""
    errors: dict[str, dict[str, int]] = {}
    for _, rows, _ in sheets:
        for header, counts in rows.excel_errors.items():
            for value, n in counts.items():
                errors.setdefault(header, {})[value] = errors.get(header, {}).get(value, 0) + n
    without_column = not sheets or any("supplier" not in r.layout.columns for _, r, _ in sheets)
    supplier_from = supplier[1] if without_column else "column"
    loaded = sum(len(part.parsed) for part in parts)
    nil = nil_return(found, quarantine, loaded, supplier_from)
    read = [rows for _, rows, _ in sheets]
    return {
        "skipped_sheet_reasons": {name: why for name, why in found.skipped.items() if name},
        "date_columns": [part.dates.as_report() for part in parts if part.dates is not None],
        "date_system": "1904" if any(rows.date1904 for rows in read) else "1900",
        "dollar_amounts": sum(part.dollar_amounts for part in parts),
        "excel_errors": errors,
        "supplier_from": supplier_from,
        "supplier": supplier[0] if without_column else None,
        "hidden_sheets": [hidden.as_report() for hidden in found.hidden],
        "rows_in_hidden_sheets": sum(hidden.rows for hidden in found.hidden),
        "spend_in_hidden_sheets_gbp": round(sum(h.spend_gbp for h in found.hidden), 2),
        "nil_return": nil,
        "rules_applied": rules_applied(found, read, [p.counts for p in parts], quarantine, nil),
    }


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


# The frames of a file with no invoice sheet (a nil return), typed as extracted ones.
EMPTY_PARSED = {
    "month": "datetime64[ns]", "framework": "str", "framework_iteration": "str",
    "lot": "object", "supplier": "object", "customer": "object", "customer_urn": "Int64",
    "sme_status": "object", "sector": "object", "spend_gbp": "float64",
    "description": "object", "source_row": "int64", "source_file": "str",
}  # fmt: skip
EMPTY_QUARANTINE = {
    "source_row": "int64", "reason": "object", "column": "object", "detail": "object",
    "framework": "str", "customer": "object", "supplier": "object", "month_raw": "object",
    "spend_raw": "object", "spend_gbp": "float64", "source_file": "str",
}  # fmt: skip


def _frames(parts: list[_SheetExtract]) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not parts:
        return _empty(EMPTY_PARSED), _empty(EMPTY_QUARANTINE)
    parsed = pd.concat([part.parsed for part in parts], ignore_index=True)
    return parsed, pd.concat([part.quarantine for part in parts], ignore_index=True)


def extract_file(
    path: Path,
    vocab: Vocabulary,
    framework: str | None = None,
    data: bytes | None = None,
    supplier: str | None = None,
) -> FileExtract:
    """Read, check and parse one published file.

    ``framework`` names the framework of files that have no framework column; without it
    the file name is used (an agreement number such as ``RM1557viii``, or a name as in
    ``DOS-spend-Dec2017.csv``). ``supplier`` names the supplier of a return that has no
    supplier column; without it the file name is used. ``data`` is the file's bytes if
    already read. Raises :class:`LoaderInputError` for unusable input (empty, not a
    spreadsheet, corrupt, unknown layout). A file may give no loadable row: the caller
    decides (:func:`loaders.pipeline.load` refuses it unless told to allow it, or unless it
    is a supplier's nil return: ``notes["nil_return"]``).

    ``notes`` of the result: ``skipped_sheet_reasons`` (sheet -> why it was not read),
    ``date_columns`` (how each column of numeric dates was read: :class:`DateColumn`),
    ``date_system`` (``1900`` or ``1904``), ``dollar_amounts`` (amounts written with ``$``,
    read as pounds), ``excel_errors`` (header -> error value -> rows), ``supplier_from``
    (``column``, ``--supplier`` or ``file name``) and ``supplier``, ``hidden_sheets`` (each
    sheet the workbook hides, never read: its rows and pounds) with their totals
    ``rows_in_hidden_sheets`` and ``spend_in_hidden_sheets_gbp``, ``nil_return`` (why the file
    is a nil return, else ``None``) and ``rules_applied`` (:mod:`~.rules`).
    """
    data = read_file(path) if data is None else data
    default = _named_framework(path, framework, vocab) or framework_from_file_name(path.name, vocab)
    named_supplier = _supplier(path, supplier, vocab)
    sheets, found, encoding = _read_sheets(path, data, vocab, named_supplier[0])
    unmapped: dict[str, set[str]] = {}
    parts = []
    for name, rows, merged in sheets:
        part = _extract_sheet(rows, default, vocab, unmapped, merged)
        label = path.name if len(sheets) == 1 else f"{path.name} [{name}]"
        part.parsed["source_file"] = pd.Categorical.from_codes(
            np.zeros(len(part.parsed), dtype="int8"), categories=[label]
        )
        part.quarantine["source_file"] = label
        parts.append(part)
    parsed, quarantine = _frames(parts)
    too_late = [part.too_late for part in parts if part.too_late is not None]
    return FileExtract(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        layouts=[rows.layout for _, rows, _ in sheets],
        skipped_sheets=[s for s in found.skipped if s],
        parsed=parsed,
        quarantine=quarantine,
        file_date=date_in_file_name(path.name),
        declared_total_gbp=_declared_total(quarantine),
        unmapped_values={k: sorted(v) for k, v in unmapped.items()},
        first_month_too_late=min(too_late, default=None),
        notes=_notes(sheets, found, parts, named_supplier, quarantine),
    )
