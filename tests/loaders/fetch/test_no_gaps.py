"""No gaps in a windowed search (issue 23, item 8): a window counts once complete, one that
fails part-way (or whose run is killed) is fetched again from its start, one of more pages than
the limit is split, never discarded, and one that cannot be split is refused (exit 2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import urlencode

import pytest

from loaders.fetch import Source
from loaders.fetch.session import FetchSession
from loaders.fetch.windows import Ledger, Window
from loaders.update import fetch
from tests.loaders.fetch.conftest import FAST

SEARCH = "/Published/Notices/OCDS/Search"
SINCE, NOW = dt.datetime(2025, 1, 1), dt.datetime(2025, 1, 3)


def _chain(httpserver, pages_for, fail_once: str | None = None):
    """Answer the search with ``pages_for(window length)`` pages chained by links.next (the
    first request for page ``fail_once`` answered 404)."""
    failed: list[str] = []

    def handler(request):
        from werkzeug import Response

        args = dict(request.args)
        if fail_once is not None and args.get("cursor") == fail_once and not failed:
            failed.append(fail_once)
            return Response("gone", status=404)
        start = dt.datetime.fromisoformat(args["publishedFrom"])
        end = dt.datetime.fromisoformat(args["publishedTo"])
        page, total = int(args.get("cursor", "1")), pages_for(end - start)
        package = {"releases": [{"ocid": f"ocds-{start:%d%H%M%S}-{page}"}]}
        if page < total:
            package["links"] = {"next": httpserver.url_for(SEARCH) + "?" + urlencode(
                {**args, "cursor": page + 1})}  # fmt: skip
        import json

        return Response(json.dumps(package), content_type="application/json")

    httpserver.expect_request(SEARCH).respond_with_handler(handler)


def _asked(httpserver) -> list[tuple[str, str]]:
    return [(r.args["publishedFrom"], r.args.get("cursor", "1")) for r, _ in httpserver.log]


@pytest.fixture
def source(httpserver) -> Source:
    return Source("cf", "contracts-finder", httpserver.url_for(SEARCH) + "?limit=100")


def test_a_run_killed_mid_window_fetches_that_window_again_from_its_start(
    httpserver, source, tmp_path, monkeypatch
):
    _chain(httpserver, lambda length: 2)
    real, calls = FetchSession.save, []

    def killed_at_the_fourth_page(self, *args):
        calls.append(args)
        if len(calls) == 4:  # window 2, page 2
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(FetchSession, "save", killed_at_the_fourth_page)
    with pytest.raises(KeyboardInterrupt):
        fetch([source], tmp_path, settings=FAST, since=SINCE, now=NOW)
    monkeypatch.undo()
    assert Ledger(tmp_path).done_until("cf") == dt.datetime(2025, 1, 2)
    httpserver.clear_log()
    summary = fetch([source], tmp_path, settings=FAST, now=NOW)
    assert _asked(httpserver) == [("2025-01-02T00:00:00", "1"), ("2025-01-02T00:00:00", "2")]
    assert summary.refused == [] and Ledger(tmp_path).done_until("cf") == NOW


def test_a_window_refused_part_way_is_retried_from_its_start(httpserver, source, tmp_path):
    _chain(httpserver, lambda length: 2, fail_once="2")
    first = fetch([source], tmp_path, settings=FAST, since=SINCE, now=NOW)
    assert first.exit_code == 2 and "HTTP 404" in first.refused[0].reason
    assert Ledger(tmp_path).done_until("cf") == SINCE  # where it started, nothing more
    httpserver.clear_log()
    second = fetch([source], tmp_path, settings=FAST, now=NOW)  # no --since needed
    assert _asked(httpserver)[:2] == [("2025-01-01T00:00:00", "1"), ("2025-01-01T00:00:00", "2")]
    assert second.refused == [] and Ledger(tmp_path).done_until("cf") == NOW


def test_a_window_over_the_page_limit_is_split_into_halves(httpserver, source, tmp_path):
    _chain(httpserver, lambda length: 3 if length > dt.timedelta(hours=12) else 1)
    settings = replace(FAST, max_pages=2)
    summary = fetch([source], tmp_path, settings=settings, since=SINCE,
                    now=dt.datetime(2025, 1, 2))  # fmt: skip
    assert summary.refused == [] and summary.exit_code == 0
    assert sorted(f.file for f in summary.new) == [
        "cf/ocds-20250101T000000-20250101T120000-p001.json",
        "cf/ocds-20250101T120000-20250102T000000-p001.json",
    ]
    rows = Ledger(tmp_path).rows
    assert [(r["start"], r["end"]) for r in rows if r["pages"] != "0"] == [
        ("2025-01-01T00:00:00", "2025-01-01T12:00:00"),
        ("2025-01-01T12:00:00", "2025-01-02T00:00:00"),
    ]


def test_a_window_that_cannot_be_split_further_is_refused(httpserver, source, tmp_path):
    _chain(httpserver, lambda length: 3)
    settings = replace(FAST, max_pages=2)
    summary = fetch([source], tmp_path, settings=settings, since=SINCE,
                    now=dt.datetime(2025, 1, 1, 0, 0, 4))  # fmt: skip
    (refused,) = summary.refused
    assert "more than 2 pages in the window 2025-01-01T00:00:00 to 2025-01-01T00:00:01" in (
        refused.reason
    )
    assert summary.exit_code == 2 and summary.new == []
    assert Ledger(tmp_path).done_until("cf") == SINCE  # nothing of it counts as fetched


def test_windows_are_halved_at_a_whole_second():
    window = Window(dt.datetime(2025, 1, 1), dt.datetime(2025, 1, 1, 0, 0, 3))
    first, second = window.halves(dt.timedelta(seconds=1))
    assert (first.end, second.start) == (dt.datetime(2025, 1, 1, 0, 0, 1),) * 2
    assert Window(SINCE, SINCE + dt.timedelta(seconds=1)).halves(dt.timedelta(seconds=1)) is None
