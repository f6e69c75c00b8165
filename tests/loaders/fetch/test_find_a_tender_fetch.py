"""The ``find-a-tender`` kind: short windows in London local time, pages by ``links.next``,
processes a window left incomplete fetched by ocid, and the API's rate limit respected."""

from __future__ import annotations

import csv
import datetime as dt

from werkzeug import Response

from loaders.fetch import Source
from loaders.fetch.client import HttpClient
from loaders.fetch.windows import Window, windows_between
from loaders.sources.find_a_tender.fetching import OVERLAP, WINDOW, search
from loaders.update import fetch
from tests.loaders.fetch.conftest import FAST

API = "/api/1.0/ocdsReleasePackages"


def _page(releases: list[tuple[str, str, list[str]]], next_url: str | None = None) -> dict:
    """A page: ``(ocid, date, tags)`` per release, newest first as the API gives them."""
    page = {"uri": API, "version": "1.1",
            "releases": [{"ocid": o, "id": f"{i}", "date": d, "tag": t}
                         for i, (o, d, t) in enumerate(releases)]}  # fmt: skip
    if next_url:
        page["links"] = {"next": next_url}
    return page


def _client(sleeps) -> HttpClient:
    """A client whose clock moves only by the pauses it asks for: the pacing is checked
    whatever the machine's load (a real clock counts the time a busy test took)."""
    return HttpClient(FAST, sleep=sleeps, clock=lambda: sum(sleeps))


def _first_pages(url: str, since: dt.datetime, now: dt.datetime) -> list[str]:
    """The first-page URLs of the windows from ``since`` to ``now`` (naive UTC)."""
    fts = search()
    return [fts.with_window(url, Window(w.start - OVERLAP, w.end))
            for w in windows_between(since, now, WINDOW)]  # fmt: skip


def test_windows_are_six_hours_in_london_time_with_an_hour_of_overlap():
    since, now = dt.datetime(2026, 7, 1, 0, 0), dt.datetime(2026, 7, 1, 12, 0)  # UTC, BST
    urls = _first_pages("https://fts/api?limit=100", since, now)
    assert urls == [
        "https://fts/api?limit=100&updatedFrom=2026-07-01T00:00:00&updatedTo=2026-07-01T07:00:00",
        "https://fts/api?limit=100&updatedFrom=2026-07-01T06:00:00&updatedTo=2026-07-01T13:00:00",
    ]
    winter = _first_pages("https://fts/api", dt.datetime(2026, 1, 5), dt.datetime(2026, 1, 5, 6))
    assert winter == [
        "https://fts/api?updatedFrom=2026-01-04T23:00:00&updatedTo=2026-01-05T06:00:00"
    ]
    # a window read back from its URL is the window written (UTC again)
    assert search().window_of(urls[1]) == (dt.datetime(2026, 7, 1, 5), dt.datetime(2026, 7, 1, 12))


def test_a_later_run_starts_where_the_last_window_completed(httpserver, tmp_path, sleeps):
    httpserver.expect_request(API).respond_with_json(_page([]))
    source = Source("fts", "find-a-tender", httpserver.url_for(API))
    fetch([source], tmp_path, client=_client(sleeps), since=dt.datetime(2026, 7, 1, 6),
          now=dt.datetime(2026, 7, 1, 12))  # fmt: skip
    fetch([source], tmp_path, client=_client(sleeps), now=dt.datetime(2026, 7, 1, 15))
    asked = [(r.args["updatedFrom"], r.args["updatedTo"]) for r, _ in httpserver.log]
    assert asked == [("2026-07-01T06:00:00", "2026-07-01T13:00:00"),
                     ("2026-07-01T12:00:00", "2026-07-01T16:00:00")]  # fmt: skip


def test_stages_is_refused_because_it_drops_every_procurement_act_notice(httpserver, tmp_path):
    source = Source("fts", "find-a-tender", httpserver.url_for(API) + "?stages=award")
    summary = fetch([source], tmp_path, settings=FAST, since=dt.datetime(2026, 7, 1))
    assert "2015-regulations notices only" in summary.refused[0].reason
    assert httpserver.log == []


def test_pages_and_the_processes_a_window_left_incomplete(httpserver, tmp_path, sleeps):
    page2 = httpserver.url_for(API) + "?cursor=dXBkYXRlZA=="
    httpserver.expect_request(API, query_string={"cursor": "dXBkYXRlZA=="}).respond_with_json(
        _page([("ocds-h6vhtk-000002", "2026-07-01T08:00:00+01:00", ["awardUpdate"])])
    )
    httpserver.expect_request(f"{API}/ocds-h6vhtk-000002").respond_with_json(
        _page([("ocds-h6vhtk-000002", "2026-06-01T08:00:00+01:00", ["award"]),
               ("ocds-h6vhtk-000002", "2026-07-01T08:00:00+01:00", ["awardUpdate"])])
    )  # fmt: skip
    httpserver.expect_request(API).respond_with_json(
        _page([("ocds-h6vhtk-000001", "2026-07-01T09:00:00+01:00", ["planning"])], page2)
    )
    source = Source("fts", "find-a-tender", httpserver.url_for(API) + "?limit=100")
    window = {"since": dt.datetime(2026, 7, 1, 6), "now": dt.datetime(2026, 7, 1, 12)}
    summary = fetch([source], tmp_path, client=_client(sleeps), **window)
    assert [f.file for f in summary.new] == [
        "fts/fts-20260701T060000-20260701T130000-p001.json",
        "fts/fts-20260701T060000-20260701T130000-p002.json",
        "fts/ocid-ocds-h6vhtk-000002-p001.json",
    ]
    asked = httpserver.log[0][0].args
    assert (asked["updatedFrom"], asked["updatedTo"]) == ("2026-07-01T06:00:00",
                                                          "2026-07-01T13:00:00")  # fmt: skip
    assert sleeps and min(sleeps) == 12.0  # 12 requests in 2 minutes at most
    with (tmp_path / "fts.ocids.csv").open(encoding="utf-8") as handle:
        assert {r["ocid"]: r["state"] for r in csv.DictReader(handle)} == {
            "ocds-h6vhtk-000001": "seen", "ocds-h6vhtk-000002": "seen"}  # fmt: skip
    before = len(httpserver.log)
    fetch([source], tmp_path, client=_client(sleeps), now=dt.datetime(2026, 7, 1, 14))
    asked = [r.path for r, _ in httpserver.log[before:]]
    assert f"{API}/ocds-h6vhtk-000002" not in asked  # seen: never fetched by ocid again


def test_a_rate_limit_without_retry_after_waits_two_minutes(httpserver, tmp_path, sleeps):
    limited = Response("Rate limit of 12 exceeded.", status=429, mimetype="text/plain")
    empty = Response('{"releases": []}', mimetype="application/json")
    answers = iter([limited])
    httpserver.expect_request(API).respond_with_handler(lambda r: next(answers, None) or empty)
    url = httpserver.url_for(API) + "?updatedFrom=2026-07-01T00:00:00&updatedTo=2026-07-01T06:00:00"
    summary = fetch([Source("fts", "find-a-tender", url)], tmp_path, client=_client(sleeps))
    assert len(summary.new) == 1 and 120.0 in sleeps
