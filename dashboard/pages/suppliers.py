"""``/suppliers``: how concentrated spend is, SME share without the largest suppliers,
suppliers active and new; ``/suppliers?supplier=...`` is one supplier's profile."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics import suppliers
from dashboard.analytics.clicks import PERIOD, Click
from dashboard.analytics.filters import Filters, describe
from dashboard.analytics.spend import by_period
from dashboard.analytics.store import Store
from dashboard.analytics.timeline import every_period, periods_in_view
from dashboard.pages.common import TOP_SUPPLIERS, Page, description, sections, subject_tools
from dashboard.ui import figures
from dashboard.ui.formatting import format_count, format_money, format_share
from dashboard.ui.sections import kpi_row
from dashboard.ui.view import View

SUPPLIERS_TOP10 = "suppliers-top10-share"
SUPPLIERS_HHI = "suppliers-hhi"
SUPPLIERS_COUNT = "suppliers-count"
SUPPLIER_TOTAL = "supplier-total-spend"
SUPPLIER_BUYERS = "supplier-buyers"
SUPPLIER_SME = "supplier-sme-status"
TOP_N = suppliers.TOP_N
TOP_SHARE = f"top_{TOP_N}_share_pct"


def _concentration(store: Store, filters: Filters) -> pd.DataFrame:
    table = suppliers.concentration_by_period(
        by_period(store, filters, "supplier"), filters.shown_by, TOP_N
    )
    return every_period(table, periods_in_view(store, filters, filters.shown_by))


def _concentration_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    return figures.share_lines(table, {TOP_SHARE: f"Top {TOP_N}"}, title)


def _sme_without(store: Store, filters: Filters) -> pd.DataFrame:
    table = suppliers.sme_share_without_top(
        by_period(store, filters, "supplier"), filters.shown_by, TOP_N
    )
    return every_period(table, periods_in_view(store, filters, filters.shown_by))


def _sme_without_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    series = {
        "sme_share_pct": "All suppliers",
        f"sme_share_without_top_{TOP_N}_pct": f"Without the top {TOP_N}",
    }
    return figures.share_lines(table, series, title)


def _active_new(store: Store, filters: Filters) -> pd.DataFrame:
    table = suppliers.suppliers_active_and_new(store.filtered(filters, "supplier"))
    return every_period(table, periods_in_view(store, filters, "fy"), "financial_year")


def _active_new_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    series = {"suppliers": "Active", "new_suppliers": "New"}
    return figures.grouped_bars(table["financial_year"], table, series, title, "Suppliers")


def _profile_table(part: str) -> Callable[[Store, Filters], pd.DataFrame]:
    def build(store: Store, filters: Filters) -> pd.DataFrame:
        return suppliers.profile_in_view(store, filters)[part]

    return build


CONCENTRATION = View("concentration", f"Share of spend going to the top {TOP_N} suppliers",
                     _concentration, _concentration_figure, by_period=True,
                     click=Click(point=PERIOD))  # fmt: skip
SME_WITHOUT_TOP = View("sme-without-top", f"SME share with and without the top {TOP_N} suppliers",
                       _sme_without, _sme_without_figure, by_period=True,
                       click=Click(point=PERIOD))  # fmt: skip
ACTIVE_NEW = View("suppliers-active-new", "Suppliers active and new by financial year",
                  _active_new, _active_new_figure, click=Click(point=PERIOD))  # fmt: skip
MARKET = (TOP_SUPPLIERS, CONCENTRATION, SME_WITHOUT_TOP, ACTIVE_NEW)
PROFILE = (
    View("supplier-trend", "Supplier's spend by financial year", _profile_table("trend")),
    View("supplier-buyers", "Supplier's buyers", _profile_table("buyers")),
    View("supplier-sectors", "Supplier's buyers by sector", _profile_table("sectors")),
    View("supplier-lots", "Supplier's frameworks and lots", _profile_table("lots")),
)


def _size_note(figures_: dict) -> str | None:
    if figures_["since"] is None:
        return None
    return f"since {figures_['since']:%Y-%m}; {figures_['previous']} before"


def _profile(store: Store, filters: Filters) -> list:
    """One supplier: its spend, buyers and size now, and where its spend comes from."""
    figures_ = suppliers.supplier_headline(store, filters)
    return [
        html.H1(figures_["name"], className="govuk-heading-l"),
        description(f"Supplier profile: {describe(filters)}."),
        subject_tools(("supplier", str(figures_["name"]))),
        kpi_row([
            (SUPPLIER_TOTAL, "Spend with this supplier",
             format_money(figures_["spend_gbp"])),
            (SUPPLIER_BUYERS, "Buyers (distinct customers)", format_count(figures_["buyers"])),
            (SUPPLIER_SME, "Size now", str(figures_["latest"]), _size_note(figures_)),
        ]),
        *sections(store, filters, PROFILE),
    ]  # fmt: skip


def build(store: Store, filters: Filters) -> list:
    """``/suppliers``: concentration, SME share without the largest; with one supplier
    named, that supplier's profile."""
    if len(filters.supplier) == 1:
        return _profile(store, filters)
    figures_ = suppliers.suppliers_headline(store, filters)
    hhi = figures_["hhi"]
    return [
        html.H1("Suppliers: how concentrated is the spend?", className="govuk-heading-l"),
        description(f"Showing {describe(filters)}."),
        kpi_row([
            (SUPPLIERS_TOP10, f"Share of spend to the top {TOP_N} suppliers",
             format_share(figures_["top10_share"])),
            (SUPPLIERS_HHI, "Herfindahl–Hirschman index (0 to 10,000)",
             format_count(round(hhi)) if hhi == hhi else "–"),
            (SUPPLIERS_COUNT, "Suppliers", format_count(figures_["suppliers"])),
        ]),
        *sections(store, filters, MARKET),
    ]  # fmt: skip


def _tab_title(store: Store, filters: Filters) -> str | None:
    if len(filters.supplier) != 1:
        return None
    return str(suppliers.supplier_headline(store, filters)["name"])


PAGE = Page(
    "/suppliers", "Suppliers", "Suppliers", build, views=(*MARKET, *PROFILE), tab_title=_tab_title
)
