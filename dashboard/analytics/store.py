"""The store as the app and the notebooks read it: aggregate tables, report, memoised queries.

A :class:`Store` is built once per app (or notebook) from a store written by
``python -m loaders ingest``; opening it follows the store's pointer once to the version it
names (:mod:`loaders.catalogue.versions`), checks its format
(:func:`loaders.catalogue.store.open_report`) and from then on reads only that version, so
every page, figure and download of a running app comes from one version, however many
ingests replace the store meanwhile (the version is leased: no ingest deletes it while it is
served). It reads only the small aggregate tables it needs
(:mod:`loaders.aggregates`), each on first use; the spend rows themselves are read only for
the row download and the data quality page. Query results are memoised per filter set in a
bounded cache owned by the instance (no module-level state) and, when a shared cache is
given, in a disk cache that every worker process of a server reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.analytics.bodies import FORMER, PUBLISHED, Bodies, BodyIndex
from dashboard.analytics.counting import (
    held_narrow,
    last_month_of,
    with_month_numbers,
)
from dashboard.analytics.filters import (
    COLUMN_FILTERS,
    Filters,
    spend_filters,
    whole_years,
    without_time,
)
from dashboard.analytics.held_periods import KINDS, months_held, years_held
from dashboard.analytics.links import read_link
from dashboard.analytics.ordering import ordered
from dashboard.analytics.selection import apply_filters
from dashboard.cache import LruCache, SharedCache
from dashboard.sample import synthetic_files
from loaders.aggregates import LazyAggregates
from loaders.bodies.departments import DEPARTMENT_TYPES, read_departments
from loaders.bodies.registers.table import filter_values, read_register_bodies
from loaders.catalogue import CATALOGUE, Catalogue
from loaders.catalogue.aggregate_tables import BODIES, PREFIX
from loaders.catalogue.store import open_report, read_table, store_catalogue
from loaders.catalogue.versions import current_version, lease
from loaders.core.vocabulary import load_vocabulary

CHANGES_FILE = "changes.json"  # written by python -m loaders update (loaders.update.update)
PROVISIONAL_MONTHS = 3  # latest months that late supplier returns usually revise
RESULT_CACHE_BYTES = 64_000_000  # query results (views, figures) kept per process
FRAME_CACHE_BYTES = 128_000_000  # filtered tables kept per process (256 MB was no faster)
# and at most this many of each (see LruCache: a full garbage collection walks every object
# they hold): results, pages rendered (a page's components are about a thousand objects)
# and filtered tables
RESULT_CACHE_ENTRIES = 2048
PAGE_CACHE_ENTRIES = 16
FRAME_CACHE_ENTRIES = 32
NOTICE_TABLES = ("notices", "awards", "award_suppliers", "ocds_releases")


def _deep_bytes(table: pd.DataFrame) -> int:
    return int(table.memory_usage(index=True, deep=True).sum())


def grain_for(grain: str, filters: Filters) -> str:
    """The smallest table with the bodies ``grain`` has and those the filters name."""
    customers = grain in ("customer", "pair") or bool(filters.customer)
    suppliers = grain in ("supplier", "pair") or bool(filters.supplier)
    return {
        (False, False): "spend",
        (True, False): "customer",
        (False, True): "supplier",
        (True, True): "pair",
    }[(customers, suppliers)]


class Store:
    """The store behind one app: aggregate tables, report, bodies and memoised queries.

    ``filtered(filters, grain)`` gives the lines of one aggregate table that pass the
    filters: ``spend`` (no bodies), ``customer``, ``supplier`` or ``pair`` (both bodies).
    Each query asks for the smallest grain that answers it. ``pointer`` is the store as
    named (``S``); ``store_dir`` the version folder read (``S.versions/<id>``, or ``S`` for a
    store written before versions); ``version`` names another folder to read than the one
    the pointer names now. Raises :class:`~loaders.core.errors.LoaderInputError` when the
    folder is not a store of this format.
    """

    def __init__(
        self,
        store_dir: str | Path,
        cache_bytes: int = RESULT_CACHE_BYTES,
        shared: SharedCache | None = None,
        version: Path | None = None,
    ) -> None:
        self.pointer = Path(store_dir)
        self.store_dir = version or current_version(self.pointer)
        self._lease = lease(self.store_dir)
        self.report = open_report(self.store_dir)
        self.vocab = load_vocabulary()
        self.aggregates = LazyAggregates(self.store_dir)
        self._cache = LruCache(cache_bytes, RESULT_CACHE_ENTRIES)
        self._pages = LruCache(cache_bytes, PAGE_CACHE_ENTRIES)
        self._frames = LruCache(FRAME_CACHE_BYTES, FRAME_CACHE_ENTRIES)
        self._shared = shared
        self._constants: dict[str, Any] = {}
        self._stored: dict[str, pd.DataFrame] = {}
        self._tables: dict[str, pd.DataFrame] = {}

    @cached_property
    def synthetic(self) -> bool:
        """Whether the store holds files of the bundled synthetic sample (invented figures)."""
        return bool(synthetic_files(self.report))

    @cached_property
    def catalogue(self) -> Catalogue:
        """The declarations of the tables the store holds (its ``catalogue.json``)."""
        return store_catalogue(self.store_dir)

    def stored(self, name: str) -> pd.DataFrame:
        """Any table of the store by its catalogue name, typed, read on first use (a
        canonical table the store lacks reads as empty). Do not change what is returned."""
        if name not in self._stored:
            if name in self.catalogue:
                table = read_table(self.store_dir, name, catalogue=self.catalogue)
            else:
                table = CATALOGUE[name].empty()
            self._stored[name] = table
        return self._stored[name]

    @cached_property
    def spend(self) -> pd.DataFrame:
        """Every spend row (read on first use: only row downloads need it)."""
        return self.stored("spend")

    @cached_property
    def quarantine(self) -> pd.DataFrame:
        """Rows set aside at ingest, with reasons."""
        return self.stored("quarantine")

    @cached_property
    def revisions(self) -> pd.DataFrame:
        """Framework-months revised by later releases."""
        return self.stored("revisions")

    @cached_property
    def release_months(self) -> pd.DataFrame:
        """Each framework-month's total in every release that published it."""
        return self.stored("release_months")

    @cached_property
    def changes(self) -> dict | None:
        """What the latest ``python -m loaders update`` changed (``changes.json``), if any."""
        path = self.store_dir / CHANGES_FILE
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    @cached_property
    def customers(self) -> pd.DataFrame:
        """The customer list's bodies (empty when the store was built without one)."""
        return self.stored("customers")

    @cached_property
    def matches(self) -> pd.DataFrame:
        """How published names were resolved to bodies."""
        return self.stored("matches")

    @cached_property
    def notices(self) -> pd.DataFrame:
        """Notices: one row per procurement process (read on first use)."""
        return self.stored("notices")

    @cached_property
    def awards(self) -> pd.DataFrame:
        """Awards of those processes, with their size group."""
        return self.stored("awards")

    @cached_property
    def award_suppliers(self) -> pd.DataFrame:
        """Suppliers of those awards, with their scale."""
        return self.stored("award_suppliers")

    @cached_property
    def ocds_releases(self) -> pd.DataFrame:
        """Every OCDS release read, with its outcome (loaded, duplicate, quarantined)."""
        return self.stored("ocds_releases")

    def table(self, grain: str) -> pd.DataFrame:
        """One aggregate table: ``spend``, ``customer``, ``supplier`` or ``pair``, or a body
        table by financial year (``customer_fy``, ...), its months held as month numbers
        (:func:`~dashboard.analytics.counting.with_month_numbers`: read them with
        :func:`~dashboard.analytics.counting.months_of`) and its counts held narrow
        (:func:`~dashboard.analytics.counting.held_narrow`)."""
        if grain not in self._tables:
            self._tables[grain] = held_narrow(with_month_numbers(self.aggregates.read(grain)))
        return self._tables[grain]

    @property
    def bodies(self) -> pd.DataFrame:
        """Every customer and supplier body: kind, key, name, spend, transactions."""
        return self.aggregates.table(BODIES)

    @cached_property
    def body_index(self) -> BodyIndex:
        """The one index of body names (see :mod:`dashboard.analytics.bodies`): display
        names, every name the bodies were published under (the match report) and the
        customer list's current and former names of bodies resolved to its URNs."""
        published = self.matches.dropna(subset=["body_key"])
        listed = self.stored("customer_names").dropna(subset=["urn"])
        aliases = pd.concat(
            [
                pd.DataFrame({"kind": published["kind"].astype(str),
                              "key": published["body_key"].astype(str),
                              "name": published["published_name"].astype(str),
                              "rank": PUBLISHED}),
                pd.DataFrame({"kind": "customer",
                              "key": [f"urn:{int(u)}" for u in listed["urn"]],
                              "name": listed["name"].astype(str),
                              "rank": listed["how"].astype(str).eq("current name").map(
                                  {True: PUBLISHED, False: FORMER})}),
            ],
            ignore_index=True,
        )  # fmt: skip
        return BodyIndex(self.bodies, self.vocab, aliases)

    def warm(self) -> dict[str, int]:
        """Read everything the pages read from disk, so no request waits for it: every
        aggregate table of the store (by month and by financial year, and ``bodies``) with
        the positions of each department's lines in it (:meth:`department_lines`), the customer
        list, the match report, the revisions tables, the Contracts Finder notice tables and
        the index of body names.
        The spend rows themselves stay unread (only the rows download needs them).

        Returns the number of lines of each table read (aggregate tables by name).
        Idempotent: a second call reads nothing. Raises ``OSError`` (or a Parquet error)
        when a table cannot be read.
        """
        aggregates = sorted(n.removeprefix(PREFIX) for n in self.catalogue if n.startswith(PREFIX))
        counts = {name: len(self.table(name)) for name in aggregates}
        for name in aggregates:
            if "department" in self.table(name).columns:
                self.department_lines(name)
        for name in ("customers", "matches", "revisions", "release_months", *NOTICE_TABLES):
            counts[name] = len(self.stored(name))
        self.body_index.warm()
        self.allowed_values()
        self.synthetic  # noqa: B018
        return counts

    def held_bytes(self) -> dict[str, int]:
        """Bytes of memory held now, by what holds them: each table read so far (aggregate
        tables by name, categories counted once, with their owner; stored tables as
        ``stored:<name>``), and the bounded caches of query results (``cache:results``),
        pages rendered (``cache:pages``: their components' outer objects only) and
        filtered tables (``cache:frames``), as they count them.
        For the benchmark's memory rows; reads nothing."""
        held = {
            **{name: _deep_bytes(t) for name, t in self._tables.items()},
            **{f"stored:{name}": _deep_bytes(t) for name, t in self._stored.items()},
        }
        held["cache:results"] = self._cache.held_bytes
        held["cache:pages"] = self._pages.held_bytes
        held["cache:frames"] = self._frames.held_bytes
        return held

    def constant(self, name: str, compute: Callable[[], Any]) -> Any:
        """Result of ``compute``, a value of the store alone (no filter: the customer list's
        groups, a lookup table), computed once and kept for the life of the app (never
        evicted as the memoised results of filter sets are). Do not change what is returned.
        """
        if name not in self._constants:
            self._constants[name] = compute()
        return self._constants[name]

    def memoised(self, name: str, filters: Hashable, compute: Callable[[], Any]) -> Any:
        """Result of ``compute`` for this query name and filter set (or other hashable key
        with a stable ``repr``), computed once (and shared with the server's other workers
        when a shared cache is configured)."""
        return self._remembered(self._cache, (name, filters), compute)

    def rendered(self, name: str, filters: Hashable, compute: Callable[[], Any]) -> Any:
        """A page's components for a filter set, memoised as :meth:`memoised` does, in an
        in-process cache of their own holding the last :data:`PAGE_CACHE_ENTRIES` pages (so
        the many objects of their components neither crowd out results nor slow the
        garbage collector; the shared cache keeps more of them, pickled)."""
        return self._remembered(self._pages, (name, filters), compute)

    def _remembered(self, cache: LruCache, key: tuple, compute: Callable[[], Any]) -> Any:
        if self._shared is None:
            return cache.get_or_compute(key, compute)
        shared = self._shared
        return cache.get_or_compute(key, lambda: shared.get_or_compute(key, compute))

    def resolve_bodies(self, filters: Filters) -> Bodies:
        """The body keys the customer and supplier filters name (by key, name or spelling)."""
        return self.body_index.resolve(filters.customer, filters.supplier)

    def filtered(
        self,
        filters: Filters,
        grain: str = "pair",
        *,
        department: str | None = None,
        months: bool = False,
        suppliers: tuple[str, ...] | None = None,
    ) -> pd.DataFrame:
        """Lines of the ``grain`` table passing ``filters`` (``department``: only that
        department's bodies; ``suppliers``: only these supplier body keys, on top of the
        filters), memoised.

        Tables are read by financial year unless ``months`` (the query needs months) or the
        period filters cut financial years; a yearly line's ``month`` is its first.
        """
        grain = grain_for(grain, filters)
        if not months and whole_years(filters):
            grain = f"{grain}_fy"
        # only the fields apply_filters reads: a page's subject (``name``, resolved into
        # ``department`` by the caller) and the adoption page's organisation types do not
        # choose lines, so every buyer or department page shares one filtered table
        key = (grain, spend_filters(filters), department, suppliers)

        def compute() -> pd.DataFrame:
            bodies = self.resolve_bodies(filters)
            if suppliers is not None:
                named = bodies.suppliers
                keys = frozenset(suppliers) if named is None else named & frozenset(suppliers)
                bodies = replace(bodies, suppliers=keys)
            return apply_filters(
                self.table(grain),
                filters,
                self.vocab,
                sorted_by_month=True,
                bodies=bodies,
                department=department,
                positions=None if department is None else self.lines_of(grain, department),
            )

        return self._frames.get_or_compute(key, compute)

    def lines_of(self, grain: str, department: str) -> np.ndarray | None:
        """Ascending row positions of one department's lines in the ``grain`` table (from
        :meth:`department_lines`); ``None`` when the table's ``department`` column is not
        categorical."""
        by_department = self.department_lines(grain)
        if by_department is None:
            return None
        return by_department.get(department, np.zeros(0, "int32"))

    def department_lines(self, grain: str) -> dict[str, np.ndarray] | None:
        """Every department's ascending row positions in the ``grain`` table (int32), found
        with one sort of the table's department codes, once per table; ``None`` when its
        ``department`` column is not categorical. Do not change what is returned."""

        def compute() -> dict[str, np.ndarray] | None:
            column = self.table(grain)["department"]
            if not isinstance(column.dtype, pd.CategoricalDtype):
                return None
            codes = column.cat.codes.to_numpy()
            order = np.argsort(codes, kind="stable").astype("int32")  # 4 bytes a line
            names = column.cat.categories
            nulls = int((codes < 0).sum())  # sorted first, in no department
            ends = np.cumsum(np.bincount(codes[codes >= 0], minlength=len(names))) + nulls
            starts = np.concatenate([[nulls], ends[:-1]])
            return {str(n): order[a:b] for n, a, b in zip(names, starts, ends, strict=True)}

        return self.constant(f"department-lines:{grain}", compute)

    def filtered_all_time(
        self,
        filters: Filters,
        grain: str = "pair",
        department: str | None = None,
        months: bool = False,
    ) -> pd.DataFrame:
        """Lines passing every filter but the period ones (first purchases, year to date)."""
        return self.filtered(without_time(filters), grain, department=department, months=months)

    def rows(self, filters: Filters) -> pd.DataFrame:
        """Spend rows themselves passing ``filters`` (reads every row: downloads only)."""
        return apply_filters(self.spend, filters, self.vocab, bodies=self.resolve_bodies(filters))

    @property
    def latest_month(self) -> pd.Timestamp | None:
        """Latest month in the store."""
        table = self.table("spend")
        return None if table.empty else self.constant("latest-month", lambda: last_month_of(table))

    def provisional_months(self) -> list[str]:
        """The latest months, which late returns are likely to revise."""
        latest = self.latest_month
        if latest is None:
            return []
        months = pd.date_range(end=latest, periods=PROVISIONAL_MONTHS, freq="MS")
        return [m.strftime("%Y-%m") for m in months]

    def options(self, column: str) -> list[str]:
        """Distinct values of a column in the order people expect (iterations by number,
        lots in their frameworks' order; for filter controls)."""
        values = self.table("spend_fy")[column]
        if isinstance(values.dtype, pd.CategoricalDtype):  # categories are the values used
            return ordered(map(str, values.cat.categories), column)
        return ordered(map(str, values.astype(object).dropna().unique()), column)

    def financial_years(self) -> list[str]:
        """Every financial year in which any kind of data the app shows (spend, notices,
        bids and opportunities: :mod:`dashboard.analytics.held_periods`) holds a month, oldest
        first; a page offers only the years of the kinds it shows."""
        return years_held(self, tuple(KINDS))

    def allowed_values(self) -> dict[str, list[str]]:
        """The values each filter can take in this store (financial years and the values of
        the columns the choice filters select; read once: do not change what is returned)."""
        return self._allowed_values

    @cached_property
    def _allowed_values(self) -> dict[str, list[str]]:
        values = {p.field: self.options(p.column) for p in COLUMN_FILTERS if not p.accepts}
        values["fy"] = self.financial_years()
        values.update(filter_values(self.register_bodies))
        types = self.customers["organisation_type"].dropna().astype(str).unique()
        values["organisation_type"] = sorted({*values["organisation_type"], *types})
        table = read_departments()
        values["compare"] = sorted(set(table.loc[table["body_type"].isin(DEPARTMENT_TYPES),
                                                 "department"]))  # fmt: skip
        return values

    @cached_property
    def register_bodies(self) -> pd.DataFrame:
        """The register table of bodies that could buy (``data/reference/registers``), read
        once; do not change what is returned."""
        return read_register_bodies()

    def read_query(self, search: str | None) -> tuple[Filters, tuple]:
        """The filters of a link as this store can apply them, and the notices about it
        (:func:`dashboard.analytics.links.read_link`, the one reader of links)."""
        return read_link(self, search)

    def months(self) -> list[str]:
        """Every month with spend in the store as ``YYYY-MM``, oldest first (found once per
        store: :func:`~dashboard.analytics.held_periods.months_held`)."""
        return months_held(self)
