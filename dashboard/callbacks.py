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

from dash import ALL, MATCH, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, no_update

from dashboard.analytics.clicks import PERIOD, filters_for_click
from dashboard.analytics.filters import carried, describe, query_pairs, to_query, without_time
from dashboard.analytics.held_periods import years_held
from dashboard.analytics.search import search
from dashboard.analytics.searchable import BUYERS, SUPPLIERS
from dashboard.analytics.store import Store
from dashboard.pages.registry import VIEWS, page_for, page_of_view
from dashboard.ui import ids
from dashboard.ui.controls import controls_from_filters, filters_from_controls
from dashboard.ui.downloads import download_bytes, download_file_name, labelled_synthetic
from dashboard.ui.filter_panel import period_choices
from dashboard.ui.frame import about_text, nav_link_id
from dashboard.ui.sections import did_you_mean, url_notice

LOG = logging.getLogger(__name__)
KINDS = ("customer", "supplier")
SUGGESTIONS = 5  # closest bodies offered for a name that matches none


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
    store: Store,
    triggered: str | None,
    search: str | None,
    control_values: dict[str, object],
    pathname: str | None = None,
) -> list:
    """Return ``[search, *control values]`` (controls in :data:`ids.FILTER_CONTROLS` order)
    updated from whichever side changed; ``control_values`` maps control id -> value.

    ``triggered`` is the id of the component that changed (``None`` on first load). The
    controls show what applies (values of the link that cannot apply are left out), and the
    period switch always shows the period the charts are drawn by.
    """
    applied, _ = page_for(pathname).read(store, search)
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
    filters, notices = page.read(store, search)
    columns = "app-columns" if page.uses_filters else "app-columns app-columns--no-filters"
    content = store.rendered(f"page:{page.path}", filters, lambda: page.build(store, filters))
    if notices and page.uses_filters:
        content = [url_notice(notices), *_suggestions(store, pathname, filters, notices),
                   *content]  # fmt: skip
    return content, columns


def page_frame(store: Store, pathname: str | None, search: str | None) -> tuple[dict, bool]:
    """What the frame shows of the page: the browser tab's title (``{"path", "title"}``: the
    subject of the page first, ``Home Office – Departments``) and whether the "Filters"
    button is hidden (pages without filters)."""
    page = page_for(pathname)
    filters, _ = page.read(store, search)
    title = store.memoised(f"title:{page.path}", filters, lambda: page.title_for(store, filters))
    return {"path": (pathname or "/"), "title": title}, not page.uses_filters


def _legend_value(store: Store, view, filters, restyle: object) -> str | None:
    """The name of the one series a legend click left shown (``toggleothers``), if one."""
    if not (isinstance(restyle, list) and len(restyle) == 2 and isinstance(restyle[0], dict)):
        return None
    visible, traces = restyle[0].get("visible"), restyle[1]
    if not (isinstance(visible, list) and isinstance(traces, list) and len(traces) > 1):
        return None
    shown = [t for t, v in zip(traces, visible, strict=False) if v is True]
    figure = view.figure(store, filters)
    if len(shown) != 1 or not isinstance(shown[0], int) or shown[0] >= len(figure.data):
        return None
    return figure.data[shown[0]].name


def _point_value(field: str, click: object) -> object:
    """The value a clicked point carries: its ``customdata`` (a supplier, a sector, ``[field,
    value]``), else its category on the axis (a period label)."""
    points = click.get("points") if isinstance(click, dict) else None
    if not (isinstance(points, list) and points and isinstance(points[0], dict)):
        return None
    point = points[0]
    if field != PERIOD and "customdata" in point:
        return point["customdata"]
    return point.get("x")


def click_search(
    store: Store, view_id: str, prop: str, data: object, search: str | None, pathname: str | None
) -> str | None:
    """The query string of the page narrowed to what was clicked on the chart of
    ``view_id`` (``prop``: ``clickData`` for a bar or point, ``restyleData`` for a legend
    entry), or ``None`` when the click chooses nothing (see
    :mod:`dashboard.analytics.clicks`)."""
    view = VIEWS.get(view_id)
    if view is None or view.click is None:
        return None
    filters, _ = page_for(pathname).read(store, search)
    if prop == "clickData" and view.click.point:
        field, value = view.click.point, _point_value(view.click.point, data)
    elif prop == "restyleData" and view.click.legend:
        field, value = view.click.legend, _legend_value(store, view, filters, data)
    else:
        return None
    chosen = filters_for_click(filters, field, value)
    return None if chosen is None else to_query(chosen)


def chart_click(
    store: Store, trigger: object, triggered: list, search: str | None, pathname: str | None
):
    """The new query string after a click on a chart (Dash's triggered id and list), or
    ``no_update`` when the click chooses nothing new."""
    if not isinstance(trigger, dict) or not triggered:
        return no_update
    prop = triggered[0]["prop_id"].rsplit(".", 1)[-1]
    found = click_search(store, str(trigger.get("view")), prop, triggered[0]["value"], search,
                         pathname)  # fmt: skip
    return no_update if found is None or found == (search or "") else found


