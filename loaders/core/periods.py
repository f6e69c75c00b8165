"""Periods, in one place: months and UK financial years (April to March).

A month is held as its first day (``pandas.Timestamp``) and labelled ``YYYY-MM``; a financial
year is labelled ``2013-14`` (April 2013 to March 2014) and identified by the calendar year it
starts in (2013). Loaders, aggregates, the app and the notebooks all use these functions, so
every financial year is cut the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

FIRST_MONTH = 4  # financial years start in April
MONTH_FORMAT = "%Y-%m"
FY_MONTH_NAMES = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb",
                  "Mar")  # fmt: skip
_FY_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
_MONTH_LABEL = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


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
    """The financial-year label of each month of a datetime column (string dtype)."""
    start = months.dt.year - (months.dt.month < FIRST_MONTH).astype("int64")
    labels = (
        start.astype("Int64").astype("string")
        + "-"
        + ((start + 1) % 100).astype("Int64").astype("string").str.zfill(2)
    )
    return labels.astype("string")


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
    first = fy_first_month(label)
    return first, first + pd.DateOffset(months=11)


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


def fy_numbers(month_number: np.ndarray) -> np.ndarray:
    """Financial-year start years of month numbers (see :func:`month_numbers`)."""
    return (month_number - (FIRST_MONTH - 1)) // 12


def label_of_month_number(number: int) -> str:
    """``YYYY-MM`` of a month number."""
    year, month = divmod(int(number), 12)
    return f"{year}-{month + 1:02d}"


def period_labels_between(first: pd.Timestamp, last: pd.Timestamp, period: str) -> list[str]:
    """Every period label (``YYYY-MM`` by ``month``, else financial years) from the period
    holding ``first`` to the one holding ``last``: the axis of a chart with no gaps."""
    if period == "month":
        return [month_label(m) for m in months_between(first, last)]
    return fy_labels_between(financial_year_of(first), financial_year_of(last))
