"""The load test: gunicorn started as the README documents, simulated users, hostile links.

1. **Cold**: gunicorn (``python -m gunicorn -b 127.0.0.1:PORT 'dashboard.app:server'``
   from the repository root, so ``gunicorn.conf.py`` applies: its workers and threads unless
   ``--workers``/``--threads`` say otherwise) on the store, with an empty
   shared query cache; users start as soon as ``/healthz`` answers (the time to get there is
   reported). Each user opens a random link (every page, random filters from
   :mod:`benchmarks.callbacks`: the page, ``/_dash-layout`` and ``/_dash-dependencies``
   first, as a browser does; static assets are taken as cached), then clicks a random link
   every ``think`` seconds (uniform between half and one and a half times it). A click is a
   page view: the page callback (timed: the figures below), then the header links and the
   filter controls callbacks (timed apart).
2. **Warm**: the same users again on the same server, new links.
3. **Saturation**: the same users with no pause.
4. **Hostile links**: query strings from :mod:`benchmarks.hostile`, each to a page (every
   page in turn) as a GET and as the ``search`` of the three callbacks, then malformed
   callback requests (not JSON, wrong shapes, values of the wrong types); any 5xx is listed.
   One request body over the server's limit checks the 413.
5. **Memory** of the master and each worker (RSS, and USS: the memory only that process
   holds; forked workers share the master's tables) after start and at the end.

Targets only 127.0.0.1 and stops by itself: every phase has a deadline, and the server is
stopped (by its process id) at the end, whatever happened.
"""

from __future__ import annotations

import json
import os
import random
import runpy
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import requests

from benchmarks.callbacks import Values, filter_set
from benchmarks.hostile import hostile_queries
from dashboard.serving import declared_outputs

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PAGES = {"/": "overview", "/adoption": "adoption", "/department": "department",
         "/suppliers": "suppliers", "/opportunities": "opportunities", "/buyer": "buyer",
         "/data-quality": "data-quality"}  # fmt: skip
UPDATE = "/_dash-update-component"
TIMEOUT = 60  # seconds a request may take before it counts as an error


@dataclass(frozen=True)
class LoadPlan:
    """How hard and how long to push."""

    users: int = 50
    seconds: float = 60.0
    think: float = 5.0
    saturation_seconds: float = 30.0
    hostile: int = 240
    workers: int | None = None  # None: as gunicorn.conf.py says
    threads: int | None = None  # None: as gunicorn.conf.py says
    seed: int = 2026
    ready_timeout: float = 600.0


@dataclass
class Tally:
    """What a phase's users saw (thread-safe)."""

    page_s: list[float] = field(default_factory=list)
    other_s: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int | str, what: str) -> None:
        """One request: ``kind`` ``page`` (a page view's page callback) or ``other``."""
        with self.lock:
            (self.page_s if kind == "page" else self.other_s).append(seconds)
            self.statuses[status] += 1
            if not (isinstance(status, int) and status < 400):
                self.errors[f"{status} {what[:120]}"] += 1


def conf_setting(name: str) -> int | str:
    """A setting of ``gunicorn.conf.py`` (``workers``, ``threads``: numbers;
    ``worker_class``: text), as gunicorn reads it (the environment included)."""
    value = runpy.run_path(str(ROOT / "gunicorn.conf.py"))[name]
    return value if isinstance(value, str) else int(value)


