"""An area's brief and feeds (issue 25, features 8 and 10): a region or nation, or a combined
authority, its figures against plain pandas on the spend rows of the buyers matched to its
register bodies, its page, its links on /places, and its feed after an update."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

import loaders
from dashboard import brief_pdf
from dashboard.analytics import brief_subjects, registers  # noqa: F401 - registers the kinds
from dashboard.analytics.brief import BRIEF_KINDS, brief, headline
from dashboard.analytics.filters import Filters
from dashboard.analytics.store import Store
from dashboard.app import create_app
from dashboard.callbacks import render_page
from dashboard.feeds import feed_href
from dashboard.pages.brief import BRIEF_HEADLINE
from loaders.alerts import ALERTS_FILE, body_events, with_update
from loaders.bodies.registers.table import read_register_bodies
from loaders.catalogue.store import read_table
from loaders.update.update import buyer_areas, read_tables
from tests.builders import rows_2014, write_csv
from tests.dashboard.test_callbacks import find

ATOM = "{http://www.w3.org/2005/Atom}"
YEAR = "2019-20"


@pytest.fixture(scope="module")
def sample(sample_store) -> Store:
    return Store(sample_store)


def _area_rows(store: Store, column: str, value: str) -> pd.DataFrame:
    """Spend rows of the buyers matched to register bodies whose ``column`` is ``value``,
    read straight from the store's files (plain pandas, no app code)."""
    matches = read_table(store.store_dir, "register_matches")[["customer_key", "register", "code"]]
    bodies = read_register_bodies()
    bodies = bodies[bodies[column].eq(value)][["register", "code"]]
    keys = set(matches.astype(str).merge(bodies, on=["register", "code"])["customer_key"])
    spend = loaders.read_store(store.store_dir).spend
    return spend[spend["customer_key"].astype(str).isin(keys)]


def _sme_pct(rows: pd.DataFrame) -> float:
    return 100 * rows.loc[rows["sme_status"].eq("SME"), "spend_gbp"].sum() / rows["spend_gbp"].sum()


@pytest.mark.parametrize(
    ("name", "column", "value", "shown"),
    [
        pytest.param("north-west", "region", "North West", "North West", id="region"),
        pytest.param("Wales", "region", "Wales", "Wales", id="nation"),
        pytest.param("GMCA", "combined_authority", "GMCA",
                     "Greater Manchester Combined Authority", id="combined authority"),
    ],
)  # fmt: skip
def test_an_areas_brief_is_the_spend_of_its_buyers_to_the_penny(sample, name, column, value,
                                                                  shown):  # fmt: skip
    figures = brief(sample, "area", name, YEAR)
    rows = _area_rows(sample, column, value)
    year = rows[rows["financial_year"].eq(YEAR)]
    before = rows[rows["financial_year"].eq("2018-19")]
    assert figures.subject == shown
    assert round(figures.spend_gbp, 2) == round(year["spend_gbp"].sum(), 2) > 0
    assert round(figures.previous_gbp, 2) == round(before["spend_gbp"].sum(), 2)
    assert figures.sme_share == pytest.approx(_sme_pct(year))
    spend = loaders.read_store(sample.store_dir).spend
    others = spend[spend["financial_year"].eq(YEAR) & spend["buyer_group"].eq("Non-Whitehall")]
    assert figures.compare_label == "non-Whitehall buyers"
    assert figures.compare_share == pytest.approx(_sme_pct(others))
    by_year = rows.groupby("financial_year")["spend_gbp"].sum().round(2)
    shown_years = figures.by_year.set_index("financial_year")["spend_gbp"].round(2)
    assert shown_years.tolist() == by_year.reindex(shown_years.index, fill_value=0).tolist()
    top = year.groupby("supplier_key")["spend_gbp"].sum().nlargest(5).round(2).tolist()
    assert figures.suppliers["spend_gbp"].round(2).tolist() == top


def test_the_brief_and_the_places_page_count_the_same_bodies(sample):
    """One definition of an area's bodies: the brief's year is the places page's row."""
    for by, name, code in (("region", "London", "London"), ("combined_authority", "WMCA", "WMCA")):
        row = registers.areas(sample, Filters(fy=(YEAR,)), by).set_index("area").loc[code]
        figures = brief(sample, "area", name, YEAR)
        assert round(figures.spend_gbp, 2) == round(row["spend_gbp"], 2)
        assert figures.sme_share == pytest.approx(row["sme_share_value_pct"])


def test_an_areas_notes_say_which_bodies_count_and_who_is_in_no_area(sample):
    notes = " ".join(brief(sample, "area", "GMCA", YEAR).notes)
    assert "constituent councils of Greater Manchester Combined Authority" in notes
    assert "matched to no register body" in notes and "non-Whitehall buyers" in notes
    region = " ".join(brief(sample, "area", "North West", YEAR).notes)
    assert "principal councils in North West" in region


def test_an_unknown_area_has_no_brief(sample):
    assert brief(sample, "area", "Atlantis") is None
    page, _ = render_page(sample, "/places/brief", "?name=Atlantis")
    assert "No area matches" in str(page)
    assert BRIEF_KINDS["area"].page == "/places"


