"""GOV.UK-styled building blocks: header, navigation, filters, headline figures, chart
sections with their data tables and downloads, and the provenance footer.

Text from the data is always passed as component children (rendered as text by React),
never as HTML.
"""

from __future__ import annotations

import json
import math

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import ids
from dashboard.controls import ALL
from dashboard.data import DashboardData
from dashboard.formatting import format_count, format_pounds_exact, format_share
from dashboard.views import View

SERVICE_NAME = "Framework spend analytics"
TABLE_ROW_LIMIT = 200
BUYER_GROUP_OPTIONS = [
    {"label": "Central government", "value": "Central government"},
    {"label": "Non-Whitehall (wider public sector)", "value": "Non-Whitehall"},
    {"label": "Unclassified", "value": "Unclassified"},
]
SME_OPTIONS = [{"label": "SME", "value": "SME"}, {"label": "Large", "value": "Large"}]
PERIOD_OPTIONS = [
    {"label": "Financial years (April to March)", "value": "fy"},
    {"label": "Calendar months", "value": "month"},
]
NAV = [
    ("/", "Overview"),
    ("/adoption", "Adoption"),
    ("/department", "Departments"),
    ("/suppliers", "Suppliers"),
    ("/data-quality", "Data quality"),
]


def header() -> html.Header:
    """The service header with navigation links, and the management-information banner."""
    return html.Header(
        className="app-header-wrapper",
        children=[
            html.Div(
                className="govuk-header app-header",
                children=_header_bar(),
            ),
            html.Div(phase_banner(), className="govuk-width-container app-width-container"),
        ],
    )


def _header_bar() -> html.Div:
    return html.Div(
        className="govuk-header__container govuk-width-container app-header__container",
        children=[
            html.A(SERVICE_NAME, href="/", className="app-header__service"),
            html.Nav(
                html.Ul(
                    [
                        html.Li(html.A(label, href=path, className="app-header__link"))
                        for path, label in NAV
                    ],
                    className="app-header__list",
                ),
                **{"aria-label": "Pages"},
                className="app-header__nav",
            ),
        ],
    )


def phase_banner() -> html.Div:
    """Label saying what the figures are: management information."""
    return html.Div(
        className="govuk-phase-banner",
        children=html.P(
            className="govuk-phase-banner__content",
            children=[
                html.Strong("Management information", className="govuk-tag"),
                html.Span(
                    " Supplier-reported spend through CCS frameworks, ex VAT. Recent months are "
                    "provisional and are revised as late returns arrive.",
                    className="govuk-phase-banner__text",
                ),
            ],
        ),
    )


def _checklist(control_id: str, legend: str, options: list, hint: str | None = None):
    items = [{"label": str(o), "value": str(o)} if not isinstance(o, dict) else o for o in options]
    children = [html.Legend(legend, className="govuk-fieldset__legend govuk-fieldset__legend--s")]
    if hint:
        children.append(html.Div(hint, className="govuk-hint"))
    children.append(
        dbc.Checklist(
            id=control_id,
            options=items,
            value=[],
            class_name="app-checklist",
            input_class_name="app-checkbox",
            label_class_name="govuk-label app-checkbox-label",
        )
    )
    return html.Fieldset(children, className="govuk-fieldset app-filter-group")


def _select(control_id: str, label: str, options: list[str], blank: str):
    return html.Div(
        className="govuk-form-group app-filter-group",
        children=[
            html.Label(label, htmlFor=control_id, className="govuk-label govuk-label--s"),
            dbc.Select(
                id=control_id,
                options=[{"label": blank, "value": ALL}]
                + [{"label": o, "value": o} for o in options],
                value=ALL,
                class_name="govuk-select app-select",
            ),
        ],
    )


def _name_box(control_id: str, list_id: str, label: str, hint: str, names: list[str]):
    return html.Div(
        className="govuk-form-group app-filter-group",
        children=[
            html.Label(
                [label, html.Span(hint, className="govuk-hint app-label-hint")],
                htmlFor=control_id,
                className="govuk-label govuk-label--s",
            ),
            dbc.Input(
                id=control_id,
                type="text",
                list=list_id,
                value="",
                debounce=True,
                autocomplete="off",
                class_name="govuk-input app-input",
            ),
            html.Datalist(id=list_id, children=[html.Option(value=n) for n in names]),
        ],
    )


def _more(summary: str, content) -> html.Details:
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