def server_shape(workers: int | None, threads: int | None) -> str:
    """``3 gevent workers`` or ``3 gthread workers x 1 threads``."""
    kind = conf_setting("worker_class")
    shape = f"{workers or conf_setting('workers')} {kind} workers"
    return shape + (f" x {threads or conf_setting('threads')} threads" if kind == "gthread" else "")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving ``store`` on 127.0.0.1, as the README starts it; stopped on exit.

    ``env`` adds environment variables (``DASHBOARD_FORCE_HTTPS``...), ``args`` gunicorn
    options (``--certfile``...); ``scheme`` is ``https`` when gunicorn itself speaks TLS.
    """

    def __init__(
        self,
        store: Path,
        workers: int | None,
        log: Path,
        threads: int | None = None,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
        scheme: str = "http",
    ) -> None:
        self.port = free_port()
        self.workers = workers or conf_setting("workers")
        self.base = f"{scheme}://{HOST}:{self.port}"
        self._cache = tempfile.TemporaryDirectory(prefix="load-query-cache-")
        env = {
            **os.environ,
            "DASHBOARD_DATA": str(store),
            "DASHBOARD_QUERY_CACHE": self._cache.name,
            **(env or {}),
        }
        command = [sys.executable, "-m", "gunicorn", "-b", f"{HOST}:{self.port}", *args,
                   "dashboard.app:server"]  # fmt: skip
        if workers:
            command[-1:-1] = ["-w", str(workers)]
        if threads:
            command[-1:-1] = ["--threads", str(threads)]
        self._log = log.open("w", encoding="utf-8")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT)  # fmt: skip
        self.log_path = log

    def wait_ready(self, timeout: float) -> float:
        """Seconds from start until ``/healthz`` answers 200 (raises if it never does)."""
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                tail = self.log_path.read_text(encoding="utf-8").strip().splitlines()[-3:]
                raise RuntimeError(f"gunicorn exited {self.process.returncode}: {tail}")
            try:
                # a self-signed certificate when gunicorn speaks TLS (127.0.0.1 only)
                if requests.get(self.base + "/healthz", timeout=2, verify=False).status_code == 200:
                    ready = time.perf_counter() - self.started
                    self._wait_for_workers(deadline)
                    return ready
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn not ready after {timeout:.0f} s")

    def _wait_for_workers(self, deadline: float) -> None:
        """Until every worker is forked and has written its warm log line (for memory)."""
        while time.perf_counter() < deadline:
            log = self.log_path.read_text(encoding="utf-8")
            if log.count('"process": "worker"') >= self.workers:
                return
            time.sleep(0.1)

    def memory(self) -> list[dict]:
        """RSS and USS (bytes) of the master and each worker."""
        import psutil

        master = psutil.Process(self.process.pid)
        out = []
        for role, proc in [("master", master), *(("worker", c) for c in master.children())]:
            info = proc.memory_full_info()
            out.append({"role": role, "rss": info.rss, "uss": info.uss})
        return out

    def close(self) -> None:
        """Stop gunicorn (its master, which stops its workers) and clean up."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()
        self._cache.cleanup()

    def __enter__(self) -> Gunicorn:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _body(dependency: dict, pathname: str, search: str) -> dict:
    """The JSON Dash's renderer posts for one callback when the URL changes."""
    key = dependency["output"]
    outputs = declared_outputs(key)
    given = {"pathname": pathname, "search": search}
    inputs = [{**i, "value": given.get(i["property"]) if i["id"] == "url" else None}
              for i in dependency["inputs"]]  # fmt: skip
    state = [{**s, "value": given.get(s["property"]) if s["id"] == "url" else None}
             for s in dependency.get("state", [])]  # fmt: skip
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": inputs,
        "changedPropIds": ["url.pathname", "url.search"],
        "state": state,
    }


def url_callbacks(dependencies: list[dict]) -> list[dict]:
    """The server callbacks a URL change fires, the page's first (its output is the page)."""
    fired = [d for d in dependencies if not d.get("clientside_function")
             and any(i["id"] == "url" for i in d["inputs"])]  # fmt: skip
    return sorted(fired, key=lambda d: "page-content" not in d["output"])


def random_link(values: Values, rng: random.Random) -> tuple[str, str]:
    """A random page and query string, as users follow them (every page; the buyer page
    names a customer)."""
    path = rng.choice(list(PAGES))
    page = PAGES[path]
    search = filter_set(values, rng, page if page == "department" else "overview")
    if page == "buyer" and values.customers:
        name = requests.utils.quote(rng.choice(values.customers), safe="")
        search = f"?name={name}" + ("&" + search[1:] if search else "")
    return path, search


def _timed(session: requests.Session, method: str, url: str, **kwargs) -> tuple[float, int | str]:
    start = time.perf_counter()
    try:
        status: int | str = session.request(method, url, timeout=TIMEOUT, **kwargs).status_code
    except requests.RequestException as exc:
        status = type(exc).__name__
    return time.perf_counter() - start, status


def view(session, base: str, callbacks: list[dict], link: tuple[str, str], tally: Tally) -> None:
    """One page view: the callbacks a URL change fires (the page's timed as ``page``)."""
    for position, dependency in enumerate(callbacks):
        body = _body(dependency, *link)
        seconds, status = _timed(session, "POST", base + UPDATE, json=body)
        tally.add("page" if position == 0 else "other", seconds, status, "".join(link))


