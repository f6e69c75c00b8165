"""Sections of a page: headline figures, a chart with its data table and its downloads.

Text from the data is always passed as component children (rendered as text by React),
never as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import plotly.graph_objects as go
from dash import dcc, html

from dashboard.analytics.filters import Filters, carried, query_pairs, to_query
from dashboard.analytics.store import Store
from dashboard.ui import ids
from dashboard.ui.tables import PRINTED_CHART_ROWS, data_table
from dashboard.ui.view import View


def headline_figure(element_id: str, label: str, value: str, note: str | None = None):
    """One headline figure: its label outside, the formatted figure alone in ``element_id``."""
    children = [
        html.Dt(label, className="app-kpi__label"),
        html.Dd(value, id=element_id, className="app-kpi__value"),
    ]
    if note:
        children.append(html.Dd(note, className="app-kpi__note"))
    return html.Div(html.Dl(children, className="app-kpi__list"), className="app-kpi")


def kpi_row(items: list[tuple]) -> html.Div:
    """A row of headline figures, each ``(id, label, value)`` or ``(id, label, value, note)``."""
    return html.Div([headline_figure(*item) for item in items], className="app-kpis")


def more(summary: str, content) -> html.Details:
    """A GOV.UK disclosure: ``summary`` shown, ``content`` revealed on demand."""
    return html.Details(
        className="govuk-details app-details",
        children=[
            html.Summary(
                html.Span(summary, className="govuk-details__summary-text"),
                className="govuk-details__summary",
            ),  # fmt: skip
            html.Div(content, className="govuk-details__text"),
        ],
    )


def url_notice(notices: Sequence[object]) -> html.Div:
    """The values of the link that could not apply, named (``Ignored: sme=foo (not a
    supplier size: SME or Large)``), so the view never silently differs from its link."""
    return html.Div(
        className="govuk-notification-banner app-url-notice",
        role="region",
        **{"aria-labelledby": f"{ids.URL_NOTICE}-title"},
        children=[
            html.Div(
                html.H2(
                    "Part of this link was ignored",
                    id=f"{ids.URL_NOTICE}-title",
                    className="govuk-notification-banner__title",
                ),  # fmt: skip
                className="govuk-notification-banner__header",
            ),
            html.Div(
                html.P(
                    "Ignored: " + "; ".join(map(str, notices)) + ".",
                    id=ids.URL_NOTICE,
                    className="govuk-body",
                ),  # fmt: skip
                className="govuk-notification-banner__content",
            ),
        ],
    )


def did_you_mean(what: str, wanted: str, links: Sequence[tuple[str, str]]) -> html.Div:
    """Said when a name matches nothing: which name, and the closest bodies as links."""
    offered = (
        [html.P("Did you mean:", className="govuk-body"),
         html.Ul([html.Li(html.A(name, href=href, className="govuk-link"))
                  for name, href in links], className="govuk-list govuk-list--bullet")]
        if links
        else [html.P("Nothing close to it either: check the spelling, or search a shorter "
                     "part of the name.", className="govuk-body")]
    )  # fmt: skip
    return html.Div(
        [html.H2(f"No {what} matches “{wanted}”", className="govuk-heading-m"), *offered],
        id=ids.DID_YOU_MEAN,
        className="govuk-inset-text app-did-you-mean",
        role="region",
        **{"aria-label": f"No {what} matches {wanted}"},
    )


def name_search(
    path: str,
    label: str,
    filters: Filters,
    hint: str = "",
    field: str = "name",
    value: str = "",
) -> html.Form:
    """A GOV.UK search form that opens ``path?name=...`` (``field``: the parameter; a plain
    GET, so it works without a callback), keeping the filters that carry across pages as
    hidden fields. The hint is part of the label, so screen readers announce it with the
    box."""
    field_id = f"name-search-{path.strip('/') or 'home'}"
    hidden = [dcc.Input(type="hidden", name=key, value=value)
              for key, value in query_pairs(carried(filters))]  # fmt: skip
    words = [html.Span(label, className="govuk-label--s")]
    if hint:
        words.append(html.Span(hint, className="govuk-hint app-label-hint"))
    box = dcc.Input(id=field_id, name=field, type="search", autoComplete="off", value=value,
                    className="govuk-input govuk-!-width-two-thirds")  # fmt: skip
    button = html.Button("Search", type="submit", className="govuk-button app-search-button")
    return html.Form(
        [
            html.Div(
                [html.Label(words, htmlFor=field_id, className="govuk-label"), box, button],
                className="govuk-form-group",
            ),
            *hidden,
        ],
        action=path,
        method="get",
        role="search",
        className="app-name-search",
    )


def choice_links(
    path: str, filters: Filters, url: str, field: str, label: str, values: Sequence[str]
) -> html.Nav:
    """Links that reopen ``path`` with one list filter set to each of ``values`` (or none:
    "All"), the other filters kept: plain links, so they work with the keyboard, without
    scripts and as shared URLs; the current choice is marked ``aria-current``."""
    chosen = getattr(filters, field)
    items = []
    for value in ("", *values):
        link = replace(filters, **{field: (value,) if value else ()})
        current = (value in chosen) if value else not chosen
        text = value or "All"
        anchor = html.A(text, href=f"{path}{to_query(link)}", className="govuk-link",
                        **({"aria-current": "true"} if current else {}))  # fmt: skip
        items.append(html.Li(html.Strong(anchor) if current else anchor))
    return html.Nav([html.H3(label, className="govuk-heading-s"),
                     html.Ul(items, className="govuk-list app-choice-links")],
                    className="app-choice", **{"aria-label": label})  # fmt: skip


def summary_list(rows: Sequence[tuple[str, object]]) -> html.Dl:
    """A GOV.UK summary list of ``(key, value)`` rows (rows with an empty value left out)."""
    return html.Dl(
        [
            html.Div(
                [
                    html.Dt(key, className="govuk-summary-list__key"),
                    html.Dd(value, className="govuk-summary-list__value"),
                ],
                className="govuk-summary-list__row",
            )  # fmt: skip
            for key, value in rows
            if value not in (None, "")
        ],
        className="govuk-summary-list app-summary-list",
    )


def download_buttons(view_id: str, label: str) -> html.Div:
    """CSV and Excel download buttons for one view, the download target, and where a failed
    download says so."""
    return html.Div(
        className="app-downloads",
        children=[
            html.Button(
                ["Download CSV", html.Span(f" of {label}", className="govuk-visually-hidden")],
                id={"type": ids.DOWNLOAD_CSV, "view": view_id},
                className="govuk-button govuk-button--secondary app-button",
                type="button",
            ),
            html.Button(
                ["Download Excel", html.Span(f" of {label}", className="govuk-visually-hidden")],
                id={"type": ids.DOWNLOAD_XLSX, "view": view_id},
                className="govuk-button govuk-button--secondary app-button",
                type="button",
            ),
            dcc.Download(id={"type": ids.DOWNLOAD_TARGET, "view": view_id}),
            html.P(
                id={"type": ids.DOWNLOAD_STATUS, "view": view_id},
                role="status",
                className="govuk-body-s app-download-status",
            ),  # fmt: skip
        ],
    )


# Nothing leaves the machine: no toolbar button that sends a chart or its data elsewhere.
GRAPH_CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendDataToCloud", "editInChartStudio"],
}


def _graph(view: View, figure: go.Figure) -> dcc.Graph:
    return dcc.Graph(
        id={"type": ids.GRAPH, "view": view.id},
        figure=figure,
        config={**GRAPH_CONFIG, "toImageButtonOptions": {"filename": view.id}},
        className="app-graph",
    )


def view_section(store: Store, filters: Filters, view: View) -> html.Section:
    """A view: its heading, its chart (if any), its data table and its downloads."""
    title = view.title(filters)
    table, units = view.labelled(store, filters)
    figure = view.figure(store, filters)
    children: list = [html.H2(title, className="govuk-heading-m app-section__title")]
    if figure is not None:
        children.append(_graph(view, figure))
        if view.click is not None:
            children.append(html.P(view.click.hint(), className="govuk-hint app-click-hint"))
        table_ = data_table(table, title, units, printed=PRINTED_CHART_ROWS, filters=filters)
        children.append(more(f"Data table: {_lower_first(view.name)}", table_))
    else:
        limit = {"limit": view.shown} if view.shown else {}
        children.append(data_table(table, title, units, filters=filters, **limit))
    children.append(download_buttons(view.id, view.name))
    return html.Section(children, className="app-section", id=f"section-{view.id}")


def _lower_first(name: str) -> str:
    """``name`` in running text: its first word lowercased unless it is an acronym or a
    proper name (``SME share`` and ``G-Cloud iterations`` stay; ``Spend by lot`` becomes
    ``spend by lot``)."""
    first, _, rest = name.partition(" ")
    if any(c.isupper() for c in first[1:]):  # SME, HHI, G-Cloud
        return name
    return " ".join(filter(None, [first.lower(), rest]))
