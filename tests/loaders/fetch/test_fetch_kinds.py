"""Each kind of source against a local server serving the publishers' documented shapes."""

from __future__ import annotations

import datetime as dt
import json

from loaders.fetch import Source
from loaders.fetch.manifest import Manifest
from loaders.update import fetch
from tests.loaders.fetch.conftest import FAST

CSV = b"Framework,Lot\nG-Cloud,1\n"
XLSX = b"PK\x03\x04 a workbook, as far as the first bytes go"


def _attachment(url: str, filename: str, content_type: str = "text/csv") -> dict:
    """A file attachment as the GOV.UK content schemas define it (file_attachment_asset)."""
    return {"attachment_type": "file", "id": filename, "url": url, "filename": filename,
            "content_type": content_type, "title": filename}  # fmt: skip


def test_govuk_collection_documents_attachments(httpserver, tmp_path):
    base = httpserver.url_for("")
    httpserver.expect_request("/api/content/government/collections/spend").respond_with_json(
        {
            "base_path": "/government/collections/spend",
            "document_type": "document_collection",
            "details": {"collection_groups": []},
            "links": {
                "documents": [
                    {
                        "api_path": "/api/content/government/publications/spend-2017",
                        "base_path": "/government/publications/spend-2017",
                        "content_id": "1",
                        "locale": "en",
                        "title": "2017",
                    },
                    {
                        "base_path": "/government/publications/spend-2018",
                        "content_id": "2",
                        "locale": "en",
                        "title": "2018",
                    },
                ]  # fmt: skip
            },
        }
    )
    httpserver.expect_request("/api/content/government/publications/spend-2017").respond_with_json(
        {
            "details": {
                "attachments": [
                    _attachment(
                        f"{base}/files/G-Cloud-spend-Dec2017.csv", "G-Cloud-spend-Dec2017.csv"
                    ),
                    _attachment(f"{base}/files/notes.pdf", "notes.pdf", "application/pdf"),
                    {
                        "attachment_type": "html",
                        "id": "h",
                        "url": f"{base}/guidance",
                        "title": "Guide",
                    },
                ]
            }
        }  # fmt: skip
    )
    httpserver.expect_request("/api/content/government/publications/spend-2018").respond_with_json(
        {"details": {"attachments": [_attachment("/files/DOS-spend-2018.xlsx", "DOS-2018.xlsx")]}}
    )
    httpserver.expect_request("/files/G-Cloud-spend-Dec2017.csv").respond_with_data(CSV)
    httpserver.expect_request("/files/DOS-spend-2018.xlsx").respond_with_data(XLSX)
    source = Source("gov-uk", "govuk", httpserver.url_for("/government/collections/spend"))
    summary = fetch([source], tmp_path, settings=FAST)
    assert sorted(f.file for f in summary.new) == [
        "gov-uk/DOS-2018.xlsx",
        "gov-uk/G-Cloud-spend-Dec2017.csv",
    ]
    assert summary.refused == []
    assert (tmp_path / "gov-uk" / "G-Cloud-spend-Dec2017.csv").read_bytes() == CSV
    entry = Manifest.read(tmp_path).entries[f"{base}/files/G-Cloud-spend-Dec2017.csv"]
    assert (entry.source, entry.bytes) == ("gov-uk", len(CSV))


def test_page_links_matching_the_pattern(httpserver, tmp_path):
    httpserver.expect_request("/sales").respond_with_data(
        '<html><body><a href="files/G-Cloud-spend-2014-07.csv">July</a>'
        '<a href="/files/report.pdf">PDF</a><a href="/files/DOS%20spend.csv#top">DOS</a>'
        '<a href="mailto:x@example.org">mail</a></body></html>',
        content_type="text/html",
    )
    httpserver.expect_request("/files/G-Cloud-spend-2014-07.csv").respond_with_data(CSV)
    source = Source("sales", "page", httpserver.url_for("/sales"), r"(?i)g-cloud.*\.csv$")
    summary = fetch([source], tmp_path, settings=FAST)
    assert [f.file for f in summary.new] == ["sales/G-Cloud-spend-2014-07.csv"]
    assert summary.refused == []


