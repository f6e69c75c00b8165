"""Opportunities: the Contracts Finder notices of the bodies and the period in view.

Pure queries over the store's notice tables (``Store.notices``, ``awards``, ``ocds_releases``;
columns in :mod:`loaders.catalogue.notice_schema`) for the filters that apply to notices:

- the **period by publication date** (``fy``, ``from``, ``to``; UK local time): a process
  is in a period when one of its loaded releases was published in it, an award when the
  first release carrying it was, a tender when its first tender notice was;
- **buyer group**, **sector**, **customer** (resolved to body keys through the store's
  :class:`~dashboard.analytics.bodies.BodyIndex`, as for spend) and **department** (the
  ``department`` column of notices, from the same table spend uses).

The spend-only filters (framework, iteration, lot, supplier size, supplier) cannot apply to notices:
:func:`notice_filters` leaves them out and :func:`spend_only_filters` names them so that a page can
say so. The headline figures are :func:`dashboard.analytics.notice_figures.opportunity_figures` on
the notices of the bodies in view (see that module for each figure's definition); amounts are GBP as
published (ex VAT). Tables for the page's charts: :mod:`dashboard.analytics.opportunity_tables`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard.analytics.departments import chosen_department
from dashboard.analytics.filters import PARAM_BY_FIELD, Filters, period_ranges, without_time
from dashboard.analytics.notice_figures import (
    LOADED,
    SIZE_GROUPS,
    OpportunityFigures,
    counted_processes,
    in_period,
    made_awards,
    opportunity_figures,
)
from dashboard.analytics.selection import apply_filters
from dashboard.analytics.store import Store
from dashboard.analytics.timeline import periods_within
from loaders.bodies.counting import buyer_keys
from loaders.core import periods
from loaders.core.text import in_words

SPEND_ONLY = ("framework", "iteration", "lot", "sme", "supplier")  # Filters fields
DateRange = tuple[pd.Timestamp | None, pd.Timestamp | None]  # [start, end); None: open
ALL_TIME: list[DateRange] = [(None, None)]


def notice_filters(filters: Filters) -> Filters:
    """The filters that apply to notices (the spend-only ones emptied)."""
    return replace(filters, **{field: () for field in SPEND_ONLY})


def spend_only_filters(filters: Filters) -> tuple[str, ...]:
    """URL names of the filters set that notices cannot answer (``framework``, ``sme``...)."""
    return tuple(PARAM_BY_FIELD[field].url for field in SPEND_ONLY if getattr(filters, field))


@dataclass(frozen=True)
class BodyNotices:
    """The notice tables of the bodies in view, all time: their processes (``notices``),
    awards, and loaded releases (``releases``: one row per publication)."""

    notices: pd.DataFrame
    awards: pd.DataFrame
    releases: pd.DataFrame

    def restricted(self, keep: pd.Series) -> BodyNotices:
        """The same tables for the processes where ``keep`` (a mask of ``notices``) holds."""
        notices = self.notices[keep.to_numpy()]
        ocids = notices["ocid"]
        return BodyNotices(
            notices,
            self.awards[self.awards["ocid"].isin(ocids)],
            self.releases[self.releases["ocid"].isin(ocids)],
        )


def merge_ranges(ranges: list[DateRange]) -> list[DateRange]:
    """``ranges`` in order, overlapping and touching ones merged into one."""
    ordered = sorted(ranges, key=lambda r: pd.Timestamp.min if r[0] is None else r[0])
    merged: list[DateRange] = []
    for start, end in ordered:
        if merged:
            first, last = merged[-1]
            if last is None or start is None or start <= last:
                merged[-1] = (first, None if last is None or end is None else max(last, end))
                continue
        merged.append((start, end))
    return merged


def date_ranges(filters: Filters) -> list[DateRange]:
    """The publication-date ranges ``[start, end)`` the period filters choose (whole months,
    contiguous ones merged); ``[(None, None)]`` for all time."""
    ranges = [
        (first, None if last is None else last + pd.DateOffset(months=1))
        for first, last in period_ranges(filters)
    ]
    return merge_ranges(ranges) if ranges else list(ALL_TIME)


def within(dates: pd.Series, ranges: list[DateRange]) -> pd.Series:
    """Whether each date falls in one of ``ranges`` (none: never; NaT only in all time)."""
    inside = pd.Series(False, index=dates.index)
    for start, end in ranges:
        inside |= in_period(dates, start, end)
    return inside


def loaded_releases(store: Store) -> pd.DataFrame:
    """The releases loaded (not duplicates, not quarantined): one per notice published."""
    releases = store.ocds_releases
    return releases[releases["status"].astype(object).eq(LOADED)]


def has_notices(store: Store) -> bool:
    """Whether the store holds any notice (of any platform)."""
    return not store.notices.empty


def platforms_words(store: Store) -> str:
    """The platforms the store's notices were published on, in words (``Contracts Finder``,
    ``Contracts Finder and Find a Tender``); ``Contracts Finder`` when it holds none."""
    found = sorted(store.notices["platform"].dropna().astype(str).unique())
    return in_words(found or ["Contracts Finder"])


def of_bodies(store: Store, frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows of a table of notices (buyer columns as ``notices``) of the bodies the
    filters choose (buyer group, sector, customer, department; the period is not applied).
    A department name that names no department chooses nothing."""
    wanted = replace(without_time(notice_filters(filters)), period=None)
    department = chosen_department(store, wanted) if wanted.name else None
    if wanted.name and department is None:
        frame = frame.iloc[0:0]
    return apply_filters(
        frame,
        wanted,
        store.vocab,
        bodies=store.resolve_bodies(wanted),
        department=department,
    )


