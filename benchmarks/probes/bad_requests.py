"""Bad requests (issue 23, item 13): callback requests no page could send must answer 400 (a
body over the limit 413), and ``/_dash-component-suites/`` (and ``/assets/``) paths that
are not files the app serves 404, never 500. Two well-formed callbacks are sent too, to
show the guard refuses nothing a browser sends.

Each request is sent as raw bytes (``http.client``: the path exactly as written, dots and
percent signs included); :func:`callback_request` and :data:`SUITE_PATHS` are shared with
the tests, which send the same through the Flask test client.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from benchmarks.load import HOST
from benchmarks.probes import Outcome, Probe, register
from benchmarks.probes.context import ProbeContext
from dashboard.serving import declared_outputs

UPDATE = "/_dash-update-component"
JSON = "application/json"
DOWNLOAD_VIEW = "spend-by-period"  # a view of the overview with download buttons


def _stringify(ident: str | dict) -> str:
    """A component id as Dash's renderer names it in ``changedPropIds``."""
    if isinstance(ident, str):
        return ident
    return json.dumps(ident, sort_keys=True, separators=(",", ":"))


def _concrete(item: dict) -> dict:
    """A declared ``{id, property}`` as the renderer sends it: a ``MATCH`` wildcard filled
    in with :data:`DOWNLOAD_VIEW`, and the value a page opened at ``/?fy=2016-17`` (or a
    first click on a CSV button) gives it."""
    ident = item["id"]
    if ident.startswith("{"):
        ident = {k: DOWNLOAD_VIEW if v == ["MATCH"] else v for k, v in json.loads(ident).items()}
    values = {"url.pathname": "/", "url.search": "?fy=2016-17"}
    key = f"{ident}.{item['property']}"
    value = 1 if "download-csv" in key else values.get(key)
    return {"id": ident, "property": item["property"], "value": value}


def _name(output: str) -> str:
    for name, marker in (("page", "page-content"), ("links", "nav-link"), ("download", "download")):
        if marker in output:
            return name
    return "filters"


def good_bodies(dependencies: list[dict]) -> dict[str, dict]:
    """Well-formed bodies of the app's server callbacks (``dependencies``: the JSON of
    ``/_dash-dependencies``), as the renderer posts them, keyed ``page``, ``links``,
    ``filters`` and ``download`` (a CSV click on the overview)."""
    bodies = {}
    for dep in dependencies:
        if dep.get("clientside_function"):
            continue
        inputs = [_concrete(i) for i in dep["inputs"]]
        outputs = [
            {k: v for k, v in _concrete(o).items() if k != "value"}
            for o in declared_outputs(dep["output"])
        ]
        bodies[_name(dep["output"])] = {
            "output": dep["output"],
            "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": inputs,
            "changedPropIds": [
                f"{_stringify(i['id'])}.{i['property']}" for i in inputs if i["value"] is not None
            ],
            "state": [_concrete(s) for s in dep.get("state", [])],
        }
    return bodies


@dataclass(frozen=True)
class BadCallback:
    """A callback request: its body made from the good bodies, its content type, and the
    status it must get."""

    name: str
    make: Callable[[dict[str, dict]], object]
    content_type: str | None = JSON
    expected: int = 400

    def body(self, good: dict[str, dict]) -> bytes:
        """The request body: bytes as made, else the made value as JSON."""
        made = self.make(good)
        return made if isinstance(made, bytes) else json.dumps(made).encode()


def _replace(key: str, value: object, which: str = "page") -> Callable[[dict], dict]:
    return lambda good: {**good[which], key: value}


def _without(key: str, which: str = "page") -> Callable[[dict], dict]:
    return lambda good: {k: v for k, v in good[which].items() if k != key}


def _inputs(change: Callable[[list], list], which: str = "page") -> Callable[[dict], dict]:
    return lambda good: {**good[which], "inputs": change(list(good[which]["inputs"]))}


