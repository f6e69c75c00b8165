"""The periods each kind of data holds: which years and months a page can offer, which years
are only part covered, and what to say when a period holds none of a page's data.

A page shows one or more kinds of data (:data:`KINDS`: ``spend`` by month of spend,
``notices`` by month of publication, and ``bids``: bid statistics of award notices and
applications to Digital Outcomes and Specialists opportunities, by month of publication);
each kind knows the months it holds. A page offers the
financial years and months of the kinds it shows (``/opportunities`` the notices' months, a
department page both), a link is read against them, and a view of one kind says, rather than
drawing zeros, when the period chosen holds none of it.

A financial year is a **part year** when the data hold fewer than its twelve months (the
latest year of a release, or the year a source starts): its charts and tables say which
months it covers (``Apr–Jun``), so a part year never reads as a collapse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.analytics.counting import distinct_months
from dashboard.analytics.filters import Filters, period_ranges
from dashboard.analytics.notice_figures import LOADED
from loaders.core import periods

if TYPE_CHECKING:
    from dashboard.analytics.store import Store

SPEND, NOTICES, BIDS = "spend", "notices", "bids"


def spend_months(store: Store) -> pd.DatetimeIndex:
    """First days of the months with spend, oldest first."""
    return distinct_months(store.table("spend"))


def notice_months(store: Store) -> pd.DatetimeIndex:
    """First days of the months in which a loaded notice (OCDS release) was published."""
    releases = store.ocds_releases
    return _months_of(releases.loc[releases["status"].astype(object).eq(LOADED), "date"])


def _months_of(dates: pd.Series) -> pd.DatetimeIndex:
    dates = dates.dropna()
    if dates.empty:
        return pd.DatetimeIndex([])
    months = dates.dt.tz_localize(None) if dates.dt.tz is not None else dates
    return pd.DatetimeIndex(months.dt.to_period("M").dt.to_timestamp().unique()).sort_values()


def bid_months(store: Store) -> pd.DatetimeIndex:
    """First days of the months in which bid statistics (the award notice giving them) or a
    Digital Outcomes and Specialists opportunity (the Digital Marketplace's export) were
    published."""
    found = [
        _months_of(store.stored(table)["published"]) for table in ("bids", "dos_opportunities")
    ]
    return found[0].union(found[1]).sort_values()


@dataclass(frozen=True)
class HeldKind:
    """A kind of data a page shows: its name in words (``spend``, ``notices``), the months it
    holds (a function of the store) and what an empty chart of it says."""

    name: str
    noun: str
    months: Callable[[Store], pd.DatetimeIndex]
    nothing: str


KINDS: dict[str, HeldKind] = {
    SPEND: HeldKind(SPEND, "spend", spend_months, "No spend matches these filters"),
    NOTICES: HeldKind(NOTICES, "notices", notice_months, "No notices match these filters"),
    BIDS: HeldKind(
        BIDS, "bids or applications", bid_months, "No bids or applications match these filters"
    ),
}


def _months(store: Store, kind: str) -> pd.DatetimeIndex:
    return store.constant(f"held-months:{kind}", lambda: KINDS[kind].months(store))


def months_held(store: Store, kinds: Sequence[str] = (SPEND,)) -> list[str]:
    """Every month (``YYYY-MM``) any of ``kinds`` holds, oldest first (labelled once per
    store: the header's links and every filter panel ask)."""
    return list(
        store.constant(f"held-month-labels:{','.join(kinds)}", lambda: _labels(store, kinds))
    )


def _labels(store: Store, kinds: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted({periods.month_label(m) for kind in kinds for m in _months(store, kind)}))


def years_held(store: Store, kinds: Sequence[str] = (SPEND,)) -> list[str]:
    """Every financial year (``2013-14``) in which any of ``kinds`` holds a month, oldest
    first (once per store)."""
    return list(store.constant(f"held-years:{','.join(kinds)}", lambda: _years(store, kinds)))


def _years(store: Store, kinds: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted({periods.financial_year_of(periods.month_start(m))
                         for m in months_held(store, kinds)}))  # fmt: skip


def nouns(kinds: Sequence[str]) -> str:
    """The kinds in words: ``spend``, ``notices``, ``spend or notices``."""
    return " or ".join(KINDS[kind].noun for kind in kinds)


def held_range(store: Store, kind: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last month ``kind`` holds, or ``None`` when it holds none."""
    months = _months(store, kind)
    return (months[0], months[-1]) if len(months) else None


def _in_filters(months: pd.DatetimeIndex, filters: Filters) -> pd.DatetimeIndex:
    ranges = period_ranges(filters)
    if not ranges:
        return months
    keep = pd.Series(False, index=range(len(months)))
    values = pd.Series(months)
    for first, last in ranges:
        inside = pd.Series(True, index=keep.index)
        if first is not None:
            inside &= values >= first
        if last is not None:
            inside &= values <= last
        keep |= inside
    return months[keep.to_numpy()]


def _span(first: pd.Timestamp, last: pd.Timestamp) -> str:
    start, end = first.strftime("%B %Y"), last.strftime("%B %Y")
    return start if start == end else f"{start} to {end}"


def none_held_note(store: Store, kind: str, filters: Filters) -> str | None:
    """What to say when the period the filters choose holds no month of ``kind`` at all
    (``No notices in financial year 2013-14: the notices loaded were published in January
    2025.``); ``None`` when it holds some (or no period is chosen)."""
    if not period_ranges(filters):
        return None
    held = held_range(store, kind)
    noun = KINDS[kind].noun
    if held is None:
        return f"This store holds no {noun}."
    if len(_in_filters(_months(store, kind), filters)):
        return None
    verb = "runs" if kind == SPEND else "were published"
    when = _span(*held)
    where = f"in {when}" if " to " not in when else f"from {when}"
    return f"No {noun} in {_period_words(filters)}: the {noun} loaded {verb} {where}."


def _period_words(filters: Filters) -> str:
    if filters.fy:
        return "financial year " + ", ".join(filters.fy)
    return f"{filters.date_from or 'the start'} to {filters.date_to or 'the latest month'}"


def months_text(months: Sequence[pd.Timestamp]) -> str:
    """The months of a part year in a few words: ``Apr–Jun``, ``Jan only``."""
    first, last = months[0].strftime("%b"), months[-1].strftime("%b")
    return f"{first} only" if len(months) == 1 else f"{first}–{last}"


def part_years(store: Store, kind: str, filters: Filters, labels: Sequence[str]) -> dict[str, str]:
    """Of the financial-year ``labels``, those the data of ``kind`` cover only in part within
    the period chosen, with the months covered (``{"2014-15": "Apr–Jun"}``). The data cover
    every month from the first they hold to the last (a month without a row inside that
    span is a month with nothing in it, not a month missing)."""
    ranges = tuple(period_ranges(filters))
    partial = store.memoised(f"part-years:{kind}", ranges,
                             lambda: _part_years(store, kind, filters))  # fmt: skip
    return {str(label): partial[str(label)] for label in labels if str(label) in partial}


def _part_years(store: Store, kind: str, filters: Filters) -> dict[str, str]:
    """Every financial year the data of ``kind`` cover only in part within the period the
    filters choose, with the months covered (once per period: every view asks)."""
    span = held_range(store, kind)
    if span is None:
        return {}
    by_year: dict[str, list[pd.Timestamp]] = {}
    for month in _in_filters(periods.months_between(*span), filters):
        by_year.setdefault(periods.financial_year_of(month), []).append(month)
    return {year: months_text(months) for year, months in by_year.items() if len(months) < 12}
