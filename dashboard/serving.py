"""What a public server adds around the app: security headers, a health check, request ids,
an error page that never shows a traceback, and limits on what a request may send.

:func:`harden` wires all of it onto a Dash app's Flask server (``create_app`` calls it):

* **Headers** on every response, by flask-talisman: a Content-Security-Policy allowing only
  the app's own scripts, styles, fonts and images (plus the hash of Dash's one inline
  renderer script, computed from the rendered index page, and ``data:`` and ``blob:``
  images, which plotly makes for its image export), no framing,
  ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``. No redirect to
  HTTPS unless ``DASHBOARD_FORCE_HTTPS=1`` (the app is served on localhost or behind a proxy
  that terminates TLS).
* ``GET /healthz``: a small JSON saying whether the store can be read (200), or not (503),
  and whether the store's pointer now names another version than the one served (after an
  ingest, update or rollback: restart the workers to serve it).
* **Request ids**: each request gets one (``X-Request-ID``, kept from the proxy when it is
  sane), sent back as a response header and written in the error log line.
* **Errors**: an unexpected exception answers 500 with the GOV.UK "Sorry, there is a problem
  with the service" page (JSON for Dash's callback requests) and logs one JSON line with the
  request id and the cause; the user never sees a traceback.
* **Limits**: request bodies over :data:`MAX_BODY_BYTES` are refused with 413; a callback
  request the pages could not have sent (not JSON, an output no server callback has,
  inputs, state or outputs other than the callback's) with 400; a
  ``/_dash-component-suites/`` path that is not a file Dash registered with 404.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import time
import traceback
import uuid
from html import escape

from dash import Dash
from dash.fingerprint import check_fingerprint
from flask import Response, g, request
from flask_talisman import Talisman
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge

from dashboard.analytics.store import Store
from loaders.catalogue.store import open_report
from loaders.catalogue.versions import current_version
from loaders.core.errors import LoaderInputError

LOG = logging.getLogger("dashboard.requests")
MAX_BODY_BYTES = 256 * 1024  # a callback posts a few KB; the largest legitimate well under
REQUEST_ID_HEADER = "X-Request-ID"
FORCE_HTTPS_VARIABLE = "DASHBOARD_FORCE_HTTPS"
HEALTH_PATH = "/healthz"
CALLBACK_PREFIX = "/_dash-"  # Dash's JSON API: callbacks, layout, dependencies
UPDATE_PATH = "/_dash-update-component"
COMPONENT_SUITES = "/_dash-component-suites/"
SORRY = "Sorry, there is a problem with the service"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_INLINE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
_DATA_TYPES = ("application/json", "application/ld+json")


def inline_script_hashes(index_html: str) -> list[str]:
    """CSP source expressions (``'sha256-...'``) of every inline script of a page that a
    browser would run (scripts with a ``src`` or of a data type such as Dash's JSON config
    are not run inline and need no hash)."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(index_html):
        attributes = match["attributes"].lower()
        if "src=" in attributes or any(kind in attributes for kind in _DATA_TYPES):
            continue
        digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return list(dict.fromkeys(hashes))


def rendered_index(app: Dash) -> str:
    """The app's index page as the server sends it."""
    with app.server.test_request_context("/"):
        return app.index()


