"""One reader of links: the app, ``dashboard.api`` and the notebooks read a query string through
the same store-aware function, so a shared link rebuilds exactly what the app showed."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote_plus

import pytest

import loaders
from dashboard.analytics import links
from dashboard.analytics.store import Store
from dashboard.api import link_filters, view_table
from dashboard.callbacks import render_page
from dashboard.pages import overview
from dashboard.ui.formatting import format_money
from tests.builders import rows_2014, write_csv
from tests.dashboard.test_callbacks import find

DEFRA = "Department for Environment, Food and Rural Affairs"
BEIS = "Department for Business, Energy and Industrial Strategy"
PARTNERS = "Smith, Jones and Partners LLP"
ROWS = (
    (3, PARTNERS, DEFRA, "2014-04-01", "3000", "Central Government", "SME"),
    (3, "Smith", BEIS, "2014-05-01", "4000", "Central Government", "SME"),
    (3, "Jones and Partners LLP", "Food Standards Agency", "2014-05-01", "5000",
     "Central Government", "Large"),
    (3, "Smith", "Leeds City Council", "2014-06-01", "16000", "Local Government", "SME"),
)  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("links")
    release = write_csv(folder / "G-Cloud-Spend-2014-07.csv", rows_2014(*ROWS))
    return Store(loaders.write_store(loaders.load(release), folder / "store"))


def _link(**params: str) -> str:
    return "?" + "&".join(f"{k}={quote_plus(v)}" for k, v in params.items())


# Each handed link (field case 11, the supplier with a comma) and other members of the
# kind, with the pounds the link shows.
LINKS = {
    "case11 DEFRA": (_link(customer=DEFRA), 3_000),
    "case11 BEIS": (_link(customer=BEIS), 4_000),
    "supplier with a comma": (_link(supplier=PARTNERS), 3_000),
    "supplier with a comma and another": (_link(supplier=f"{PARTNERS},Smith"), 23_000),
    "two customers with commas": (_link(customer=f"{DEFRA},{BEIS}"), 7_000),
    "names in lower case": (_link(customer=DEFRA.lower()), 3_000),
    "a comma name with a year": (_link(customer=DEFRA, fy="2014-15"), 3_000),
    "parts that are bodies of their own": (_link(supplier="Jones and Partners LLP,Smith"), 25_000),
    "a name no body has": (_link(customer=f"{DEFRA},Nobody at all"), 3_000),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(LINKS))
def test_the_app_and_the_api_read_a_link_the_same_way(store, case):
    query, pounds = LINKS[case]
    page, _ = render_page(store, "/", query)
    assert find(page, overview.KPI_TOTAL).children == format_money(pounds)
    table = view_table(store, "spend-by-period", query, labelled=False)
    assert round(table["total_gbp"].sum(), 2) == pounds
    assert link_filters(store, query) == store.read_query(query)[0]


def test_a_name_with_a_comma_is_one_name_not_two(store):
    filters = link_filters(store, _link(supplier=PARTNERS))
    assert filters.supplier == (PARTNERS,)


def test_names_past_the_cap_are_named_in_a_notice_not_read(store):
    names = ["Smith"] + [f"Nobody {n}" for n in range(links.MAX_NAMES + 10)]
    filters, notices = links.read_link(store, _link(supplier=",".join(names)))
    assert filters.supplier == ("Smith",)
    capped = [n for n in notices if "not read" in n.reason]
    assert len(capped) == 1 and capped[0].reason.startswith("11 names past the first 50")


def test_reading_a_long_link_looks_up_each_name_a_bounded_number_of_times(store, monkeypatch):
    """A link of many short names costs lookups in proportion to its names (today's bound:
    the most commas any known name has, plus one), never the square of them."""
    calls = []
    real = links._names_body
    monkeypatch.setattr(links, "_names_body", lambda *a: calls.append(a) or real(*a))
    names = [f"w{n}" for n in range(375)]
    links.read_link(store, _link(customer=",".join(names)))
    runs = store.body_index.most_commas("customer") + 1
    assert runs == 2  # "Department for Environment, Food and Rural Affairs" has one comma
    assert len(calls) <= len(names) * runs + links.MAX_NAMES


def test_the_notebooks_read_links_through_the_api(tmp_path):
    """No notebook parses a link without the store (the one reader is dashboard.api)."""
    for notebook in (Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"):
        assert "parse_query" not in notebook.read_text(encoding="utf-8"), notebook.name