def notices_of_bodies(store: Store, filters: Filters) -> BodyNotices:
    """The notice tables of the bodies the filters choose (see :func:`of_bodies`)."""
    return _with_awards_and_releases(store, of_bodies(store, store.notices, filters))


def _with_awards_and_releases(store: Store, notices: pd.DataFrame) -> BodyNotices:
    """``notices`` (processes) with their awards and loaded releases."""
    ocids = notices["ocid"]
    releases = loaded_releases(store)
    return BodyNotices(
        notices,
        store.awards[store.awards["ocid"].isin(ocids)],
        releases[releases["ocid"].isin(ocids)],
    )


def processes_in(body: BodyNotices, ranges: list[DateRange]) -> pd.DataFrame:
    """Processes counted whose procurement has a release published in ``ranges``."""
    if ranges == ALL_TIME:
        return counted_processes(body.notices)
    ocids = body.releases.loc[within(body.releases["date"], ranges), "ocid"].unique()
    return counted_processes(body.notices, ocids)


def awards_in(body: BodyNotices, ranges: list[DateRange]) -> pd.DataFrame:
    """Awards made first published in ``ranges`` (pending, cancelled, unsuccessful and
    copies of an award counted on another platform left out)."""
    made = made_awards(body.awards)
    return made[within(made["published"], ranges)]


def tendered_in(body: BodyNotices, ranges: list[DateRange]) -> pd.DataFrame:
    """Processes counted whose first tender notice was published in ``ranges``."""
    notices = counted_processes(body.notices)
    tender = notices["tender_date"]
    return notices[tender.notna() & within(tender, ranges)]


def figures_in_ranges(body: BodyNotices, ranges: list[DateRange]) -> OpportunityFigures:
    """The headline figures of ``body`` over ``ranges`` (a list of ``[start, end)``).

    One range: :func:`~dashboard.analytics.notice_figures.opportunity_figures` itself. Several
    (financial years apart) or none: the same function on the processes, awards and tenders of the
    ranges, chosen beforehand with the same rules.
    """
    ranges = merge_ranges(ranges)
    if len(ranges) == 1:
        start, end = ranges[0]
        return opportunity_figures(body.notices, body.awards, body.releases, start, end)
    whole = opportunity_figures(processes_in(body, ranges), awards_in(body, ranges), body.releases)
    planning = opportunity_figures(tendered_in(body, ranges), body.awards.iloc[0:0], body.releases)
    return replace(
        whole,
        tendered=planning.tendered,
        planning_preceded=planning.planning_preceded,
        planning_share=planning.planning_share,
        median_lead_time_days=planning.median_lead_time_days,
    )


def opportunity_headline(store: Store, filters: Filters) -> OpportunityFigures:
    """The headline figures of the bodies and period in view (memoised)."""
    wanted = notice_filters(filters)
    return store.memoised(
        "opp-headline",
        wanted,
        lambda: figures_in_ranges(notices_of_bodies(store, wanted), date_ranges(wanted)),
    )


