"""Page builders: filters (and the data) in, the page's components out.

Routing is a table of paths (:data:`PAGES`), not a chain of ``if``; each page says whether
the shared filters apply to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dash import html

from dashboard import ids, queries
from dashboard.components import download_buttons, headline_figure, view_section
from dashboard.data import DashboardData
from dashboard.filters import Filters, describe
from dashboard.formatting import format_count, format_money, format_share
from dashboard.views import ROW_DOWNLOAD_LIMIT, VIEWS

OVERVIEW_VIEWS = ("spend-by-period", "sme-share", "year-to-date", "spend-by-sector",
                  "spend-by-framework", "top-suppliers")  # fmt: skip
QUALITY_VIEWS = ("files", "quarantine", "revisions", "unclassified")


@dataclass(frozen=True)
class Page:
    """A page: its title, its builder and whether the shared filters apply."""

    title: str
    build: Callable[[DashboardData, Filters], list]
    uses_filters: bool = True


def _section(data: DashboardData, filters: Filters, view_id: str):
    view = VIEWS[view_id]
    return view_section(
        view, view.title(filters), view.table(data, filters), view.figure(data, filters)
    )


def _headlines(data: DashboardData, filters: Filters) -> html.Div:
    figures = data.memoised("headline", filters, lambda: queries.headline(data.filtered(filters)))
    latest = data.latest_month
    unclassified = format_share(figures["unclassified_share"])
    return html.Div(
        className="app-kpis",
        children=[
            headline_figure(
                ids.KPI_TOTAL,
                "Total spend",
                format_money(figures["total_spend"]),
                f"{format_count(figures['transactions'])} transactions",
            ),
            headline_figure(
                ids.KPI_CENTRAL,
                "Central government share of spend",
                format_share(figures["central_share"]),
            ),
            headline_figure(
                ids.KPI_NON_WHITEHALL,
                "Non-Whitehall share of spend",
                format_share(figures["non_whitehall_share"]),
                f"Unclassified: {unclassified}",
            ),
            headline_figure(
                ids.KPI_SME_VALUE, "SME share by value", format_share(figures["sme_share_value"])
            ),
            headline_figure(
                ids.KPI_SME_VOLUME,
                "SME share by volume (transactions)",
                format_share(figures["sme_share_volume"]),
            ),
            headline_figure(
                ids.KPI_BUYERS, "Buyers (distinct customers)", format_count(figures["buyers"])
            ),
            headline_figure(ids.KPI_SUPPLIERS, "Suppliers", format_count(figures["suppliers"])),
            headline_figure(
                ids.KPI_AS_AT, "Data as at", latest.strftime("%b %Y") if latest is not None else "–"
            ),
        ],  # fmt: skip
    )


def overview(data: DashboardData, filters: Filters) -> list:
    """``/``: headline figures and the main charts for the filtered data."""
    rows_view = VIEWS["rows"]
    return [
        html.H1("Spend through the digital frameworks", className="govuk-heading-l"),
        html.P(f"Showing {describe(filters)}.", className="govuk-body-l app-view-description"),
        _headlines(data, filters),
        *[_section(data, filters, v) for v in OVERVIEW_VIEWS],
        html.Section(
            [
                html.H2("The filtered rows", className="govuk-heading-m"),
                html.P(
                    f"Download the spend rows behind this view (at most "
                    f"{ROW_DOWNLOAD_LIMIT:,} rows, newest first), with the file and row each "
                    "came from.",
                    className="govuk-body",
                ),
                download_buttons(rows_view.id, rows_view.name),
            ],
            className="app-section",
        ),
    ]


def data_quality(data: DashboardData, filters: Filters) -> list:
    """``/data-quality``: the load report, quarantine, revisions and unclassified spend."""
    totals = data.report["totals"]
    verdict = "Every file reconciles to the penny" if totals["reconciles"] else (
        "Some files do not reconcile: see the table below"
    )  # fmt: skip
    return [
        html.H1("Data quality", className="govuk-heading-l"),
        html.P(
            f"{verdict}: spend read = loaded + superseded by newer releases + quarantined. "
            f"{format_count(totals['rows_loaded'])} rows loaded "
            f"({format_money(totals['spend_loaded_gbp'])}), "
            f"{format_count(totals['rows_superseded'])} superseded, "
            f"{format_count(totals['rows_quarantined'])} quarantined.",
            className="govuk-body-l",
            id="quality-summary",
        ),
        *[_section(data, filters, v) for v in QUALITY_VIEWS],
    ]


def not_found(data: DashboardData, filters: Filters) -> list:
    """Any other path."""
    return [
        html.H1("Page not found", className="govuk-heading-l"),
        html.P(
            ["Go to the ", html.A("overview", href="/", className="govuk-link"), "."],
            className="govuk-body",
        ),  # fmt: skip
    ]


PAGES: dict[str, Page] = {
    "/": Page("Overview", overview),
    "/data-quality": Page("Data quality", data_quality, uses_filters=False),
}
NOT_FOUND = Page("Page not found", not_found, uses_filters=False)
