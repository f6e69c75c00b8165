"""The filter contract: every filter parameter declared once, and what follows from it.

:data:`PARAMS` lists each parameter with its :class:`Filters` field, its URL name, the id of
its control in the filter panel, its kind and the values it accepts. Parsing a query string,
writing one, describing the filters in words, building the controls and the callback's
inputs all iterate this one list. URL names are a public interface (other tools build links
with them): ``from`` and ``to`` (``YYYY-MM``), ``fy`` (``2013-14``, overrides from/to),
``framework``, ``iteration``, ``lot``, ``buyer_group`` (codes of
``data/reference/buyer_groups.csv``: ``central``, ``non-whitehall``, ``unclassified``),
``sector``, ``sme`` (``SME``, ``Large``), ``customer``, ``supplier``, ``period`` (``fy``,
``quarter``: financial quarters, Q1 April to June, or ``month``) and ``name`` (the subject of
a page: a department's name or slug on ``/department``, a buyer's name, URN or body key on
``/buyer``), ``q`` (the text of a search on ``/search``); the lists of bodies that could
buy take ``type``, ``group``, ``region``, ``combined_authority`` and ``status``, the
department page ``compare``. Several values of one parameter are comma-separated (not
``name``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, quote, urlencode

import pandas as pd

from loaders.core import periods
from loaders.core.vocabulary import load_vocabulary, simplify

PERIODS = tuple(periods.PERIOD_KINDS)  # month, quarter, fy
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
    the only values a link may carry (empty: those of the store). ``words`` names the filter
    in descriptions ("" for the period parameters, described together); ``noun`` says what a
    value should be, in the notice for a value that cannot apply. A parameter that is not
    ``carried`` belongs to the page it is on (a page's ``name``, the supplier of a
    profile): links to other pages leave it out.
    """

    field: str
    url: str
    control: str | None
    kind: str
    words: str = ""
    column: str | None = None
    accepts: tuple[str, ...] = ()
    noun: str = ""
    carried: bool = True


PARAMS: tuple[Param, ...] = (
    Param("date_from", "from", "filter-from", MONTH, noun="month (YYYY-MM)"),
    Param("date_to", "to", "filter-to", MONTH, noun="month (YYYY-MM)"),
    Param("fy", "fy", "filter-fy", FY, noun="financial year in the data (such as 2016-17)"),
    Param("framework", "framework", "filter-framework", CHOICE, "framework", "framework",
          noun="framework in the data"),
    Param("iteration", "iteration", "filter-iteration", CHOICE, "iteration",
          "framework_iteration", noun="framework iteration in the data"),
    Param("lot", "lot", "filter-lot", CHOICE, "lot", "lot", noun="lot in the data"),
    Param("buyer_group", "buyer_group", "filter-buyer-group", GROUP, "buyer group",
          "buyer_group", noun="buyer group: central, non-whitehall or unclassified"),
    Param("sector", "sector", "filter-sector", CHOICE, "sector", "sector",
          noun="sector in the data"),
    Param("sme", "sme", "filter-sme", CHOICE, "supplier size", "sme_status",
          ("SME", "Large", "Unknown"),
          noun="supplier size: SME or Large"),
    Param("customer", "customer", "filter-customer", NAMES, "customer",
          noun="customer in the data"),
    Param("supplier", "supplier", "filter-supplier", NAMES, "supplier",
          noun="supplier in the data", carried=False),
    Param("period", "period", "filter-period", PERIOD,
          noun="period: fy, quarter or month"),
    Param("name", "name", None, TEXT, carried=False),
    Param("query", "q", None, TEXT, carried=False),
    Param("organisation_type", "type", None, CHOICE, carried=False,
          noun="organisation type of a register (such as District council, NHS trust)"),
    Param("adoption_group", "group", None, CHOICE, carried=False,
          noun="group of bodies that could buy (such as Principal councils, Police forces)"),
    Param("region", "region", None, CHOICE, carried=False,
          noun="region or nation (such as North West, Scotland)"),
    Param("combined_authority", "combined_authority", None, CHOICE, carried=False,
          noun="combined authority (its name or code, such as GMCA)"),
    Param("status", "status", None, CHOICE, accepts=("new", "returning", "lapsed", "never"),
          carried=False, noun="adoption status: new, returning, lapsed or never"),
    Param("compare", "compare", None, CHOICE, carried=False,
          noun="department to compare with (its name)"),
)  # fmt: skip
PARAM_BY_FIELD: Mapping[str, Param] = {param.field: param for param in PARAMS}
COLUMN_FILTERS = tuple(p for p in PARAMS if p.kind in (CHOICE, GROUP) and p.column)


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
    period: str | None = None  # fy | quarter | month; None: months within a year, else years
    name: str | None = None  # the page's subject: a department, a buyer (``name``)
    query: str | None = None  # the search page's text (``q``)
    organisation_type: tuple[str, ...] = ()  # adoption and places: register types shown
    adoption_group: tuple[str, ...] = ()  # adoption and places: register groups shown
    region: tuple[str, ...] = ()  # adoption and places: regions and nations shown
    combined_authority: tuple[str, ...] = ()  # adoption and places: codes or names
    status: tuple[str, ...] = ()  # adoption: new, returning, lapsed, never
    compare: tuple[str, ...] = ()  # department page: peer departments

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

    @property
    def by_months(self) -> bool:
        """Whether the charts by period need monthly lines: drawn by month or by quarter. A
        yearly line's ``month`` is the first it covers, so it would put a whole financial
        year in its first month or quarter."""
        return self.shown_by != "fy"


