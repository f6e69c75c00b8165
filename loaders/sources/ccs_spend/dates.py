"""Day-first or month-first: the order of a column's numeric dates, decided from its values.

Supplier returns reach CCS with invoice dates typed either way (``22/01/2019`` and
``1/22/19``), so the order is decided per file and per column, from the values themselves:

* a value whose first number is over 12 can only be day-first; one whose second number is
  over 12 can only be month-first; a value whose two numbers are 12 or less (``3/1/19``) is
  *ambiguous* (unless both are equal, when both readings give the same month);
* values of one kind only decide the column;
* values of both kinds make the column *contradict itself*: it is read in the order most of its rows
  show (the layout's order on a tie), and each row written in the other order is quarantined with a
  reason naming both readings (:data:`loaders.sources.ccs_spend.checks.DATE_ORDER`);
* a column whose values are all ambiguous is *undecidable*: it follows its layout's
  documented order (``date_order`` in ``data/reference/layouts.csv``; day-first for a layout
  not listed there) and is flagged in the load report.

Dates held as dates, ISO text (``2019-01-22``), month names (``Jan-19``) and serial numbers
have no such ambiguity and do not count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import numpy as np

from loaders.core.parsing import Coded, months_of, numeric_date_parts, parse_month
from loaders.core.vocabulary import Vocabulary

DAY_FIRST = "day-first"
MONTH_FIRST = "month-first"
# How a column's order was decided.
BY_VALUES = "values"
BY_MAJORITY = "majority of values (the column contradicts itself)"
BY_LAYOUT = "layout's documented order (every value ambiguous)"

_DAY, _MONTH, _AMBIGUOUS = 1, 2, 3  # kinds of value


def documented_order(layout: str, vocab: Vocabulary) -> str:
    """The date order a layout documents (``day-first`` for layouts not listed)."""
    for known in vocab.layouts:
        if known.name == layout and known.date_order:
            return known.date_order
    return DAY_FIRST


@dataclass(frozen=True)
class DateColumn:
    """How one column's numeric dates were read, for the load report."""

    sheet: str | None
    column: str  # header as published
    order: str  # DAY_FIRST or MONTH_FIRST
    decided_by: str  # BY_VALUES, BY_MAJORITY or BY_LAYOUT
    day_first_rows: int  # rows only a day-first reading makes a date of
    month_first_rows: int  # rows only a month-first reading makes a date of
    ambiguous_rows: int  # rows whose two readings give different months
    contradicting_rows: int  # rows quarantined for being in the other order

    def as_report(self) -> dict[str, object]:
        """Plain data for the load report."""
        return asdict(self)


@dataclass(frozen=True)
class MonthReading:
    """The months of a column read in its order, and the rows that contradict it."""

    months: np.ndarray  # datetime64[ns], NaT where unreadable
    contradicting: np.ndarray  # bool per row
    detail: np.ndarray  # object per row: both readings of a contradicting value, else None
    column: DateColumn | None  # None when the column holds no numeric text dates


def _kind(value: object) -> int:
    parts = numeric_date_parts(value)
    if parts is None:
        return 0
    first, second = parts
    if first > 12 >= second and parse_month(value, day_first=True) is not None:
        return _DAY
    if second > 12 >= first and parse_month(value, day_first=False) is not None:
        return _MONTH
    if first <= 12 and second <= 12 and first != second:
        return _AMBIGUOUS
    return 0


def _reading(value: object, day_first: bool) -> str:
    month = parse_month(value, day_first=day_first)
    name = DAY_FIRST if day_first else MONTH_FIRST
    return f"{name} {month:%Y-%m}" if isinstance(month, dt.date) else f"no date {name}"


def _both_readings(value: object, order: str) -> str:
    first = order == DAY_FIRST
    return (
        f"{str(value).strip()}: {_reading(value, not first)}, {_reading(value, first)}; "
        f"the column reads {order} by most of its values"
    )


def read_months(
    cells: Coded, header: str, sheet: str | None, layout_order: str, date1904: bool = False
) -> MonthReading:
    """Months of a column, its numeric dates read in the order its values show (see the
    module docstring); ``date1904`` reads serial numbers on the 1904 calendar."""
    kinds = np.array([kind or 0 for kind in cells.parse_uniques(_kind)], dtype="int64")
    rows = np.bincount(cells.codes, minlength=len(cells.uniques))
    counted = {kind: int(rows[kinds == kind].sum()) for kind in (_DAY, _MONTH, _AMBIGUOUS)}
    day, month, ambiguous = counted[_DAY], counted[_MONTH], counted[_AMBIGUOUS]
    if day and month:
        order = layout_order if day == month else DAY_FIRST if day > month else MONTH_FIRST
        decided_by = BY_MAJORITY
    elif day or month:
        order, decided_by = (DAY_FIRST if day else MONTH_FIRST), BY_VALUES
    else:
        order, decided_by = layout_order, BY_LAYOUT
    months = months_of(cells, day_first=order == DAY_FIRST, date1904=date1904)
    other = _MONTH if order == DAY_FIRST else _DAY
    contradicting = (kinds == other)[cells.codes] if decided_by == BY_MAJORITY else None
    if contradicting is None:
        contradicting = np.zeros(len(cells), dtype=bool)
    detail = np.full(len(cells), None, dtype=object)
    if contradicting.any():
        detail[contradicting] = cells.subset(contradicting).map(lambda v: _both_readings(v, order))
    column = None
    if day or month or ambiguous:
        column = DateColumn(
            sheet, header, order, decided_by, day, month, ambiguous, int(contradicting.sum())
        )
    return MonthReading(months, contradicting, detail, column)
