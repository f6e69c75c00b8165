"""``/adoption``: how many bodies buy through the frameworks, who is new, who returns, and,
of the bodies that could buy (public registers: principal councils, police forces, fire and
rescue services, NHS trusts, combined authorities, central government bodies), which bought
in the period, which lapsed and which never bought; lists cut by ``group``, ``type``,
``region``, ``combined_authority`` and ``status``."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics import adoption, registers
from dashboard.analytics.filters import Filters, describe
from dashboard.analytics.spend import by_period
from dashboard.analytics.store import Store
from dashboard.analytics.timeline import every_period, in_view_periods, periods_in_view
from dashboard.pages.common import Page, description, sections
from dashboard.ui import figures
from dashboard.ui.formatting import format_count
from dashboard.ui.sections import choice_links, kpi_row
from dashboard.ui.view import View
from loaders.core.vocabulary import load_vocabulary

ADOPTION_BUYERS = "adoption-buyers"
ADOPTION_NON_WHITEHALL = "adoption-non-whitehall-buyers"
ADOPTION_NEW = "adoption-new-buyers"
ADOPTION_NEW_NON_WHITEHALL = "adoption-new-non-whitehall"
REGISTERS_NOTE = (
    "Bodies that could buy come from public registers (councils from mySociety's table of "
    "the GOV.UK local-authority registers; NHS trusts from NHS England's Organisation Data "
    "Service; police forces and fire and rescue services from the GOV.UK registers; central "
    "government from GOV.UK), counting each body that existed in the period. A buyer counts "
    "for a register body when it matches it by URN, name or near name (python -m loaders "
    "registers match says how); a buyer in no register still counts as a buyer in its sector "
    "above, never as a register body, and buyers of a group's kind outside its register are "
    "listed apart. Private Sector Enabler rows of the customer list are never public bodies."
)
LIST_SHOWN = 40  # rows of a list shown on the page (all of them in the downloads)


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


def _groups(store: Store, filters: Filters) -> pd.DataFrame:
    return registers.group_table(store, filters)


def _bodies(store: Store, filters: Filters) -> pd.DataFrame:
    return registers.bodies_list(store, filters)


def _never(store: Store, filters: Filters) -> pd.DataFrame:
    return registers.bodies_list(store, replace(filters, status=("never",)))


def _lapsed(store: Store, filters: Filters) -> pd.DataFrame:
    table = registers.bodies_list(store, replace(filters, status=("lapsed",)))
    return table.drop(columns=["last_month_in_period", "spend_in_period_gbp"])


def _others(store: Store, filters: Filters) -> pd.DataFrame:
    return registers.other_buyers_in_view(store, filters)


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
GROUPS = View("register-groups", "Bodies buying, of those that could (public registers)",
              _groups)  # fmt: skip
FIRST_TIME = View("first-time-non-whitehall", "Non-Whitehall bodies buying for the first time",
                  _new_non_whitehall)  # fmt: skip
NOT_YET_BUYING = View("not-yet-buying", "Bodies that could buy and never have (to the end of "
                      "the period)", _never, shown=LIST_SHOWN)  # fmt: skip
LAPSED = View("lapsed-buyers", "Bodies that bought before the period and not in it", _lapsed,
              shown=LIST_SHOWN)  # fmt: skip
REGISTER_BODIES = View("register-bodies", "Bodies that could buy, with their status",
                       _bodies, shown=LIST_SHOWN)  # fmt: skip
OTHER_BUYERS = View("other-buyers", "Buyers of these kinds outside the registers for the "
                    "period", _others, shown=LIST_SHOWN)  # fmt: skip
CHARTS = (BUYERS, NEW_BUYERS, RETURNING, BY_SECTOR)
LISTS = (GROUPS, NOT_YET_BUYING, LAPSED, OTHER_BUYERS, FIRST_TIME)


def _choices(store: Store, filters: Filters) -> html.Div:
    """Links that cut the lists by group, status, region and combined authority."""
    values = store.allowed_values()
    authorities = store.register_bodies
    authorities = authorities[authorities["register"].eq("combined-authority")]
    groups = [g for g in registers.group_order() if g in set(values["adoption_group"])]
    return html.Div(
        [
            choice_links("/adoption", filters, "group", "adoption_group", "Group", groups),
            choice_links("/adoption", filters, "status", "status", "Status",
                         ("new", "returning", "lapsed", "never")),
            choice_links("/adoption", filters, "region", "region", "Region or nation",
                         values["region"]),
            choice_links("/adoption", filters, "combined_authority", "combined_authority",
                         "Combined authority", sorted(authorities["code"])),
        ],
        className="app-choices",
    )  # fmt: skip


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
        html.H2("Who could buy, and who did", className="govuk-heading-l"),
        html.P(REGISTERS_NOTE, className="govuk-body-s app-note"),
        _choices(store, filters),
        *sections(store, filters, LISTS),
        *(sections(store, filters, (REGISTER_BODIES,)) if filters.status else []),
    ]  # fmt: skip


PAGE = Page("/adoption", "Adoption", "Adoption", build,
            views=(*CHARTS, *LISTS, REGISTER_BODIES))  # fmt: skip
