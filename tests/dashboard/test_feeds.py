"""Alerts without email (issue 25, feature 10): each buyer's, supplier's and department's
Atom feed, from the history the updates keep in the store, linked from its page."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

import loaders
from dashboard.analytics.store import Store
from dashboard.app import create_app
from dashboard.callbacks import render_page
from dashboard.feeds import feed_href
from loaders.alerts import ALERTS_FILE, body_events, with_update
from loaders.update.update import read_tables
from tests.builders import rows_2014, write_csv
from tests.dashboard.test_callbacks import find

ATOM = "{http://www.w3.org/2005/Atom}"
JULY = rows_2014(
    (4, "Acme Ltd", "Home Office", "2014-05-01", "5000", "Central Government", "SME"),
    (4, "Big plc", "Leeds City Council", "2014-06-01", "2000", "Local Government", "Large"),
)
AUGUST = rows_2014(  # revises May by +£3,000, adds July and a new buyer
    (4, "Acme Ltd", "Home Office", "2014-05-01", "8000", "Central Government", "SME"),
    (4, "Big plc", "Leeds City Council", "2014-06-01", "2000", "Local Government", "Large"),
    (3, "Acme Ltd", "Cabinet Office", "2014-07-01", "4000", "Central Government", "SME"),
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A store after two updates (July, then August), with the alerts history an update
    keeps."""
    folder = tmp_path_factory.mktemp("feeds")
    history = None
    previous = None
    releases = folder / "releases"
    releases.mkdir()
    for month, rows in (("07", JULY), ("08", AUGUST)):
        write_csv(releases / f"G-Cloud-Spend-2014-{month}.csv", rows)
        out = folder / f"store-{month}"
        loaders.write_store(loaders.load([releases]), out)
        new = read_tables(out)
        history = with_update(history, body_events(previous, new), f"2014-{month}-20T02:00:00")
        (out / ALERTS_FILE).write_text(json.dumps(history), encoding="utf-8")
        previous = new
    return out


def _feed(store, kind: str, name: str) -> ET.Element:
    answer = create_app(store).server.test_client().get(feed_href(kind, name))
    assert answer.status_code == 200 and answer.mimetype == "application/atom+xml"
    return ET.fromstring(answer.data)


def _entries(feed: ET.Element) -> list[tuple[str, str]]:
    return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}content").text)
            for e in feed.iter(f"{ATOM}entry")]  # fmt: skip


def test_a_buyers_feed_says_what_each_update_changed(store):
    feed = _feed(store, "buyer", "Home Office")
    assert feed.find(f"{ATOM}title").text == "Home Office: changes in spend through the frameworks"
    assert feed.find(f"{ATOM}updated").text.startswith("2014-08-20T02:00:00")
    links = {link.get("rel"): link.get("href") for link in feed.iter(f"{ATOM}link")}
    assert links["alternate"] == "http://localhost/buyer?name=Home%20Office"
    [(title, content)] = _entries(feed)
    assert title == "Revision: Home Office"
    assert "G-Cloud 2014-05: £5,000.00 -> £8,000.00" in content


def test_first_purchases_new_spend_and_departments(store):
    cabinet = dict(_entries(_feed(store, "buyer", "cabinet office")))
    assert "First purchase through the frameworks: £4,000.00 from 2014-07" in cabinet[
        "First purchase: Cabinet Office"]  # fmt: skip
    department = _entries(_feed(store, "department", "cabinet-office"))
    assert {title for title, _ in department} == {"First purchase: Cabinet Office",
                                                  "New spend: Cabinet Office"}  # fmt: skip
    supplier = _entries(_feed(store, "supplier", "Acme Ltd"))
    assert [t for t, _ in supplier] == ["New spend: Acme Ltd", "Revision: Acme Ltd"]


def test_a_name_that_names_nothing_is_404_and_a_store_without_updates_is_empty(store, sample_store):
    client = create_app(store).server.test_client()
    assert client.get(feed_href("buyer", "Nobody At All")).status_code == 404
    assert client.get("/feeds/planet.atom?name=Mars").status_code == 404
    feed = _feed(sample_store, "department", "home-office")
    assert _entries(feed) == []


@pytest.mark.parametrize(
    ("path", "query", "href"),
    [
        ("/buyer", "?name=Home Office", "/feeds/buyer.atom?name=Home+Office"),
        ("/department", "?name=home-office", "/feeds/department.atom?name=Home+Office"),
        ("/suppliers", "?supplier=Acme Ltd", "/feeds/supplier.atom?name=Acme+Ltd"),
    ],
)
def test_each_page_links_to_its_feed(store, path, query, href):
    page, _ = render_page(Store(store), path, query)
    assert find(page, "atom-feed").href == href