def _split(values: list[str]) -> tuple[str, ...]:
    parts = [p.strip() for value in values for p in value.split(",")]
    return tuple(dict.fromkeys(p for p in parts if p))


@dataclass(frozen=True)
class Notice:
    """A value of a link that cannot apply, and why (shown, never silently dropped)."""

    param: str  # URL name
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.param}={self.value} ({self.reason})"


def _group_codes() -> dict[str, str]:
    """Buyer-group code, and simplified name, -> name."""
    groups = load_vocabulary().buyer_group_list
    return {**{g.code: g.name for g in groups}, **{simplify(g.name): g.name for g in groups}}


def _not(param: Param) -> str:
    return f"not a {param.noun}"


def _chosen(param: Param, values: tuple[str, ...], allowed: Sequence[str] | None):
    """Values found among ``allowed`` (compared case- and punctuation-blind, given in their
    canonical spelling), and notices for the others; any value when ``allowed`` is None."""
    if allowed is None:
        return values, []
    canonical = {simplify(a): a for a in allowed}
    found = [canonical.get(simplify(v)) for v in values]
    notices = [Notice(param.url, v, _not(param)) for v, f in zip(values, found, strict=True)
               if f is None]  # fmt: skip
    return tuple(dict.fromkeys(f for f in found if f)), notices


def _read(
    param: Param, raw: list[str], allowed: Sequence[str] | None, noun: str | None = None
) -> tuple[object, list]:
    """The value of one parameter from its raw query values, and notices for values that
    cannot apply (``allowed``: the values the store holds, where known; ``noun``: what a
    value should be, when the page says so better than the parameter)."""
    if noun:
        param = replace(param, noun=noun)
    if param.kind == TEXT:
        given = [v.strip() for v in raw if v.strip()]
        return (given[0] if given else None), []
    values = _split(raw)
    if param.kind in (MONTH, PERIOD):
        valid = periods.is_month_label if param.kind == MONTH else PERIODS.__contains__
        good = [v for v in values if valid(v)]
        notices = [Notice(param.url, v, _not(param)) for v in values if not valid(v)]
        return (good[0] if good else None), notices
    if param.kind == FY:
        good = tuple(v for v in values if periods.is_fy_label(v))
        notices = [Notice(param.url, v, _not(param)) for v in values if v not in good]
        chosen, unknown = _chosen(param, good, allowed)
        return chosen, notices + unknown
    if param.kind == GROUP:
        codes = _group_codes()
        good = tuple(dict.fromkeys(codes[k] for v in values if (k := v.lower()) in codes
                                   or (k := simplify(v)) in codes))  # fmt: skip
        known = {k for k in codes} | set(codes.values())
        notices = [Notice(param.url, v, _not(param)) for v in values
                   if v.lower() not in known and simplify(v) not in known]  # fmt: skip
        return good, notices
    return _chosen(param, values, param.accepts or allowed)


