"""The filter contract: every filter parameter declared once, and what follows from it.

:data:`PARAMS` lists each parameter with its :class:`Filters` field, its URL name, the id of
its control in the filter panel, its kind and the values it accepts. Parsing a query string,
writing one, describing the filters in words, building the controls and the callback's
inputs all iterate this one list. URL names are a public interface (other tools build links
with them): ``from`` and ``to`` (``YYYY-MM``), ``fy`` (``2013-14``, overrides from/to),
``framework``, ``iteration``, ``lot``, ``buyer_group`` (codes of
``data/reference/buyer_groups.csv``: ``central``, ``non-whitehall``, ``unclassified``),
``sector``, ``sme`` (``SME``, ``Large``), ``customer``, ``supplier``, ``period`` (``fy`` or
``month``) and ``name`` (a department's name or slug). Several values of one parameter are
comma-separated (not ``name``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, quote, urlencode

import pandas as pd

from loaders import periods
from loaders.reference import load_vocabulary

PERIODS = ("fy", "month")
MONTH, FY, CHOICE, GROUP, NAMES, PERIOD, TEXT = (
    "month", "fy", "choice", "group", "names", "period", "text",
)  # fmt: skip
SINGLE_KINDS = (MONTH, PERIOD, TEXT)  # one value each; the others hold tuples


@dataclass(frozen=True)
class Param:
    """One filter parameter.

    ``kind`` decides how values are read and written: ``month`` (one ``YYYY-MM``), ``fy``
    (financial-year labels), ``choice`` (values of a store column, or of ``accepts``),
    ``group`` (buyer-group codes in links, names in filters), ``names`` (customer or supplier
    names or body keys), ``period`` (``fy`` / ``month``) and ``text`` (one value, commas
    allowed). ``column`` is the store column a ``choice`` filters and offers; ``accepts``
    the only values a link may carry (empty: any). ``words`` names the filter in
    descriptions ("" for the period parameters, described together).
    """

    field: str
    url: str
    control: str | None
    kind: str
    words: str = ""
    column: str | None = None
    accepts: tuple[str, ...] = ()


PARAMS: tuple[Param, ...] = (
    Param("date_from", "from", "filter-from", MONTH),
    Param("date_to", "to", "filter-to", MONTH),
    Param("fy", "fy", "filter-fy", FY),
    Param("framework", "framework", "filter-framework", CHOICE, "framework", "framework"),
    Param("iteration", "iteration", "filter-iteration", CHOICE, "iteration",
          "framework_iteration"),
    Param("lot", "lot", "filter-lot", CHOICE, "lot", "lot"),
    Param("buyer_group", "buyer_group", "filter-buyer-group", GROUP, "buyer group",
          "buyer_group"),
    Param("sector", "sector", "filter-sector", CHOICE, "sector", "sector"),
    Param("sme", "sme", "filter-sme", CHOICE, "sme", "sme_status", ("SME", "Large", "Unknown")),
    Param("customer", "customer", "filter-customer", NAMES, "customer"),
    Param("supplier", "supplier", "filter-supplier", NAMES, "supplier"),
    Param("period", "period", "filter-period", PERIOD),
    Param("department", "name", None, TEXT),
)  # fmt: skip
PARAM_BY_FIELD: Mapping[str, Param] = {param.field: param for param in PARAMS}
COLUMN_FILTERS = tuple(p for p in PARAMS if p.kind in (CHOICE, GROUP))  # filter a column


@dataclass(frozen=True)
class Filters:
    """One view's filters (fields as in :data:`PARAMS`); empty tuples mean "all"."""

    date_from: str | None = None
    date_to: str | None = None
    fy: tuple[str, ...] = ()
    framework: tuple[str, ...] = ()
    iteration: tuple[str, ...] = ()
    lot: tuple[str, ...] = ()
    buyer_group: tuple[str, ...] = ()  # names: Central government, ...
    sector: tuple[str, ...] = ()
    sme: tuple[str, ...] = ()
    customer: tuple[str, ...] = ()  # names or body keys
    supplier: tuple[str, ...] = ()
    period: str | None = None  # fy | month; None: by month within one year, else by year
    department: str | None = None  # the department page's ``name`` (name or slug)

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


def _group_codes() -> dict[str, str]:
    return {g.code: g.name for g in load_vocabulary().buyer_group_list}


def _read(param: Param, raw: list[str]) -> object:
    """The value of one parameter from its raw query values (invalid values dropped)."""
    if param.kind == TEXT:
        given = [v.strip() for v in raw if v.strip()]
        return given[0] if given else None
    values = _split(raw)
    if param.kind == MONTH:
        return values[0] if values and periods.is_month_label(values[0]) else None
    if param.kind == PERIOD:
        return values[0] if values and values[0] in PERIODS else None
    if param.kind == FY:
        return tuple(v for v in values if periods.is_fy_label(v))
    if param.kind == GROUP:
        codes = _group_codes()
        return tuple(codes[v.lower()] for v in values if v.lower() in codes)
    if param.accepts:
        return tuple(v for v in values if v in param.accepts)
    return values


def parse_query(query: str | Mapping[str, str | list[str]]) -> Filters:
    """Filters from a query string (``?fy=2013-14&sme=SME``) or a mapping of parameters.

    Unknown parameters and malformed values are ignored rather than failing the page.
    """
    if isinstance(query, str):
        params: Mapping[str, list[str]] = parse_qs(query.lstrip("?"), keep_blank_values=False)
    else:
        params = {k: v if isinstance(v, list) else [v] for k, v in query.items() if v}
    return Filters(**{p.field: _read(p, params.get(p.url, [])) for p in PARAMS})


def _written(param: Param, filters: Filters) -> str | None:
    """The URL value of one parameter, or ``None`` when it is not written."""
    value = getattr(filters, param.field)
    if not value or (param.kind == MONTH and filters.fy):
        return None
    if param.kind in SINGLE_KINDS:
        return str(value)
    if param.kind == GROUP:
        codes = {name: code for code, name in _group_codes().items()}
        value = tuple(codes[v] for v in value)
    return ",".join(value)


def to_query(filters: Filters) -> str:
    """The query string (with its ``?``, or empty) that reproduces ``filters``."""
    params = [(p.url, text) for p in PARAMS if (text := _written(p, filters)) is not None]
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
    for param in PARAMS:
        values = getattr(filters, param.field)
        if param.words and values:
            parts.append(f"{param.words}: {', '.join(values)}")
    return "; ".join(parts)


def without_time(filters: Filters) -> Filters:
    """The same filters with the period filters removed."""
    return replace(filters, date_from=None, date_to=None, fy=())


def whole_years(filters: Filters) -> bool:
    """Whether the period filters choose whole financial years (or all time)."""
    return bool(filters.fy) or (
        (filters.date_from is None or filters.date_from.endswith("-04"))
        and (filters.date_to is None or filters.date_to.endswith("-03"))
    )


MonthRange = tuple[pd.Timestamp | None, pd.Timestamp | None]


def period_ranges(filters: Filters) -> list[MonthRange]:
    """The month ranges (first, last; ``None`` = open) the period filters choose; none = all."""
    if filters.fy:
        return [periods.fy_range(label) for label in sorted(set(filters.fy))]
    if filters.date_from or filters.date_to:
        ends = (filters.date_from, filters.date_to)
        return [tuple(periods.month_start(d) if d else None for d in ends)]
    return []
