"""Selecting lines by filters: periods as slices of month-sorted tables, values as masks.

Works on spend rows and on the pre-aggregated tables alike (they share the columns).
Customer and supplier filters go through one :class:`~dashboard.analytics.bodies.BodyIndex`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dashboard.analytics.bodies import Bodies, BodyIndex
from dashboard.analytics.counting import MONTH_NUMBER
from dashboard.analytics.filters import COLUMN_FILTERS, Filters, period_ranges
from loaders.core import periods
from loaders.core.vocabulary import Vocabulary, load_vocabulary, simplify


def matches(column: pd.Series, accept: Callable[[Any], bool]) -> np.ndarray:
    """Rows whose value ``accept`` takes, deciding once per distinct value (per category)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories
        lookup = np.fromiter((accept(c) for c in categories), bool, len(categories))
        lookup = np.append(lookup, False)  # code -1 (null) reads the last entry: no match
        return lookup[column.cat.codes.to_numpy()]
    values = column.astype(object)
    chosen = [v for v in values.dropna().unique() if accept(v)]
    return values.isin(chosen).to_numpy()


def one_of(column: pd.Series, values: frozenset[str]) -> np.ndarray:
    """Rows whose value is exactly one of ``values`` (vectorised over the categories)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        lookup = np.append(column.cat.categories.isin(list(values)), False)
        return lookup[column.cat.codes.to_numpy()]
    return column.isin(list(values)).to_numpy()


def _in(column: pd.Series, wanted: tuple[str, ...]) -> np.ndarray:
    """Rows whose value is one of ``wanted``, compared case- and punctuation-blind."""
    keys = {simplify(w) for w in wanted}
    return matches(column, lambda value: simplify(value) in keys)


def time_mask(spend: pd.DataFrame, filters: Filters) -> pd.Series:
    """Rows in the period the filters choose (financial years, or from/to months)."""
    ranges = period_ranges(filters)
    if not ranges:
        return pd.Series(True, index=spend.index)
    if MONTH_NUMBER in spend.columns:
        months, key = _month_keys(spend)
    else:  # spend rows: dates compared by pandas, whatever their unit or year
        months, key = spend["month"], (lambda month: month)
    mask = np.zeros(len(spend), bool)
    for first, last in ranges:
        inside = np.ones(len(spend), bool)
        if first is not None:
            inside &= np.asarray(months >= key(first))
        if last is not None:
            inside &= np.asarray(months <= key(last))
        mask |= inside
    return pd.Series(mask, index=spend.index)


# the first and last months a datetime64[ns] holds: a link's month beyond them (years 1 to
# 9999) is beyond every line's month
FIRST_NS_MONTH, LAST_NS_MONTH = pd.Timestamp("1677-10-01"), pd.Timestamp("2262-04-01")


def _month_keys(spend: pd.DataFrame) -> tuple[np.ndarray, Callable[[pd.Timestamp], Any]]:
    """Each line's month as the frame holds it (month numbers, else ``datetime64``), and
    how to write a month (first day) the same way, for comparing and bisecting. A month
    number is a scalar of the numbers' own dtype: NumPy would otherwise convert the whole
    array to the scalar's (9 ms a bisection of 10M int16 numbers with an int64 month)."""
    if MONTH_NUMBER in spend.columns:
        numbers = spend[MONTH_NUMBER].to_numpy()
        bounds = np.iinfo(numbers.dtype)  # a month beyond them is beyond every line's

        def number(month: pd.Timestamp) -> Any:
            exact = periods.month_number_of(month)
            return numbers.dtype.type(min(max(exact, bounds.min), bounds.max))

        return numbers, number

    def date(month: pd.Timestamp) -> np.datetime64:  # in nanoseconds, which wrap past them
        return min(max(month, FIRST_NS_MONTH), LAST_NS_MONTH).as_unit("ns").to_datetime64()

    return spend["month"].to_numpy(), date


