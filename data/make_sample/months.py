"""Months as integer indices (0 = April 2012) and the financial years they fall in.

Financial-year arithmetic is :mod:`loaders.core.periods`' (one place for it): an index is a
``periods.month_numbers`` month number less that of the first month.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from data.make_sample.settings import FIRST_MONTH, N_MONTHS
from loaders.core import periods


def month_number(label: str) -> int:
    """``periods`` month number of a ``YYYY-MM`` label (ValueError when malformed)."""
    return int(periods.month_numbers([periods.month_start(label)])[0])


FIRST_MONTH_NUMBER = month_number(FIRST_MONTH)


def month_index(label: str) -> int:
    """Return the month index of a ``YYYY-MM`` label."""
    return month_number(label) - FIRST_MONTH_NUMBER


def month_start(index: int) -> date:
    """Return the first day of the month with this index."""
    year, month0 = divmod(FIRST_MONTH_NUMBER + index, 12)
    return date(year, month0 + 1, 1)


def financial_year(index: np.ndarray) -> np.ndarray:
    """Return the year in which the financial year of each month index starts."""
    return periods.fy_numbers(np.asarray(index) + FIRST_MONTH_NUMBER)


def calendar_month(index: np.ndarray) -> np.ndarray:
    """Return the calendar month number (1-12) of month indices."""
    return (np.asarray(index) + FIRST_MONTH_NUMBER) % 12 + 1


def fy_first_index(fy: int) -> int:
    """Month index of the April that starts the financial year starting in ``fy``."""
    return month_index(periods.month_label(periods.fy_first_month(periods.fy_label(fy))))


FIRST_FY = int(financial_year(0))  # 2012: 2012-13
LAST_FY = int(financial_year(N_MONTHS - 1))  # 2025: 2025-26, April to September only


def drift(shares: tuple[float, float], fy: np.ndarray) -> np.ndarray:
    """Linearly interpolate a share from its first financial year's value to its last's."""
    position = (np.asarray(fy, dtype=float) - float(FIRST_FY)) / float(LAST_FY - FIRST_FY)
    return shares[0] + (shares[1] - shares[0]) * position
