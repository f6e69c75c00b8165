"""Callbacks: thin translations between the URL, the controls, the pages and downloads.

* the URL query string is the one source of truth for filters: changing a control writes
  it; loading or going back to a URL sets the controls from it (showing what applies);
* the page is rendered from the path and the query string, with a notice naming any part of
  the link that cannot apply;
* the header's links carry the filters to the other pages;
* a download sends the same table the page shows for that view, or says why it cannot.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from dash import MATCH, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, no_update

from dashboard.analytics.filters import carried, describe, to_query
from dashboard.analytics.links import read_link
from dashboard.analytics.store import Store
from dashboard.pages.registry import VIEWS, page_for
from dashboard.ui import ids
from dashboard.ui.controls import controls_from_filters, filters_from_controls
from dashboard.ui.downloads import download_bytes
from dashboard.ui.frame import about_text, nav_link_id
from dashboard.ui.sections import did_you_mean, url_notice

LOG = logging.getLogger(__name__)
KINDS = ("customer", "supplier")


def plain(value: object) -> str | list[str] | None:
    """A value a browser's control or location sends (text, or a list of texts); anything
    else a hand-made request might send (numbers, objects, nested lists) as ``None``."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def sync_filters(
    store: Store, triggered: str | None, search: str | None, control_values: dict[str, object]
) -> list:
    """Return ``[search, *control values]`` (controls in :data:`ids.FILTER_CONTROLS` order)
    updated from whichever side changed; ``control_values`` maps control id -> value.

    ``triggered`` is the id of the component that changed (``None`` on first load). The
    controls show what applies (values of the link that cannot apply are left out), and the
    period switch always shows the period the charts are drawn by.
    """
    applied, _ = read_link(store, search)
    if triggered in (None, ids.URL):
        names = {kind: store.body_index.display_names(kind) for kind in KINDS}
        shown = controls_from_filters(applied, names)
        return [no_update, *(shown[c] for c in ids.FILTER_CONTROLS)]
    filters = filters_from_controls(
        control_values,
        {kind: store.body_index.key_of(kind) for kind in KINDS},
        period_chosen=triggered == ids.PERIOD,
        previous=applied,
    )
    new_search = to_query(filters)
    controls = [no_update] * len(ids.FILTER_CONTROLS)
    if control_values.get(ids.PERIOD) != filters.shown_by:
        controls[ids.FILTER_CONTROLS.index(ids.PERIOD)] = filters.shown_by
    return [no_update if new_search == (search or "") else new_search, *controls]


def render_page(store: Store, pathname: str | None, search: str | None):
    """Page components, and the class of the columns (with or without the filters); a
    page's components are memoised per filter set like the views they show."""
    page = page_for(pathname)
    filters, notices = read_link(store, search)
    columns = "app-columns" if page.uses_filters else "app-columns app-columns--no-filters"
    content = store.memoised(f"page:{page.path}", filters, lambda: page.build(store, filters))
    if notices and page.uses_filters:
        content = [url_notice(notices), *_suggestions(store, pathname, filters, notices),
                   *content]  # fmt: skip
    return content, columns


def _suggestions(store: Store, pathname: str | None, filters, notices) -> list:
    """For the first customer or supplier name of the link that matched nothing, the
    closest bodies, each a link to this page with that name instead (one box: the page has
    one element of its id)."""
    notice = next((n for n in notices if n.param in KINDS), None)
    if notice is None:
        return []
    links = []
    for _, name in store.body_index.suggest(notice.param, notice.value):
        chosen = (*getattr(filters, notice.param), name)
        href = (pathname or "/") + to_query(replace(filters, **{notice.param: chosen}))
        links.append((name, href))
    return [did_you_mean(notice.param, notice.value, links)]


def nav_hrefs(
    store: Store, pathname: str | None, search: str | None, nav: Sequence[tuple[str, str]]
) -> list[str]:
    """The href of each header link, keeping the filters that apply (not a page's own
    ``name`` or supplier), and of "Clear all filters" (this page without filters)."""
    filters, _ = read_link(store, search)
    query = to_query(carried(filters))
    return [f"{path}{query}" for path, _ in nav] + [pathname or "/"]


