"""Buyer profiles, peers and the bodies that could buy and have not, on a hand-built store."""

from __future__ import annotations

import pytest

import loaders
from dashboard.analytics import buyers
from dashboard.analytics.adoption import penetration_in_view
from dashboard.analytics.filters import Filters, parse_query
from dashboard.analytics.store import Store
from tests.builders import rows_2014, write_csv, write_customer_list

BODIES = [
    (1, "Leeds City Council", "Local Government", "Metropolitan District"),
    (2, "Kent County Council", "Local Government", "County Council"),
    (3, "Ashford Borough Council", "Local Government", "District Council"),
    (4, "Home Office", "Central Government", "Ministerial Department"),
    (5, "Kent Police", "Police", "Police Force"),
    (6, "Slough Borough Council", "Local Government", "Unitary Authority"),
    (7, "University of Kent", "Education", "University"),
    (8, "Folkestone and Hythe District Council", "Local Government", "District Council"),
]
SPEND = [
    (3, "Acme", "Leeds City Council", "2013-05-01", 100, "Local Government", "SME"),
    (3, "Bigco", "Leeds City Council", "2014-06-01", 50, "Local Government", "Large"),
    (3, "Acme", "Kent County Council", "2014-05-01", 20, "Local Government", "SME"),
    (4, "Bigco", "Home Office", "2013-04-01", 300, "Central Government", "Large"),
    (4, "Acme", "Kent Police", "2014-04-01", 10, "Police", "SME"),
    (
        3,
        "Acme",
        "Folkestone and Hythe District Council",
        "2014-05-01",
        5,
        "Local Government",
        "SME",
    ),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("buyers")
    renamed = [("Shepway District Council", "Folkestone and Hythe District Council", 8)]
    customers = write_customer_list(folder / "customers.xlsx", BODIES, changes=renamed)
    release = write_csv(folder / "G-Cloud-Spend-2014-07.csv", rows_2014(*SPEND))
    return Store(loaders.write_store(loaders.load(release, customers), folder / "store"))


@pytest.mark.slow
def test_a_buyer_is_found_by_name_spelling_urn_or_key(store):
    for text in ("Leeds City Council", "leeds city council.", "1", "urn:1", "LEEDS CITY COUNCIL"):
        assert buyers.buyer_key(store, text) == "urn:1", text
    assert buyers.buyer_key(store, "Leeds Citty Council") is None
    assert buyers.buyer_key(store, "Shepway District Council") == "urn:8"  # a former name


@pytest.mark.parametrize(
    ("query", "spend", "first", "suppliers", "sme_share"),
    [
        pytest.param("", 150.0, "2013-05", 2, 100 * 100 / 150, id="all-time"),
        pytest.param("?fy=2014-15", 50.0, "2013-05", 1, 0.0, id="first-purchase-before-view"),
        pytest.param("?fy=2013-14&sme=SME", 100.0, "2013-05", 1, 100.0, id="filters-apply"),
    ],
)
def test_buyer_headline_against_the_hand_count(store, query, spend, first, suppliers, sme_share):
    figures = buyers.buyer_headline(store, parse_query(query), "urn:1")
    assert figures["spend_gbp"] == pytest.approx(spend)
    assert figures["first_purchase"] == first
    assert figures["suppliers"] == suppliers
    assert figures["sme_share_value"] == pytest.approx(sme_share)


@pytest.mark.parametrize(("query", "buying"), [("", 3), ("?fy=2013-14", 1), ("?fy=2015-16", 0)])
def test_peers_are_n_of_m_principal_councils(store, query, buying):
    figures = buyers.peers_figure(store, parse_query(query), "urn:1")
    assert (figures["buying"], figures["eligible"], figures["label"]) == (
        buying, 5, "principal councils"
    )  # fmt: skip
    table = buyers.peers(store, parse_query(query), "urn:1")
    assert set(table["customer"]) == {
        "Leeds City Council",
        "Kent County Council",
        "Ashford Borough Council",
        "Slough Borough Council",
        "Folkestone and Hythe District Council",
    }
    assert table["this_body"].tolist().count("Yes") == 1
    assert table["buying"].tolist()[:buying] == ["Yes"] * buying  # buyers first, by spend


def test_peers_share_the_region_or_else_the_county_the_list_gives(store):
    """The 2016 list gives a region for 365 of 35,999 bodies and a county for 33,811."""
    placed = Store(store.store_dir)
    customers = store.customers.copy()
    where = {"Leeds City Council": (None, "West Yorkshire"),
             "Kent County Council": (None, "Kent"), "Ashford Borough Council": (None, "Kent"),
             "Folkestone and Hythe District Council": ("South East", "Kent"),
             "Slough Borough Council": ("South East", "Berkshire")}  # fmt: skip
    customers["region"] = customers["name"].map(lambda n: where.get(n, (None, None))[0])
    customers["county"] = customers["name"].map(lambda n: where.get(n, (None, None))[1])
    placed.__dict__["customers"] = customers  # the list as read, with places
    kent = buyers.peer_group(placed, "urn:2")
    assert kent.label == "principal councils in Kent"
    assert sorted(kent.members["name"]) == [
        "Ashford Borough Council", "Folkestone and Hythe District Council",
        "Kent County Council"]  # fmt: skip
    south_east = buyers.peer_group(placed, "urn:8")  # a region given: the region wins
    assert south_east.label == "principal councils in South East"
    assert sorted(south_east.members["name"]) == [
        "Folkestone and Hythe District Council", "Slough Borough Council"]  # fmt: skip
    assert buyers.peers_figure(placed, parse_query(""), "urn:2")["eligible"] == 3


def test_peers_of_a_body_outside_the_eligible_groups_are_its_type_or_sector(store):
    assert buyers.peer_group(store, "urn:4").label == "bodies of type Ministerial Department"
    assert buyers.peer_group(store, "home office") is None  # not resolved to the list


@pytest.mark.parametrize("query", ["", "?fy=2013-14", "?fy=2014-15&framework=G-Cloud"])
def test_not_yet_buying_is_the_list_less_those_buying(store, query):
    filters = parse_query(query)
    missing = buyers.not_yet_buying(store, filters)
    table = penetration_in_view(store, filters).set_index("group")
    for group in ("Principal councils", "Police forces"):
        row = table.loc[group]
        assert row["buying"] + row["not_yet_buying"] == row["eligible"]
        assert (missing["group"] == group).sum() == row["not_yet_buying"]
    if query == "":
        assert set(missing["customer"]) == {"Ashford Borough Council", "Slough Borough Council"}


def test_an_organisation_type_can_be_added_to_the_bodies_that_could_buy(store):
    filters, notices = store.read_query("?type=university")
    assert filters.organisation_type == ("University",) and notices == ()
    missing = buyers.not_yet_buying(store, filters, "University")
    assert "University of Kent" in set(missing["customer"])
    assert "Organisation type: University" in set(penetration_in_view(store, filters)["group"])


@pytest.mark.parametrize(
    ("kind", "typed", "expected"),
    [
        pytest.param("customer", "Leeds Citty Council", "Leeds City Council", id="typo"),
        pytest.param("customer", "kent county councel", "Kent County Council", id="typo-case"),
        pytest.param("customer", "Hom Ofice", "Home Office", id="two-typos"),
        pytest.param("supplier", "Acme Limited", "Acme", id="legal-form"),
        pytest.param("customer", "Kënt Cöunty Councıl", "Kent County Council", id="accents"),
        pytest.param("customer", "Leeds City Council’s", "Leeds City Council", id="apostrophe"),
    ],
)
def test_suggestions_for_names_that_match_nothing(store, kind, typed, expected):
    assert expected in [name for _, name in store.body_index.suggest(kind, typed)]


def test_suggestions_never_offer_another_body_of_the_same_kind(store):
    assert store.body_index.suggest("customer", "Surrey County Council") == []


@pytest.mark.slow
def test_a_name_one_body_spent_under_is_not_taken_by_a_body_that_lists_it_as_former(tmp_path):
    """A department split up: its successor's list entry records the old name as a former
    name, and rows published under the old name stay the old name's (the loader never
    guesses between the two). The name (a link, a filter, a profile) means the body that
    spent under it; a former name only finds a body when no body has the name itself."""
    beis = "Department for Business, Energy and Industrial Strategy"
    desnz = "Department for Energy Security and Net Zero"
    bodies = [(20, beis, "Central Government", "Ministerial Department"),
              (21, desnz, "Central Government", "Ministerial Department"),
              (8, "Folkestone and Hythe District Council", "Local Government",
               "District Council")]  # fmt: skip
    changes = [(beis, desnz, 21), ("Shepway District Council",
                                   "Folkestone and Hythe District Council", 8)]  # fmt: skip
    spend = [(3, "Acme", beis, "2019-05-01", 70, "Central Government", "SME"),
             (3, "Bigco", desnz, "2023-05-01", 30, "Central Government", "Large"),
             (3, "Acme", "Folkestone and Hythe District Council", "2023-05-01", 5,
              "Local Government", "SME")]  # fmt: skip
    customers = write_customer_list(tmp_path / "customers.xlsx", bodies, changes=changes)
    release = write_csv(tmp_path / "G-Cloud-Spend-2024-07.csv", rows_2014(*spend))
    split = Store(loaders.write_store(loaders.load(release, customers), tmp_path / "store"))

    spent_as_beis = buyers.buyer_key(split, beis)
    assert spent_as_beis not in (None, "urn:21")
    assert buyers.buyer_key(split, desnz) == "urn:21"
    assert buyers.buyer_key(split, "Shepway District Council") == "urn:8"  # only a former name
    assert buyers.buyer_headline(split, parse_query(""), spent_as_beis)["spend_gbp"] == 70.0
    named = split.resolve_bodies(Filters(customer=(beis,))).customers
    assert "urn:21" not in named and spent_as_beis in named


def test_a_closed_body_says_what_it_is_now_part_of_and_keeps_its_spend(tmp_path):
    """The Vehicle and Operator Services Agency merged into the DVSA in 2014 (the GOV.UK
    register shipped in data/reference): its page names the DVSA and its spend stays its
    own; a live body has no such line."""
    dvsa = "Driver and Vehicle Standards Agency"
    bodies = [(30, dvsa, "Central Government", "Executive Agency")]
    spend = [(3, "Acme", "Vehicle and Operator Services Agency", "2013-05-01", 70,
              "Central Government", "SME"),
             (3, "Bigco", dvsa, "2014-06-01", 30, "Central Government", "Large")]  # fmt: skip
    customers = write_customer_list(tmp_path / "customers.xlsx", bodies)
    release = write_csv(tmp_path / "G-Cloud-Spend-2014-07.csv", rows_2014(*spend))
    merged = Store(loaders.write_store(loaders.load(release, customers), tmp_path / "store"))

    vosa = buyers.buyer_key(merged, "VOSA") or buyers.buyer_key(
        merged, "Vehicle and Operator Services Agency")  # fmt: skip
    assert vosa not in (None, "urn:30")
    facts = buyers.buyer_facts(merged, vosa)
    assert facts["now_part_of"] == dvsa and facts["closed"] == "2014-04-01"
    assert buyers.buyer_headline(merged, parse_query(""), vosa)["spend_gbp"] == 70.0
    assert buyers.buyer_facts(merged, "urn:30")["now_part_of"] == ""
    from dashboard.pages.buyer import _facts  # the page's summary list of the same facts

    shown = str(_facts(merged, parse_query(""), vosa))
    assert "Now part of" in shown and "/buyer?name=Driver%20and%20Vehicle%20Standards" in shown
    assert "closed 2014-04-01" in shown
    assert "Now part of" not in str(_facts(merged, parse_query(""), "urn:30"))


def test_a_buyers_suppliers_and_spend_per_buyer_against_the_hand_count(store):
    leeds = buyers.buyer_suppliers(store, Filters(), "urn:1")
    assert leeds[["supplier", "spend_gbp", "first_month", "last_month"]].values.tolist() == [
        ["Acme", 100.0, "2013-05", "2013-05"],
        ["Bigco", 50.0, "2014-06", "2014-06"],
    ]  # largest spend first
    year = buyers.buyer_suppliers(store, parse_query("?fy=2014-15"), "urn:1")
    assert year["supplier"].tolist() == ["Bigco"]
    spend = buyers.spend_by_body(store.filtered(parse_query("?fy=2014-15"), "customer"))
    assert spend.to_dict() == {"urn:1": 50.0, "urn:2": 20.0, "urn:5": 10.0, "urn:8": 5.0}