CALLBACKS = (
    BadCallback("well-formed page callback (control)", lambda good: good["page"], expected=200),
    BadCallback(
        "well-formed download click (control)", lambda good: good["download"], expected=200
    ),
    BadCallback("not JSON", lambda good: b"{not json"),
    BadCallback("not UTF-8", lambda good: b"\xff\xfe\x00{"),
    BadCallback("a JSON list", lambda good: [1, 2, 3]),
    BadCallback("a JSON string", lambda good: "output"),
    BadCallback("an empty object", lambda good: {}),
    BadCallback("no output", _without("output")),
    BadCallback("an unknown output", _replace("output", "nope.children")),
    BadCallback("output a number", _replace("output", 123)),
    BadCallback("a clientside callback's output", _replace("output", "page-title-sink.children")),
    BadCallback("inputs a text", _replace("inputs", "x")),
    BadCallback("inputs numbers", _replace("inputs", [1, 2])),
    BadCallback("an input without property", _inputs(lambda i: [{"id": "url"}, i[1]])),
    BadCallback("an unknown input", _inputs(lambda i: [{**i[0], "id": "nope"}, i[1]])),
    BadCallback("an input missing", _inputs(lambda i: i[:1])),
    BadCallback("an input too many", _inputs(lambda i: [*i, i[0]])),
    BadCallback("inputs in the wrong order", _inputs(lambda i: i[::-1])),
    BadCallback("2,000 inputs (a 114 KB body, within the limit)", _inputs(lambda i: i * 1_000)),
    BadCallback(
        "state where the callback has none",
        _replace("state", [{"id": "url", "property": "search", "value": ""}]),
    ),
    BadCallback("download without its state", _without("state", "download")),
    BadCallback(
        "download of an id with a wildcard left",
        lambda good: {
            **good["download"],
            "inputs": [
                {**i, "id": {**i["id"], "view": ["ALL"]}} for i in good["download"]["inputs"]
            ],
        },
    ),
    BadCallback("outputs a number", _replace("outputs", 3)),
    BadCallback(
        "outputs of another callback",
        lambda good: {**good["page"], "outputs": good["links"]["outputs"]},
    ),
    BadCallback("outputs missing", _without("outputs")),
    BadCallback("changedPropIds a number", _replace("changedPropIds", 5)),
    BadCallback("nested 100,000 deep", lambda good: b"[" * 100_000 + b"]" * 100_000),
    BadCallback("sent as text/plain", lambda good: good["page"], content_type="text/plain"),
    BadCallback("sent without a content type", lambda good: good["page"], content_type=None),
    BadCallback(
        "a body over the 256 KB limit",
        lambda good: {**good["page"], "padding": "x" * 300_000},
        expected=413,
    ),
)

SUITES = "/_dash-component-suites"
SUITE_PATHS = (
    f"{SUITES}/dash/..%2f..%2f..%2f..%2fetc%2fpasswd",
    f"{SUITES}/dash/%2e%2e/%2e%2e/dash.py",
    f"{SUITES}/dash/deps/../../../../../etc/passwd",
    f"{SUITES}//etc/passwd",
    f"{SUITES}/dash/%2Fetc%2Fpasswd",
    f"{SUITES}/dash/..%5c..%5cdash.py",
    f"{SUITES}/dash/..\\..\\dash.py",
    f"{SUITES}/os/__init__.py",
    f"{SUITES}/dash/dash.py",
    f"{SUITES}/dash/dash-renderer/build/dash_renderer.min.js%00.py",
    f"{SUITES}/plotly/package_data/../__init__.py",
    f"{SUITES}/dash/%252e%252e%252fdash.py",
    f"{SUITES}/dash/%c0%ae%c0%ae/dash.py",
    f"{SUITES}/dash/",
    f"{SUITES}/",
    "/assets/..%2fapp.py",
    "/assets/%2e%2e/serving.py",
    "/assets/../../../etc/passwd",
)


def send(
    base_host: str,
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    content_type: str | None = None,
) -> int:
    """Send one request exactly as given (path unnormalised); its status."""
    conn = http.client.HTTPConnection(base_host, port, timeout=30)
    try:
        headers = {"Content-Type": content_type} if content_type else {}
        conn.request(method, path, body=body, headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


def _good(context: ProbeContext) -> dict[str, dict]:
    return good_bodies(context.get("/_dash-dependencies").json())


def _post(bad: BadCallback, context: ProbeContext) -> Outcome:
    server = context.server()
    status = send(HOST, server.port, "POST", UPDATE, bad.body(_good(context)), bad.content_type)
    return Outcome(str(status), status == bad.expected)


def _get(path: str, context: ProbeContext) -> Outcome:
    status = send(HOST, context.server().port, "GET", path)
    return Outcome(str(status), status == 404)


for _bad in CALLBACKS:
    kind = "well-formed callback" if _bad.expected == 200 else "malformed callback"
    register(Probe(f"callback: {_bad.name}", kind, str(_bad.expected), partial(_post, _bad)))
for _path in SUITE_PATHS:
    register(Probe(f"GET {_path}", "path outside the served files", "404", partial(_get, _path)))
