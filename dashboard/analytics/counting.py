"""Counting with arrays: category codes, fast group sums, distinct counts and period codes.

The aggregate tables are categorical and sorted by month; these helpers count and sum on
their codes with NumPy instead of grouping with pandas, which is what keeps the app fast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.core import periods


def counted(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a ``transactions`` column: spend rows count one each; pre-aggregated
    tables (:mod:`loaders.aggregates`) already carry how many rows each line stands for."""
    return frame if "transactions" in frame.columns else frame.assign(transactions=1)


def share(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole`` (NaN when ``whole`` is nil)."""
    return 100 * part / whole if whole else float("nan")


def filled(column: pd.Series, label: str) -> pd.Series:
    """Labels with nulls shown as ``label`` (categories kept, so grouping stays cheap)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        if label not in column.cat.categories:
            column = column.cat.add_categories([label])
        return column.fillna(label)
    return column.astype(object).fillna(label)


def frame_of(columns: dict[str, np.ndarray], index: pd.Index | None = None) -> pd.DataFrame:
    """One frame built at once from arrays (adding columns one by one copies the labels
    each time), text kept as Python objects: pandas would make object arrays of text
    Arrow-backed strings, which are several times slower to take, sort and compare."""
    index = pd.RangeIndex(len(next(iter(columns.values())))) if index is None else index
    return pd.DataFrame({
        name: pd.Series(values, index=index, dtype=object, copy=False)
        if np.asarray(values).dtype == object else values
        for name, values in columns.items()
    }, index=index)  # fmt: skip


def category_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Category codes (int64, -1 for nulls) of a column made categorical if it is not, and
    its categories."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return _text_codes(column)
    return column.cat.codes.to_numpy().astype("int64"), column.cat.categories


def _text_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes (int64, -1 for nulls) and sorted categories of a column that is not
    categorical, as making it categorical gives them (for text, the categories as an object
    Index, not pandas' text dtype): for text, by one ``factorize`` (several times quicker on
    the few thousand bodies of a view)."""
    values = column.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        coded = column.astype(object).astype("category")
        return coded.cat.codes.to_numpy().astype("int64"), coded.cat.categories
    codes, categories = pd.factorize(values, sort=True, use_na_sentinel=True)
    return codes.astype("int64"), pd.Index(categories, dtype=object)


def first_positions(codes: np.ndarray, count: int) -> np.ndarray:
    """Position of the first line with each code (``len(codes)`` for codes not present)."""
    first = np.full(count, len(codes))
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # later writes win: the first line
    return first


def codes_of(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a column's values and the values (nulls get the last code, whose
    value is ``None``); categorical columns are not re-hashed."""
    codes, categories = category_codes(column)
    values = np.append(np.asarray(categories, dtype=object), None)
    return np.where(codes < 0, len(values) - 1, codes), values


DENSE_CELLS = 1 << 24  # up to this many possible values, distinct ones may be found by a count
DENSE_PER_VALUE = 32  # ... when there are no more than this many possible values per value
# given (a count costs about a nanosecond per possible value; a sort, tens per value)


def _dense(values: np.ndarray, size: int) -> bool:
    return size <= min(DENSE_CELLS, DENSE_PER_VALUE * len(values) + 4096)


def distinct_below(values: np.ndarray, size: int) -> np.ndarray:
    """The distinct ``values`` (non-negative integers below ``size``), ascending: what
    ``np.unique(values)`` gives, by a count instead of a sort when ``size`` is small enough
    (:data:`DENSE_CELLS`, :data:`DENSE_PER_VALUE`)."""
    if not _dense(values, size):
        return np.unique(values)
    return np.flatnonzero(np.bincount(values, minlength=size))


def distinct_below_with_slots(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`distinct_below` and the position of each value among them: what
    ``np.unique(values, return_inverse=True)`` gives, without a sort when ``size`` allows."""
    if not _dense(values, size):
        return np.unique(values, return_inverse=True)
    present = np.bincount(values, minlength=size) > 0
    slot = np.cumsum(present) - 1
    return np.flatnonzero(present), slot[values]


def distinct_with_slots(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`distinct_below_with_slots` of any integers (counted from their least, so a
    narrow range of large numbers, such as month numbers, is counted, not sorted)."""
    if len(values) == 0:
        return values[:0], np.zeros(0, "int64")
    low = int(values.min())
    distinct, slots = distinct_below_with_slots(values - low, int(values.max()) - low + 1)
    return distinct + low, slots


def group_sums(
    keys: dict[str, pd.Series | tuple[np.ndarray, np.ndarray]], values: dict[str, np.ndarray]
) -> pd.DataFrame:
    """Sums of ``values`` per observed combination of ``keys`` (a fast group-by).

    Each key is a column, or already its ``(codes, values)``; the result has one row per
    combination present, in the order of the keys' codes (categories sort alphabetically).
    """
    coded = [k if isinstance(k, tuple) else codes_of(k) for k in keys.values()]
    dims = tuple(len(v) for _, v in coded)
    if not coded or len(coded[0][0]) == 0:
        return pd.DataFrame({**{k: [] for k in keys}, **{v: [] for v in values}})
    cells = np.ravel_multi_index(tuple(c for c, _ in coded), dims)
    present, inverse = distinct_below_with_slots(cells, int(np.prod(dims, dtype=object)))
    table = {
        name: nulls_as_nan(labels[index])
        for name, (_, labels), index in zip(
            keys, coded, np.unravel_index(present, dims), strict=True
        )
    }
    for name, weights in values.items():
        table[name] = np.bincount(inverse, weights=weights, minlength=len(present))
    return frame_of(table)  # labels stay Python objects (see frame_of)


def nulls_as_nan(values: np.ndarray) -> np.ndarray:
    """Labels as a table shows them: a null (``None``, the last value of
    :func:`codes_of`) as NaN, as pandas holds a missing text (so it sorts and prints as
    before labels were kept as Python objects)."""
    if values.dtype != object:
        return values
    return np.where(pd.isna(values), np.nan, values).astype(object)


def wide_sums(table: pd.DataFrame, index: str, columns: str, values: str) -> pd.DataFrame:
    """``table.pivot_table(index=index, columns=columns, values=values, aggfunc="sum")``
    on codes: a row per value of ``index`` and a column per value of ``columns`` that
    have lines (both sorted; lines of a null key left out), the sum of ``values`` of their
    lines (a NaN adds nothing), NaN where none. A pivot table of a chart's few hundred lines
    cost ~5 ms."""
    rows, row_labels = codes_of(table[index])  # null keys take the last code
    cols, col_labels = codes_of(table[columns])
    keep = (rows < len(row_labels) - 1) & (cols < len(col_labels) - 1)
    n_rows, n_cols = len(row_labels) - 1, len(col_labels) - 1
    cells = rows[keep] * n_cols + cols[keep]
    amounts = np.nan_to_num(table[values].to_numpy(dtype="float64")[keep])  # NaN adds 0
    sums = np.bincount(cells, weights=amounts, minlength=n_rows * n_cols)
    lines = np.bincount(cells, minlength=n_rows * n_cols).reshape(n_rows, n_cols)
    wide = np.where(lines > 0, sums.reshape(n_rows, n_cols), np.nan)
    used_rows, used_cols = lines.any(axis=1), lines.any(axis=0)
    return pd.DataFrame(
        wide[used_rows][:, used_cols],
        index=pd.Index(row_labels[:-1][used_rows], name=index),
        columns=pd.Index(col_labels[:-1][used_cols], name=columns),
    )


def measures(spend: pd.DataFrame) -> dict[str, np.ndarray]:
    """The spend (£) and transactions of each line, as arrays for :func:`group_sums`."""
    spend = counted(spend)
    return {
        "spend_gbp": spend["spend_gbp"].to_numpy(),
        "transactions": spend["transactions"].to_numpy().astype("float64"),
    }


def whole_transactions(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its summed ``transactions`` as whole numbers again."""
    table["transactions"] = table["transactions"].round().astype("int64")
    return table


MONTH_NUMBER = "month_number"  # the month as an integer, added to each table as it is read
MONTH_NUMBER_CHUNK = 1_000_000  # lines converted at a time
MONTH_NUMBER_DTYPE = "int16"  # year * 12 + month - 1 of any datetime64[ns]: 20,124 to 27,147
COUNT_DTYPES = ("int16", "int32")  # transactions of a line as held: the narrowest that fits


def with_month_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its ``month`` column (first days of months, ``datetime64[ns]``) held
    as a ``month_number`` column instead (:func:`loaders.core.periods.month_numbers`; int16,
    which holds the month of any ``datetime64[ns]``, years 1677 to 2262, in a quarter of the
    memory), converted once when a table is read so that no request converts dates. Read a
    line's month with :func:`months_of` or :func:`month_numbers_of`. Tables without months,
    or with a line of no month, are returned as they are. Converted a million lines at a
    time (no table-sized temporaries)."""
    if "month" not in table.columns or MONTH_NUMBER in table.columns:
        return table
    if table["month"].isna().any():  # no number for a missing month: converted per use
        return table
    months = table["month"].to_numpy(dtype="datetime64[ns]", copy=False)
    numbers = np.empty(len(months), dtype=MONTH_NUMBER_DTYPE)
    for start in range(0, len(months), MONTH_NUMBER_CHUNK):
        part = slice(start, start + MONTH_NUMBER_CHUNK)
        numbers[part] = periods.month_numbers(months[part])
    at = table.columns.get_loc("month")
    held = table.drop(columns="month")
    held.insert(at, MONTH_NUMBER, numbers)
    return held


def first_month_of(table: pd.DataFrame) -> pd.Timestamp:
    """The earliest month (first day) of a table's lines (NaT when none has a month)."""
    return _month_at(table, "min")


def last_month_of(table: pd.DataFrame) -> pd.Timestamp:
    """The latest month (first day) of a table's lines (NaT when none has a month)."""
    return _month_at(table, "max")


def _month_at(table: pd.DataFrame, end: str) -> pd.Timestamp:
    if "month" in table.columns:
        return getattr(table["month"], end)()
    if not len(table):
        return pd.NaT
    return periods.month_of_number(getattr(table[MONTH_NUMBER], end)())


def dated(table: pd.DataFrame) -> pd.DataFrame:
    """The lines of ``table`` that have a month (all of a table held by month numbers)."""
    if "month" in table.columns and table["month"].isna().any():
        return table[table["month"].notna()]
    return table


def distinct_months(table: pd.DataFrame) -> pd.DatetimeIndex:
    """The months (first days) of a table's lines, each once, oldest first: found on its
    month numbers when it is held by them (no date per line)."""
    if "month" in table.columns:
        return pd.DatetimeIndex(table["month"].unique()).sort_values()
    numbers = np.unique(table[MONTH_NUMBER].to_numpy())
    return pd.DatetimeIndex(periods.months_of_numbers(numbers), name="month")


def months_of(table: pd.DataFrame) -> pd.Series:
    """Each line's month (first day, ``datetime64[ns]``, on the table's index): its ``month``
    column, or from its month numbers when the store holds it by number
    (:func:`with_month_numbers`)."""
    if "month" in table.columns:
        return table["month"]
    months = periods.months_of_numbers(table[MONTH_NUMBER].to_numpy())
    return pd.Series(months, index=table.index, name="month")


def held_narrow(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as the app holds it: ``transactions`` (rows a line stands for) in the
    narrowest of :data:`COUNT_DTYPES` that holds every line's count (int16 when no line
    stands for 32,768 rows or more: a quarter of int64), when that is narrower than it is.
    Every sum over it is int64 (pandas and NumPy sum small integers into int64; the app's
    sums weigh counts as float64); a table with a line of 2**31 rows or more is kept as it
    is."""
    counts = table.get("transactions")
    if counts is None or not isinstance(counts.dtype, np.dtype) or counts.dtype.kind != "i":
        return table
    low, high = (int(counts.min()), int(counts.max())) if len(counts) else (0, 0)
    for dtype in COUNT_DTYPES:
        bounds = np.iinfo(dtype)
        if bounds.min <= low and high <= bounds.max:
            if counts.dtype.itemsize <= bounds.bits // 8:
                return table
            return table.assign(transactions=counts.to_numpy().astype(dtype))
    return table


def month_numbers_of(spend: pd.DataFrame) -> np.ndarray:
    """Each line's month number (int64): the ``month_number`` column the store added when it
    read the table, else converted from ``month`` (spend rows, hand-built frames)."""
    if MONTH_NUMBER in spend.columns:
        return spend[MONTH_NUMBER].to_numpy().astype("int64")
    return periods.month_numbers(spend["month"])


def period_codes(spend: pd.DataFrame, period: str) -> tuple[np.ndarray, list[str]]:
    """Each row's period as an index into the sorted labels of the periods present
    (``YYYY-MM`` by month, ``2013-14 Q1`` by financial quarter, ``2013-14`` by financial
    year), without formatting every row."""
    numbers = periods.period_numbers(month_numbers_of(spend), period)
    if len(numbers) == 0:
        return np.zeros(0, "int64"), []
    values, slots = distinct_with_slots(numbers)
    return slots, [periods.label_of_period_number(v, period) for v in values]


def period_labels(spend: pd.DataFrame, period: str) -> pd.Series:
    """Period labels (``YYYY-MM``, ``2013-14 Q1`` or ``2013-14``) of each row (categorical)."""
    codes, labels = period_codes(spend, period)
    return pd.Series(pd.Categorical.from_codes(codes, labels), index=spend.index)


def month_labels(months: pd.Series, period: str) -> pd.Series:
    """Labels of the period of each month (a column of first days of months)."""
    return period_labels(pd.DataFrame({"month": months}), period)
