"""Pure query functions: a canonical spend frame and filters in, a small frame out.

Nothing here knows about Dash. Every figure, table and download of the app comes from one
of these functions, so the numbers shown, the data tables beside charts and the downloads
are the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from dashboard.filters import Filters
from loaders import normalise, schema
from loaders.reference import Vocabulary, load_vocabulary, simplify

BUYER_GROUPS = list(schema.BUYER_GROUPS)
UNKNOWN_SECTOR = "Unknown sector"
NOT_STATED = "(not stated)"
MONTH_LABEL = "%Y-%m"
FY_MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]


def counted(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a ``transactions`` column: spend rows count one each; pre-aggregated
    tables (:mod:`loaders.aggregates`) already carry how many rows each line stands for."""
    return frame if "transactions" in frame.columns else frame.assign(transactions=1)


def _matches(column: pd.Series, accept: Callable[[Any], bool]) -> np.ndarray:
    """Rows whose value ``accept`` takes, deciding once per distinct value (per category)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories
        lookup = np.fromiter((accept(c) for c in categories), bool, len(categories))
        lookup = np.append(lookup, False)  # code -1 (null) reads the last entry: no match
        return lookup[column.cat.codes.to_numpy()]
    values = column.astype(object)
    chosen = [v for v in values.dropna().unique() if accept(v)]
    return values.isin(chosen).to_numpy()


def _one_of(column: pd.Series, values: frozenset[str]) -> np.ndarray:
    """Rows whose value is exactly one of ``values`` (vectorised over the categories)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        lookup = np.append(column.cat.categories.isin(list(values)), False)
        return lookup[column.cat.codes.to_numpy()]
    return column.isin(list(values)).to_numpy()


def _in(column: pd.Series, wanted: tuple[str, ...]) -> np.ndarray:
    """Rows whose value is one of ``wanted``, compared case- and punctuation-blind."""
    keys = {simplify(w) for w in wanted}
    return _matches(column, lambda value: simplify(value) in keys)


def period_ranges(filters: Filters) -> list[tuple[pd.Timestamp | None, pd.Timestamp | None]]:
    """The month ranges (first, last; ``None`` = open) the period filters choose; none = all."""
    if filters.fy:
        starts = sorted({int(label[:4]) for label in filters.fy})
        return [(pd.Timestamp(year=y, month=4, day=1), pd.Timestamp(year=y + 1, month=3, day=1))
                for y in starts]  # fmt: skip
    if filters.date_from or filters.date_to:
        return [tuple(pd.Timestamp(d + "-01") if d else None
                      for d in (filters.date_from, filters.date_to))]  # fmt: skip
    return []


def time_mask(spend: pd.DataFrame, filters: Filters) -> pd.Series:
    """Rows in the period the filters choose (financial years, or from/to months)."""
    ranges = period_ranges(filters)
    if not ranges:
        return pd.Series(True, index=spend.index)
    mask = pd.Series(False, index=spend.index)
    for first, last in ranges:
        inside = pd.Series(True, index=spend.index)
        if first is not None:
            inside &= spend["month"] >= first
        if last is not None:
            inside &= spend["month"] <= last
        mask |= inside
    return mask


def _period_rows(spend: pd.DataFrame, filters: Filters, sorted_by_month: bool) -> pd.DataFrame:
    """The rows in the period; a frame sorted by month is cut into slices, not scanned."""
    ranges = period_ranges(filters)
    if not ranges:
        return spend
    if not sorted_by_month:
        return spend[time_mask(spend, filters)]
    months = spend["month"].to_numpy()
    bounds = [
        (
            0 if first is None else int(np.searchsorted(months, first.to_datetime64(), "left")),
            len(months) if last is None
            else int(np.searchsorted(months, last.to_datetime64(), "right")),
        )
        for first, last in ranges
    ]  # fmt: skip
    if len(bounds) == 1:
        return spend.iloc[bounds[0][0] : bounds[0][1]]
    return spend.iloc[np.concatenate([np.arange(a, b) for a, b in bounds])]


@dataclass(frozen=True)
class Bodies:
    """Body keys already resolved from names (``None``: resolve from the rows' names)."""

    customers: frozenset[str] | None = None
    suppliers: frozenset[str] | None = None