def test_the_area_brief_page_and_its_links(sample):
    page, _ = render_page(sample, "/places/brief", f"?name=GMCA&fy={YEAR}")
    said = find(page, BRIEF_HEADLINE).children
    assert said == headline(brief(sample, "area", "GMCA", YEAR))
    assert said.endswith("across non-Whitehall buyers.")
    assert ("not all the spend of the public bodies in Greater Manchester Combined Authority, "
            "and only that of buyers matched to a register body") in str(page)  # fmt: skip
    back = next(a for a in _links(page) if "Back to" in str(a.children))
    assert back.href == ("/places?fy=2019-20&combined_authority="
                         "Greater%20Manchester%20Combined%20Authority")  # fmt: skip
    places, _ = render_page(sample, "/places", f"?region=North%20West&fy={YEAR}")
    assert find(places, "print-brief").href == f"/places/brief?fy={YEAR}&name=North%20West"
    assert find(places, "atom-feed").href == "/feeds/region.atom?name=North+West"
    authority, _ = render_page(sample, "/places", "?combined_authority=GMCA")
    assert find(authority, "atom-feed").href == (
        "/feeds/combined_authority.atom?name=Greater+Manchester+Combined+Authority")  # fmt: skip
    both, _ = render_page(sample, "/places", "?combined_authority=GMCA&region=North%20West")
    assert "print-brief" not in str(both)  # two areas chosen: no one brief


def _links(component) -> list:
    found = []
    children = getattr(component, "children", component)
    if type(component).__name__ == "A":
        found.append(component)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "children") or isinstance(child, list | tuple):
            found += _links(child)
    return found


def test_the_command_line_names_an_unknown_area_in_one_line(sample, tmp_path, capsys):
    args = ["--store", str(sample.store_dir), "--area", "Atlantis", "--out", str(tmp_path / "b")]
    assert brief_pdf.main(args) == 2
    error = capsys.readouterr().err
    assert error == f"error: no area matches 'Atlantis' in {sample.store_dir}\n"
    assert brief_pdf.brief_path("area", "North West", YEAR) == (
        "/places/brief?name=North+West&fy=2019-20")  # fmt: skip


MAY = (
    (4, "Acme Ltd", "Leeds City Council", "2014-05-01", "5000", "Local Government", "SME"),
    (4, "Big plc", "Manchester City Council", "2014-05-01", "2000", "Local Government", "Large"),
    (4, "Acme Ltd", "Kent County Council", "2014-05-01", "1000", "Local Government", "SME"),
)
JULY = rows_2014(*MAY)
AUGUST = rows_2014(  # new spend for Leeds (Yorkshire, West Yorkshire) and Kent (no CA) only
    *MAY,
    (3, "Acme Ltd", "Leeds City Council", "2014-07-01", "700", "Local Government", "SME"),
    (3, "Acme Ltd", "Kent County Council", "2014-07-01", "90", "Local Government", "SME"),
)


@pytest.fixture(scope="module")
def updated(tmp_path_factory):
    """A store after two updates, the alerts kept as ``python -m loaders update`` keeps them
    (the areas of the buyers each load matched)."""
    folder = tmp_path_factory.mktemp("area-feeds")
    history, previous = None, None
    releases = folder / "releases"
    releases.mkdir()
    for month, rows in (("07", JULY), ("08", AUGUST)):
        write_csv(releases / f"G-Cloud-Spend-2014-{month}.csv", rows)
        out = folder / f"store-{month}"
        result = loaders.load([releases])
        loaders.write_store(result, out)
        new = read_tables(out)
        events = body_events(previous, new, places=buyer_areas(result))
        history = with_update(history, events, f"2014-{month}-20T02:00:00")
        (out / ALERTS_FILE).write_text(json.dumps(history), encoding="utf-8")
        previous = new
    return out


def _entries(store, kind: str, name: str) -> list[tuple[str, str]]:
    answer = create_app(store).server.test_client().get(feed_href(kind, name))
    assert answer.status_code == 200 and answer.mimetype == "application/atom+xml"
    feed = ET.fromstring(answer.data)
    return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}content").text)
            for e in feed.iter(f"{ATOM}entry")]  # fmt: skip


def test_new_spend_of_a_buyer_is_in_its_region_and_combined_authority_feeds_only(updated):
    expected = [("New spend: Leeds City Council",
                 "Leeds City Council: £700.00 of new spend reported for 2014-07")]  # fmt: skip
    assert _entries(updated, "region", "Yorkshire and The Humber") == expected
    assert _entries(updated, "combined_authority", "WYCA") == expected
    assert _entries(updated, "combined_authority", "West Yorkshire Combined Authority") == expected
    assert _entries(updated, "region", "South East") == [(
        "New spend: Kent County Council",
        "Kent County Council: £90.00 of new spend reported for 2014-07")]  # fmt: skip
    assert _entries(updated, "region", "North West") == []
    assert _entries(updated, "combined_authority", "GMCA") == []
    client = create_app(updated).server.test_client()
    assert client.get(feed_href("region", "Atlantis")).status_code == 404
    assert client.get(feed_href("combined_authority", "North West")).status_code == 404
