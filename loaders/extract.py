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

import numpy as np
import pandas as pd

from loaders import normalise
from loaders.errors import LoaderInputError
from loaders.layout import MappedLayout, map_layout, unknown_layout_error
from loaders.parsing import (
    Coded,
    clean_name,
    combinations,
    date_in_file_name,
    money_of,
    months_of,
    object_array,
)
from loaders.reading import Sheet, iter_sheets, paused_gc, read_file
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
    """Rows read from one sheet: raw cells by canonical field, plus row facts.

    Each column is factorised once (:class:`~loaders.parsing.Coded`); everything read from
    it afterwards (blank, text, amount, month, names) is worked out per distinct value.
    """

    layout: MappedLayout
    raw: dict[str, Coded]  # canonical field -> its cells
    blank: np.ndarray  # every cell empty
    filled_cells: np.ndarray  # number of non-empty cells in the row
    source_row: np.ndarray  # 1-based spreadsheet row number

    def __len__(self) -> int:
        return len(self.source_row)

    def cells(self, name: str) -> Coded:
        """The cells of a canonical field, empty strings if the sheet has no such column."""
        return self.raw[name] if name in self.raw else Coded.constant("", len(self))

    def month_field(self) -> str:
        """The field holding the month of spend (``month``, else ``invoice_date``)."""
        return "month" if "month" in self.raw else "invoice_date"


@dataclass
class FileExtract:
    """What one file gave: parsed rows, quarantined rows and facts for the load report.

    ``first_month_too_late`` is the earliest month quarantined as later than the accepted
    range (which moves with today's date), so a cached extract knows when it goes stale.
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


def _blank_cell(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _is_empty(column: Coded) -> np.ndarray:
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


def _sheet_rows(sheet: Sheet, layout: MappedLayout) -> SheetRows:
    data = sheet.rows[layout.header_row + 1 :]
    columns = [Coded.of(values) for values in _grid_columns(data)]
    filled = np.zeros(len(data), dtype=np.int64)
    for column in columns:
        filled += ~_is_empty(column)
    return SheetRows(
        layout=layout,
        raw={
            name: columns[index] if index < len(columns) else Coded.constant("", len(data))
            for name, index in layout.columns.items()
        },
        blank=filled == 0,
        filled_cells=filled,
        source_row=np.arange(len(data), dtype=np.int64) + layout.header_row + 2,
    )


def _texts(column: Coded) -> pd.Series:
    """A column's cells as text (object dtype), each distinct value cleaned once."""
    return pd.Series(column.map(clean_name), dtype=object)


def _is_total_label(value: object) -> bool:
    key = simplify(value)
    return key in TOTAL_WORDS or key.startswith("grandtotal")


def _total_marker(rows: SheetRows) -> np.ndarray:
    """Rows whose label cells say ``Total`` / ``Grand Total``."""
    marker = np.zeros(len(rows), dtype=bool)
    for name, column in rows.raw.items():
        if name not in ("spend", "month", "invoice_date"):
            marker |= column.map(_is_total_label).astype(bool)
    return marker


@dataclass
class Checked:
    """Parsed spend and month, and the quarantine reason of each row (None = keep)."""

    spend: np.ndarray  # float64
    month: np.ndarray  # datetime64[ns]
    reason: np.ndarray  # object
    column: np.ndarray  # object
    detail: np.ndarray  # object
    open: np.ndarray  # no reason yet

    @classmethod
    def start(cls, spend: np.ndarray, month: np.ndarray) -> Checked:
        """Every row kept until a check flags it."""
        rows = len(spend)
        return cls(
            spend=spend,
            month=month,
            reason=np.full(rows, None, dtype=object),
            column=np.full(rows, None, dtype=object),
            detail=np.full(rows, None, dtype=object),
            open=np.ones(rows, dtype=bool),
        )

    def flag(self, mask: np.ndarray, reason: str, column: str, detail: Coded | None = None):
        """Give rows of ``mask`` that have no reason yet this one (and their cell as text)."""
        todo = mask & self.open
        self.open &= ~todo
        self.reason[todo] = reason
        self.column[todo] = column
        if detail is not None and todo.any():
            self.detail[todo] = detail.subset(todo).map(clean_name)


def _check_rows(rows: SheetRows, framework_known: np.ndarray) -> Checked:
    headers, month_field = rows.layout.headers, rows.month_field()
    spend_cells, month_cells = rows.raw["spend"], rows.raw[month_field]
    checked = Checked.start(money_of(spend_cells), months_of(month_cells))
    spend_empty, month_empty = _is_empty(spend_cells), _is_empty(month_cells)
    spend_bad, month_bad = np.isnan(checked.spend), np.isnat(checked.month)
    spend_header, month_header = headers["spend"], headers[month_field]
    checked.flag(rows.blank, BLANK, "")
    checked.flag(_total_marker(rows), TOTALS, "")
    note = (spend_empty | spend_bad) & month_empty
    checked.flag(note & (rows.filled_cells <= NOTE_ROW_MAX_CELLS), NOTE, "")
    checked.flag(spend_empty, MISSING_SPEND, spend_header)
    checked.flag(spend_bad, BAD_SPEND, spend_header, spend_cells)
    checked.flag(month_empty, MISSING_MONTH, month_header)
    checked.flag(month_bad, BAD_MONTH, month_header, month_cells)
    checked.flag(_out_of_range(checked.month), MONTH_RANGE, month_header, month_cells)
    checked.flag(~framework_known, NO_FRAMEWORK, headers.get("framework", "Framework"))
    return checked


def latest_month() -> pd.Timestamp:
    """The latest month of spend accepted today (a year ahead, for dating slips)."""
    return pd.Timestamp(dt.date.today()) + pd.DateOffset(years=1)


