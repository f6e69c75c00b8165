"""Gunicorn settings, read from the repository root by the README's command:

    DASHBOARD_DATA=store gunicorn 'dashboard.app:server'

The master process builds the app and warms it (reads every table it serves from and renders
each page once) before any worker starts; the workers are forked from it, so they start with
the tables in memory and every page's first request is as fast as its hundredth. Each worker
checks it is warm (quick) before it accepts requests and logs its memory. Options given on
the command line win over these, except the worker class: it is chosen here, from
``DASHBOARD_WORKER_CLASS`` (default ``gevent``), because the gevent one needs the standard
library patched before the app is imported.

After an ingest, update or rollback made another store version current, ``kill -HUP`` the
master: it builds and warms the app on the new version (:func:`on_reload`), then starts new
workers from it and lets the old ones finish their requests; until then every worker serves
the version it started with, and ``/healthz`` says ``"current": false``.
"""

import os

# Slow clients (issue 23): a thread or a sync worker reads a request with blocking calls, so a
# client sending its headers one byte at a time holds that worker for as long as it likes
# (six such sockets kept /healthz waiting for as long as they dripped, 19.5 s of a 20 s
# probe, on 3 gthread workers). gevent's workers read every connection cooperatively: a
# slow client holds a greenlet, not the worker, and a request's headers must arrive within
# ``keepalive`` seconds. Page views are Python holding the GIL either way, so one gevent
# worker still computes one request at a time. The patch must come before anything imports
# ssl, threading or the app (gunicorn would patch each worker after the preloaded app is
# imported: gevent warns and leaves modules that copied ssl names unpatched). Only
# gunicorn, which loads this file as ``__config__``, patches: a tool reading the settings
# (the load test) is left as it is.
worker_class = os.environ.get("DASHBOARD_WORKER_CLASS", "gevent")
if worker_class == "gevent" and __name__ == "__config__":
    from gevent import monkey

    monkey.patch_all()

import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

bind = "127.0.0.1:8050"
# Workers and threads, measured with the load test (benchmarks/RESULTS.md: real July 2014
# store, 50 users, warm p95): a page view is mostly Python holding the GIL, so threads of one
# worker only take turns on one core, and a worker with 2 requests in hand answers both late
# while another may be idle. One thread per worker lets an idle worker take the next
# request; one worker more than the machine's 2 cores keeps both cores serving pages while
# one worker is held by a long request (an Excel download of 50,000 rows takes 6-12 s). Warm
# p95 (same day, each run alone on the machine; ~30 ms between runs is noise): 2 x 2 178 ms,
# 2 x 1 168 ms,
# 3 x 2 210 ms, 3 x 1 125 ms. WEB_CONCURRENCY or -w overrides the workers. A gevent worker
# likewise computes one request at a time and accepts new connections (one at a time) only
# while it is not computing, so an idle worker takes the next one.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = 1  # gthread only (DASHBOARD_WORKER_CLASS=gthread)
worker_connections = 1000  # gevent: open connections one worker holds, slow or idle ones too
preload_app = True  # build and warm in the master; workers share its memory (copy-on-write)
timeout = 60  # a worker silent this long is restarted
graceful_timeout = 30
keepalive = 75  # seconds an idle connection stays open: longer than a reader's pause (gevent:
# also the time a request's headers may take to arrive, after which the connection is closed)
limit_request_line = 4094  # a longer request line (path and query) is refused with 414
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"  # one line per request on stdout, with its request id
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'


def _rss_mb() -> float:
    """This process's resident memory (MB), from /proc where there is one."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _warm(app, log, who: str) -> None:
    if not hasattr(app, "warm"):  # another app than dashboard.app:server
        return
    start = time.perf_counter()
    steps = app.warm()
    log.info(
        json.dumps(
            {
                "event": "warm",
                "process": who,
                "pid": os.getpid(),
                "seconds": round(time.perf_counter() - start, 2),
                "slowest": max(steps, key=steps.get),
                "rss_mb": round(_rss_mb(), 1),
            }
        )
    )


def when_ready(server):
    """Master, before forking the workers: build and warm the preloaded app. A store that
    cannot be opened stops gunicorn with one line (exit 2) rather than serve errors."""
    from loaders.core.errors import LoaderInputError

    if not server.cfg.preload_app:
        return
    try:
        _warm(server.app.wsgi(), server.log, "master")
    except LoaderInputError as exc:
        server.log.error(
            f"error: {exc}; build one with 'python -m loaders ingest PATH... --out DIR'"
        )
        raise SystemExit(2) from None


def post_worker_init(worker):
    """Each worker, before it accepts requests: warm (a no-op when forked warm)."""
    _warm(worker.wsgi, worker.log, "worker")


def on_reload(server):
    """Master, on ``kill -HUP``: build the app again on the store version now current (if the
    pointer moved) and warm it, before the new workers are forked from it."""
    app = server.app.wsgi()
    if not hasattr(app, "refresh"):
        return
    try:
        if app.refresh():
            _warm(app, server.log, "master (reloaded)")
    except Exception as exc:  # the new version cannot be served: keep serving the old one
        server.log.error(f"error: the store's new version cannot be served ({exc}); still "
                         "serving the version loaded before")  # fmt: skip
