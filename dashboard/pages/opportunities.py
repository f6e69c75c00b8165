"""``/opportunities``: what the bodies in view advertised on the notice platforms in the period:
how many processes, how open to SMEs, how far ahead, and what was awarded to SMEs."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics import opportunities, opportunity_tables
from dashboard.analytics.departments import chosen_department, named_department
from dashboard.analytics.filters import Filters, describe
from dashboard.analytics.held_periods import NOTICES, none_held_note
from dashboard.analytics.notice_figures import SIZE_GROUPS
from dashboard.analytics.store import Store
from dashboard.pages.common import Page, description, sections
from dashboard.pages.notice_views import (
    SOURCE_NOTE,
    NoticeView,
    chart_text,
    headline_items,
    spend_only_note,
)
from dashboard.ui import figures
from dashboard.ui.sections import kpi_row
from loaders.core.vocabulary import load_vocabulary

OPP_NOTICES = "opp-notices"
OPP_SME_SUITABLE = "opp-sme-suitable-share"
OPP_VCSE_SUITABLE = "opp-vcse-suitable-share"
OPP_AWARDS = "opp-awards"
OPP_AWARDS_SME_COUNT = "opp-awards-sme-share-count"
OPP_AWARDS_SME_VALUE = "opp-awards-sme-share-value"
OPP_CALL_OFFS = "opp-call-offs"
OPP_PLANNING = "opp-planning-share"
OPP_LEAD_TIME = "opp-median-lead-time"
HEADLINES = {  # figure -> element id, in the order shown
    "notices": OPP_NOTICES,
    "sme_suitable_share": OPP_SME_SUITABLE,
    "vcse_suitable_share": OPP_VCSE_SUITABLE,
    "awards": OPP_AWARDS,
    "awards_sme_share_count": OPP_AWARDS_SME_COUNT,
    "awards_sme_share_value": OPP_AWARDS_SME_VALUE,
    "call_offs": OPP_CALL_OFFS,
    "planning_share": OPP_PLANNING,
    "median_lead_time_days": OPP_LEAD_TIME,
}
NO_NOTICES_LOADED = (
    "This store holds no notices. Load the OCDS release packages of Contracts Finder, Find a "
    "Tender, Public Contracts Scotland or Sell2Wales with python -m loaders ingest (see the "
    "README), beside "
    "the spend files or on their own."
)
SUITABILITY_COLUMNS = [
    "period",
    "processes",
    "suitability_stated",
    "sme_suitable",
    "sme_suitable_share_pct",
    "vcse_suitable",
    "vcse_suitable_share_pct",
]
SIZE_COLUMNS = ["period", "awards",
                *(f"awards_{g.lower()}" for g in SIZE_GROUPS), "awards_value_gbp",
                *(f"awards_{g.lower()}_value_gbp" for g in SIZE_GROUPS),
                "awards_sme_share_count_pct", "awards_sme_share_value_pct"]  # fmt: skip


def _by_group_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    groups = {f"processes_{g.column}": g.name for g in load_vocabulary().buyer_group_list}
    return figures.stacked_by_group(table, groups, title, y_title="Processes")


def _suitability(store: Store, filters: Filters) -> pd.DataFrame:
    table = opportunities.figures_by_period(store, filters)
    return table[SUITABILITY_COLUMNS] if len(table.columns) else table


def _suitability_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    series = {"sme_suitable_share_pct": "Suitable for SMEs",
              "vcse_suitable_share_pct": "Suitable for VCSEs"}  # fmt: skip
    return figures.share_lines(table, series, title)


def _awards_by_size(store: Store, filters: Filters) -> pd.DataFrame:
    table = opportunities.figures_by_period(store, filters)
    return table[SIZE_COLUMNS] if len(table.columns) else table


def _size_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    groups = {f"awards_{g.lower()}_value_gbp": g for g in SIZE_GROUPS}
    return figures.stacked_by_group(table, groups, title, y_title="Awarded value (£)")


def _methods_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    labels = chart_text(table["procurement_method_details"])
    return figures.horizontal_bars(labels, table["processes"], title, x_title="Processes")


def _buyers_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    labels = chart_text(table["customer"])
    return figures.horizontal_bars(labels, table["processes"], title, "Processes")


def _lead_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    return figures.bars(table["lead_time"], table["processes"], title, "Processes")


def _call_offs_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    labels = chart_text(table["framework_named"])
    return figures.horizontal_bars(labels, table["processes"], title, x_title="Processes")


PROCESSES = NoticeView(
    "opp-processes-by-period",
    "Procurement processes publishing a notice in each period, by buyer group",
    opportunity_tables.processes_by_period,
    _by_group_figure,
    by_period=True,
)
SUITABILITY = NoticeView(
    "opp-sme-suitability",
    "Processes marked suitable for SMEs and VCSEs",
    _suitability,
    _suitability_figure,
    by_period=True,
)
AWARDS_BY_SIZE = NoticeView(
    "opp-awards-by-size",
    "Awarded value by supplier size group (SME, Large, Mixed, Unknown)",
    _awards_by_size,
    _size_figure,
    by_period=True,
)
METHODS = NoticeView(
    "opp-procurement-methods",
    "Procurement methods",
    opportunity_tables.procurement_methods,
    _methods_figure,
)
TOP_BUYERS = NoticeView(
    "opp-top-buyers", "Top advertising buyers", opportunity_tables.top_buyers, _buyers_figure
)
LEAD_TIMES = NoticeView(
    "opp-lead-times",
    "Lead time from planning or early engagement notice to tender",
    opportunity_tables.lead_times,
    _lead_figure,
)
CALL_OFFS = NoticeView(
    "opp-call-offs-by-framework",
    "Call-offs from a framework agreement",
    opportunity_tables.call_offs_by_framework,
    _call_offs_figure,
)
STANDING = NoticeView(
    "opp-awards-standing",
    "Awards as they stand: only awards made are counted",
    opportunity_tables.awards_as_they_stand,
)
CHARTS = (PROCESSES, SUITABILITY, AWARDS_BY_SIZE, STANDING, METHODS, TOP_BUYERS, LEAD_TIMES,
          CALL_OFFS)  # fmt: skip


def _scope(store: Store, filters: Filters) -> tuple[str, list]:
    """The words for what is shown, and an error when the link names no department."""
    wanted = opportunities.notice_filters(filters)
    words = describe(wanted)
    if not filters.name:
        return words, []
    name = chosen_department(store, filters)
    if name is None:
        return words, [
            html.Div(
                f"No department matches “{filters.name}”: nothing is "
                "counted. Choose one on the Departments page.",
                className="govuk-error-summary app-error",
                role="alert",
            )
        ]
    return f"{words}; {name} with its agencies and arm's-length bodies", []  # fmt: skip


def build(store: Store, filters: Filters) -> list:
    """``/opportunities``: headline figures and charts of the notices in view."""
    words, errors = _scope(store, filters)
    intro = [
        html.H1(f"Opportunities advertised on {opportunities.platforms_words(store)}",
                className="govuk-heading-l"),
        *errors,
        description(f"Showing {words}. A process is one procurement (one OCDS ocid), with "
                    "its planning, tender and award notices."),
    ]  # fmt: skip
    note = spend_only_note(filters)
    if note is not None:
        intro.append(note)
    if not opportunities.has_notices(store):
        return [*intro, html.P(NO_NOTICES_LOADED, className="govuk-body")]
    none_held = none_held_note(store, NOTICES, filters)
    if none_held:
        return [*intro, html.P(none_held, className="govuk-body app-none-held")]
    headline = opportunities.opportunity_headline(store, filters)
    return [
        *intro,
        kpi_row(headline_items(headline, HEADLINES)),
        *sections(store, filters, CHARTS),
        html.P(SOURCE_NOTE, className="govuk-body-s app-note"),
    ]


PAGE = Page(
    "/opportunities",
    "Opportunities",
    "Opportunities",
    build,
    views=CHARTS,
    kinds=(NOTICES,),
    subject=named_department,
)
