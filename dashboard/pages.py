"""Page builders: filters (and the data) in, the page's components out.

Routing is a table of paths (:data:`PAGES`), not a chain of ``if``; each page says whether
the shared filters apply to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from dash import html

from dashboard import adoption_views, department_views, ids, supplier_views
from dashboard.components import download_buttons, headline_figure, view_section
from dashboard.data import DashboardData
from dashboard.filters import Filters, describe, to_query
from dashboard.formatting import format_count, format_money, format_share
from dashboard.views import ROW_DOWNLOAD_LIMIT, VIEWS, overview_headline

OVERVIEW_VIEWS = ("spend-by-period", "sme-share", "year-to-date", "spend-by-sector",
                  "spend-by-framework", "top-suppliers")  # fmt: skip
QUALITY_VIEWS = ("files", "quarantine", "revisions", "unclassified", "matches")
ADOPTION_PAGE_VIEWS = ("buyers", "new-buyers", "returning-buyers", "buyers-by-sector",
                       "penetration")  # fmt: skip
SUPPLIER_PAGE_VIEWS = ("top-suppliers", "concentration", "sme-without-top",
                       "suppliers-active-new")  # fmt: skip
SUPPLIER_PROFILE_VIEWS = ("supplier-trend", "supplier-buyers", "supplier-sectors",
                          "supplier-lots")  # fmt: skip
DEPARTMENT_PAGE_VIEWS = ("dept-by-year", "dept-year-to-date", "dept-sme", "dept-bodies",
                         "dept-suppliers", "dept-lots", "dept-rank")  # fmt: skip
PENETRATION_NOTE = (
    "Bodies that could buy come from the CCS customer list given at ingest. That list holds "
    "every school, GP practice and military unit, so the groups above (principal councils, "
    "NHS trusts, police forces, fire and rescue services) are the honest denominators; only "
    "buyers matched to a body of the list count as buying."
)


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
    figures = overview_headline(data, filters)
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


def _kpi_row(items: list[tuple[str, str, str]]) -> html.Div:
    return html.Div([headline_figure(*item) for item in items], className="app-kpis")


def adoption_page(data: DashboardData, filters: Filters) -> list:
    """``/adoption``: how many bodies buy, who is new, who returns, penetration."""
    figures = adoption_views.headline(data, filters)
    return [
        html.H1("Adoption: who buys through the frameworks", className="govuk-heading-l"),
        html.P(f"Showing {describe(filters)}. A buyer is a distinct body (spellings of one "
               "body's name count once); new means its first purchase through the frameworks "
               "in view.", className="govuk-body-l app-view-description"),
        _kpi_row([
            (ids.ADOPTION_BUYERS, "Buyers", format_count(figures["buyers"])),
            (ids.ADOPTION_NON_WHITEHALL, "Non-Whitehall buyers",
             format_count(figures["non_whitehall_buyers"])),
            (ids.ADOPTION_NEW, "New buyers", format_count(figures["new_buyers"])),
            (ids.ADOPTION_NEW_NON_WHITEHALL, "New non-Whitehall buyers",
             format_count(figures["new_non_whitehall"])),
        ]),
        *[_section(data, filters, v) for v in ADOPTION_PAGE_VIEWS],
        html.P(PENETRATION_NOTE, className="govuk-body-s app-note"),
        _section(data, filters, "first-time-non-whitehall"),
    ]  # fmt: skip


def suppliers_page(data: DashboardData, filters: Filters) -> list:
    """``/suppliers``: concentration, SME share without the largest, supplier profiles."""
    figures = supplier_views.headline(data, filters)
    single = len(filters.supplier) == 1
    sections = SUPPLIER_PROFILE_VIEWS if single else SUPPLIER_PAGE_VIEWS
    title = "Supplier profile" if single else "Suppliers: how concentrated is the spend?"
    return [
        html.H1(title, className="govuk-heading-l"),
        html.P(f"Showing {describe(filters)}.", className="govuk-body-l app-view-description"),
        _kpi_row([
            (ids.SUPPLIERS_TOP10, f"Share of spend to the top {supplier_views.TOP_N} suppliers",
             format_share(figures["top10_share"])),
            (ids.SUPPLIERS_HHI, "Herfindahl–Hirschman index (0 to 10,000)",
             format_count(round(figures["hhi"])) if figures["hhi"] == figures["hhi"] else "–"),
            (ids.SUPPLIERS_COUNT, "Suppliers", format_count(figures["suppliers"])),
        ]),
        *[_section(data, filters, v) for v in sections],
    ]  # fmt: skip


def department_page(data: DashboardData, filters: Filters) -> list:
    """``/department?name=...``: one department and its bodies, or the list of departments."""
    name = department_views.chosen_department(data, filters)
    if name is None:
        return _department_index(data, filters)
    figures = department_views.headline(data, filters)
    average = format_share(figures["government_sme_share_value"])
    return [
        html.H1(name, className="govuk-heading-l"),
        html.P(f"Spend through the frameworks by {name}, its agencies and arm's-length bodies, "
               f"and former bodies whose work it took over: {describe(filters)}.",
               className="govuk-body-l app-view-description"),
        _kpi_row([
            (ids.DEPT_TOTAL, "Total spend", format_money(figures["total"])),
            (ids.DEPT_SME_VALUE, "SME share by value", format_share(figures["sme_share_value"]),
             f"Central government: {average}"),
            (ids.DEPT_BODIES, "Bodies with spend", format_count(figures["bodies"])),
            (ids.DEPT_RANK, "Rank by spend among departments",
             format_count(figures["rank"]) if figures["rank"] else "–",
             f"of {figures['departments']} departments with spend"),
        ]),
        *[_section(data, filters, v) for v in DEPARTMENT_PAGE_VIEWS],
    ]  # fmt: skip


def _department_index(data: DashboardData, filters: Filters) -> list:
    table = department_views.ranking(data, filters)
    unknown = [
        html.Div(
            f"No department matches “{filters.department}”. Choose one below.",
            className="govuk-error-summary app-error",
            role="alert",
        )
    ] if filters.department else []  # fmt: skip
    links = [
        html.Li(
            [
                html.A(row.Department, className="govuk-link",
                       href=f"/department{to_query(replace(filters, department=row.Department))}"),
                f" – {format_money(row._2)}",
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


PAGES: dict[str, Page] = {
    "/": Page("Overview", overview),
    "/adoption": Page("Adoption", adoption_page),
    "/suppliers": Page("Suppliers", suppliers_page),
    "/department": Page("Department", department_page),
    "/data-quality": Page("Data quality", data_quality, uses_filters=False),
}
NOT_FOUND = Page("Page not found", not_found, uses_filters=False)
