"""Access to one store for the app: the spend frame, the load report and memoised queries.

A :class:`DashboardData` is built once per app from a store folder. Query results are
memoised per filter set in a bounded cache owned by the instance (no module-level state), so
the charts, data tables and downloads of one view compute each aggregate once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.filters import Filters
from dashboard.queries import apply_filters, without_time
from loaders.reference import load_vocabulary
from loaders.store import read_store

PROVISIONAL_MONTHS = 3  # latest months that late supplier returns usually revise
OPTION_LIMIT = 3000  # names offered as suggestions in the customer and supplier boxes


CUSTOMER_COLUMNS = ["urn", "name", "sector", "organisation_type", "active"]


def _optional_table(path: Path, columns: list[str]) -> pd.DataFrame:
    """A table the store may not have (stores written before it existed): empty if absent."""
    return pd.read_parquet(path) if path.is_file() else pd.DataFrame(columns=columns)


class LruCache:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value for ``key``, computing and storing it on a miss."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


class DashboardData:
    """The store behind one app: spend rows, report, revisions, quarantine, and queries."""

    def __init__(self, store_dir: str | Path, cache_size: int = 512) -> None:
        stored = read_store(store_dir)
        self.store_dir = Path(store_dir)
        self.spend = stored.spend
        self.quarantine = stored.quarantine
        self.revisions = stored.revisions
        self.report = stored.report
        self.customers = _optional_table(self.store_dir / "customers.parquet", CUSTOMER_COLUMNS)
        self.matches = _optional_table(self.store_dir / "matches.parquet", [])
        self.vocab = load_vocabulary()
        self._cache = LruCache(cache_size)

    def memoised(self, name: str, filters: Filters, compute: Callable[[], Any]) -> Any:
        """Result of ``compute`` for this query name and filter set, computed once."""
        return self._cache.get_or_compute((name, filters), compute)

    def filtered(self, filters: Filters) -> pd.DataFrame:
        """Spend rows passing ``filters`` (memoised)."""
        return self.memoised(
            "rows", filters, lambda: apply_filters(self.spend, filters, self.vocab)
        )

    def filtered_all_time(self, filters: Filters) -> pd.DataFrame:
        """Spend rows passing every filter but the period ones (for year-to-date views)."""
        return self.filtered(without_time(filters))

    @property
    def latest_month(self) -> pd.Timestamp | None:
        """Latest month in the store."""
        return None if self.spend.empty else self.spend["month"].max()

    def provisional_months(self) -> list[str]:
        """The latest months, which late returns are likely to revise."""
        latest = self.latest_month
        if latest is None:
            return []
        months = pd.date_range(end=latest, periods=PROVISIONAL_MONTHS, freq="MS")
        return [m.strftime("%Y-%m") for m in months]

    def options(self, column: str) -> list[str]:
        """Distinct values of a column, sorted (for filter controls)."""
        return sorted(self.spend[column].astype(object).dropna().unique().tolist(), key=str)

    def months(self) -> list[str]:
        """Every month in the store as ``YYYY-MM``, oldest first."""
        return sorted(self.spend["month"].dt.strftime("%Y-%m").unique().tolist())

    def name_options(self, name_column: str, key_column: str) -> dict[str, str]:
        """Key -> display name of the customers or suppliers with most spend (capped)."""
        totals = self.spend.groupby([key_column, name_column], observed=True)["spend_gbp"].sum()
        top = totals.sort_values(ascending=False).head(OPTION_LIMIT).reset_index()
        return dict(zip(top[key_column], top[name_column], strict=True))
