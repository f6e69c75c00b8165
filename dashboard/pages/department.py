"""``/department?name=...``: one department with its agencies and arm's-length bodies (and
former bodies whose work it took over), against the rest of government; without a name, the
list of departments."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics import departments, opportunity_tables, spend
from dashboard.analytics.clicks import CARRIED, PERIOD, Click
from dashboard.analytics.counting import wide_sums
from dashboard.analytics.filters import Filters, describe, to_query
from dashboard.analytics.held_periods import NOTICES, SPEND
from dashboard.analytics.store import Store
from dashboard.analytics.timeline import every_period, periods_in_view
from dashboard.pages.common import (
    TARGET,
    Page,
    lot_keys,
    lot_labels,
    sections,
    subject_tools,
    top_suppliers_table,
    with_sme_target,
    year_to_date_figure,
)
from dashboard.pages.notice_views import NoticeView, opportunities_section
from dashboard.ui import figures
from dashboard.ui.formatting import format_count, format_money, format_share
from dashboard.ui.links import body_href
from dashboard.ui.sections import did_you_mean, kpi_row
from dashboard.ui.view import View

DEPT_TOTAL = "dept-total-spend"
DEPT_SME_VALUE = "dept-sme-share-value"
DEPT_BODIES = "dept-bodies"
DEPT_RANK = "dept-rank-position"
DEPT_TODAY = "dept-today"
DEPT_OPP = {"notices": "dept-opp-notices", "sme_suitable_share": "dept-opp-sme-suitable-share",
            "awards": "dept-opp-awards",
            "awards_sme_share_value": "dept-opp-awards-sme-share-value"}  # fmt: skip


def _by_period(store: Store, filters: Filters) -> pd.DataFrame:
    shown_by = filters.shown_by
    rows = departments.department_rows(store, filters, months=filters.by_months)
    table = every_period(spend.spend_by_period(rows, shown_by),
                         periods_in_view(store, filters, shown_by))  # fmt: skip
    return table[["period", "total_gbp"]].set_axis(["period", "spend_gbp"], axis=1)


def _by_period_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    return figures.bars(table["period"], table["spend_gbp"], title, "Spend (£)")


def _year_to_date(store: Store, filters: Filters) -> pd.DataFrame:
    name = departments.chosen_department(store, filters)
    return spend.year_to_date_in_view(store, filters, name) if name else pd.DataFrame()


def _sme_against_government(store: Store, filters: Filters) -> pd.DataFrame:
    shown_by = filters.shown_by
    months = filters.by_months
    shares = ["period", "sme_share_value_pct", "sme_share_volume_pct"]
    rows = spend.sme_share_by_period(departments.department_rows(store, filters, months=months),
                                     shown_by)  # fmt: skip
    central = spend.sme_share_by_period(departments.central_rows(store, filters, months),
                                        shown_by)  # fmt: skip
    table = rows[shares].merge(central[shares], on="period", how="left",
                               suffixes=("_department", "_government"))  # fmt: skip
    table = every_period(table, periods_in_view(store, filters, shown_by))
    return with_sme_target(table.set_axis(
        ["period", "department_sme_share_value_pct", "department_sme_share_volume_pct",
         "government_sme_share_value_pct", "government_sme_share_volume_pct"],
        axis=1,
    ))  # fmt: skip


def _sme_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    series = {
        "department_sme_share_value_pct": "Department",
        "government_sme_share_value_pct": "Central government average",
    }
    return figures.share_lines(table, series, title, target=TARGET)


def _bodies(store: Store, filters: Filters) -> pd.DataFrame:
    rows = departments.department_rows(store, filters, "customer")
    table = rows.groupby("customer_key", observed=True).agg(
        customer=("customer", "first"),
        spend_gbp=("spend_gbp", "sum"),
        transactions=("transactions", "sum"),
    )
    table = table.sort_values("spend_gbp", ascending=False, ignore_index=True)
    table["share_pct"] = 100 * table["spend_gbp"] / rows["spend_gbp"].sum()
    return table


def _lots(store: Store, filters: Filters) -> pd.DataFrame:
    return spend.spend_by_framework(departments.department_rows(store, filters))


def _lots_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    return figures.horizontal_bars(lot_labels(table), table["spend_gbp"], title,
                                   keys=lot_keys(table))  # fmt: skip


VIEWS = (
    View("dept-by-year", "Spend", _by_period, _by_period_figure, by_period=True,
         click=Click(point=PERIOD)),
    View("dept-year-to-date", "Year to date against the same months a year earlier",
         _year_to_date, year_to_date_figure),
    View("dept-sme", "SME share by value against the central government average",
         _sme_against_government, _sme_figure, by_period=True, click=Click(point=PERIOD)),
    View("dept-bodies", "Bodies included and their spend", _bodies),
    View("dept-suppliers", "Top suppliers", top_suppliers_table(departments.chosen_department)),
    View("dept-lots", "Frameworks and lots bought", _lots, _lots_figure,
         click=Click(point=CARRIED)),
    View("dept-rank", "Departments ranked by spend", departments.ranking_marked),
)  # fmt: skip


def _compare_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    wide = wide_sums(table, "period", "department", "spend_gbp").reset_index()
    series = {name: wide[name] for name in table["department"].drop_duplicates()}
    return figures.money_lines(wide["period"], series, title)


COMPARE = View("dept-compare", "Compared with other departments: spend, share of central "
               "government, SME share and suppliers facing the wider public sector",
               departments.comparison, _compare_figure, by_period=True)  # fmt: skip
OPPORTUNITIES = NoticeView("dept-opportunities", "Opportunities advertised by its bodies",
                           opportunity_tables.department_bodies)  # fmt: skip


def _index(store: Store, filters: Filters) -> list:
    """The list of departments, each a link to its page."""
    table = departments.ranking(store, filters)
    unknown = [
        did_you_mean("department", filters.name, [
            (name, body_href("department", name, filters))
            for name in departments.suggest_departments(store, filters.name)
        ])
    ] if filters.name else []  # fmt: skip
    links = [
        html.Li(
            [
                html.A(row.department, className="govuk-link",
                       href=f"/department{to_query(replace(filters, name=row.department))}"),
                f" – {format_money(row.spend_gbp)}",
            ]
        )
        for row in table.itertuples(index=False)
    ]  # fmt: skip
    return [
        html.H1("Departments", className="govuk-heading-l"),
        *unknown,
        html.P("Each department's page counts its agencies and arm's-length bodies with it. "
               f"Showing {describe(filters)}.", className="govuk-body"),
        html.Ul(links, className="govuk-list app-department-list"),
    ]  # fmt: skip


def _today_note(store: Store, filters: Filters) -> html.P:
    """That the department is shown as organised today, and which of the bodies whose
    spend it counts have since closed or been renamed (with when)."""
    former = departments.former_bodies(store, filters)
    text = "Shown as the department is organised today (GOV.UK), with its former bodies."
    if former:
        text += (
            " Its spend here includes bodies since closed or renamed: "
            + "; ".join(
                f"{body} ({note[0].lower() + note[1:] if note else 'closed'})"
                for body, note in former
            )
            + "."
        )
    return html.P(text, className="govuk-inset-text app-note", id=DEPT_TODAY)


def build(store: Store, filters: Filters) -> list:
    """``/department?name=...``: one department and its bodies, or the list of departments."""
    name = departments.chosen_department(store, filters)
    if name is None:
        return _index(store, filters)
    figures_ = departments.department_headline(store, filters)
    average = format_share(figures_["government_sme_share_value"])
    return [
        html.H1(name, className="govuk-heading-l"),
        html.P(f"Spend through the frameworks by {name}, its agencies and arm's-length bodies, "
               f"and former bodies whose work it took over: {describe(filters)}.",
               className="govuk-body-l app-view-description"),
        subject_tools(("department", name), "/department", filters),
        _today_note(store, filters),
        kpi_row([
            (DEPT_TOTAL, "Total spend", format_money(figures_["total"])),
            (DEPT_SME_VALUE, "SME share by value", format_share(figures_["sme_share_value"]),
             f"Central government: {average}"),
            (DEPT_BODIES, "Bodies with spend", format_count(figures_["bodies"])),
            (DEPT_RANK, "Rank by spend among departments",
             format_count(figures_["rank"]) if figures_["rank"] else "–",
             f"of {figures_['departments']} departments with spend"),
        ]),
        *opportunities_section(store, filters, OPPORTUNITIES, DEPT_OPP),
        *sections(store, filters, VIEWS),
        _compare_links(store, filters, name),
        *sections(store, filters, (COMPARE,)),
    ]  # fmt: skip


def _compare_href(filters: Filters, peers: tuple[str, ...]) -> str:
    return f"/department{to_query(replace(filters, compare=peers))}"


def _compare_links(store: Store, filters: Filters, name: str) -> html.Nav:
    """Links that add a peer department to the comparison (or clear it)."""
    ranked = departments.ranking(store, replace(filters, name=None))["department"]
    peers = [d for d in ranked if d != name and d not in filters.compare][:12]
    items = [
        html.Li(html.A(f"Compare with {peer}", className="govuk-link",
                       href=_compare_href(filters, (*filters.compare, peer))))
        for peer in peers
    ]  # fmt: skip
    if filters.compare:
        clear = html.A("Clear the comparison", className="govuk-link",
                       href=_compare_href(filters, ()))  # fmt: skip
        items.insert(0, html.Li(clear))
    return html.Nav([html.H2("Compare with other departments", className="govuk-heading-m"),
                     html.Ul(items, className="govuk-list app-compare-links")],
                    **{"aria-label": "Compare with other departments"})  # fmt: skip


PAGE = Page(
    "/department",
    "Department",
    "Departments",
    build,
    views=(*VIEWS, COMPARE, OPPORTUNITIES),
    kinds=(SPEND, NOTICES),
    tab_title=departments.chosen_department,
    subject=departments.named_department,
)
