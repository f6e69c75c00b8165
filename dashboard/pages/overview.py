"""``/``: headline figures and the main charts of spend through the frameworks."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics import performance, spend
from dashboard.analytics.clicks import CARRIED, PERIOD, Click
from dashboard.analytics.counting import wide_sums
from dashboard.analytics.filters import Filters, describe
from dashboard.analytics.store import Store
from dashboard.analytics.timeline import every_period, periods_in_view
from dashboard.pages.common import (
    TARGET,
    TOP_SUPPLIERS,
    Page,
    description,
    lot_keys,
    lot_labels,
    sections,
    with_sme_target,
    year_to_date_figure,
)
from dashboard.pages.notice_views import advertisers_items
from dashboard.ui import figures
from dashboard.ui.formatting import format_count, format_money, format_share
from dashboard.ui.sections import download_buttons, kpi_row
from dashboard.ui.view import View
from loaders.core.periods import month_start
from loaders.core.vocabulary import load_vocabulary

KPI_TOTAL = "kpi-total-spend"
KPI_CENTRAL = "kpi-central-share"
KPI_NON_WHITEHALL = "kpi-non-whitehall-share"
KPI_SME_VALUE = "kpi-sme-share-value"
KPI_SME_VOLUME = "kpi-sme-share-volume"
KPI_BUYERS = "kpi-buyers"
KPI_SUPPLIERS = "kpi-suppliers"
KPI_AS_AT = "kpi-data-as-at"
KPI_ADVERTISERS = "kpi-advertisers"
KPI_UNCLASSIFIED = "kpi-unclassified-share"
KPI_GROUP_SHARE = {"central": KPI_CENTRAL, "non_whitehall": KPI_NON_WHITEHALL,
                   "unclassified": KPI_UNCLASSIFIED}  # fmt: skip
ROW_DOWNLOAD_LIMIT = 50_000


def _spend_by_period(store: Store, filters: Filters) -> pd.DataFrame:
    table = spend.spend_by_period(spend.by_period(store, filters), filters.shown_by)
    return every_period(table, periods_in_view(store, filters, filters.shown_by))


def _stacked_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    groups = {f"{g.column}_gbp": g.name for g in load_vocabulary().buyer_group_list}
    return figures.stacked_by_group(table, groups, title)


def _sme_share(store: Store, filters: Filters) -> pd.DataFrame:
    table = spend.sme_share_by_period(spend.by_period(store, filters), filters.shown_by)
    return with_sme_target(every_period(table, periods_in_view(store, filters, filters.shown_by)))


def _sme_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    series = {"sme_share_value_pct": "By value", "sme_share_volume_pct": "By volume"}
    return figures.share_lines(table, series, title, target=TARGET)


def _cumulative(store: Store, filters: Filters) -> pd.DataFrame:
    in_view = periods_in_view(store, filters, "month")
    if not in_view:
        return pd.DataFrame()
    lines = store.filtered_all_time(filters, "spend", months=True)
    return performance.cumulative_since_launch(lines, performance.read_launches(),
                                               month_start(in_view[-1]))  # fmt: skip


def _cumulative_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    wide = wide_sums(table, "month", "framework", "cumulative_gbp")
    series = {str(framework): wide[framework] for framework in wide.columns}
    return figures.money_lines(pd.Series(wide.index), series, title,
                               "Spend to date (£)", months=True)  # fmt: skip


def _by_sector(store: Store, filters: Filters) -> pd.DataFrame:
    return spend.spend_by_sector(store.filtered(filters, "spend"))


def _sector_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    keys = table["sector"].where(table["sector"] != spend.UNKNOWN_SECTOR, "")
    return figures.horizontal_bars(table["sector"], table["spend_gbp"], title, keys=keys)


def _by_framework(store: Store, filters: Filters) -> pd.DataFrame:
    return spend.spend_by_framework(store.filtered(filters, "spend"))


def _framework_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    """Bars by framework iteration; by lot when there is one iteration (or none stated) in
    view, so the chart never shows a single bar while the table has several lots."""
    iterations = table[["framework", "framework_iteration"]].drop_duplicates()
    if len(iterations) <= 1:
        return figures.horizontal_bars(lot_labels(table), table["spend_gbp"], title,
                                       keys=lot_keys(table))  # fmt: skip
    by_iteration = (
        table.groupby(["framework", "framework_iteration"], observed=True, sort=False)["spend_gbp"]
        .sum()
        .reset_index()
    )
    labels = by_iteration["framework_iteration"].where(
        by_iteration["framework_iteration"] != spend.NOT_STATED,
        by_iteration["framework"] + " (iteration not stated)",
    )
    stated = by_iteration["framework_iteration"] != spend.NOT_STATED
    keys = [["iteration", str(i)] if s else ["framework", str(f)] for i, f, s in
            zip(by_iteration["framework_iteration"], by_iteration["framework"], stated,
                strict=True)]  # fmt: skip
    return figures.horizontal_bars(labels, by_iteration["spend_gbp"], title, keys=keys)


def _year_to_date(store: Store, filters: Filters) -> pd.DataFrame:
    return spend.year_to_date_in_view(store, filters)


def _rows(store: Store, filters: Filters) -> pd.DataFrame:
    rows = spend.filtered_rows(store.rows(filters), ROW_DOWNLOAD_LIMIT)
    return rows.assign(month=rows["month"].dt.strftime("%Y-%m"))


SPEND_BY_PERIOD = View("spend-by-period", "Spend by buyer group", _spend_by_period,
                       _stacked_figure, by_period=True,
                       click=Click(point=PERIOD, legend="buyer_group"))  # fmt: skip
SME_SHARE = View("sme-share", "SME share of spend and of transactions", _sme_share, _sme_figure,
                 by_period=True, click=Click(point=PERIOD))  # fmt: skip
YEAR_TO_DATE = View("year-to-date", "Year to date against the same months a year earlier",
                    _year_to_date, year_to_date_figure)  # fmt: skip
BY_SECTOR = View("spend-by-sector", "Spend by customer sector", _by_sector, _sector_figure,
                 click=Click(point="sector"))  # fmt: skip
BY_FRAMEWORK = View("spend-by-framework", "Spend by framework, iteration and lot", _by_framework,
                    _framework_figure, click=Click(point=CARRIED))  # fmt: skip
ROWS = View("rows", "Filtered spend rows", _rows, row_limit=ROW_DOWNLOAD_LIMIT)
CUMULATIVE = View("cumulative-since-launch",
                  "Spend to date since each framework's first month of spend (all months to "
                  "the end of the period)", _cumulative, _cumulative_figure)  # fmt: skip
CHARTS = (SPEND_BY_PERIOD, SME_SHARE, YEAR_TO_DATE, CUMULATIVE, BY_SECTOR, BY_FRAMEWORK,
          TOP_SUPPLIERS)  # fmt: skip


def _group_items(figures_: dict, filters: Filters) -> list[tuple]:
    """The buyer groups' shares: of the spend in view; with a buyer-group filter, each chosen
    group's share of the spend of every group (its share of itself would say 100%)."""
    if not filters.buyer_group:
        unclassified = format_share(figures_["unclassified_share"])
        return [
            (KPI_CENTRAL, "Central government share of spend",
             format_share(figures_["central_share"])),
            (KPI_NON_WHITEHALL, "Non-Whitehall share of spend",
             format_share(figures_["non_whitehall_share"]), f"Unclassified: {unclassified}"),
        ]  # fmt: skip
    every = format_money(figures_["all_groups_gbp"])
    return [
        (KPI_GROUP_SHARE[group.column], f"{group.name} share of all buyers' spend",
         format_share(figures_[f"{group.column}_share_of_all"]),
         f"{format_money(figures_[f'{group.column}_gbp'])} of {every} across every buyer group")
        for group in load_vocabulary().buyer_group_list
        if group.name in filters.buyer_group
    ]  # fmt: skip


