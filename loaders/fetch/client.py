"""A polite HTTP client on ``requests``: retries, backoff, conditional requests, size cap.

- **Retries** with exponential backoff (``backoff * 2**n`` seconds, or the server's
  ``Retry-After`` when longer) on timeouts, broken connections (including a body cut off
  mid-way) and HTTP 5xx / 429. Other 4xx are final.
- **A polite delay** between any two requests (``FetchSettings.delay`` seconds), longer
  while a source with a rate limit of its own is fetched (:meth:`HttpClient.paced`).
- **Conditional requests**: the ``ETag`` and ``Last-Modified`` of the last download are sent
  back as ``If-None-Match`` / ``If-Modified-Since``; ``304 Not Modified`` means unchanged.
- **A size cap** per file (``max_bytes``): checked against ``Content-Length`` before the
  body is read and while it is read.
- **Atomic writes**: the body goes to ``NAME.part``, is hashed (SHA-256) and sniffed
  (:mod:`loaders.fetch.sniff`) and only then renamed to ``NAME``; a failed download never
  leaves a file behind.

Anything that cannot be fetched raises :class:`Refused` with a one-line reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from loaders.fetch.sniff import refusal

USER_AGENT = "framework-spend-loaders (python -m loaders fetch; requests)"
_HEAD = 4096
_CHUNK = 64 * 1024
_TRANSIENT_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how hard to fetch (seconds, bytes)."""

    timeout: float = 60.0
    retries: int = 4
    backoff: float = 2.0
    delay: float = 1.0
    max_bytes: int = 200 * 1024 * 1024
    window_days: int = 1
    user_agent: str = USER_AGENT


class Refused(Exception):
    """A URL whose content cannot be taken; ``str`` is the reason, one line."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(reason)


class _Transient(Exception):
    """A failure worth another try (timeout, broken connection, 5xx)."""

    def __init__(self, reason: str, wait: float = 0.0) -> None:
        self.wait = wait
        super().__init__(reason)


@dataclass(frozen=True)
class Download:
    """The outcome of :meth:`HttpClient.download`: ``not_modified`` (HTTP 304, nothing
    written) or the file written, with its size, hash and the server's validators."""

    not_modified: bool
    bytes: int = 0
    sha256: str = ""
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""


def _retry_after(response: requests.Response) -> float:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else 0.0


