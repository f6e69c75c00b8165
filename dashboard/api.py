"""Reproduce any chart or table of the app in a notebook with one call.

>>> from dashboard.api import view_table, view_figure
>>> view_table("store", "spend-by-period", "?fy=2016-17&buyer_group=non-whitehall")
>>> view_figure("store", "sme-share", "?framework=G-Cloud")

``view_id`` is the id of a section of the app (the ``section-...`` anchors and the names of
the downloaded files); ``query`` is the page's URL query string, so a shared link is enough
to rebuild exactly what it shows.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from dashboard.analytics.filters import Filters
from dashboard.analytics.held_periods import SPEND
from dashboard.analytics.links import read_link
from dashboard.analytics.store import Store
from dashboard.pages.registry import VIEWS, page_of_view
from dashboard.ui.downloads import rounded
from dashboard.ui.view import View


@lru_cache(maxsize=4)
def open_store(store_dir: str | Path) -> Store:
    """The store as the app sees it (opened once per folder)."""
    return Store(Path(store_dir))


def _data(store: str | Path | Store) -> Store:
    return store if isinstance(store, Store) else open_store(str(store))


def link_filters(store: str | Path | Store, query: str = "", view_id: str | None = None) -> Filters:
    """The filters a link's query string applies to ``store``, read exactly as the app reads
    them (:func:`dashboard.analytics.links.read_link`: names with commas kept whole, values
    matched whatever their case, financial years those of the data the page of ``view_id``
    shows; values that cannot apply are left out)."""
    if view_id:
        return page_of_view(view_id).read(_data(store), query)[0]
    return read_link(_data(store), query, (SPEND,))[0]


def view_ids() -> list[str]:
    """Every view the app shows."""
    return sorted(VIEWS)


class UnknownView(KeyError):
    """A view id the app does not have; the message names the valid ones."""

    def __str__(self) -> str:
        return str(self.args[0])


def _view(view_id: str) -> View:
    if view_id not in VIEWS:
        close = difflib.get_close_matches(str(view_id), VIEWS, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise UnknownView(f"No view {view_id!r}.{hint} The views are: {', '.join(view_ids())}.")
    return VIEWS[view_id]


def view_table(
    store: str | Path | Store, view_id: str, query: str = "", *, labelled: bool = True
) -> pd.DataFrame:
    """The table behind a chart of the app, as shown and downloaded there: columns named by
    the labels table, money rounded to the penny and shares to one decimal as the app rounds
    them (``labelled=False``: the snake_case columns the app computes with, unrounded).

    Raises :class:`UnknownView` (a ``KeyError`` naming the valid ids) for an unknown id.
    """
    view = _view(view_id)
    filters = link_filters(store, query, view_id)
    if not labelled:
        return view.table(_data(store), filters)
    table, units = view.labelled(_data(store), filters)
    return rounded(table, units)


def view_figure(store: str | Path | Store, view_id: str, query: str = "") -> go.Figure:
    """The chart itself (a plotly figure), with the app's title as ``layout.meta``."""
    figure = _view(view_id).figure(_data(store), link_filters(store, query, view_id))
    if figure is None:
        raise ValueError(f"{view_id!r} is a table without a chart; use view_table")
    return figure
