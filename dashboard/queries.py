"""Pure query functions: a canonical spend frame and filters in, a small frame out.

Nothing here knows about Dash. Every figure, table and download of the app comes from one
of these functions, so the numbers shown, the data tables beside charts and the downloads
are the same numbers.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard.filters import Filters
from loaders import normalise, schema
from loaders.reference import Vocabulary, load_vocabulary, simplify

BUYER_GROUPS = list(schema.BUYER_GROUPS)
UNKNOWN_SECTOR = "Unknown sector"
NOT_STATED = "(not stated)"
MONTH_LABEL = "%Y-%m"
FY_MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]


def _in(column: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    """Rows whose value is one of ``wanted``, compared case- and punctuation-blind."""
    keys = {simplify(w) for w in wanted}
    values = column.astype(object).dropna().unique()
    chosen = [v for v in values if simplify(v) in keys]
    return column.isin(chosen)


def time_mask(spend: pd.DataFrame, filters: Filters) -> pd.Series:
    """Rows in the period the filters choose (financial years, or from/to months)."""
    mask = pd.Series(True, index=spend.index)
    if filters.fy:
        return mask & spend["financial_year"].isin(filters.fy)
    if filters.date_from:
        mask &= spend["month"] >= pd.Timestamp(filters.date_from + "-01")
    if filters.date_to:
        mask &= spend["month"] <= pd.Timestamp(filters.date_to + "-01")
    return mask


def _names_mask(spend, key_column, name_column, wanted, key_of) -> pd.Series:
    """Rows whose body key, or the key of whose display name, is one of ``wanted``.

    Bodies resolved to a customer-list URN have keys like ``urn:10029409``; a link that
    names them (``customer=Home Office``) still finds them through their display name.
    """
    keys = {key_of(w) for w in wanted} | {w.strip() for w in wanted}
    names = spend[name_column].astype(object)
    matching = [n for n in names.dropna().unique() if key_of(str(n)) in keys]
    return spend[key_column].isin(keys) | names.isin(matching)


def apply_filters(
    spend: pd.DataFrame, filters: Filters, vocab: Vocabulary | None = None, time: bool = True
) -> pd.DataFrame:
    """Rows of ``spend`` that pass ``filters`` (``time=False`` ignores the period filters)."""
    vocab = vocab or load_vocabulary()
    mask = time_mask(spend, filters) if time else pd.Series(True, index=spend.index)
    for column, wanted in (
        ("framework", filters.framework),
        ("framework_iteration", filters.iteration),
        ("lot", filters.lot),
        ("buyer_group", filters.buyer_group),
        ("sector", filters.sector),
        ("sme_status", filters.sme),
    ):
        if wanted:
            mask &= _in(spend[column], wanted)
    if filters.customer:
        key_of = lambda n: normalise.customer_key(n, vocab)  # noqa: E731
        mask &= _names_mask(spend, "customer_key", "customer", filters.customer, key_of)
    if filters.supplier:
        key_of = lambda n: normalise.supplier_key(n, vocab)  # noqa: E731
        mask &= _names_mask(spend, "supplier_key", "supplier", filters.supplier, key_of)
    return spend[mask]


def _plain_labels(table: pd.DataFrame) -> pd.DataFrame:
    """Categorical label columns of a query result as plain text."""
    for column in table.columns:
        if isinstance(table[column].dtype, pd.CategoricalDtype):
            table[column] = table[column].astype(str)
    return table


def _share(part: float, whole: float) -> float:
    return 100 * part / whole if whole else float("nan")


def headline(spend: pd.DataFrame) -> dict[str, float | int | str | None]:
    """Total spend, shares by buyer group and SME, distinct buyers and suppliers."""
    total = float(spend["spend_gbp"].sum())
    by_group = spend.groupby("buyer_group", observed=True)["spend_gbp"].sum()
    sme = spend["sme_status"].astype(object).eq("SME")
    return {
        "total_spend": total,
        "central_share": _share(by_group.get("Central government", 0.0), total),
        "non_whitehall_share": _share(by_group.get("Non-Whitehall", 0.0), total),
        "unclassified_share": _share(by_group.get("Unclassified", 0.0), total),
        "sme_share_value": _share(float(spend.loc[sme, "spend_gbp"].sum()), total),
        "sme_share_volume": _share(int(sme.sum()), len(spend)),
        "transactions": int(len(spend)),
        "buyers": int(spend["customer_key"].nunique()),
        "suppliers": int(spend["supplier_key"].nunique()),
        "latest_month": None if spend.empty else spend["month"].max().strftime(MONTH_LABEL),
    }


def period_labels(spend: pd.DataFrame, period: str) -> pd.Series:
    """``YYYY-MM`` labels by month or ``2013-14`` labels by financial year."""
    if period == "month":
        return spend["month"].dt.strftime(MONTH_LABEL)
    return spend["financial_year"].astype(str)


def spend_by_period(spend: pd.DataFrame, period: str) -> pd.DataFrame:
    """Spend per period split by buyer group, with a total; one row per period."""
    table = (
        spend.assign(period=period_labels(spend, period))
        .pivot_table(
            index="period",
            columns="buyer_group",
            values="spend_gbp",
            aggfunc="sum",
            observed=True,
            fill_value=0.0,
        )
        .reindex(columns=BUYER_GROUPS, fill_value=0.0)
    )
    table.columns = list(table.columns)
    table["Total"] = table.sum(axis=1)
    return table.sort_index().reset_index()


def sme_share_by_period(spend: pd.DataFrame, period: str) -> pd.DataFrame:
    """SME share of spend (value) and of transactions (volume) per period."""
    frame = spend.assign(
        period=period_labels(spend, period),
        sme_spend=spend["spend_gbp"].where(spend["sme_status"].astype(object).eq("SME"), 0.0),
        sme_row=spend["sme_status"].astype(object).eq("SME").astype(int),
    )
    table = frame.groupby("period").agg(
        spend_gbp=("spend_gbp", "sum"),
        sme_spend_gbp=("sme_spend", "sum"),
        transactions=("spend_gbp", "size"),
        sme_transactions=("sme_row", "sum"),
    )
    table["sme_share_value_pct"] = 100 * table["sme_spend_gbp"] / table["spend_gbp"]
    table["sme_share_volume_pct"] = 100 * table["sme_transactions"] / table["transactions"]
    return table.sort_index().reset_index()


def spend_by_sector(spend: pd.DataFrame) -> pd.DataFrame:
    """Spend, share and transactions per sector; rows without a sector shown, not hidden."""
    frame = spend.assign(sector=spend["sector"].astype(object).fillna(UNKNOWN_SECTOR))
    table = frame.groupby(["sector", "buyer_group"], observed=True).agg(
        spend_gbp=("spend_gbp", "sum"), transactions=("spend_gbp", "size")
    )
    table = _plain_labels(table.reset_index())
    table = table.sort_values("spend_gbp", ascending=False, ignore_index=True)
    table["share_pct"] = 100 * table["spend_gbp"] / spend["spend_gbp"].sum()
    return table


def spend_by_framework(spend: pd.DataFrame) -> pd.DataFrame:
    """Spend, share and transactions per framework, iteration and lot."""
    frame = spend.assign(
        framework_iteration=spend["framework_iteration"].astype(object).fillna(NOT_STATED),
        lot=spend["lot"].astype(object).fillna(NOT_STATED),
    )
    table = frame.groupby(["framework", "framework_iteration", "lot"], observed=True).agg(
        spend_gbp=("spend_gbp", "sum"), transactions=("spend_gbp", "size")
    )
    table = _plain_labels(table.reset_index()).sort_values(
        ["framework", "framework_iteration", "spend_gbp"],
        ascending=[True, True, False],
        ignore_index=True,
    )
    table["share_pct"] = 100 * table["spend_gbp"] / spend["spend_gbp"].sum()
    return table


def top_suppliers(spend: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` suppliers with most spend: status, spend, share, buyers, transactions."""
    table = spend.groupby("supplier_key", observed=True).agg(
        supplier=("supplier", "first"),
        sme_status=("sme_status", "first"),
        spend_gbp=("spend_gbp", "sum"),
        buyers=("customer_key", "nunique"),
        transactions=("spend_gbp", "size"),
    )
    table = _plain_labels(table.reset_index(drop=True))
    table["share_pct"] = 100 * table["spend_gbp"] / spend["spend_gbp"].sum()
    table = table.sort_values(["spend_gbp", "supplier"], ascending=[False, True])
    columns = ["supplier", "sme_status", "spend_gbp", "share_pct", "buyers", "transactions"]
    return table.head(limit)[columns].reset_index(drop=True)