def _headlines(store: Store, filters: Filters) -> html.Div:
    figures_ = spend.overview_headline(store, filters)
    latest = store.latest_month
    return kpi_row([
        (KPI_TOTAL, "Total spend", format_money(figures_["total_spend"]),
         f"{format_count(figures_['transactions'])} transactions"),
        *_group_items(figures_, filters),
        (KPI_SME_VALUE, "SME share by value", format_share(figures_["sme_share_value"])),
        (KPI_SME_VOLUME, "SME share by volume (transactions)",
         format_share(figures_["sme_share_volume"])),
        (KPI_BUYERS, "Buyers (distinct customers)", format_count(figures_["buyers"])),
        (KPI_SUPPLIERS, "Suppliers", format_count(figures_["suppliers"])),
        (KPI_AS_AT, "Data as at", latest.strftime("%b %Y") if latest is not None else "–"),
        *advertisers_items(store, filters, KPI_ADVERTISERS),
    ])  # fmt: skip


def build(store: Store, filters: Filters) -> list:
    """``/``: headline figures and the main charts for the filtered data."""
    return [
        html.H1("Spend through the digital frameworks", className="govuk-heading-l"),
        description(f"Showing {describe(filters)}."),
        _headlines(store, filters),
        *sections(store, filters, CHARTS),
        html.Section(
            [
                html.H2("The filtered rows", className="govuk-heading-m"),
                html.P(
                    f"Download the spend rows behind this view (at most "
                    f"{ROW_DOWNLOAD_LIMIT:,} rows, newest first), with the file and row each "
                    "came from.",
                    className="govuk-body",
                ),
                download_buttons(ROWS.id, ROWS.name),
            ],
            className="app-section",
        ),
    ]


PAGE = Page("/", "Overview", "Overview", build, views=(*CHARTS, ROWS))
