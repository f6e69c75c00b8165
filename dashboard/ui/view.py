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

from dashboard.analytics.clicks import Click
from dashboard.analytics.filters import Filters, describe
from dashboard.analytics.held_periods import KINDS, SPEND, none_held_note, part_years
from dashboard.analytics.store import Store
from dashboard.ui import figures
from dashboard.ui.labels import labelled, read_labels
from loaders.core import periods


@dataclass(frozen=True)
class View:
    """A chart or table of the app.

    ``uses_filters``: the view answers the filters (else it is the same for every link);
    ``by_period``: its title says whether it is drawn by month or by financial year;
    ``row_limit``: the most rows its table holds (the rows download), said when reached;
    ``kind``: the data it shows (``spend`` or ``notices``: their periods, part years and
    what to say when the period holds none); ``click``: what a click on its chart's bars or
    legend filters the page to (:mod:`dashboard.analytics.clicks`);
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
    kind: str = SPEND
    click: Click | None = None
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
        """The view's table for these filters, snake_case columns, names of customers and
        suppliers as people write them (``BJSS Ltd`` for ``BJSS LTD``: see
        :mod:`dashboard.analytics.names`), memoised."""
        key = filters if self.uses_filters else Filters()
        return store.memoised(
            f"view:{self.id}",
            key,
            lambda: readable_names(store, self.build_table(store, key), self.id),  # fmt: skip
        )

    def part_years(self, store: Store, filters: Filters) -> tuple[str | None, dict[str, str]]:
        """The table's financial-year column (``None`` if it has none) and, of its years,
        those the data cover only in part, with the months covered."""
        table = self.table(store, filters)
        column = fy_column(table)
        if column is None:
            return None, {}
        return column, part_years(store, self.kind, filters, table[column].astype(str).tolist())

    def labelled(self, store: Store, filters: Filters) -> tuple[pd.DataFrame, list[str]]:
        """The table as shown and downloaded (columns named by the labels table), and the
        unit of each column; a table by financial year where some year is a part year says
        which months each year covers (``months_covered``, beside the year)."""
        table = self.table(store, filters)
        column, part = self.part_years(store, filters)
        if part:
            covered = table[column].astype(str).map(lambda y: f"{part[y]} (part year)"
                                                    if y in part else "Apr–Mar")  # fmt: skip
            table = table.copy()
            table.insert(table.columns.get_loc(column) + 1, MONTHS_COVERED, covered)
        return labelled(table, self.id, filters)

    def empty_message(self, store: Store, filters: Filters) -> str:
        """What an empty chart says: that the period holds none of the view's data at all,
        when so (``No notices in financial year 2013-14: ...``), else that nothing matches."""
        note = none_held_note(store, self.kind, filters)
        return note or KINDS[self.kind].nothing

    def figure(self, store: Store, filters: Filters) -> go.Figure | None:
        """The view's figure, or ``None`` for table-only views."""
        if self.build_figure is None:
            return None
        table = self.table(store, filters)
        if table.empty:
            return figures.empty_figure(self.title(filters), self.empty_message(store, filters))
        figure = self.build_figure(table, self.title(filters), filters)
        if self.click is not None and self.click.legend:
            figures.legend_filters(figure)
        return figures.mark_part_periods(figure, self.part_years(store, filters)[1])


MONTHS_COVERED = "months_covered"
NAME_UNITS = ("customer", "supplier")


def readable_names(store: Store, table: pd.DataFrame, view_id: str) -> pd.DataFrame:
    """``table`` with the names in its customer and supplier columns (by the labels table's
    unit) as people write them; the table itself when none was published in capitals."""
    labels = read_labels()
    changed = {}
    for column in table.columns:
        unit = labels.label(str(column), view_id).unit
        if unit in NAME_UNITS and not pd.api.types.is_numeric_dtype(table[column]):
            lookup = store.body_index.readable_names(unit)
            values = table[column].astype(object)
            if values.isin(list(lookup)).any():
                changed[column] = values.map(lambda v, lk=lookup: lk.get(v, v))
    return table.assign(**changed) if changed else table


def fy_column(table: pd.DataFrame) -> str | None:
    """The column of a table by financial year (``financial_year``, or ``period`` holding
    financial-year labels), else ``None``."""
    for column in ("financial_year", "period"):
        if column in table.columns and len(table):
            values = pd.unique(table[column].dropna().to_numpy(dtype=object))  # each once
            if len(values) and all(periods.is_fy_label(str(v)) for v in values):
                return column
    return None
