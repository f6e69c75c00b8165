"""Hostile query strings: malformed, oversized and injection attempts, seeded.

Each is a query string without its ``?``, as an attacker or a broken link would send it. The
load test sends them to every page, as the page itself (GET) and as the ``search`` of the
callbacks a browser posts; none may be answered with a 5xx.
"""

from __future__ import annotations

import random
import string
from urllib.parse import quote

PARAMS = ("from", "to", "fy", "framework", "iteration", "lot", "buyer_group", "sector", "sme",
          "customer", "supplier", "period", "name", "type")  # fmt: skip
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "' OR '1'='1' --",
    "1; DROP TABLE spend; --",
    "{{7*7}}",
    "${jndi:ldap://127.0.0.1/a}",
    "../../../../etc/passwd",
    "%00",
    "%0d%0aSet-Cookie:%20a=1",
    '=HYPERLINK("http://127.0.0.1")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "__proto__",
    "constructor[prototype][x]=1",
    "\u202eevil\u202c",
    "\U0001f4a9" * 20,
    "NaN",
    "-1",
    "9" * 400,
    "2013-14,2013-14,2013-14,2013-14",
    "9999-99",
    "0000-00",
    "2019-13",
    "2020-00",
    "1900-01",
    "2016-17,,,,,,",
    "fy",
    "month,fy",
    " ",
)
MALFORMED = (
    "%",
    "%%",
    "%ZZ",
    "fy=%E0%A4%A",
    "fy=%ED%A0%80",  # a lone surrogate in UTF-8
    "fy=%C0%AF",  # overlong encoding
    "=",
    "&&&&",
    "fy",
    "fy=&fy=&fy=",
    "name[]=x&name[]=y",
    "a=1;b=2",
    "fy=2016-17#fragment",
    "?fy=2016-17",
    "fy=2016-17&&from=2019-01&to=2018-01",
    "from=2019-05&to=2019-01",
    "period=week",
    "sme=maybe&buyer_group=nobody",
    "type=%3Cb%3E",
    "customer=,,,,,",
    "supplier=%2C%2C%2C",
)


def _encoded(text: str, rng: random.Random) -> str:
    """The text percent-encoded, or raw (as a hand-typed link would be), at random."""
    return quote(text, safe="") if rng.random() < 0.6 else text


def _injection(rng: random.Random) -> str:
    return f"{rng.choice(PARAMS)}={_encoded(rng.choice(PAYLOADS), rng)}"


def _oversized(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return f"{rng.choice(PARAMS)}=" + "A" * rng.choice((2_100, 8_000, 40_000))
    if kind == 1:
        return "&".join(f"p{i}=x" for i in range(rng.choice((300, 2_000))))
    if kind == 2:
        return "&".join(f"fy=20{10 + i % 15}-{11 + i % 15}" for i in range(rng.choice((200, 900))))
    names = ",".join(f"Body {i}" for i in range(rng.choice((100, 700))))
    return f"customer={quote(names, safe=',')}"


def _garbage(rng: random.Random) -> str:
    length = rng.randint(1, 300)
    if rng.random() < 0.5:
        return "".join(rng.choice(string.printable) for _ in range(length))
    raw = bytes(rng.randrange(256) for _ in range(length))
    return "".join(f"%{b:02X}" for b in raw)


def _mixed(rng: random.Random) -> str:
    parts = [rng.choice((_injection, lambda r: r.choice(MALFORMED)))(rng) for _ in range(3)]
    return "&".join(parts)


KINDS = (_injection, _oversized, _garbage, _mixed, lambda rng: rng.choice(MALFORMED))


def hostile_queries(count: int, seed: int = 2026) -> list[str]:
    """``count`` hostile query strings (without ``?``), the same for the same seed."""
    rng = random.Random(seed)
    return [KINDS[i % len(KINDS)](rng) for i in range(count)]
