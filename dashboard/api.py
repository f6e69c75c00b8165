"""Reproduce any chart or table of the app in a notebook with one call.

>>> from dashboard.api import view_table, view_figure
>>> view_table("store", "spend-by-period", "?fy=2016-17&buyer_group=non-whitehall")
>>> view_figure("store", "sme-share", "?framework=G-Cloud")

``view_id`` is the id of a section of the app (the ``section-...`` anchors and the names of
the downloaded files); ``query`` is the page's URL query string, so a shared link is enough
to rebuild exactly what it shows.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from dashboard.analytics.filters import Filters
from dashboard.analytics.links import read_link
from dashboard.analytics.store import Store
from dashboard.pages.registry import VIEWS


@lru_cache(maxsize=4)
def open_store(store_dir: str | Path) -> Store:
    """The store as the app sees it (opened once per folder)."""
    return Store(Path(store_dir))


def _data(store: str | Path | Store) -> Store:
    return store if isinstance(store, Store) else open_store(str(store))


def link_filters(store: str | Path | Store, query: str = "") -> Filters:
    """The filters a link's query string applies to ``store``, read exactly as the app reads
    them (:func:`dashboard.analytics.links.read_link`: names with commas kept whole, values
    matched whatever their case; values that cannot apply are left out)."""
    return read_link(_data(store), query)[0]


def view_ids() -> list[str]:
    """Every view the app shows."""
    return sorted(VIEWS)


def view_table(
    store: str | Path | Store, view_id: str, query: str = "", *, labelled: bool = True
) -> pd.DataFrame:
    """The table behind a chart of the app, as shown and downloaded there (columns named by
    the labels table; ``labelled=False``: the snake_case columns the app computes with)."""
    view, filters = VIEWS[view_id], link_filters(store, query)
    if not labelled:
        return view.table(_data(store), filters)
    return view.labelled(_data(store), filters)[0]


def view_figure(store: str | Path | Store, view_id: str, query: str = "") -> go.Figure:
    """The chart itself (a plotly figure), with the app's title as ``layout.meta``."""
    figure = VIEWS[view_id].figure(_data(store), link_filters(store, query))
    if figure is None:
        raise ValueError(f"{view_id!r} is a table without a chart; use view_table")
    return figure
