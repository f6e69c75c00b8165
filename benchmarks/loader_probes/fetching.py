"""Fetch probes against a local imitation of the publishers gone bad (pytest-httpserver on
127.0.0.1): redirects elsewhere, long Retry-After, dripping bodies and headers, windows that
fail or overflow, a served manifest, a 304 out of nowhere, a republished file, hostile JSON."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

from pytest_httpserver import HTTPServer
from werkzeug import Response

import loaders
from benchmarks.loader_probes import probe
from benchmarks.loader_probes.storing import ACME, BIG, release
from loaders.fetch import FetchSettings, Source
from loaders.fetch.client import HttpClient, Refused
from loaders.fetch.manifest import Manifest
from loaders.fetch.session import FetchSession
from loaders.fetch.summary import FetchSummary
from loaders.fetch.windows import Ledger
from loaders.update import fetch
from loaders.update.update import ingest_paths

QUICK = FetchSettings(timeout=5, retries=2, backoff=0.1, delay=0.0, max_bytes=2_000_000)
SEARCH = "/Published/Notices/OCDS/Search"
PAGE = '<a href="/f/G-Cloud-2014-07.csv">a</a><a href="/f/G-Cloud-2014-08.csv">b</a>'
CSV = b"Framework,Lot\nG-Cloud,1\n"


@contextmanager
def server():
    """A local publisher, stopped at the end."""
    httpd = HTTPServer(host="127.0.0.1", threaded=True)
    httpd.start()
    try:
        yield httpd
    finally:
        httpd.clear()
        httpd.stop()


def _said(summary: FetchSummary) -> str:
    reasons = "; ".join(r.reason[:80] for r in summary.refused)
    return (f"{len(summary.new)} new, {len(summary.refused)} refused "
            f"(exit {summary.exit_code}): {reasons}")  # fmt: skip


def _redirect(target: str) -> Callable[[Path], tuple[str, bool]]:
    def run(folder: Path) -> tuple[str, bool]:
        with server() as httpd:
            httpd.expect_request("/sales").respond_with_data(PAGE, content_type="text/html")
            location = target.replace("SELF", httpd.url_for("/f/G-Cloud-2014-07.csv"))
            httpd.expect_request("/f/G-Cloud-2014-07.csv").respond_with_data(
                "", status=302, headers={"Location": location})  # fmt: skip
            httpd.expect_request("/f/G-Cloud-2014-08.csv").respond_with_data(CSV)
            summary = fetch([Source("sales", "page", httpd.url_for("/sales"))], folder,
                            settings=QUICK)  # fmt: skip
        ok = len(summary.new) == 1 and len(summary.refused) == 1 and summary.exit_code == 2
        return _said(summary), ok

    return run


for _label, _target in (("file:///etc/passwd", "file:///etc/passwd"),
                        ("169.254.169.254", "http://169.254.169.254/latest/meta-data/"),
                        ("loopback by another name", "http://localhost:9/x.csv"),
                        ("a private address", "http://10.1.2.3/x.csv"),
                        ("another host", "https://example.invalid/x.csv"),
                        ("itself (a loop)", "SELF")):  # fmt: skip
    probe(f"redirect to {_label}", "only where it was sent",
          "that link refused, the other fetched, exit 2")(_redirect(_target))  # fmt: skip


@probe("Retry-After: 3600", "bounded waits", "refused at once for this run")
def _retry_after(folder: Path) -> tuple[str, bool]:
    slept: list[float] = []
    with server() as httpd:
        httpd.expect_request("/a.csv").respond_with_data(
            "busy", status=503, headers={"Retry-After": "3600"}
        )
        start = time.perf_counter()
        try:
            HttpClient(QUICK, sleep=slept.append).download(
                httpd.url_for("/a.csv"), folder / "a.csv"
            )
            return "downloaded", False
        except Refused as exc:
            seconds = time.perf_counter() - start
            return f"refused in {seconds:.2f} s, slept {sum(slept):.0f} s: {exc.reason}", not slept


@probe("body of 100 bytes at one byte every 2 s", "bounded waits",
       "refused at the time limit (6 s here), nothing saved")  # fmt: skip
def _drip(folder: Path) -> tuple[str, bool]:
    def drip():
        for _ in range(100):
            time.sleep(2)
            yield b"a"

    with server() as httpd:
        httpd.expect_request("/slow.csv").respond_with_handler(
            lambda request: Response(drip(), headers={"Content-Length": "100"}))  # fmt: skip
        client = HttpClient(replace(QUICK, max_seconds=6), sleep=lambda s: None)
        start = time.perf_counter()
        try:
            client.download(httpd.url_for("/slow.csv"), folder / "slow.csv")
            return "accepted", False
        except Refused as exc:
            seconds, reason = time.perf_counter() - start, exc.reason
        saved = list(folder.iterdir())
    return f"refused after {seconds:.1f} s: {reason}; {len(saved)} file(s)", seconds < 10


@contextmanager
def header_drip(interval: float):
    """A server on 127.0.0.1 that sends its status line, then one header byte every
    ``interval`` seconds, forever; yields a URL on it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while not stop.is_set():
            try:
                connection.sendall(b"a")
            except OSError:
                break
            time.sleep(interval)
        connection.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/slow.csv"
    finally:
        stop.set()
        listener.close()


