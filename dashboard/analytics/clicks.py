"""Click to filter: what a click on a chart's bar, point or legend entry does to the filters.

A chart says which filter its points and its legend entries choose (:class:`Click`); a click
gives the value (a period label from the axis, or the value a point carries: a sector, a
supplier, a lot; a legend entry's name: a buyer group), and :func:`filters_for_click` gives
the filters of the page narrowed to it, so the page, its link and its controls follow.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dashboard.analytics.filters import (
    CHOICE,
    GROUP,
    NAMES,
    PARAM_BY_FIELD,
    Filters,
)
from loaders.core import periods

PERIOD = "period"  # a point chooses its period: a financial year or a month
CARRIED = "*"  # a point carries ``[field, value]`` itself (bars of iterations or of lots)


@dataclass(frozen=True)
class Click:
    """What a click on a chart chooses: ``point`` the filter a bar or point sets (a
    :class:`Filters` field, :data:`PERIOD` or :data:`CARRIED`), ``legend`` the filter a
    legend entry sets (its trace's name is the value); ``None``: that click does nothing."""

    point: str | None = None
    legend: str | None = None

    def hint(self) -> str:
        """What a reader can click, in words (shown under the chart)."""
        parts = []
        if self.point:
            parts.append("select a bar or point to show only that "
                         + _words(self.point))  # fmt: skip
        if self.legend:
            parts.append("select a legend entry to show only that " + _words(self.legend))
        return ("Filter by clicking: " + "; ".join(parts) + ".") if parts else ""


def _words(field: str) -> str:
    if field == PERIOD:
        return "period"
    if field == CARRIED:
        return "iteration or lot"
    return PARAM_BY_FIELD[field].words or field


def filters_for_click(filters: Filters, field: str, value: object) -> Filters | None:
    """``filters`` narrowed to ``value`` of ``field`` (a period label: that financial year,
    quarter or month; a name or a choice: that one), or ``None`` when the value cannot be
    one."""
    if field == CARRIED:
        if not (isinstance(value, (list, tuple)) and len(value) == 2):
            return None
        field, value = value
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if field == PERIOD:
        if periods.is_fy_label(value):
            return replace(filters, fy=(value,), date_from=None, date_to=None)
        if periods.is_month_label(value):
            return replace(filters, fy=(), date_from=value, date_to=value)
        if periods.is_quarter_label(value):
            first, last = (periods.month_label(m) for m in periods.quarter_range(value))
            return replace(filters, fy=(), date_from=first, date_to=last)
        return None
    param = PARAM_BY_FIELD.get(field)
    if param is None or param.kind not in (CHOICE, GROUP, NAMES):
        return None
    return replace(filters, **{field: (value,)})