def financial_year_of(month: pd.Timestamp) -> str:
    """``2013-14`` for any month from April 2013 to March 2014."""
    start = month.year if month.month >= 4 else month.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def year_to_date(spend_all_time: pd.DataFrame, reference_month: pd.Timestamp) -> pd.DataFrame:
    """Spend by month of the financial year to ``reference_month``, against the year before.

    ``spend_all_time`` must not be narrowed by period filters (the previous year is needed).
    Returns one row per month of the year so far, with both years' spend and running totals.
    """
    this_fy = financial_year_of(reference_month)
    start = pd.Timestamp(year=int(this_fy[:4]), month=4, day=1)
    months = pd.date_range(start, reference_month, freq="MS")
    previous = [m - pd.DateOffset(years=1) for m in months]
    by_month = spend_all_time.groupby("month")["spend_gbp"].sum()
    last_fy = financial_year_of(previous[0])
    table = pd.DataFrame(
        {
            "month_of_year": [FY_MONTHS[i] for i in range(len(months))],
            "this_year_month": [m.strftime(MONTH_LABEL) for m in months],
            f"spend_{this_fy}_gbp": [float(by_month.get(m, 0.0)) for m in months],
            "last_year_month": [m.strftime(MONTH_LABEL) for m in previous],
            f"spend_{last_fy}_gbp": [float(by_month.get(m, 0.0)) for m in previous],
        }
    )
    table[f"cumulative_{this_fy}_gbp"] = table[f"spend_{this_fy}_gbp"].cumsum()
    table[f"cumulative_{last_fy}_gbp"] = table[f"spend_{last_fy}_gbp"].cumsum()
    return table


def ytd_reference_month(filtered: pd.DataFrame, whole: pd.DataFrame) -> pd.Timestamp | None:
    """The month the year-to-date comparison runs to: the latest month in view."""
    source = filtered if not filtered.empty else whole
    return None if source.empty else source["month"].max()


def without_time(filters: Filters) -> Filters:
    """The same filters with the period filters removed."""
    return replace(filters, date_from=None, date_to=None, fy=())


def filtered_rows(spend: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The filtered rows themselves, newest first, at most ``limit`` of them."""
    columns = [
        "month", "financial_year", "framework", "framework_iteration", "lot", "customer",
        "sector", "buyer_group", "supplier", "sme_status", "spend_gbp", "description",
        "source_file", "source_row", "release",
    ]  # fmt: skip
    return spend.sort_values(["month", "spend_gbp"], ascending=[False, False])[columns].head(limit)
