"""Adoption against the public registers, as the app shows it: who could buy in the period
in view, who never bought, lapsed, is new or came back; other buyers of each group's kind;
areas; the hex map of councils.

The rules are :mod:`loaders.bodies.registers.adoption`; this module picks the period of the
filters, the lines of the frameworks in view (all time, so a first purchase is a first
purchase) and the register matches the load stored, and applies the list filters (``type``,
``group``, ``region``, ``combined_authority``, ``status``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd

from dashboard.analytics import register_codes
from dashboard.analytics.filters import Filters, period_ranges, spend_filters, without_time
from dashboard.analytics.selection import apply_filters
from dashboard.analytics.store import Store, grain_for
from loaders.bodies.registers import adoption
from loaders.bodies.registers.areas import AREA_KINDS, Area, in_areas
from loaders.bodies.registers.areas import area_buyers as buyers_of_area
from loaders.bodies.registers.areas import find_area as find_register_area
from loaders.bodies.registers.hexmaps import council_hexes, layout_for, not_drawn, read_hexes
from loaders.bodies.registers.table import read_register_list
from loaders.bodies.resolution import urn_key
from loaders.catalogue.aggregate_tables import PREFIX

STATUS_ORDER = {status: i for i, status in enumerate(adoption.STATUSES)}
LIST_COLUMNS = ["group", "name", "organisation_type", "region", "combined_authority",
                "status", "first_month", "last_month_before", "last_month_in_period",
                "spend_in_period_gbp"]  # fmt: skip
MONTH_COLUMNS = ("first_month", "last_month_before", "last_month_in_period")


def period_in_view(store: Store, filters: Filters) -> tuple[dt.date, dt.date]:
    """First and last days of the period in view (all the store's months when the filters
    choose none; an open end is the store's first or latest month)."""
    months = store.months()
    first_month = pd.Timestamp(months[0] + "-01") if months else pd.Timestamp("2012-04-01")
    last_month = pd.Timestamp(months[-1] + "-01") if months else first_month
    ranges = period_ranges(filters)
    if ranges:
        first_month = min(r[0] if r[0] is not None else first_month for r in ranges)
        last_month = max(r[1] if r[1] is not None else last_month for r in ranges)
    last_day = last_month + pd.offsets.MonthEnd(0)
    return first_month.date(), last_day.date()


def positions_of_buyers(store: Store) -> pd.Series:
    """The register body (row position in ``store.register_bodies``) of each matched buyer
    (:func:`~dashboard.analytics.register_codes.body_positions`), once per store."""
    return store.constant("register-positions", lambda: register_codes.body_positions(
        store.register_bodies, store.stored("register_matches")))  # fmt: skip


def body_months(store: Store, filters: Filters) -> pd.DataFrame:
    """Spend per register body and month, all time, of the frameworks in view: the table of
    :func:`~loaders.bodies.registers.adoption.register_spend` (from :func:`coded_months`)."""
    return register_codes.as_frame(store.register_bodies, coded_months(store, filters))


def coded_months(store: Store, filters: Filters) -> register_codes.BodyMonths:
    """Spend per register body and month, all time, of the frameworks in view, on codes
    (:func:`~dashboard.analytics.register_codes.body_months`), memoised."""
    chosen = without_time(spend_filters(filters))

    def compute() -> register_codes.BodyMonths:
        grain = grain_for("customer", chosen)  # by month: last purchases are months
        table = store.table(grain)
        lines = apply_filters(table, chosen, store.vocab, sorted_by_month=True,
                              bodies=store.resolve_bodies(chosen),
                              positions=_matched_lines(store, grain),
                              columns=[c for c in register_codes.BODY_MONTH_COLUMNS
                                       if c in table.columns])  # fmt: skip
        return register_codes.body_months(lines, positions_of_buyers(store))

    return store.memoised("register-body-months", chosen, compute)


def _matched_lines(store: Store, grain: str) -> np.ndarray:
    """Ascending row positions of the lines of buyers matched to a register body in the
    ``grain`` table (int32, once per table), so a request reads only those."""

    def compute() -> np.ndarray:
        found = register_codes.positions_of(store.table(grain)["customer_key"],
                                            positions_of_buyers(store))  # fmt: skip
        return np.flatnonzero(found >= 0).astype("int32")

    return store.constant(f"register-lines:{grain}", compute)


def warm(store: Store) -> None:
    """Find once, before any request, the lines of buyers matched to a register body in
    each table the register views read by month (:func:`_matched_lines`: customer, and
    pair when a supplier is named)."""
    for grain in ("customer", "pair"):
        if f"{PREFIX}{grain}" in store.catalogue:
            _matched_lines(store, grain)


def status_in_view(store: Store, filters: Filters) -> pd.DataFrame:
    """Every register body that existed in the period in view, with its status
    (:func:`~dashboard.analytics.register_codes.status`, the rules of
    :func:`~loaders.bodies.registers.adoption.adoption_status`), memoised."""
    first, last = period_in_view(store, filters)
    key = replace(spend_filters(filters), date_from=str(first), date_to=str(last), fy=())
    return store.memoised(
        "register-status",
        key,
        lambda: register_codes.status(
            _bodies_as_objects(store), coded_months(store, filters), first, last
        ),
    )


def _bodies_as_objects(store: Store) -> pd.DataFrame:
    """The register table with its text columns held as Python objects (taking, sorting and
    comparing a few thousand of them per request is several times faster), once per store."""
    bodies = store.register_bodies
    text = [c for c in bodies.columns if not pd.api.types.is_datetime64_any_dtype(bodies[c])]
    return store.constant(
        "register-bodies-objects", lambda: bodies.astype(dict.fromkeys(text, object))
    )


def chosen_bodies(store: Store, filters: Filters, statuses: bool = True) -> pd.DataFrame:
    """:func:`status_in_view` cut by the list filters (``type``, ``group``, ``region``,
    ``combined_authority`` and, if ``statuses``, ``status``)."""
    table = status_in_view(store, filters)
    keep = pd.Series(True, index=table.index)
    if filters.organisation_type:
        keep &= table["organisation_type"].isin(filters.organisation_type)
    if filters.adoption_group:
        keep &= table["group"].isin(filters.adoption_group)
    for kind in AREA_KINDS:  # the one definition of an area's bodies
        if getattr(filters, kind):
            keep &= in_areas(table, store.register_bodies, kind, getattr(filters, kind))
    if statuses and filters.status:
        keep &= table["status"].isin(filters.status)
    return table[keep]


def group_order() -> dict[str, int]:
    """Groups in the order of ``registers.csv`` (councils and police first)."""
    return {r.group: i for i, r in enumerate(read_register_list())}


def bodies_list(store: Store, filters: Filters) -> pd.DataFrame:
    """The register bodies of the period in view with their status (:data:`LIST_COLUMNS`),
    cut by the list filters; sorted by group (councils, police, fire, NHS, combined
    authorities, central government), status (new, returning, lapsed, never) and name;
    months as ``YYYY-MM``. Sorted and formatted once for every status (memoised): the
    page's three lists differ only by status."""

    def compute() -> pd.DataFrame:
        table = chosen_bodies(store, filters, statuses=False)
        return register_codes.listed(table, group_order(), STATUS_ORDER)[LIST_COLUMNS]

    table = store.memoised("register-list", replace(filters, status=()), compute)
    if filters.status:
        table = table[table["status"].isin(filters.status)].reset_index(drop=True)
    return table


def buyers_in_view(store: Store, filters: Filters) -> pd.DataFrame:
    """Each buyer in the period in view (frameworks and other filters applied): key, name
    and spend (£)."""
    return register_codes.buyers(store.filtered(spend_filters(filters), "customer"))


def other_buyers_in_view(store: Store, filters: Filters) -> pd.DataFrame:
    """Buyers of a group's kind outside its register for the period
    (:func:`~loaders.bodies.registers.adoption.other_buyers`), cut by ``group``."""
    table = store.memoised("register-other-buyers", spend_filters(filters),
                           lambda: _other_buyers(store, filters))  # fmt: skip
    if filters.adoption_group:
        table = table[table["group"].isin(filters.adoption_group)]
    return table.drop(columns=["customer_key", "register", "code"]).reset_index(drop=True)


def _other_buyers(store: Store, filters: Filters) -> pd.DataFrame:
    """:func:`~loaders.bodies.registers.adoption.other_buyers` of the period and lines in
    view, every group (the list filters cut it afterwards)."""

    def list_groups() -> pd.Series:
        customers = store.customers
        groups = customers["adoption_group"].fillna("").astype(str)
        return pd.Series(groups.to_numpy(), index=[urn_key(u) for u in customers["urn"]])

    matches = store.constant("register-matches-by-buyer", lambda: register_codes.
                             matches_by_buyer(store.stored("register_matches")))  # fmt: skip
    registers = {r.code: r.group for r in read_register_list()}
    status = status_in_view(store, filters)
    positions = positions_of_buyers(store)
    groups = store.constant("register-list-groups", list_groups)
    candidates = register_codes.candidates(status, matches, positions, groups)
    lines = store.filtered(spend_filters(filters), "customer")
    return register_codes.other_buyers(status, register_codes.buyers(lines, candidates),
                                       matches, positions, groups, registers)  # fmt: skip


def group_table(store: Store, filters: Filters) -> pd.DataFrame:
    """Per group (in :func:`group_order`): bodies that could buy in the period, buying (new
    and returning), lapsed, never, the share buying, and other buyers of the group's kind."""
    status = chosen_bodies(store, filters, statuses=False)
    table = register_codes.summary(status)
    others = other_buyers_in_view(store, filters).groupby("group").size()
    table["other_buyers"] = table["group"].map(others).fillna(0).astype("int64")
    table = table.assign(_g=table["group"].map(group_order())).sort_values("_g")
    columns = ["group", "bodies", "buying", "new", "returning", "lapsed", "never",
               "share_buying_pct", "other_buyers"]  # fmt: skip
    return table[columns].reset_index(drop=True)


def areas(store: Store, filters: Filters, by: str) -> pd.DataFrame:
    """Per region or combined authority (``by``), the register bodies of the period in view
    (cut by ``type`` and ``group``): bodies that could buy, buying, share, spend and SME
    share (:func:`~loaders.bodies.registers.adoption.area_summary`)."""
    status = chosen_bodies(store, replace(filters, region=(), combined_authority=()), False)
    existing = adoption.combined_authorities_in(status_in_view(store, filters))
    table = adoption.area_summary(status, by, existing if by == "combined_authority" else None)
    if by == "combined_authority":
        bodies = store.register_bodies
        names = bodies[bodies["register"].eq("combined-authority")].set_index("code")["name"]
        table.insert(1, "name", table["area"].map(names))
    return table


def council_map(store: Store, filters: Filters) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """The hex map of principal councils in the period in view: the layout's offset kind,
    one row per drawn council (name, status, ``q``, ``r``, region, combined authority) and
    the councils not drawn (county councils; councils the layout does not show)."""
    first, last = period_in_view(store, filters)
    layout = layout_for(last)
    kind, hexes = read_hexes(layout)
    status = status_in_view(store, filters)
    councils = status[status["register"].eq("principal-council")]
    councils = councils.merge(store.register_bodies[["register", "code", "gss_code",
                                                     "former_gss_codes"]],
                              on=["register", "code"])  # fmt: skip
    placed = council_hexes(councils, hexes)
    missing = not_drawn(councils, placed)
    columns = ["name", "organisation_type", "region", "combined_authority", "status"]
    return kind, placed[[*columns, "q", "r"]], missing[columns].reset_index(drop=True)


def find_area(store: Store, text: str, kind: str | None = None) -> Area | None:
    """The region, nation or combined authority ``text`` names (name, code or slug), of
    ``kind`` (``region``, ``combined_authority``) if given
    (:func:`~loaders.bodies.registers.areas.find_area`)."""
    return find_register_area(store.register_bodies, text, kind)


def area_buyers(store: Store, area: Area) -> tuple[str, ...]:
    """The keys of the buyers in ``area``: matched to a register body in it
    (:func:`~loaders.bodies.registers.areas.area_buyers`), memoised."""
    return store.memoised(
        "area-buyers",
        area,
        lambda: tuple(buyers_of_area(store.stored("register_matches"), store.register_bodies,
                                     area)),
    )  # fmt: skip


def unplaced_buyers(store: Store, filters: Filters) -> tuple[int, float]:
    """Non-Whitehall buyers in the period of ``filters`` that are matched to no register body
    (so in no area): how many, and their spend (£ ex VAT)."""
    group = store.vocab.buyer_group("non-whitehall").name
    lines = buyers_in_view(store, replace(filters, buyer_group=(group,)))
    matched = set(store.stored("register_matches")["customer_key"].dropna().astype(str))
    unplaced = lines[~lines["customer_key"].astype(str).isin(matched)]
    return int(unplaced["customer_key"].nunique()), float(unplaced["spend_gbp"].sum())