def _out_of_range(month: np.ndarray) -> np.ndarray:
    latest = latest_month().to_datetime64()
    return (month < EARLIEST_MONTH.to_datetime64()) | (month > latest)


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


@dataclass(frozen=True)
class Frameworks:
    """Framework and iteration of each row of a sheet, as series and still coded."""

    framework: pd.Series
    iteration: pd.Series
    framework_cells: Coded
    iteration_cells: Coded


def _frameworks(
    rows: SheetRows, default: str | None, vocab: Vocabulary, unmapped: dict
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
        return default, None

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
    )


def _lots(rows: SheetRows, keep: np.ndarray, frameworks: Frameworks, vocab, unmapped) -> pd.Series:
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

    columns = [
        frameworks.framework_cells.subset(keep).derive(clean_name),
        frameworks.iteration_cells.subset(keep).derive(clean_name),
        rows.cells("lot").subset(keep).derive(clean_name),
        rows.cells("lot_number").subset(keep).derive(clean_name),
    ]
    codes, cells = combinations(columns)
    return pd.Series(object_array([resolve(*cell) for cell in cells])[codes], dtype=object)


def _mapped_or_raw(values: Coded, mapper, field_name: str, unmapped: dict) -> pd.Series:
    def resolve(value: object) -> str | None:
        cleaned = clean_name(value)
        if not cleaned:
            return None
        found = mapper(cleaned)
        if found is None:
            unmapped.setdefault(field_name, set()).add(cleaned)
            return cleaned
        return found

    return pd.Series(values.map(resolve), dtype=object)


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
            "framework": frameworks.framework[keep].reset_index(drop=True),
            "framework_iteration": frameworks.iteration[keep].reset_index(drop=True),
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
            "customer": _texts(rows.raw["customer"].subset(bad)),
            "supplier": _texts(rows.raw["supplier"].subset(bad)),
            "month_raw": _texts(rows.raw[rows.month_field()].subset(bad)),
            "spend_raw": _texts(rows.raw["spend"].subset(bad)),
            "spend_gbp": checked.spend[bad],
        }
    )


def _declared_total(quarantine: pd.DataFrame) -> float | None:
    totals = quarantine.loc[quarantine["reason"].eq(TOTALS), "spend_gbp"].dropna()
    return float(totals.iloc[-1]) if len(totals) else None


def _first_month_too_late(checked: Checked) -> pd.Timestamp | None:
    too_late = (checked.reason == MONTH_RANGE) & (checked.month > EARLIEST_MONTH.to_datetime64())
    late = checked.month[too_late]
    return pd.Timestamp(late.min()) if len(late) else None


def _extract_sheet(rows: SheetRows, default_framework, vocab, unmapped):
    frameworks = _frameworks(rows, default_framework, vocab, unmapped)
    checked = _check_rows(rows, frameworks.framework.notna().to_numpy())
    keep = checked.open
    parsed = _parsed_frame(rows, keep, checked, frameworks, vocab, unmapped)
    quarantine = _quarantine_frame(rows, checked, frameworks)
    return parsed, quarantine, _first_month_too_late(checked)


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


def _read_sheets(
    path: Path, data: bytes, vocab: Vocabulary
) -> tuple[list[tuple[str | None, SheetRows]], list, str | None]:
    """The mapped sheets as coded columns, the skipped sheets and the CSV encoding.

    The rows of cells are dropped as soon as they are coded, before the collector runs
    again, so it never has to scan them.
    """
    with paused_gc():
        mapped, skipped = _mapped_sheets(path, data, vocab)
        sheets = [(sheet.name, _sheet_rows(sheet, layout)) for sheet, layout in mapped]
        encoding = mapped[0][0].encoding
        del mapped
    return sheets, skipped, encoding


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


def extract_file(
    path: Path, vocab: Vocabulary, framework: str | None = None, data: bytes | None = None
) -> FileExtract:
    """Read, check and parse one published file.

    ``framework`` names the framework of files that have no framework column; without it
    the file name is used (``DOS-spend-Dec2017.csv``); ``data`` is the file's bytes if
    already read. Raises :class:`LoaderInputError` for unusable input (empty, not a
    spreadsheet, corrupt, unknown layout, no data rows).
    """
    data = read_file(path) if data is None else data
    default = _named_framework(path, framework, vocab) or framework_from_file_name(path.name, vocab)
    sheets, skipped, encoding = _read_sheets(path, data, vocab)
    unmapped: dict[str, set[str]] = {}
    parsed_parts, quarantine_parts, too_late = [], [], []
    for name, rows in sheets:
        parsed, quarantine, late = _extract_sheet(rows, default, vocab, unmapped)
        too_late += [late] if late is not None else []
        label = path.name if len(sheets) == 1 else f"{path.name} [{name}]"
        parsed["source_file"] = label
        quarantine["source_file"] = label
        parsed_parts.append(parsed)
        quarantine_parts.append(quarantine)
    parsed = pd.concat(parsed_parts, ignore_index=True)
    quarantine = pd.concat(quarantine_parts, ignore_index=True)
    if parsed.empty and (quarantine.empty or quarantine["reason"].eq(BLANK).all()):
        header_row = sheets[0][1].layout.header_row + 1
        raise LoaderInputError(path, "has a header but no data rows", row=header_row)
    return FileExtract(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        layouts=[rows.layout for _, rows in sheets],
        skipped_sheets=[s for s in skipped if s],
        parsed=parsed,
        quarantine=quarantine,
        file_date=date_in_file_name(path.name),
        declared_total_gbp=_declared_total(quarantine),
        unmapped_values={k: sorted(v) for k, v in unmapped.items()},
        first_month_too_late=min(too_late, default=None),
    )
