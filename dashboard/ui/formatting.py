"""Number formats used everywhere in the app: money, shares and counts."""

from __future__ import annotations

import math

_TIERS = ((1e3, "k", 0), (1e6, "m", 1), (1e9, "bn", 2))


def format_money(value: float | None) -> str:
    """``£1.70bn`` from £1bn, ``£217.5m`` from £1m, ``£950k`` from £1k, ``£850`` below.

    The smallest unit whose rounded figure stays below 1,000 is used, so a value that
    rounds up to the next unit is shown in it (£999,960 is ``£1.0m``, not ``£1000k``).
    Negative values carry a minus sign before the pound sign.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "-" if value < 0 else ""
    size = abs(value)
    if round(size) < 1000:
        return f"{sign}£{size:,.0f}"
    for threshold, suffix, places in _TIERS:
        scaled = round(size / threshold, places)
        if scaled < 1000 or suffix == "bn":
            return f"{sign}£{scaled:,.{places}f}{suffix}"
    raise AssertionError("unreachable")


def format_share(value: float | None) -> str:
    """A percentage with one decimal: ``79.3%``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.1f}%"


def format_count(value: int | float | None) -> str:
    """A count with thousands separators: ``1,293``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{int(value):,}"


def format_pounds_exact(value: float | None) -> str:
    """Exact amount for tables and hover text: ``£1,234,567.89``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"
