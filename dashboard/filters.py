"""Filters shared by every page, read from and written to the URL query string.

Parameter names are a public interface (other tools build links with them): ``from`` and
``to`` (``YYYY-MM``), ``fy`` (``2013-14``, overrides from/to), ``framework``, ``iteration``,
``lot``, ``buyer_group`` (``central`` | ``non-whitehall`` | ``unclassified``), ``sector``,
``sme`` (``SME`` | ``Large``), ``customer``, ``supplier`` and ``period`` (``month`` |
``fy``); the department page adds ``name``. Several values of one parameter are
comma-separated (not ``name``, which is one department's name or GOV.UK slug).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import parse_qs, quote, urlencode

BUYER_GROUP_CODES = {
    "central": "Central government",
    "non-whitehall": "Non-Whitehall",
    "unclassified": "Unclassified",
}
BUYER_GROUP_NAMES = {name: code for code, name in BUYER_GROUP_CODES.items()}
PERIODS = ("fy", "month")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_FY = re.compile(r"^(\d{4})-(\d{2})$")

# Dataclass field -> URL parameter, in the order parameters are written.
LIST_PARAMS = {
    "fy": "fy",
    "framework": "framework",
    "iteration": "iteration",
    "lot": "lot",
    "buyer_group": "buyer_group",
    "sector": "sector",
    "sme": "sme",
    "customer": "customer",
    "supplier": "supplier",
}


@dataclass(frozen=True)
class Filters:
    """One view's filters; empty tuples mean "all"."""

    date_from: str | None = None
    date_to: str | None = None
    fy: tuple[str, ...] = ()
    framework: tuple[str, ...] = ()
    iteration: tuple[str, ...] = ()
    lot: tuple[str, ...] = ()
    buyer_group: tuple[str, ...] = ()  # canonical names: Central government, ...
    sector: tuple[str, ...] = ()
    sme: tuple[str, ...] = ()
    customer: tuple[str, ...] = ()  # names or keys; matched on the normalised key
    supplier: tuple[str, ...] = ()
    period: str | None = None  # fy | month; None: by month within one year, else by year
    department: str | None = None  # the department page's ``name`` parameter (name or slug)

    @property
    def shown_by(self) -> str:
        """The period charts are drawn by: the chosen one, else months for a single
        financial year or a range of up to 13 months, else financial years."""
        if self.period in PERIODS:
            return self.period
        if len(self.fy) == 1:
            return "month"
        if self.date_from and self.date_to and not self.fy:
            start, end = (int(d[:4]) * 12 + int(d[5:]) for d in (self.date_from, self.date_to))
            return "month" if end - start < 13 else "fy"
        return "fy"


def _split(values: list[str]) -> tuple[str, ...]:
    parts = [p.strip() for value in values for p in value.split(",")]
    return tuple(dict.fromkeys(p for p in parts if p))


def _valid_fy(label: str) -> bool:
    match = _FY.match(label)
    return bool(match) and (int(match[1]) + 1) % 100 == int(match[2])


def parse_query(query: str | Mapping[str, str | list[str]]) -> Filters:
    """Filters from a query string (``?fy=2013-14&sme=SME``) or a mapping of parameters.

    Unknown parameters and malformed values are ignored rather than failing the page.
    """
    if isinstance(query, str):
        params: Mapping[str, list[str]] = parse_qs(query.lstrip("?"), keep_blank_values=False)
    else:
        params = {k: v if isinstance(v, list) else [v] for k, v in query.items() if v}
    lists = {name: _split(params.get(param, [])) for name, param in LIST_PARAMS.items()}
    lists["fy"] = tuple(v for v in lists["fy"] if _valid_fy(v))
    lists["buyer_group"] = tuple(
        BUYER_GROUP_CODES[v.lower()] for v in lists["buyer_group"] if v.lower() in BUYER_GROUP_CODES
    )
    lists["sme"] = tuple(v for v in lists["sme"] if v in ("SME", "Large", "Unknown"))
    date_from = _split(params.get("from", []))
    date_to = _split(params.get("to", []))
    period = _split(params.get("period", []))
    department = [v.strip() for v in params.get("name", []) if v.strip()]
    return Filters(
        department=department[0] if department else None,
        date_from=date_from[0] if date_from and _MONTH.match(date_from[0]) else None,
        date_to=date_to[0] if date_to and _MONTH.match(date_to[0]) else None,
        period=period[0] if period and period[0] in PERIODS else None,
        **lists,
    )


def to_query(filters: Filters) -> str:
    """The query string (with its ``?``, or empty) that reproduces ``filters``."""
    params: list[tuple[str, str]] = []
    if filters.date_from and not filters.fy:
        params.append(("from", filters.date_from))
    if filters.date_to and not filters.fy:
        params.append(("to", filters.date_to))
    for name, param in LIST_PARAMS.items():
        values = getattr(filters, name)
        if name == "buyer_group":
            values = tuple(BUYER_GROUP_NAMES[v] for v in values)
        if values:
            params.append((param, ",".join(values)))
    if filters.period:
        params.append(("period", filters.period))
    if filters.department:
        params.append(("name", filters.department))
    if not params:
        return ""
    return "?" + urlencode(params, quote_via=quote, safe=",")


def describe(filters: Filters) -> str:
    """Words for chart titles: the period and every filter applied."""
    if filters.fy:
        period = "financial year " + ", ".join(filters.fy)
    elif filters.date_from or filters.date_to:
        period = f"{filters.date_from or 'start'} to {filters.date_to or 'latest'}"
    else:
        period = "all months"
    parts = [period]
    for field in fields(Filters):
        if field.name in ("date_from", "date_to", "fy", "period", "department"):
            continue
        values = getattr(filters, field.name)
        if values:
            parts.append(f"{field.name.replace('_', ' ')}: {', '.join(values)}")
    return "; ".join(parts)
