"""The app factory, and the WSGI entry point for gunicorn.

``create_app(store_dir)`` builds a Dash app on one store. ``server`` is the WSGI
application for ``gunicorn 'dashboard.app:server'``: it serves the store named by the
``DASHBOARD_DATA`` environment variable, or the bundled sample (ingested once into a cache
folder) when that is unset.

An app serves the one store version it opened (:class:`~dashboard.analytics.store.Store`);
after an ingest, update or rollback, ``server.refresh()`` builds the app again on the version
now current (gunicorn's master does it on ``kill -HUP``, before it starts new workers:
``gunicorn.conf.py``).
"""

from __future__ import annotations

import gc
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import dash
from dash import Dash
from flask import Response, request

from dashboard.analytics import registers
from dashboard.analytics.search import search
from dashboard.analytics.store import Store
from dashboard.cache import SharedCache, code_fingerprint, store_fingerprint
from dashboard.callbacks import register_callbacks
from dashboard.feeds import register_feeds
from dashboard.pages import registry
from dashboard.serving import declared_outputs, harden
from dashboard.store_download import register_store_downloads
from dashboard.ui import ids
from dashboard.ui.frame import INDEX, SERVICE_NAME, layout
from loaders.catalogue.versions import current_version

ASSETS = Path(__file__).resolve().parent / "assets"


def shared_cache(store_dir: str | Path, folder: str | Path | None = None) -> SharedCache:
    """The disk cache of query results shared by every worker serving ``store_dir``
    (in ``folder``, default ``$DASHBOARD_QUERY_CACHE`` or ``<cache root>/query-cache``)."""
    from dashboard.sample import cache_root

    folder = folder or os.environ.get("DASHBOARD_QUERY_CACHE") or cache_root() / "query-cache"
    namespace = f"{store_fingerprint(Path(store_dir))}-{code_fingerprint()}"
    return SharedCache(folder, namespace)


def create_app(
    store_dir: str | Path, shared: SharedCache | None = None, version: Path | None = None
) -> Dash:
    """A Dash app serving the store in ``store_dir`` (the version its pointer names now, or
    the version folder ``version``); ``shared`` caches query results for every process
    serving it (see :func:`shared_cache`), else each app memoises its own."""
    store = Store(store_dir, shared=shared, version=version)
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
    app.layout = layout(store, nav, registry.titles())
    register_callbacks(app, store, nav)
    app.clientside_callback(
        dash.ClientsideFunction("app", "pageTitle"),
        dash.Output(ids.PAGE_TITLE_SINK, "children"),
        dash.Input(ids.URL, "pathname"),
        dash.Input(ids.TAB_TITLE, "data"),
        dash.State(ids.PAGE_TITLES, "data"),
    )
    app.server.after_request(_not_found_status)
    register_store_downloads(app, store)
    register_feeds(app, store)
    harden(app, store)
    app.server.extensions["framework-spend"] = AppContext(store)
    return app


@dataclass(frozen=True)
class AppContext:
    """What :func:`warm` needs of an app built by :func:`create_app`."""

    store: Store


# Warming asks as a browser on HTTPS does, so that with DASHBOARD_FORCE_HTTPS=1 the pages are
# rendered rather than redirected (a plain-HTTP request would get the redirect, 302).
WARM_BASE_URL = "https://localhost"


def warm(app: Dash) -> dict[str, float]:
    """Make ``app`` as fast on its first request as on its hundredth: read every table it
    serves from (:meth:`Store.warm`), then render each page once for the empty filter set,
    with the header links and the filter controls, through the Flask test client exactly
    as a browser asks, over HTTPS (so Dash's own first-request setup is done too, and a
    server that redirects plain HTTP warms all the same).

    Returns seconds spent per step. Idempotent (a second call is quick: all is cached).
    """
    context: AppContext = app.server.extensions["framework-spend"]
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    context.store.warm()
    seconds["tables"] = time.perf_counter() - start
    start = time.perf_counter()
    search(context.store, "warm")  # builds the index of names the header's search reads
    seconds["search"] = time.perf_counter() - start
    start = time.perf_counter()
    registers.warm(context.store)
    seconds["registers"] = time.perf_counter() - start
    client = app.server.test_client()
    for path in ("/", "/_dash-layout", "/_dash-dependencies"):
        _checked(client.get(path, base_url=WARM_BASE_URL), path)
    for page in registry.PAGES:
        start = time.perf_counter()
        for body in warm_requests(app, page.path):
            response = client.post("/_dash-update-component", json=body, base_url=WARM_BASE_URL)
            _checked(response, page.path)
        seconds[page.path] = time.perf_counter() - start
    return seconds


