"""The later CCS customer list on real and field-case files (skipped when absent): case 06's
sectors, Private Sector Enabler rows apart, and buyers in every group."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import loaders
from loaders.bodies.customer_list import PRIVATE_SECTOR_ENABLER, read_customer_list
from loaders.bodies.registers.adoption import (
    adoption_status,
    group_buyers,
    other_buyers,
    register_spend,
)
from loaders.bodies.registers.matching import match_loaded
from loaders.bodies.registers.table import read_register_bodies, read_register_list
from loaders.bodies.resolution import urn_key
from loaders.core.vocabulary import load_vocabulary

SHARED = Path(__file__).resolve().parents[4] / "shared"
CASE06 = SHARED / "field-cases" / "turn3" / "case06"
LIST_2018 = (SHARED / "real-data" / "ccs-customer-list-2018-11"
             / "20181129151800_import_november_customers.csv")  # fmt: skip


@pytest.mark.skipif(not CASE06.is_dir(), reason="../shared/field-cases is absent")
def test_case06_sectors_spend_and_a_buyer_in_every_group():
    expected = json.loads((CASE06 / "expected-handed.json").read_text(encoding="utf-8"))
    handed = CASE06 / "handed"
    customers = handed / "customer_URN_list_2018-10.csv"
    result = loaders.load([p for p in handed.iterdir() if "URN" not in p.name],
                          customers=customers)  # fmt: skip
    spend = result.spend
    by_urn = spend.drop_duplicates("customer_urn").set_index("customer_urn")["sector"]
    assert {str(u): s for u, s in by_urn.items()} == expected["sector_by_urn"]
    by_sector = spend.groupby("sector", observed=True)["spend_gbp"].sum().to_dict()
    assert by_sector == expected["spend_by_sector"]
    vocab = load_vocabulary()
    bodies = read_register_bodies()
    _, matches = match_loaded(spend, result.matches, result.customers,
                              result.customer_names, bodies, vocab)  # fmt: skip
    status = adoption_status(bodies, register_spend(spend, matches), dt.date(2018, 4, 1),
                             dt.date(2019, 3, 31))  # fmt: skip
    listed = read_customer_list(customers, vocab).bodies
    list_groups = dict(zip(map(urn_key, listed["urn"]), listed["adoption_group"], strict=True))
    buyers = spend.groupby(["customer_key", "customer"], as_index=False, observed=True)[
        "spend_gbp"].sum()  # fmt: skip
    groups = {r.code: r.group for r in read_register_list()}
    others = other_buyers(status, buyers, matches, buyers["customer_key"].map(list_groups)
                          .set_axis(buyers["customer_key"]), groups)  # fmt: skip
    table = group_buyers(status, others).set_index("group")["buyers"].to_dict()
    assert {g: table.get(g, 0) for g in expected["penetration_buying"]} == expected[
        "penetration_buying"]  # fmt: skip


@pytest.mark.skipif(not LIST_2018.is_file(), reason="../shared/real-data is absent")
def test_the_2018_list_keeps_private_sector_enablers_apart_and_has_bodies_in_every_group():
    vocab = load_vocabulary()
    listed = read_customer_list(LIST_2018, vocab).bodies
    enablers = listed[listed["kind"].eq(PRIVATE_SECTOR_ENABLER)]
    assert len(enablers) == 2_468
    assert set(enablers["sector"]) == {"Private Sector"}
    public = listed[listed["kind"].eq("public body")]
    assert public["sector"].value_counts().to_dict() == {
        "Central Government": 176, "Education": 144, "Wider Public Sector": 99,
        "Local Government": 88, "Health": 76, "Not for Profit": 72, "Defence": 35,
        "Fire and Rescue": 5, "Utility (Historic)": 3, "Police": 2,
    }  # fmt: skip
    bodies = read_register_bodies()
    empty = listed.iloc[:0]
    list_matches, _ = match_loaded(
        empty.assign(customer_key="", customer=""), empty.assign(kind="", published_name="",
                                                                 body_key=""),
        listed, empty.assign(how=""), bodies, vocab,
    )  # fmt: skip
    groups = {r.code: r.group for r in read_register_list()}
    per_group = list_matches["register"].map(groups).value_counts().to_dict()
    # the list's fire services are Devon's and Somerset's before they combined in 2007 and
    # Guernsey's: none is in the register of 2012 on, though all are of the group's kind
    assert {g: per_group.get(g, 0) for g in ("Principal councils", "NHS trusts",
            "Police forces", "Fire and rescue services")} == {
        "Principal councils": 14, "NHS trusts": 8, "Police forces": 2,
        "Fire and rescue services": 0}  # fmt: skip
    kinds = listed["adoption_group"].value_counts().to_dict()
    assert {g: kinds.get(g, 0) for g in ("Principal councils", "NHS trusts", "Police forces",
            "Fire and rescue services")} == {
        "Principal councils": 42, "NHS trusts": 31, "Police forces": 2,
        "Fire and rescue services": 5}  # fmt: skip
    assert not set(list_matches["urn"]) & set(enablers["urn"])  # never a register body
