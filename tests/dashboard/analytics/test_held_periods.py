"""Periods that fit the data (issue 25, defects 1 and 2): each page offers and reads the
years of the data it shows, says when a period holds none of them, and marks part years."""

from __future__ import annotations

import json

import pytest

import loaders
from dashboard.analytics import held_periods
from dashboard.analytics.filters import Filters
from dashboard.analytics.links import read_link
from dashboard.analytics.store import Store
from dashboard.callbacks import nav_hrefs, period_options, render_page
from dashboard.pages.registry import nav
from dashboard.ui.view import fy_column
from tests.builders import rows_2014, write_csv
from tests.dashboard.test_callbacks import find

RELEASE = "G-Cloud-Spend-2014-07.csv"


def _notices(folder, when: str) -> None:
    """One Contracts Finder release package with one tender notice published ``when``."""
    release = {"ocid": "ocds-b5fd17-1", "id": "1", "date": when, "tag": ["tender"],
               "initiationType": "tender", "buyer": {"id": "b", "name": "Home Office"},
               "parties": [{"id": "b", "name": "Home Office", "roles": ["buyer"]}],
               "tender": {"id": "t", "title": "Cloud", "status": "active",
                          "suitability": {"sme": True}}}  # fmt: skip
    package = {"uri": "x", "version": "1.1", "publishedDate": when, "releases": [release]}
    (folder / "notices.json").write_text(json.dumps(package), encoding="utf-8")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    """Spend from April 2012 to June 2014 (2014-15 a part year) and notices of January 2025,
    as the real 2014 release and the 2025 notices are."""
    folder = tmp_path_factory.mktemp("held")
    write_csv(folder / RELEASE, rows_2014(
        (1, "Acme", "Home Office", "2012-04-01", "100", "Central Government", "SME"),
        (2, "Acme", "Home Office", "2013-05-01", "200", "Central Government", "SME"),
        (3, "Big", "Leeds City Council", "2014-06-01", "300", "Local Government", "Large"),
    ))  # fmt: skip
    _notices(folder, "2025-01-15T10:00:00Z")
    return Store(loaders.write_store(loaders.load([folder]), folder / "store"))


def test_each_kind_of_data_holds_its_own_years(store):
    assert held_periods.years_held(store) == ["2012-13", "2013-14", "2014-15"]
    assert held_periods.years_held(store, ("notices",)) == ["2024-25"]
    assert held_periods.years_held(store, ("spend", "notices"))[-1] == "2024-25"


def test_opportunities_read_a_year_with_notices_and_refuse_one_without(store):
    filters, notices = read_link(store, "?fy=2024-25", ("notices",))
    assert filters.fy == ("2024-25",) and notices == ()
    filters, notices = read_link(store, "?fy=2013-14", ("notices",))
    assert filters.fy == () and "not a financial year with notices" in str(notices[0])
    assert read_link(store, "?fy=2024-25")[0].fy == ()  # a spend page: no spend that year


def test_the_year_list_on_each_page_is_its_datas(store):
    years = [o["value"] for o in period_options(store, "/opportunities")[0]]
    months = [o["value"] for o in period_options(store, "/opportunities")[1]]
    assert years == ["all", "2024-25"] and months == ["all", "2025-01"]
    assert [o["value"] for o in period_options(store, "/")[0]][1:] == [
        "2014-15", "2013-14", "2012-13"]  # fmt: skip


def test_header_links_leave_out_years_the_other_page_lacks(store):
    paths = [path for path, _ in nav()]
    links = nav_hrefs(store, "/opportunities", "?fy=2024-25", nav())
    hrefs = dict(zip(paths, links[: len(paths)], strict=True))
    assert hrefs["/opportunities"] == "/opportunities?fy=2024-25"
    assert hrefs["/"] == "/" and hrefs["/department"] == "/department?fy=2024-25"


@pytest.mark.parametrize(
    ("kind", "filters", "said"),
    [
        pytest.param("notices", Filters(fy=("2013-14",)), "No notices in financial year "
                     "2013-14: the notices loaded were published in January 2025.", id="notices"),
        pytest.param("spend", Filters(fy=("2024-25",)), "No spend in financial year 2024-25: "
                     "the spend loaded runs from April 2012 to June 2014.", id="spend"),
        pytest.param("notices", Filters(fy=("2024-25",)), None, id="overlap"),
        pytest.param("notices", Filters(), None, id="all time"),
    ],
)  # fmt: skip
def test_a_period_without_the_data_says_so(store, kind, filters, said):
    assert held_periods.none_held_note(store, kind, filters) == said


def test_spend_and_notices_on_one_page_say_when_they_do_not_overlap(store):
    page, _ = render_page(store, "/department", "?name=home-office&fy=2013-14")
    assert "No notices in financial year 2013-14" in str(page)
    page, _ = render_page(store, "/", "?fy=2013-14")
    advertisers = find(page, "kpi-advertisers")
    assert advertisers.children == "–" and "No notices in" in str(page)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param(Filters(), {"2014-15": "Apr–Jun"}, id="the latest year"),
        pytest.param(Filters(date_from="2013-06", date_to="2014-02"),
                     {"2013-14": "Jun–Feb"}, id="cut by the months chosen"),
        pytest.param(Filters(date_from="2012-05"), {"2012-13": "May–Mar", "2014-15": "Apr–Jun"},
                     id="both ends"),
    ],
)  # fmt: skip
def test_part_years_are_named_with_their_months(store, filters, expected):
    labels = ["2012-13", "2013-14", "2014-15"]
    assert held_periods.part_years(store, "spend", filters, labels) == expected
    assert held_periods.part_years(store, "notices", Filters(), ["2024-25"]) == {
        "2024-25": "Jan only"}  # fmt: skip


def test_part_years_are_marked_in_charts_and_tables(store):
    from dashboard.pages.registry import VIEWS

    view = VIEWS["spend-by-period"]
    filters = Filters(period="fy")
    table, _ = view.labelled(store, filters)
    assert table["Months covered"].tolist() == ["Apr–Mar", "Apr–Mar", "Apr–Jun (part year)"]
    figure = view.figure(store, filters)
    assert list(figure.layout.xaxis.ticktext) == ["2012-13", "2013-14", "2014-15<br>(Apr–Jun)"]
    assert [list(t.marker.opacity) for t in figure.data][0] == [1.0, 1.0, 0.5]
    assert fy_column(view.table(store, Filters(period="month"))) is None  # months: no mark
