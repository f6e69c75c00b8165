"""Adoption and concentration functions against hand-computed values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import adoption
from dashboard.analytics import suppliers as concentration
from tests.dashboard.frames import spend_frame

ROWS = [
    # month, customer, sector, supplier, sme, spend
    ("2013-04", "Home Office", "Central Government", "Acme", "SME", 100),
    ("2013-05", "Leeds City Council", "Local Government", "Acme", "SME", 50),
    ("2013-06", "Leeds City Council", "Local Government", "Bigco", "Large", 50),
    ("2014-04", "Home Office", "Central Government", "Bigco", "Large", 300),
    ("2014-05", "Kent County Council", "Local Government", "Acme", "SME", 20),
    ("2014-06", "NHS Digital", "Health", "Small", "SME", 30),
    ("2015-04", "Kent County Council", "Local Government", "Bigco", "Large", 80),
    ("2015-05", "Leeds City Council", "Local Government", "Small", "SME", 20),
]


@pytest.fixture
def spend() -> pd.DataFrame:
    return spend_frame(ROWS)


def test_buyers_by_year_split_by_group(spend):
    table = adoption.buyers_by_period(spend, "fy").set_index("period")
    assert table.loc["2013-14"].to_dict() == {
        "buyers": 2, "buyers_central": 1, "buyers_non_whitehall": 1, "buyers_unclassified": 0,
    }  # fmt: skip
    assert table.loc["2014-15", "buyers"] == 3
    assert table.loc["2015-16", "buyers_non_whitehall"] == 2


def test_new_and_cumulative_buyers(spend):
    table = adoption.new_buyers_by_period(spend, "fy").set_index("period")
    assert table["new_buyers"].to_dict() == {"2013-14": 2, "2014-15": 2}
    assert table["new_non_whitehall"].to_dict() == {"2013-14": 1, "2014-15": 2}
    assert table["cumulative_buyers"].to_dict() == {"2013-14": 2, "2014-15": 4}


def test_returning_buyers_bought_the_year_before(spend):
    table = adoption.returning_buyers(spend).set_index("financial_year")
    assert table.loc["2013-14"].to_dict() == {"buyers": 2, "returning": 0, "new": 2}
    assert table.loc["2014-15"].to_dict() == {"buyers": 3, "returning": 1, "new": 2}
    assert table.loc["2015-16"].to_dict() == {"buyers": 2, "returning": 1, "new": 0}


def test_buyers_and_their_spend_by_sector_largest_first(spend):
    table = adoption.buyers_by_sector(spend)
    assert table.to_dict("records") == [
        {"sector": "Local Government", "buyer_group": "Non-Whitehall", "buyers": 2,
         "spend_gbp": 220.0},  # Leeds 120, Kent 100
        {"sector": "Central Government", "buyer_group": "Central government", "buyers": 1,
         "spend_gbp": 400.0},
        {"sector": "Health", "buyer_group": "Non-Whitehall", "buyers": 1, "spend_gbp": 30.0},
    ]  # fmt: skip


def test_first_time_non_whitehall_buyers_in_view(spend):
    in_view = spend["financial_year"].eq("2014-15")
    table = adoption.first_time_buyers(spend, in_view)
    assert list(table["customer"]) == ["Kent County Council", "NHS Digital"]
    assert list(table["spend_in_view_gbp"]) == [20.0, 30.0]
    everyone = adoption.first_time_buyers(spend, in_view, group=None)
    headline = adoption.adoption_headline(spend[in_view], everyone)
    assert headline == {"buyers": 3, "non_whitehall_buyers": 2, "new_buyers": 2,
                        "new_non_whitehall": 2}  # fmt: skip


def test_penetration_counts_list_bodies_bought_against_all_in_the_group():
    customers = pd.DataFrame(
        {
            "urn": [1, 2, 3, 4, 5],
            "name": ["Leeds City Council", "Kent County Council", "Ashford Borough Council",
                     "Bobbing Parish Council", "Kent Police"],
            "sector": ["Local Government"] * 4 + ["Police"],
            "organisation_type": ["Metropolitan District", "TBA", "Region: South East", "TBA",
                                  "Police Force"],
        }
    )  # fmt: skip
    spend = pd.DataFrame({"customer_key": ["urn:1", "urn:5", "unmatched body", "urn:4"]})
    table = adoption.penetration(spend, customers, adoption.read_group_rules()).set_index("group")
    assert table.loc["Principal councils", ["buying", "eligible"]].tolist() == [1, 3]
    assert table.loc["Police forces", ["buying", "eligible"]].tolist() == [1, 1]
    assert table.loc["All Local Government bodies in the list", "eligible"] == 4
    assert table.loc["Principal councils", "share_pct"] == pytest.approx(100 / 3)


def test_top_share_and_hhi(spend):
    # Net spend: Bigco 430, Acme 170, Small 50 of 650.
    assert concentration.top_share(spend, 1) == pytest.approx(100 * 430 / 650)
    shares = [430 / 6.5, 170 / 6.5, 50 / 6.5]
    assert concentration.hhi(spend) == pytest.approx(sum(s * s for s in shares))


def test_hhi_of_one_supplier_is_10000():
    single = spend_frame([("2013-04", "A", "Health", "Only", "SME", 5)])
    assert concentration.hhi(single) == pytest.approx(10_000)


def test_concentration_by_year(spend):
    table = concentration.concentration_by_period(spend, "fy", n=1).set_index("period")
    assert table.loc["2013-14", "suppliers"] == 2
    assert table.loc["2013-14", "top_1_share_pct"] == pytest.approx(75.0)
    assert table.loc["2013-14", "hhi"] == pytest.approx(75**2 + 25**2)


def test_sme_share_without_the_largest_supplier(spend):
    table = concentration.sme_share_without_top(spend, "fy", n=1).set_index("period")
    assert table.loc["2014-15", "sme_share_pct"] == pytest.approx(100 * 50 / 350)
    assert table.loc["2014-15", "sme_share_without_top_1_pct"] == pytest.approx(100.0)


def test_suppliers_active_and_new(spend):
    table = concentration.suppliers_active_and_new(spend).set_index("financial_year")
    assert table["suppliers"].to_dict() == {"2013-14": 2, "2014-15": 3, "2015-16": 2}
    assert table["new_suppliers"].to_dict() == {"2013-14": 2, "2014-15": 1, "2015-16": 0}


def test_supplier_profile(spend):
    profile = concentration.supplier_profile(spend, "acme")
    assert profile["buyers"].set_index("customer")["spend_gbp"].to_dict() == {
        "Home Office": 100.0, "Leeds City Council": 50.0, "Kent County Council": 20.0,
    }  # fmt: skip
    assert profile["trend"]["financial_year"].tolist() == ["2013-14", "2014-15"]


def test_penetration_with_blank_organisation_types():
    customers = pd.DataFrame(
        {
            "urn": pd.array([1, 2], dtype="Int64"),
            "name": ["Leeds City Council", "Kent Police"],
            "sector": ["Local Government", "Police"],
            "organisation_type": pd.array([pd.NA, pd.NA], dtype="string"),
        }
    )
    spend = pd.DataFrame({"customer_key": ["urn:1"]})
    table = adoption.penetration(spend, customers, adoption.read_group_rules()).set_index("group")
    assert table.loc["Principal councils", ["buying", "eligible"]].tolist() == [1, 1]
    assert table.loc["Police forces", ["buying", "eligible"]].tolist() == [0, 1]


@pytest.mark.slow
def test_rows_of_no_customer_body_count_in_pounds_but_never_as_a_buyer(spend):
    """Rows published as ``Unknown`` reach the store with no customer body (the loaders'
    no-name rule): every pound counts, no buyer does."""
    extra = spend_frame([
        ("2014-04", "(not stated)", "Central Government", "Acme", "SME", 7),
        ("2014-05", "(not stated)", "Local Government", "Newco", "SME", 11),
    ]).assign(customer_key=None)  # fmt: skip
    both = pd.concat([spend, extra], ignore_index=True)
    in_view = both["financial_year"].eq("2014-15")
    everyone = adoption.first_time_buyers(both, in_view, group=None)
    assert adoption.adoption_headline(both[in_view], everyone) == {
        "buyers": 3,
        "non_whitehall_buyers": 2,
        "new_buyers": 2,
        "new_non_whitehall": 2,
    }
    assert adoption.buyers_by_period(both, "fy").set_index("period").loc["2014-15", "buyers"] == 3
    assert adoption.returning_buyers(both).set_index("financial_year").loc["2014-15"].to_dict() \
        == {"buyers": 3, "returning": 1, "new": 2}  # fmt: skip
    assert len(adoption.body_profiles(both)) == 4
    # Newco's only buyer is nobody: a supplier with spend and no buyer
    buyers = concentration.buyers_per_supplier(both, pd.Index(["acme", "newco"]))
    assert buyers.to_dict() == {"acme": 3, "newco": 0}
    assert round(both.loc[in_view, "spend_gbp"].sum(), 2) == 368.0


@pytest.mark.slow
def test_rows_of_no_supplier_body_count_in_pounds_but_never_as_a_supplier(spend):
    """A row published with no supplier name reaches the store with no supplier body: its
    pounds count in spend and SME shares, but it is nobody's sale in supplier counts and
    concentration."""
    extra = spend_frame([("2014-04", "Home Office", "Central Government", "(not stated)",
                          "Unknown", 1000)]).assign(supplier_key=None)  # fmt: skip
    both = pd.concat([spend, extra], ignore_index=True)
    assert (
        concentration.supplier_totals(both).to_dict()
        == concentration.supplier_totals(spend).to_dict()
    )
    table = concentration.concentration_by_period(both, "fy").set_index("period")
    assert table.loc["2014-15", "suppliers"] == 3
    assert list(concentration.supplier_summary(both)["supplier_key"]) == ["bigco", "acme", "small"]
    shares = concentration.sme_share_without_top(both, "fy", n=1).set_index("period")
    # 2014-15: 50 SME of 1,350 in all; without Bigco (the largest): 50 of 1,050
    assert round(shares.loc["2014-15", "sme_share_pct"], 4) == round(100 * 50 / 1350, 4)
    assert round(shares.loc["2014-15", "sme_share_without_top_1_pct"], 4) == round(
        100 * 50 / 1050, 4
    )
    active = concentration.suppliers_active_and_new(both).set_index("financial_year")
    assert active.loc["2014-15", "suppliers"] == 3


def test_returning_buyers_of_lines_with_no_known_buyer_are_none():
    """Found by the one-count property test: a view whose every line is '(not stated)'."""
    spend = spend_frame([("2019-05", "Nobody known", "Local Government", "Acme", "SME", 10.0)])
    spend["customer_key"] = pd.Series([None], dtype="string")
    assert adoption.returning_buyers(spend).empty


@pytest.mark.parametrize("seed", range(4))
def test_buyers_per_supplier_are_the_distinct_known_buyers_of_each(seed):
    """Counted on codes of the suppliers asked for only, equal to a group-by of the lines:
    lines of no buyer or no supplier count for nobody; a supplier with no line has none."""
    rng = np.random.default_rng(seed)
    lines = 2_000
    customers = pd.Series([f"c{i}" for i in rng.integers(0, 300, lines)], dtype=object)
    customers[rng.random(lines) < 0.05] = None
    supplier_keys = pd.Series([f"s{i}" for i in rng.integers(0, 40, lines)], dtype=object)
    supplier_keys[rng.random(lines) < 0.05] = None
    pairs = pd.DataFrame({"customer_key": customers.astype("category"),
                          "supplier_key": supplier_keys.astype("category")})  # fmt: skip
    asked = pd.Index([*(f"s{i}" for i in rng.choice(40, 12, replace=False)), "nobody"])
    known = pairs.dropna()
    expected = known.astype(str).groupby("supplier_key")["customer_key"].nunique()
    buyers = concentration.buyers_per_supplier(pairs, asked)
    assert buyers.index.tolist() == asked.tolist()
    assert buyers.to_dict() == expected.reindex(asked, fill_value=0).to_dict()