def _names_mask(spend, key_column, name_column, wanted, key_of) -> np.ndarray:
    """Rows whose body key, or the key of whose display name, is one of ``wanted``.

    Bodies resolved to a customer-list URN have keys like ``urn:10029409``; a link that
    names them (``customer=Home Office``) still finds them through their display name.
    """
    keys = {key_of(w) for w in wanted} | {w.strip() for w in wanted}
    by_key = _matches(spend[key_column], lambda k: k in keys)
    return by_key | _matches(spend[name_column], lambda n: key_of(str(n)) in keys)


def _body_mask(spend: pd.DataFrame, filters: Filters, vocab: Vocabulary, bodies: Bodies):
    mask = None
    for kind, wanted, resolved, key_of in (
        ("customer", filters.customer, bodies.customers,
         lambda n: normalise.customer_key(n, vocab)),
        ("supplier", filters.supplier, bodies.suppliers,
         lambda n: normalise.supplier_key(n, vocab)),
    ):  # fmt: skip
        if not wanted and resolved is None:
            continue
        if resolved is not None:
            part = _one_of(spend[f"{kind}_key"], resolved)
        else:
            part = _names_mask(spend, f"{kind}_key", kind, wanted, key_of)
        mask = part if mask is None else mask & part
    return mask


def apply_filters(
    spend: pd.DataFrame,
    filters: Filters,
    vocab: Vocabulary | None = None,
    time: bool = True,
    *,
    sorted_by_month: bool = False,
    bodies: Bodies | None = None,
    department: str | None = None,
) -> pd.DataFrame:
    """Rows of ``spend`` that pass ``filters`` (``time=False`` ignores the period filters).

    ``spend`` is spend rows or a pre-aggregated table with the same columns. With
    ``sorted_by_month`` a period is taken as slices; ``bodies`` gives customer and supplier
    filters already resolved to body keys; ``department`` keeps one department's rows
    (the table needs a ``department`` column).
    """
    vocab = vocab or load_vocabulary()
    rows = _period_rows(spend, filters, sorted_by_month) if time else spend
    masks = [
        _in(rows[column], wanted)
        for column, wanted in (
            ("framework", filters.framework),
            ("framework_iteration", filters.iteration),
            ("lot", filters.lot),
            ("buyer_group", filters.buyer_group),
            ("sector", filters.sector),
            ("sme_status", filters.sme),
        )
        if wanted
    ]
    if department is not None:
        masks.append(_one_of(rows["department"], frozenset([department])))
    body_mask = _body_mask(rows, filters, vocab, bodies or Bodies())
    if body_mask is not None:
        masks.append(body_mask)
    if not masks:
        return rows
    return rows[np.logical_and.reduce(masks)] if len(masks) > 1 else rows[masks[0]]


def filled(column: pd.Series, label: str) -> pd.Series:
    """Labels with nulls shown as ``label`` (categories kept, so grouping stays cheap)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        if label not in column.cat.categories:
            column = column.cat.add_categories([label])
        return column.fillna(label)
    return column.astype(object).fillna(label)


def _plain_labels(table: pd.DataFrame) -> pd.DataFrame:
    """Categorical label columns of a query result as plain text."""
    for column in table.columns:
        if isinstance(table[column].dtype, pd.CategoricalDtype):
            table[column] = table[column].astype(str)
    return table


def _share(part: float, whole: float) -> float:
    return 100 * part / whole if whole else float("nan")


def distinct_count(column: pd.Series) -> int:
    """Number of distinct non-null values (counted on category codes when categorical)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        seen = np.zeros(len(column.cat.categories), bool)
        seen[codes[codes >= 0]] = True
        return int(seen.sum())
    return int(column.nunique())


def _sme_rows(spend: pd.DataFrame) -> np.ndarray:
    return _matches(spend["sme_status"], lambda status: status == "SME")


