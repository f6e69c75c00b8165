"""Spend: headline figures, spend by period, buyer group, sector and framework, SME shares,
and the year to date against the year before.

Pure functions take spend rows or aggregate lines (same columns) and return small frames with
snake_case columns (``spend_gbp`` is pounds ex VAT, ``*_pct`` percentages); the functions
taking a :class:`~dashboard.analytics.store.Store` read the smallest aggregate table that
answers them. Every number the app shows for spend comes from here.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from dashboard.analytics.counting import (
    codes_of,
    counted,
    group_sums,
    last_month_of,
    measures,
    months_of,
    period_codes,
    share,
    whole_transactions,
)
from dashboard.analytics.filters import Filters, without_time
from dashboard.analytics.ordering import sort_frame
from dashboard.analytics.selection import matches
from dashboard.analytics.store import Store
from loaders.bodies.counting import count_buyers, count_suppliers
from loaders.core import periods
from loaders.core.vocabulary import load_vocabulary

UNKNOWN_SECTOR = "Unknown sector"
NOT_STATED = "(not stated)"
ROW_COLUMNS = [
    "month", "financial_year", "framework", "framework_iteration", "lot", "customer",
    "sector", "buyer_group", "supplier", "sme_status", "spend_gbp", "description",
    "source_file", "source_row", "release",
]  # fmt: skip


def sme_rows(spend: pd.DataFrame) -> np.ndarray:
    """Which lines are spend with SMEs."""
    return matches(spend["sme_status"], lambda status: status == "SME")


def headline(spend: pd.DataFrame) -> dict[str, float | int | str | None]:
    """Total spend (£), shares (%) by buyer group and SME, transactions, distinct buyers and
    suppliers, latest month.

    Buyers and suppliers are ``None`` when ``spend`` is a table without their keys.
    """
    spend = counted(spend)
    total = float(spend["spend_gbp"].sum())
    by_group = spend.groupby("buyer_group", observed=True)["spend_gbp"].sum()
    sme = sme_rows(spend)
    transactions = int(spend["transactions"].sum())
    figures: dict[str, float | int | str | None] = {"total_spend": total}
    for group in load_vocabulary().buyer_group_list:
        figures[f"{group.column}_share"] = share(by_group.get(group.name, 0.0), total)
    figures.update(
        {
            "sme_share_value": share(float(spend.loc[sme, "spend_gbp"].sum()), total),
            "sme_share_volume": share(
                int(spend["transactions"].to_numpy()[sme].sum()), transactions
            ),
            "transactions": transactions,
            "buyers": count_buyers(spend) if "customer_key" in spend else None,
            "suppliers": count_suppliers(spend) if "supplier_key" in spend else None,
            "latest_month": None if spend.empty else periods.month_label(last_month_of(spend)),
        }
    )
    return figures


def spend_by_period(spend: pd.DataFrame, period: str) -> pd.DataFrame:
    """Spend (£) per period split by buyer group (a ``<group>_gbp`` column per group of
    ``buyer_groups.csv``, in its order) and ``total_gbp``; one row per period."""
    period_index, labels = period_codes(spend, period)
    group_codes, groups = codes_of(spend["buyer_group"])
    cells = np.bincount(
        period_index * len(groups) + group_codes,
        weights=spend["spend_gbp"].to_numpy(),
        minlength=len(labels) * len(groups),
    ).reshape(len(labels), len(groups))
    column_of = {group: i for i, group in enumerate(groups)}
    table = pd.DataFrame({"period": labels})
    columns = []
    for group in load_vocabulary().buyer_group_list:
        column = f"{group.column}_gbp"
        table[column] = cells[:, column_of[group.name]] if group.name in column_of else 0.0
        columns.append(column)
    table["total_gbp"] = table[columns].sum(axis=1)
    return table


def sme_share_by_period(spend: pd.DataFrame, period: str) -> pd.DataFrame:
    """SME share of spend (value) and of transactions (volume) per period."""
    spend = counted(spend)
    sme = sme_rows(spend)
    period_index, labels = period_codes(spend, period)
    amount = spend["spend_gbp"].to_numpy()
    count = spend["transactions"].to_numpy().astype("float64")
    n = len(labels)
    money = np.bincount(period_index, weights=amount, minlength=n)
    sme_money = np.bincount(period_index, weights=amount * sme, minlength=n)
    lines = np.bincount(period_index, weights=count, minlength=n).round().astype("int64")
    sme_lines = np.bincount(period_index, weights=count * sme, minlength=n).round().astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):  # a period of nil spend: NaN, as pandas
        value_share = 100 * sme_money / money
        volume_share = 100 * sme_lines / lines
    return pd.DataFrame(  # built at once: each column added later re-copies the column labels
        {
            "period": labels,
            "spend_gbp": money,
            "sme_spend_gbp": sme_money,
            "transactions": lines,
            "sme_transactions": sme_lines,
            "sme_share_value_pct": value_share,
            "sme_share_volume_pct": volume_share,
        }
    )


def spend_by_sector(spend: pd.DataFrame) -> pd.DataFrame:
    """Spend, share and transactions per sector; rows without a sector shown, not hidden."""
    table = group_sums(
        {"sector": spend["sector"], "buyer_group": spend["buyer_group"]}, measures(spend)
    )
    table["sector"] = table["sector"].fillna(UNKNOWN_SECTOR)
    table = whole_transactions(table)
    table = table.sort_values(["spend_gbp", "sector"], ascending=[False, True], ignore_index=True)
    table["share_pct"] = 100 * table["spend_gbp"] / spend["spend_gbp"].sum()
    return table


def spend_by_framework(spend: pd.DataFrame) -> pd.DataFrame:
    """Spend, share and transactions per framework, iteration and lot; iterations in their
    order (G-Cloud 2 ... 14), lots by spend within each."""
    table = group_sums(
        {column: spend[column] for column in ("framework", "framework_iteration", "lot")},
        measures(spend),
    )
    for column in ("framework_iteration", "lot"):
        table[column] = table[column].fillna(NOT_STATED)
    table = whole_transactions(table).sort_values("spend_gbp", ascending=False)
    table = sort_frame(table, ["framework", "framework_iteration"])
    table["share_pct"] = 100 * table["spend_gbp"] / spend["spend_gbp"].sum()
    return table


def year_to_date(spend_all_time: pd.DataFrame, reference_month: pd.Timestamp) -> pd.DataFrame:
    """Spend by month of the financial year to ``reference_month``, against the year before.

    ``spend_all_time`` must not be narrowed by period filters (the previous year is needed).
    Returns one row per month of the year so far, with both years' spend (``spend_<fy>_gbp``)
    and running totals (``cumulative_<fy>_gbp``).
    """
    this_fy = periods.financial_year_of(reference_month)
    months = periods.months_between(periods.fy_first_month(this_fy), reference_month)
    previous = [m - pd.DateOffset(years=1) for m in months]
    by_month = spend_all_time["spend_gbp"].groupby(months_of(spend_all_time)).sum()
    last_fy = periods.previous_fy(this_fy)
    table = pd.DataFrame(
        {
            "month_of_year": [periods.FY_MONTH_NAMES[i] for i in range(len(months))],
            "this_year_month": [periods.month_label(m) for m in months],
            f"spend_{this_fy}_gbp": [float(by_month.get(m, 0.0)) for m in months],
            "last_year_month": [periods.month_label(m) for m in previous],
            f"spend_{last_fy}_gbp": [float(by_month.get(m, 0.0)) for m in previous],
        }
    )
    table[f"cumulative_{this_fy}_gbp"] = table[f"spend_{this_fy}_gbp"].cumsum()
    table[f"cumulative_{last_fy}_gbp"] = table[f"spend_{last_fy}_gbp"].cumsum()
    return table


def filtered_rows(spend: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The filtered rows themselves, newest first, at most ``limit`` of them."""
    ordered = spend.sort_values(["month", "spend_gbp"], ascending=[False, False])
    return ordered[ROW_COLUMNS].head(limit)


