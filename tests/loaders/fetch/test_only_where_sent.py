"""A fetch goes only where its source was sent (issue 23, item 6): redirects, links.next and
attachments are followed only to http(s) URLs on the source's host (or hosts listed), never to
file:, loopback, link-local or private addresses; a refused link is that link alone, and
redirect loops end."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.fetch import Source
from loaders.fetch.client import HttpClient, Refused
from loaders.fetch.manifest import Manifest
from loaders.fetch.policy import LinkPolicy
from loaders.update import fetch
from tests.loaders.fetch.conftest import FAST

CSV = b"Framework,Lot\nG-Cloud,1\n"
PAGE = ('<html><a href="/f/G-Cloud-2014-07.csv">a</a><a href="/f/G-Cloud-2014-08.csv">b</a>'
        "</html>")  # fmt: skip


def _redirect(httpserver, path: str, location: str) -> None:
    httpserver.expect_request(path).respond_with_data(
        "", status=302, headers={"Location": location}
    )


@pytest.fixture
def page(httpserver) -> Source:
    httpserver.expect_request("/sales").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/f/G-Cloud-2014-08.csv").respond_with_data(CSV)
    return Source("sales", "page", httpserver.url_for("/sales"))


TARGETS = {
    "file": ("file:///etc/passwd", "not an http(s) URL (scheme 'file')"),
    "metadata service": ("http://169.254.169.254/latest/meta-data/", "link-local address"),
    "loopback by number": ("http://127.0.0.1:9/x.csv", "loopback address"),
    "private": ("http://10.1.2.3/x.csv", "private address"),
    "IPv6 loopback": ("http://[::1]:9/x.csv", "loopback address"),
    "another host": ("https://example.invalid/x.csv", "on another host (example.invalid)"),
    "ftp": ("ftp://localhost/x.csv", "not an http(s) URL (scheme 'ftp')"),
}


@pytest.mark.parametrize("target", list(TARGETS))
def test_a_redirect_elsewhere_refuses_that_link_and_the_run_goes_on(
    httpserver, page, tmp_path, target
):
    location, reason = TARGETS[target]
    _redirect(httpserver, "/f/G-Cloud-2014-07.csv", location)
    summary = fetch([page], tmp_path, settings=FAST)
    assert [f.file for f in summary.new] == ["sales/G-Cloud-2014-08.csv"]
    (refused,) = summary.refused
    assert refused.url.endswith("/f/G-Cloud-2014-07.csv") and reason in refused.reason
    assert f"redirected to {location}" in refused.reason
    assert summary.exit_code == 2


def test_a_redirect_on_the_same_host_is_followed(httpserver, page, tmp_path):
    _redirect(httpserver, "/f/G-Cloud-2014-07.csv", "/files/moved.csv")
    httpserver.expect_request("/files/moved.csv").respond_with_data(CSV)
    summary = fetch([page], tmp_path, settings=FAST)
    assert len(summary.new) == 2 and summary.refused == []


@pytest.mark.parametrize("loop", ["self", "two", "long"])
def test_redirect_loops_and_chains_end_as_one_refused_link(httpserver, page, tmp_path, loop):
    if loop == "self":
        _redirect(httpserver, "/f/G-Cloud-2014-07.csv", "/f/G-Cloud-2014-07.csv")
    elif loop == "two":
        _redirect(httpserver, "/f/G-Cloud-2014-07.csv", "/b")
        _redirect(httpserver, "/b", "/f/G-Cloud-2014-07.csv")
    else:
        _redirect(httpserver, "/f/G-Cloud-2014-07.csv", "/hop0")
        for i in range(20):
            _redirect(httpserver, f"/hop{i}", f"/hop{i + 1}")
    summary = fetch([page], tmp_path, settings=FAST)
    assert len(summary.new) == 1
    assert ("redirect loop" if loop != "long" else "more than 10 redirects") in (
        summary.refused[0].reason
    )


def test_an_attachment_elsewhere_is_refused_alone(httpserver, tmp_path):
    base = httpserver.url_for("/api/content/government/publications/spend")
    attachments = [
        {"attachment_type": "file", "url": "file:///etc/passwd", "filename": "G-Cloud-1.csv"},
        {"attachment_type": "file", "url": "http://169.254.169.254/G-Cloud-2.csv"},
        {"attachment_type": "file", "url": "/files/G-Cloud-3.csv", "filename": "G-Cloud-3.csv"},
    ]
    httpserver.expect_request("/api/content/government/publications/spend").respond_with_json(
        {"details": {"attachments": attachments}}
    )
    httpserver.expect_request("/files/G-Cloud-3.csv").respond_with_data(CSV)
    source = Source("gov", "govuk", base.replace("/api/content", ""))
    summary = fetch([source], tmp_path, settings=FAST)
    assert [f.file for f in summary.new] == ["gov/G-Cloud-3.csv"]
    reasons = sorted(r.reason for r in summary.refused)
    assert "169.254.169.254 is a link-local address" in reasons[0]
    assert "not an http(s) URL (scheme 'file')" in reasons[1]


def test_links_next_to_another_host_is_refused_and_the_window_waits(httpserver, tmp_path):
    search = "/Published/Notices/OCDS/Search"
    httpserver.expect_request(search).respond_with_json(
        {"releases": [], "links": {"next": "http://169.254.169.254/next?cursor=1"}}
    )
    source = Source("cf", "contracts-finder", httpserver.url_for(search))
    summary = fetch([source], tmp_path, settings=FAST, since=dt.datetime(2025, 1, 1),
                    now=dt.datetime(2025, 1, 2))  # fmt: skip
    assert "link-local address" in summary.refused[0].reason
    assert Manifest.read(tmp_path).entries == {} and summary.exit_code == 2


def test_a_host_listed_for_the_source_is_allowed_at_a_public_address_only():
    resolved = {"assets.example.org": ["93.184.216.34"], "inside.example.org": ["10.0.0.5"]}
    policy = LinkPolicy.of("https://www.example.org/page", ["assets.example.org", "*.example.org"],
                           resolver=lambda host: resolved.get(host, []))  # fmt: skip
    assert policy.refusal("https://assets.example.org/f.csv") is None
    assert policy.refusal("http://www.example.org:8080/f.csv") is None  # its own host
    assert "private address (10.0.0.5)" in policy.refusal("https://inside.example.org/f.csv")
    assert "on another host" in policy.refusal("https://example.com/f.csv")
    assert Source("s", "page", "https://a.org/", "", "b.org *.c.org").policy.hosts == (
        "b.org",
        "*.c.org",
    )


def test_the_client_alone_stays_on_the_host_it_was_asked_for(httpserver, tmp_path):
    _redirect(httpserver, "/a.csv", "http://127.0.0.1:9/b.csv")
    with pytest.raises(Refused, match="loopback address"):
        HttpClient(FAST).download(httpserver.url_for("/a.csv"), tmp_path / "a.csv")
    assert list(tmp_path.iterdir()) == []
