"""Display forms of query results shared by several pages: column names as shown and
downloaded, and the figures drawn from them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import figures

FRAMEWORK_COLUMNS = {
    "framework": "Framework",
    "framework_iteration": "Iteration",
    "lot": "Lot",
    "spend_gbp": "Spend (£)",
    "transactions": "Transactions",
    "share_pct": "Share of spend (%)",
}
SUPPLIER_COLUMNS = {
    "supplier": "Supplier",
    "sme_status": "SME status",
    "spend_gbp": "Spend (£)",
    "share_pct": "Share of spend (%)",
    "buyers": "Buyers",
    "transactions": "Transactions",
}


def rename_frameworks(table: pd.DataFrame) -> pd.DataFrame:
    """``queries.spend_by_framework`` with display column names."""
    return table.rename(columns=FRAMEWORK_COLUMNS)


def rename_top_suppliers(table: pd.DataFrame) -> pd.DataFrame:
    """``queries.top_suppliers`` with display column names."""
    return table.rename(columns=SUPPLIER_COLUMNS)


def rename_year_to_date(table: pd.DataFrame) -> pd.DataFrame:
    """``queries.year_to_date`` with display column names (years in the names)."""
    renamed = {
        "month_of_year": "Month of financial year",
        "this_year_month": "Month",
        "last_year_month": "Same month a year earlier",
    }
    for column in table.columns:
        if column.endswith("_gbp"):
            kind, year = column.removesuffix("_gbp").split("_", 1)
            renamed[column] = f"{'Spend' if kind == 'spend' else 'Running total'} {year} (£)"
    return table.rename(columns=renamed)


def year_to_date_figure(table: pd.DataFrame, title: str, *_: object) -> go.Figure:
    """Running totals of this year and last, from a renamed year-to-date table."""
    running = [c for c in table.columns if c.startswith("Running total")]
    series = {c.removeprefix("Running total ").removesuffix(" (£)"): table[c] for c in running}
    return figures.cumulative_lines(table["Month of financial year"], series, title)
