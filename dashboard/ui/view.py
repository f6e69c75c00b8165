"""A view: one chart or table of the app, with the one table its numbers come from.

A :class:`View` pairs a table builder (store + filters -> a small frame with snake_case
columns) with an optional figure builder (that frame -> a figure). The page shows the figure
and the table; the CSV and Excel downloads are that same table with the columns named by the
labels table (:mod:`dashboard.ui.labels`), so what is downloaded is exactly what is shown,
and ``dashboard.api.view_table`` rebuilds it in a notebook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.analytics.filters import Filters, describe
from dashboard.analytics.store import Store
from dashboard.ui import figures
from dashboard.ui.labels import labelled


@dataclass(frozen=True)
class View:
    """A chart or table of the app.

    ``uses_filters``: the view answers the filters (else it is the same for every link);
    ``by_period``: its title says whether it is drawn by month or by financial year;
    ``row_limit``: the most rows its table holds (the rows download), said when reached;
    ``shown``: the most rows shown on the page (the downloads hold all), when fewer than the
    tables' usual limit.
    """

    id: str
    name: str
    build_table: Callable[[Store, Filters], pd.DataFrame]
    build_figure: Callable[[pd.DataFrame, str, Filters], go.Figure] | None = None
    uses_filters: bool = True
    by_period: bool = False
    row_limit: int | None = None
    shown: int | None = None

    def capped(self, table: pd.DataFrame) -> str:
        """What to say when ``table`` stopped at the view's row limit, else ``""``."""
        if self.row_limit is None or len(table) < self.row_limit:
            return ""
        return (f"This download has the newest {self.row_limit:,} rows only: the most one "
                "download gives. Narrow the filters (a shorter period, one framework...) to "
                "download the others.")  # fmt: skip

    def title(self, filters: Filters) -> str:
        """Heading that says what is shown, for which period and filters."""
        if not self.uses_filters:
            return self.name
        shown_by = ""
        if self.by_period:
            shown_by = {"month": " by month", "quarter": " by financial quarter"}.get(
                filters.shown_by, " by financial year"
            )
        return f"{self.name}{shown_by}: {describe(filters)}"

    def table(self, store: Store, filters: Filters) -> pd.DataFrame:
        """The view's table for these filters, snake_case columns (memoised)."""
        key = filters if self.uses_filters else Filters()
        return store.memoised(f"view:{self.id}", key, lambda: self.build_table(store, key))

    def labelled(self, store: Store, filters: Filters) -> tuple[pd.DataFrame, list[str]]:
        """The table as shown and downloaded (columns named by the labels table), and the
        unit of each column."""
        return labelled(self.table(store, filters), self.id, filters)

    def figure(self, store: Store, filters: Filters) -> go.Figure | None:
        """The view's figure, or ``None`` for table-only views."""
        if self.build_figure is None:
            return None
        table = self.table(store, filters)
        if table.empty:
            return figures.empty_figure(self.title(filters))
        return self.build_figure(table, self.title(filters), filters)
