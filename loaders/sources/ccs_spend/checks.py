"""The quarantine rules: why a data row cannot be spend, checked in a fixed order.

Every data row below the header either passes every check or gets the reason of the first
check it fails, the column at fault and the raw value (:class:`Checked`). The order:

1. ``blank row``; 2. ``totals row`` (a label cell says Total / Grand Total); 3. ``Excel
error`` (``#REF!``, ``#N/A``... in the spend or month cell; the detail is the value);
4. ``formula without a value`` (a formula stored with no result that could not be worked out,
in any loaded column: :mod:`loaders.core.formula_values`; the detail is the formula);
5. ``note or footnote row`` (at most two cells, no amount and no month); 6. ``missing spend``; 7.
   ``unparseable spend``; 8. ``missing month``; 9. ``date order contradicts its column`` (the detail
   names both readings: :mod:`loaders.sources.ccs_spend.dates`); 10. ``unparseable month``;
11. ``month out of range``; 12. ``missing framework``.

Rows set aside when releases are combined get ``superseded by a newer release`` (an older
release, or an older version of the same release) or ``overlaps another file (ambiguous
versions)`` (:mod:`loaders.sources.ccs_spend.versions`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.core.formula_values import Unevaluated
from loaders.core.parsing import Coded, clean_name, is_excel_error, money_of
from loaders.core.vocabulary import simplify
from loaders.sources.ccs_spend.dates import MonthReading
from loaders.sources.ccs_spend.sheet_rows import NOTE_ROW_MAX_CELLS, SheetRows, is_empty

TOTAL_WORDS = frozenset({"total", "totals", "grandtotal", "subtotal", "overalltotal"})
EARLIEST_MONTH = pd.Timestamp("2000-01-01")

# Quarantine reasons, in the order they are checked.
BLANK = "blank row"
TOTALS = "totals row"
EXCEL_ERROR = "Excel error"
FORMULA = "formula without a value"
NOTE = "note or footnote row"
MISSING_SPEND = "missing spend"
BAD_SPEND = "unparseable spend"
MISSING_MONTH = "missing month"
DATE_ORDER = "date order contradicts its column"
BAD_MONTH = "unparseable month"
MONTH_RANGE = "month out of range"
NO_FRAMEWORK = "missing framework"
# Reasons given when releases are combined (the row was read and parsed).
SUPERSEDED = "superseded by a newer release"
AMBIGUOUS = "overlaps another file (ambiguous versions)"
COMBINING_REASONS = frozenset({SUPERSEDED, AMBIGUOUS})

# What to do about a file none of whose rows can be loaded, by the reason most rows got.
FIXES = {
    NO_FRAMEWORK: "name its framework with --framework NAME (e.g. --framework 'G-Cloud')",
    BAD_MONTH: "check its month column: no value reads as a month",
    MISSING_MONTH: "its month column is empty",
    MONTH_RANGE: "check its month column: every month is before 2000 or more than a year ahead",
    DATE_ORDER: "its dates mix day-first and month-first: correct the file",
    BAD_SPEND: "check its spend column: no value reads as an amount of pounds",
    MISSING_SPEND: "its spend column is empty",
    EXCEL_ERROR: "its spend or month cells hold Excel errors: fix the formulas and export again",
    FORMULA: "its formulas have no stored value and cannot be worked out: open and save it in "
    "a spreadsheet program",
}
NO_DATA_FIX = "it holds no data rows, only totals, notes or blanks"


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

    def flag_with(self, mask: np.ndarray, reason: str, column: str, detail: np.ndarray) -> None:
        """Like :meth:`flag`, with a detail already written for each row."""
        todo = mask & self.open
        self.flag(todo, reason, column)
        self.detail[todo] = detail[todo]


def _is_total_label(value: object) -> bool:
    key = simplify(value)
    return key in TOTAL_WORDS or key.startswith("grandtotal")


def total_marker(rows: SheetRows) -> np.ndarray:
    """Rows whose label cells say ``Total`` / ``Grand Total``."""
    marker = np.zeros(len(rows), dtype=bool)
    for name, column in rows.raw.items():
        if name not in ("spend", "month", "invoice_date"):
            marker |= column.map(_is_total_label).astype(bool)
    return marker


def _is_unevaluated(value: object) -> bool:
    return isinstance(value, Unevaluated)


def latest_month() -> pd.Timestamp:
    """The latest month of spend accepted today (a year ahead, for dating slips)."""
    return pd.Timestamp(dt.date.today()) + pd.DateOffset(years=1)


def _out_of_range(month: np.ndarray) -> np.ndarray:
    latest = latest_month().to_datetime64()
    return (month < EARLIEST_MONTH.to_datetime64()) | (month > latest)


def check_rows(rows: SheetRows, months: MonthReading, framework_known: np.ndarray) -> Checked:
    """Parse each row's spend and take its month from ``months``; flag the rows that fail
    a check, in the order of the module docstring."""
    headers, month_field = rows.layout.headers, rows.month_field()
    spend_cells, month_cells = rows.raw["spend"], rows.raw[month_field]
    checked = Checked.start(money_of(spend_cells), months.months)
    spend_empty, month_empty = is_empty(spend_cells), is_empty(month_cells)
    spend_bad, month_bad = np.isnan(checked.spend), np.isnat(checked.month)
    spend_header, month_header = headers["spend"], headers[month_field]
    checked.flag(rows.blank, BLANK, "")
    checked.flag(total_marker(rows), TOTALS, "")
    for cells, header in ((spend_cells, spend_header), (month_cells, month_header)):
        checked.flag(cells.map(is_excel_error).astype(bool), EXCEL_ERROR, header, cells)
    for name, cells in rows.raw.items():
        unevaluated = cells.map(_is_unevaluated).astype(bool)
        if unevaluated.any():
            checked.flag_with(
                unevaluated, FORMULA, headers.get(name, name), cells.map(str).astype(object)
            )
    note = (spend_empty | spend_bad) & month_empty
    checked.flag(note & (rows.filled_cells <= NOTE_ROW_MAX_CELLS), NOTE, "")
    checked.flag(spend_empty, MISSING_SPEND, spend_header)
    checked.flag(spend_bad, BAD_SPEND, spend_header, spend_cells)
    checked.flag(month_empty, MISSING_MONTH, month_header)
    checked.flag_with(months.contradicting, DATE_ORDER, month_header, months.detail)
    checked.flag(month_bad, BAD_MONTH, month_header, month_cells)
    checked.flag(_out_of_range(checked.month), MONTH_RANGE, month_header, month_cells)
    checked.flag(~framework_known, NO_FRAMEWORK, headers.get("framework", "Framework"))
    return checked


def first_month_too_late(checked: Checked) -> pd.Timestamp | None:
    """The earliest month quarantined as later than the accepted range, if any."""
    too_late = (checked.reason == MONTH_RANGE) & (checked.month > EARLIEST_MONTH.to_datetime64())
    late = checked.month[too_late]
    return pd.Timestamp(late.min()) if len(late) else None


def nothing_loaded_problem(quarantine: pd.DataFrame) -> str:
    """The one-line problem of a file none of whose rows can be loaded: how many rows were
    quarantined and why, and what to do about it."""
    data = quarantine[~quarantine["reason"].isin((BLANK, TOTALS, NOTE))]
    if data.empty:
        return f"no row can be loaded: {NO_DATA_FIX}"
    counts = data["reason"].value_counts()
    reason = str(counts.index[0])
    reasons = "; ".join(f"{n:,} {r}" for r, n in counts.items())
    fix = FIXES.get(reason, "check the file")
    return f"no row can be loaded: all {len(data):,} data rows quarantined ({reasons}); {fix}"
