"""The HTTP client: retries, backoff, polite delay, conditional requests, size cap, .part."""

from __future__ import annotations

import hashlib

import pytest
from werkzeug import Response

from loaders.fetch.client import FetchSettings, HttpClient, Refused

CSV = b"Framework,Lot\nG-Cloud,1\n"


def test_retries_after_503_then_downloads(httpserver, client, sleeps, tmp_path):
    for _ in range(2):
        httpserver.expect_oneshot_request("/spend.csv").respond_with_data("busy", status=503)
    httpserver.expect_request("/spend.csv").respond_with_data(CSV)
    result = client.download(httpserver.url_for("/spend.csv"), tmp_path / "spend.csv")
    assert (tmp_path / "spend.csv").read_bytes() == CSV
    assert result.bytes == len(CSV)
    assert sleeps == [1.0, 2.0]  # exponential backoff: backoff * 2**attempt


def test_gives_up_after_the_last_retry_and_names_the_status(httpserver, client, tmp_path):
    httpserver.expect_request("/spend.csv").respond_with_data("down", status=503)
    with pytest.raises(Refused, match="HTTP 503 after 3 tries"):
        client.download(httpserver.url_for("/spend.csv"), tmp_path / "spend.csv")
    assert list(tmp_path.iterdir()) == []


def test_a_404_is_final_and_not_retried(httpserver, client, sleeps, tmp_path):
    httpserver.expect_request("/gone.csv").respond_with_data("no", status=404)
    with pytest.raises(Refused, match="HTTP 404"):
        client.download(httpserver.url_for("/gone.csv"), tmp_path / "gone.csv")
    assert sleeps == [] and len(httpserver.log) == 1


def test_polite_delay_between_requests(httpserver, sleeps, tmp_path):
    httpserver.expect_request("/a.csv").respond_with_data(CSV)
    ticks = iter([0.0, 0.25, 1.0])  # first request, second one 0.25 s later, after the pause
    polite = HttpClient(FetchSettings(delay=1.0), sleep=sleeps, clock=lambda: next(ticks))
    polite.download(httpserver.url_for("/a.csv"), tmp_path / "a.csv")
    polite.download(httpserver.url_for("/a.csv"), tmp_path / "a.csv")
    assert sleeps == [0.75]


def test_conditional_request_sends_the_validators_and_304_writes_nothing(
    httpserver, client, tmp_path
):
    httpserver.expect_request(
        "/spend.csv", headers={"If-None-Match": '"v1"', "If-Modified-Since": "Mon, 01 Jul 2024"}
    ).respond_with_data("", status=304)
    target = tmp_path / "spend.csv"
    target.write_bytes(CSV)
    result = client.download(httpserver.url_for("/spend.csv"), target, ('"v1"', "Mon, 01 Jul 2024"))
    assert result.not_modified and target.read_bytes() == CSV


def test_validators_of_the_response_are_returned(httpserver, client, tmp_path):
    httpserver.expect_request("/spend.csv").respond_with_data(
        CSV, headers={"ETag": '"abc"', "Last-Modified": "Tue, 02 Jul 2024 10:00:00 GMT"},
        content_type="text/csv",
    )  # fmt: skip
    result = client.download(httpserver.url_for("/spend.csv"), tmp_path / "spend.csv")
    assert (result.etag, result.last_modified) == ('"abc"', "Tue, 02 Jul 2024 10:00:00 GMT")
    assert result.content_type.startswith("text/csv")
    assert result.sha256 == hashlib.sha256(CSV).hexdigest()


def test_size_cap_from_content_length(httpserver, client, tmp_path):
    httpserver.expect_request("/big.csv").respond_with_data(b"x" * 20_000)
    with pytest.raises(Refused, match="larger than the size cap"):
        client.download(httpserver.url_for("/big.csv"), tmp_path / "big.csv")
    assert list(tmp_path.iterdir()) == []


def test_size_cap_while_streaming_leaves_no_part_file(httpserver, client, tmp_path):
    def chunks():
        for _ in range(30):
            yield b"x" * 1000

    httpserver.expect_request("/stream.csv").respond_with_response(Response(chunks()))
    with pytest.raises(Refused, match="larger than the size cap"):
        client.download(httpserver.url_for("/stream.csv"), tmp_path / "stream.csv")
    assert list(tmp_path.iterdir()) == []


def test_connection_dropped_mid_body_is_retried_then_refused_without_a_file(
    httpserver, client, sleeps, tmp_path
):
    def cut_off():
        yield b"Framework,Lot\n"
        raise ConnectionResetError("dropped")

    def handler(request):
        return Response(cut_off(), headers={"Content-Length": "5000"})

    httpserver.expect_request("/cut.csv").respond_with_handler(handler)
    with pytest.raises(Refused, match="after 3 tries"):
        client.download(httpserver.url_for("/cut.csv"), tmp_path / "cut.csv")
    assert list(tmp_path.iterdir()) == []
    assert len(sleeps) == 2


def test_html_page_served_as_a_spreadsheet_is_refused(httpserver, client, tmp_path):
    page = b"<!DOCTYPE html><html><body>Page not found</body></html>"
    httpserver.expect_request("/spend.xlsx").respond_with_data(page, content_type="text/html")
    with pytest.raises(Refused, match="an HTML page .* where a workbook was promised"):
        client.download(httpserver.url_for("/spend.xlsx"), tmp_path / "spend.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_get_json_refuses_an_html_error_page(httpserver, client):
    httpserver.expect_request("/api").respond_with_data("<html>Sorry</html>")
    with pytest.raises(Refused, match="where JSON was promised"):
        client.get_json(httpserver.url_for("/api"))