def user(base: str, values: Values, callbacks: list[dict], rng: random.Random, end: float,
         think: float, tally: Tally) -> None:  # fmt: skip
    """One simulated user until ``end``: arrives within the first pause, opens a link, then
    clicks a link after each pause."""
    with requests.Session() as session:
        time.sleep(rng.uniform(0, think))
        link = random_link(values, rng)
        for url in ("".join(link), "/_dash-layout", "/_dash-dependencies"):
            seconds, status = _timed(session, "GET", base + url)
            tally.add("other", seconds, status, url)
        while time.perf_counter() < end:
            view(session, base, callbacks, link, tally)
            time.sleep(rng.uniform(0.5 * think, 1.5 * think) if think else 0)
            link = random_link(values, rng)


def run_users(base: str, values: Values, users: int, seconds: float, think: float,
              seed: int) -> dict:  # fmt: skip
    """``users`` simulated users for ``seconds``; statistics of what they saw."""
    callbacks = url_callbacks(requests.get(base + "/_dash-dependencies", timeout=TIMEOUT).json())
    tally = Tally()
    start = time.perf_counter()
    end = start + seconds
    threads = [threading.Thread(target=user, daemon=True, args=(
        base, values, callbacks, random.Random(seed * 1000 + i), end, think, tally))
        for i in range(users)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 2 * TIMEOUT + think * 2)
    elapsed = time.perf_counter() - start
    return {**latency(tally.page_s, "page"), **latency(tally.other_s, "other"),
            "views": len(tally.page_s), "seconds": elapsed,
            "views_per_s": len(tally.page_s) / elapsed, "errors": sum(tally.errors.values()),
            "error_kinds": tally.errors.most_common(5)}  # fmt: skip


def latency(samples: list[float], prefix: str) -> dict[str, float]:
    """p50, p95 and max (ms) of ``samples`` (seconds)."""
    if not samples:
        return {f"{prefix}_p50_ms": float("nan"), f"{prefix}_p95_ms": float("nan"),
                f"{prefix}_max_ms": float("nan")}  # fmt: skip
    ms = np.array(samples) * 1000
    return {
        f"{prefix}_p50_ms": float(np.percentile(ms, 50)),
        f"{prefix}_p95_ms": float(np.percentile(ms, 95)),
        f"{prefix}_max_ms": float(ms.max()),
    }


def malformed_bodies(page: dict) -> list[bytes]:
    """Callback requests no page sends: not JSON, not an object, an unknown output, inputs of
    the wrong shape, and the page callback with values of the wrong types."""
    good = _body(page, "/", "")
    wrong = [{**good, "inputs": [{**i, "value": v} for i in good["inputs"]]}
             for v in (123, {"a": [1]}, [[None]], True)]  # fmt: skip
    shapes = [[1, 2], {"output": "nope.children", "outputs": {}}, {**good, "inputs": "x"},
              {**good, "inputs": [1]}, {**good, "outputs": 3}, {}]  # fmt: skip
    return [b"{not json", b"\xff\xfe", *(json.dumps(b).encode() for b in [*shapes, *wrong])]


def run_hostile(base: str, count: int, seed: int) -> dict:
    """Each hostile query string to a page (every page in turn) as a GET and as the search of
    the URL callbacks; the 5xx answers, and a body over the limit (must be 413)."""
    callbacks = url_callbacks(requests.get(base + "/_dash-dependencies", timeout=TIMEOUT).json())
    tally = Tally()
    paths = [*PAGES, "/no-such-page"]
    with requests.Session() as session:
        for i, query in enumerate(hostile_queries(count, seed)):
            path = paths[i % len(paths)]
            seconds, status = _timed(session, "GET", f"{base}{path}?{query}")
            tally.add("other", seconds, status, f"GET {path}?{query}")
            view(session, base, callbacks, (path, "?" + query), tally)
        for body in malformed_bodies(callbacks[0]):
            seconds, status = _timed(session, "POST", base + UPDATE, data=body,
                                     headers={"Content-Type": "application/json"})  # fmt: skip
            tally.add("other", seconds, status, f"POST {UPDATE} {body[:80]!r}")
        too_big = {"output": "x", "inputs": [], "padding": "x" * 2_000_000}
        _, big_status = _timed(session, "POST", base + UPDATE, json=too_big)
    server_errors = {k: v for k, v in tally.errors.items() if k[:1] == "5" or not k[:1].isdigit()}
    return {"queries": count, "requests": sum(tally.statuses.values()),
            "statuses": dict(sorted((str(k), v) for k, v in tally.statuses.items())),
            "server_errors": sum(server_errors.values()), "server_error_kinds":
            sorted(server_errors)[:10], "big_body_status": big_status}  # fmt: skip


