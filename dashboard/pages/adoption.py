"""``/adoption``: how many bodies buy through the frameworks, who is new, who returns, and
how many of the bodies that could buy do."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics import adoption, buyers
from dashboard.analytics.filters import Filters, describe
from dashboard.analytics.spend import by_period
from dashboard.analytics.store import Store
from dashboard.analytics.timeline import every_period, in_view_periods, periods_in_view
from dashboard.pages.common import Page, description, sections
from dashboard.ui import figures
from dashboard.ui.formatting import format_count
from dashboard.ui.sections import kpi_row
from dashboard.ui.view import View
from loaders.core.vocabulary import load_vocabulary

ADOPTION_BUYERS = "adoption-buyers"
ADOPTION_NON_WHITEHALL = "adoption-non-whitehall-buyers"
ADOPTION_NEW = "adoption-new-buyers"
ADOPTION_NEW_NON_WHITEHALL = "adoption-new-non-whitehall"
PENETRATION_NOTE = (
    "Bodies that could buy come from the CCS customer list given at ingest. That list holds "
    "every school, GP practice and military unit, so the groups above (principal councils, "
    "NHS trusts, police forces, fire and rescue services) are the honest denominators; only "
    "buyers matched to a body of the list count as buying."
)


def _buyers(store: Store, filters: Filters) -> pd.DataFrame:
    table = adoption.buyers_by_period(
        by_period(store, filters, "customer"),
        filters.shown_by,
        adoption.profiles_in_view(store, filters),
    )
    return every_period(table, periods_in_view(store, filters, filters.shown_by))


def _buyers_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    groups = {f"buyers_{g.column}": g.name for g in load_vocabulary().buyer_group_list}
    return figures.stacked_by_group(table, groups, title, y_title="Buyers")


def _any_spend(store: Store, filters: Filters) -> bool:
    return not store.filtered(filters, "spend").empty


def _new_buyers(store: Store, filters: Filters) -> pd.DataFrame:
    table = adoption.new_buyers_by_period(
        store.filtered_all_time(filters, "customer"),
        filters.shown_by,
        adoption.profiles_in_view(store, filters, all_time=True),
    )
    if not _any_spend(store, filters):
        return table.iloc[0:0]
    return in_view_periods(table, store, filters, filters.shown_by)


def _new_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    series = {"new_buyers": "New buyers", "new_non_whitehall": "New non-Whitehall"}
    return figures.grouped_bars(table["period"], table, series, title, "Buyers")


def _returning(store: Store, filters: Filters) -> pd.DataFrame:
    table = adoption.returning_buyers(store.filtered_all_time(filters, "customer"))
    if not _any_spend(store, filters):
        return table.iloc[0:0]
    return in_view_periods(table, store, filters, "fy", "financial_year")


def _returning_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    series = {"returning": "Returning", "new": "New"}
    return figures.grouped_bars(table["financial_year"], table, series, title, "Buyers")


def _by_sector(store: Store, filters: Filters) -> pd.DataFrame:
    return adoption.buyers_by_sector(
        store.filtered(filters, "customer"), adoption.profiles_in_view(store, filters)
    )


def _sector_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    return figures.horizontal_bars(table["sector"], table["buyers"], title, x_title="Buyers")


def _penetration(store: Store, filters: Filters) -> pd.DataFrame:
    return adoption.penetration_in_view(store, filters)


def _not_yet_buying(store: Store, filters: Filters) -> pd.DataFrame:
    types = filters.organisation_type
    return buyers.not_yet_buying(store, filters, types[0] if types else None)


def _new_non_whitehall(store: Store, filters: Filters) -> pd.DataFrame:
    table = adoption.first_time_in_view(store, filters, "non-whitehall")
    return pd.DataFrame(
        {
            "customer": table["customer"],
            "sector": table["sector"],
            "first_month": table["first_month"].dt.strftime("%Y-%m"),
            "spend_in_view_gbp": table["spend_in_view_gbp"],
        }
    )


BUYERS = View("buyers", "Buyers (distinct bodies) by buyer group", _buyers, _buyers_figure,
              by_period=True)  # fmt: skip
NEW_BUYERS = View("new-buyers", "New buyers: first purchase through these frameworks",
                  _new_buyers, _new_figure, by_period=True)  # fmt: skip
RETURNING = View("returning-buyers", "Returning and new buyers by financial year", _returning,
                 _returning_figure)  # fmt: skip
BY_SECTOR = View("buyers-by-sector", "Buyers by sector", _by_sector, _sector_figure)
PENETRATION = View("penetration", "Bodies buying, of those that could", _penetration)
FIRST_TIME = View("first-time-non-whitehall", "Non-Whitehall bodies buying for the first time",
                  _new_non_whitehall)  # fmt: skip
NOT_YET_BUYING = View("not-yet-buying", "Bodies that could buy and have not (of the groups "
                      "above)", _not_yet_buying)  # fmt: skip
CHARTS = (BUYERS, NEW_BUYERS, RETURNING, BY_SECTOR, PENETRATION)


def build(store: Store, filters: Filters) -> list:
    """``/adoption``: how many bodies buy, who is new, who returns, penetration."""
    figures_ = adoption.adoption_headline_in_view(store, filters)
    return [
        html.H1("Adoption: who buys through the frameworks", className="govuk-heading-l"),
        description(f"Showing {describe(filters)}. A buyer is a distinct body (spellings of one "
                    "body's name count once); new means its first purchase through the "
                    "frameworks in view."),
        kpi_row([
            (ADOPTION_BUYERS, "Buyers", format_count(figures_["buyers"])),
            (ADOPTION_NON_WHITEHALL, "Non-Whitehall buyers",
             format_count(figures_["non_whitehall_buyers"])),
            (ADOPTION_NEW, "New buyers", format_count(figures_["new_buyers"])),
            (ADOPTION_NEW_NON_WHITEHALL, "New non-Whitehall buyers",
             format_count(figures_["new_non_whitehall"])),
        ]),
        *sections(store, filters, CHARTS),
        html.P(PENETRATION_NOTE, className="govuk-body-s app-note"),
        *sections(store, filters, (NOT_YET_BUYING, FIRST_TIME)),
    ]  # fmt: skip


PAGE = Page("/adoption", "Adoption", "Adoption", build,
            views=(*CHARTS, NOT_YET_BUYING, FIRST_TIME))  # fmt: skip
