"""Turn one published file into parsed rows and quarantined rows.

Every data row below the header ends up in exactly one of the two frames: parsed rows carry
canonical values (before cross-release inference); quarantined rows carry the reason they
were not loaded, the column at fault and the raw values, so that the spend read from the
file always equals the spend loaded plus the spend quarantined.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders import normalise
from loaders.errors import LoaderInputError
from loaders.layout import MappedLayout, map_layout, unknown_layout_error
from loaders.parsing import (
    clean_name,
    date_in_file_name,
    map_unique,
    map_unique_rows,
    money_series,
    month_series,
)
from loaders.reading import Sheet, iter_sheets, read_file
from loaders.reference import Vocabulary, simplify

TOTAL_WORDS = frozenset({"total", "totals", "grandtotal", "subtotal", "overalltotal"})
EARLIEST_MONTH = pd.Timestamp("2000-01-01")
NOTE_ROW_MAX_CELLS = 2

# Quarantine reasons, in the order they are checked.
BLANK = "blank row"
TOTALS = "totals row"
NOTE = "note or footnote row"
MISSING_SPEND = "missing spend"
BAD_SPEND = "unparseable spend"
MISSING_MONTH = "missing month"
BAD_MONTH = "unparseable month"
MONTH_RANGE = "month out of range"
NO_FRAMEWORK = "missing framework"
SUPERSEDED = "superseded by a newer release"


@dataclass
class SheetRows:
    """Rows read from one sheet: raw cells by canonical field, plus row numbers."""

    layout: MappedLayout
    raw: pd.DataFrame  # object columns named by canonical field
    blank: pd.Series  # every cell empty
    filled_cells: pd.Series  # number of non-empty cells in the row
    source_row: pd.Series  # 1-based spreadsheet row number


@dataclass
class FileExtract:
    """What one file gave: parsed rows, quarantined rows and facts for the load report."""

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


def _blank_cell(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _is_empty(values: pd.Series) -> pd.Series:
    """Cells that are missing, empty or only spaces (checked once per distinct value)."""
    return map_unique(values, _blank_cell).astype(bool)


def _sheet_rows(sheet: Sheet, layout: MappedLayout) -> SheetRows:
    data = sheet.rows[layout.header_row + 1 :]
    width = max(map(len, data), default=0)
    if any(len(row) != width for row in data):  # CSV rows may be ragged
        data = [[*row, *([""] * (width - len(row)))] for row in data]
    grid = pd.DataFrame(data, dtype=object) if data else pd.DataFrame(dtype=object)
    empty = pd.DataFrame({c: _is_empty(grid[c]) for c in grid.columns}, index=grid.index)
    raw = pd.DataFrame(
        {
            name: grid[index] if index in grid.columns else pd.Series("", index=grid.index)
            for name, index in layout.columns.items()
        },
        index=grid.index,
    ).astype(object)
    filled = (~empty).sum(axis=1) if len(empty.columns) else pd.Series(0, index=grid.index)
    return SheetRows(
        layout=layout,
        raw=raw.fillna(""),
        blank=filled.eq(0),
        filled_cells=filled,
        source_row=pd.Series(grid.index + layout.header_row + 2, index=grid.index),
    )


def as_text(values: pd.Series) -> pd.Series:
    """Cells as text (``2.0`` as ``2``), missing values as empty strings (never NaN)."""
    return map_unique(values, clean_name).astype(object)


def _raw_or_blank(raw: pd.DataFrame, name: str) -> pd.Series:
    return raw[name] if name in raw else pd.Series("", index=raw.index, dtype=object)


def _is_total_label(value: object) -> bool:
    key = simplify(value)
    return key in TOTAL_WORDS or key.startswith("grandtotal")


def _total_marker(raw: pd.DataFrame) -> pd.Series:
    """Rows whose label cells say ``Total`` / ``Grand Total``."""
    marker = pd.Series(False, index=raw.index)
    for name in raw.columns:
        if name not in ("spend", "month", "invoice_date"):
            marker |= map_unique(raw[name], _is_total_label).astype(bool)
    return marker


@dataclass
class Checked:
    """Parsed spend and month, and the quarantine reason of each row (None = keep)."""

    spend: pd.Series
    month: pd.Series
    reason: pd.Series
    column: pd.Series
    detail: pd.Series


def _flag(checked: Checked, mask: pd.Series, reason: str, column: str, detail=None) -> None:
    todo = mask & checked.reason.isna()
    checked.reason[todo] = reason
    checked.column[todo] = column
    if detail is not None:
        checked.detail[todo] = detail[todo]


def _check_rows(rows: SheetRows, framework_known: pd.Series) -> Checked:
    raw, headers = rows.raw, rows.layout.headers
    month_field = "month" if "month" in raw else "invoice_date"
    spend = money_series(raw["spend"])
    month = month_series(raw[month_field])
    spend_empty = _is_empty(raw["spend"])
    month_empty = _is_empty(raw[month_field])
    index = raw.index
    checked = Checked(
        spend=spend,
        month=month,
        reason=pd.Series(None, index=index, dtype=object),
        column=pd.Series(None, index=index, dtype=object),
        detail=pd.Series(None, index=index, dtype=object),
    )
    spend_text = as_text(raw["spend"])
    month_text = as_text(raw[month_field])
    spend_header, month_header = headers["spend"], headers[month_field]
    _flag(checked, rows.blank, BLANK, "")
    _flag(checked, _total_marker(raw), TOTALS, "")
    note = (spend_empty | spend.isna()) & month_empty
    _flag(checked, note & rows.filled_cells.le(NOTE_ROW_MAX_CELLS), NOTE, "")
    _flag(checked, spend_empty, MISSING_SPEND, spend_header)
    _flag(checked, spend.isna(), BAD_SPEND, spend_header, spend_text)
    _flag(checked, month_empty, MISSING_MONTH, month_header)
    _flag(checked, month.isna(), BAD_MONTH, month_header, month_text)
    latest = pd.Timestamp(dt.date.today()) + pd.DateOffset(years=1)
    out_of_range = (month < EARLIEST_MONTH) | (month > latest)
    _flag(checked, out_of_range, MONTH_RANGE, month_header, month_text)
    _flag(checked, ~framework_known, NO_FRAMEWORK, headers.get("framework", "Framework"))
    return checked


def framework_from_file_name(name: str, vocab: Vocabulary) -> str | None:
    """The framework a file name announces (``DOS-spend-Dec2017.csv``), if exactly one."""
    tokens = [t for t in "".join(c if c.isalnum() else " " for c in name).split() if t]
    candidates = {
        found[0]
        for size in (1, 2, 3, 4)
        for start in range(len(tokens) - size + 1)
        if (found := normalise.framework_from_name("".join(tokens[start : start + size]), vocab))
        and simplify("".join(tokens[start : start + size])) not in {"g", "gservices"}
    }
    return candidates.pop() if len(candidates) == 1 else None


def _frameworks(raw: pd.DataFrame, default: str | None, vocab: Vocabulary, unmapped: dict):
    """Framework and iteration of each row, from agreement number, name or the default."""
    number = as_text(_raw_or_blank(raw, "framework_number"))
    name = as_text(_raw_or_blank(raw, "framework"))

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
        return default, None

    pairs = map_unique_rows([number, name], resolve)
    framework = pairs.map(lambda p: p[0])
    iteration = pairs.map(lambda p: p[1])
    return framework, iteration


def _lots(raw: pd.DataFrame, framework: pd.Series, iteration: pd.Series, vocab, unmapped):
    name = as_text(_raw_or_blank(raw, "lot"))
    number = as_text(_raw_or_blank(raw, "lot_number"))

    def resolve(fw: str, it: str, lot_name: str, lot_number: str) -> str | None:
        it_value = it or None
        for candidate in (lot_name, lot_number):
            found = normalise.canonical_lot(candidate, fw, it_value, vocab)
            if found:
                return found
        cleaned = clean_name(lot_name) or clean_name(lot_number)
        if cleaned:
            unmapped.setdefault("lot", set()).add(f"{fw}: {cleaned}")
        return cleaned or None

    return map_unique_rows([as_text(framework), as_text(iteration), name, number], resolve)


def _mapped_or_raw(values: pd.Series, mapper, field_name: str, unmapped: dict) -> pd.Series:
    def resolve(value: object) -> str | None:
        cleaned = clean_name(value)
        if not cleaned:
            return None
        found = mapper(cleaned)
        if found is None:
            unmapped.setdefault(field_name, set()).add(cleaned)
            return cleaned
        return found

    return map_unique(values, resolve)


def _urns(values: pd.Series) -> pd.Series:
    def parse(value: object) -> int | None:
        text = clean_name(value)
        if text.endswith(".0"):
            text = text[:-2]
        return int(text) if text.isdigit() and len(text) <= 18 else None

    return pd.array(map_unique(values, parse), dtype="Int64")


def _parsed_frame(raw, keep, checked, framework, iteration, vocab, unmapped) -> pd.DataFrame:
    raw = raw[keep]
    framework, iteration = framework[keep], iteration[keep]
    customer = map_unique(_raw_or_blank(raw, "customer"), clean_name)
    supplier = map_unique(_raw_or_blank(raw, "supplier"), clean_name)
    return pd.DataFrame(
        {
            "month": checked.month[keep],
            "framework": framework,
            "framework_iteration": iteration,
            "lot": _lots(raw, framework, iteration, vocab, unmapped),
            "supplier": supplier,
            "customer": customer,
            "customer_urn": _urns(_raw_or_blank(raw, "customer_urn")),
            "sme_status": _mapped_or_raw(
                _raw_or_blank(raw, "sme_status"),
                lambda v: normalise.canonical_sme(v, vocab),
                "sme_status",
                unmapped,
            ),
            "sector": _mapped_or_raw(
                _raw_or_blank(raw, "sector"),
                lambda v: normalise.canonical_sector(v, vocab),
                "sector",
                unmapped,
            ),
            "spend_gbp": checked.spend[keep],
            "description": map_unique(_raw_or_blank(raw, "description"), clean_name),
        },
        index=raw.index,
    )


def _quarantine_frame(rows: SheetRows, checked: Checked, framework: pd.Series) -> pd.DataFrame:
    bad = checked.reason.notna()
    raw = rows.raw[bad]
    month_field = "month" if "month" in raw else "invoice_date"
    return pd.DataFrame(
        {
            "source_row": rows.source_row[bad],
            "reason": checked.reason[bad],
            "column": checked.column[bad],
            "detail": checked.detail[bad],
            "framework": framework[bad],
            "customer": as_text(raw["customer"]),
            "supplier": as_text(raw["supplier"]),
            "month_raw": as_text(raw[month_field]),
            "spend_raw": as_text(raw["spend"]),
            "spend_gbp": checked.spend[bad],
        }
    )


def _declared_total(quarantine: pd.DataFrame) -> float | None:
    totals = quarantine.loc[quarantine["reason"].eq(TOTALS), "spend_gbp"].dropna()
    return float(totals.iloc[-1]) if len(totals) else None


def _extract_sheet(rows: SheetRows, default_framework, vocab, unmapped):
    framework, iteration = _frameworks(rows.raw, default_framework, vocab, unmapped)
    checked = _check_rows(rows, framework.notna())
    keep = checked.reason.isna()
    parsed = _parsed_frame(rows.raw, keep, checked, framework, iteration, vocab, unmapped)
    parsed["source_row"] = rows.source_row[keep]
    return parsed, _quarantine_frame(rows, checked, framework)


def _mapped_sheets(
    path: Path, data: bytes, vocab: Vocabulary
) -> tuple[list[tuple[Sheet, MappedLayout]], list]:
    mapped, skipped, first = [], [], None
    for sheet in iter_sheets(path, data):
        first = first or sheet
        layout = map_layout(path, sheet, vocab)
        if layout is None:
            skipped.append(sheet.name)
        else:
            mapped.append((sheet, layout))
    if not mapped:
        raise unknown_layout_error(path, first.rows if first else [], vocab)
    return mapped, skipped


def _named_framework(path: Path, framework: str | None, vocab: Vocabulary) -> str | None:
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
    return found[0]


def extract_file(path: Path, vocab: Vocabulary, framework: str | None = None) -> FileExtract:
    """Read, check and parse one published file.

    ``framework`` names the framework of files that have no framework column; without it
    the file name is used (``DOS-spend-Dec2017.csv``). Raises :class:`LoaderInputError`
    for unusable input (empty, not a spreadsheet, corrupt, unknown layout, no data rows).
    """
    data = read_file(path)
    mapped, skipped = _mapped_sheets(path, data, vocab)
    default = _named_framework(path, framework, vocab) or framework_from_file_name(path.name, vocab)
    unmapped: dict[str, set[str]] = {}
    parsed_parts, quarantine_parts = [], []
    for sheet, layout in mapped:
        rows = _sheet_rows(sheet, layout)
        parsed, quarantine = _extract_sheet(rows, default, vocab, unmapped)
        label = path.name if len(mapped) == 1 else f"{path.name} [{sheet.name}]"
        parsed["source_file"] = label
        quarantine["source_file"] = label
        parsed_parts.append(parsed)
        quarantine_parts.append(quarantine)
    parsed = pd.concat(parsed_parts, ignore_index=True)
    quarantine = pd.concat(quarantine_parts, ignore_index=True)
    if parsed.empty and (quarantine.empty or quarantine["reason"].eq(BLANK).all()):
        header_row = mapped[0][1].header_row + 1
        raise LoaderInputError(path, "has a header but no data rows", row=header_row)
    return FileExtract(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=mapped[0][0].encoding,
        layouts=[layout for _, layout in mapped],
        skipped_sheets=[s for s in skipped if s],
        parsed=parsed,
        quarantine=quarantine,
        file_date=date_in_file_name(path.name),
        declared_total_gbp=_declared_total(quarantine),
        unmapped_values={k: sorted(v) for k, v in unmapped.items()},
    )