def run(store: Path, values: Values, plan: LoadPlan, log_folder: Path) -> dict:
    """Every phase on one store; a dict of figures (see the module's docstring)."""
    out: dict = {"plan": plan.__dict__, "store": str(store)}
    log_folder.mkdir(parents=True, exist_ok=True)
    with Gunicorn(store, plan.workers, log_folder / "gunicorn.log", plan.threads) as server:
        out["ready_s"] = server.wait_ready(plan.ready_timeout)
        out["memory_start"] = server.memory()
        out["cold"] = run_users(server.base, values, plan.users, plan.seconds, plan.think,
                                plan.seed)  # fmt: skip
        out["warm"] = run_users(server.base, values, plan.users, plan.seconds, plan.think,
                                plan.seed + 1)  # fmt: skip
        out["saturation"] = run_users(server.base, values, plan.users, plan.saturation_seconds,
                                      0.0, plan.seed + 2)  # fmt: skip
        out["hostile"] = run_hostile(server.base, plan.hostile, plan.seed)
        out["memory_end"] = server.memory()
        out["server_errors_logged"] = server.log_path.read_text(encoding="utf-8").count(
            '"event": "server error"'
        )
    return out


BEFORE_VIEWS_PER_S = 40  # issue 15's measurement before this work (2 workers x 4 threads)


def _ms(stats: dict, prefix: str = "page") -> str:
    return " / ".join(f"{stats[f'{prefix}_{p}_ms']:,.0f}" for p in ("p50", "p95", "max"))


def _users_row(name: str, stats: dict, plan: LoadPlan, seconds: float, think: float,
               p95_target: float | None) -> dict:  # fmt: skip
    pause = f"~{think:g} s think" if think else "no think time"
    met = stats["errors"] == 0 and (p95_target is None or stats["page_p95_ms"] <= p95_target)
    target = "0 errors" + (f", p95 <= {p95_target:.0f} ms" if p95_target else "")
    return {
        "measure": f"{name}: {plan.users} users, {pause}, {seconds:g} s: page view "
        "p50 / p95 / max (ms)",
        "ours": f"{_ms(stats)}; {stats['errors']} errors; {stats['views']:,} views, "
        f"{stats['views_per_s']:.1f}/s",
        "baseline": f"other callbacks {_ms(stats, 'other')}",
        "target": target,
        "met": "yes" if met else "NO",
    }


def _memory(entries: list[dict]) -> str:
    workers = [e for e in entries if e["role"] == "worker"]
    master = next(e for e in entries if e["role"] == "master")
    each = ", ".join(f"{e['rss'] / 1e6:,.0f}/{e['uss'] / 1e6:,.0f}" for e in workers)
    return f"workers {each} MB; master {master['rss'] / 1e6:,.0f}/{master['uss'] / 1e6:,.0f} MB"


def rows(out: dict) -> list[dict]:
    """The lines of the results table (``measure``, ``ours``, ``baseline``, ``target``,
    ``met``) for one load test's figures (:func:`run`)."""
    plan = LoadPlan(**out["plan"])
    saturation = out["saturation"]
    hostile = out["hostile"]
    statuses = ", ".join(f"{k}: {v}" for k, v in hostile["statuses"].items())
    return [
        {"measure": f"gunicorn start ({server_shape(plan.workers, plan.threads)}) to "
         "/healthz 200, app warmed",
         "ours": f"{out['ready_s']:.1f} s"},
        _users_row("cold start", out["cold"], plan, plan.seconds, plan.think, 300),
        _users_row("warm", out["warm"], plan, plan.seconds, plan.think, 150),
        {**_users_row("saturation", saturation, plan, plan.saturation_seconds, 0, None),
         "ratio": f"{saturation['views_per_s'] / BEFORE_VIEWS_PER_S:.2f}x the ~"
         f"{BEFORE_VIEWS_PER_S} views/s before"},
        {"measure": f"{hostile['queries']} hostile query strings, every page (GET + 3 "
         "callbacks each), 12 malformed callback bodies: 5xx answers",
         "ours": f"{hostile['server_errors']} ({statuses})",
         "baseline": f"body over the limit: {hostile['big_body_status']}",
         "target": "no 5xx; 413", "met": "yes" if hostile["server_errors"] == 0
         and hostile["big_body_status"] == 413 else "NO"},
        {"measure": "memory RSS/USS after start", "ours": _memory(out["memory_start"])},
        {"measure": "memory RSS/USS at the end", "ours": _memory(out["memory_end"])},
        {"measure": "server errors logged by the app", "ours": str(out["server_errors_logged"]),
         "target": "0", "met": "yes" if out["server_errors_logged"] == 0 else "NO"},
    ]  # fmt: skip
