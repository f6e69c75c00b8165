"""A minister's brief: one subject (a department, a buyer, an area) on one page: the
headline in words, spend by financial year, the SME share against a comparison and the
government's aspiration, the largest suppliers of the year, the caveats and the
data-as-at month.

Each kind of subject is a :class:`BriefKind` of :data:`BRIEF_KINDS` (``register_brief_kind``
adds one): it finds the subject a name names (:class:`BriefSubject`: its spend lines for any
filters, the lines it is compared with and their name, its largest suppliers, notes of its
own). :func:`brief` works out the figures of a financial year; :func:`headline` says them in
words (``£21.4m through the frameworks in 2013-14, up 42% on 2012-13; 53% to SMEs, against
41% across central government.``). A year the data cover only in part is compared with the
same months a year earlier, and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard.analytics.filters import Filters
from dashboard.analytics.held_periods import SPEND, held_range, part_years, years_held
from dashboard.analytics.performance import SmeTarget, read_sme_targets, target_in_force
from dashboard.analytics.spend import headline as spend_headline
from dashboard.analytics.spend import sme_share_by_period, spend_by_period
from dashboard.analytics.store import Store
from loaders.core import periods

TOP_SUPPLIERS = 5
YEARS_SHOWN = 5  # the years a brief's charts show: the brief's year and those before it
Lines = Callable[[Filters], pd.DataFrame]


@dataclass(frozen=True)
class BriefSubject:
    """What a brief is about: its name, its spend lines for any filters (a period), the lines
    it is compared with (``compare_label``: ``central government``), its largest suppliers
    (``supplier``, ``sme_status``, ``spend_gbp``), notes of its own and the filters of its
    page (``None``: ``?name=`` the name the brief was asked for)."""

    name: str
    lines: Lines
    compare_lines: Lines
    compare_label: str
    suppliers: Callable[[Filters, int], pd.DataFrame]
    notes: Callable[[Filters], list[str]] = lambda filters: []
    page_filters: Filters | None = None


@dataclass(frozen=True)
class BriefKind:
    """A kind of subject with a brief: its name, label, page, how a name finds one, and what
    names one (in words, for the command line's help)."""

    name: str
    label: str
    page: str
    subject: Callable[[Store, str], BriefSubject | None]
    named_by: str = "a name, spelling or slug"
    not_all: str = "not all the spend of {subject}"  # the caveat on what the spend leaves out


BRIEF_KINDS: dict[str, BriefKind] = {}


def register_brief_kind(kind: BriefKind) -> BriefKind:
    """Give subjects of ``kind`` a brief (a later kind of the same name replaces it)."""
    BRIEF_KINDS[kind.name] = kind
    return kind


@dataclass(frozen=True)
class Brief:
    """The figures of a brief (pounds ex VAT, shares in percent, ``None`` where undefined)."""

    kind: BriefKind
    subject: str
    year: str
    months: str | None  # the months of a part year (``Apr–Jun``), else None
    spend_gbp: float
    previous_label: str  # ``2012-13``, or ``the same months of 2012-13`` for a part year
    previous_gbp: float
    previous_held: bool  # whether the data hold the year before (else the first year)
    sme_share: float | None
    compare_label: str
    compare_share: float | None
    target: SmeTarget | None
    by_year: pd.DataFrame  # financial_year, spend_gbp, months (of a part year, else ""): the
    # latest YEARS_SHOWN years to the brief's
    sme_by_year: pd.DataFrame  # financial_year, subject_pct, comparison_pct, target_pct
    suppliers: pd.DataFrame  # supplier, sme_status, spend_gbp
    notes: tuple[str, ...]
    page_filters: Filters | None = None  # the filters of the subject's page (None: ?name=)

    @property
    def change_pct(self) -> float | None:
        """The change on the year before (%), ``None`` when the year before had no spend."""
        if self.previous_gbp <= 0:
            return None
        return 100 * (self.spend_gbp - self.previous_gbp) / self.previous_gbp


def default_year(store: Store) -> str | None:
    """The year a brief is of when none is chosen: the latest financial year the spend data
    cover whole, else the latest year with spend."""
    years = years_held(store, (SPEND,))
    part = part_years(store, SPEND, Filters(), years)
    whole = [y for y in years if y not in part]
    return (whole or years or [None])[-1]


def _year_filters(year: str, part: str | None, store: Store) -> tuple[Filters, Filters]:
    """The filters of the year (its months in the data) and of the same months a year
    earlier."""
    if part is None:
        return Filters(fy=(year,)), Filters(fy=(periods.previous_fy(year),))
    first, last = periods.fy_range(year)
    held = periods.months_between(*held_range(store, SPEND))  # the span the data cover
    inside = held[(held >= first) & (held <= last)]
    start, end = inside.min(), inside.max()
    earlier = [(m - pd.DateOffset(years=1)).strftime("%Y-%m") for m in (start, end)]
    this = Filters(date_from=start.strftime("%Y-%m"), date_to=end.strftime("%Y-%m"))
    return this, Filters(date_from=earlier[0], date_to=earlier[1])


def _share(lines: pd.DataFrame) -> float | None:
    value = spend_headline(lines)["sme_share_value"]
    return None if value is None or value != value else float(value)


def _by_year(subject: BriefSubject, compare: pd.DataFrame, store: Store, year: str) -> tuple:
    """Spend and SME shares of the subject by financial year: the :data:`YEARS_SHOWN` years
    with spend up to ``year``."""
    years = [y for y in years_held(store, (SPEND,)) if y <= year][-YEARS_SHOWN:]
    lines = subject.lines(Filters())
    spend = spend_by_period(lines, "fy").set_index("period")["total_gbp"]
    part = part_years(store, SPEND, Filters(), years)
    by_year = pd.DataFrame({
        "financial_year": years,
        "spend_gbp": [float(spend.get(y, 0.0)) for y in years],
        "months": [part.get(y, "") for y in years],
    })  # fmt: skip
    own = sme_share_by_period(lines, "fy").set_index("period")["sme_share_value_pct"]
    other = sme_share_by_period(compare, "fy").set_index("period")["sme_share_value_pct"]
    targets = read_sme_targets()
    sme = pd.DataFrame({
        "financial_year": years,
        "subject_pct": [own.get(y) for y in years],
        "comparison_pct": [other.get(y) for y in years],
        "target_pct": [getattr(target_in_force(periods.fy_range(y)[1], targets), "target_pct",
                               None) for y in years],
    })  # fmt: skip
    return by_year, sme


def _readable(store: Store, suppliers: pd.DataFrame) -> pd.DataFrame:
    if suppliers.empty:
        return suppliers
    names = [store.body_index.readable("supplier", str(n)) for n in suppliers["supplier"]]
    return suppliers.assign(supplier=names)


def brief(store: Store, kind: str, name: str, year: str | None = None) -> Brief | None:
    """The brief of the subject of ``kind`` that ``name`` names, for financial year ``year``
    (default :func:`default_year`), or ``None`` when the name names none."""
    found = BRIEF_KINDS[kind].subject(store, name) if kind in BRIEF_KINDS else None
    year = year or default_year(store)
    if found is None or year is None:
        return None
    part = part_years(store, SPEND, Filters(), [year]).get(year)
    this, before = _year_filters(year, part, store)
    lines = found.lines(this)
    compare_all = found.compare_lines(Filters())
    by_year, sme = _by_year(found, compare_all, store, year)
    previous = periods.previous_fy(year)
    return Brief(
        kind=BRIEF_KINDS[kind],
        subject=found.name,
        year=year,
        months=part,
        spend_gbp=float(lines["spend_gbp"].sum()),
        previous_label=previous if part is None else f"the same months of {previous}",
        previous_gbp=float(found.lines(before)["spend_gbp"].sum()),
        previous_held=previous in years_held(store, (SPEND,)),
        sme_share=_share(lines),
        compare_label=found.compare_label,
        compare_share=_share(found.compare_lines(this)),
        target=target_in_force(periods.fy_range(year)[1], read_sme_targets()),
        by_year=by_year,
        sme_by_year=sme,
        suppliers=_readable(store, found.suppliers(this, TOP_SUPPLIERS)),
        notes=tuple(found.notes(this)),
        page_filters=found.page_filters,
    )


TIMES_FROM = 3  # a rise to this many times the year before or more is said in times


def money_words(value: float) -> str:
    """Money in a sentence: ``£21.4m``, ``£950k``, ``£1.70bn``, ``£850``."""
    size = abs(value)
    sign = "-" if value < 0 else ""
    for threshold, suffix, places in ((1e9, "bn", 2), (1e6, "m", 1), (1e3, "k", 0)):
        if size >= threshold * 0.9995:  # the unit whose figure is 1 or more once rounded
            return f"{sign}£{size / threshold:,.{places}f}{suffix}"
    return f"{sign}£{size:,.0f}"


def _change(figures: Brief) -> str:
    if not figures.previous_held:
        return "the first year the data hold"
    change = figures.change_pct
    if change is None:
        return f"with no spend in {figures.previous_label}"
    if round(change) == 0:
        return f"about the same as {figures.previous_label}"
    times = 1 + change / 100
    if times >= TIMES_FROM:  # "up 1,912%" reads better as "about 20 times"
        words = f"{times:.0f}" if times >= 10 else f"{times:.1f}".removesuffix(".0")
        return f"about {words} times {figures.previous_label}"
    return f"{'up' if change > 0 else 'down'} {abs(change):,.0f}% on {figures.previous_label}"


def period_words(figures: Brief) -> str:
    """``2013-14``, or ``2014-15 (April to June only: the latest data)``."""
    if figures.months is None:
        return figures.year
    return f"{figures.year} ({figures.months} only, the months the data hold)"


def headline(figures: Brief) -> str:
    """The brief's headline in words (see the module docstring)."""
    text = (f"{money_words(figures.spend_gbp)} through the frameworks in {period_words(figures)}, "
            f"{_change(figures)}")  # fmt: skip
    if figures.sme_share is None:
        return text + "."
    text += f"; {figures.sme_share:.0f}% to SMEs"
    if figures.compare_share is not None:
        text += f", against {figures.compare_share:.0f}% across {figures.compare_label}"
    return text + "."