def headline(spend: pd.DataFrame) -> dict[str, float | int | str | None]:
    """Total spend, shares by buyer group and SME, distinct buyers and suppliers.

    Buyers and suppliers are ``None`` when ``spend`` is a table without their keys.
    """
    spend = counted(spend)
    total = float(spend["spend_gbp"].sum())
    by_group = spend.groupby("buyer_group", observed=True)["spend_gbp"].sum()
    sme = _sme_rows(spend)
    transactions = int(spend["transactions"].sum())
    return {
        "total_spend": total,
        "central_share": _share(by_group.get("Central government", 0.0), total),
        "non_whitehall_share": _share(by_group.get("Non-Whitehall", 0.0), total),
        "unclassified_share": _share(by_group.get("Unclassified", 0.0), total),
        "sme_share_value": _share(float(spend.loc[sme, "spend_gbp"].sum()), total),
        "sme_share_volume": _share(int(spend["transactions"].to_numpy()[sme].sum()), transactions),
        "transactions": transactions,
        "buyers": distinct_count(spend["customer_key"]) if "customer_key" in spend else None,
        "suppliers": distinct_count(spend["supplier_key"]) if "supplier_key" in spend else None,
        "latest_month": None if spend.empty else spend["month"].max().strftime(MONTH_LABEL),
    }


def _month_numbers(months: pd.Series) -> np.ndarray:
    """Months as consecutive integers (year * 12 + month - 1)."""
    return months.to_numpy().astype("datetime64[M]").astype("int64") + 1970 * 12


def _label_of_number(number: int, period: str) -> str:
    year, month = divmod(int(number), 12)
    if period == "month":
        return f"{year}-{month + 1:02d}"
    start = year if month >= 3 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def period_codes(spend: pd.DataFrame, period: str) -> tuple[np.ndarray, list[str]]:
    """Each row's period as an index into the sorted labels of the periods present
    (``YYYY-MM`` by month, ``2013-14`` by financial year), without formatting every row."""
    numbers = _month_numbers(spend["month"])
    if period != "month":  # financial years start in April: shift months by three
        numbers = (numbers - 3) // 12
    if len(numbers) == 0:
        return np.zeros(0, "int64"), []
    low = int(numbers.min())
    present = np.bincount(numbers - low) > 0
    slots = np.cumsum(present) - 1
    values = np.flatnonzero(present) + low
    if period != "month":
        values = values * 12 + 3
    return slots[numbers - low], [_label_of_number(v, period) for v in values]


def period_labels(spend: pd.DataFrame, period: str) -> pd.Series:
    """``YYYY-MM`` labels by month or ``2013-14`` labels by financial year (categorical)."""
    codes, labels = period_codes(spend, period)
    return pd.Series(pd.Categorical.from_codes(codes, labels), index=spend.index)


def month_labels(months: pd.Series, period: str) -> pd.Series:
    """Labels of the period of each month (a column of first days of months)."""
    return period_labels(pd.DataFrame({"month": months}), period)


def category_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Category codes (int64, -1 for nulls) of a column made categorical if it is not, and
    its categories."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object).astype("category")
    return column.cat.codes.to_numpy().astype("int64"), column.cat.categories


def first_positions(codes: np.ndarray, count: int) -> np.ndarray:
    """Position of the first line with each code (``len(codes)`` for codes not present)."""
    first = np.full(count, len(codes))
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # later writes win: the first line
    return first


def codes_of(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a column's values and the values (nulls get the last code, whose
    value is ``None``); categorical columns are not re-hashed."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object).astype("category")
    values = np.append(np.asarray(column.cat.categories, dtype=object), None)
    codes = column.cat.codes.to_numpy().astype("int64")
    return np.where(codes < 0, len(values) - 1, codes), values


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
    present, inverse = np.unique(cells, return_inverse=True)
    table = {
        name: labels[index]
        for name, (_, labels), index in zip(
            keys, coded, np.unravel_index(present, dims), strict=True
        )
    }
    for name, weights in values.items():
        table[name] = np.bincount(inverse, weights=weights, minlength=len(present))
    return pd.DataFrame(table)


def spend_by_period(spend: pd.DataFrame, period: str) -> pd.DataFrame:
    """Spend per period split by buyer group, with a total; one row per period."""
    period_index, labels = period_codes(spend, period)
    group_codes, groups = codes_of(spend["buyer_group"])
    cells = np.bincount(
        period_index * len(groups) + group_codes,
        weights=spend["spend_gbp"].to_numpy(),
        minlength=len(labels) * len(groups),
    ).reshape(len(labels), len(groups))
    column_of = {group: i for i, group in enumerate(groups)}
    table = pd.DataFrame({"period": labels})
    for group in BUYER_GROUPS:
        table[group] = cells[:, column_of[group]] if group in column_of else 0.0
    table["Total"] = table[BUYER_GROUPS].sum(axis=1)
    return table


