"""The frame around every page: HTML template, header with navigation, the management
information banner, the filter column, the main column and the provenance footer.

The navigation and page titles are given by the page registry (:mod:`dashboard.pages`); this
module does not know the pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from dash import dcc, html

from dashboard.analytics.store import Store
from dashboard.ui import ids
from dashboard.ui.filter_panel import filter_panel

SERVICE_NAME = "Framework spend analytics"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

INDEX = """<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
{%app_entry%}
<div class="app-scripts">
{%config%}
{%scripts%}
{%renderer%}
</div>
</body>
</html>"""


def page_title_script(titles: Mapping[str, str]) -> str:
    """The client-side callback that sets the document title from the path."""
    return (
        "function(pathname) {\n"
        f"    const titles = {json.dumps(dict(titles))};\n"
        '    const key = (pathname || "/").replace(/\\/$/, "") || "/";\n'
        f'    document.title = (titles[key] || "Framework spend") + " – {SERVICE_NAME}";\n'
        '    return "";\n'
        "}\n"
    )


def header(nav: Sequence[tuple[str, str]]) -> html.Header:
    """The service header with navigation links (``(path, label)``), and the
    management-information banner."""
    bar = html.Div(
        className="govuk-header__container govuk-width-container app-header__container",
        children=[
            html.A(SERVICE_NAME, href="/", className="app-header__service"),
            html.Nav(
                html.Ul(
                    [
                        html.Li(html.A(label, href=path, className="app-header__link"))
                        for path, label in nav
                    ],
                    className="app-header__list",
                ),
                **{"aria-label": "Pages"},
                className="app-header__nav",
            ),
        ],
    )
    return html.Header(
        className="app-header-wrapper",
        children=[
            html.Div(className="govuk-header app-header", children=bar),
            html.Div(phase_banner(), className="govuk-width-container app-width-container"),
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


def footer(store: Store) -> html.Footer:
    """Provenance on every page: sources, data as at, provisional months, licence."""
    files = store.report["files"]
    latest = store.latest_month
    as_at = latest.strftime("%B %Y") if latest is not None else "no data"
    provisional = store.provisional_months()
    sources = [html.Li(f"{f['file']} (release {f['release']}, layout {f['layout']})")
               for f in files]  # fmt: skip
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
                        html.Ul(sources, className="govuk-list govuk-body-s"),
                    ]
                ),
                html.P(
                    [
                        "Contains public sector information licensed under the ",
                        html.A(
                            "Open Government Licence v3.0",
                            href=OGL_URL,
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


def layout(store: Store, nav: Sequence[tuple[str, str]]) -> html.Div:
    """The page frame shared by every page; the page content is filled by a callback."""
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            header(nav),
            html.Div(
                className="govuk-width-container app-width-container",
                children=[
                    html.Div(
                        id=ids.COLUMNS,
                        className="app-columns",
                        children=[
                            html.Aside(
                                filter_panel(store),
                                className="app-columns__filters",
                                **{"aria-label": "Filters"},
                            ),
                            html.Main(
                                dcc.Loading(
                                    html.Div(id=ids.PAGE),
                                    type="default",
                                    delay_show=300,
                                ),
                                id="main-content",
                                className="govuk-main-wrapper app-columns__main",
                                role="main",
                            ),
                        ],
                    ),
                ],
            ),
            footer(store),
            html.Div(id=ids.PAGE_TITLE_SINK, hidden=True),
        ]
    )
