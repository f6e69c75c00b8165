"""Buyer profiles and the bodies not yet buying on the July 2014 G-Cloud release and the
September 2016 customer URN list in ../shared/real-data (skipped when absent), against a
plain pandas count of the published file."""

from __future__ import annotations

import pandas as pd
import pytest

import loaders
from dashboard.analytics import buyers
from dashboard.analytics.adoption import penetration_in_view
from dashboard.analytics.filters import parse_query
from dashboard.analytics.store import Store
from dashboard.callbacks import render_page
from dashboard.pages import adoption, buyer
from dashboard.ui.formatting import format_count, format_money
from tests.dashboard.test_callbacks import find
from tests.loaders.test_real_data import RELEASE_2014, URN_LIST

pytestmark = [
    pytest.mark.real_data,
    pytest.mark.skipif(
        not (RELEASE_2014.is_dir() and URN_LIST.is_file()),
        reason="../shared/real-data is absent: real published files are not shipped",
    ),
]
BUYERS = ["Leeds City Council", "Home Office", "Cabinet Office"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("real-2014")
    return Store(loaders.write_store(loaders.load(RELEASE_2014, URN_LIST), folder / "store"))


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    """The release as published, read by plain pandas (Mac Roman text, CR line ends)."""
    (path,) = RELEASE_2014.glob("*.csv")
    rows = pd.read_csv(path, lineterminator="\r", dtype=str, encoding="mac_roman")
    return rows.assign(spend=pd.to_numeric(rows["EvidencedSpend"]))


@pytest.mark.slow
@pytest.mark.parametrize("name", BUYERS)
def test_a_buyer_profile_matches_the_published_rows(store, published, name):
    """Rows spelt exactly as the body's name (any case): the profile may hold more (other
    spellings resolved to the same body), never less, and its spend is theirs plus the
    spend of the spellings the match report lists for it."""
    page, _ = render_page(store, "/buyer", f"?name={name}")
    key = buyers.buyer_key(store, name)
    spellings = buyers.published_names(store, key)["published_name"].str.casefold()
    rows = published[published["CustomerName"].str.strip().str.casefold().isin(set(spellings))]
    assert len(rows) > 0
    assert find(page, buyer.BUYER_TOTAL).children == format_money(rows["spend"].sum())
    assert find(page, buyer.BUYER_FIRST).children == rows["ReturnMonth"].min()[:7]
    assert find(page, buyer.BUYER_SUPPLIERS).children == format_count(
        store.spend.loc[store.spend["customer_key"] == key, "supplier_key"].nunique()
    )


def test_leeds_city_council_in_full(store, published):
    page, _ = render_page(store, "/buyer", "?name=Leeds%20City%20Council")
    leeds = published[published["CustomerName"].str.strip() == "Leeds City Council"]
    assert (len(leeds), leeds["spend"].sum()) == (6, 299_000)
    key = buyers.buyer_key(store, "Leeds City Council")
    assert buyers.buyer_headline(store, parse_query(""), key)["spend_gbp"] == 299_000.00
    assert find(page, buyer.BUYER_TOTAL).children == format_money(299_000.00)
    assert find(page, buyer.BUYER_FIRST).children == "2013-11"


def test_bodies_not_yet_buying_are_the_list_less_the_buyers(store):
    """Each group's bodies not yet buying are its list bodies less those with spend, and
    the adoption page's list of them has that many rows."""
    table = penetration_in_view(store, parse_query(""))
    assert (table["not_yet_buying"] == table["eligible"] - table["buying"]).all()
    councils = table.set_index("group").loc["Principal councils"]
    assert councils["buying"] > 0 and councils["not_yet_buying"] > 0
    listed = adoption.NOT_YET_BUYING.table(store, parse_query(""))
    shown = table[~table["group"].str.startswith("All ")]
    assert len(listed) == shown["not_yet_buying"].sum()
