"""What the server adds around the app: security headers, the health check, request ids, the
error page and its log line, the limits on bodies and links, and warming before serving."""

from __future__ import annotations

import gc
import json
import logging
import re
import shutil

import pandas as pd
import pytest

from benchmarks.probes.bad_requests import CALLBACKS, SUITE_PATHS, good_bodies
from dashboard import serving
from dashboard.analytics.links import MAX_QUERY_CHARS, read_link
from dashboard.analytics.store import Store
from dashboard.app import create_app, warm, warm_to_serve
from dashboard.cache import SharedCache
from dashboard.callbacks import download_status, nav_hrefs, render_page
from dashboard.ui import ids
from dashboard.ui.view import View
from loaders.catalogue.store import STORE_FORMAT
from tests.dashboard.test_callbacks import find

RENDERER_HASH = "'sha256-jZlsGVOhUAIcH+4PVs7QuGZkthRMgvT2n0ilH6/zTM0='"  # Dash's renderer line


@pytest.fixture(scope="module")
def app(sample_store):
    return create_app(sample_store)


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def _policy(response) -> dict[str, list[str]]:
    directives = response.headers["Content-Security-Policy"].split(";")
    return {d.split()[0]: d.split()[1:] for d in (d.strip() for d in directives) if d}


@pytest.mark.parametrize(
    "path",
    ["/", "/adoption?fy=2016-17", "/healthz", "/nope", "/assets/10-app.css", "/_dash-layout"],
)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'", RENDERER_HASH]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["object-src"] == ["'none'"]
    assert "Strict-Transport-Security" not in response.headers  # served over plain HTTP here


def test_the_page_has_no_inline_script_but_dashs_renderer(client):
    page = client.get("/").get_data(as_text=True)
    assert serving.inline_script_hashes(page) == [RENDERER_HASH]
    assert "document.title" not in page  # the page-title callback lives in the assets


