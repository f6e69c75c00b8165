"""What pages share: the :class:`Page` record the registry lists, a helper for their sections,
and the views shown on more than one page (top suppliers, year to date).

Page modules import this module, never each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics.clicks import Click
from dashboard.analytics.filters import Filters, to_query
from dashboard.analytics.held_periods import SPEND
from dashboard.analytics.links import read_link
from dashboard.analytics.performance import read_sme_targets, targets_by_period
from dashboard.analytics.spend import NOT_STATED
from dashboard.analytics.store import Store
from dashboard.analytics.suppliers import top_suppliers, top_suppliers_in_view
from dashboard.feeds import feed_href
from dashboard.ui import figures
from dashboard.ui.sections import view_section
from dashboard.ui.view import View

TOP_SUPPLIERS_SHOWN = 20


@dataclass(frozen=True)
class Page:
    """A page of the app: its path, title (the browser tab), label in the navigation (none:
    not in it), builder (store and filters in, components out), views (for downloads and the
    notebook API), whether the shared filters apply to it, the kinds of data it shows (its
    periods are theirs: :mod:`dashboard.analytics.held_periods`) and, for a page about one
    subject, the title of its browser tab for the filters (``Home Office – Departments``) and
    how its subject is named (``subject``: the filters with ``name`` as the page names it)."""

    path: str
    title: str
    nav_label: str | None
    build: Callable[[Store, Filters], list]
    views: tuple[View, ...] = ()
    uses_filters: bool = True
    kinds: tuple[str, ...] = (SPEND,)
    tab_title: Callable[[Store, Filters], str | None] | None = None
    subject: Callable[[Store, Filters], Filters] | None = None

    def read(self, store: Store, search: str | None) -> tuple[Filters, tuple]:
        """The filters of a link as this page reads it (:func:`read_link` over the periods
        of its data), its subject named as the page names it (a department's title, not
        its slug), and the notices about the link."""
        filters, notices = read_link(store, search, self.kinds)
        if self.subject is not None:
            filters = self.subject(store, filters)
        return filters, notices

    def title_for(self, store: Store, filters: Filters) -> str:
        """The browser tab's title of this page for ``filters`` (without the service)."""
        subject = self.tab_title(store, filters) if self.tab_title else None
        return f"{subject} – {self.nav_label or self.title}" if subject else self.title


def sections(store: Store, filters: Filters, views: tuple[View, ...]) -> list[html.Section]:
    """The sections of these views, in order."""
    return [view_section(store, filters, view) for view in views]


def description(text: str) -> html.P:
    """The line under a page's heading saying what it shows."""
    return html.P(text, className="govuk-body-l app-view-description")


TARGET_NAME = "Government aspiration (all central government spend, with supply chains)"
TARGET = ("sme_target_pct", TARGET_NAME)


def with_sme_target(table: pd.DataFrame, column: str = "period") -> pd.DataFrame:
    """``table`` (by period) with the government's SME aspiration in force at the end of each
    period (``sme_target_pct``: :mod:`dashboard.analytics.performance`)."""
    if table.empty:
        return table
    targets = targets_by_period(table[column].astype(str).tolist(), read_sme_targets())
    return table.assign(sme_target_pct=targets)


def lot_labels(table: pd.DataFrame) -> pd.Series:
    """The label of each row of a table by framework, iteration and lot: its iteration (its
    framework where no iteration was stated) and its lot (``G-Cloud 12: Cloud hosting``,
    ``G-Cloud: Specialist Cloud Services``)."""
    stated = table["framework_iteration"].astype(str) != NOT_STATED
    named = table["framework_iteration"].astype(str).where(stated, table["framework"].astype(str))
    return named + ": " + table["lot"].astype(str)


def subject_tools(
    feed: tuple[str, str], page: str | None = None, filters: Filters | None = None
) -> html.Div:
    """The tools of a page about one subject: "Print brief" (its one-page brief,
    ``<page>/brief``, of the subject and, when one financial year is chosen, that year) when
    ``page`` has one, and the link to the subject's Atom feed (``feed``: kind, name)."""
    tools = []
    if page is not None and filters is not None:
        year = filters.fy if len(filters.fy) == 1 else ()
        href = f"{page}/brief{to_query(Filters(name=filters.name, fy=year))}"
        button = "govuk-button govuk-button--secondary app-button"
        tools.append(html.A("Print brief", href=href, id="print-brief", role="button",
                            className=button))  # fmt: skip
    kind, name = feed
    tools.append(html.A(["Follow changes by feed", html.Span(f" (Atom) for {name}",
                                                            className="govuk-visually-hidden")],
                        href=feed_href(kind, name), id="atom-feed", rel="alternate",
                        className="govuk-link app-feed-link"))  # fmt: skip
    return html.Div(tools, className="app-print-omit app-subject-tools")


def lot_keys(table: pd.DataFrame) -> list[list[str]]:
    """What a click on each bar of :func:`lot_labels` filters by: ``["lot", <lot>]``."""
    return [["lot", str(lot)] for lot in table["lot"]]


def year_to_date_figure(table: pd.DataFrame, title: str, *_: object) -> go.Figure:
    """Running totals of this year and last (the ``cumulative_<fy>_gbp`` columns) over the
    months of the financial year."""
    running = [c for c in table.columns if c.startswith("cumulative_")]
    series = {c.removeprefix("cumulative_").removesuffix("_gbp"): table[c] for c in running}
    return figures.money_lines(table["month_of_year"], series, title)


def top_suppliers_table(
    department: Callable[[Store, Filters], str | None] | None = None,
) -> Callable[[Store, Filters], pd.DataFrame]:
    """The table builder of a top-suppliers view (of one department's bodies if
    ``department`` names it)."""

    def build(store: Store, filters: Filters) -> pd.DataFrame:
        name = department(store, filters) if department else None
        if department is not None and not name:
            return top_suppliers(store.table("pair").iloc[0:0], TOP_SUPPLIERS_SHOWN)
        return top_suppliers_in_view(store, filters, TOP_SUPPLIERS_SHOWN, department=name)

    return build


def top_suppliers_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    """Bars of the top suppliers' spend, each labelled with its SME status."""
    labels = table["supplier"] + " (" + table["sme_status"] + ")"
    return figures.horizontal_bars(labels, table["spend_gbp"], title, keys=table["supplier"])


TOP_SUPPLIERS = View(
    "top-suppliers",
    "Top suppliers by spend",
    top_suppliers_table(),
    top_suppliers_figure,
    click=Click(point="supplier"),
)