def notice_periods(store: Store, filters: Filters, period: str) -> list[str]:
    """Every period label (``YYYY-MM`` or financial year) the filters choose within the
    months the store's notices were published in: the axis of a chart, zero-filled."""
    dates = loaded_releases(store)["date"].dropna()
    if dates.empty:
        return []
    months = dates.dt.to_period("M").dt.to_timestamp()
    return periods_within(months.min(), months.max(), filters, period)


def period_labels(dates: pd.Series, period: str) -> pd.Series:
    """The period label (``YYYY-MM`` by ``month``, ``2013-14 Q1`` by ``quarter``, else the
    financial year) of each date."""
    months = dates.dt.to_period("M").dt.to_timestamp()
    numbers = periods.period_numbers(periods.month_numbers(months), period)
    labels = [periods.label_of_period_number(int(n), period) for n in numbers]
    return pd.Series(labels, index=dates.index, dtype=object)


def label_range(label: str, period: str) -> DateRange:
    """The dates ``[start, end)`` of a month (``YYYY-MM``), financial-quarter or
    financial-year label."""
    if period == "month":
        start = periods.month_start(label)
        return start, start + pd.DateOffset(months=1)
    if period == "quarter":
        start = periods.quarter_range(label)[0]
        return start, start + pd.DateOffset(months=periods.MONTHS_PER_QUARTER)
    start = periods.fy_first_month(label)
    return start, start + pd.DateOffset(months=12)


def clipped(bucket: DateRange, ranges: list[DateRange]) -> list[DateRange]:
    """The parts of ``bucket`` inside ``ranges`` (a year cut by a from/to month range)."""
    parts = []
    for start, end in ranges:
        first = bucket[0] if start is None else max(bucket[0], start)
        last = bucket[1] if end is None else min(bucket[1], end)
        if first < last:
            parts.append((first, last))
    return parts


def _pct(value: float | None) -> float:
    return np.nan if value is None else float(value)


def figure_columns(figures: OpportunityFigures) -> dict[str, float | int]:
    """The figures as the snake_case columns of a table row (shares ``_pct``, NaN if none)."""
    by_group = figures.awards_by_size_group
    sizes = {}
    for group in SIZE_GROUPS:
        sizes[f"awards_{group.lower()}"] = by_group[group]["awards"]
        sizes[f"awards_{group.lower()}_value_gbp"] = by_group[group]["value_gbp"]
    return {
        "processes": figures.notices,
        "suitability_stated": figures.suitability_stated,
        "sme_suitable": figures.sme_suitable,
        "sme_suitable_share_pct": _pct(figures.sme_suitable_share),
        "vcse_suitable": figures.vcse_suitable,
        "vcse_suitable_share_pct": _pct(figures.vcse_suitable_share),
        "awards": figures.awards,
        "awards_value_gbp": figures.awards_value_gbp,
        **sizes,
        "awards_sme_share_count_pct": _pct(figures.awards_sme_share_count),
        "awards_sme_share_value_pct": _pct(figures.awards_sme_share_value),
        "call_offs": figures.call_offs,
        "tendered": figures.tendered,
        "planning_preceded": figures.planning_preceded,
        "planning_share_pct": _pct(figures.planning_share),
        "median_lead_time_days": _pct(figures.median_lead_time_days),
    }


def figures_by_period(store: Store, filters: Filters) -> pd.DataFrame:
    """The headline figures of each period in view (as the charts are drawn: months or
    financial years, each cut to the period filters), one row per period, every period
    present; no rows when the bodies in view have no notice or award in the period."""
    wanted = notice_filters(filters)

    def compute() -> pd.DataFrame:
        body, ranges = notices_of_bodies(store, wanted), date_ranges(wanted)
        shown_by = wanted.shown_by
        rows = [
            {"period": label,
             **figure_columns(figures_in_ranges(body, clipped(label_range(label, shown_by),
                                                              ranges)))}
            for label in notice_periods(store, wanted, shown_by)
        ]  # fmt: skip
        table = pd.DataFrame(rows)
        if table.empty or not (table["processes"].sum() or table["awards"].sum()):
            return table.iloc[0:0]
        return table

    return store.memoised("opp-by-period", wanted, compute)