def sme_share_by_period(spend: pd.DataFrame, period: str) -> pd.DataFrame:
    """SME share of spend (value) and of transactions (volume) per period."""
    spend = counted(spend)
    sme = _sme_rows(spend)
    period_index, labels = period_codes(spend, period)
    amount = spend["spend_gbp"].to_numpy()
    count = spend["transactions"].to_numpy().astype("float64")
    n = len(labels)
    table = pd.DataFrame(
        {
            "period": labels,
            "spend_gbp": np.bincount(period_index, weights=amount, minlength=n),
            "sme_spend_gbp": np.bincount(period_index, weights=amount * sme, minlength=n),
            "transactions": np.bincount(period_index, weights=count, minlength=n),
            "sme_transactions": np.bincount(period_index, weights=count * sme, minlength=n),
        }
    )
    for column in ("transactions", "sme_transactions"):
        table[column] = table[column].round().astype("int64")
    table["sme_share_value_pct"] = 100 * table["sme_spend_gbp"] / table["spend_gbp"]
    table["sme_share_volume_pct"] = 100 * table["sme_transactions"] / table["transactions"]
    return table


def _measures(spend: pd.DataFrame) -> dict[str, np.ndarray]:
    spend = counted(spend)
    return {
        "spend_gbp": spend["spend_gbp"].to_numpy(),
        "transactions": spend["transactions"].to_numpy().astype("float64"),
    }


def _whole_transactions(table: pd.DataFrame) -> pd.DataFrame:
    table["transactions"] = table["transactions"].round().astype("int64")
    return table


def spend_by_sector(spend: pd.DataFrame) -> pd.DataFrame:
    """Spend, share and transactions per sector; rows without a sector shown, not hidden."""
    table = group_sums(
        {"sector": spend["sector"], "buyer_group": spend["buyer_group"]}, _measures(spend)
    )
    table["sector"] = table["sector"].fillna(UNKNOWN_SECTOR)
    table = _whole_transactions(table)
    table = table.sort_values(["spend_gbp", "sector"], ascending=[False, True], ignore_index=True)
    table["share_pct"] = 100 * table["spend_gbp"] / spend["spend_gbp"].sum()
    return table


def spend_by_framework(spend: pd.DataFrame) -> pd.DataFrame:
    """Spend, share and transactions per framework, iteration and lot."""
    table = group_sums(
        {column: spend[column] for column in ("framework", "framework_iteration", "lot")},
        _measures(spend),
    )
    for column in ("framework_iteration", "lot"):
        table[column] = table[column].fillna(NOT_STATED)
    table = _whole_transactions(table).sort_values(
        ["framework", "framework_iteration", "spend_gbp"],
        ascending=[True, True, False],
        ignore_index=True,
    )
    table["share_pct"] = 100 * table["spend_gbp"] / spend["spend_gbp"].sum()
    return table


