"""A fetch run: manifest, conditional re-fetch, refused links named, the rest carries on."""

from __future__ import annotations

import pytest

from loaders.cli import main
from loaders.fetch import Source
from loaders.fetch.manifest import Manifest
from loaders.update import fetch
from tests.loaders.fetch.conftest import FAST

CSV = b"Framework,Lot\nG-Cloud,1\n"
PAGE = '<html><a href="/f/G-Cloud-2014-07.csv">a</a><a href="/f/DOS-2014-07.xlsx">b</a></html>'


@pytest.fixture
def page(httpserver) -> Source:
    httpserver.expect_request("/sales").respond_with_data(PAGE, content_type="text/html")
    return Source("sales", "page", httpserver.url_for("/sales"))


def test_refetch_sends_the_manifest_validators_and_304_is_unchanged(httpserver, page, tmp_path):
    httpserver.expect_request("/f/DOS-2014-07.xlsx").respond_with_data("gone", status=404)
    httpserver.expect_request(
        "/f/G-Cloud-2014-07.csv", headers={"If-None-Match": '"v1"'}
    ).respond_with_data("", status=304)
    httpserver.expect_request("/f/G-Cloud-2014-07.csv").respond_with_data(
        CSV, headers={"ETag": '"v1"', "Last-Modified": "Wed, 03 Jul 2024 08:00:00 GMT"}
    )
    first = fetch([page], tmp_path, settings=FAST)
    assert [f.file for f in first.new] == ["sales/G-Cloud-2014-07.csv"]
    entry = Manifest.read(tmp_path).entries[httpserver.url_for("/f/G-Cloud-2014-07.csv")]
    assert (entry.etag, entry.last_modified) == ('"v1"', "Wed, 03 Jul 2024 08:00:00 GMT")
    second = fetch([page], tmp_path, settings=FAST)
    assert second.new == [] and [f.file for f in second.unchanged] == [entry.file]
    request = [r for r, _ in httpserver.log if r.path.endswith(".csv")][-1]
    assert request.headers["If-None-Match"] == '"v1"'
    assert request.headers["If-Modified-Since"] == "Wed, 03 Jul 2024 08:00:00 GMT"


def test_same_bytes_without_validators_are_unchanged_and_new_bytes_changed(
    httpserver, page, tmp_path
):
    httpserver.expect_request("/f/DOS-2014-07.xlsx").respond_with_data("gone", status=404)
    httpserver.expect_oneshot_request("/f/G-Cloud-2014-07.csv").respond_with_data(CSV)
    httpserver.expect_oneshot_request("/f/G-Cloud-2014-07.csv").respond_with_data(CSV)
    httpserver.expect_oneshot_request("/f/G-Cloud-2014-07.csv").respond_with_data(CSV + b"DOS,2\n")
    assert len(fetch([page], tmp_path, settings=FAST).new) == 1
    assert len(fetch([page], tmp_path, settings=FAST).unchanged) == 1
    third = fetch([page], tmp_path, settings=FAST)
    assert [f.file for f in third.changed] == ["sales/G-Cloud-2014-07.csv"]
    assert (tmp_path / "sales" / "G-Cloud-2014-07.csv").read_bytes().endswith(b"DOS,2\n")


def test_html_error_page_is_refused_by_name_and_the_rest_is_fetched(
    httpserver, page, tmp_path, capsys
):
    httpserver.expect_request("/f/G-Cloud-2014-07.csv").respond_with_data(CSV)
    httpserver.expect_request("/f/DOS-2014-07.xlsx").respond_with_data(
        "<!DOCTYPE html><title>Sign in</title>", content_type="text/html; charset=utf-8"
    )
    sources = tmp_path / "sources.csv"
    sources.write_text(f"name,kind,url,pattern\nsales,page,{page.url},\n")
    into = tmp_path / "releases"
    code = main(["fetch", "--sources", str(sources), "--into", str(into), "--delay", "0"])
    out = capsys.readouterr().out
    assert code == 2
    assert "Fetched 1 new, 0 changed and 0 unchanged file(s); 1 link(s) refused." in out
    assert f"refused: {httpserver.url_for('/f/DOS-2014-07.xlsx')} (sales): an HTML page" in out
    assert "where a workbook was promised" in out
    assert sorted(p.name for p in (into / "sales").iterdir()) == ["G-Cloud-2014-07.csv"]


def test_quiet_fetch_prints_nothing_when_nothing_changed(httpserver, tmp_path, capsys):
    httpserver.expect_request("/sales").respond_with_data(
        '<a href="/f/G-Cloud-2014-07.csv">a</a>', content_type="text/html"
    )
    httpserver.expect_request("/f/G-Cloud-2014-07.csv").respond_with_data(CSV)
    sources = tmp_path / "sources.csv"
    sources.write_text(f"name,kind,url,pattern\nsales,page,{httpserver.url_for('/sales')},\n")
    args = ["fetch", "--sources", str(sources), "--into", str(tmp_path / "r"), "--delay", "0"]
    assert main([*args, "--quiet"]) == 0
    assert "1 new" in capsys.readouterr().out
    assert main([*args, "--quiet"]) == 0
    assert capsys.readouterr().out == ""


def test_a_source_whose_page_fails_is_refused_and_others_go_on(httpserver, tmp_path):
    httpserver.expect_request("/api/content/missing").respond_with_data("nope", status=404)
    httpserver.expect_request("/other").respond_with_data(
        '<a href="/f/G-Cloud-2014-07.csv">a</a>', content_type="text/html"
    )
    httpserver.expect_request("/f/G-Cloud-2014-07.csv").respond_with_data(CSV)
    summary = fetch(
        [Source("gone", "govuk", httpserver.url_for("/missing")),
         Source("other", "page", httpserver.url_for("/other"))],
        tmp_path, settings=FAST,
    )  # fmt: skip
    assert [(r.source, r.reason) for r in summary.refused] == [("gone", "HTTP 404 NOT FOUND")]
    assert [f.file for f in summary.new] == ["other/G-Cloud-2014-07.csv"]