def warm_to_serve(app: Dash) -> dict[str, float]:
    """What a server does before its first request: :func:`warm`, collect the garbage, then
    move every object alive now (the app, its tables, indexes and the pages rendered) out
    of the garbage collector's sight (:func:`gc.freeze`). Most live as long as the app,
    and a full collection would otherwise walk them all (about 160 ms at 270k rows, every
    request of the worker waiting meanwhile) and, in workers forked from gunicorn's master,
    write to the pages they share with it. The values the caches hold now are frozen too:
    those with reference cycles (a page's figures) are not freed when the caches drop
    them, a one-time few megabytes. Returns :func:`warm`'s seconds per step."""
    seconds = warm(app)
    gc.collect()  # garbage is not frozen with the rest
    gc.freeze()
    return seconds


def _checked(response, what: str) -> None:
    if response.status_code not in (200, 204):
        raise RuntimeError(f"warming the app: {what} answered {response.status_code}")


def warm_requests(app: Dash, pathname: str, search: str = "") -> list[dict]:
    """The callback requests a browser sends when it opens ``pathname`` with ``search``:
    the page, the header links and the filter controls."""
    wanted = {(ids.URL, "pathname"), (ids.URL, "search")}
    bodies = []
    for key, spec in app.callback_map.items():
        inputs = [(i["id"], i["property"]) for i in spec["inputs"]]
        server_side = "callback" in spec  # clientside callbacks are listed without one
        if (
            not server_side
            or not set(inputs) & wanted
            or any(isinstance(i, dict) for i, _ in inputs)
        ):
            continue
        bodies.append(callback_request(key, spec, {(ids.URL, "pathname"): pathname,
                                                   (ids.URL, "search"): search}))  # fmt: skip
    return bodies


def callback_request(key: str, spec: dict, values: dict[tuple[str, str], object]) -> dict:
    """The JSON body Dash's renderer posts for the callback ``key`` (its outputs joined as in
    :attr:`Dash.callback_map`), inputs given by ``(id, property)`` (others ``None``)."""
    outputs = declared_outputs(key)
    inputs = [{**i, "value": values.get((i["id"], i["property"]))} for i in spec["inputs"]]
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": inputs,
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs if i["value"] is not None],
        "state": [
            {**s, "value": values.get((s["id"], s["property"]))} for s in spec.get("state", [])
        ],  # fmt: skip
    }


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


def _server() -> Dash:
    """The app for gunicorn, built from ``DASHBOARD_DATA`` or the sample, on the version the
    store's pointer names now (the query cache keyed on that same version)."""
    from dashboard.sample import default_store

    store = os.environ.get("DASHBOARD_DATA") or default_store()
    version = current_version(store)
    return create_app(store, shared_cache(version), version)


class _LazyWsgi:
    """The WSGI app, built on first use (so importing this module has no side effects):
    by ``gunicorn.conf.py`` before the workers start (:meth:`warm`), else on the first
    request."""

    def __init__(self) -> None:
        self._app: Dash | None = None
        self._lock = threading.Lock()

    def app(self) -> Dash:
        """The Dash app (built once, whichever thread asks first)."""
        if self._app is None:
            with self._lock:
                if self._app is None:
                    self._app = _server()
        return self._app

    def warm(self) -> dict[str, float]:
        """Build the app if need be and warm it to serve (:func:`warm_to_serve`)."""
        return warm_to_serve(self.app())

    def refresh(self) -> bool:
        """Build the app again if its store's pointer now names another version than the
        one served (after an ingest, update or rollback); whether it did. The next
        :meth:`warm` warms the new app."""
        with self._lock:
            if self._app is None:
                return False
            served: Store = self._app.server.extensions["framework-spend"].store
            if current_version(served.pointer) == served.store_dir:
                return False
            app = _server()  # if it cannot be built, the app served stays as it was
            gc.unfreeze()  # the app served until now can be collected once unused
            self._app = app
            return True

    def __call__(self, environ, start_response):
        return self.app().server(environ, start_response)


server = _LazyWsgi()
