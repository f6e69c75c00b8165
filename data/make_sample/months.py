"""Months as integer indices (0 = April 2012) and the financial years they fall in."""

from __future__ import annotations

from datetime import date

import numpy as np


def month_index(text: str) -> int:
    """Return the month index of a ``YYYY-MM`` string."""
    year, month = (int(part) for part in text.split("-"))
    return (year - 2012) * 12 + month - 4


def month_start(index: int) -> date:
    """Return the first day of the month with this index."""
    years, month0 = divmod(index + 3, 12)
    return date(2012 + years, month0 + 1, 1)


def financial_year(index: np.ndarray | int) -> np.ndarray | int:
    """Return the year in which the financial year of this month index starts."""
    return 2012 + np.asarray(index) // 12


def calendar_month(index: np.ndarray) -> np.ndarray:
    """Return the calendar month number (1-12) of month indices."""
    return (np.asarray(index) + 3) % 12 + 1


def drift(shares: tuple[float, float], fy: np.ndarray) -> np.ndarray:
    """Linearly interpolate a share between FY 2012 and FY 2025."""
    position = (np.asarray(fy, dtype=float) - 2012.0) / 13.0
    return shares[0] + (shares[1] - shares[0]) * position
