"""The adoption lists and places on a hand-built store: who could buy in the period in view,
who lapsed, who never bought (a first purchase after the period is not a purchase in it),
other buyers of a group's kind, areas, the council map, and quarters."""

from __future__ import annotations

import pytest

import loaders
from dashboard.analytics import registers
from dashboard.analytics.filters import parse_query
from dashboard.analytics.store import Store
from dashboard.callbacks import render_page
from dashboard.pages import adoption
from tests.builders import rows_2014, write_csv, write_customer_list
from tests.dashboard.test_callbacks import find

SPEND = [
    # lot, supplier, customer, month, spend, sector, sme
    (4, "Acme Cloud", "Kent County Council", "2013-05-01", 1000.0, "Local Government", "SME"),
    (4, "Acme Cloud", "Kent Police", "2014-06-01", 500.0, "Police", "SME"),
    (4, "Big Co", "Leeds City Council", "2015-05-01", 700.0, "Local Government", "Large"),
    (4, "Big Co", "Manchester City Council", "2014-05-01", 300.0, "Local Government", "Large"),
    (4, "Acme Cloud", "Manchester City Council", "2014-07-01", 100.0, "Local Government", "SME"),
    (4, "Big Co", "Isle of Man Constabulary", "2014-08-01", 50.0, "Police", "Large"),
]  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("registers-store")
    release = write_csv(folder / "G-Cloud-Spend-2016.csv", rows_2014(*SPEND))
    customers = write_customer_list(folder / "urns.xlsx", [
        (1, "Kent County Council", "Local Government", "County Council"),
        (2, "Kent Police", "Police", "Police Force"),
        (3, "Leeds City Council", "Local Government", "Metropolitan District"),
        (4, "Manchester City Council", "Local Government", "Metropolitan District"),
        (5, "Isle of Man Constabulary", "Police", "Police Service"),
    ])  # fmt: skip
    result = loaders.load(release, customers=customers)
    return Store(loaders.write_store(result, folder / "store"))


def test_groups_of_2014_15(store):
    table = registers.group_table(store, parse_query("?fy=2014-15")).set_index("group")
    councils = table.loc["Principal councils"]
    assert councils[["bodies", "buying", "new", "returning", "lapsed", "never"]].tolist() == [
        433, 1, 1, 0, 1, 431]  # fmt: skip
    police = table.loc["Police forces"]
    assert police[["bodies", "buying", "new", "other_buyers"]].tolist() == [45, 1, 1, 1]


def test_never_and_lapsed_lists(store):
    filters = parse_query("?fy=2014-15&group=Principal+councils")
    never = adoption.NOT_YET_BUYING.table(store, filters)
    assert "Leeds City Council" in set(never["name"])  # first purchase 2015-05: after the period
    assert "Kent County Council" not in set(never["name"])
    lapsed = adoption.LAPSED.table(store, filters).set_index("name")
    assert lapsed.loc["Kent County Council", "last_month_before"] == "2013-05"
    new = registers.bodies_list(store, parse_query("?fy=2014-15&status=new"))
    assert new[["name", "spend_in_period_gbp"]].values.tolist() == [
        ["Manchester City Council", 400.0], ["Kent Police", 500.0]]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "names"),
    [
        pytest.param("?fy=2014-15&status=new&region=North+West", ["Manchester City Council"],
                     id="region"),
        pytest.param("?fy=2014-15&status=new&combined_authority=GMCA",
                     ["Manchester City Council"], id="combined authority code"),
        pytest.param("?fy=2014-15&status=new&combined_authority=Greater+Manchester+Combined+"
                     "Authority", ["Manchester City Council"], id="combined authority name"),
        pytest.param("?fy=2014-15&status=new&type=Territorial+police+force", ["Kent Police"],
                     id="type"),
    ],
)  # fmt: skip
def test_lists_are_cut_by_region_authority_and_type(store, query, names):
    assert registers.bodies_list(store, parse_query(query))["name"].tolist() == names


def test_other_buyers_are_apart(store):
    others = registers.other_buyers_in_view(store, parse_query("?fy=2014-15"))
    assert others[["group", "customer"]].values.tolist() == [
        ["Police forces", "Isle of Man Constabulary"]]  # fmt: skip


def test_areas_and_the_council_map(store):
    filters = parse_query("?fy=2014-15")
    regions = registers.areas(store, filters, "region").set_index("area")
    north_west = regions.loc["North West"]
    assert north_west[["buying", "spend_gbp"]].tolist() == [1, 400.0]
    assert north_west["sme_share_value_pct"] == pytest.approx(25.0)
    authorities = registers.areas(store, filters, "combined_authority")
    assert set(authorities["area"]) == {"GLA", "GMCA", "LCR", "NECA", "SCR", "WYCA"}  # 2014-15
    kind, drawn, missing = registers.council_map(store, filters)
    assert kind == "odd-r" and len(drawn) == 381 and len(missing) == 52
    assert drawn.set_index("name").loc["Manchester City Council", "status"] == "new"


def test_the_adoption_page_offers_lists_by_group_and_status(store):
    page, _ = render_page(store, "/adoption", "?fy=2014-15&group=Police+forces")
    assert find(page, "section-register-groups") is not None
    assert find(page, "section-not-yet-buying") is not None
    text = str(page)
    assert "aria-current" in text and "/adoption?fy=2014-15&group=Principal%20councils" in text


def test_register_spend_is_the_spend_of_matched_buyers(store):
    months = registers.body_months(store, parse_query(""))
    assert months["spend_gbp"].sum() == pytest.approx(2600.0)  # the Isle of Man: in none