def test_ckan_package_show_resources(httpserver, tmp_path):
    base = httpserver.url_for("")
    httpserver.expect_request(
        "/api/3/action/package_show", query_string="id=g-cloud-spend"
    ).respond_with_json(
        {
            "success": True,
            "result": {
                "name": "g-cloud-spend",
                "resources": [
                    {"url": f"{base}/r/G-Cloud-spend.csv", "name": "Spend", "format": "CSV"},
                    {"url": f"{base}/r/download?id=7", "name": "DOS spend", "format": "XLSX"},
                    {"url": f"{base}/r/about.html", "name": "About", "format": "HTML"},
                ],
            },
        }  # fmt: skip
    )
    httpserver.expect_request("/r/G-Cloud-spend.csv").respond_with_data(CSV)
    httpserver.expect_request("/r/download").respond_with_data(XLSX)
    source = Source("dgu", "ckan", httpserver.url_for("/dataset/g-cloud-spend"))
    summary = fetch([source], tmp_path, settings=FAST)
    assert sorted(f.file for f in summary.new) == ["dgu/G-Cloud-spend.csv", "dgu/download.xlsx"]


def _package(releases: list[str], next_url: str | None) -> dict:
    """A release package page as Contracts Finder's OCDS search returns it."""
    package = {"uri": "search", "version": "1.1", "releases": [{"ocid": o} for o in releases]}
    if next_url:
        package["links"] = {"next": next_url}
    return package


def test_contracts_finder_follows_links_next_to_the_last_page(httpserver, tmp_path):
    search = "/Published/Notices/OCDS/Search"
    window = {"publishedFrom": "2025-01-01T00:00:00", "publishedTo": "2025-01-02T00:00:00"}
    page2 = httpserver.url_for(search) + "?cursor=QUJD"
    httpserver.expect_request(search, query_string={**window, "stages": "award"}).respond_with_json(
        _package(["ocds-1", "ocds-2"], page2)
    )
    httpserver.expect_request(search, query_string={"cursor": "QUJD"}).respond_with_json(
        _package(["ocds-3"], None)
    )
    url = httpserver.url_for(search) + (
        "?publishedFrom=2025-01-01T00:00:00&publishedTo=2025-01-02T00:00:00&stages=award"
    )
    summary = fetch([Source("cf", "contracts-finder", url)], tmp_path, settings=FAST)
    assert [f.file for f in summary.new] == [
        "cf/ocds-20250101T000000-20250102T000000-p001.json",
        "cf/ocds-20250101T000000-20250102T000000-p002.json",
    ]
    last = json.loads((tmp_path / summary.new[1].file).read_text())
    assert [r["ocid"] for r in last["releases"]] == ["ocds-3"]


def test_contracts_finder_windows_run_from_since_then_from_the_last_fetch(httpserver, tmp_path):
    search = "/Published/Notices/OCDS/Search"
    httpserver.expect_request(search).respond_with_json(_package([], None))
    source = Source("cf", "contracts-finder", httpserver.url_for(search) + "?limit=100")
    since, now = dt.datetime(2025, 1, 1), dt.datetime(2025, 1, 2, 12, 0)
    fetch([source], tmp_path, settings=FAST, since=since, now=now)
    fetch([source], tmp_path, settings=FAST, now=dt.datetime(2025, 1, 3))
    asked = [(r.args["publishedFrom"], r.args["publishedTo"]) for r, _ in httpserver.log]
    assert asked == [
        ("2025-01-01T00:00:00", "2025-01-02T00:00:00"),
        ("2025-01-02T00:00:00", "2025-01-02T12:00:00"),
        ("2025-01-02T12:00:00", "2025-01-03T00:00:00"),
    ]
    assert all(r.args["limit"] == "100" for r, _ in httpserver.log)


def test_contracts_finder_without_a_previous_fetch_asks_for_since(httpserver, tmp_path):
    source = Source("cf", "contracts-finder", httpserver.url_for("/search"))
    summary = fetch([source], tmp_path, settings=FAST)
    assert "give --since DATE" in summary.refused[0].reason
    assert summary.exit_code == 2


def test_contracts_finder_incomplete_window_is_forgotten(httpserver, tmp_path):
    search = "/Published/Notices/OCDS/Search"
    httpserver.expect_request(search, query_string={"cursor": "Mg=="}).respond_with_data(
        "<html>Service unavailable</html>"
    )
    httpserver.expect_request(search).respond_with_json(
        _package(["ocds-1"], httpserver.url_for(search) + "?cursor=Mg==")
    )
    source = Source("cf", "contracts-finder", httpserver.url_for(search))
    summary = fetch(
        [source], tmp_path, settings=FAST, since=dt.datetime(2025, 1, 1),
        now=dt.datetime(2025, 1, 3),
    )  # fmt: skip
    assert summary.new == [] and "where JSON was promised" in summary.refused[0].reason
    assert Manifest.read(tmp_path).entries == {}
    assert not list((tmp_path / "cf").glob("*.json"))
    assert len(httpserver.log) == 2  # the second window waits for the next run
