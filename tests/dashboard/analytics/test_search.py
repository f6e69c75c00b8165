"""Search that forgives (issue 25, feature 9): part of a name, an abbreviation, a former
name, a URN or a typo finds the body, ranked; any registered kind is searched."""

from __future__ import annotations

import pytest

from dashboard.analytics import searchable
from dashboard.analytics.search import (
    SEARCH_KINDS,
    Entry,
    SearchKind,
    build_index,
    fold,
    initialisms,
    search,
)
from dashboard.analytics.store import Store
from dashboard.callbacks import render_page
from dashboard.pages.search import SEARCH_RESULTS
from tests.dashboard.test_callbacks import find


class _Store:
    """The one thing :func:`search` asks of a store: a constant built once."""

    def __init__(self):
        self._constants = {}

    def constant(self, name, compute):
        return self._constants.setdefault(name, compute())


PLACES = [
    Entry("urn:10006662", "Leeds City Council", ("LEEDS CC",), ("urn:10006662", "10006662"), 5),
    Entry("urn:1", "Leeds Teaching Hospitals NHS Trust", (), (), 9),
    Entry("urn:2", "Department for Work and Pensions", ("Department of Social Security",), (), 50),
    Entry("urn:3", "HM Revenue and Customs", (), (), 40),
    Entry("urn:4", "Ministry of Justice", (), (), 30),
    Entry("urn:5", "Home Office", (), (), 60),
]  # fmt: skip


@pytest.fixture
def places(monkeypatch):
    kind = SearchKind("place", "Place", lambda store: PLACES, "/place")
    monkeypatch.setattr("dashboard.analytics.search.SEARCH_KINDS", {"place": kind})
    return _Store()


@pytest.mark.parametrize(
    ("text", "first", "score"),
    [
        pytest.param("Leeds City Council", "Leeds City Council", 100, id="the name"),
        pytest.param("leeds", "Leeds Teaching Hospitals NHS Trust", 90, id="start, by spend"),
        pytest.param("city council", "Leeds City Council", 80, id="words of it"),
        pytest.param("ity coun", "Leeds City Council", 70, id="inside it"),
        pytest.param("10006662", "Leeds City Council", 100, id="a URN"),
        pytest.param("urn:10006662", "Leeds City Council", 100, id="a body key"),
        pytest.param("DWP", "Department for Work and Pensions", 95, id="initials"),
        pytest.param("hmrc", "HM Revenue and Customs", 95, id="initials with HM whole"),
        pytest.param("MoJ", "Ministry of Justice", 95, id="joining words counted"),
        pytest.param("social security", "Department for Work and Pensions", 80,
                     id="a former name"),
        pytest.param("Home Ofice", "Home Office", 50, id="a typo"),
    ],
)  # fmt: skip
def test_the_best_match_comes_first(places, text, first, score):
    hits = search(places, text)
    assert hits[0].entry.name == first and hits[0].score >= score


def test_a_found_name_leaves_out_guesses_and_nothing_finds_nothing(places):
    assert [h.entry.name for h in search(places, "leeds")] == [
        "Leeds Teaching Hospitals NHS Trust", "Leeds City Council"]  # fmt: skip
    assert search(places, "zzzz qqqq") == [] and search(places, " ;; ") == []
    assert search(places, "social security")[0].matched == "Department of Social Security"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Department for Work and Pensions", {"dwp", "dfwap"}, id="dwp"),
        pytest.param("HM Revenue & Customs", {"hmrc"}, id="hmrc"),
        pytest.param("Ministry of Defence", {"md", "mod"}, id="mod"),
        pytest.param("Environment Agency", {"ea"}, id="two words"),
        pytest.param("Acme", set(), id="one word"),
    ],
)
def test_initialisms(name, expected):
    assert initialisms(name) == expected


def test_names_are_folded():
    assert fold("  Clément & Sons, Ltd. ") == "clement and sons ltd"


def test_every_kind_is_registered_and_another_can_join(monkeypatch):
    assert {"buyer", "supplier", "department", "region", "combined_authority"} <= set(
        SEARCH_KINDS)  # fmt: skip
    assert searchable.AUTHORITIES.many == "combined authorities"
    assert searchable.BUYERS.page == "/buyer" and searchable.SUPPLIERS.param == "supplier"
    areas = SearchKind("area", "Area", lambda store: [Entry("e08000035", "Leeds")], "/places",
                       "region")  # fmt: skip
    index = build_index(_Store(), [areas])
    assert index.kinds == [areas] and len(index.entries[0]) == 1


@pytest.fixture(scope="module")
def sample(sample_store) -> Store:
    return Store(sample_store)


def test_on_the_sample_names_never_raw_keys(sample):
    hits = search(sample, "leeds")
    assert hits and all(not h.entry.name.startswith("urn:") for h in hits)
    assert hits[0].entry.name == "Leeds City Council"
    kinds = {h.kind.name for h in search(sample, "DWP")}
    assert kinds == {"buyer", "department"}


def test_the_search_page_lists_links_to_pages(sample):
    page, _ = render_page(sample, "/search", "?q=justice")
    results = find(page, SEARCH_RESULTS)
    links = [item.children[0] for item in results.children]
    assert links[0].href == "/department?name=Ministry%20of%20Justice"
    assert all(link.href.startswith(("/buyer?", "/department?", "/suppliers?")) for link in links)
    page, _ = render_page(sample, "/search", "?q=manchester")
    links = [item.children[0].href for item in find(page, SEARCH_RESULTS).children]
    assert "/places?combined_authority=Greater%20Manchester%20Combined%20Authority" in links
    page, _ = render_page(sample, "/search", "?q=qqqzzz")
    assert "Nothing matches" in str(page)