@dataclass(frozen=True)
class Advertisers:
    """For the overview: of the buyers with spend in view (``buyers``), how many had a
    notice published in the period (``advertised``); and how many bodies of the buyer
    filters in view advertised in all (``advertisers``), buying or not."""

    advertised: int
    buyers: int
    advertisers: int


def advertisers(store: Store, filters: Filters) -> Advertisers:
    """How many of the buyers in view advertised on Contracts Finder in the period (the
    buyers are the distinct customer bodies with spend passing every filter)."""

    def compute() -> Advertisers:
        buyers = buyer_keys(store.filtered(filters, "customer"))
        wanted = notice_filters(filters)
        processes = processes_in(notices_of_bodies(store, wanted), date_ranges(wanted))
        advertising = buyer_keys(processes)
        return Advertisers(len(buyers & advertising), len(buyers), len(advertising))

    return store.memoised("opp-advertisers", filters, compute)


@dataclass(frozen=True)
class BuyerOpportunities:
    """One buyer's opportunities in the period: the headline figures, and its processes
    with a notice in the period (newest first; dates as ``YYYY-MM-DD`` text)."""

    figures: OpportunityFigures
    processes: pd.DataFrame


PROCESS_COLUMNS = ["ocid", "title", "stage", "first_published", "tender_date", "award_date",
                   "procurement_method_details", "sme_suitability", "vcse_suitability",
                   "tender_value_gbp", "call_off", "framework_named"]  # fmt: skip


def _yes_no(flags: pd.Series) -> pd.Series:
    """``Yes`` / ``No`` / ``Not stated`` for a boolean column with nulls."""
    return flags.astype(object).map({True: "Yes", False: "No"}).fillna("Not stated")


def _process_table(processes: pd.DataFrame) -> pd.DataFrame:
    """The processes as a table to show: newest notice first, dates and flags as text."""
    table = processes.sort_values(["last_published", "ocid"], ascending=[False, True])
    named = table["framework_iteration"].astype(object).fillna(table["framework"].astype(object))
    table = table.assign(
        framework_named=named.fillna(table["frameworks_named"].astype(object)),
        sme_suitability=_yes_no(table["sme_suitable"]),
        vcse_suitability=_yes_no(table["vcse_suitable"]),
        tender_value_gbp=table["value_gbp"],
        call_off=table["call_off"].astype(object).map({True: "Yes"}).fillna("No"),
        stage=table["stage"].astype(object),
    )
    for column in ("first_published", "tender_date", "award_date"):
        table[column] = table[column].dt.strftime("%Y-%m-%d").astype(object)
    return table[PROCESS_COLUMNS].reset_index(drop=True)


def buyer_notice_filters(filters: Filters) -> Filters:
    """The filters one body's notices answer: the period only (the body is chosen by key)."""
    return replace(notice_filters(filters), customer=(), name=None, buyer_group=(), sector=())


def _notices_by_buyer(store: Store) -> dict[str, np.ndarray]:
    """The row positions of each buyer's notices (by body key), found once per store."""

    def compute() -> dict[str, np.ndarray]:
        keys = store.notices["customer_key"].astype(object)
        known = np.flatnonzero(keys.notna().to_numpy())
        named = keys.iloc[known]
        return {str(k): known[p] for k, p in named.groupby(named).indices.items()}

    return store.constant("notices-by-buyer", compute)


def buyer_opportunities(store: Store, filters: Filters, customer_key: str) -> BuyerOpportunities:
    """The opportunities of one body (``customer_key``, a body key as in spend) in the
    period the filters choose; the other buyer filters (buyer group, sector, customer,
    department) are not applied: the body is chosen by its key."""
    wanted = buyer_notice_filters(filters)
    ranges = date_ranges(wanted)

    def of(own: pd.DataFrame) -> BuyerOpportunities:
        body = _with_awards_and_releases(store, own)
        return BuyerOpportunities(
            figures_in_ranges(body, ranges), _process_table(processes_in(body, ranges))
        )

    def compute() -> BuyerOpportunities:
        notices = store.notices
        positions = _notices_by_buyer(store).get(customer_key)
        if positions is None:  # most bodies: no notice at all, so none in any period: one
            return store.constant("opp-buyer-none", lambda: of(notices.iloc[0:0]))  # answer
        return of(notices.iloc[positions])

    return store.memoised("opp-buyer", (wanted, customer_key), compute)
