"""Hostile answers at fetch (issue 23, items 4-5): JSON nested past the limit refused as that
link (no RecursionError), file names and URLs that are not text (NaN among them) refused
alone, and the summary one line per link whatever a server sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from loaders.fetch import Source
from loaders.fetch.client import HttpClient, Refused
from loaders.fetch.manifest import Manifest
from loaders.fetch.summary import FetchSummary, RefusedLink
from loaders.update import fetch
from tests.loaders.fetch.conftest import FAST as SMALL

FAST = replace(SMALL, max_bytes=1_000_000)  # room for a document 100,000 levels deep

CSV = b"Framework,Lot\nG-Cloud,1\n"
DEEP = "[" * 100_000 + "]" * 100_000


def test_a_content_api_answer_nested_too_deep_is_refused_and_the_run_goes_on(httpserver, tmp_path):
    httpserver.expect_request("/api/content/deep").respond_with_data(
        '{"details": ' + DEEP + "}", content_type="application/json"
    )
    httpserver.expect_request("/sales").respond_with_data(
        '<a href="/f/G-Cloud-2014-07.csv">x</a>', content_type="text/html"
    )
    httpserver.expect_request("/f/G-Cloud-2014-07.csv").respond_with_data(CSV)
    sources = [Source("gov", "govuk", httpserver.url_for("/deep")),
               Source("sales", "page", httpserver.url_for("/sales"))]  # fmt: skip
    summary = fetch(sources, tmp_path, settings=FAST)
    assert [r.reason for r in summary.refused] == ["JSON nested deeper than 64 levels"]
    assert [f.file for f in summary.new] == ["sales/G-Cloud-2014-07.csv"]


def test_get_json_refuses_deep_json_with_one_line(httpserver):
    httpserver.expect_request("/api").respond_with_data(DEEP, content_type="application/json")
    with pytest.raises(Refused, match="^JSON nested deeper than 64 levels$"):
        HttpClient(FAST).get_json(httpserver.url_for("/api"))


def test_a_contracts_finder_page_nested_too_deep_is_refused_and_forgotten(httpserver, tmp_path):
    search = "/Published/Notices/OCDS/Search"
    httpserver.expect_request(search).respond_with_data(
        '{"releases": [], "links": ' + DEEP + "}", content_type="application/json"
    )
    source = Source("cf", "contracts-finder", httpserver.url_for(search))
    summary = fetch([source], tmp_path, settings=FAST, since=dt.datetime(2025, 1, 1),
                    now=dt.datetime(2025, 1, 2))  # fmt: skip
    assert summary.refused[0].reason == "JSON nested deeper than 64 levels"
    assert Manifest.read(tmp_path).entries == {} and not list((tmp_path / "cf").glob("*.json"))


BAD_ATTACHMENTS = {
    "NaN file name": ('{"attachment_type": "file", "url": "/f/a.csv", "filename": NaN}',
                      "filename is not text"),
    "number file name": ('{"attachment_type": "file", "url": "/f/b.csv", "filename": 7}',
                         "filename is not text"),
    "list url": ('{"attachment_type": "file", "url": ["/f/c.csv"]}', "url is not text"),
    "Infinity url": ('{"attachment_type": "file", "url": Infinity}', "url is not text"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_ATTACHMENTS))
def test_an_attachment_whose_name_or_url_is_not_text_is_refused_alone(httpserver, tmp_path, case):
    bad, reason = BAD_ATTACHMENTS[case]
    good = '{"attachment_type": "file", "url": "/f/G-Cloud-3.csv", "filename": "G-Cloud-3.csv"}'
    httpserver.expect_request("/api/content/pub").respond_with_data(
        f'{{"details": {{"attachments": [{bad}, "not an object", {good}]}}}}',
        content_type="application/json",
    )
    httpserver.expect_request("/f/G-Cloud-3.csv").respond_with_data(CSV)
    summary = fetch([Source("gov", "govuk", httpserver.url_for("/pub"))], tmp_path, settings=FAST)
    assert [f.file for f in summary.new] == ["gov/G-Cloud-3.csv"]
    (refused,) = summary.refused
    assert reason in refused.reason


def test_a_ckan_resource_whose_url_is_not_text_is_refused_alone(httpserver, tmp_path):
    httpserver.expect_request("/api/3/action/package_show").respond_with_data(
        '{"success": true, "result": {"resources": [{"url": NaN}, '
        '{"url": "/f/G-Cloud-1.csv", "format": "CSV"}]}}',
        content_type="application/json",
    )
    httpserver.expect_request("/f/G-Cloud-1.csv").respond_with_data(CSV)
    source = Source("data", "ckan", httpserver.url_for("/dataset/spend"))
    summary = fetch([source], tmp_path, settings=FAST)
    assert [f.file for f in summary.new] == ["data/G-Cloud-1.csv"]
    assert "url is not text" in summary.refused[0].reason


def test_the_summary_is_one_line_per_link_whatever_a_server_sent():
    summary = FetchSummary(refused=[RefusedLink("s", "http://a/x\nrefused: forged",
                                                "HTTP 500 Bad\r\x1b[2K")])  # fmt: skip
    lines = summary.describe().splitlines()
    assert len(lines) == 2 and "x\\nrefused: forged" in lines[1] and "\\r\\x1b[2K" in lines[1]
