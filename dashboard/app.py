"""The app factory, and the WSGI entry point for gunicorn.

``create_app(store_dir)`` builds a Dash app on one store. ``server`` is the WSGI
application for ``gunicorn 'dashboard.app:server'``: it serves the store named by the
``DASHBOARD_DATA`` environment variable, or the bundled sample (ingested once into a cache
folder) when that is unset.
"""

from __future__ import annotations

import os
from pathlib import Path

import dash
from dash import Dash, dcc, html

from dashboard import ids
from dashboard.cache import SharedCache, code_fingerprint, store_fingerprint
from dashboard.callbacks import register_callbacks
from dashboard.components import SERVICE_NAME, filter_panel, footer, header
from dashboard.data import DashboardData

ASSETS = Path(__file__).resolve().parent / "assets"

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

PAGE_TITLE_JS = """
function(pathname) {
    const titles = {"/": "Overview", "/adoption": "Adoption", "/department": "Department",
                    "/suppliers": "Suppliers", "/data-quality": "Data quality"};
    const key = (pathname || "/").replace(/\\/$/, "") || "/";
    document.title = (titles[key] || "Framework spend") + " – Framework spend analytics";
    return "";
}
"""


def layout(data: DashboardData) -> html.Div:
    """The page frame shared by every page; the page content is filled by a callback."""
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            header(),
            html.Div(
                className="govuk-width-container app-width-container",
                children=[
                    html.Div(
                        id=ids.COLUMNS,
                        className="app-columns",
                        children=[
                            html.Aside(
                                filter_panel(data),
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
            footer(data),
            html.Div(id="page-title-sink", hidden=True),
        ]
    )


def shared_cache(store_dir: str | Path, folder: str | Path | None = None) -> SharedCache:
    """The disk cache of query results shared by every worker serving ``store_dir``
    (in ``folder``, default ``$DASHBOARD_QUERY_CACHE`` or ``<cache root>/query-cache``)."""
    from dashboard.sample import cache_root

    folder = folder or os.environ.get("DASHBOARD_QUERY_CACHE") or cache_root() / "query-cache"
    namespace = f"{store_fingerprint(Path(store_dir))}-{code_fingerprint()}"
    return SharedCache(folder, namespace)


def create_app(store_dir: str | Path, shared: SharedCache | None = None) -> Dash:
    """A Dash app serving the store in ``store_dir``; ``shared`` caches query results for
    every process serving it (see :func:`shared_cache`), else each app memoises its own."""
    data = DashboardData(store_dir, shared=shared)
    app = Dash(
        __name__,
        title=SERVICE_NAME,
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        update_title=None,
        serve_locally=True,
    )
    app.index_string = INDEX
    app.layout = layout(data)
    register_callbacks(app, data)
    app.clientside_callback(
        PAGE_TITLE_JS,
        dash.Output("page-title-sink", "children"),
        dash.Input(ids.URL, "pathname"),
    )
    return app


def _server():
    """The WSGI app for gunicorn, built on first use from ``DASHBOARD_DATA`` or the sample."""
    from dashboard.sample import default_store

    store = os.environ.get("DASHBOARD_DATA") or default_store()
    return create_app(store, shared_cache(store)).server


class _LazyWsgi:
    """Builds the app on the first request, so importing this module has no side effects."""

    def __init__(self) -> None:
        self._app = None

    def __call__(self, environ, start_response):
        if self._app is None:
            self._app = _server()
        return self._app(environ, start_response)


server = _LazyWsgi()
