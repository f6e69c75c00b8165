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
from dash import Dash
from flask import Response, request

from dashboard.analytics.store import Store
from dashboard.cache import SharedCache, code_fingerprint, store_fingerprint
from dashboard.callbacks import register_callbacks
from dashboard.pages import registry
from dashboard.ui import ids
from dashboard.ui.frame import INDEX, SERVICE_NAME, layout, page_title_script

ASSETS = Path(__file__).resolve().parent / "assets"


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
    store = Store(store_dir, shared=shared)
    app = Dash(
        __name__,
        title=SERVICE_NAME,
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        update_title=None,
        serve_locally=True,
    )
    app.index_string = INDEX
    nav = registry.nav()
    app.layout = layout(store, nav)
    register_callbacks(app, store, nav)
    app.clientside_callback(
        page_title_script(registry.titles()),
        dash.Output(ids.PAGE_TITLE_SINK, "children"),
        dash.Input(ids.URL, "pathname"),
    )
    app.server.after_request(_not_found_status)
    return app


# Paths Dash serves itself (scripts, styles, its API): never pages.
DASH_PATHS = ("/_dash-", "/_reload-hash", "/_favicon", "/assets/")


def _not_found_status(response: Response) -> Response:
    """Pages that do not exist answer 404 (the page itself says "Page not found")."""
    path = request.path
    if path.startswith(DASH_PATHS) or response.status_code != 200:
        return response
    if response.mimetype == "text/html" and registry.page_for(path) is registry.NOT_FOUND:
        response.status_code = 404
    return response


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