def _period_bounds(spend: pd.DataFrame, filters: Filters) -> list[tuple[int, int]]:
    """Row slices ``(start, stop)`` of a frame sorted by month that hold the period (the
    whole frame when the filters choose none), adjacent slices joined."""
    months, key = _month_keys(spend)
    bounds = [
        (
            0 if first is None else int(np.searchsorted(months, key(first), "left")),
            len(months) if last is None else int(np.searchsorted(months, key(last), "right")),
        )
        for first, last in period_ranges(filters) or [(None, None)]
    ]  # fmt: skip
    return joined_slices(bounds)


def positions_in_period(spend: pd.DataFrame, filters: Filters, positions: np.ndarray) -> np.ndarray:
    """Those of ``positions`` (ascending row positions of a frame sorted by month, such as
    one department's lines) that fall in the period, in order: found by bisection, no scan."""
    parts = [
        positions[np.searchsorted(positions, start) : np.searchsorted(positions, stop)]
        for start, stop in _period_bounds(spend, filters)
    ]
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _period_rows(
    spend: pd.DataFrame, filters: Filters, sorted_by_month: bool
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The rows in the period: a frame, and the positions in it of the rows in the period
    (``None``: every row of the frame). A frame sorted by month is cut into slices, not
    scanned, and one run of months (adjacent financial years join) is a view of it."""
    if not period_ranges(filters):
        return spend, None
    if not sorted_by_month:
        return spend, np.flatnonzero(time_mask(spend, filters).to_numpy())
    bounds = _period_bounds(spend, filters)
    if len(bounds) == 1:
        return spend.iloc[bounds[0][0] : bounds[0][1]], None
    return spend, np.concatenate([np.arange(a, b) for a, b in bounds])


def joined_slices(bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Row slices ``(start, stop)``, in order, with each slice that begins where the one
    before it ends joined to it (the rows are the same, in the same order)."""
    joined: list[tuple[int, int]] = []
    for start, stop in bounds:
        if joined and start == joined[-1][1]:
            joined[-1] = (joined[-1][0], stop)
        else:
            joined.append((start, stop))
    return joined


def _body_masks(column: Callable[[str], pd.Series], bodies: Bodies) -> list[np.ndarray]:
    return [
        one_of(column(f"{kind}_key"), keys)
        for kind, keys in (("customer", bodies.customers), ("supplier", bodies.suppliers))
        if keys is not None
    ]


def apply_filters(
    spend: pd.DataFrame,
    filters: Filters,
    vocab: Vocabulary | None = None,
    *,
    sorted_by_month: bool = False,
    bodies: Bodies | None = None,
    department: str | None = None,
    positions: np.ndarray | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rows of ``spend`` that pass ``filters``.

    ``spend`` is spend rows or a pre-aggregated table with the same columns. With
    ``sorted_by_month`` a period is taken as slices; ``bodies`` gives the customer and
    supplier filters already resolved to body keys (else they are resolved against the
    bodies in ``spend`` itself); ``department`` keeps one department's rows (the table
    needs a ``department`` column). ``positions`` (with ``sorted_by_month``): the ascending
    row positions of that department's lines, so only they are read, not every line.
    ``columns``: only these columns of the rows (every one by default).

    The rows are found first (slices of the period, positions, and a mask per filter on
    the filtered columns alone) and taken once, only the columns asked for.
    """
    vocab = vocab or load_vocabulary()
    if positions is not None and sorted_by_month:
        rows, where = spend, positions_in_period(spend, filters, positions)
        department = None  # every line read is the department's
    else:
        rows, where = _period_rows(spend, filters, sorted_by_month)

    def column(name: str) -> pd.Series:
        return rows[name] if where is None else rows[name].iloc[where]

    masks = [
        _in(column(param.column), getattr(filters, param.field))
        for param in COLUMN_FILTERS
        if getattr(filters, param.field)
    ]
    if department is not None:
        masks.append(one_of(column("department"), frozenset([department])))
    if bodies is None and (filters.customer or filters.supplier):
        bodies = BodyIndex.of_rows(spend, vocab).resolve(filters.customer, filters.supplier)
    masks.extend(_body_masks(column, bodies or Bodies()))
    if columns is not None:
        rows = rows[list(columns)]
    keep = np.logical_and.reduce(masks) if masks else None
    if where is None:
        return rows if keep is None else rows[keep]
    return rows.iloc[where if keep is None else where[keep]]
