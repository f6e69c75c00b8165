"""The frame around every page: HTML template, header with navigation, the management
information banner, the filter column, the main column and the provenance footer.

The navigation and page titles are given by the page registry (:mod:`dashboard.pages`); this
module does not know the pages.
"""

from __future__ import annotations

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


def nav_link_id(position: int) -> str:
    """The id of the header's navigation link at ``position`` (its href follows the filters)."""
    return f"{ids.NAV_LINK}-{position}"


SEARCH_LABEL = "Search buyers, suppliers, departments and areas"


def site_search() -> html.Form:
    """The header's search box: a plain GET to ``/search`` (no script needed; Enter or the
    button sends it), labelled for screen readers."""
    return html.Form(
        [
            html.Label(SEARCH_LABEL, htmlFor=ids.SITE_SEARCH, className="govuk-visually-hidden"),
            dcc.Input(id=ids.SITE_SEARCH, name="q", type="search", autoComplete="off",
                      placeholder="Search", className="govuk-input app-site-search__input"),
            html.Button("Search", type="submit", className="app-site-search__button"),
        ],
        action="/search",
        method="get",
        role="search",
        className="app-site-search",
        **{"aria-label": "Site"},
    )  # fmt: skip


def header(nav: Sequence[tuple[str, str]], synthetic: bool = False) -> html.Header:
    """The service header with navigation links (``(path, label)``), and the banner saying
    what the figures are."""
    bar = html.Div(
        className="govuk-header__container govuk-width-container app-header__container",
        children=[
            html.A(SERVICE_NAME, href="/", className="app-header__service"),
            html.Nav(
                html.Ul(
                    [
                        html.Li(
                            html.A(
                                label, href=path, id=nav_link_id(i), className="app-header__link"
                            )  # fmt: skip
                        )
                        for i, (path, label) in enumerate(nav)
                    ],
                    className="app-header__list",
                ),
                **{"aria-label": "Pages"},
                className="app-header__nav",
            ),
            site_search(),
        ],
    )
    return html.Header(
        className="app-header-wrapper",
        children=[
            html.Div(className="govuk-header app-header", children=bar),
            html.Div(
                phase_banner(synthetic), className="govuk-width-container app-width-container"
            ),
        ],
    )


SYNTHETIC_TEXT = (
    " These figures are invented for demonstration: the bundled sample gives real public "
    "bodies made-up suppliers and amounts. Do not quote them."
)


def phase_banner(synthetic: bool = False) -> html.Div:
    """Label saying what the figures are: management information, or synthetic sample data."""
    if synthetic:
        tag, text, extra = "Synthetic data", SYNTHETIC_TEXT, " app-phase-banner--synthetic"
    else:
        tag, extra = "Management information", ""
        text = (
            " Supplier-reported spend through CCS frameworks, ex VAT. Recent months are "
            "provisional and are revised as late returns arrive."
        )
    return html.Div(
        className="govuk-phase-banner" + extra,
        id=ids.DATA_BANNER,
        children=html.P(
            className="govuk-phase-banner__content",
            children=[
                html.Strong(tag, className="govuk-tag"),
                html.Span(text, className="govuk-phase-banner__text"),
            ],
        ),
    )


def _licence(store: Store) -> html.P:
    if store.synthetic:
        return html.P(
            "Synthetic sample: no licence credit is claimed for these invented figures.",
            className="govuk-body-s",
        )
    return html.P(
        [
            "Contains public sector information licensed under the ",
            html.A(
                "Open Government Licence v3.0",
                href=OGL_URL,
                className="govuk-footer__link",
                rel="license",
            ),  # fmt: skip
            ".",
        ],
        className="govuk-body-s",
    )


def about_text(store: Store) -> str:
    """What the figures are, in one paragraph: for the footer, printed pages and the About
    sheet of downloads."""
    latest = store.latest_month
    as_at = latest.strftime("%B %Y") if latest is not None else "no data"
    provisional = ", ".join(store.provisional_months())
    if store.synthetic:
        return (
            f"SYNTHETIC SAMPLE DATA, invented for demonstration: not management information "
            f"and not to be quoted. Data as at {as_at}."
        )
    return (
        f"Management information. Data as at {as_at}. Spend is as evidenced by suppliers to "
        "the Crown Commercial Service, excluding VAT. "
        f"The latest months ({provisional}) are provisional: late supplier returns revise them."
    )


def footer(store: Store) -> html.Footer:
    """Provenance on every page: sources, data as at, provisional months, licence."""
    files = store.report["files"]
    kind = "synthetic sample file(s)" if store.synthetic else "published file(s)"
    sources = [html.Li(f"{f['file']} (release {f['release']}, layout {f['layout']})")
               for f in files]  # fmt: skip
    return html.Footer(
        className="govuk-footer app-footer",
        id=ids.FOOTER,
        children=html.Div(
            className="govuk-width-container",
            children=[
                html.H2("About these figures", className="govuk-heading-s"),
                html.P(about_text(store), className="govuk-body-s", id=ids.ABOUT),
                html.P(
                    f"Sources: {len(files)} {kind}, releases "
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
                _licence(store),
            ],
        ),
    )


def _page_tools() -> html.Div:
    """Above every page: copy a link to the view; its confirmation is read out."""
    return html.Div(
        className="app-page-tools",
        children=[
            html.Button(
                "Copy link to this view",
                id=ids.COPY_LINK,
                type="button",
                className="govuk-button govuk-button--secondary app-button app-copy-link",
            ),
            html.Span(
                id=ids.COPY_LINK_STATUS,
                role="status",
                className="govuk-body-s",
                **{"aria-live": "polite"},
            ),  # fmt: skip
        ],
    )


def _print_summary(store: Store) -> html.Div:
    """Printed on page 1 only: what the figures are and when they are from."""
    return html.Div(
        html.P(about_text(store), className="govuk-body-s"),
        className="app-print-only app-print-summary",
    )


def layout(
    store: Store, nav: Sequence[tuple[str, str]], titles: Mapping[str, str] | None = None
) -> html.Div:
    """The page frame shared by every page; the page content is filled by a callback.
    ``titles`` gives each path's page title (the browser tab: set by ``app.pageTitle`` in
    ``assets/40-clientside.js``, so the page carries no inline script of ours).

    On narrow screens the filters fold behind a "Filters" button, so the page comes first.
    """
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            header(nav, store.synthetic),
            html.Div(
                className="govuk-width-container app-width-container",
                children=[
                    html.Button(
                        "Filters",
                        id=ids.FILTERS_TOGGLE,
                        type="button",
                        className="govuk-button govuk-button--secondary app-filters-toggle",
                        **{"aria-expanded": "false", "aria-controls": ids.FILTERS_REGION},
                    ),
                    html.Div(
                        id=ids.COLUMNS,
                        className="app-columns",
                        children=[
                            html.Aside(
                                filter_panel(store),
                                id=ids.FILTERS_REGION,
                                className="app-columns__filters",
                                **{"aria-label": "Filters"},
                            ),
                            html.Main(
                                [
                                    _print_summary(store),
                                    _page_tools(),
                                    dcc.Loading(
                                        html.Div(id=ids.PAGE), type="default", delay_show=300
                                    ),
                                ],
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
            dcc.Store(id=ids.PAGE_TITLES, data=dict(titles or {})),
            dcc.Store(id=ids.TAB_TITLE),
        ]
    )
