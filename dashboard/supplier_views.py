"""Views of the suppliers page: concentration, SME share without the largest suppliers,
suppliers active and new, and one supplier's profile."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import concentration, figures, queries
from dashboard.data import DashboardData
from dashboard.filters import Filters
from dashboard.view import View, period_name
from loaders import normalise

TOP_N = 10


def headline(data: DashboardData, filters: Filters) -> dict[str, float | int]:
    """Top-10 share, HHI and number of suppliers in view."""

    def compute() -> dict[str, float | int]:
        spend = data.filtered(filters, "supplier")
        return {
            "top10_share": concentration.top_share(spend, TOP_N),
            "hhi": concentration.hhi(spend),
            "suppliers": queries.distinct_count(spend["supplier_key"]),
        }

    return data.memoised("suppliers-headline", filters, compute)


def _by_supplier(data: DashboardData, filters: Filters) -> pd.DataFrame:
    """Supplier lines in view, by month when the charts are drawn by month."""
    return data.filtered(filters, "supplier", months=filters.shown_by == "month")


def _concentration(data: DashboardData, filters: Filters) -> pd.DataFrame:
    table = concentration.concentration_by_period(
        _by_supplier(data, filters), filters.shown_by, TOP_N
    )
    return table.rename(
        columns={
            "period": period_name(filters),
            "suppliers": "Suppliers",
            f"top_{TOP_N}_share_pct": f"Top {TOP_N} share of spend (%)",
            "hhi": "Herfindahl–Hirschman index",
        }
    )


def _concentration_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    plain = table.rename(columns={period_name(filters): "period"})
    return figures.share_lines(plain, {f"Top {TOP_N} share of spend (%)": f"Top {TOP_N}"}, title)


def _sme_without(data: DashboardData, filters: Filters) -> pd.DataFrame:
    table = concentration.sme_share_without_top(
        _by_supplier(data, filters), filters.shown_by, TOP_N
    )
    return table.rename(
        columns={
            "period": period_name(filters),
            "sme_share_pct": "SME share, all suppliers (%)",
            f"sme_share_without_top_{TOP_N}_pct": f"SME share without the top {TOP_N} (%)",
        }
    )


def _sme_without_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    plain = table.rename(columns={period_name(filters): "period"})
    series = {
        "SME share, all suppliers (%)": "All suppliers",
        f"SME share without the top {TOP_N} (%)": f"Without the top {TOP_N}",
    }
    return figures.share_lines(plain, series, title)


def _active_new(data: DashboardData, filters: Filters) -> pd.DataFrame:
    table = concentration.suppliers_active_and_new(data.filtered(filters, "supplier"))
    return table.rename(
        columns={
            "financial_year": "Financial year",
            "suppliers": "Suppliers with spend",
            "new_suppliers": "First spend that year",
        }
    )


def _active_new_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    series = {"Suppliers with spend": "Active", "First spend that year": "New"}
    return figures.grouped_bars(table["Financial year"], table, series, title, "Suppliers")


def top_suppliers(
    data: DashboardData, filters: Filters, limit: int, department: str | None = None
) -> pd.DataFrame:
    """The ``limit`` suppliers with most spend in view, their buyers counted from the pairs
    of bodies of those suppliers only."""
    by_supplier = data.filtered(filters, "supplier", department=department)
    summary = queries.supplier_summary(by_supplier, limit)
    keys = tuple(str(key) for key in summary["supplier_key"])
    pairs = data.filtered(filters, "pair", department=department, suppliers=keys) if keys else None
    return queries.top_suppliers(by_supplier, limit, pairs=pairs, summary=summary)


def profile(data: DashboardData, filters: Filters) -> dict[str, pd.DataFrame]:
    """The chosen supplier's profile tables (filters other than supplier apply)."""
    key = filters.supplier[0]
    return data.memoised(
        "supplier-profile",
        filters,
        lambda: concentration.supplier_profile(data.filtered(filters, "pair"), _key(data, key)),
    )


def _key(data: DashboardData, wanted: str) -> str:
    bodies = data.bodies
    keys = set(bodies.loc[bodies["kind"] == "supplier", "key"].astype(str))
    return wanted if wanted in keys else normalise.supplier_key(wanted, data.vocab)


def _profile_table(part: str, columns: dict[str, str]):
    def build(data: DashboardData, filters: Filters) -> pd.DataFrame:
        return profile(data, filters)[part].rename(columns=columns)

    return build


PROFILE_COLUMNS = {"spend_gbp": "Spend (£)", "transactions": "Transactions"}

SUPPLIER_VIEWS = (
    View("concentration", f"Share of spend going to the top {TOP_N} suppliers",
         _concentration, _concentration_figure, by_period=True),
    View("sme-without-top", f"SME share with and without the top {TOP_N} suppliers",
         _sme_without, _sme_without_figure, by_period=True),
    View("suppliers-active-new", "Suppliers active and new by financial year", _active_new,
         _active_new_figure),
    View("supplier-trend", "Supplier's spend by financial year",
         _profile_table("trend", {"financial_year": "Financial year", **PROFILE_COLUMNS})),
    View("supplier-buyers", "Supplier's buyers",
         _profile_table("buyers", {"customer": "Buyer", **PROFILE_COLUMNS})),
    View("supplier-sectors", "Supplier's buyers by sector",
         _profile_table("sectors", {"sector": "Sector", **PROFILE_COLUMNS})),
    View("supplier-lots", "Supplier's frameworks and lots",
         _profile_table("lots", {"framework": "Framework", "lot": "Lot", **PROFILE_COLUMNS})),
)  # fmt: skip
