"""Periods, in one place: months, financial quarters and UK financial years (April to March).

A month is held as its first day (``pandas.Timestamp``) and labelled ``YYYY-MM``; a financial
year is labelled ``2013-14`` (April 2013 to March 2014) and identified by the calendar year it
starts in (2013); a financial quarter is labelled ``2013-14 Q1`` (Q1 April to June, Q2 July to
September, Q3 October to December, Q4 January to March), so its four quarters add up to the
financial year. Loaders, aggregates, the app and the notebooks all use these functions, so
every period is cut the same way. :data:`PERIOD_KINDS` lists the kinds a view can be shown by.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa

FIRST_MONTH = 4  # financial years start in April
MONTH_FORMAT = "%Y-%m"
FY_MONTH_NAMES = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb",
                  "Mar")  # fmt: skip
_FY_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
_MONTH_LABEL = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER_LABEL = re.compile(r"^(\d{4})-(\d{2}) Q([1-4])$")
MONTHS_PER_QUARTER = 3
# The kinds of period a view can be shown by: parameter value -> label shown to people.
PERIOD_KINDS = {
    "month": "Months",
    "quarter": "Financial quarters (Q1 April to June)",
    "fy": "Financial years (April to March)",
}


def fy_label(start_year: int) -> str:
    """Label of the financial year starting in April of ``start_year``: 2013 -> ``2013-14``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def fy_start_year(label: str) -> int | None:
    """Calendar year a financial-year label starts in (``2013-14`` -> 2013); ``None`` when the
    label is malformed or its two years do not follow each other (``2013-15``)."""
    match = _FY_LABEL.match(str(label).strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        return None
    return int(match[1])


def is_fy_label(label: str) -> bool:
    """Whether ``label`` is a well-formed financial-year label such as ``2013-14``."""
    return fy_start_year(label) is not None


def financial_year_of(month: pd.Timestamp) -> str:
    """``2013-14`` for any month (or day) from April 2013 to March 2014."""
    start = month.year if month.month >= FIRST_MONTH else month.year - 1
    return fy_label(start)


def financial_years(months: pd.Series) -> pd.Series:
    """The financial-year label of each month of a datetime column (string dtype; missing
    where the month is). Each distinct year is formatted once and the labels are laid out
    by code in Arrow, so ten million rows hold no string object of their own."""
    known = months.notna().to_numpy()
    start = np.zeros(len(months), "int64")
    start[known] = months.dt.year.to_numpy()[known] - (
        months.dt.month.to_numpy()[known] < FIRST_MONTH
    )
    low = int(start[known].min()) if known.any() else 0
    codes = np.where(known, start - low, -1).astype("int32")
    labels = [fy_label(low + i) for i in range(int(codes.max(initial=-1)) + 1)]
    indices = pa.array(codes, type=pa.int32(), mask=~known)
    decoded = pa.DictionaryArray.from_arrays(indices, pa.array(labels, pa.string()))
    values = pd.array(decoded.dictionary_decode(), dtype=pd.StringDtype("pyarrow"))
    return pd.Series(values, index=months.index, name=months.name).astype("string")


def previous_fy(label: str) -> str:
    """The financial year before: ``2013-14`` -> ``2012-13``."""
    start = fy_start_year(label)
    if start is None:
        raise ValueError(f"not a financial year: {label!r}")
    return fy_label(start - 1)


def fy_first_month(label: str) -> pd.Timestamp:
    """First month (April) of a financial year."""
    start = fy_start_year(label)
    if start is None:
        raise ValueError(f"not a financial year: {label!r}")
    return pd.Timestamp(year=start, month=FIRST_MONTH, day=1)


def fy_range(label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last months (April, March) of a financial year."""
    first = fy_first_month(label)  # the March after it, built directly (no date offset)
    return first, pd.Timestamp(year=first.year + 1, month=FIRST_MONTH - 1, day=1)


def fy_labels_between(first: str, last: str) -> list[str]:
    """Every financial year from ``first`` to ``last``, both included (empty if reversed)."""
    low, high = fy_start_year(first), fy_start_year(last)
    if low is None or high is None:
        raise ValueError(f"not financial years: {first!r}, {last!r}")
    return [fy_label(year) for year in range(low, high + 1)]


def is_month_label(label: str) -> bool:
    """Whether ``label`` is a month written ``YYYY-MM``."""
    return bool(_MONTH_LABEL.match(str(label).strip()))


def month_start(label: str) -> pd.Timestamp:
    """The first day of a ``YYYY-MM`` month."""
    if not is_month_label(label):
        raise ValueError(f"not a month: {label!r}")
    return pd.Timestamp(str(label).strip() + "-01")


def month_label(month: pd.Timestamp) -> str:
    """``YYYY-MM`` of a month (or any day in it)."""
    return month.strftime(MONTH_FORMAT)


def months_between(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """Every month from ``first`` to ``last`` (first days), both included."""
    return pd.date_range(first.replace(day=1), last.replace(day=1), freq="MS")


def month_numbers(months: Iterable | np.ndarray | pd.Series) -> np.ndarray:
    """Months as consecutive integers (``year * 12 + month - 1``), for counting with arrays."""
    values = np.asarray(months, dtype="datetime64[ns]")
    return values.astype("datetime64[M]").astype("int64") + 1970 * 12


def month_number_of(month: pd.Timestamp) -> int:
    """The month number (:func:`month_numbers`) of one month (or any day in it), of any
    year a ``Timestamp`` holds."""
    return month.year * 12 + month.month - 1


def months_of_numbers(month_number: Iterable | np.ndarray) -> np.ndarray:
    """First days of the months of month numbers (:func:`month_numbers`), as
    ``datetime64[ns]``: its inverse."""
    numbers = np.asarray(month_number, dtype="int64") - 1970 * 12
    return numbers.astype("datetime64[M]").astype("datetime64[ns]")


def month_of_number(number: int) -> pd.Timestamp:
    """First day of the month of a month number (:func:`month_numbers`)."""
    year, month = divmod(int(number), 12)
    return pd.Timestamp(year=year, month=month + 1, day=1)


def fy_numbers(month_number: np.ndarray) -> np.ndarray:
    """Financial-year start years of month numbers (see :func:`month_numbers`)."""
    return (month_number - (FIRST_MONTH - 1)) // 12


def label_of_month_number(number: int) -> str:
    """``YYYY-MM`` of a month number."""
    year, month = divmod(int(number), 12)
    return f"{year}-{month + 1:02d}"


def quarter_numbers(month_number: np.ndarray) -> np.ndarray:
    """Financial-quarter numbers of month numbers: consecutive integers, ``fy * 4 + q - 1``
    (``q`` 1 for April to June), so a quarter's number divided by 4 is its financial year."""
    return (month_number - (FIRST_MONTH - 1)) // MONTHS_PER_QUARTER


def quarter_label_of_number(number: int) -> str:
    """``2013-14 Q1`` of a quarter number (see :func:`quarter_numbers`)."""
    year, quarter = divmod(int(number), 4)
    return f"{fy_label(year)} Q{quarter + 1}"


def quarter_of(month: pd.Timestamp) -> str:
    """``2013-14 Q1`` for any month (or day) from April to June 2013."""
    number = quarter_numbers(month_numbers([month]))[0]
    return quarter_label_of_number(int(number))


def is_quarter_label(label: str) -> bool:
    """Whether ``label`` is a financial quarter written ``2013-14 Q1``."""
    match = _QUARTER_LABEL.match(str(label).strip())
    return bool(match) and fy_start_year(f"{match[1]}-{match[2]}") is not None


def quarter_range(label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last months of a financial quarter (``2013-14 Q4``: 2014-01, 2014-03)."""
    match = _QUARTER_LABEL.match(str(label).strip())
    if not match or not is_quarter_label(label):
        raise ValueError(f"not a financial quarter: {label!r}")
    first = fy_first_month(f"{match[1]}-{match[2]}")
    first += pd.DateOffset(months=MONTHS_PER_QUARTER * (int(match[3]) - 1))
    return first, first + pd.DateOffset(months=MONTHS_PER_QUARTER - 1)


def period_numbers(month_number: np.ndarray, period: str) -> np.ndarray:
    """The period of each month number as consecutive integers: the month number itself
    (``month``), its quarter number (``quarter``) or its financial-year start (``fy``)."""
    if period == "month":
        return month_number
    if period == "quarter":
        return quarter_numbers(month_number)
    return fy_numbers(month_number)


def label_of_period_number(number: int, period: str) -> str:
    """Label of a period number (:func:`period_numbers`): ``2013-04``, ``2013-14 Q1`` or
    ``2013-14``."""
    if period == "month":
        return label_of_month_number(number)
    if period == "quarter":
        return quarter_label_of_number(number)
    return fy_label(int(number))


def period_labels_between(first: pd.Timestamp, last: pd.Timestamp, period: str) -> list[str]:
    """Every period label (``YYYY-MM`` by ``month``, ``2013-14 Q1`` by ``quarter``, else
    financial years) from the period holding ``first`` to the one holding ``last``: the axis
    of a chart with no gaps."""
    low, high = (period_numbers(month_numbers([m]), period)[0] for m in (first, last))
    return [label_of_period_number(n, period) for n in range(int(low), int(high) + 1)]
