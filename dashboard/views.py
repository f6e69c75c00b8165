"""The registry of every view of the app, and the overview and data-quality views.

Views of the adoption, suppliers and department pages live in their own modules and are
merged into :data:`VIEWS` here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import figures, queries
from dashboard.adoption_views import ADOPTION_VIEWS
from dashboard.common_views import year_to_date_table
from dashboard.data import DashboardData
from dashboard.department_views import DEPARTMENT_VIEWS
from dashboard.filters import Filters
from dashboard.supplier_views import SUPPLIER_VIEWS, top_suppliers
from dashboard.tables import (
    rename_frameworks,
    rename_top_suppliers,
    year_to_date_figure,
)
from dashboard.view import View, period_name

ROW_DOWNLOAD_LIMIT = 50_000
TOP_SUPPLIERS = 20


def overview_headline(data: DashboardData, filters: Filters) -> dict:
    """The overview's headline figures; buyers and suppliers counted on their own tables."""

    def compute() -> dict:
        figures = queries.headline(data.filtered(filters, "spend"))
        figures.pop("latest_month")  # a yearly table's months are first months: not shown
        figures["buyers"] = queries.distinct_count(
            data.filtered(filters, "customer")["customer_key"]
        )
        figures["suppliers"] = queries.distinct_count(
            data.filtered(filters, "supplier")["supplier_key"]
        )
        return figures

    return data.memoised("headline", filters, compute)


def _spend_by_period(data: DashboardData, filters: Filters) -> pd.DataFrame:
    by_month = filters.shown_by == "month"
    table = queries.spend_by_period(
        data.filtered(filters, "spend", months=by_month), filters.shown_by
    )
    names = {group: f"{group} (£)" for group in queries.BUYER_GROUPS}
    return table.rename(columns={"period": period_name(filters), **names, "Total": "Total (£)"})


def _stacked_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    plain = table.rename(columns=lambda c: c.removesuffix(" (£)"))
    plain = plain.rename(columns={period_name(filters): "period"})
    return figures.stacked_by_group(plain, queries.BUYER_GROUPS, title)


def _sme_share(data: DashboardData, filters: Filters) -> pd.DataFrame:
    by_month = filters.shown_by == "month"
    table = queries.sme_share_by_period(
        data.filtered(filters, "spend", months=by_month), filters.shown_by
    )
    return table.rename(
        columns={
            "period": period_name(filters),
            "spend_gbp": "Spend (£)",
            "sme_spend_gbp": "SME spend (£)",
            "sme_share_value_pct": "SME share by value (%)",
            "transactions": "Transactions",
            "sme_transactions": "SME transactions",
            "sme_share_volume_pct": "SME share by volume (%)",
        }
    )


def _sme_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    plain = table.rename(columns={period_name(filters): "period"})
    series = {"SME share by value (%)": "By value", "SME share by volume (%)": "By volume"}
    return figures.share_lines(plain, series, title)


def _by_sector(data: DashboardData, filters: Filters) -> pd.DataFrame:
    table = queries.spend_by_sector(data.filtered(filters, "spend"))
    return table.rename(
        columns={
            "sector": "Sector",
            "buyer_group": "Buyer group",
            "spend_gbp": "Spend (£)",
            "transactions": "Transactions",
            "share_pct": "Share of spend (%)",
        }
    )


def _sector_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    return figures.horizontal_bars(table["Sector"], table["Spend (£)"], title)


def _by_framework(data: DashboardData, filters: Filters) -> pd.DataFrame:
    return rename_frameworks(queries.spend_by_framework(data.filtered(filters, "spend")))


def _framework_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    by_iteration = (
        table.groupby(["Framework", "Iteration"], observed=True)["Spend (£)"].sum().reset_index()
    )
    labels = by_iteration["Iteration"].where(
        by_iteration["Iteration"] != queries.NOT_STATED,
        by_iteration["Framework"] + " (iteration not stated)",
    )
    return figures.horizontal_bars(labels, by_iteration["Spend (£)"], title)


def _top_suppliers(data: DashboardData, filters: Filters) -> pd.DataFrame:
    return rename_top_suppliers(top_suppliers(data, filters, TOP_SUPPLIERS))


def _suppliers_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    labels = table["Supplier"] + " (" + table["SME status"] + ")"
    return figures.horizontal_bars(labels, table["Spend (£)"], title)


def _year_to_date(data: DashboardData, filters: Filters) -> pd.DataFrame:
    return year_to_date_table(data, filters)


def _files(data: DashboardData, filters: Filters) -> pd.DataFrame:
    rows = [
        {
            "File": f["file"],
            "Layout": f["layout"],
            "Release": f["release"],
            "Months": f"{f['months']['first']} to {f['months']['last']}",
            "Rows read": f["rows_read"],
            "Rows loaded": f["rows_loaded"],
            "Rows superseded": f["rows_superseded"],
            "Rows quarantined": f["rows_quarantined"],
            "Spend read (£)": f["spend_read_gbp"],
            "Spend loaded (£)": f["spend_loaded_gbp"],
            "Spend superseded (£)": f["spend_superseded_gbp"],
            "Spend quarantined (£)": f["spend_quarantined_gbp"],
            "Reconciles": "Yes" if f["reconciles"] else "No",
        }
        for f in data.report["files"]
    ]
    return pd.DataFrame(rows)