def supplier_summary(spend: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """One row per supplier in ``spend`` (the ``limit`` largest if given): key, name and SME
    status (of its first line), spend and transactions; largest spend first, ties by name."""
    spend = counted(spend)
    codes, keys = codes_of(spend["supplier_key"])
    n = len(keys)
    present = np.flatnonzero(np.bincount(codes, minlength=n))
    net = np.bincount(codes, spend["spend_gbp"].to_numpy(), n)
    if limit is not None and len(present) > limit:  # keep the largest, and any tied with them
        floor = np.partition(net[present], len(present) - limit)[len(present) - limit]
        present = present[net[present] >= floor]
    lines = first_positions(codes, n)[present]
    count = spend["transactions"].to_numpy().astype("float64")
    table = pd.DataFrame(
        {
            "supplier_key": keys[present],
            "supplier": spend["supplier"].iloc[lines].astype(object).to_numpy(),
            "sme_status": spend["sme_status"].iloc[lines].astype(object).to_numpy(),
            "spend_gbp": net[present],
            "transactions": np.bincount(codes, count, n)[present].round().astype("int64"),
        }
    )
    table = table.sort_values(["spend_gbp", "supplier"], ascending=[False, True], ignore_index=True)
    return table if limit is None else table.head(limit)


def top_suppliers(
    spend: pd.DataFrame,
    limit: int,
    pairs: pd.DataFrame | None = None,
    summary: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``limit`` suppliers with most spend: status, spend, share, buyers, transactions.

    Buyers are counted from ``spend`` when it has customers, else from ``pairs`` (rows or
    a table with both bodies, already narrowed to the same filters). ``summary`` is
    ``supplier_summary(spend, limit)`` when the caller has it already.
    """
    table = supplier_summary(spend, limit) if summary is None else summary.copy()
    source = spend if "customer_key" in spend.columns else pairs
    if source is None and not table.empty:
        raise ValueError("top_suppliers needs customers: rows, or pairs of bodies")
    keys = pd.Index(table["supplier_key"])
    table["buyers"] = 0 if source is None else buyers_per_supplier(source, keys).to_numpy()
    table["share_pct"] = 100 * table["spend_gbp"] / spend["spend_gbp"].sum()
    columns = ["supplier", "sme_status", "spend_gbp", "share_pct", "buyers", "transactions"]
    return table[columns].reset_index(drop=True)


def buyers_per_supplier(pairs: pd.DataFrame, suppliers: pd.Index) -> pd.Series:
    """Distinct buyers of each of ``suppliers`` (body keys) in ``pairs``."""
    if suppliers.empty:
        return pd.Series(0, index=suppliers, dtype="int64")
    rows = pairs[_one_of(pairs["supplier_key"], frozenset(suppliers))]
    supplier_codes, supplier_keys = codes_of(rows["supplier_key"])
    customer_codes, _ = codes_of(rows["customer_key"])
    pairs_seen = np.unique(supplier_codes * (customer_codes.max(initial=0) + 1) + customer_codes)
    buyers = np.bincount(
        pairs_seen // (customer_codes.max(initial=0) + 1), minlength=len(supplier_keys)
    )
    counts = pd.Series(buyers, index=supplier_keys)
    return counts.reindex(suppliers, fill_value=0).astype("int64")


def financial_year_of(month: pd.Timestamp) -> str:
    """``2013-14`` for any month from April 2013 to March 2014."""
    start = month.year if month.month >= 4 else month.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def previous_financial_year(label: str) -> str:
    """``2013-14`` -> ``2012-13``."""
    start = int(label[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def year_to_date(spend_all_time: pd.DataFrame, reference_month: pd.Timestamp) -> pd.DataFrame:
    """Spend by month of the financial year to ``reference_month``, against the year before.

    ``spend_all_time`` must not be narrowed by period filters (the previous year is needed).
    Returns one row per month of the year so far, with both years' spend and running totals.
    """
    this_fy = financial_year_of(reference_month)
    start = pd.Timestamp(year=int(this_fy[:4]), month=4, day=1)
    months = pd.date_range(start, reference_month, freq="MS")
    previous = [m - pd.DateOffset(years=1) for m in months]
    by_month = spend_all_time.groupby("month")["spend_gbp"].sum()
    last_fy = financial_year_of(previous[0])
    table = pd.DataFrame(
        {
            "month_of_year": [FY_MONTHS[i] for i in range(len(months))],
            "this_year_month": [m.strftime(MONTH_LABEL) for m in months],
            f"spend_{this_fy}_gbp": [float(by_month.get(m, 0.0)) for m in months],
            "last_year_month": [m.strftime(MONTH_LABEL) for m in previous],
            f"spend_{last_fy}_gbp": [float(by_month.get(m, 0.0)) for m in previous],
        }
    )
    table[f"cumulative_{this_fy}_gbp"] = table[f"spend_{this_fy}_gbp"].cumsum()
    table[f"cumulative_{last_fy}_gbp"] = table[f"spend_{last_fy}_gbp"].cumsum()
    return table


def without_time(filters: Filters) -> Filters:
    """The same filters with the period filters removed."""
    return replace(filters, date_from=None, date_to=None, fy=())


def filtered_rows(spend: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The filtered rows themselves, newest first, at most ``limit`` of them."""
    columns = [
        "month", "financial_year", "framework", "framework_iteration", "lot", "customer",
        "sector", "buyer_group", "supplier", "sme_status", "spend_gbp", "description",
        "source_file", "source_row", "release",
    ]  # fmt: skip
    return spend.sort_values(["month", "spend_gbp"], ascending=[False, False])[columns].head(limit)
