"""The serving measurements, run in a fresh process per app and size.

``python -m benchmarks.serve --app ours|naive --store STORE --plan PLAN.json --out OUT.json``

1. imports the app's module (timed apart);
2. warm start: ``create_app(store)`` then the first overview response through the Flask
   test client (the store's file pages are warm: the parent just wrote or read them);
3. served as documented: our app warmed as gunicorn warms it (``dashboard.app.warm_to_serve``:
   every table read, each page rendered once, the objects alive then frozen out of the
   garbage collector's sight), so no table is first read inside a timed request;
4. callbacks: every page's query strings from the plan posted to ``/_dash-update-component``,
   the first ``warmup`` of each page timed but not counted;
5. memory: the peak RSS of this process (``VmHWM``, else ``ru_maxrss``) and its RSS at the
   end; for our app, the bytes its tables hold once warmed and its caches hold at the end.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from benchmarks.callbacks import PAGES, UPDATE, page_callback, request_body, summary


def rss_bytes() -> int:
    """Resident set size of this process now (psutil if installed, else /proc)."""
    try:
        import psutil

        return int(psutil.Process().memory_info().rss)
    except ImportError:
        import os

        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far.

    On Linux ``VmHWM`` of ``/proc/self/status``: ``ru_maxrss`` would not do, as it keeps
    the parent's RSS at the ``fork`` that started this process.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _factory(app: str):
    if app == "ours":
        from dashboard.app import create_app
    else:
        from benchmarks.naive_app import create_app
    return create_app


def _warmer(app: str):
    """What the documented server does before its first request (gunicorn's master calls
    ``dashboard.app.warm_to_serve``); the naive app has no such step (``None``)."""
    if app == "ours":
        from dashboard.app import warm_to_serve

        return warm_to_serve
    return None


def _held(app) -> dict[str, int]:
    """Bytes our app's store holds, by table and cache (:meth:`Store.held_bytes`)."""
    return app.server.extensions["framework-spend"].store.held_bytes()


def _post(client, callback, pathname: str, search: str) -> tuple[float, int, int]:
    """One page request: seconds, response bytes and HTTP status."""
    body = request_body(callback, pathname, search)
    start = time.perf_counter()
    response = client.post(UPDATE, json=body)
    seconds = time.perf_counter() - start
    return seconds, len(response.data), response.status_code


def run_pages(client, callback, pages: dict[str, list[str]], warmup: int) -> dict[str, dict]:
    """Post every page's query strings; statistics per page over the counted requests."""
    results = {}
    every: tuple[list[float], list[int]] = ([], [])
    for page, queries in pages.items():
        latencies, sizes, first, failures = [], [], [], []
        for position, search in enumerate(queries):
            seconds, size, status = _post(client, callback, PAGES[page], search)
            if status != 200:
                failures.append(f"{status} for {PAGES[page]}{search}")
            if position < warmup:
                first.append(seconds)
                continue
            latencies.append(seconds)
            sizes.append(size)
        results[page] = {
            **summary(latencies, sizes),
            "warmup_ms": [round(s * 1000, 1) for s in first],
            "failures": failures[:3],
            "failed": len(failures),
        }
        every[0].extend(latencies)
        every[1].extend(sizes)
    if pages:
        failed = sum(r["failed"] for r in results.values())
        results["all pages"] = {
            **summary(*every),
            "warmup_ms": [],
            "failures": [],
            "failed": failed,
        }
    return results


def serve(app_name: str, store: Path, plan: dict) -> dict:
    """Warm start, callbacks and memory of one app on one store."""
    start = time.perf_counter()
    create_app = _factory(app_name)
    imported = time.perf_counter() - start
    start = time.perf_counter()
    app = create_app(store)
    created = time.perf_counter() - start
    client = app.server.test_client()
    callback = page_callback(app.callback_map)
    seconds, size, status = _post(client, callback, "/", "")
    warm = created + seconds
    out = {
        "import_s": imported,
        "create_s": created,
        "first_response_s": seconds,
        "warm_start_s": warm,
        "first_status": status,
        "first_bytes": size,
        "rss_after_start": rss_bytes(),
        "peak_rss_after_start": peak_rss_bytes(),
    }
    warm_app = _warmer(app_name)
    if warm_app is not None:  # served as documented: tables read before the first request
        start = time.perf_counter()
        warm_app(app)
        out["warm_s"] = time.perf_counter() - start
        out["held_after_warm"] = _held(app)
    out["pages"] = run_pages(client, callback, plan["pages"], plan["warmup"])
    out["rss_end"] = rss_bytes()
    out["peak_rss"] = peak_rss_bytes()
    if warm_app is not None:
        out["held_end"] = _held(app)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run one app's serving measurements and write them as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve")
    parser.add_argument("--app", choices=["ours", "naive"], required=True)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    plan = json.loads(args.plan.read_text(encoding="utf-8"))
    result = serve(args.app, args.store, plan)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
