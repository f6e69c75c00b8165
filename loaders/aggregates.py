"""Pre-aggregated tables of a store, built at ingest so the app never groups rows per request.

Every table sums spend (``spend_gbp``) and counts rows (``transactions``) over one grain:

* ``spend``: the dimensions of :data:`DIMENSIONS` (month, financial year, framework,
  iteration, lot, buyer group, sector, SME status, department): every total, share and
  breakdown of the app;
* ``customer``: the same and the customer body (``customer_key``, ``customer``): exact
  distinct counts of buyers, first purchases, bodies of a department;
* ``supplier``: the dimensions and the supplier body: suppliers active and new,
  concentration, top suppliers;
* ``pair``: the dimensions and both bodies: buyers per supplier, and filters that name a
  customer and a supplier together.

Every table is also kept by financial year instead of month (``spend_fy``, ``customer_fy``,
``supplier_fy``, ``pair_fy``; each line's ``month`` is the first month it covers), several
times smaller because billing relationships recur monthly: every view that is not drawn by
month, over whole financial years, reads those.

Each table holds exactly the pounds and rows of the spend frame it was built from (tested),
has categorical dimensions and is sorted by month, so a period is a contiguous slice.
``bodies`` lists every customer and supplier body with its display name and total spend
(for name boxes and suggestions without reading rows), and for suppliers their SME status
as it is now (:mod:`loaders.aggregate_bodies`, summed from the monthly customer and
supplier lines): shares stay computed row by row, each row with the status its release gave.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from loaders.aggregate_bodies import bodies_of_lines
from loaders.bodies.departments import departments_of_customers
from loaders.catalogue.aggregate_tables import (
    BODIES,
    CUSTOMER,
    DIMENSIONS,
    GRAINS,
    SUPPLIER,
    YEARLY,
    aggregate_tables,
    table_name,
)
from loaders.catalogue.model import Catalogue
from loaders.catalogue.parts import Appended, StoredTable
from loaders.catalogue.result import LoadResult
from loaders.catalogue.store import read_table, store_catalogue
from loaders.core import periods
from loaders.core.frames import stacked
from loaders.core.vocabulary import Vocabulary, load_vocabulary


def _categorical(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    for column in columns:
        if column != "month" and not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("category")
    return frame


@dataclass(frozen=True)
class _Rows:
    """Rows to aggregate, in month order, with integer codes per month, per combination of
    the other dimensions, and per body."""

    frame: pd.DataFrame
    order: np.ndarray  # positions of the frame's rows, month by month (stable)
    codes: dict[str, tuple[np.ndarray, int]]  # "month", "dimensions", body keys -> codes, count


def _combine(parts: list[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """One code per observed combination of several codes (renumbered when large)."""
    combined, size = np.zeros(len(parts[0][0]), "int64"), 1
    for codes, count in parts:
        if size * count >= 2**62:  # renumber the combinations seen so far before overflow
            combined = np.unique(combined, return_inverse=True)[1].astype("int64")
            size = int(combined.max(initial=0)) + 1
        combined, size = combined * count + codes, size * count
    return combined, size


def _coded_rows(rows: pd.DataFrame) -> _Rows:
    months = rows["month"].to_numpy().astype("datetime64[M]").astype("int64")
    order = np.argsort(months, kind="stable")
    low, high = (int(months.min()), int(months.max())) if len(months) else (0, 0)

    def coded(column: str) -> tuple[np.ndarray, int]:
        values = rows[column].cat.codes.to_numpy().astype("int64")[order] + 1  # null -> 0
        return values, len(rows[column].cat.categories) + 1

    others, _ = _combine([coded(c) for c in DIMENSIONS if c != "month"])
    unique, dimensions = np.unique(others, return_inverse=True)
    codes = {
        "month": (months[order] - low, high - low + 1),
        "dimensions": (dimensions.astype("int64"), len(unique)),
        **{key: coded(key) for key in (CUSTOMER[0], SUPPLIER[0]) if key in rows},
    }
    return _Rows(frame=rows, order=order, codes=codes)


def _compact(column: pd.Series, rows: np.ndarray) -> pd.Categorical:
    """The categorical values at ``rows``, keeping only the categories they use."""
    codes = column.cat.codes.to_numpy()[rows]
    used = np.unique(codes[codes >= 0])
    renumber = np.full(len(column.cat.categories) + 1, -1, dtype="int64")
    renumber[used] = np.arange(len(used))
    return pd.Categorical.from_codes(renumber[codes], categories=column.cat.categories[used])


def _group(rows: _Rows, by_month: bool, bodies: tuple[str, ...]) -> pd.DataFrame:
    """Spend and transactions per observed month (if ``by_month``; else financial year, each
    line's month being the first it covers), combination of the dimensions, and bodies.
    Each row counts as one transaction, or as its ``transactions`` when it has them (lines
    summed again with rows)."""
    keys = (["month"] if by_month else []) + ["dimensions"] + [b for b in bodies if "key" in b]
    combined, _ = _combine([rows.codes[k] for k in keys])
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    source = rows.order[first]  # rows are in month order: a group's first row is its earliest
    table = pd.DataFrame({"month": rows.frame["month"].to_numpy()[source]})
    for column in [*(d for d in DIMENSIONS if d != "month"), *bodies]:
        table[column] = _compact(rows.frame[column], source)
    amounts = rows.frame["spend_gbp"].to_numpy()[rows.order]
    table["spend_gbp"] = np.bincount(inverse, weights=amounts, minlength=len(first))
    if "transactions" in rows.frame:
        counts = rows.frame["transactions"].to_numpy()[rows.order]
        table["transactions"] = np.bincount(inverse, weights=counts, minlength=len(first))
        table["transactions"] = table["transactions"].round().astype("int64")
    else:
        table["transactions"] = np.bincount(inverse, minlength=len(first)).astype("int64")
    return table.sort_values("month", kind="stable", ignore_index=True)


@dataclass
class Aggregates:
    """The pre-aggregated tables of one store (see the module docstring)."""

    tables: dict[str, pd.DataFrame]
    bodies: pd.DataFrame

    def named(self) -> dict[str, pd.DataFrame]:
        """Every table by its catalogue name (``aggregates.<name>``)."""
        return {table_name(n): t for n, t in {**self.tables, BODIES: self.bodies}.items()}


ROW_COLUMNS = (*(c for c in DIMENSIONS if c != "department"), *CUSTOMER, *SUPPLIER)


def _rows(spend: pd.DataFrame, vocab: Vocabulary, department: bool = True) -> pd.DataFrame:
    """The columns of ``spend`` the tables group, categorical, with each row's department."""
    rows = _categorical(spend[[*ROW_COLUMNS, "spend_gbp"]], ROW_COLUMNS)  # CoW: spend stays
    if department:
        names = rows["customer"].cat.remove_unused_categories()
        rows["department"] = departments_of_customers(names, vocab).astype("category")
    return rows


def build_aggregates(spend: pd.DataFrame, vocab: Vocabulary | None = None) -> Aggregates:
    """Every aggregate table of a canonical spend frame."""
    rows = _rows(spend, vocab or load_vocabulary())
    coded = _coded_rows(rows)
    tables = {grain: _group(coded, True, keys) for grain, keys in GRAINS.items()}
    for grain in YEARLY:
        tables[f"{grain}_fy"] = _group(coded, False, GRAINS[grain])
    return Aggregates(tables=tables, bodies=bodies_of_lines(tables["customer"], tables["supplier"]))


def _object_categories(column: pd.Series) -> pd.Categorical:
    categories = pd.Index(np.asarray(column.cat.categories, dtype=object), dtype=object)
    return pd.Categorical.from_codes(column.cat.codes.to_numpy(), categories)


def _used_only(values: pd.Categorical) -> pd.Categorical:
    """``values`` with only the categories they use, in their order (counted, not sorted)."""
    codes = values.codes
    used = np.bincount(codes[codes >= 0], minlength=len(values.categories)) > 0
    if used.all():
        return values
    renumber = np.append(np.cumsum(used) - 1, -1)
    return pd.Categorical.from_codes(renumber[codes], values.categories[used])


def _stacked(kept: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Stored lines and recomputed ones as one table sorted by month (stable: each month's
    lines come from one part, in their order), with the categories the lines use, sorted,
    as :func:`_compact` leaves them for the whole spend."""
    columns = {}
    for column in new.columns:
        one, two = kept[column], new[column]
        if isinstance(two.dtype, pd.CategoricalDtype):
            parts = [_object_categories(one), _object_categories(two)]
            united = union_categoricals(parts, sort_categories=True, ignore_order=True)
            columns[column] = pd.Series(_used_only(united))
        else:
            columns[column] = pd.concat([one, two], ignore_index=True)
    table = pd.DataFrame(columns)
    if len(kept) and len(new) and kept["month"].max() < new["month"].min():
        return table  # already in month order: the usual append of a later month
    return table.sort_values("month", kind="stable", ignore_index=True)


def _relabelled(lines: pd.DataFrame, renamed: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """Stored lines with the bodies of ``renamed`` (``customer`` or ``supplier`` -> body key
    -> new display name) shown by their new name (categories left for :func:`_stacked`)."""
    for name, names in renamed.items():
        if name not in lines.columns or not names:
            continue
        keys, shown = lines[f"{name}_key"], lines[name]
        new = pd.Series(keys.cat.categories.astype(object)).map(dict(names))
        if new.isna().all():
            continue
        wanted = new.dropna().unique()
        shown = shown.cat.add_categories([n for n in wanted if n not in shown.cat.categories])
        target = shown.cat.categories.get_indexer(new.fillna("\0").to_numpy())  # -1: kept
        codes, by_key = shown.cat.codes.to_numpy().copy(), keys.cat.codes.to_numpy()
        moved = np.append(target, -1)[by_key]
        codes[moved >= 0] = moved[moved >= 0]
        lines = lines.assign(**{name: pd.Categorical.from_codes(codes, shown.cat.categories)})
    return lines


def carry_aggregates(
    stored: Mapping[str, pd.DataFrame], spend: pd.DataFrame, first_new: int,
    vocab: Vocabulary | None = None, renamed: Mapping[str, Mapping[str, str]] | None = None,
) -> Aggregates:  # fmt: skip
    """Every aggregate table of ``spend`` whose rows before ``first_new`` are those the
    ``stored`` tables (grain or ``<grain>_fy`` -> table, as :func:`build_aggregates` gave
    them) were built from, unchanged: the same tables as :func:`build_aggregates`, the
    stored lines kept for every month (or financial year) without new rows, the others
    recomputed from all the rows of those months (financial years). ``renamed`` bodies
    (:func:`_relabelled`) are the only difference the earlier rows may have with those the
    stored tables were built from. ``bodies`` is summed again from the monthly lines."""
    vocab = vocab or load_vocabulary()
    new = spend.iloc[first_new:]
    years = spend["financial_year"].isin(new["financial_year"].unique()).to_numpy(dtype=bool)
    touched = _rows(spend[[*ROW_COLUMNS, "spend_gbp"]][years], vocab)
    months = touched["month"].isin(new["month"].unique()).to_numpy(dtype=bool)
    monthly, yearly = _coded_rows(touched[months]), _coded_rows(touched)
    tables = {}
    for grain, keys in GRAINS.items():
        kept = stored[grain][~stored[grain]["month"].isin(new["month"].unique())]
        kept = _relabelled(kept, renamed or {})
        tables[grain] = _stacked(kept, _group(monthly, True, keys))
    for grain in YEARLY:
        old = stored[f"{grain}_fy"]
        kept = old[~old["financial_year"].isin(new["financial_year"].unique()).to_numpy()]
        kept = _relabelled(kept, renamed or {})
        tables[f"{grain}_fy"] = _stacked(kept, _group(yearly, False, GRAINS[grain]))
    return Aggregates(tables=tables, bodies=bodies_of_lines(tables["customer"], tables["supplier"]))


def _new_lines(held: StoredTable, rows: pd.DataFrame, by_month: bool, keys: tuple[str, ...]):
    """An aggregate table held in the store (``held``) with the lines of ``rows`` (new spend
    rows, every month later than its lines') added: by month, the new months' lines after
    the stored ones; by financial year, the stored lines of the years the rows fall in
    summed again with the rows (each line counting as its transactions; the first month it
    covers being its month) and put in place of those lines."""
    if by_month:
        return Appended(held, held.table.typed(_group(_coded_rows(rows), True, keys)))
    first = periods.fy_first_month(min(str(y) for y in rows["financial_year"].unique()))
    months = held.read(["month"])["month"].to_numpy()
    start = int(np.searchsorted(months, np.datetime64(first, "ns"), side="left"))
    columns = [*DIMENSIONS, *keys, "spend_gbp"]
    lines = held.rows_from(start)[[*columns, "transactions"]]
    both = stacked([lines, rows[columns].assign(transactions=1)])
    summed = _group(_coded_rows(both), False, keys)
    return Appended(held.head(start), held.table.typed(summed))


def carry_in_parts(
    stored: Mapping[str, object], new: pd.DataFrame, vocab: Vocabulary
) -> dict[str, Appended] | None:
    """The aggregate tables (grain or ``<grain>_fy`` -> table) of a store's spend rows with
    ``new`` rows after them, as the stored tables' parts and the lines the new rows add or
    change (:func:`_new_lines`), without reading the stored spend rows or writing the
    stored lines again; equal to :func:`build_aggregates` of all the rows. ``None`` when
    that cannot be: a table already read (a frame), or a new month not later than every
    stored one (lines of the same month would be summed again from rows)."""
    names = [*GRAINS, *(f"{g}_fy" for g in YEARLY)]
    if not all(isinstance(stored.get(n), StoredTable) for n in names) or new.empty:
        return None
    if new["month"].isna().any() or new["financial_year"].isna().any():
        return None
    held = stored["spend"].read(["month"])["month"]
    if len(held) and new["month"].min() <= held.max():
        return None
    rows = _rows(new, vocab)
    tables = {grain: _new_lines(stored[grain], rows, True, keys) for grain, keys in GRAINS.items()}
    for grain in YEARLY:
        name = f"{grain}_fy"
        tables[name] = _new_lines(stored[name], rows, False, GRAINS[grain])
    return tables


def aggregate_result(result: LoadResult, vocab: Vocabulary | None = None) -> LoadResult:
    """``result`` with its aggregate tables added (catalogue names ``aggregates.<name>``),
    built from its spend table; a result that holds them all already (a store read back,
    an append that carried them: :func:`carry_aggregates`) is returned as it is."""
    catalogue = aggregate_tables(result.catalogue["spend"])
    if all(name in result for name in catalogue):
        return result
    aggregates = build_aggregates(result.spend, vocab)
    return result.with_tables(aggregates.named(), catalogue)


def with_object_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the categories of its categorical columns held as Python objects (a
    new frame on the same codes: no column is copied).

    Parquet gives Arrow-backed string categories; every lookup through them (taking
    names for rows, testing categories against a filter) is several times slower than
    through a NumPy object array, and the app does such lookups on every request.
    """
    columns = {}
    for column in frame.columns:
        values = frame[column]
        dtype = values.dtype
        if isinstance(dtype, pd.CategoricalDtype) and dtype.categories.dtype != object:
            categories = pd.Index(np.asarray(dtype.categories, dtype=object), dtype=object)
            held = pd.CategoricalDtype(categories)
            values = pd.Series(
                pd.Categorical.from_codes(values.array.codes, dtype=held, validate=False),
                index=frame.index,
                name=column,
                copy=False,
            )
        columns[column] = values
    return pd.DataFrame(columns, index=frame.index, copy=False)


@dataclass
class LazyAggregates:
    """The aggregate tables of a store, each read from disk the first time it is asked for
    (:func:`loaders.catalogue.store.read_table`), with categories held as Python objects
    (the store's format is checked when it is opened: :func:`loaders.catalogue.store.
    open_report`)."""

    store_dir: Path
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    _catalogue: Catalogue | None = None

    def table(self, name: str) -> pd.DataFrame:
        """One grain's table (``spend``, ``customer_fy``...), or ``bodies``, kept once read."""
        if name not in self._tables:
            self._tables[name] = self.read(name)
        return self._tables[name]

    def read(self, name: str) -> pd.DataFrame:
        """One grain's table read from disk now and not kept (for a caller that keeps its
        own form of it: holding both would hold its columns twice)."""
        if self._catalogue is None:
            self._catalogue = store_catalogue(self.store_dir)
        frame = read_table(self.store_dir, table_name(name), catalogue=self._catalogue)
        return with_object_categories(frame)