class HttpClient:
    """One session for a fetch run; ``sleep`` and ``clock`` are injectable for tests."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = self.settings.user_agent
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None
        self._pace: tuple[float, float] = (0.0, 0.0)  # (delay, least retry wait) of a source

    @contextmanager
    def paced(self, delay: float, retry_wait: float = 0.0) -> Iterator[HttpClient]:
        """Within the block, requests at least ``delay`` seconds apart and a failed request
        retried after at least ``retry_wait`` seconds (a publisher's rate limit, e.g. Find a
        Tender's 12 requests in 2 minutes, answered 429 without ``Retry-After``)."""
        before, self._pace = self._pace, (delay, retry_wait)
        try:
            yield self
        finally:
            self._pace = before

    def _polite(self) -> None:
        if self._last is not None:
            delay = max(self.settings.delay, self._pace[0])
            wait = delay - (self._clock() - self._last)
            if wait > 0:
                self._sleep(wait)
        self._last = self._clock()

    def _attempt(self, url: str, headers: Mapping[str, str], handle: Callable) -> Any:
        self._polite()
        try:
            with self.session.get(
                url, headers=dict(headers), stream=True, timeout=self.settings.timeout
            ) as response:
                if response.status_code in _TRANSIENT_STATUS:
                    raise _Transient(f"HTTP {response.status_code}", _retry_after(response))
                if response.status_code >= 400:
                    raise Refused(url, f"HTTP {response.status_code} {response.reason}")
                return handle(response)
        except requests.Timeout as exc:
            raise _Transient(f"timed out ({type(exc).__name__})") from exc
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise _Transient(f"connection failed ({type(exc).__name__})") from exc

    def _with_retries(self, url: str, headers: Mapping[str, str], handle: Callable) -> Any:
        tries = self.settings.retries + 1
        for attempt in range(tries):
            try:
                return self._attempt(url, headers, handle)
            except _Transient as exc:
                if attempt == tries - 1:
                    raise Refused(url, f"{exc} after {tries} tries") from exc
                self._sleep(max(self.settings.backoff * 2**attempt, exc.wait, self._pace[1]))
        raise AssertionError("unreachable")

    def _body(self, url: str, response: requests.Response, sink: Callable[[bytes], None]) -> int:
        cap = self.settings.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise Refused(url, f"larger than the size cap ({int(declared):,} > {cap:,} bytes)")
        size = 0
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > cap:
                raise Refused(url, f"larger than the size cap (over {cap:,} bytes)")
            sink(chunk)
        encoded = response.headers.get("Content-Encoding", "identity") not in ("", "identity")
        if declared.isdigit() and size != int(declared) and not encoded:
            raise _Transient(f"connection broken: {size:,} of {int(declared):,} bytes received")
        return size

    def get_json(self, url: str) -> Any:
        """The JSON document at ``url`` (an API response, not saved).

        Raises :class:`Refused` for HTTP errors after retries, an oversize body, or a body
        that is not JSON (e.g. an HTML error page).
        """

        def handle(response: requests.Response) -> Any:
            parts: list[bytes] = []
            self._body(url, response, parts.append)
            return _parse_json(url, b"".join(parts), response.headers.get("Content-Type", ""))

        return self._with_retries(url, {"Accept": "application/json"}, handle)

    def get_text(self, url: str) -> str:
        """The text of an HTML page at ``url`` (not saved). Raises :class:`Refused`."""

        def handle(response: requests.Response) -> str:
            parts: list[bytes] = []
            self._body(url, response, parts.append)
            return b"".join(parts).decode(response.encoding or "utf-8", errors="replace")

        return self._with_retries(url, {}, handle)

    def download(self, url: str, target: Path, validators: tuple[str, str] = ("", "")) -> Download:
        """Download ``url`` to ``target`` through ``target.part``.

        ``validators`` are the ``(etag, last_modified)`` of the copy already at ``target``;
        when given they are sent as ``If-None-Match`` / ``If-Modified-Since``. Raises
        :class:`Refused` (nothing left on disk) for HTTP errors after retries, a body over
        the size cap, a broken connection after retries, or content that is not what the
        file name promises.
        """
        headers = {}
        if validators[0]:
            headers["If-None-Match"] = validators[0]
        if validators[1]:
            headers["If-Modified-Since"] = validators[1]
        return self._with_retries(url, headers, lambda r: self._save(url, r, Path(target)))

    def _save(self, url: str, response: requests.Response, target: Path) -> Download:
        if response.status_code == 304:
            return Download(not_modified=True)
        content_type = response.headers.get("Content-Type", "")
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        digest = hashlib.sha256()
        head = bytearray()
        try:
            with part.open("wb") as out:

                def sink(chunk: bytes) -> None:
                    if len(head) < _HEAD:
                        head.extend(chunk[: _HEAD - len(head)])
                    digest.update(chunk)
                    out.write(chunk)

                size = self._body(url, response, sink)
            reason = refusal(target.name, bytes(head), content_type)
            if reason:
                raise Refused(url, reason)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
        return Download(
            not_modified=False,
            bytes=size,
            sha256=digest.hexdigest(),
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
            content_type=content_type,
        )


def _parse_json(url: str, body: bytes, content_type: str) -> Any:
    reason = refusal("response.json", body[:_HEAD], content_type)
    if reason:
        raise Refused(url, reason)
    try:
        return json.loads(body)
    except ValueError as exc:
        raise Refused(url, f"not valid JSON: {exc}") from exc
