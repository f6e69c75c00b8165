"""``/search?q=...``: everything with a page that a text finds, by part of a name, an
abbreviation, a former name or a URN, best first (:mod:`dashboard.analytics.search`). The
header's search box sends its text here (a plain GET: it works without a script, and every
result is a link the keyboard reaches in order)."""

from __future__ import annotations

from urllib.parse import quote

from dash import html

from dashboard.analytics import searchable  # noqa: F401 - registers buyers, suppliers, departments
from dashboard.analytics.filters import Filters
from dashboard.analytics.search import SEARCH_KINDS, Hit, search
from dashboard.analytics.store import Store
from dashboard.pages.common import Page
from dashboard.ui.formatting import format_money
from dashboard.ui.sections import name_search

SEARCH_RESULTS = "search-results"
SEARCH_COUNT = "search-count"


def href(hit: Hit) -> str:
    """The address of the page of a hit (``/buyer?name=Leeds%20City%20Council``)."""
    return f"{hit.kind.page}?{hit.kind.param}={quote(hit.entry.name, safe=',')}"


def _found_on(hit: Hit) -> str:
    """What the text matched when it is not the name shown (an abbreviation, a former
    name, a spelling, a URN)."""
    if not hit.matched or hit.matched == hit.entry.name:
        return ""
    if hit.matched in hit.entry.codes:
        return f"; URN {hit.matched.removeprefix('urn:')}"
    return f"; also known as “{hit.matched}”"


def _result(hit: Hit) -> html.Li:
    return html.Li(
        [
            html.A(hit.entry.name, href=href(hit), className="govuk-link app-search-result"),
            html.Span(f" {hit.kind.label}", className="govuk-tag govuk-tag--grey app-search-tag"),
            html.Span(f" {format_money(hit.entry.weight)} through the frameworks{_found_on(hit)}",
                      className="govuk-body-s app-search-detail"),
        ],
        className="app-search-item",
    )  # fmt: skip


def build(store: Store, filters: Filters) -> list:
    """``/search?q=...``: the results of a search, best first."""
    kinds = ", ".join(kind.many for kind in SEARCH_KINDS.values())
    content: list = [
        html.H1("Search", className="govuk-heading-l"),
        name_search("/search", "Search", filters, f"Part of a name, an abbreviation, a former "
                    f"name or a URN: {kinds}", field="q", value=filters.query or ""),
    ]  # fmt: skip
    if not filters.query:
        return content
    hits = search(store, filters.query)
    said = (f"{len(hits)} result{'s' if len(hits) != 1 else ''} for “{filters.query}”"
            if hits else f"Nothing matches “{filters.query}”: check the spelling, or search "
            "a shorter part of the name.")  # fmt: skip
    content.append(html.P(said, id=SEARCH_COUNT, className="govuk-body", role="status"))
    if hits:
        content.append(html.Ol([_result(hit) for hit in hits], id=SEARCH_RESULTS,
                               className="govuk-list app-search-list"))  # fmt: skip
    return content


PAGE = Page("/search", "Search", None, build, uses_filters=False)
