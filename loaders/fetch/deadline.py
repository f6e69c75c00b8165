"""A time limit on a whole download, headers and body, however slowly the server sends.

``requests`` bounds each wait for the next bytes (its ``timeout``), not a download: a server
sending one byte every few seconds, in its headers or its body, holds the fetch for as long
as it likes (one byte every 5 s was accepted after 96 s). So each download runs under a
:class:`Deadline`: the connections it uses are recorded as they send a request (through the
connection pools of :class:`DeadlineAdapter`, mounted on the client's session), and when the
time is up a timer thread shuts their sockets down, which ends the blocked read at once; the
client then refuses the link (:attr:`Deadline.expired`).
"""

from __future__ import annotations

import socket
import threading
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_CURRENT = threading.local()  # the deadline of the download this thread is running
_RECUT_SECONDS = 0.5  # after expiry, connections opened meanwhile are cut as often


class Deadline:
    """The time limit of one download (a context manager; ``seconds`` from entry)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._connections: list[Any] = []
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._active = False

    def watch(self, connection: Any) -> None:
        """Record a connection the download uses (cut at once if the time is already up)."""
        with self._lock:
            self._connections.append(connection)
            if self.expired:
                _cut(connection)

    def _expire(self) -> None:
        with self._lock:
            if not self._active:
                return
            self.expired = True
            for connection in self._connections:
                _cut(connection)
        self._schedule(_RECUT_SECONDS)  # a connection still connecting has no socket yet

    def _schedule(self, seconds: float) -> None:
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def __enter__(self) -> Deadline:
        self._active = True
        _CURRENT.deadline = self
        self._schedule(self.seconds)
        return self

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._active = False
        if self._timer is not None:
            self._timer.cancel()
        _CURRENT.deadline = None


def expired() -> bool:
    """Whether the download this thread is running has run out of time (its body may then
    have ended early, cut: it must not be kept)."""
    deadline = getattr(_CURRENT, "deadline", None)
    return deadline is not None and deadline.expired


def _cut(connection: Any) -> None:
    """Shut down the socket of a connection (or a socket itself)."""
    sock = (
        connection if isinstance(connection, socket.socket) else getattr(connection, "sock", None)
    )
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _Watched:
    """A connection pool that gives each connection it sends a request on to the running
    download's deadline."""

    def _make_request(self, conn, *args, **kwargs):  # urllib3's hook, one per request
        deadline = getattr(_CURRENT, "deadline", None)
        if deadline is not None:
            deadline.watch(conn)  # its socket, once connected: the request and the headers
        response = super()._make_request(conn, *args, **kwargs)
        if deadline is not None:  # the body's socket (the connection may have let it go)
            sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
            if isinstance(sock, socket.socket):
                deadline.watch(sock)
        return response


class _WatchedHTTPPool(_Watched, HTTPConnectionPool):
    pass


class _WatchedHTTPSPool(_Watched, HTTPSConnectionPool):
    pass


class DeadlineAdapter(HTTPAdapter):
    """``requests``' adapter whose connections a :class:`Deadline` can cut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }
