"""``/department/brief?name=...``, ``/buyer/brief?name=...`` and ``/places/brief?name=...``
(an area: a region or nation, or a combined authority; one page per kind of
:data:`~dashboard.analytics.brief.BRIEF_KINDS`): a minister's brief on one A4 page, the
headline in words, three small charts with their numbers, the caveats and the data-as-at
month. ``fy`` chooses the financial year (default: the latest the data hold whole).
``python -m dashboard brief`` prints it to PDF (:mod:`dashboard.brief_pdf`)."""

from __future__ import annotations

from dataclasses import replace

from dash import dcc, html

from dashboard.analytics import brief_subjects  # noqa: F401 - registers departments, buyers, areas
from dashboard.analytics.brief import BRIEF_KINDS, Brief, BriefKind, brief, headline
from dashboard.analytics.filters import Filters, to_query
from dashboard.analytics.held_periods import SPEND
from dashboard.analytics.store import Store
from dashboard.pages.common import Page
from dashboard.ui import brief_figures, ids
from dashboard.ui.frame import about_text
from dashboard.ui.sections import did_you_mean

BRIEF_HEADLINE = "brief-headline"
PRINT_BUTTON = ids.BRIEF_PRINT
STATIC = {"staticPlot": True, "displayModeBar": False, "responsive": False}


def _key(figures: Brief) -> str:
    """The SME chart's lines in words (never told apart by colour alone)."""
    target = f"; dotted: the aspiration ({figures.target.words})" if figures.target else ""
    return f"Solid: {figures.subject}; dashed: {figures.compare_label}{target}."


def _chart(title: str, figure, chart_id: str, key: str = "") -> html.Figure:
    children = [html.Figcaption(title, className="app-brief__chart-title"),
                dcc.Graph(id=chart_id, figure=figure, config=STATIC,
                          className="app-brief__graph")]  # fmt: skip
    if key:
        children.append(html.P(key, className="app-brief__key"))
    return html.Figure(children, className="app-brief__chart")


def _caveats(store: Store, figures: Brief) -> list[str]:
    frameworks = " and ".join(store.options("framework"))
    notes = [
        about_text(store),
        f"Spend through the CCS frameworks {frameworks} only, ex VAT, as suppliers reported "
        f"it to the Crown Commercial Service: "
        f"{figures.kind.not_all.format(subject=figures.subject)}.",
        "SME shares are of the value of that spend, each line with the size its supplier "
        "reported (CCS definition: fewer than 250 staff and turnover up to €50m or balance "
        "sheet up to €43m).",
    ]
    if figures.months:
        notes.append(f"{figures.year} holds {figures.months} only (the latest or first months "
                     f"of the data): it is compared with {figures.previous_label}.")  # fmt: skip
    if figures.target is not None:
        target = figures.target
        notes.append(f"The government's aspiration ({target.words}; {target.source_publisher}, "
                     f"{target.source_date}) is for all central government procurement, "
                     "directly and through supply chains: a yardstick, not the same measure "
                     "as direct spend through these frameworks.")  # fmt: skip
    return notes + list(figures.notes)


def _brief(store: Store, figures: Brief, filters: Filters) -> list:
    kind = figures.kind
    page = figures.page_filters or Filters(name=filters.name)
    back = f"{kind.page}{to_query(replace(page, fy=(figures.year,)))}"
    year = figures.year + (f" ({figures.months})" if figures.months else "")
    suppliers_title = f"Largest suppliers, {year}"
    synthetic = [html.P("SYNTHETIC SAMPLE DATA: invented figures, not to be quoted.",
                        className="app-brief__synthetic")] if store.synthetic else []  # fmt: skip
    latest = store.latest_month
    return [
        html.Div(
            [
                html.Button(
                    "Print this brief",
                    id=PRINT_BUTTON,
                    type="button",
                    className="govuk-button app-button",
                ),
                html.A(
                    f"Back to the {kind.label.lower()} page",
                    href=back,
                    className="govuk-link app-brief__back",
                ),
            ],
            className="app-print-omit app-brief__tools",
        ),  # fmt: skip
        html.Article(
            [
                *synthetic,
                html.P(
                    f"{kind.label} brief · spend through the frameworks · financial year {year}",
                    className="app-brief__kicker",
                ),  # fmt: skip
                html.H1(figures.subject, className="govuk-heading-l app-brief__title"),
                html.P(headline(figures), id=BRIEF_HEADLINE, className="app-brief__headline"),
                html.Div(
                    [
                        _chart(
                            "Spend by financial year",
                            brief_figures.spend_by_year(figures.by_year),
                            "brief-by-year",
                        ),
                        _chart(
                            "SME share by value",
                            brief_figures.sme_shares(
                                figures.sme_by_year, figures.subject, figures.compare_label
                            ),
                            "brief-sme",
                            _key(figures),
                        ),
                        _chart(
                            suppliers_title,
                            brief_figures.largest_suppliers(figures.suppliers),
                            "brief-suppliers",
                        ),
                    ],
                    className="app-brief__charts",
                ),  # fmt: skip
                html.H2("About these figures", className="govuk-heading-s"),
                html.Ul(
                    [html.Li(note) for note in _caveats(store, figures)],
                    className="govuk-list govuk-list--bullet app-brief__caveats",
                ),
                html.P(
                    f"Data as at {latest:%B %Y}." if latest is not None else "No data.",
                    className="app-brief__as-at",
                ),  # fmt: skip
            ],
            className="app-brief",
        ),
    ]


def _not_found(kind: BriefKind, filters: Filters) -> list:
    return [
        html.H1(f"{kind.label} brief", className="govuk-heading-l"),
        did_you_mean(kind.label.lower(), filters.name or "", [])
        if filters.name else html.P(f"Choose a {kind.label.lower()} on its page, then "
                                    "“Print brief”.", className="govuk-body"),  # fmt: skip
        html.P(html.A(f"Go to the {kind.label.lower()}s", href=kind.page, className="govuk-link"),
               className="govuk-body"),
    ]  # fmt: skip


def builder(kind: BriefKind):
    """The page builder of the brief of ``kind``."""

    def build(store: Store, filters: Filters) -> list:
        year = filters.fy[0] if len(filters.fy) == 1 else None
        figures = brief(store, kind.name, filters.name or "", year) if filters.name else None
        return _not_found(kind, filters) if figures is None else _brief(store, figures, filters)

    return build


def _tab_title(kind: BriefKind):
    def title(store: Store, filters: Filters) -> str | None:
        found = kind.subject(store, filters.name) if filters.name else None
        return None if found is None else found.name

    return title


PAGES = tuple(
    Page(f"{kind.page}/brief", f"{kind.label} brief", None, builder(kind), uses_filters=False,
         kinds=(SPEND,), tab_title=_tab_title(kind))
    for kind in BRIEF_KINDS.values()
)  # fmt: skip