@probe("headers at one byte every 0.5 s", "bounded waits", "refused at the time limit (3 s)")
def _header_drip(folder: Path) -> tuple[str, bool]:
    client = HttpClient(replace(QUICK, max_seconds=3), sleep=lambda s: None)
    start = time.perf_counter()
    with header_drip(0.5) as url:
        try:
            client.download(url, folder / "slow.csv")
            return "accepted", False
        except Refused as exc:
            seconds = time.perf_counter() - start
            return f"refused after {seconds:.1f} s: {exc.reason}", seconds < 6


def _chain(httpd: HTTPServer, pages_for: Callable[[dt.timedelta], int]) -> None:
    def handler(request):
        args = dict(request.args)
        start = dt.datetime.fromisoformat(args["publishedFrom"])
        length = dt.datetime.fromisoformat(args["publishedTo"]) - start
        page = int(args.get("cursor", "1"))
        package: dict = {"releases": [{"ocid": f"ocds-{start:%d%H%M%S}-{page}"}]}
        if page < pages_for(length):
            package["links"] = {"next": httpd.url_for(SEARCH) + "?" + urlencode(
                {**args, "cursor": page + 1})}  # fmt: skip
        return Response(json.dumps(package), content_type="application/json")

    httpd.expect_request(SEARCH).respond_with_handler(handler)


@probe("run killed in the middle of a Contracts Finder window", "no gaps",
       "the next run fetches that window again from its first page")  # fmt: skip
def _killed_window(folder: Path) -> tuple[str, bool]:
    since, now = dt.datetime(2025, 1, 1), dt.datetime(2025, 1, 3)
    real, calls = FetchSession.save, []

    def killed(self, *args):
        calls.append(args)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(self, *args)

    with server() as httpd:
        _chain(httpd, lambda length: 2)
        source = Source("cf", "contracts-finder", httpd.url_for(SEARCH))
        FetchSession.save = killed
        try:
            fetch([source], folder, settings=QUICK, since=since, now=now)
        except KeyboardInterrupt:
            pass
        finally:
            FetchSession.save = real
        httpd.clear_log()
        fetch([source], folder, settings=QUICK, now=now)
        asked = [(r.args["publishedFrom"][:10], r.args.get("cursor", "1")) for r, _ in httpd.log]
    return f"next run asked {asked}", asked[:1] == [("2025-01-02", "1")]


@probe("window of 3 pages, limit 2", "no gaps", "split in halves, all fetched, exit 0")
def _overfull(folder: Path) -> tuple[str, bool]:
    with server() as httpd:
        _chain(httpd, lambda length: 3 if length > dt.timedelta(hours=12) else 1)
        summary = fetch([Source("cf", "contracts-finder", httpd.url_for(SEARCH))], folder,
                        settings=replace(QUICK, max_pages=2), since=dt.datetime(2025, 1, 1),
                        now=dt.datetime(2025, 1, 2))  # fmt: skip
    windows = [r for r in Ledger(folder).rows if r["pages"] != "0"]
    return f"{_said(summary)}; {len(windows)} windows recorded", (
        summary.exit_code == 0 and len(windows) == 2
    )


@probe("window always over the page limit", "no gaps", "refused, exit 2, never discarded silently")
def _unsplittable(folder: Path) -> tuple[str, bool]:
    with server() as httpd:
        _chain(httpd, lambda length: 3)
        summary = fetch([Source("cf", "contracts-finder", httpd.url_for(SEARCH))], folder,
                        settings=replace(QUICK, max_pages=2), since=dt.datetime(2025, 1, 1),
                        now=dt.datetime(2025, 1, 1, 0, 0, 4))  # fmt: skip
    return _said(summary), summary.exit_code == 2 and "cannot be split" in str(summary.refused)


@probe("served releases.csv calling July 'version 2' of August", "nothing served steers the load",
       "ignored: £250 kept, not £100")  # fmt: skip
