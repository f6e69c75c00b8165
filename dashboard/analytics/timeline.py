"""Every period of a chart, zero where nothing happened: a month or a year with no spend is
a fact to show, not a gap to close up.

The periods in view run from the first to the last month the period filters choose, within
the months the store holds (all of them without a period filter); several financial years
give each of their periods.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analytics.counting import first_month_of, frame_of, last_month_of
from dashboard.analytics.filters import Filters, period_ranges
from dashboard.analytics.store import Store
from loaders.core import periods

UNDEFINED_WHEN_EMPTY = ("_pct", "hhi")  # shares and indices of nothing are not zero


def periods_in_view(store: Store, filters: Filters, period: str) -> list[str]:
    """Labels of every period (``YYYY-MM`` by ``month``, else financial years) the filters
    choose, within the store's months, oldest first."""
    table = store.table("spend")
    if table.empty:
        return []
    return periods_within(first_month_of(table), last_month_of(table), filters, period)


def periods_within(
    first_held: pd.Timestamp, last_held: pd.Timestamp, filters: Filters, period: str
) -> list[str]:
    """Labels of every period the filters choose within the months ``first_held`` to
    ``last_held`` (first days of months) that a table holds, oldest first."""
    labels: list[str] = []
    for first, last in period_ranges(filters) or [(None, None)]:
        start = first_held if first is None else max(first, first_held)
        end = last_held if last is None else min(last, last_held)
        if start <= end:
            labels += periods.period_labels_between(start, end, period)
    return list(dict.fromkeys(sorted(labels)))


def _filling(column: str) -> float:
    return np.nan if column.endswith(UNDEFINED_WHEN_EMPTY) else 0


def every_period(table: pd.DataFrame, labels: list[str], column: str = "period") -> pd.DataFrame:
    """``table`` with a row for each of ``labels`` (in that order): counts and pounds zero,
    shares and indices undefined (NaN), running totals carried forward. A table without rows
    stays empty (nothing matches: the chart says so). Built column by column as arrays and
    made a frame once (pandas re-copies the column labels for each column set)."""
    if table.empty or not labels:
        return table
    held = table[column].astype(str).to_numpy(dtype=object)
    labels = sorted(dict.fromkeys([*labels, *held]))
    where = pd.Index(held).get_indexer(labels)  # -1: a period the table lacks
    found = where >= 0
    carried = np.maximum.accumulate(np.where(found, np.arange(len(labels)), -1))
    columns: dict[str, np.ndarray] = {column: np.asarray(labels, dtype=object)}
    for name in table.columns.drop(column):
        values = table[name].to_numpy()
        if not (pd.api.types.is_numeric_dtype(table[name]) and values.dtype.kind in "iuf"):
            columns[name] = table[name].set_axis(pd.Index(held)).reindex(labels).to_numpy()
            continue  # text, dates, flags: none where the table has no row
        shown = values[np.maximum(where, 0)].astype("float64")
        if name.startswith("cumulative"):
            shown = np.where(carried >= 0, shown[np.maximum(carried, 0)], 0.0)
            shown = shown.astype(values.dtype if found.all() else "float64")
        else:
            shown[~found] = _filling(name)
            if values.dtype.kind in "iu" and not np.isnan(shown).any():
                shown = shown.astype(values.dtype)
        columns[name] = shown
    return frame_of(columns)


def in_view_periods(
    table: pd.DataFrame, store: Store, filters: Filters, period: str, column: str = "period"
) -> pd.DataFrame:
    """``table`` (whose rows may reach beyond the period in view, such as running totals
    from the first month) with every period of the store filled, then only the periods in
    view kept."""
    every = every_period(table, periods_in_view(store, Filters(), period), column)
    wanted = periods_in_view(store, filters, period)
    return every[every[column].astype(str).isin(wanted)].reset_index(drop=True)
