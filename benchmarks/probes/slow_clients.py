"""Slow clients (issue 23, item 12): sockets that hold a connection open without finishing a
request (headers or body one byte every 2 s), that never read a large answer, or that send
nothing at all. While they misbehave, ``/healthz`` is asked every half second: it must keep
answering within a second, as it does on an idle server (a few milliseconds)."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable
from functools import partial

import requests

from benchmarks.load import HOST
from benchmarks.probes import Outcome, register
from benchmarks.probes import Probe as _Probe
from benchmarks.probes.context import ProbeContext

KIND = "slow client"
HEALTH_LIMIT_S = 1.0  # an idle server answers /healthz in a few ms
DRIP_EVERY_S = 2.0
_SUITE_SCRIPT = re.compile(r'src="(/_dash-component-suites/[^"]+\.js)"')


def _drip(port: int, stop: float, head: bytes, drip: bytes) -> None:
    """Send ``head`` at once, then ``drip`` one byte every 2 s until ``stop``."""
    with socket.create_connection((HOST, port), timeout=5) as conn:
        try:
            conn.sendall(head)
            for byte in drip:
                if time.monotonic() >= stop:
                    break
                conn.sendall(bytes([byte]))
                time.sleep(min(DRIP_EVERY_S, max(0.0, stop - time.monotonic())))
        except OSError:  # the server gave up on us: that is allowed
            pass


def slow_headers(port: int, stop: float, path: str) -> None:
    """A request whose headers come one byte every 2 s (slowloris)."""
    _drip(port, stop, b"", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000)


def slow_body(port: int, stop: float, path: str) -> None:
    """A callback request whose headers come at once and whose body one byte every 2 s."""
    head = (
        b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n"
    )
    _drip(port, stop, head, b'{"output": "' + b"a" * 3980)


def never_reads(port: int, stop: float, path: str) -> None:
    """Twenty pipelined requests for the largest script, with a tiny receive buffer, and
    nothing read: the server's writes block once the buffers are full."""
    conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    conn.settimeout(5)
    with conn:
        conn.connect((HOST, port))
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() * 20)
        time.sleep(max(0.0, stop - time.monotonic()))


def silent(port: int, stop: float, path: str) -> None:
    """A connection that sends nothing."""
    with socket.create_connection((HOST, port), timeout=5):
        time.sleep(max(0.0, stop - time.monotonic()))


def _largest_script(base: str) -> str:
    """The path of the largest script the index page loads (plotly's bundle)."""
    page = requests.get(base + "/", timeout=30).text
    sizes = {
        p: len(requests.get(base + p, timeout=30).content) for p in _SUITE_SCRIPT.findall(page)
    }
    return max(sizes, key=sizes.get)


def watch_health(base: str, until: float) -> tuple[list[float], int]:
    """Ask ``/healthz`` every half second until ``until``: each answer's seconds (a check
    still unanswered when the misbehaving clients stop counts until it is answered) and
    how many failed (not 200, or no answer within a minute)."""
    seconds, failed = [], 0
    while time.monotonic() < until:
        start = time.perf_counter()
        try:
            ok = requests.get(base + "/healthz", timeout=60).status_code == 200
        except requests.RequestException:
            ok = False
        seconds.append(time.perf_counter() - start)
        failed += not ok
        time.sleep(0.5)
    return seconds, failed


def misbehave(
    context: ProbeContext, client: Callable[[int, float, str], None], sockets: int
) -> Outcome:
    """``sockets`` clients misbehaving at once for ``context.slow_seconds`` while
    ``/healthz`` is watched."""
    server = context.server()
    path = _largest_script(server.base) if client is never_reads else "/"
    stop = time.monotonic() + context.slow_seconds
    threads = [
        threading.Thread(target=client, args=(server.port, stop, path), daemon=True)
        for _ in range(sockets)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # let them reach the workers first
    seconds, failed = watch_health(server.base, stop)
    for thread in threads:
        thread.join(context.slow_seconds + 10)
    slowest = max(seconds, default=float("nan"))
    got = (
        f"slowest /healthz {slowest:.2f} s, {len(seconds)} checks in "
        f"{context.slow_seconds:g} s, {failed} failed"
    )
    return Outcome(got, failed == 0 and bool(seconds) and slowest <= HEALTH_LIMIT_S)


SLOW_CLIENTS = (
    ("6 slow headers", slow_headers, 6, "headers one byte every 2 s"),
    ("6 slow bodies", slow_body, 6, "callback body one byte every 2 s"),
    ("6 clients that never read", never_reads, 6, "20 pipelined script requests, unread"),
    ("300 silent connections", silent, 300, "connected, nothing sent"),
)

for name, client, count, how in SLOW_CLIENTS:
    register(
        _Probe(
            f"{name} ({how})",
            KIND,
            f"/healthz answers within {HEALTH_LIMIT_S:g} s throughout",
            partial(misbehave, client=client, sockets=count),
        )
    )