def read_query(
    query: str | Mapping[str, str | list[str]],
    allowed: Mapping[str, Sequence[str]] | None = None,
    nouns: Mapping[str, str] | None = None,
) -> tuple[Filters, tuple[Notice, ...]]:
    """Filters from a query string (``?fy=2013-14&sme=SME``) or a mapping of parameters, and
    a :class:`Notice` for each value that cannot apply (malformed, unknown, a month range
    that ends before it starts, a parameter that does not exist).

    ``allowed`` gives, per :class:`Filters` field, the values the data holds (financial years,
    frameworks, lots...): values are then matched to them whatever their case, and others are
    noticed. Without it only the form of values is checked. ``nouns`` gives, per field, what
    a value should be when it differs by page (``financial year with notices``).
    """
    if isinstance(query, str):
        params: Mapping[str, list[str]] = parse_qs(query.lstrip("?"), keep_blank_values=False)
    else:
        params = {k: v if isinstance(v, list) else [v] for k, v in query.items() if v}
    allowed, nouns = allowed or {}, nouns or {}
    values: dict[str, object] = {}
    notices: list[Notice] = []
    for param in PARAMS:
        values[param.field], found = _read(param, params.get(param.url, []),
                                           allowed.get(param.field),
                                           nouns.get(param.field))  # fmt: skip
        notices += found
    known = {param.url for param in PARAMS}
    notices += [Notice(name, ",".join(raw), "not a parameter of this app")
                for name, raw in params.items() if name not in known]  # fmt: skip
    first, last = values["date_from"], values["date_to"]
    if first and last and first > last and not values["fy"]:
        notices.append(Notice("from", str(first), f"after to={last}"))
        values["date_from"] = values["date_to"] = None
    return Filters(**values), tuple(notices)


def parse_query(query: str | Mapping[str, str | list[str]]) -> Filters:
    """Filters from a query string (``?fy=2013-14&sme=SME``) or a mapping of parameters.

    Values that cannot apply are left out rather than failing the page
    (:func:`read_query` says which).
    """
    return read_query(query)[0]


def _written(param: Param, filters: Filters) -> str | None:
    """The URL value of one parameter, or ``None`` when it is not written."""
    value = getattr(filters, param.field)
    if not value or (param.kind == MONTH and filters.fy):
        return None
    if param.kind in SINGLE_KINDS:
        return str(value)
    if param.kind == GROUP:
        codes = {g.name: g.code for g in load_vocabulary().buyer_group_list}
        value = tuple(codes[v] for v in value)
    return ",".join(value)


def query_pairs(filters: Filters) -> list[tuple[str, str]]:
    """The URL parameters (name, value as written in a link) that reproduce ``filters``."""
    return [(p.url, text) for p in PARAMS if (text := _written(p, filters)) is not None]


def to_query(filters: Filters) -> str:
    """The query string (with its ``?``, or empty) that reproduces ``filters``."""
    params = query_pairs(filters)
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


def carried(filters: Filters) -> Filters:
    """The filters a link to another page keeps (not the page's own ``name`` or supplier)."""
    empty = Filters()
    return replace(filters, **{p.field: getattr(empty, p.field) for p in PARAMS if not p.carried})


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


def spend_filters(filters: Filters) -> Filters:
    """The filters that select spend lines: those of a page's subject, its chart period, its
    search text and its lists of register bodies (type, group, region, combined authority,
    status, peers) left out, so views that share the same lines share one filtered table."""
    return replace(filters, period=None, name=None, query=None, organisation_type=(),
                   adoption_group=(), region=(), combined_authority=(), status=(),
                   compare=())  # fmt: skip