def filter_panel(data: DashboardData) -> html.Div:
    """Every filter control; their state lives in the URL query string."""
    fys = data.options("financial_year")
    months = data.months()
    customers = sorted(data.name_options("customer", "customer_key").values())
    suppliers = sorted(data.name_options("supplier", "supplier_key").values())
    return html.Div(
        id=ids.FILTER_PANEL,
        className="app-filters",
        children=[
            html.H2("Filters", className="govuk-heading-m"),
            html.A("Clear all filters", href="/", id=ids.CLEAR_FILTERS, className="govuk-link"),
            html.Fieldset(
                [
                    html.Legend("Show spend by", className="govuk-fieldset__legend--s"),
                    dbc.RadioItems(
                        id=ids.PERIOD,
                        options=PERIOD_OPTIONS,
                        value="fy",
                        class_name="app-checklist",
                        input_class_name="app-radio",
                        label_class_name="govuk-label app-checkbox-label",
                    ),
                ],
                className="govuk-fieldset app-filter-group",
            ),  # fmt: skip
            _select(ids.FY, "Financial year", list(reversed(fys)), "All financial years"),
            _more(
                "Or choose months",
                [
                    _select(ids.FROM, "From month", months, "First month"),
                    _select(ids.TO, "To month", months, "Latest month"),
                    html.P(
                        "A financial year, if chosen, overrides these months.",
                        className="govuk-hint",
                    ),  # fmt: skip
                ],
            ),
            _checklist(ids.BUYER_GROUP, "Buyer group", BUYER_GROUP_OPTIONS),
            _checklist(ids.FRAMEWORK, "Framework", data.options("framework")),
            _checklist(ids.SME, "Supplier size", SME_OPTIONS),
            _more(
                "Iterations",
                _checklist(
                    ids.ITERATION, "Framework iteration", data.options("framework_iteration")
                ),
            ),  # fmt: skip
            _more("Lots", _checklist(ids.LOT, "Lot", data.options("lot"))),
            _more("Sectors", _checklist(ids.SECTOR, "Customer sector", data.options("sector"))),
            _name_box(
                ids.CUSTOMER,
                ids.CUSTOMER_LIST,
                "Customer",
                "Type a name; separate several with a semicolon",
                customers,
            ),
            _name_box(
                ids.SUPPLIER,
                ids.SUPPLIER_LIST,
                "Supplier",
                "Type a name; separate several with a semicolon",
                suppliers,
            ),
        ],  # fmt: skip
    )


def headline_figure(element_id: str, label: str, value: str, note: str | None = None):
    """One headline figure: its label outside, the formatted figure alone in ``element_id``."""
    children = [
        html.Dt(label, className="app-kpi__label"),
        html.Dd(value, id=element_id, className="app-kpi__value"),
    ]
    if note:
        children.append(html.Dd(note, className="app-kpi__note"))
    return html.Div(html.Dl(children, className="app-kpi__list"), className="app-kpi")


def _missing(value: object) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    return value is None or value is pd.NA or value is pd.NaT


def _plain(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_count(value)
    return str(value)


def _money(value: object) -> str:
    return format_pounds_exact(float(value))


def _share(value: object) -> str:
    return format_share(float(value))


def _texts(values: pd.Series, column: str) -> list[str]:
    """The cells of one column as shown: money and shares by the column's unit, else counts."""
    show = _money if column.endswith("(£)") else _share if column.endswith("(%)") else _plain
    # Python scalars, as a row-by-row walk gives them; ``tolist`` is the fast way for NumPy and
    # string columns (nullable integers stay NumPy scalars, so a URN shows without commas).
    fast = isinstance(values.dtype, np.dtype) or pd.api.types.is_string_dtype(values.dtype)
    return [
        "–" if _missing(value) else show(value) for value in (values.tolist() if fast else values)
    ]


class GovukTable(Component):
    """A GOV.UK table drawn in the browser from the texts of its cells (``assets/30-table.js``).

    The same markup as ``html.Table`` of ``html.Th``/``html.Td`` (a hidden caption, header
    cells with ``scope="col"``, numeric columns right-aligned by the GOV.UK ``--numeric``
    classes), sent as one component instead of one per cell: an eighth of the bytes. Cells are
    text children in React, so data is never read as HTML.
    """

    _namespace = "dashboard"
    _type = "GovukTable"
    _prop_names = ("id", "caption", "columns", "numeric", "rows_json", "className")
    _base_nodes = ()
    _valid_wildcard_attributes = ()
    _children_props: list[str] = []  # read by Dash, never changed
    available_properties = _prop_names
    available_wildcard_properties = ()

    def __init__(
        self,
        caption: str,
        columns: list[str],
        numeric: list[bool],
        rows: list[list[str]],
        className: str = "govuk-table app-table",
        id: str | None = None,
    ) -> None:
        # The rows travel as one JSON text: Dash's encoder walks lists item by item in Python,
        # which costs more than the rest of a page for a table of a few hundred rows.
        rows_json = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        props = {"caption": caption, "columns": columns, "numeric": numeric, "rows_json": rows_json}
        if id is not None:
            props["id"] = id
        super().__init__(className=className, **props)


def table_component(table: pd.DataFrame, caption: str, limit: int = TABLE_ROW_LIMIT) -> GovukTable:
    """The first ``limit`` rows of ``table`` as a :class:`GovukTable`, every value as text."""
    columns = [str(c) for c in table.columns]
    shown = table.head(limit).items()
    texts = [_texts(values, name) for name, (_, values) in zip(columns, shown, strict=True)]
    return GovukTable(
        caption=caption,
        columns=columns,
        numeric=[pd.api.types.is_numeric_dtype(dtype) for dtype in table.dtypes],
        rows=[list(row) for row in zip(*texts, strict=True)],
    )


def data_table(table: pd.DataFrame, caption: str, limit: int = TABLE_ROW_LIMIT) -> html.Div:
    """A GOV.UK table of ``table`` (first ``limit`` rows), values as text.

    The caption names the table for screen readers; the section heading shows it on screen.
    """
    if table.empty:
        return html.Div(html.P("Nothing to show: no rows.", className="govuk-body"))
    note = []
    if len(table) > limit:
        note = [html.P(f"Showing the first {limit:,} of {len(table):,} rows; the downloads "
                       "have them all.", className="govuk-body-s")]  # fmt: skip
    return html.Div(
        [
            *note,
            html.Div(
                table_component(table, caption, limit),
                className="app-table-scroll",
                tabIndex=0,
                role="region",
                **{"aria-label": caption},
            ),  # fmt: skip
        ]
    )


def download_buttons(view_id: str, label: str) -> html.Div:
    """CSV and Excel download buttons for one view, and the download target."""
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
        ],
    )


