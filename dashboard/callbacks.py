"""Callbacks: thin translations between the URL, the controls, the pages and downloads.

* the URL query string is the one source of truth for filters: changing a control writes
  it; loading or going back to a URL sets the controls from it;
* the page is rendered from the path and the query string;
* a download sends the same table the page shows for that view.
"""

from __future__ import annotations

from dash import MATCH, Dash, Input, Output, State, ctx, dcc, no_update

from dashboard import ids
from dashboard.controls import controls_from_filters, filters_from_controls
from dashboard.data import DashboardData
from dashboard.downloads import to_csv_bytes, to_xlsx_bytes
from dashboard.filters import Filters, describe, parse_query, to_query
from dashboard.pages import NOT_FOUND, PAGES
from dashboard.views import VIEWS
from loaders import normalise


def sync_filters(
    data: DashboardData, triggered: str | None, search: str | None, control_values: list
) -> list:
    """Return ``[search, *control_values]`` updated from whichever side changed.

    ``triggered`` is the id of the component that changed (``None`` on first load).
    """
    names = data.memoised("name-options", Filters(), lambda: _name_maps(data))
    if triggered in (None, ids.URL):
        filters = parse_query(search or "")
        return [no_update, *controls_from_filters(filters, *names)]
    filters = filters_from_controls(
        control_values,
        lambda n: normalise.customer_key(n, data.vocab),
        lambda n: normalise.supplier_key(n, data.vocab),
        period_chosen=triggered == ids.PERIOD,
        previous=parse_query(search or ""),
    )
    new_search = to_query(filters)
    if new_search == (search or ""):
        return [no_update] * (1 + len(control_values))
    return [new_search] + [no_update] * len(control_values)


def _name_maps(data: DashboardData) -> tuple[dict[str, str], dict[str, str]]:
    """Body key, and name key of its display name, -> display name; for the name boxes."""
    maps = []
    for kind, key_of in (
        ("customer", lambda n: normalise.customer_key(n, data.vocab)),
        ("supplier", lambda n: normalise.supplier_key(n, data.vocab)),
    ):
        bodies = data.bodies[data.bodies["kind"] == kind]
        names = dict(zip(bodies["key"].astype(str), bodies["name"].astype(str), strict=True))
        names.update({key_of(str(n)): str(n) for n in bodies["name"]})
        maps.append(names)
    return maps[0], maps[1]


def render_page(data: DashboardData, pathname: str | None, search: str | None):
    """Page components, and the class of the columns (with or without the filters)."""
    page = PAGES.get((pathname or "/").rstrip("/") or "/", NOT_FOUND)
    filters = parse_query(search or "")
    columns = "app-columns" if page.uses_filters else "app-columns app-columns--no-filters"
    return page.build(data, filters), columns


def download(data: DashboardData, view_id: str, fmt: str, search: str | None) -> dict:
    """The ``dcc.Download`` payload of one view's table in CSV or Excel."""
    view = VIEWS[view_id]
    filters = parse_query(search or "")
    table = view.table(data, filters)
    name = f"{view_id}.{fmt}"
    if fmt == "csv":
        return dcc.send_bytes(to_csv_bytes(table), name)
    note = (
        f"{view.title(filters)}\nSource: CCS framework spend, management information, "
        f"data as at {data.latest_month:%B %Y}.\nContains public sector information licensed "
        f"under the Open Government Licence v3.0.\nFilters: {describe(filters)}"
    )
    return dcc.send_bytes(to_xlsx_bytes(table, view.name, note), name)


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach the app's callbacks, each closing over this app's data."""
    controls = [Input(c, "value") for c in ids.FILTER_CONTROLS]

    @app.callback(
        Output(ids.URL, "search"),
        [Output(c, "value") for c in ids.FILTER_CONTROLS],
        Input(ids.URL, "search"),
        controls,
    )
    def on_filters(search, *values):
        return sync_filters(data, ctx.triggered_id, search, list(values))

    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.COLUMNS, "className"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    def on_url(pathname, search):
        return render_page(data, pathname, search)

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
        return download(data, trigger["view"], fmt, search)
