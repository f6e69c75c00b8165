"""Through gunicorn as the README starts it: after an ingest, /healthz names the version
waiting; ``kill -HUP`` the master and every worker serves the new version, with no request
refused meanwhile."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import requests

import loaders
from benchmarks.load import Gunicorn
from loaders.catalogue import versions
from tests.loaders.store.conftest import two_releases

pytestmark = pytest.mark.slow


def _health(server: Gunicorn) -> dict:
    return requests.get(server.base + "/healthz", timeout=10).json()


def test_kill_hup_serves_the_version_now_current(tmp_path):
    results = two_releases(tmp_path / "releases")
    store = tmp_path / "store"
    loaders.write_store(results["july"], store)
    server = Gunicorn(store, 2, tmp_path / "gunicorn.log")
    try:
        server.wait_ready(180)
        assert _health(server)["data_as_at"] == "2014-05"
        loaders.write_store(results["august"], store)
        waiting = _health(server)
        assert waiting["current"] is False
        assert waiting["waiting"] == versions.versions(store)[-1].id
        failures, stop = [], threading.Event()

        def keep_asking() -> None:
            while not stop.is_set():
                try:
                    status = requests.get(server.base + "/healthz", timeout=10).status_code
                except requests.RequestException as exc:
                    status = repr(exc)
                if status != 200:
                    failures.append(status)

        asker = threading.Thread(target=keep_asking)
        asker.start()
        os.kill(server.process.pid, signal.SIGHUP)
        deadline = time.monotonic() + 180
        answers: set[str] = set()
        while time.monotonic() < deadline:
            # several answers in a row, so that every worker has been asked
            answers = {_health(server)["data_as_at"] for _ in range(6)}
            if answers == {"2014-06"}:
                break
            time.sleep(0.5)
        stop.set()
        asker.join()
        assert answers == {"2014-06"} and _health(server)["current"] is True
        assert failures == []
    finally:
        server.close()
