"""What hostile probes share: the store to serve, a scratch folder, how long slow probes last,
and gunicorn servers started on demand (one per set of options, reused by every probe that
asks for it, stopped at the end). Servers listen on 127.0.0.1 only."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import requests
from urllib3.exceptions import InsecureRequestWarning

from benchmarks.load import Gunicorn


@dataclass(frozen=True)
class ServerOptions:
    """How to start one gunicorn: extra environment, extra options, its scheme."""

    env: tuple[tuple[str, str], ...] = ()
    args: tuple[str, ...] = ()
    scheme: str = "http"


@dataclass
class ProbeContext:
    """Shared by the probes of one run; close it (or use ``with``) to stop its servers."""

    store: Path
    folder: Path
    slow_seconds: float = 20.0  # how long each slow-client probe misbehaves
    ready_timeout: float = 300.0
    _servers: dict[ServerOptions, Gunicorn | Exception] = field(default_factory=dict)

    def server(self, options: ServerOptions = ServerOptions()) -> Gunicorn:
        """gunicorn serving :attr:`store` with ``options``, started on first use and ready
        (``/healthz`` 200). Raises ``RuntimeError`` if it could not start (and again for
        every later probe asking for the same options, without trying again)."""
        if options not in self._servers:
            log = self.folder / f"gunicorn-{len(self._servers)}.log"
            server = Gunicorn(
                self.store,
                None,
                log,
                env=dict(options.env),
                args=options.args,
                scheme=options.scheme,
            )
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", InsecureRequestWarning)
                    server.wait_ready(self.ready_timeout)
                self._servers[options] = server
            except RuntimeError as exc:
                server.close()
                self._servers[options] = exc
        found = self._servers[options]
        if isinstance(found, Exception):
            raise RuntimeError(f"gunicorn did not start: {found}")
        return found

    def get(self, path: str, options: ServerOptions = ServerOptions(), **kwargs):
        """``GET path`` on the server with ``options`` (no redirect followed, certificate
        not checked: it is ours, on 127.0.0.1)."""
        server = self.server(options)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsecureRequestWarning)
            return requests.get(
                server.base + path, timeout=30, allow_redirects=False, verify=False, **kwargs
            )

    def close(self) -> None:
        """Stop every server started."""
        for server in self._servers.values():
            if isinstance(server, Gunicorn):
                server.close()
        self._servers.clear()

    def __enter__(self) -> ProbeContext:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
