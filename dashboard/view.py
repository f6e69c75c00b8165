"""A view: one chart or table of the app, with the one table its numbers come from.

A :class:`View` pairs a table builder (data + filters -> a small frame with display column
names) with an optional figure builder. The page shows the figure and that table; the CSV
and Excel downloads are that same table, so what is downloaded is exactly what is shown.
Money columns end in ``(£)``, percentages in ``(%)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import figures
from dashboard.data import DashboardData
from dashboard.filters import Filters, describe


@dataclass(frozen=True)
class View:
    """A chart or table of the app."""

    id: str
    name: str
    build_table: Callable[[DashboardData, Filters], pd.DataFrame]
    build_figure: Callable[[pd.DataFrame, str, Filters], go.Figure] | None = None
    uses_filters: bool = True
    by_period: bool = False

    def title(self, filters: Filters) -> str:
        """Heading that says what is shown, for which period and filters."""
        if not self.uses_filters:
            return self.name
        shown_by = ""
        if self.by_period:
            shown_by = " by month" if filters.shown_by == "month" else " by financial year"
        return f"{self.name}{shown_by}: {describe(filters)}"

    def table(self, data: DashboardData, filters: Filters) -> pd.DataFrame:
        """The view's table for these filters (memoised)."""
        key = filters if self.uses_filters else Filters()
        return data.memoised(f"view:{self.id}", key, lambda: self.build_table(data, key))

    def figure(self, data: DashboardData, filters: Filters) -> go.Figure | None:
        """The view's figure, or ``None`` for table-only views."""
        if self.build_figure is None:
            return None
        table = self.table(data, filters)
        if table.empty:
            return figures.empty_figure(self.title(filters))
        return self.build_figure(table, self.title(filters), filters)


def _period_name(filters: Filters) -> str:
    return "Month" if filters.shown_by == "month" else "Financial year"


def period_name(filters: Filters) -> str:
    """Column heading of the period: ``Month`` or ``Financial year``."""
    return "Month" if filters.shown_by == "month" else "Financial year"
