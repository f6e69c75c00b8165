"""Adoption against the registers on hand-built bodies and spend: who could buy in a period,
and who never bought, lapsed, is new or came back."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from loaders.bodies.registers.adoption import (
    REASON_CLOSED,
    REASON_NOT_IN_REGISTER,
    adoption_status,
    adoption_summary,
    area_summary,
    combined_authorities_in,
    group_buyers,
    other_buyers,
    register_spend,
)

FIRST, LAST = dt.date(2014, 4, 1), dt.date(2015, 3, 31)


def _bodies() -> pd.DataFrame:
    rows = [
        # code, register, group, start, end
        ("A", "principal-council", "Principal councils", None, None),
        ("B", "principal-council", "Principal councils", None, None),
        ("C", "principal-council", "Principal councils", None, "2014-03-31"),
        ("D", "principal-council", "Principal councils", "2015-04-01", None),
        ("E", "police-force", "Police forces", None, None),
        ("F", "principal-council", "Principal councils", None, None),
        ("G", "central-government", "Central government", None, None),
    ]
    frame = pd.DataFrame(rows, columns=["code", "register", "group", "start_date", "end_date"])
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    return frame.assign(
        name=frame["code"] + " body",
        organisation_type="Type",
        nation="England",
        region="North West",
        combined_authority="",
        end_date_unknown=["", "", "", "", "", "", "yes"],
    )


def _spend() -> tuple[pd.DataFrame, pd.DataFrame]:
    spend = pd.DataFrame(
        {
            "customer_key": ["urn:1", "urn:2", "urn:1", "urn:3", "urn:4", "urn:5", "urn:6", "x"],
            "month": pd.to_datetime(["2013-05-01", "2013-05-01", "2014-06-01", "2014-07-01",
                                     "2013-06-01", "2013-01-01", "2015-05-01", "2014-05-01"]),
            "spend_gbp": [100.0, 20.0, 50.0, 10.0, 8.0, 5.0, 7.0, 99.0],
        }
    )  # fmt: skip
    matches = pd.DataFrame(
        {
            "customer_key": ["urn:1", "urn:2", "urn:3", "urn:4", "urn:5", "urn:6"],
            "register": ["principal-council"] * 4 + ["police-force", "principal-council"],
            "code": ["A", "A", "B", "C", "E", "F"],
        }
    )
    return spend, matches


@pytest.fixture
def status() -> pd.DataFrame:
    spend, matches = _spend()
    months = register_spend(spend, matches)
    return adoption_status(_bodies(), months, FIRST, LAST).set_index("code")


def test_register_spend_adds_every_buyer_of_a_body_and_leaves_out_unmatched_buyers():
    spend, matches = _spend()
    months = register_spend(spend, matches)
    a = months[months["code"].eq("A")]
    assert a["month"].dt.strftime("%Y-%m").tolist() == ["2013-05", "2014-06"]
    assert a["spend_gbp"].tolist() == [120.0, 50.0]
    assert a["transactions"].tolist() == [2, 1]
    assert months["spend_gbp"].sum() == pytest.approx(200.0)  # x (£99) matches no body


def test_the_denominator_is_the_bodies_that_existed_in_the_period(status):
    # C ended before the period, D started after it, G's end is not published
    assert sorted(status.index) == ["A", "B", "E", "F"]


@pytest.mark.parametrize(
    ("code", "state", "first", "last_before", "last_in", "spend"),
    [
        pytest.param("A", "returning", "2013-05", "2013-05", "2014-06", 50.0, id="returning"),
        pytest.param("B", "new", "2014-07", None, "2014-07", 10.0, id="new"),
        pytest.param("E", "lapsed", "2013-01", "2013-01", None, 0.0, id="lapsed"),
        pytest.param("F", "never", None, None, None, 0.0, id="first purchase after the period"),
    ],
)
def test_status_of_each_body(status, code, state, first, last_before, last_in, spend):
    row = status.loc[code]

    def month(value):
        return None if pd.isna(value) else value.strftime("%Y-%m")

    assert row["status"] == state
    assert (month(row["first_month"]), month(row["last_month_before"])) == (first, last_before)
    assert month(row["last_month_in_period"]) == last_in
    assert row["spend_in_period_gbp"] == spend


def test_never_bought_holds_no_body_with_spend_before_the_end_of_the_period(status):
    spend, matches = _spend()
    months = register_spend(spend, matches)
    bought = months[months["month"] <= pd.Timestamp(LAST)]["code"]
    assert not set(status.index[status["status"].eq("never")]) & set(bought)


def test_summary_per_group(status):
    summary = adoption_summary(status.reset_index()).set_index("group")
    councils = summary.loc["Principal councils"]
    assert councils[["bodies", "buying", "new", "returning", "lapsed", "never"]].tolist() == [
        3, 2, 1, 1, 0, 1]  # fmt: skip
    assert councils["share_buying_pct"] == pytest.approx(200 / 3)
    police = summary.loc["Police forces"]
    assert police[["bodies", "buying", "lapsed"]].tolist() == [1, 0, 1]


def test_other_buyers_of_a_groups_kind_are_shown_apart_and_add_to_its_buyers():
    """The kinds of case 06: a merged-away NHS trust buying under its old name, a police
    service in no register, a council in its register, a buyer of no group."""
    bodies = _bodies()
    bodies = pd.concat([bodies, bodies.iloc[[0]].assign(code="OLD", register="nhs-trust",
                        group="NHS trusts", end_date=pd.Timestamp("2012-03-31"))],
                       ignore_index=True)  # fmt: skip
    spend = pd.DataFrame(
        {
            "customer_key": ["urn:1", "urn:7", "urn:8", "urn:9"],
            "month": pd.to_datetime(["2014-05-01"] * 4),
            "spend_gbp": [1000.0, 2000.0, 4000.0, 5000.0],
        }
    )
    matches = pd.DataFrame({"customer_key": ["urn:1", "urn:7"],
                            "register": ["principal-council", "nhs-trust"],
                            "code": ["A", "OLD"]})  # fmt: skip
    status = adoption_status(bodies, register_spend(spend, matches), FIRST, LAST)
    buyers = spend.assign(customer=["Council A", "Old Trust", "Isle of Man Constabulary", "RAF"])
    list_groups = pd.Series({"urn:1": "Principal councils", "urn:7": "NHS trusts",
                             "urn:8": "Police forces", "urn:9": ""})  # fmt: skip
    groups = {"principal-council": "Principal councils", "nhs-trust": "NHS trusts",
              "police-force": "Police forces"}  # fmt: skip
    others = other_buyers(status, buyers, matches, list_groups, groups)
    assert others[["group", "customer", "reason"]].values.tolist() == [
        ["NHS trusts", "Old Trust", REASON_CLOSED],
        ["Police forces", "Isle of Man Constabulary", REASON_NOT_IN_REGISTER],
    ]
    table = group_buyers(status, others).set_index("group")
    assert table.loc["Principal councils"].tolist() == [1, 0, 1]
    assert table.loc["Police forces"].tolist() == [0, 1, 1]
    assert table.loc["NHS trusts"].tolist() == [0, 1, 1]


def test_areas_count_their_bodies_buying_and_their_sme_share():
    bodies = _bodies().assign(
        region=["North West", "North West", "North West", "London", "North West", "London",
                "London"],
        combined_authority=["GMCA", "GMCA", "", "", "", "", ""],
    )  # fmt: skip
    spend, matches = _spend()
    spend = spend.assign(sme_status=["SME", "Large", "SME", "Large", "SME", "SME", "SME", "SME"])
    status = adoption_status(bodies, register_spend(spend, matches), FIRST, LAST)
    regions = area_summary(status).set_index("area")
    # North West: A (returning, £50 SME), B (new, £10 large), E (lapsed); F is in London
    assert regions.loc["North West", ["bodies", "buying", "spend_gbp"]].tolist() == [3, 2, 60.0]
    assert regions.loc["North West", "sme_share_value_pct"] == pytest.approx(100 * 50 / 60)
    assert regions.loc["London", ["bodies", "buying"]].tolist() == [1, 0]
    assert pd.isna(regions.loc["London", "sme_share_value_pct"])
    authorities = area_summary(status, "combined_authority")
    assert authorities[["area", "bodies", "buying"]].values.tolist() == [["GMCA", 2, 2]]
    assert area_summary(status, "combined_authority", combined_authorities_in(status)).empty


def test_no_buyers_in_the_period_gives_no_other_buyers():
    spend, matches = _spend()
    status = adoption_status(_bodies(), register_spend(spend, matches), FIRST, LAST)
    none = pd.DataFrame({"customer_key": [], "customer": [], "spend_gbp": []})
    others = other_buyers(status, none, matches, pd.Series(dtype=object), {})
    assert others.empty and list(others.columns)[:2] == ["group", "customer_key"]
