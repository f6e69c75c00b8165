"""Bounded waits (issue 23, item 7): a Retry-After over the cap refuses the link for this run;
a download, headers and body, has a time limit however slowly the server sends."""

from __future__ import annotations

import email.utils
import time
from dataclasses import replace

import pytest
from werkzeug import Response

from benchmarks.loader_probes.fetching import header_drip
from loaders.fetch.client import HttpClient, Refused
from tests.loaders.fetch.conftest import FAST

CSV = b"Framework,Lot\nG-Cloud,1\n"
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("status", [429, 503])
def test_a_retry_after_over_the_cap_refuses_the_link_at_once(httpserver, sleeps, tmp_path, status):
    httpserver.expect_request("/spend.csv").respond_with_data(
        "busy", status=status, headers={"Retry-After": "3600"}
    )
    client = HttpClient(FAST, sleep=sleeps)
    with pytest.raises(
        Refused, match=r"asking to wait 3,600 s \(Retry-After\), over the 600 s cap"
    ):
        client.download(httpserver.url_for("/spend.csv"), tmp_path / "spend.csv")
    assert sleeps == [] and len(httpserver.log) == 1


def test_a_retry_after_date_within_the_cap_is_waited_for(httpserver, sleeps, tmp_path):
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    httpserver.expect_oneshot_request("/spend.csv").respond_with_data(
        "busy", status=503, headers={"Retry-After": when}
    )
    httpserver.expect_request("/spend.csv").respond_with_data(CSV)
    HttpClient(FAST, sleep=sleeps).download(httpserver.url_for("/spend.csv"), tmp_path / "s.csv")
    assert len(sleeps) == 1 and 100 < sleeps[0] <= 120


def _dripping(length: bool):
    def drip():
        for byte in CSV * 4:
            time.sleep(0.2)
            yield bytes([byte])

    headers = {"Content-Length": str(len(CSV) * 4)} if length else {}
    return lambda request: Response(drip(), headers=headers)


@pytest.mark.parametrize("length", [True, False], ids=["with length", "chunked"])
def test_a_body_dripping_byte_by_byte_is_refused_at_the_time_limit(
    httpserver, sleeps, tmp_path, length
):
    httpserver.expect_request("/slow.csv").respond_with_handler(_dripping(length))
    client = HttpClient(replace(FAST, max_seconds=1.5), sleep=sleeps)
    start = time.monotonic()
    with pytest.raises(Refused, match="took longer than the 2 s a download may take"):
        client.download(httpserver.url_for("/slow.csv"), tmp_path / "slow.csv")
    assert time.monotonic() - start < 4  # not the 20 s the body would take
    assert list(tmp_path.iterdir()) == [] and sleeps == []  # refused, not tried again


def test_headers_dripping_byte_by_byte_are_refused_at_the_time_limit(tmp_path):
    client = HttpClient(replace(FAST, max_seconds=1.0), sleep=lambda s: None)
    start = time.monotonic()
    with header_drip(0.2) as url, pytest.raises(Refused, match="took longer than the 1 s"):
        client.download(url, tmp_path / "slow.csv")
    assert time.monotonic() - start < 3
