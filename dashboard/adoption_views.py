"""Views of the adoption page: buyers, new and returning buyers, penetration."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import adoption, figures, queries
from dashboard.data import DashboardData
from dashboard.filters import Filters
from dashboard.view import View, period_name


def profiles(data: DashboardData, filters: Filters, all_time: bool = False) -> pd.DataFrame:
    """Each body buying in view (or at any time, for first purchases), memoised."""
    chosen = queries.without_time(filters) if all_time else filters
    return data.memoised(
        "body-profiles",
        chosen,
        lambda: adoption.body_profiles(data.filtered(chosen, "customer")),
    )


def first_time(data: DashboardData, filters: Filters, group: str | None) -> pd.DataFrame:
    """Bodies buying for the first time in the period in view (memoised)."""
    return data.memoised(
        f"first-time:{group}",
        filters,
        lambda: adoption.first_time_buyers(
            data.filtered_all_time(filters, "customer"),
            data.filtered(filters, "customer"),
            group,
            profiles(data, filters, all_time=True),
        ),
    )


def headline(data: DashboardData, filters: Filters) -> dict[str, int]:
    """The adoption page's headline figures."""
    return data.memoised(
        "adoption-headline",
        filters,
        lambda: adoption.adoption_headline(
            data.filtered(filters, "customer"),
            first_time(data, filters, None),
            profiles(data, filters),
        ),
    )


def _buyers(data: DashboardData, filters: Filters) -> pd.DataFrame:
    by_month = filters.shown_by == "month"
    table = adoption.buyers_by_period(
        data.filtered(filters, "customer", months=by_month),
        filters.shown_by,
        profiles(data, filters),
    )
    return table.rename(columns={"period": period_name(filters)})


def _buyers_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    plain = table.rename(columns={period_name(filters): "period"})
    return figures.stacked_by_group(plain, queries.BUYER_GROUPS, title, y_title="Buyers")


def _periods_in_view(data: DashboardData, filters: Filters, period: str) -> set[str]:
    in_view = data.filtered(filters, "spend", months=period == "month")
    return set(queries.period_codes(in_view, period)[1])


def _new_buyers(data: DashboardData, filters: Filters) -> pd.DataFrame:
    table = adoption.new_buyers_by_period(
        data.filtered_all_time(filters, "customer"),
        filters.shown_by,
        profiles(data, filters, all_time=True),
    )
    table = table[table["period"].isin(_periods_in_view(data, filters, filters.shown_by))]
    return table.rename(
        columns={
            "period": period_name(filters),
            "new_buyers": "New buyers",
            "new_non_whitehall": "New non-Whitehall buyers",
            "cumulative_buyers": "Buyers to date",
        }
    )


def _new_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    series = {"New buyers": "New buyers", "New non-Whitehall buyers": "New non-Whitehall"}
    return figures.grouped_bars(table[period_name(filters)], table, series, title, "Buyers")


def _returning(data: DashboardData, filters: Filters) -> pd.DataFrame:
    table = adoption.returning_buyers(data.filtered_all_time(filters, "customer"))
    table = table[table["financial_year"].isin(_periods_in_view(data, filters, "fy"))]
    return table.rename(
        columns={
            "financial_year": "Financial year",
            "buyers": "Buyers",
            "returning": "Also bought the year before",
            "new": "First purchase that year",
        }
    )


def _returning_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    series = {"Also bought the year before": "Returning", "First purchase that year": "New"}
    return figures.grouped_bars(table["Financial year"], table, series, title, "Buyers")


def _by_sector(data: DashboardData, filters: Filters) -> pd.DataFrame:
    table = adoption.buyers_by_sector(data.filtered(filters, "customer"), profiles(data, filters))
    return table.rename(
        columns={
            "sector": "Sector",
            "buyer_group": "Buyer group",
            "buyers": "Buyers",
            "spend_gbp": "Spend (£)",
        }
    )


def _sector_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    return figures.horizontal_bars(table["Sector"], table["Buyers"], title, x_title="Buyers")


def _penetration(data: DashboardData, filters: Filters) -> pd.DataFrame:
    rules = data.memoised("group-rules", Filters(), adoption.read_group_rules)
    groups = data.memoised(
        "eligible-groups", Filters(), lambda: adoption.eligible_groups(data.customers, rules)
    )
    table = adoption.penetration(profiles(data, filters), data.customers, rules, groups)
    return table.rename(
        columns={
            "group": "Bodies",
            "buying": "Buying",
            "eligible": "In the customer list",
            "share_pct": "Share buying (%)",
        }
    )


def _new_non_whitehall(data: DashboardData, filters: Filters) -> pd.DataFrame:
    table = first_time(data, filters, adoption.NON_WHITEHALL)
    return pd.DataFrame(
        {
            "Body": table["customer"],
            "Sector": table["sector"],
            "First purchase": table["first_month"].dt.strftime("%Y-%m"),
            "Spend in period (£)": table["spend_in_view_gbp"],
        }
    )


ADOPTION_VIEWS = (
    View("buyers", "Buyers (distinct bodies) by buyer group", _buyers, _buyers_figure,
         by_period=True),
    View("new-buyers", "New buyers: first purchase through these frameworks", _new_buyers,
         _new_figure, by_period=True),
    View("returning-buyers", "Returning and new buyers by financial year", _returning,
         _returning_figure),
    View("buyers-by-sector", "Buyers by sector", _by_sector, _sector_figure),
    View("penetration", "Bodies buying, of those that could", _penetration),
    View("first-time-non-whitehall", "Non-Whitehall bodies buying for the first time",
         _new_non_whitehall),
)  # fmt: skip