def download(store: Store, view_id: str, fmt: str, search: str | None) -> dict:
    """The ``dcc.Download`` payload of one view's table in CSV or Excel, with money rounded
    to the penny and shares to one decimal as shown (the Excel About sheet says when a
    capped view stopped at its row limit)."""
    view = VIEWS[view_id]
    filters, _ = read_link(store, search)
    table, units = view.labelled(store, filters)
    note = (
        f"{view.title(filters)}\nSource: CCS framework spend. {about_text(store)}\n"
        + ("" if store.synthetic else "Contains public sector information licensed under the "
           "Open Government Licence v3.0.\n")
        + f"Filters: {describe(filters)}"
        + (f"\n{capped}" if (capped := view.capped(table)) else "")
    )  # fmt: skip
    content = download_bytes(table, units, fmt, view.name, note)
    return dcc.send_bytes(content, f"{view_id}.{fmt}")


def download_status(store: Store, view_id: str, search: str | None) -> str:
    """What the download's status line says after a download: that it stopped at the
    view's row limit, when it did; else nothing."""
    view = VIEWS[view_id]
    filters, _ = read_link(store, search)
    return view.capped(view.table(store, filters))


def _download_or_message(store: Store, view_id: str, fmt: str, search: str | None):
    try:
        return download(store, view_id, fmt, search), download_status(store, view_id, search)
    except Exception:  # a download must never fail silently: say so, log the cause
        LOG.exception("download of %s as %s failed for %r", view_id, fmt, search)
        return no_update, "Sorry, this download failed. Try again, or download the CSV."


def register_callbacks(app: Dash, store: Store, nav: Sequence[tuple[str, str]]) -> None:
    """Attach the app's callbacks, each closing over this app's store."""

    @app.callback(
        Output(ids.URL, "search"),
        [Output(c, "value") for c in ids.FILTER_CONTROLS],
        Input(ids.URL, "search"),
        [Input(c, "value") for c in ids.FILTER_CONTROLS],
    )
    def on_filters(search, *values):
        controls = dict(zip(ids.FILTER_CONTROLS, map(plain, values), strict=True))
        return sync_filters(store, ctx.triggered_id, _text(search), controls)

    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.COLUMNS, "className"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    def on_url(pathname, search):
        return render_page(store, _text(pathname), _text(search))

    @app.callback(
        [Output(nav_link_id(i), "href") for i in range(len(nav))],
        Output(ids.CLEAR_FILTERS, "href"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    def on_links(pathname, search):
        return nav_hrefs(store, _text(pathname), _text(search), nav)

    @app.callback(
        Output({"type": ids.DOWNLOAD_TARGET, "view": MATCH}, "data"),
        Output({"type": ids.DOWNLOAD_STATUS, "view": MATCH}, "children"),
        Input({"type": ids.DOWNLOAD_CSV, "view": MATCH}, "n_clicks"),
        Input({"type": ids.DOWNLOAD_XLSX, "view": MATCH}, "n_clicks"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def on_download(csv_clicks, xlsx_clicks, search):
        trigger = ctx.triggered_id
        if not trigger or not (csv_clicks or xlsx_clicks):
            return no_update, no_update
        fmt = "csv" if trigger["type"] == ids.DOWNLOAD_CSV else "xlsx"
        if trigger.get("view") not in VIEWS:
            return no_update, no_update
        return _download_or_message(store, trigger["view"], fmt, _text(search))

    app.clientside_callback(
        ClientsideFunction("app", "copyLink"),
        Output(ids.COPY_LINK_STATUS, "children"),
        Input(ids.COPY_LINK, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("app", "toggleFilters"),
        Output(ids.FILTERS_TOGGLE, "aria-expanded"),
        Output(ids.FILTERS_REGION, "className"),
        Input(ids.FILTERS_TOGGLE, "n_clicks"),
    )
