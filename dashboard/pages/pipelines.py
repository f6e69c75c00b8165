"""``/pipelines``: the pipeline notices of the Procurement Act 2023 (UK1, Find a Tender): who
published one each financial year, by 26 May or late, how many planned procurements and of
what value, how far ahead, what followed; the central departments with none; Contracts
Finder's older planned procurements beside them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics import pipelines
from dashboard.analytics.filters import Filters, describe
from dashboard.analytics.held_periods import NOTICES
from dashboard.analytics.opportunities import notice_filters
from dashboard.analytics.store import Store
from dashboard.pages.common import Page, description, sections
from dashboard.pages.notice_views import NoticeView, chart_text, median_days, spend_only_note
from dashboard.ui import figures
from dashboard.ui.formatting import format_count, format_money, format_share
from dashboard.ui.sections import kpi_row

PIPE_AUTHORITIES = "pipe-authorities"
PIPE_PLANNED = "pipe-planned"
PIPE_VALUE = "pipe-value"
PIPE_LEAD = "pipe-median-lead"
PIPE_TENDERED = "pipe-tendered-share"
PIPE_DEPARTMENTS = "pipe-departments-without"
NO_PIPELINES = (
    "This store holds no pipeline notice and no planned procurement. Load the release "
    "packages of Find a Tender's ocdsReleasePackages API (python -m loaders fetch, kind "
    "find-a-tender) or Contracts Finder's OCDS search with python -m loaders ingest."
)
DUTY_NOTE = (
    "A contracting authority that expects to pay more than £100m under relevant contracts in "
    "a financial year publishes a pipeline notice (UK1) on Find a Tender within 56 days of its "
    "start, 1 April to 26 May, listing the contracts over £2m it expects to advertise in the "
    "next 18 months (Procurement Act 2023, section 93). Each planned procurement is one "
    "notice with its own OCID; a later notice of the same OCID is what followed it."
)
DEPARTMENTS_NOTE = (
    "No register says which authorities pay over £100m a year. The list checked is the "
    "ministerial departments of GOV.UK (data/reference/departments.csv), each of which pays far "
    "more: a department is listed for a year when neither it nor any of its agencies and "
    "arm's-length bodies published a pipeline notice dated in that financial year. Years run "
    "from 2025-26, the Act's first pipeline year, to the latest year of Find a Tender notices "
    "loaded. Non-ministerial departments, councils and NHS bodies over the threshold are not "
    "listed: their spending is not known here."
)
SOURCE_NOTE = (
    "Source: Find a Tender, Public Contracts Scotland, Sell2Wales and Contracts Finder notices "
    "(Open Contracting Data Standard releases). Values are as first published: ex VAT where the "
    "notice gives it, else only the value including VAT (never converted). Days are calendar "
    "days between UK dates. A procurement published on several platforms is counted once."
)


def _by_year_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    frame = table.assign(series=table["pipeline_kind"].astype(str) + ", " + table["platform"])
    wide = frame.pivot_table(
        index="financial_year", columns="series", values="planned_procurements",
        aggfunc="sum", fill_value=0,
    )  # fmt: skip
    wide = wide.sort_index().rename_axis("period").reset_index()
    series = {c: c for c in wide.columns if c != "period"}
    return figures.stacked_by_group(wide, series, title, y_title="Planned procurements")


def _publishers_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    top = table.sort_values("planned_procurements", ascending=False).head(20)
    labels = chart_text(top["customer"] + " (" + top["financial_year"] + ", "
                        + top["published"].str.lower() + ")")  # fmt: skip
    return figures.horizontal_bars(labels, top["planned_procurements"], title,
                                   x_title="Planned procurements")  # fmt: skip


BY_YEAR = NoticeView(
    "pipe-by-year",
    "Planned procurements by financial year: pipeline notices and older planning notices",
    pipelines.pipeline_by_year,
    _by_year_figure,
)
PUBLISHERS = NoticeView(
    "pipe-publishers",
    "Authorities that published a pipeline notice, by 26 May or late",
    pipelines.pipeline_publishers,
    _publishers_figure,
)
PROCUREMENTS = NoticeView(
    "pipe-procurements",
    "Planned procurements of pipeline notices, and what followed",
    pipelines.planned_procurements,
    row_limit=5000,
)
DEPARTMENTS = NoticeView(
    "pipe-departments-without",
    "Ministerial departments with no pipeline notice",
    pipelines.departments_without_pipeline,
)
OLDER = NoticeView(
    "pipe-older",
    "Older planned procurements: planning notices of a planned tender",
    pipelines.older_planned_procurements,
    row_limit=5000,
)
VIEWS = (BY_YEAR, PUBLISHERS, PROCUREMENTS, DEPARTMENTS, OLDER)


def headline_items(store: Store, filters: Filters) -> list[tuple]:
    """The page's headline figures for :func:`dashboard.ui.sections.kpi_row`."""
    f = pipelines.pipeline_headline(store, filters)
    return [
        (PIPE_AUTHORITIES, "Authorities that published a pipeline notice",
         format_count(f.authorities),
         f"{format_count(f.authorities_on_time)} by 26 May, "
         f"{format_count(f.authorities - f.authorities_on_time)} late (each year counted)"),
        (PIPE_PLANNED, "Planned procurements in pipeline notices",
         format_count(f.planned_procurements),
         f"{format_count(f.older_planned)} older planned procurements beside them"),
        (PIPE_VALUE, "Their value ex VAT, as first published", format_money(f.value_gbp),
         f"{format_count(f.with_value)} give a value ex VAT; "
         f"{format_money(f.value_gross_gbp)} including VAT"),
        (PIPE_LEAD, "Median time ahead of the expected tender notice",
         median_days(f.median_lead_days), "from the first pipeline notice"),
        (PIPE_TENDERED, "Followed by a tender or transparency notice",
         format_share(f.tendered_share),
         f"{format_count(f.tendered)} of {format_count(f.planned_procurements)}; "
         f"{format_count(f.followed)} followed by any notice, {format_count(f.withdrawn)} "
         "withdrawn"),
        (PIPE_DEPARTMENTS, "Ministerial departments with no pipeline notice",
         format_count(f.departments_without),
         f"over {format_count(f.years_checked)} pipeline year(s)"),
    ]  # fmt: skip


def build(store: Store, filters: Filters) -> list:
    """``/pipelines``: headline figures, the years, the authorities, the planned
    procurements, the departments with none and the older planned procurements."""
    intro = [
        html.H1("Pipelines under the Procurement Act 2023", className="govuk-heading-l"),
        description(f"Showing {describe(notice_filters(filters))}: planned procurements by "
                    "the date of their first notice."),
        html.P(DUTY_NOTE, className="govuk-body"),
    ]  # fmt: skip
    note = spend_only_note(filters)
    if note is not None:
        intro.append(note)
    if not pipelines.has_pipelines(store):
        return [*intro, html.P(NO_PIPELINES, className="govuk-body")]
    return [
        *intro,
        kpi_row(headline_items(store, filters)),
        *sections(store, filters, (BY_YEAR, PUBLISHERS, PROCUREMENTS)),
        html.P(DEPARTMENTS_NOTE, className="govuk-body app-note"),
        *sections(store, filters, (DEPARTMENTS, OLDER)),
        html.P(SOURCE_NOTE, className="govuk-body-s app-note"),
    ]


PAGE = Page("/pipelines", "Pipelines", "Pipelines", build, views=VIEWS, kinds=(NOTICES,))