def _quarantine_reasons(data: DashboardData, filters: Filters) -> pd.DataFrame:
    rows = [
        {"File": f["file"], "Reason": reason, "Rows": seen["rows"], "Spend (£)": seen["spend_gbp"]}
        for f in data.report["files"]
        for reason, seen in f["quarantined_by_reason"].items()
    ]
    return pd.DataFrame(rows, columns=["File", "Reason", "Rows", "Spend (£)"])


def _revisions(data: DashboardData, filters: Filters) -> pd.DataFrame:
    table = data.revisions.copy()
    table["month"] = pd.to_datetime(table["month"]).dt.strftime("%Y-%m")
    table = table.sort_values("change_gbp", key=lambda s: s.abs(), ascending=False)
    return table.rename(
        columns={
            "framework": "Framework",
            "month": "Month",
            "first_release": "First published in",
            "first_published_gbp": "First published (£)",
            "current_release": "Now published in",
            "current_gbp": "Now published (£)",
            "change_gbp": "Change (£)",
            "releases": "Releases",
        }
    ).reset_index(drop=True)


def _unclassified(data: DashboardData, filters: Filters) -> pd.DataFrame:
    bodies = data.table("customer_fy")
    spend = bodies[bodies["buyer_group"].astype(object) == "Unclassified"]
    table = (
        spend.assign(sector=spend["sector"].astype(object).fillna(queries.UNKNOWN_SECTOR))
        .groupby(["customer", "sector"], observed=True)
        .agg(spend=("spend_gbp", "sum"), rows=("transactions", "sum"))
        .reset_index()
        .sort_values("spend", ascending=False, ignore_index=True)
    )
    return table.rename(
        columns={"customer": "Customer", "sector": "Sector", "spend": "Spend (£)", "rows": "Rows"}
    )


METHOD_ORDER = {"fuzzy_list": 0, "override": 1, "exact_list": 2, "urn": 3, "name_key": 4}


def _matches(data: DashboardData, filters: Filters) -> pd.DataFrame:
    """Every published name and the body it was resolved to, least certain first."""
    table = data.matches
    if table.empty:
        return pd.DataFrame()
    table = table.assign(order=table["method"].astype(str).map(METHOD_ORDER).fillna(9))
    table = table.sort_values(["order", "score", "spend_gbp"], ascending=[True, True, False])
    return (
        table.drop(columns="order")
        .rename(
            columns={
                "kind": "Kind",
                "published_name": "Name as published",
                "body_key": "Body key",
                "body_name": "Resolved to",
                "urn": "URN",
                "method": "Method",
                "score": "Score",
                "rows": "Rows",
                "spend_gbp": "Spend (£)",
            }
        )
        .reset_index(drop=True)
    )


def _rows(data: DashboardData, filters: Filters) -> pd.DataFrame:
    rows = queries.filtered_rows(data.rows(filters), ROW_DOWNLOAD_LIMIT)
    rows = rows.assign(month=rows["month"].dt.strftime("%Y-%m"))
    return rows.rename(columns={"spend_gbp": "spend (£)"})


VIEWS: dict[str, View] = {
    view.id: view
    for view in (
        *ADOPTION_VIEWS,
        *SUPPLIER_VIEWS,
        *DEPARTMENT_VIEWS,
        View(
            "spend-by-period",
            "Spend by buyer group",
            _spend_by_period,
            _stacked_figure,
            by_period=True,
        ),
        View(
            "sme-share",
            "SME share of spend and of transactions",
            _sme_share,
            _sme_figure,
            by_period=True,
        ),
        View("top-suppliers", "Top suppliers by spend", _top_suppliers, _suppliers_figure),
        View("spend-by-sector", "Spend by customer sector", _by_sector, _sector_figure),
        View(
            "spend-by-framework",
            "Spend by framework, iteration and lot",
            _by_framework,
            _framework_figure,
        ),  # fmt: skip
        View(
            "year-to-date",
            "Year to date against the same months a year earlier",
            _year_to_date,
            year_to_date_figure,
        ),  # fmt: skip
        View("rows", "Filtered spend rows", _rows),
        View("files", "Files loaded", _files, uses_filters=False),
        View("quarantine", "Quarantined rows by reason", _quarantine_reasons, uses_filters=False),
        View("revisions", "Revisions between releases", _revisions, uses_filters=False),
        View("unclassified", "Unclassified spend by customer", _unclassified, uses_filters=False),
        View(
            "matches",
            "Names resolved to bodies (least certain first)",
            _matches,
            uses_filters=False,
        ),  # fmt: skip
    )
}