# --- queries of the store -------------------------------------------------------------------


def group_shares_of_all(spend: pd.DataFrame, every_group: pd.DataFrame) -> dict[str, float]:
    """Each buyer group's spend (``<group>_gbp``) in ``spend`` and its share (%) of the spend
    of every buyer group (``<group>_share_of_all``: ``every_group`` is the same lines without
    the buyer-group filter), and that total (``all_groups_gbp``)."""
    by_group = spend.groupby("buyer_group", observed=True)["spend_gbp"].sum()
    total = float(every_group["spend_gbp"].sum())
    figures = {"all_groups_gbp": total}
    for group in load_vocabulary().buyer_group_list:
        amount = float(by_group.get(group.name, 0.0))
        figures[f"{group.column}_gbp"] = amount
        figures[f"{group.column}_share_of_all"] = share(amount, total)
    return figures


def overview_headline(store: Store, filters: Filters) -> dict:
    """The overview's headline figures; buyers and suppliers counted on their own tables.
    With a buyer-group filter, each group's share of the spend of every buyer group in view
    too (:func:`group_shares_of_all`): its share of the filtered spend alone says nothing."""

    def compute() -> dict:
        lines = store.filtered(filters, "spend")
        figures = headline(lines)
        figures.pop("latest_month")  # a yearly table's months are first months: not shown
        figures["buyers"] = count_buyers(store.filtered(filters, "customer"))
        figures["suppliers"] = count_suppliers(store.filtered(filters, "supplier"))
        if filters.buyer_group:
            every = store.filtered(replace(filters, buyer_group=()), "spend")
            figures.update(group_shares_of_all(lines, every))
        return figures

    return store.memoised("headline", filters, compute)


def by_period(store: Store, filters: Filters, grain: str = "spend") -> pd.DataFrame:
    """Lines in view for a chart drawn by period: monthly when the charts are drawn by month
    or quarter (:attr:`Filters.by_months`)."""
    return store.filtered(filters, grain, months=filters.by_months)


def year_to_date_in_view(
    store: Store, filters: Filters, department: str | None = None
) -> pd.DataFrame:
    """Spend by month of the financial year to the latest month in view, against the same
    months a year earlier (of one department's bodies if given); only those two years'
    monthly lines are read. Empty when nothing in view matches (the chart says so rather
    than compare other years)."""
    in_view = store.filtered(filters, "spend", months=True, department=department)
    if in_view.empty:
        return pd.DataFrame()
    reference = last_month_of(in_view)
    this_year = periods.financial_year_of(reference)
    both = replace(without_time(filters), fy=(periods.previous_fy(this_year), this_year))
    rows = store.filtered(both, "spend", months=True, department=department)
    return year_to_date(rows, reference)