def content_security_policy(script_hashes: list[str]) -> dict[str, str | list[str]]:
    """The policy: the app's own origin only, the given inline script hashes, ``data:`` and
    ``blob:`` images (plotly draws its PNG export from a ``blob:`` SVG image the page itself
    made), no plugins, no framing, forms and base URL to the app only.

    Styles need ``'unsafe-inline'``: Dash's renderer, its core components and React add
    their CSS as ``<style>`` elements at run time, a different set per component and per
    Dash release (hashes would break the styling silently on an upgrade). Scripts are
    strict: no ``'unsafe-inline'`` and no ``'unsafe-eval'`` (neither Dash's renderer nor
    plotly's SVG traces evaluate strings; the browser tests fail on any CSP violation
    reported in the console).
    """
    return {
        "default-src": "'self'",
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def force_https() -> bool:
    """Whether to redirect HTTP to HTTPS (``DASHBOARD_FORCE_HTTPS=1``; off by default)."""
    return os.environ.get(FORCE_HTTPS_VARIABLE, "").strip().lower() in ("1", "true", "yes")


def add_security_headers(app: Dash, https: bool | None = None) -> Talisman:
    """Security headers on every response of ``app`` (call after every inline script, such
    as an inline clientside callback, is registered: their hashes are taken now)."""
    https = force_https() if https is None else https
    return Talisman(
        app.server,
        force_https=https,
        strict_transport_security=https,
        frame_options="DENY",
        content_security_policy=content_security_policy(inline_script_hashes(rendered_index(app))),
        referrer_policy="same-origin",
        session_cookie_secure=https,
    )


def health(store: Store) -> tuple[dict, int]:
    """The health check's JSON and status: 200 when the version served can still be read,
    with what it serves (data as at, store format, synthetic or not, and ``current``: whether
    the store's pointer still names the version served). ``current`` false means an ingest,
    update or rollback made another version current: ``waiting`` names it and ``serving`` the
    one served (restart the workers to serve it). 503 when the version served cannot be read."""
    try:
        on_disk = open_report(store.store_dir)
        waiting = current_version(store.pointer)
    except (LoaderInputError, OSError, ValueError) as exc:
        LOG.error(json.dumps({"event": "health check failed", "error": str(exc)}))
        return {"status": "unavailable", "store_loaded": False,
                "error": "the store cannot be read"}, 503  # fmt: skip
    latest = store.latest_month
    body = {
        "status": "ok",
        "store_loaded": True,
        "data_as_at": latest.strftime("%Y-%m") if latest is not None else None,
        "store_format": store.report.get("store_format"),
        "synthetic": store.synthetic,
        "current": on_disk == store.report and waiting == store.store_dir,
    }
    if not body["current"]:
        body |= {"serving": store.store_dir.name, "waiting": waiting.name}
    return body, 200


def _request_id() -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex


def _start_request() -> Response | None:
    """Give the request its id; refuse a body over the limit before anything reads it."""
    g.request_id = _request_id()
    g.started = time.perf_counter()
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise RequestEntityTooLarge()
    return None


WILDCARDS = ("MATCH", "ALL", "ALLSMALLER")  # Dash's pattern-matching ids
MANY = (["ALL"], ["ALLSMALLER"])  # wildcards whose callbacks get a list per input


def _pattern(declared_id: str) -> str | dict:
    """A declared component id as :attr:`Dash.callback_map` gives it: a plain id, or the
    JSON of a pattern-matching one (``{"type": "download-csv", "view": ["MATCH"]}``)."""
    return json.loads(declared_id) if declared_id.startswith("{") else declared_id


def _is_wildcard(value: object) -> bool:
    return isinstance(value, list) and len(value) == 1 and value[0] in WILDCARDS


def _id_matches(pattern: str | dict, given: object) -> bool:
    """Whether ``given`` (an id the renderer sends) is an id ``pattern`` stands for: the same
    text, or a dict with the same keys, equal values outside the wildcards and a plain
    value (text or number) under each wildcard."""
    if isinstance(pattern, str):
        return given == pattern
    if not isinstance(given, dict) or set(given) != set(pattern):
        return False
    return all(
        (isinstance(given[k], (str, int, float)) and not isinstance(given[k], bool))
        if _is_wildcard(v) else given[k] == v
        for k, v in pattern.items()
    )  # fmt: skip


def _item_matches(declared: dict, given: object) -> bool:
    """Whether ``given`` is what the renderer sends for one declared input, state or output
    (``{id, property}``; a list of them for an ``ALL`` or ``ALLSMALLER`` pattern)."""
    pattern = _pattern(declared["id"])
    many = isinstance(pattern, dict) and any(v in MANY for v in pattern.values())
    if many and not isinstance(given, list):
        return False
    return all(
        isinstance(item, dict)
        and item.get("property") == declared["property"]
        and _id_matches(pattern, item.get("id"))
        for item in (given if many else [given])
    )


def _items_match(declared: list[dict], given: object) -> bool:
    return isinstance(given, list) and len(given) == len(declared) and all(
        _item_matches(d, g) for d, g in zip(declared, given, strict=True)
    )  # fmt: skip


def declared_outputs(key: str) -> list[dict]:
    """The outputs ``{id, property}`` of the callback whose :attr:`Dash.callback_map` key is
    ``key`` (``..a.children...b.href..`` for several outputs)."""
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]


def malformed_callback(body: object, callbacks: dict) -> str | None:
    """Why a request to Dash's callback endpoint is not one the app's pages could send, or
    ``None`` when it is one: it must be a JSON object naming the output of a server
    callback, with exactly that callback's inputs, state and outputs (same ids, properties
    and order; pattern-matching ids filled in) and ``changedPropIds`` a list of text. The
    values themselves are the callbacks' to judge (a wrong type is ignored there)."""
    if not isinstance(body, dict):
        return "not a JSON object"
    spec = callbacks.get(body.get("output")) if isinstance(body.get("output"), str) else None
    if spec is None or "callback" not in spec:  # clientside callbacks have none
        return "no server callback has this output"
    for key in ("inputs", "state"):
        if not _items_match(spec.get(key, []), body.get(key, [])):
            return f"{key} are not those of this callback"
    outputs = declared_outputs(body["output"])
    given = body.get("outputs")
    if spec.get("no_output"):
        if given not in (None, []):
            return "outputs are not those of this callback"
    elif not (_items_match(outputs, given) if body["output"].startswith("..")
              else _item_matches(outputs[0], given)):  # fmt: skip
        return "outputs are not those of this callback"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds is not a list of text"
    return None


