"""A polite HTTP client on ``requests``: retries, backoff, conditional requests, size cap,
bounded waits, and only where it was sent.

- **Retries** with exponential backoff (``backoff * 2**n`` seconds, or the server's
  ``Retry-After`` when longer) on timeouts, broken connections (including a body cut off
  mid-way) and HTTP 5xx / 429. Other 4xx are final. A ``Retry-After`` over
  ``max_retry_after`` (default 10 minutes) is not waited for: the link is refused for this
  run.
- **A time limit per download** (``max_seconds``, headers and body, however slowly they
  come: :mod:`loaders.fetch.deadline`).
- **Only where it was sent**: redirects are followed by hand, each target checked by the
  source's :class:`~loaders.fetch.policy.LinkPolicy` (http(s), the source's host or one listed,
  never a private address); at most :data:`MAX_REDIRECTS`; a loop is refused.
- **A polite delay** between any two requests (``FetchSettings.delay`` seconds), longer
  while a source with a rate limit of its own is fetched (:meth:`HttpClient.paced`).
- **Conditional requests**: the ``ETag`` and ``Last-Modified`` of the last download are sent
  back as ``If-None-Match`` / ``If-Modified-Since``; ``304 Not Modified`` means unchanged (and
  is refused when no validator was sent: nothing is known to be unchanged).
- **A size cap** per file (``max_bytes``): checked against ``Content-Length`` before the
  body is read and while it is read.
- **JSON answers** (API pages) nested deeper than
  :data:`~loaders.core.json_limits.MAX_JSON_DEPTH` levels are refused.
- **Atomic writes**: the body goes to ``NAME.part``, is hashed (SHA-256) and sniffed
  (:mod:`loaders.fetch.sniff`) and only then renamed to ``NAME``; a failed download never
  leaves a file behind.

Anything that cannot be fetched raises :class:`Refused` with a one-line reason.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

from loaders.core import json_limits
from loaders.fetch.deadline import Deadline, DeadlineAdapter, expired
from loaders.fetch.policy import LinkPolicy
from loaders.fetch.sniff import refusal

USER_AGENT = "framework-spend-loaders (python -m loaders fetch; requests)"
_HEAD = 4096
_CHUNK = 64 * 1024
_TRANSIENT_STATUS = {429, 500, 502, 503, 504}
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how hard to fetch (seconds, bytes)."""

    timeout: float = 60.0
    retries: int = 4
    backoff: float = 2.0
    delay: float = 1.0
    max_bytes: int = 200 * 1024 * 1024
    max_seconds: float = 900.0  # one download, headers and body (200 MB at 230 KB/s)
    max_retry_after: float = 600.0  # a longer Retry-After refuses the link for this run
    max_pages: int = 10_000  # pages of one window of a windowed search (then it is split)
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
    """The server's ``Retry-After`` in seconds (a number or an HTTP date; 0 if none)."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max((when - dt.datetime.now(dt.UTC)).total_seconds(), 0.0)


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
        for scheme in ("http://", "https://"):
            self.session.mount(scheme, DeadlineAdapter())
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

    def _open(self, url: str, headers: Mapping[str, str], policy: LinkPolicy) -> requests.Response:
        """The response to ``url`` after redirects, each target checked by ``policy``
        (raises :class:`Refused` for a target refused, a loop or too many redirects)."""
        current, seen = url, {url}
        for _ in range(MAX_REDIRECTS + 1):
            reason = policy.refusal(current)
            if reason:
                raise Refused(
                    url, reason if current == url else f"redirected to {current}: {reason}"
                )
            response = self.session.get(
                current,
                headers=dict(headers),
                stream=True,
                timeout=self.settings.timeout,
                allow_redirects=False,
            )
            if not response.is_redirect:
                return response
            response.close()
            following = urljoin(current, response.headers["Location"])
            if following in seen:
                raise Refused(url, f"redirect loop ({current} -> {following})")
            seen.add(following)
            current = following
        raise Refused(url, f"more than {MAX_REDIRECTS} redirects")

    def _status(self, url: str, response: requests.Response) -> None:
        """Raise for an HTTP error: :class:`_Transient` (tried again) or :class:`Refused`."""
        if response.status_code in _TRANSIENT_STATUS:
            wait = _retry_after(response)
            cap = self.settings.max_retry_after
            if wait > cap:
                raise Refused(url, f"HTTP {response.status_code} asking to wait {wait:,.0f} s "
                                   f"(Retry-After), over the {cap:,.0f} s cap: refused for "
                                   "this run")  # fmt: skip
            raise _Transient(f"HTTP {response.status_code}", wait)
        if response.status_code >= 400:
            raise Refused(url, f"HTTP {response.status_code} {response.reason}")

    def _attempt(
        self, url: str, headers: Mapping[str, str], handle: Callable, policy: LinkPolicy
    ) -> Any:
        self._polite()
        too_slow = self._too_slow()
        with Deadline(self.settings.max_seconds) as deadline:
            try:
                with self._open(url, headers, policy) as response:
                    self._status(url, response)
                    result = handle(response)
            except requests.Timeout as exc:
                if deadline.expired:
                    raise Refused(url, too_slow) from exc
                raise _Transient(f"timed out ({type(exc).__name__})") from exc
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                if deadline.expired:
                    raise Refused(url, too_slow) from exc
                raise _Transient(f"connection failed ({type(exc).__name__})") from exc
            except _Transient:
                if deadline.expired:
                    raise Refused(url, too_slow) from None
                raise
            except requests.RequestException as exc:  # an unreadable URL, a bad scheme...
                raise Refused(url, f"cannot be fetched ({type(exc).__name__}: {exc})") from exc
            if deadline.expired:  # a body without a length, ended by the cut: incomplete
                raise Refused(url, too_slow)
        return result

    def _too_slow(self) -> str:
        return f"took longer than the {self.settings.max_seconds:,.0f} s a download may take"

    def _with_retries(
        self, url: str, headers: Mapping[str, str], handle: Callable, policy: LinkPolicy | None
    ) -> Any:
        policy = policy or LinkPolicy.of(url)
        tries = self.settings.retries + 1
        for attempt in range(tries):
            try:
                return self._attempt(url, headers, handle, policy)
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
        if expired():  # the body ended because the time limit cut it
            raise Refused(url, self._too_slow())
        encoded = response.headers.get("Content-Encoding", "identity") not in ("", "identity")
        if declared.isdigit() and size != int(declared) and not encoded:
            raise _Transient(f"connection broken: {size:,} of {int(declared):,} bytes received")
        return size

    def get_json(self, url: str, policy: LinkPolicy | None = None) -> Any:
        """The JSON document at ``url`` (an API response, not saved), fetched as ``policy``
        allows (default: only on the URL's own host).

        Raises :class:`Refused` for HTTP errors after retries, an oversize body, or a body
        that is not JSON (e.g. an HTML error page) or nested too deep.
        """

        def handle(response: requests.Response) -> Any:
            parts: list[bytes] = []
            self._body(url, response, parts.append)
            return _parse_json(url, b"".join(parts), response.headers.get("Content-Type", ""))

        return self._with_retries(url, {"Accept": "application/json"}, handle, policy)

    def get_text(self, url: str, policy: LinkPolicy | None = None) -> str:
        """The text of an HTML page at ``url`` (not saved), fetched as ``policy`` allows.
        Raises :class:`Refused`."""

        def handle(response: requests.Response) -> str:
            parts: list[bytes] = []
            self._body(url, response, parts.append)
            return b"".join(parts).decode(response.encoding or "utf-8", errors="replace")

        return self._with_retries(url, {}, handle, policy)

    def download(
        self,
        url: str,
        target: Path,
        validators: tuple[str, str] = ("", ""),
        policy: LinkPolicy | None = None,
    ) -> Download:
        """Download ``url`` to ``target`` through ``target.part``, as ``policy`` allows.

        ``validators`` are the ``(etag, last_modified)`` of the copy already at ``target``;
        when given they are sent as ``If-None-Match`` / ``If-Modified-Since``. Raises
        :class:`Refused` (nothing left on disk) for HTTP errors after retries, a body over
        the size cap or the time limit, a broken connection after retries, a 304 when no
        validator was sent, or content that is not what the file name promises.
        """
        headers = {}
        if validators[0]:
            headers["If-None-Match"] = validators[0]
        if validators[1]:
            headers["If-Modified-Since"] = validators[1]
        return self._with_retries(
            url, headers, lambda r: self._save(url, r, Path(target), bool(headers)), policy
        )

    def _save(
        self, url: str, response: requests.Response, target: Path, conditional: bool
    ) -> Download:
        if response.status_code == 304:
            if not conditional:
                raise Refused(url, "answered 304 Not Modified to a request without validators")
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
        return json_limits.loads(body)
    except json_limits.TooDeep as exc:
        raise Refused(url, str(exc)) from None
    except ValueError as exc:
        raise Refused(url, f"not valid JSON: {exc}") from exc
