"""A running app serves one store version for everything it shows, downloads included; the
health check says when another version is current; a refresh serves it; a served version is
never deleted under the app."""

from __future__ import annotations

import base64
import gc
import io
import weakref

import pandas as pd
import pytest

import loaders
from dashboard.analytics.store import Store
from dashboard.app import _LazyWsgi, create_app
from dashboard.callbacks import download
from loaders.catalogue import versions
from tests.loaders.store.conftest import two_releases

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return two_releases(tmp_path_factory.mktemp("releases"))


def _rows_total(store: Store) -> float:
    payload = download(store, "rows", "csv", "")
    table = pd.read_csv(io.BytesIO(base64.b64decode(payload["content"])))
    return float(table.filter(like="(£)").iloc[:, 0].sum())


def test_pages_and_the_rows_download_come_from_the_version_opened(results, tmp_path):
    store_path = tmp_path / "store"
    loaders.write_store(results["july"], store_path)
    store = Store(store_path)
    assert store.table("spend")["spend_gbp"].sum() == 100.0
    loaders.write_store(results["august"], store_path)  # an ingest while the app runs
    assert store.table("spend_fy")["spend_gbp"].sum() == 100.0  # read only now: still July
    assert _rows_total(store) == 100.0  # the rows download too
    assert Store(store_path).table("spend")["spend_gbp"].sum() == 250.0  # a new app: August


def test_health_says_which_version_waits_and_a_refresh_serves_it(
    results,
    tmp_path,
    monkeypatch,
):
    store_path = tmp_path / "store"
    loaders.write_store(results["july"], store_path)
    client = create_app(store_path).server.test_client()
    assert client.get("/healthz").get_json()["current"] is True
    loaders.write_store(results["august"], store_path)
    body = client.get("/healthz").get_json()
    first, second = (v.id for v in versions.versions(store_path))
    assert body["status"] == "ok" and body["data_as_at"] == "2014-05"
    assert (body["current"], body["serving"], body["waiting"]) == (False, first, second)
    monkeypatch.setenv("DASHBOARD_DATA", str(store_path))
    monkeypatch.setenv("DASHBOARD_QUERY_CACHE", str(tmp_path / "query-cache"))
    server = _LazyWsgi()
    gc.unfreeze()
    try:
        server.warm()  # as gunicorn's master: warmed, then frozen out of the collector's sight
        assert gc.get_freeze_count() > 0
        served = weakref.ref(server.app().server.extensions["framework-spend"].store)
        assert server.refresh() is False  # already on the current version
        loaders.write_store(results["july"], store_path)
        assert server.refresh() is True
        assert gc.get_freeze_count() == 0  # the app served until now can be collected
        server.warm()  # as gunicorn's master on kill -HUP: the new app warmed, then frozen
        assert served() is None  # the old app was collected first: its version's lease too
    finally:
        gc.unfreeze()
    refreshed = server.app().server.test_client().get("/healthz").get_json()
    assert refreshed["current"] is True and refreshed["data_as_at"] == "2014-05"


def test_a_served_version_is_kept_until_no_app_serves_it(results, tmp_path):
    store_path = tmp_path / "store"
    loaders.write_store(results["july"], store_path)
    store = Store(store_path)
    served = store.store_dir
    loaders.write_store(results["august"], store_path, keep=0)
    loaders.write_store(results["august"], store_path, keep=0)
    assert served.is_dir() and _rows_total(store) == 100.0
    store._lease.close()  # the app stopped
    loaders.write_store(results["july"], store_path, keep=0)
    assert not served.exists() and len(versions.versions(store_path)) == 1
