"""Callbacks: thin translations between the URL, the controls, the pages and downloads.

* the URL query string is the one source of truth for filters: changing a control writes
  it; loading or going back to a URL sets the controls from it;
* the page is rendered from the path and the query string;
* a download sends the same table the page shows for that view.
"""

from __future__ import annotations

from dash import MATCH, Dash, Input, Output, State, ctx, dcc, no_update

from dashboard.analytics.filters import Filters, describe, parse_query, to_query
from dashboard.analytics.store import Store
from dashboard.pages.registry import VIEWS, page_for
from dashboard.ui import ids
from dashboard.ui.controls import controls_from_filters, filters_from_controls
from dashboard.ui.downloads import to_csv_bytes, to_xlsx_bytes


def sync_filters(
    store: Store, triggered: str | None, search: str | None, control_values: dict[str, object]
) -> list:
    """Return ``[search, *control values]`` (controls in :data:`ids.FILTER_CONTROLS` order)
    updated from whichever side changed; ``control_values`` maps control id -> value.

    ``triggered`` is the id of the component that changed (``None`` on first load).
    """
    index = store.body_index
    if triggered in (None, ids.URL):
        names = store.memoised(
            "name-options",
            Filters(),
            lambda: {kind: index.display_names(kind) for kind in ("customer", "supplier")},
        )
        shown = controls_from_filters(parse_query(search or ""), names)
        return [no_update, *(shown[c] for c in ids.FILTER_CONTROLS)]
    filters = filters_from_controls(
        control_values,
        {kind: index.key_of(kind) for kind in ("customer", "supplier")},
        period_chosen=triggered == ids.PERIOD,
        previous=parse_query(search or ""),
    )
    new_search = to_query(filters)
    if new_search == (search or ""):
        return [no_update] * (1 + len(ids.FILTER_CONTROLS))
    return [new_search] + [no_update] * len(ids.FILTER_CONTROLS)


def render_page(store: Store, pathname: str | None, search: str | None):
    """Page components, and the class of the columns (with or without the filters)."""
    page = page_for(pathname)
    columns = "app-columns" if page.uses_filters else "app-columns app-columns--no-filters"
    return page.build(store, parse_query(search or "")), columns


def download(store: Store, view_id: str, fmt: str, search: str | None) -> dict:
    """The ``dcc.Download`` payload of one view's table in CSV or Excel."""
    view = VIEWS[view_id]
    filters = parse_query(search or "")
    table, _ = view.labelled(store, filters)
    name = f"{view_id}.{fmt}"
    if fmt == "csv":
        return dcc.send_bytes(to_csv_bytes(table), name)
    note = (
        f"{view.title(filters)}\nSource: CCS framework spend, management information, "
        f"data as at {store.latest_month:%B %Y}.\nContains public sector information licensed "
        f"under the Open Government Licence v3.0.\nFilters: {describe(filters)}"
    )
    return dcc.send_bytes(to_xlsx_bytes(table, view.name, note), name)


def register_callbacks(app: Dash, store: Store) -> None:
    """Attach the app's callbacks, each closing over this app's store."""

    @app.callback(
        Output(ids.URL, "search"),
        [Output(c, "value") for c in ids.FILTER_CONTROLS],
        Input(ids.URL, "search"),
        [Input(c, "value") for c in ids.FILTER_CONTROLS],
    )
    def on_filters(search, *values):
        controls = dict(zip(ids.FILTER_CONTROLS, values, strict=True))
        return sync_filters(store, ctx.triggered_id, search, controls)

    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.COLUMNS, "className"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    def on_url(pathname, search):
        return render_page(store, pathname, search)

    @app.callback(
        Output({"type": ids.DOWNLOAD_TARGET, "view": MATCH}, "data"),
        Input({"type": ids.DOWNLOAD_CSV, "view": MATCH}, "n_clicks"),
        Input({"type": ids.DOWNLOAD_XLSX, "view": MATCH}, "n_clicks"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def on_download(csv_clicks, xlsx_clicks, search):
        trigger = ctx.triggered_id
        if not trigger or not (csv_clicks or xlsx_clicks):
            return no_update
        fmt = "csv" if trigger["type"] == ids.DOWNLOAD_CSV else "xlsx"
        return download(store, trigger["view"], fmt, search)