def _served_manifest(folder: Path) -> tuple[str, bool]:
    served = b"file,release,version\nG-Cloud-Spend-2014-07.csv,2014-08,2\n" \
             b"G-Cloud-Spend-2014-08.csv,2014-08,1\n"  # fmt: skip
    files = {"G-Cloud-Spend-2014-07.csv": release(folder / "src", "a.csv", ACME).read_bytes(),
             "G-Cloud-Spend-2014-08.csv": release(folder / "src", "b.csv", BIG).read_bytes(),
             "releases.csv": served}  # fmt: skip
    links = "".join(f'<a href="/f/{name}">x</a>' for name in files)
    with server() as httpd:
        httpd.expect_request("/sales").respond_with_data(links, content_type="text/html")
        for name, body in files.items():
            httpd.expect_request(f"/f/{name}").respond_with_data(body)
        fetch([Source("sales", "page", httpd.url_for("/sales"), r".*\.csv$")], folder / "dl",
              settings=QUICK)  # fmt: skip
    result = loaders.load(ingest_paths(folder / "dl"))
    spent = float(result.spend["spend_gbp"].sum())
    return f"£{spent:,.2f}; ignored: {len(result.report['manifests_ignored'])}", spent == 250.0


@probe("304 Not Modified to a request without validators", "nothing served steers the load",
       "that link refused, not 'unchanged'")  # fmt: skip
def _bare_304(folder: Path) -> tuple[str, bool]:
    with server() as httpd:
        httpd.expect_request("/sales").respond_with_data(PAGE, content_type="text/html")
        httpd.expect_request("/f/G-Cloud-2014-07.csv").respond_with_data("", status=304)
        httpd.expect_request("/f/G-Cloud-2014-08.csv").respond_with_data(CSV)
        summary = fetch([Source("sales", "page", httpd.url_for("/sales"))], folder,
                        settings=QUICK)  # fmt: skip
    return _said(summary), summary.unchanged == [] and summary.exit_code == 2


@probe("file republished with other content at the same URL", "nothing lost when republished",
       "earlier version kept by hash and in the manifest; latest ingested")  # fmt: skip
def _republished(folder: Path) -> tuple[str, bool]:
    first = release(folder / "src", "a.csv", ACME).read_bytes()
    second = release(folder / "src", "b.csv", ACME, BIG).read_bytes()
    with server() as httpd:
        for body in (first, second):
            httpd.clear()
            link = '<a href="/f/G-Cloud-Spend-2014-07.csv">a</a>'
            httpd.expect_request("/sales").respond_with_data(link, content_type="text/html")
            httpd.expect_request("/f/G-Cloud-Spend-2014-07.csv").respond_with_data(body)
            fetch([Source("sales", "page", httpd.url_for("/sales"))], folder / "dl",
                  settings=QUICK)  # fmt: skip
    earlier = Manifest.read(folder / "dl").earlier
    kept = [(folder / "dl" / e.file).read_bytes() == first for e in earlier]
    paths = ingest_paths(folder / "dl")
    return (f"{len(earlier)} earlier version(s) kept ({earlier[0].file if earlier else '-'}); "
            f"update ingests {len(paths)} file(s)"), kept == [True] and len(paths) == 1  # fmt: skip


@probe("Content API answer 100,000 levels deep", "deep or huge JSON",
       "that link refused (no RecursionError), the run goes on")  # fmt: skip
def _deep_answer(folder: Path) -> tuple[str, bool]:
    deep = "[" * 100_000 + "]" * 100_000
    with server() as httpd:
        httpd.expect_request("/api/content/deep").respond_with_data(
            '{"details": ' + deep + "}", content_type="application/json")  # fmt: skip
        httpd.expect_request("/sales").respond_with_data(PAGE, content_type="text/html")
        httpd.expect_request("/f/G-Cloud-2014-07.csv").respond_with_data(CSV)
        httpd.expect_request("/f/G-Cloud-2014-08.csv").respond_with_data(CSV)
        summary = fetch([Source("gov", "govuk", httpd.url_for("/deep")),
                         Source("sales", "page", httpd.url_for("/sales"))], folder,
                        settings=QUICK)  # fmt: skip
    return _said(summary), len(summary.new) == 2 and len(summary.refused) == 1


@probe(
    "Content API attachment with a NaN file name", "deep or huge JSON", "that link refused alone"
)
def _nan_name(folder: Path) -> tuple[str, bool]:
    with server() as httpd:
        httpd.expect_request("/api/content/pub").respond_with_data(
            '{"details": {"attachments": [{"url": "/f/a.csv", "filename": NaN}, '
            '{"url": "/f/G-Cloud-1.csv", "filename": "G-Cloud-1.csv"}]}}',
            content_type="application/json")  # fmt: skip
        httpd.expect_request("/f/G-Cloud-1.csv").respond_with_data(CSV)
        summary = fetch([Source("gov", "govuk", httpd.url_for("/pub"))], folder, settings=QUICK)
    return _said(summary), len(summary.new) == 1 and len(summary.refused) == 1