def test_inline_script_hashes_skip_scripts_with_a_source_or_of_a_data_type():
    page = (
        '<script src="/a.js"></script><script type="application/json">{"a": 1}</script>'
        "<script>alert(1)</script><script>alert(1)</script>"
    )
    assert serving.inline_script_hashes(page) == [
        "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    ]


@pytest.mark.slow
def test_no_redirect_to_https_unless_asked(sample_store, monkeypatch):
    assert create_app(sample_store).server.test_client().get("/").status_code == 200
    monkeypatch.setenv(serving.FORCE_HTTPS_VARIABLE, "1")
    client = create_app(sample_store).server.test_client()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200  # a plain-HTTP probe is answered
    secure = client.get("/", base_url="https://localhost")
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_health_check_says_what_is_served(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "status": "ok",
        "store_loaded": True,
        "data_as_at": "2025-09",
        "store_format": STORE_FORMAT,
        "synthetic": True,
        "current": True,
    }


@pytest.mark.slow
def test_health_check_answers_503_when_the_store_cannot_be_read(sample_store, tmp_path, caplog):
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    client = create_app(store).server.test_client()
    assert client.get("/healthz").status_code == 200
    (store / "load_report.json").unlink()
    with caplog.at_level(logging.ERROR, logger="dashboard.requests"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "store_loaded": False,
        "error": "the store cannot be read",
    }
    assert str(store) not in response.get_data(as_text=True)  # no server path to the user
    assert "load_report.json" in caplog.text


def test_unknown_paths_are_404_with_the_headers(client):
    response = client.get("/no/such/page?fy=2016-17")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers


@pytest.fixture
def failing_app(sample_store, monkeypatch):
    def broken(store, pathname, search):
        raise ValueError("a bug in a page")

    monkeypatch.setattr("dashboard.callbacks.render_page", broken)
    app = create_app(sample_store)

    @app.server.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    return app


def _logged(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "dashboard.requests"]


def test_a_server_error_shows_the_sorry_page_and_logs_one_json_line(failing_app, caplog):
    client = failing_app.server.test_client()
    with caplog.at_level(logging.ERROR, logger="dashboard.requests"):
        response = client.get("/boom?x=1", headers={"X-Request-ID": "abc-123"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "Sorry, there is a problem with the service" in page
    assert "quote reference abc-123" in page
    assert "Traceback" not in page and "secret detail" not in page
    assert response.headers["X-Request-ID"] == "abc-123"
    assert "Content-Security-Policy" in response.headers
    (line,) = _logged(caplog)
    assert line["request_id"] == "abc-123"
    assert (line["event"], line["method"], line["path"]) == ("server error", "GET", "/boom")
    assert line["error"] == "RuntimeError: secret detail"
    assert "Traceback" in line["traceback"]
    assert "\n" not in caplog.records[-1].getMessage()  # one line


def test_a_failing_callback_answers_json_with_the_request_id(failing_app, caplog):
    from dashboard.app import warm_requests

    client = failing_app.server.test_client()
    (body,) = [b for b in warm_requests(failing_app, "/") if ids.PAGE in b["output"]]
    with caplog.at_level(logging.ERROR, logger="dashboard.requests"):
        response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 500
    assert response.get_json() == {
        "error": "Sorry, there is a problem with the service",
        "request_id": response.headers["X-Request-ID"],
    }
    assert [line["request_id"] for line in _logged(caplog)] == [response.headers["X-Request-ID"]]


@pytest.mark.parametrize(
    ("given", "kept"),
    [("req-1.a:b", True), ("x" * 65, False), ("bad id<script>", False), ("", False)],
)
def test_request_ids_are_kept_from_the_proxy_only_when_sane(client, given, kept):
    response = client.get("/healthz", headers={"X-Request-ID": given} if given else {})
    returned = response.headers["X-Request-ID"]
    assert (returned == given) is kept
    assert len(returned) in ((len(given),) if kept else (32,))


def test_a_body_over_the_limit_is_refused_with_413(client):
    body = b"x" * (serving.MAX_BODY_BYTES + 1)
    response = client.post(
        "/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


@pytest.fixture(scope="module")
def store(sample_store) -> Store:
    return Store(sample_store)


@pytest.mark.slow
def test_a_query_over_the_length_limit_is_ignored_whole_with_one_notice(store):
    search = "?fy=2016-17&sme=SME&customer=" + "A" * MAX_QUERY_CHARS
    content, _ = render_page(store, "/", search)
    notice = find(content, ids.URL_NOTICE)
    assert notice.children == (
        f"Ignored: every filter of the link ({len(search):,} characters: more than the "
        f"{MAX_QUERY_CHARS:,} a link may have)."
    )
    assert read_link(store, search)[0] == read_link(store, "")[0]
    assert nav_hrefs(store, "/", search, [("/", "Overview")]) == ["/", "/"]


def test_a_query_within_the_limit_is_read(store):
    search = "?fy=2016-17"
    assert len(search) <= MAX_QUERY_CHARS
    assert read_link(store, search)[0].fy == ("2016-17",)


def test_a_capped_download_says_so():
    view = View("rows", "Rows", lambda store, filters: pd.DataFrame(), row_limit=2)
    assert view.capped(pd.DataFrame({"a": [1]})) == ""
    assert view.capped(pd.DataFrame({"a": [1, 2]})).startswith(
        "This download has the newest 2 rows only: the most one download gives."
    )


def test_the_rows_download_under_its_cap_says_nothing(store):
    assert download_status(store, "rows", "?fy=2016-17") == ""


@pytest.mark.slow
def test_warming_reads_every_table_and_renders_every_page(sample_store):
    app = create_app(sample_store)
    steps = warm(app)
    assert {"tables", "/", "/adoption", "/department", "/suppliers", "/data-quality"} <= set(steps)
    store = app.server.extensions["framework-spend"].store
    loaded = set(store.held_bytes())  # every table read so far, by name
    assert {"spend", "spend_fy", "customer", "pair", "pair_fy"} <= loaded
    assert len(store.bodies)
    assert "body_index" in vars(store)  # the cached property is built
    assert set(warm(app)) == set(steps)  # again: idempotent
    held = store.held_bytes()  # what the benchmark counts: every table read, each cache
    customer = store.table("customer")
    assert held["customer"] == customer.memory_usage(index=True, deep=True).sum() > 0
    assert {"pair_fy", "stored:matches", "cache:results", "cache:frames"} <= set(held)
    assert held["cache:frames"] > 0  # the warm-up's pages kept their filtered tables
    # the indexes first requests would otherwise build (at 10M rows, 0.2 s for the
    # departments' lines of the pair table, 0.3 s for its lines of register bodies)
    built = set(store._constants)
    assert {"department-lines:pair", "department-lines:customer_fy"} <= built
    assert {"register-lines:customer", "register-lines:pair"} <= built


@pytest.mark.slow
def test_warming_to_serve_freezes_what_the_app_holds(sample_store):
    app = create_app(sample_store)
    gc.unfreeze()
    try:
        steps = warm_to_serve(app)
        assert "tables" in steps and "/adoption" in steps
        store = app.server.extensions["framework-spend"].store
        frozen = gc.get_freeze_count()
        assert frozen > 1_000  # a full collection no longer walks them
        assert all(not any(store is o for o in gc.get_objects(g)) for g in range(3))
    finally:
        gc.unfreeze()


def test_the_shared_cache_opens_its_own_connection_after_a_fork(tmp_path, monkeypatch):
    cache = SharedCache(tmp_path / "cache", "ns")
    assert cache.get_or_compute("k", lambda: 1) == 1
    first = cache._disk
    monkeypatch.setattr("dashboard.cache.os.getpid", lambda: -1)  # as in a forked worker
    assert cache._disk is not first
    assert cache.get_or_compute("k", lambda: 2) == 1  # the same folder, read again
    cache.close()


@pytest.fixture(scope="module")
def good(client) -> dict[str, dict]:
    return good_bodies(client.get("/_dash-dependencies").get_json())


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(b, id=b.name, marks=[pytest.mark.slow] if b.expected == 200 else [])
        for b in CALLBACKS
    ],  # the well-formed ones render a page
)
def test_a_malformed_callback_request_is_refused_with_400(client, good, bad):
    headers = {"Content-Type": bad.content_type} if bad.content_type else {}
    response = client.post(serving.UPDATE_PATH, data=bad.body(good), headers=headers)
    assert response.status_code == bad.expected, response.get_data(as_text=True)[:300]
    if bad.expected == 400:
        assert response.get_json()["error"].startswith("malformed callback request: ")
        assert response.get_json()["request_id"] == response.headers["X-Request-ID"]


@pytest.mark.parametrize("path", SUITE_PATHS)
def test_a_path_outside_the_served_files_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers


@pytest.mark.slow
def test_every_script_and_style_the_page_loads_is_served(client):
    page = client.get("/").get_data(as_text=True)
    paths = re.findall(r'(?:src|href)="(/_dash-component-suites/[^"]+)"', page)
    assert len(paths) >= 3  # the renderer, plotly, dash-bootstrap-components...
    assert [client.get(p).status_code for p in paths] == [200] * len(paths)


@pytest.mark.parametrize(
    ("path", "served"),
    [
        ("/_dash-component-suites/plotly/package_data/plotly.v6_0_0m1.min.js", True),
        ("/_dash-component-suites/plotly/package_data/plotly.min.js", True),
        ("/_dash-component-suites/plotly/package_data/../package_data/plotly.min.js", False),
        ("/_dash-component-suites/plotly/package_data/plotly.min.js/", False),
        ("/_dash-component-suites/plotly//package_data/plotly.min.js", False),
        ("/_dash-component-suites/Plotly/package_data/plotly.min.js", False),
    ],
)
def test_only_registered_component_suite_files_are_served(path, served):
    registered = {"plotly": {"package_data/plotly.min.js"}}
    assert serving.component_suite_file(path, registered) is served


DOWNLOAD = {"output": "..x.data...y.children..", "callback": print, "state": [],
            "inputs": [{"id": '{"type":"csv","view":["MATCH"]}', "property": "n_clicks"},
                       {"id": '{"type":"row","i":["ALL"]}', "property": "value"}]}  # fmt: skip


def _download(first: object, rows: object) -> dict:
    return {"output": "..x.data...y.children..", "state": [],
            "outputs": [{"id": "x", "property": "data"}, {"id": "y", "property": "children"}],
            "inputs": [first, rows]}  # fmt: skip


@pytest.mark.parametrize(
    ("first", "rows", "problem"),
    [
        pytest.param({"id": {"type": "csv", "view": "a"}, "property": "n_clicks"},
                     [{"id": {"type": "row", "i": 3}, "property": "value"}], None, id="filled"),
        pytest.param({"id": {"type": "csv", "view": "a"}, "property": "n_clicks"}, [], None,
                     id="no-rows"),
        pytest.param({"id": {"type": "csv", "view": ["a"]}, "property": "n_clicks"}, [],
                     "inputs", id="wildcard-a-list"),
        pytest.param({"id": {"type": "csv", "view": True}, "property": "n_clicks"}, [],
                     "inputs", id="wildcard-a-boolean"),
        pytest.param({"id": {"type": "xlsx", "view": "a"}, "property": "n_clicks"}, [],
                     "inputs", id="another-type"),
        pytest.param({"id": {"type": "csv"}, "property": "n_clicks"}, [], "inputs",
                     id="a-key-missing"),
        pytest.param({"id": {"type": "csv", "view": "a"}, "property": "n_clicks"},
                     {"id": {"type": "row", "i": 3}, "property": "value"}, "inputs",
                     id="all-not-a-list"),
    ],
)  # fmt: skip
def test_pattern_matching_ids_are_checked_against_their_pattern(first, rows, problem):
    found = serving.malformed_callback(_download(first, rows), {DOWNLOAD["output"]: DOWNLOAD})
    assert (found is None) if problem is None else found.startswith(problem)


@pytest.mark.slow
def test_https_mode_warms_and_serves(sample_store, monkeypatch):
    monkeypatch.setenv(serving.FORCE_HTTPS_VARIABLE, "1")
    app = create_app(sample_store)
    assert {"/", "/adoption"} <= set(warm(app))  # warming is not redirected
    client = app.server.test_client()
    assert client.get("/").status_code == 302
    assert client.get("/", base_url="https://localhost").status_code == 200


def test_filter_controls_of_the_wrong_type_are_ignored_not_a_server_error(app, client):
    from dashboard.app import warm_requests

    (body,) = [b for b in warm_requests(app, "/") if "url.search" in b["output"]]
    body = {**body, "inputs": [{**i, "value": 7 if i["id"] != "url" else "?fy=2016-17"}
                               for i in body["inputs"]]}  # fmt: skip
    assert client.post("/_dash-update-component", json=body).status_code == 200