def period_options(store: Store, pathname: str | None) -> list[list[dict[str, str]]]:
    """The options of the financial-year, from-month and to-month selects on this page: the
    periods of the data it shows (notices' months on ``/opportunities``)."""
    kinds = page_for(pathname).kinds
    return store.constant(f"period-options:{kinds}", lambda: period_choices(store, kinds))


def _suggestions(store: Store, pathname: str | None, filters, notices) -> list:
    """For the first customer or supplier name of the link that matched nothing, the
    bodies the search finds for it (part of a name, an abbreviation, typos allowed), each a
    link to this page with that name instead (one box: the page has one element of its
    id)."""
    notice = next((n for n in notices if n.param in KINDS), None)
    if notice is None:
        return []
    links = []
    kind = BUYERS.name if notice.param == "customer" else SUPPLIERS.name
    for hit in search(store, notice.value, SUGGESTIONS, kinds=(kind,)):
        name = hit.entry.name
        chosen = (*getattr(filters, notice.param), name)
        href = (pathname or "/") + to_query(replace(filters, **{notice.param: chosen}))
        links.append((name, href))
    return [did_you_mean(notice.param, notice.value, links)]


def nav_hrefs(
    store: Store, pathname: str | None, search: str | None, nav: Sequence[tuple[str, str]]
) -> list[str]:
    """The href of each header link, keeping the filters that apply (not a page's own
    ``name`` or supplier, nor financial years the other page's data do not hold), and of
    "Clear all filters" (this page without filters)."""
    filters, _ = page_for(pathname).read(store, search)
    shown = carried(filters)
    hrefs = []
    for path, _ in nav:
        held = years_held(store, page_for(path).kinds)
        years = tuple(y for y in shown.fy if y in held)
        kept = replace(shown, fy=years) if years or not shown.fy else without_time(shown)
        hrefs.append(f"{path}{to_query(kept)}")
    return [*hrefs, pathname or "/"]


def download(store: Store, view_id: str, fmt: str, search: str | None) -> dict:
    """The ``dcc.Download`` payload of one view's table in CSV or Excel, with money rounded
    to the penny and shares to one decimal as shown (the Excel About sheet says when a
    capped view stopped at its row limit)."""
    view = VIEWS[view_id]
    filters, _ = page_of_view(view_id).read(store, search)
    table, units = view.labelled(store, filters)
    if store.synthetic:
        table, units = labelled_synthetic(table, units)
    note = (
        f"{view.title(filters)}\nSource: CCS framework spend. {about_text(store)}\n"
        + ("" if store.synthetic else "Contains public sector information licensed under the "
           "Open Government Licence v3.0.\n")
        + f"Filters: {describe(filters)}"
        + (f"\n{capped}" if (capped := view.capped(table)) else "")
    )  # fmt: skip
    content = download_bytes(table, units, fmt, view.name, note)
    return dcc.send_bytes(content, download_name(store, view_id, filters, fmt))


def download_name(store: Store, view_id: str, filters, fmt: str) -> str:
    """The file name of a download: the view, the link's filters, data as at (see
    :func:`~dashboard.ui.downloads.download_file_name`)."""
    latest = store.latest_month
    as_at = latest.strftime("%Y-%m") if latest is not None else "none"
    return download_file_name(view_id, query_pairs(filters), as_at, fmt, store.synthetic)


def download_status(store: Store, view_id: str, search: str | None) -> str:
    """What the download's status line says after a download: that it stopped at the
    view's row limit, when it did; else nothing."""
    view = VIEWS[view_id]
    filters, _ = page_of_view(view_id).read(store, search)
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
        State(ids.URL, "pathname"),
    )
    def on_filters(search, *values):
        *values, pathname = values
        controls = dict(zip(ids.FILTER_CONTROLS, map(plain, values), strict=True))
        return sync_filters(store, ctx.triggered_id, _text(search), controls, _text(pathname))

    @app.callback(
        Output(ids.FY, "options"),
        Output(ids.FROM, "options"),
        Output(ids.TO, "options"),
        Input(ids.URL, "pathname"),
    )
    def on_path(pathname):
        return period_options(store, _text(pathname))

    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.COLUMNS, "className"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    def on_url(pathname, search):
        return render_page(store, _text(pathname), _text(search))

    @app.callback(
        Output(ids.TAB_TITLE, "data"),
        Output(ids.FILTERS_TOGGLE, "hidden"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    def on_frame(pathname, search):
        return page_frame(store, _text(pathname), _text(search))

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

    @app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input({"type": ids.GRAPH, "view": ALL}, "clickData"),
        Input({"type": ids.GRAPH, "view": ALL}, "restyleData"),
        State(ids.URL, "search"),
        State(ids.URL, "pathname"),
        prevent_initial_call=True,
    )
    def on_chart_click(_clicks, _restyles, search, pathname):
        return chart_click(store, ctx.triggered_id, ctx.triggered, _text(search), _text(pathname))

    app.clientside_callback(
        ClientsideFunction("app", "printPage"),
        Output(ids.BRIEF_PRINT, "title"),
        Input(ids.BRIEF_PRINT, "n_clicks"),
        prevent_initial_call=True,
    )
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
