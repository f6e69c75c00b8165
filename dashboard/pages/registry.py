"""The page registry: every page of the app, from which the header navigation, the page
titles, routing and the list of views (downloads, the notebook API) are generated."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from dashboard.analytics.filters import Filters
from dashboard.analytics.store import Store
from dashboard.pages import (
    adoption,
    brief,
    buyer,
    data_quality,
    department,
    opportunities,
    overview,
    pipelines,
    places,
    search,
    sme_bids,
    suppliers,
)
from dashboard.pages.common import Page
from dashboard.ui.view import View

PAGES: tuple[Page, ...] = (
    overview.PAGE,
    adoption.PAGE,
    places.PAGE,
    department.PAGE,
    suppliers.PAGE,
    opportunities.PAGE,
    pipelines.PAGE,
    sme_bids.PAGE,
    buyer.PAGE,
    data_quality.PAGE,
    search.PAGE,
    *brief.PAGES,
)


def _not_found(store: Store, filters: Filters) -> list:
    """Any other path (answered with HTTP status 404)."""
    return [
        html.H1("Page not found", className="govuk-heading-l"),
        html.P("If you typed the web address, check it is correct.", className="govuk-body"),
        html.P(
            "If you pasted the web address, check you copied the entire address.",
            className="govuk-body",
        ),  # fmt: skip
        html.P(
            [
                "Go to the ",
                html.A("overview", href="/", className="govuk-link"),
                " or choose a page from the menu above.",
            ],
            className="govuk-body",
        ),  # fmt: skip
    ]


NOT_FOUND = Page("", "Page not found", None, _not_found, uses_filters=False)


def page_for(pathname: str | None) -> Page:
    """The page at ``pathname`` (a trailing slash ignored), else :data:`NOT_FOUND`."""
    path = (pathname or "/").rstrip("/") or "/"
    return next((page for page in PAGES if page.path == path), NOT_FOUND)


def nav() -> list[tuple[str, str]]:
    """``(path, label)`` of each page in the header navigation, in order."""
    return [(page.path, page.nav_label) for page in PAGES if page.nav_label]


def titles() -> dict[str, str]:
    """Page title of each path (the browser tab)."""
    return {page.path: page.title for page in PAGES}


def _views() -> Mapping[str, View]:
    found: dict[str, View] = {}
    for page in PAGES:
        for view in page.views:
            if found.setdefault(view.id, view) is not view:
                raise ValueError(f"two views share the id {view.id!r}")
    return found


VIEWS: Mapping[str, View] = _views()
_PAGE_OF_VIEW = {view.id: page for page in PAGES for view in page.views}


def page_of_view(view_id: str) -> Page:
    """The page that shows the view ``view_id`` (its link is read as that page reads it)."""
    return _PAGE_OF_VIEW.get(view_id, NOT_FOUND)