def view_section(view: View, title: str, table: pd.DataFrame, figure: go.Figure | None):
    """A chart (if any) with its heading, its data table and its downloads."""
    children: list = [html.H2(title, className="govuk-heading-m app-section__title")]
    if figure is not None:
        children.append(
            dcc.Graph(
                id={"type": ids.GRAPH, "view": view.id},
                figure=figure,
                config={
                    "displaylogo": False,
                    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
                    "toImageButtonOptions": {"filename": view.id},
                },
                className="app-graph",
            )  # fmt: skip
        )
        children.append(_table_details(view, title, table))
    else:
        children.append(data_table(table, title))
    children.append(download_buttons(view.id, view.name))
    return html.Section(children, className="app-section", id=f"section-{view.id}")


def _table_details(view: View, title: str, table: pd.DataFrame) -> html.Details:
    return html.Details(
        className="govuk-details app-details",
        children=[
            html.Summary(
                html.Span(
                    f"Data table: {view.name.lower()}", className="govuk-details__summary-text"
                ),
                className="govuk-details__summary",
            ),  # fmt: skip
            html.Div(data_table(table, title), className="govuk-details__text"),
        ],
    )


def footer(data: DashboardData) -> html.Footer:
    """Provenance on every page: sources, data as at, provisional months, licence."""
    report = data.report
    files = report["files"]
    latest = data.latest_month
    as_at = latest.strftime("%B %Y") if latest is not None else "no data"
    provisional = data.provisional_months()
    return html.Footer(
        className="govuk-footer app-footer",
        id=ids.FOOTER,
        children=html.Div(
            className="govuk-width-container",
            children=[
                html.H2("About these figures", className="govuk-heading-s"),
                html.P(
                    [
                        html.Strong("Management information. "),
                        f"Data as at {as_at}. Spend is as evidenced by suppliers to the Crown "
                        "Commercial Service, excluding VAT. ",
                        f"The latest months ({', '.join(provisional)}) are provisional: late "
                        "supplier returns revise them.",
                    ],
                    className="govuk-body-s",
                ),
                html.P(
                    f"Sources: {len(files)} published file(s), releases "
                    + ", ".join(sorted({f["release"] for f in files}))
                    + ". ",
                    className="govuk-body-s",
                    id=ids.FOOTER_SOURCES,
                ),
                html.Details(
                    [
                        html.Summary("Source files", className="govuk-body-s"),
                        html.Ul(
                            [
                                html.Li(
                                    f"{f['file']} (release {f['release']}, layout {f['layout']})"
                                )
                                for f in files
                            ],
                            className="govuk-list govuk-body-s",
                        ),
                    ]
                ),  # fmt: skip
                html.P(
                    [
                        "Contains public sector information licensed under the ",
                        html.A(
                            "Open Government Licence v3.0",
                            href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
                            className="govuk-footer__link",
                            rel="license",
                        ),
                        ".",
                    ],
                    className="govuk-body-s",
                ),
            ],
        ),
    )
