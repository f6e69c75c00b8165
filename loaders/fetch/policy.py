"""Where a fetch may go: only where its source was sent.

Every URL a fetch requests (the source's page or API, each redirect, each ``links.next``
page, each attachment or resource) is checked by the :class:`LinkPolicy` of its source:

- an ``http`` or ``https`` URL (never ``file:``, ``ftp:``, ``data:``...);
- on the host of the source's URL (the analyst chose it: whatever its address), or on a host
  listed for the source in the ``hosts`` column of ``sources.csv`` (``*.example.org`` for
  every host under ``example.org``);
- and then, on any host but the source's own, only at public addresses: an IP address
  written in the URL or any address its name resolves to may not be loopback
  (``127.0.0.1``, ``::1``), link-local (``169.254.169.254``, a cloud's metadata service),
  private (``10/8``, ``172.16/12``, ``192.168/16``, ``fc00::/7``), shared, multicast,
  reserved or unspecified.

A URL refused is that link only: the fetch records it with the reason and goes on.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

Resolver = Callable[[str], list[str]]


def resolve(host: str) -> list[str]:
    """The addresses ``host`` resolves to (empty when it does not resolve: the request itself
    then fails with its own reason)."""
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except (OSError, UnicodeError):
        return []


def _kind(address: str) -> str | None:
    """What makes ``address`` not public (``loopback``, ``link-local``...), or ``None``."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unreadable"
    checks = (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
              ("multicast", ip.is_multicast), ("unspecified", ip.is_unspecified),
              ("reserved", ip.is_reserved), ("private", ip.is_private),
              ("not public", not ip.is_global))  # fmt: skip
    return next((name for name, hit in checks if hit), None)


def _host(url: str) -> str | None:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".") or None
    except ValueError:  # an unreadable port or IPv6 literal
        return None


@dataclass(frozen=True)
class LinkPolicy:
    """The hosts one source may be fetched from: its own (``home``) and those listed."""

    home: str | None
    hosts: tuple[str, ...] = ()
    resolver: Resolver = resolve

    @classmethod
    def of(cls, url: str, hosts: Iterable[str] = (), resolver: Resolver = resolve) -> LinkPolicy:
        """The policy of a source whose URL is ``url``, with ``hosts`` listed."""
        listed = tuple(h.strip().lower().rstrip(".") for h in hosts if h.strip())
        return cls(_host(url), listed, resolver)

    def _listed(self, host: str) -> bool:
        return any(
            host == entry or (entry.startswith("*.") and host.endswith(entry[1:]))
            for entry in self.hosts
        )

    def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be fetched for this source (one line), or ``None``."""
        try:
            scheme = urlsplit(url).scheme.lower()
        except ValueError:
            return "not a URL that can be read"
        if scheme not in ("http", "https"):
            return f"not an http(s) URL (scheme {scheme or 'none'!r})"
        host = _host(url)
        if host is None:
            return "no host in the URL"
        if host == self.home:
            return None
        literal = _kind(host) != "unreadable"
        if literal and _kind(host) is not None:
            return f"{host} is a {_kind(host)} address, never fetched"
        if not self._listed(host):
            return (f"on another host ({host}) than the source's ({self.home}): list it in "
                    "the hosts column of sources.csv to allow it")  # fmt: skip
        for address in [] if literal else self.resolver(host):
            kind = _kind(address)
            if kind is not None:
                return f"{host} is at a {kind} address ({address}), never fetched"
        return None
