"""Views of the department scorecard: a department with its agencies and arm's-length bodies
(and former bodies whose work it took over), against the rest of government."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from dashboard import figures, queries
from dashboard.common_views import year_to_date_table
from dashboard.data import DashboardData
from dashboard.filters import Filters
from dashboard.supplier_views import top_suppliers
from dashboard.tables import (
    rename_frameworks,
    rename_top_suppliers,
    year_to_date_figure,
)
from dashboard.view import View
from loaders import departments
from loaders.aggregates import NO_DEPARTMENT

CENTRAL = "Central government"


def department_table(data: DashboardData) -> pd.DataFrame:
    """The body -> department reference table (read once per app)."""
    return data.memoised("departments-table", Filters(), departments.read_departments)


def chosen_department(data: DashboardData, filters: Filters) -> str | None:
    """The department the page is about (from the ``name`` parameter), if known."""
    if not filters.department:
        return None
    wanted = Filters(department=filters.department)
    return data.memoised(
        "department-named",
        wanted,
        lambda: departments.find_department(filters.department, department_table(data), data.vocab),
    )


def department_rows(
    data: DashboardData, filters: Filters, grain: str = "spend", months: bool = False
) -> pd.DataFrame:
    """Lines of the ``grain`` table of the chosen department and its bodies, filtered
    (``months``: from a monthly table)."""
    name = chosen_department(data, filters)
    if not name:
        return data.table(grain).iloc[0:0]
    return data.filtered(filters, grain, department=name, months=months)


def _central(data: DashboardData, filters: Filters) -> pd.DataFrame:
    """Central government's lines in view (none when the filters leave it out)."""
    if filters.buyer_group and CENTRAL not in filters.buyer_group:
        return data.table("spend").iloc[0:0]
    return data.filtered(replace(filters, buyer_group=(CENTRAL,)), "spend")


def headline(data: DashboardData, filters: Filters) -> dict[str, float | int]:
    """Total spend, SME share by value (and the central government average), bodies."""

    def compute() -> dict[str, float | int]:
        rows = department_rows(data, filters)
        central = _central(data, filters)
        return {
            "total": float(rows["spend_gbp"].sum()),
            "sme_share_value": queries.headline(rows)["sme_share_value"],
            "government_sme_share_value": queries.headline(central)["sme_share_value"],
            "bodies": queries.distinct_count(
                department_rows(data, filters, "customer")["customer_key"]
            ),
            **_rank(data, filters),
        }

    return data.memoised("department-headline", filters, compute)


def _rank(data: DashboardData, filters: Filters) -> dict[str, int | None]:
    table = ranking(data, filters)
    name = chosen_department(data, filters)
    position = table.loc[table["Department"] == name, "Rank"]
    return {
        "rank": int(position.iloc[0]) if len(position) else None,
        "departments": int(len(table)),
    }


def _by_year(data: DashboardData, filters: Filters) -> pd.DataFrame:
    table = queries.spend_by_period(department_rows(data, filters), "fy")
    return table[["period", "Total"]].rename(
        columns={"period": "Financial year", "Total": "Spend (£)"}
    )


def _by_year_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    return figures.bars(table["Financial year"], table["Spend (£)"], title, "Spend (£)")


def _ytd(data: DashboardData, filters: Filters) -> pd.DataFrame:
    name = chosen_department(data, filters)
    return year_to_date_table(data, filters, name) if name else pd.DataFrame()


def _sme_against_government(data: DashboardData, filters: Filters) -> pd.DataFrame:
    rows = queries.sme_share_by_period(department_rows(data, filters), "fy")
    central = queries.sme_share_by_period(_central(data, filters), "fy")
    table = rows[["period", "sme_share_value_pct", "sme_share_volume_pct"]].merge(
        central[["period", "sme_share_value_pct", "sme_share_volume_pct"]],
        on="period",
        how="left",
        suffixes=("_department", "_government"),
    )
    return table.rename(
        columns={
            "period": "Financial year",
            "sme_share_value_pct_department": "Department SME share by value (%)",
            "sme_share_volume_pct_department": "Department SME share by volume (%)",
            "sme_share_value_pct_government": "Central government SME share by value (%)",
            "sme_share_volume_pct_government": "Central government SME share by volume (%)",
        }
    )


def _sme_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    plain = table.rename(columns={"Financial year": "period"})
    series = {
        "Department SME share by value (%)": "Department",
        "Central government SME share by value (%)": "Central government average",
    }
    return figures.share_lines(plain, series, title)


def _bodies(data: DashboardData, filters: Filters) -> pd.DataFrame:
    rows = department_rows(data, filters, "customer")
    table = rows.groupby("customer_key", observed=True).agg(
        body=("customer", "first"),
        spend=("spend_gbp", "sum"),
        transactions=("transactions", "sum"),
    )
    table = table.sort_values("spend", ascending=False, ignore_index=True)
    table["share"] = 100 * table["spend"] / rows["spend_gbp"].sum()
    return table.rename(
        columns={
            "body": "Body",
            "spend": "Spend (£)",
            "transactions": "Transactions",
            "share": "Share of the department's spend (%)",
        }
    )


def _suppliers(data: DashboardData, filters: Filters) -> pd.DataFrame:
    name = chosen_department(data, filters)
    if not name:
        return rename_top_suppliers(queries.top_suppliers(data.table("pair").iloc[0:0], 20))
    return rename_top_suppliers(top_suppliers(data, filters, 20, department=name))


def _lots(data: DashboardData, filters: Filters) -> pd.DataFrame:
    return rename_frameworks(queries.spend_by_framework(department_rows(data, filters)))


def ranking(data: DashboardData, filters: Filters) -> pd.DataFrame:
    """Every department's spend in view, largest first, with its rank."""
    spend = data.filtered(filters, "spend")
    spend = spend[spend["department"].astype(object).ne(NO_DEPARTMENT)]
    by_department = (
        spend.groupby(spend["department"].astype(object))[["spend_gbp", "transactions"]]
        .sum()
        .sort_values("spend_gbp", ascending=False)
    )
    table = by_department.reset_index()
    table.columns = ["Department", "Spend (£)", "Transactions"]
    table.insert(0, "Rank", range(1, len(table) + 1))
    return table


DEPARTMENT_VIEWS = (
    View("dept-by-year", "Spend by financial year", _by_year, _by_year_figure),
    View("dept-year-to-date", "Year to date against the same months a year earlier", _ytd,
         year_to_date_figure),
    View("dept-sme", "SME share by value against the central government average",
         _sme_against_government, _sme_figure),
    View("dept-bodies", "Bodies included and their spend", _bodies),
    View("dept-suppliers", "Top suppliers", _suppliers),
    View("dept-lots", "Frameworks and lots bought", _lots),
    View("dept-rank", "Departments ranked by spend", ranking),
)  # fmt: skip