def _refused(status: int, problem: str) -> Response:
    body = {"error": problem, "request_id": g.request_id}
    return Response(json.dumps(body), status, mimetype="application/json")


def _check_callback_request(app: Dash) -> Response | None:
    """Refuse (400, JSON) a callback request the app's pages could not have sent (not JSON,
    too deeply nested to read, or not of the shape :func:`malformed_callback` checks), so a
    malformed one is the sender's error, never the server's (500)."""
    if request.method != "POST" or not request.path.startswith(UPDATE_PATH):
        return None
    try:
        body = request.get_json(silent=True)  # None: not JSON, or not sent as JSON
    except RecursionError:  # nested deeper than the parser goes
        body = None
    problem = malformed_callback(body, app.callback_map)
    return None if problem is None else _refused(400, f"malformed callback request: {problem}")


def component_suite_file(path: str, registered: dict[str, set[str]]) -> bool:
    """Whether ``path`` (the decoded request path) names a file Dash serves from
    ``/_dash-component-suites/``: a package and file Dash registered for the page (its
    version fingerprint taken off, as Dash does), nothing else: no traversal, encoded or
    not, no absolute path, no other package or file."""
    package, _, fingerprinted = path.removeprefix(COMPONENT_SUITES).partition("/")
    file, _ = check_fingerprint(fingerprinted)
    return file in registered.get(package, ())


def _check_component_suite(app: Dash) -> None:
    """404 for a ``/_dash-component-suites/`` path that is not a registered file (Dash
    itself raises, a 500, for an unknown package or file)."""
    if request.path.startswith(COMPONENT_SUITES) and not component_suite_file(
        request.path, app.registered_paths
    ):
        raise NotFound()


def _finish_response(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = getattr(g, "request_id", "")
    return response


def sorry_page(request_id: str) -> str:
    """The GOV.UK "Sorry, there is a problem with the service" page (no scripts)."""
    return f"""<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head><meta charset="utf-8"><title>{SORRY} – Framework spend analytics</title>
<link rel="stylesheet" href="/assets/00-govuk-frontend-6.6.0.min.css">
<link rel="stylesheet" href="/assets/10-app.css"></head>
<body class="govuk-template__body"><div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content" role="main">
<h1 class="govuk-heading-l">{SORRY}</h1>
<p class="govuk-body">Try again later.</p>
<p class="govuk-body">If you report this problem, quote reference {escape(request_id)}.</p>
<p class="govuk-body"><a class="govuk-link" href="/">Go to the overview</a></p>
</main></div></body></html>"""


def log_error(exc: BaseException, request_id: str) -> None:
    """One JSON line about a failed request: id, method, path, the error and its trace."""
    LOG.error(
        json.dumps(
            {
                "event": "server error",
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "query_chars": len(request.query_string),
                "error": f"{type(exc).__name__}: {exc}"[:500],
                "traceback": "".join(traceback.format_exception(exc))[-4000:],
            }
        )
    )


def _server_error(exc: Exception):
    """500 for an unexpected exception: the sorry page, or JSON for the app's API."""
    if isinstance(exc, HTTPException):  # 404, 405, 413...: Flask's own answer
        return exc
    request_id = getattr(g, "request_id", None) or uuid.uuid4().hex
    log_error(exc, request_id)
    if request.path.startswith(CALLBACK_PREFIX):
        body = {"error": SORRY, "request_id": request_id}
        response = Response(json.dumps(body), 500, mimetype="application/json")
    else:
        response = Response(sorry_page(request_id), 500, mimetype="text/html")
    response.headers[REQUEST_ID_HEADER] = request_id
    return response


def harden(app: Dash, store: Store, https: bool | None = None) -> None:
    """Add the health check, request ids, error handling, the body limit and the security
    headers to ``app`` (see the module's docstring)."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    server.before_request(_start_request)
    server.before_request(lambda: _check_callback_request(app))
    server.before_request(lambda: _check_component_suite(app))
    server.after_request(_finish_response)
    server.register_error_handler(Exception, _server_error)
    talisman = add_security_headers(app, https)

    @server.get(HEALTH_PATH)
    @talisman(force_https=False)  # a load balancer's plain-HTTP probe is answered, not redirected
    def healthz():
        body, status = health(store)
        return Response(json.dumps(body), status, mimetype="application/json",
                        headers={"Cache-Control": "no-store"})  # fmt: skip
